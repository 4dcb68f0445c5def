"""What every map drawing shares: the SVG head with its styles, and the legend."""

from __future__ import annotations

from fluxagent.render.escape import html_text
from fluxagent.web.maps.escher import Point
from fluxagent.web.maps.fluxes import FluxData
from fluxagent.web.maps.style import (
    NEUTRAL,
    UNIT,
    diff_colour,
    fmt,
    magnitude_colour,
)

STYLE = """
.fluxmap text { font-family: "Helvetica Neue", Arial, sans-serif; paint-order: stroke;
  stroke: #fff; stroke-width: 6px; stroke-linejoin: round; }
.fluxmap .rxn-label { font-size: 30px; font-weight: 700; fill: #1f2a37; }
.fluxmap .rxn-label .val { fill: #8b1a1a; }
.fluxmap .rxn-label.zero, .fluxmap .rxn-label.same, .fluxmap .rxn-label.unanalysed,
.fluxmap .rxn-label.blocked { fill: #6b7280; font-weight: 400; }
.fluxmap .rxn-label.down .val { fill: #1d4f8a; }
.fluxmap .met-label { font-size: 22px; fill: #3b2414; }
.fluxmap .met-label.minor { font-size: 16px; }
.fluxmap .map-text { font-size: 40px; fill: #374151; font-style: italic; }
.fluxmap .legend text { font-size: 26px; fill: #1f2a37; stroke-width: 0; }
.fluxmap .legend .head { font-weight: 700; }
.fluxmap .box text { stroke-width: 0; }
"""


def svg_open(box: tuple[float, float, float, float], title: str) -> str:
    x, y, w, h = box
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="fluxmap" role="img" '
            f'aria-labelledby="fluxmap-title" viewBox="{x:.1f} {y:.1f} {w:.1f} {h:.1f}" '
            f'preserveAspectRatio="xMidYMid meet"><title id="fluxmap-title">'
            f"{html_text(title)}</title><style>{STYLE}</style>"
            f'<rect class="background" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
            f'height="{h:.1f}" fill="#ffffff"/>')


def svg_close() -> str:
    return "</svg>"


def _sample(x: float, y: float, colour: str, width: float, text: str, dashed: bool = False
            ) -> str:
    dash = f' stroke-dasharray="{width * 1.6:.1f} {width:.1f}"' if dashed else ""
    return (f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 90:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="{width:.1f}"{dash}/>'
            f'<text x="{x + 110:.1f}" y="{y + 9:.1f}">{html_text(text)}</text>')


def _bar(x: float, y: float, stops: list[tuple[float, str]], ticks: list[tuple[float, str]],
         gid: str) -> str:
    grad = "".join(f'<stop offset="{o:.3f}" stop-color="{c}"/>' for o, c in stops)
    out = [f'<defs><linearGradient id="{gid}">{grad}</linearGradient></defs>',
           f'<rect x="{x:.1f}" y="{y:.1f}" width="400" height="22" fill="url(#{gid})"/>']
    for at, text in ticks:
        out.append(f'<text x="{x + 400 * at:.1f}" y="{y + 56:.1f}" text-anchor="middle">'
                   f"{html_text(text)}</text>")
    return "".join(out)


def legend(data: FluxData, top: float, at: Point, scale: float = 1.0) -> str:
    """The key to colours, widths and dashes, for the kind of data drawn."""
    x, y = 0.0, 0.0
    rows: list[str] = []
    if data.kind == "diff":
        assert data.pair is not None
        this, other = data.pair
        rows.append(f'<text class="head" x="{x}" y="{y}">Flux difference, event {this.seq} − '
                    f"event {other.seq} ({UNIT})</text>")
        rows.append(_bar(x, y + 20, [(0.0, diff_colour(1, False)), (0.5, NEUTRAL),
                                     (1.0, diff_colour(1, True))],
                         [(0.0, fmt(-top)), (0.5, "0"), (1.0, "+" + fmt(top))], "fluxmap-diff"))
        rows.append(_sample(x, y + 120, diff_colour(1, True), 12,
                            f"more flux in event {this.seq}"))
        rows.append(_sample(x, y + 160, diff_colour(1, False), 12,
                            f"less flux in event {this.seq}"))
        rows.append(_sample(x, y + 200, NEUTRAL, 4, "no difference"))
        height = 230
    else:
        head = ("Flux range over all optimal solutions, largest |flux|" if data.kind ==
                "ranges" else "Flux")
        rows.append(f'<text class="head" x="{x}" y="{y}">{head} ({UNIT})</text>')
        if top > 0:
            rows.append(_bar(x, y + 20, [(t, magnitude_colour(t)) for t in (0, .25, .5, .75,
                                                                             1)],
                             [(0.0, "0"), (0.5, fmt(top / 4)), (1.0, fmt(top))], "fluxmap-scale"))
        grey = "blocked, or not in this FVA" if data.kind == "ranges" else "no flux (0)"
        rows.append(_sample(x, y + 120, NEUTRAL, 4, grey))
        rows.append(_sample(x, y + 160, magnitude_colour(0.6), 12,
                            "range wider than a point (not unique)", dashed=True))
        height = 190
    return (f'<g class="legend" transform="translate({at.x:.1f} {at.y:.1f}) '
            f'scale({scale:.3f})"><rect x="-20" y="-45" width="700" height="{height + 60}" '
            f'fill="#ffffff" fill-opacity="0.92" stroke="#d1d5db"/>{"".join(rows)}</g>')
