"""The drawing for a model without an Escher map: one box per subsystem, with the flux of
its reactions summed (Σ|flux|, or Σ|difference|) and its largest reactions written out.

Subsystems come from the model's own annotations; a model without any borrows them by
reaction id from the E. coli core table (tools/cobra/pathways.py) or from iJO1366's
subsystems (``data/escher/iJO1366_subsystems.tsv``: BiGG ids, which salmonella and most BiGG
models share); what is still unassigned is grouped by what it is (exchange, transport). The
drawing says where its groups came from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from fluxagent.render.escape import html_text
from fluxagent.web.maps.escher import Point
from fluxagent.web.maps.fluxes import FluxData
from fluxagent.web.maps.style import (
    NEUTRAL,
    UNIT,
    diff_colour,
    fmt,
    look,
    magnitude,
    magnitude_colour,
)
from fluxagent.web.maps.svgkit import legend, svg_close, svg_open

COLUMNS, BOX_W, BOX_H, GAP = 4, 460.0, 262.0, 30.0
TOP_REACTIONS = 4
NOT_IN_MODEL = "(not in the model)"


@dataclass(frozen=True)
class ModelFacts:
    """What the drawing needs of a model: its reactions (id -> name) and their groups."""

    model: str
    reactions: dict[str, str]
    groups: dict[str, str]
    source: str


@cache
def reference_subsystems() -> dict[str, str]:
    """iJO1366's {reaction id: subsystem} (shipped table)."""
    text = (resources.files("fluxagent") / "data" / "escher" / "iJO1366_subsystems.tsv"
            ).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines()[1:] if "\t" in line)
    return {rid: sub for rid, sub in rows}


def model_facts(model: Any, name: str) -> ModelFacts:
    """The groups of a cobra model's reactions (see the module docstring for the order)."""
    from fluxagent.tools.cobra.pathways import subsystems_of
    own, source = subsystems_of(model)
    groups = dict(own)
    if source == "none":
        ref = reference_subsystems()
        groups = {r.id: ref[r.id] for r in model.reactions if r.id in ref}
        source = ("iJO1366 subsystems matched by reaction id (the model has none of its "
                  f"own; {len(groups)} of {len(model.reactions)} reactions matched)")
    elif source == "model":
        source = "the model's own subsystem annotations"
    boundary = {r.id for r in model.boundary}
    for r in model.reactions:
        if r.id in groups:
            continue
        if r.id in boundary:
            groups[r.id] = "Exchange and boundary"
        elif len({m.compartment for m in r.metabolites}) > 1:
            groups[r.id] = "Transport (no subsystem)"
        else:
            groups[r.id] = "No subsystem"
    return ModelFacts(name, {r.id: str(r.name or "") for r in model.reactions}, groups, source)


@dataclass
class Box:
    name: str
    members: list[str]
    total: float
    net: float
    active: list[str]


def _boxes(facts: ModelFacts, data: FluxData) -> list[Box]:
    by: dict[str, list[str]] = {}
    for rid in facts.reactions:
        by.setdefault(facts.groups.get(rid) or "No subsystem", []).append(rid)
    named = set(data.values) | set(data.ranges)
    stray = sorted(named - set(facts.reactions))
    if stray:
        by[NOT_IN_MODEL] = stray
    boxes = []
    for name, members in by.items():
        sizes = {r: magnitude(data, r) for r in members}
        active = sorted((r for r in members if sizes[r] > 0), key=lambda r: (-sizes[r], r))
        boxes.append(Box(name, members, sum(sizes.values()),
                         sum(data.value(r) for r in members), active))
    return sorted(boxes, key=lambda b: (-b.total, b.name))


def _what(data: FluxData) -> tuple[str, str]:
    if data.kind == "diff":
        return "change", "Σ|difference|"
    if data.kind == "ranges":
        return "can carry flux", "Σ max|flux|"
    return "carry flux", "Σ|flux|"


