"""Escher maps (schema 1-0-0) as plain data: reactions with their segments, nodes, labels.

The maps ship in ``fluxagent/data/escher`` (MIT, see the NOTICE there). A map is chosen by the
base model a result was computed on; a model with no map gets the subsystem drawing instead.
``MAP_ALIASES`` names map reactions that a bundled model spells differently (cobrapy's
``textbook`` calls BiGG's ``BIOMASS_Ecoli_core_w_GAM`` ``Biomass_Ecoli_core``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

#: Map name -> (file in fluxagent/data/escher, title, base models it is drawn for).
MAPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "e_coli_core": ("e_coli_core.core_metabolism.json", "E. coli core metabolism (Escher)",
                    ("e_coli_core",)),
    "iJO1366": ("iJO1366.central_metabolism.json", "iJO1366 central metabolism (Escher)",
                ("iJO1366",)),
}
#: Map reaction id -> the id the bundled model uses for the same reaction.
MAP_ALIASES: dict[str, dict[str, str]] = {
    "e_coli_core": {"BIOMASS_Ecoli_core_w_GAM": "Biomass_Ecoli_core"},
}


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # metabolite, midmarker, multimarker
    at: Point
    bigg_id: str = ""
    name: str = ""
    primary: bool = False
    label: Point | None = None


@dataclass(frozen=True)
class Segment:
    start: str  # node ids
    end: str
    b1: Point | None
    b2: Point | None


@dataclass(frozen=True)
class MapReaction:
    id: str  # the model's reaction id (after MAP_ALIASES)
    map_id: str  # the id written on the map
    name: str
    reversible: bool
    label: Point
    segments: tuple[Segment, ...]
    coefficients: dict[str, float]  # metabolite bigg id -> stoichiometric coefficient


@dataclass(frozen=True)
class TextLabel:
    text: str
    at: Point


@dataclass(frozen=True)
class EscherMap:
    name: str
    title: str
    canvas: tuple[float, float, float, float]  # x, y, width, height
    nodes: dict[str, Node]
    reactions: tuple[MapReaction, ...]
    texts: tuple[TextLabel, ...]

    def reaction_ids(self) -> set[str]:
        return {r.id for r in self.reactions}


def _point(raw: Any) -> Point | None:
    if not isinstance(raw, dict) or raw.get("x") is None or raw.get("y") is None:
        return None
    return Point(float(raw["x"]), float(raw["y"]))


def parse_map(name: str, title: str, doc: Any, aliases: dict[str, str] | None = None
              ) -> EscherMap:
    """An Escher map document (``[header, body]``) as an EscherMap; ValueError if it is not one."""
    if not (isinstance(doc, list) and len(doc) == 2 and isinstance(doc[1], dict)):
        raise ValueError(f"map {name}: not an Escher map ([header, body] expected)")
    body = doc[1]
    aliases = aliases or {}
    nodes = {}
    for nid, raw in (body.get("nodes") or {}).items():
        at = _point(raw)
        if at is None:
            continue
        nodes[str(nid)] = Node(id=str(nid), kind=str(raw.get("node_type", "")), at=at,
                               bigg_id=str(raw.get("bigg_id", "")),
                               name=str(raw.get("name", "")),
                               primary=bool(raw.get("node_is_primary", False)),
                               label=_point({"x": raw.get("label_x"), "y": raw.get("label_y")}))
    reactions = []
    for raw in (body.get("reactions") or {}).values():
        segments = tuple(Segment(str(s["from_node_id"]), str(s["to_node_id"]), _point(s.get("b1")),
                                 _point(s.get("b2")))
                         for s in (raw.get("segments") or {}).values()
                         if str(s.get("from_node_id")) in nodes
                         and str(s.get("to_node_id")) in nodes)
        label = _point({"x": raw.get("label_x"), "y": raw.get("label_y")}) or Point(0, 0)
        map_id = str(raw.get("bigg_id", ""))
        reactions.append(MapReaction(
            id=aliases.get(map_id, map_id), map_id=map_id, name=str(raw.get("name", "")),
            reversible=bool(raw.get("reversibility", False)), label=label, segments=segments,
            coefficients={str(m["bigg_id"]): float(m["coefficient"])
                          for m in raw.get("metabolites") or []}))
    texts = tuple(TextLabel(str(t.get("text", "")), p) for t in
                  (body.get("text_labels") or {}).values() if (p := _point(t)) is not None)
    c = body.get("canvas") or {}
    canvas = (float(c.get("x", 0)), float(c.get("y", 0)), float(c.get("width", 1000)),
              float(c.get("height", 1000)))
    return EscherMap(name, title, canvas, nodes, tuple(reactions), texts)


@cache
def load_map(name: str) -> EscherMap:
    """A shipped map by name (parsed once per process)."""
    if name not in MAPS:
        raise KeyError(f"no map named {name!r}; maps: {', '.join(MAPS)}")
    file, title, _models = MAPS[name]
    text = (resources.files("fluxagent") / "data" / "escher" / file).read_text(encoding="utf-8")
    return parse_map(name, title, json.loads(text), MAP_ALIASES.get(name))


def map_for(base: str | None) -> str | None:
    """The shipped map drawn for a base model (None: the model has no map)."""
    for name, (_file, _title, models) in MAPS.items():
        if base in models:
            return name
    return None
