"""Which drawing a result gets (its model's Escher map, another map, or the subsystem
boxes) and the rows of the reaction table shown beside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fluxagent.web.maps.escher import MAPS, load_map, map_for
from fluxagent.web.maps.fluxes import FluxData, MapError
from fluxagent.web.maps.style import fmt, magnitude, signed
from fluxagent.web.maps.subsystems import ModelFacts, render_subsystems
from fluxagent.web.maps.svg import render_map

SUBSYSTEMS = "subsystems"


class ChoiceError(MapError):
    """A drawing that does not exist (asked for by name)."""


@dataclass
class Drawing:
    name: str  # a map name or SUBSYSTEMS
    title: str
    svg: str
    names: dict[str, str]  # reaction id -> name, where known
    on_drawing: set[str]
    notes: list[str] = field(default_factory=list)


def title_of(data: FluxData) -> str:
    model = data.model or "model"
    if data.kind == "diff":
        assert data.pair is not None
        a, b = data.pair
        return (f"Flux difference on {model}: {a.tool} (event {a.seq}) minus {b.tool} "
                f"(event {b.seq})")
    what = "FVA ranges" if data.kind == "ranges" else "Fluxes"
    return f"{what} on {model}: {data.tool} (event {data.seq})"


def choices() -> list[tuple[str, str]]:
    return [(name, title) for name, (_f, title, _m) in MAPS.items()] + [
        (SUBSYSTEMS, "Subsystems (generated)")]


def draw(data: FluxData, choice: str | None, facts: Callable[[], ModelFacts]) -> Drawing:
    """The drawing of ``data``: ``choice`` (a map name or ``subsystems``) or, by default, the
    map of the result's base model, else the subsystems (``facts`` loads the model)."""
    if choice is not None and choice not in MAPS and choice != SUBSYSTEMS:
        raise ChoiceError(f"no drawing named {choice!r}; drawings: "
                          + ", ".join(n for n, _ in choices()))
    name = choice or map_for(data.base) or SUBSYSTEMS
    title = title_of(data)
    notes = []
    if data.status != "optimal":
        notes.append(f"The result is {data.status}: no flux to draw (the model cannot grow "
                     "or has no feasible flux under these conditions).")
    if name == SUBSYSTEMS:
        f = facts()
        drawing = Drawing(name, title, render_subsystems(f, data, title), dict(f.reactions),
                          set(f.reactions), notes)
    else:
        m = load_map(name)
        drawing = Drawing(name, title, render_map(m, data, title),
                          {r.id: r.name for r in m.reactions}, m.reaction_ids(), notes)
        if data.base not in MAPS[name][2]:
            notes.append(f"This map was drawn for {', '.join(MAPS[name][2])}, not for "
                         f"{data.base}.")
    named = set(data.values) | set(data.ranges)
    off = sorted(named - drawing.on_drawing)
    if off:
        notes.append(f"{len(off)} reaction(s) of this result are not on this drawing; the "
                     "reaction table lists them all.")
    return drawing


def table(data: FluxData, drawing: Drawing) -> tuple[str, list[str], list[list[str]]]:
    """(title, header, rows) of the reactions the result names, largest first."""
    def on(rid: str) -> str:
        return "yes" if rid in drawing.on_drawing else "no"

    if data.kind == "diff":
        assert data.pair is not None
        a, b = data.pair
        rows = [[rid, drawing.names.get(rid, ""), fmt(a.value(rid)), fmt(b.value(rid)),
                 signed(data.value(rid)), on(rid)]
                for rid in sorted(data.values, key=lambda r: (-abs(data.value(r)), r))]
        return (f"Reactions whose flux differs ({len(rows)})",
                ["Reaction", "Name", f"Event {a.seq}", f"Event {b.seq}", "Difference",
                 "On drawing"], rows)
    if data.kind == "ranges":
        rows = [[rid, drawing.names.get(rid, ""), fmt(lo), fmt(hi), on(rid)]
                for rid, (lo, hi) in sorted(data.ranges.items(),
                                            key=lambda kv: (-magnitude(data, kv[0]), kv[0]))]
        return (f"Flux ranges ({len(rows)} reactions)",
                ["Reaction", "Name", "Minimum", "Maximum", "On drawing"], rows)
    rows = []
    for rid in sorted(data.values, key=lambda r: (-abs(data.value(r)), r)):
        lo, hi = data.ranges.get(rid, (None, None))
        span = f"[{fmt(lo)}, {fmt(hi)}]" if lo is not None and hi is not None else ""
        rows.append([rid, drawing.names.get(rid, ""), fmt(data.value(rid)), span, on(rid)])
    return (f"Reactions carrying flux ({len(rows)})",
            ["Reaction", "Name", "Flux", "Range at the optimum", "On drawing"], rows)