def _box(box: Box, at: Point, data: FluxData, box_top: float, top: float,
         facts: ModelFacts) -> str:
    """One subsystem box (``box_top``: the largest box total; ``top``: the largest reaction)."""
    t = math.sqrt(box.total / box_top) if box_top > 0 else 0.0
    if box.total == 0:
        fill = "#f3f4f6"
    elif data.kind == "diff":
        fill = diff_colour(t, box.net > 0)
    else:
        fill = magnitude_colour(t)
    verb, sigma = _what(data)
    shown = box.name if len(box.name) <= 32 else box.name[:31] + "…"
    lines = [f'<text class="box-name" x="16" y="34">{html_text(shown)}</text>',
             f'<text class="box-count" x="16" y="66">{len(box.active)} of {len(box.members)} '
             f"reactions {verb}</text>"]
    if box.total:
        lines.append(f'<text class="box-total" x="16" y="96">{sigma} {fmt(box.total)} '
                     f"{UNIT}</text>")
    for i, rid in enumerate(box.active[:TOP_REACTIONS]):
        lk = look(data, rid, facts.reactions.get(rid, ""), top)
        value = f' data-flux="{lk.value!r}"' if lk.value is not None else ""
        lines.append(f'<text class="rxn-label {lk.cls}" data-id="{html_text(rid)}"{value} '
                     f'x="16" y="{130 + 26 * i}"><title>{html_text(lk.tooltip)}</title>'
                     f'<tspan class="rid">{html_text(rid)}</tspan><tspan class="val" '
                     f'dx="10">{html_text(lk.label)}</tspan></text>')
    more = len(box.active) - TOP_REACTIONS
    if more > 0:
        lines.append(f'<text class="box-more" x="16" y="{130 + 26 * TOP_REACTIONS}">'
                     f"and {more} more</text>")
    return (f'<g class="box subsystem" data-name="{html_text(box.name)}" '
            f'data-total="{box.total!r}" transform="translate({at.x:.1f} {at.y:.1f})">'
            f"<title>{html_text(box.name)}: {len(box.active)} of {len(box.members)} reactions "
            f"{verb}; {sigma} {fmt(box.total)} {UNIT}</title>"
            f'<rect width="{BOX_W}" height="{BOX_H}" rx="10" fill="{fill}" '
            f'fill-opacity="{0.25 if box.total == 0 else 0.35}" stroke="'
            f'{NEUTRAL if box.total == 0 else fill}" stroke-width="3"/>{"".join(lines)}</g>')


BOX_STYLE = ('<style>.fluxmap .box-name { font-size: 23px; font-weight: 700; fill: #111827; }'
             '.fluxmap .box-count, .fluxmap .box-total, .fluxmap .box-more { font-size: 19px;'
             ' fill: #374151; } .fluxmap .box .rxn-label { font-size: 19px; }'
             '.fluxmap .source { font-size: 20px; fill: #4b5563; stroke-width: 0; }</style>')


def render_subsystems(facts: ModelFacts, data: FluxData, title: str) -> str:
    """The SVG document of ``data`` summed per subsystem of the model."""
    boxes = _boxes(facts, data)
    top = max((b.total for b in boxes), default=0.0)
    reaction_top = max((magnitude(data, r) for b in boxes for r in b.active), default=0.0)
    rows = math.ceil(len(boxes) / COLUMNS)
    width = COLUMNS * (BOX_W + GAP) + GAP
    strip = 330.0
    height = strip + rows * (BOX_H + GAP) + GAP
    parts = [svg_open((0.0, 0.0, width, height), title), BOX_STYLE,
             f'<text class="source" x="{GAP}" y="{strip - 20}">Subsystems: '
             f"{html_text(facts.source)}</text>"]
    for i, box in enumerate(boxes):
        at = Point(GAP + (i % COLUMNS) * (BOX_W + GAP), strip + GAP + (i // COLUMNS)
                   * (BOX_H + GAP))
        parts.append(_box(box, at, data, top, reaction_top, facts))
    parts.append(legend(data, reaction_top, Point(GAP + 20, 70), scale=0.8))
    parts.append(svg_close())
    return "".join(parts)
