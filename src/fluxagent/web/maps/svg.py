"""An Escher map drawn as SVG on the server: segments (cubic Béziers through the map's
control points), arrowheads where flux arrives, metabolites, reaction labels with values.

Pure Python, no JavaScript: the same picture in a browser, a file or a test. Every id and
name (from the map or the model) is written through ``html_text``: a reaction called
``<script>`` is text in the drawing. Reactions are drawn quietest first, so thick lines of
high flux are on top; labels are drawn last, with a white halo.
"""

from __future__ import annotations

import math

from fluxagent.render.escape import html_text
from fluxagent.web.maps.escher import EscherMap, MapReaction, Node, Point
from fluxagent.web.maps.fluxes import FluxData
from fluxagent.web.maps.style import Look, look, scale_max
from fluxagent.web.maps.svgkit import legend, svg_close, svg_open

PRIMARY_R = 20.0
SECONDARY_R = 11.0
#: Metabolite nodes: Escher's colours.
NODE_FILL, NODE_STROKE = "#e0865b", "#a24510"


def _n(v: float) -> str:
    return f"{v:.1f}"


def _radius(node: Node) -> float:
    return PRIMARY_R if node.primary else SECONDARY_R


def _unit(dx: float, dy: float) -> tuple[float, float]:
    d = math.hypot(dx, dy)
    return (dx / d, dy / d) if d > 1e-9 else (0.0, 0.0)


def _arrives(rxn: MapReaction, node: Node, direction: int) -> bool:
    """Does flux arrive at this metabolite (so an arrowhead is drawn there)?"""
    c = rxn.coefficients.get(node.bigg_id, 0.0)
    if c == 0.0:
        return False
    if direction == 0:  # no flux known: products, and both sides of a reversible reaction
        return c > 0 or rxn.reversible
    return c * direction > 0


def _segment(rxn: MapReaction, m: EscherMap, start: Node, end: Node, b1: Point | None,
             b2: Point | None, lk: Look) -> str:
    """One segment: the path, shortened at metabolites, and its arrowheads."""
    p0, p3 = start.at, end.at
    c1, c2 = b1 or p3, b2 or p0  # control points (a straight line has none)
    head_len, head_half = 1.6 * lk.width + 10, 1.3 * lk.width + 6
    ends = []
    out = []
    for node, tip_side, ctrl in ((start, p0, c1), (end, p3, c2)):
        if node.kind != "metabolite":
            ends.append(tip_side)
            continue
        ux, uy = _unit(tip_side.x - ctrl.x, tip_side.y - ctrl.y)
        r = _radius(node) + 3
        tip = Point(tip_side.x - ux * r, tip_side.y - uy * r)
        if _arrives(rxn, node, lk.direction):
            base = Point(tip.x - ux * head_len, tip.y - uy * head_len)
            px, py = -uy * head_half, ux * head_half
            out.append(f'<polygon class="arrow" points="{_n(tip.x)},{_n(tip.y)} '
                       f'{_n(base.x + px)},{_n(base.y + py)} {_n(base.x - px)},'
                       f'{_n(base.y - py)}" fill="{lk.colour}"/>')
            ends.append(base)
        else:
            ends.append(tip)
    a, z = ends
    if b1 is None and b2 is None:
        d = f"M{_n(a.x)},{_n(a.y)} L{_n(z.x)},{_n(z.y)}"
    else:
        d = (f"M{_n(a.x)},{_n(a.y)} C{_n(c1.x)},{_n(c1.y)} {_n(c2.x)},{_n(c2.y)} "
             f"{_n(z.x)},{_n(z.y)}")
    dash = f' stroke-dasharray="{_n(lk.width * 1.6)} {_n(lk.width)}"' if lk.dashed else ""
    return (f'<path d="{d}" stroke="{lk.colour}" stroke-width="{_n(lk.width)}"{dash}/>'
            + "".join(out))


def _reaction(rxn: MapReaction, m: EscherMap, lk: Look) -> str:
    parts = [_segment(rxn, m, m.nodes[s.start], m.nodes[s.end], s.b1, s.b2, lk)
             for s in rxn.segments]
    value = f' data-flux="{lk.value!r}"' if lk.value is not None else ""
    return (f'<g class="reaction {lk.cls}" data-id="{html_text(rxn.id)}"{value}>'
            f"<title>{html_text(lk.tooltip)}</title>{''.join(parts)}</g>")


def _label(rxn: MapReaction, lk: Look) -> str:
    value = (f'<tspan class="val" dx="10">{html_text(lk.label)}</tspan>' if lk.label else "")
    return (f'<text class="rxn-label {lk.cls}" data-id="{html_text(rxn.id)}" '
            f'x="{_n(rxn.label.x)}" y="{_n(rxn.label.y)}"><tspan class="rid">'
            f"{html_text(rxn.id)}</tspan>{value}</text>")


def _metabolites(m: EscherMap) -> str:
    circles, labels = [], []
    for node in m.nodes.values():
        if node.kind != "metabolite":
            continue
        circles.append(f'<circle cx="{_n(node.at.x)}" cy="{_n(node.at.y)}" '
                       f'r="{_n(_radius(node))}"><title>{html_text(node.bigg_id)} '
                       f"({html_text(node.name)})</title></circle>")
        if node.label is not None:
            cls = "met-label" if node.primary else "met-label minor"
            labels.append(f'<text class="{cls}" x="{_n(node.label.x)}" '
                          f'y="{_n(node.label.y)}">{html_text(node.bigg_id)}</text>')
    return (f'<g class="metabolites" fill="{NODE_FILL}" stroke="{NODE_STROKE}" '
            f'stroke-width="2">{"".join(circles)}</g><g class="met-labels">'
            f'{"".join(labels)}</g>')


def render_map(m: EscherMap, data: FluxData, title: str) -> str:
    """The SVG document of ``data`` drawn on map ``m``."""
    ids = m.reaction_ids()
    top = scale_max(data, ids)
    looks = {r.id: look(data, r.id, r.name, top) for r in m.reactions}
    order = sorted(m.reactions, key=lambda r: (looks[r.id].magnitude, r.id))
    x, y, w, h = m.canvas
    body = [
        '<g class="reactions" fill="none" stroke-linecap="round">',
        *(_reaction(r, m, looks[r.id]) for r in order), "</g>",
        _metabolites(m),
        '<g class="rxn-labels">', *(_label(r, looks[r.id]) for r in order), "</g>",
        '<g class="text-labels">', *(f'<text class="map-text" x="{_n(t.at.x)}" '
                                     f'y="{_n(t.at.y)}">{html_text(t.text)}</text>'
                                     for t in m.texts), "</g>",
    ]
    k = max(w, h) / 2500  # the legend sits in a strip above the map, at a readable size
    strip = 320 * k
    key = legend(data, top, Point(x + 40 * k, y - strip + 70 * k), scale=k)
    return svg_open((x, y - strip, w, h + strip), title) + "".join(body) + key + svg_close()
