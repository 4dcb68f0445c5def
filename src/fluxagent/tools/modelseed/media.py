"""The ModelSEED media library (390 KBase/Biolog media) and the medium argument of the tools.

A medium is a set of ModelSEED compounds with a maximum uptake each. In the library file a
compound is ``cpd;minFlux;maxFlux;concentration`` in the KBase convention: maxFlux is the
largest uptake, -minFlux the largest excretion. ``Complete`` lists no compound and means every
exchange open (uptake 100), as KBase treats it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field

from fluxagent.tools.modelseed._common import MEDIA_FILE, close_names, versions
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import Provenance, ToolFailure, ToolResult

COMPLETE_UPTAKE = 100.0
#: Presets on top of the library: glucose minimal medium as in the shipped data's README
#: ("glc_min": the compounds of Carbon-D-Glucose-Palsson, glucose 10, O2 20, the rest 100).
PRESETS: dict[str, tuple[str, dict[str, float], str]] = {
    "glucose_minimal": ("Carbon-D-Glucose-Palsson", {"cpd00027": 10.0, "cpd00007": 20.0},
                        "Carbon-D-Glucose-Palsson with glucose 10, O2 20 and every other "
                        "compound 100 mmol/gDW/h (aerobic glucose minimal medium)"),
}
_PRESET_ALIASES = {"glc_min": "glucose_minimal", "glucose minimal": "glucose_minimal",
                   "minimal glucose": "glucose_minimal", "glucose_min": "glucose_minimal"}
_CPD = re.compile(r"^(?:EX_)?(cpd\d{5})(?:_[a-z]\d*|\[[a-z]\d*\])?$")


@dataclass(frozen=True)
class Medium:
    """A resolved medium in ModelSEED ids: compound -> max uptake (mmol/gDW/h)."""

    name: str
    uptake: dict[str, float]
    complete: bool = False
    info: dict[str, Any] = field(default_factory=dict)

    def exchange_medium(self, compartment: str = "e0") -> dict[str, float]:
        """The medium as {exchange id: max uptake} for a ModelSEED model."""
        return {f"EX_{c}_{compartment}": u for c, u in self.uptake.items()}

    def apply(self, model: Any) -> list[str]:
        """Close every exchange, then open the medium's; returns compounds with no exchange."""
        exchanges = {_base(next(iter(r.metabolites)).id): r for r in model.exchanges
                     if len(r.metabolites) == 1}
        for rxn in model.exchanges:
            if self.complete:
                rxn.lower_bound = -COMPLETE_UPTAKE
            elif rxn.lower_bound < 0:
                rxn.lower_bound = 0.0
        missing = []
        for cpd, value in self.uptake.items():
            rxn = exchanges.get(cpd)
            if rxn is None:
                missing.append(cpd)
            else:
                rxn.lower_bound = -value
        return missing

    def msmedia(self) -> Any:
        """The same medium as a modelseedpy MSMedia (for MSGapfill)."""
        from fluxagent.tools.modelseed._common import modelseedpy

        media = modelseedpy().MSMedia.from_dict(dict(self.uptake))
        media.id = re.sub(r"\W+", "_", self.name) or "medium"
        media.name = "Complete" if self.complete else media.id
        return media


def _base(met_id: str) -> str:
    return re.sub(r"_[a-z]\d*$", "", met_id)


@dataclass(frozen=True)
class LibraryMedium:
    name: str
    ref: str
    defined: bool
    minimal: bool
    type: str
    compounds: tuple[tuple[str, float, float, float], ...]  # cpd, max uptake, max excretion, conc


@lru_cache(maxsize=1)
def library() -> dict[str, LibraryMedium]:
    out: dict[str, LibraryMedium] = {}
    with MEDIA_FILE.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 5 or not cols[0]:
                continue
            cpds = []
            for field_ in cols[5:]:
                parts = field_.split(";")
                if len(parts) == 4 and parts[0]:
                    cpds.append((parts[0], float(parts[2]), -float(parts[1]), float(parts[3])))
            out[cols[0]] = LibraryMedium(cols[0], cols[1], cols[2] == "1", cols[3] == "1",
                                         cols[4], tuple(cpds))
    return out


def find_medium(name: str) -> LibraryMedium | None:
    lib = library()
    if name in lib:
        return lib[name]
    low = {k.lower(): v for k, v in lib.items()}
    return low.get(name.strip().lower())


def resolve_medium(spec: str | dict[str, float] | None, *, default: str = "glucose_minimal",
                   overrides: dict[str, float] | None = None, ctx: ToolContext | None = None
                   ) -> Medium:
    """A library name, a preset, or {compound (id, exchange id or name): max uptake}."""
    spec = default if spec is None else spec
    if isinstance(spec, dict):
        uptake = {_compound_id(k, ctx): float(v) for k, v in spec.items()}
        medium = Medium("custom", uptake)
    else:
        key = _PRESET_ALIASES.get(spec.strip().lower(), spec.strip())
        if key in PRESETS:
            lib_name, changes, desc = PRESETS[key]
            lib = library()[lib_name]
            uptake = {c: 100.0 for c, *_ in lib.compounds}
            uptake.update(changes)
            medium = Medium(key, uptake, info={"preset_of": lib_name, "description": desc})
        else:
            lm = find_medium(spec)
            if lm is None:
                raise ToolFailure("unknown_id", f"no medium named {spec!r} in the media library",
                                  hint="closest names: " + ", ".join(
                                      close_names(spec, [*library(), *PRESETS]))
                                  + "; list_media shows all 390")
            medium = Medium(lm.name, {c: up for c, up, _ex, _conc in lm.compounds},
                            complete=lm.name == "Complete" or (not lm.compounds
                                                               and lm.name != "Empty"))
    if overrides:
        uptake = dict(medium.uptake)
        uptake.update({_compound_id(k, ctx): float(v) for k, v in overrides.items()})
        medium = Medium(medium.name, uptake, medium.complete, {**medium.info,
                                                               "overrides": overrides})
    return medium


def _compound_id(key: str, ctx: ToolContext | None) -> str:
    """cpd00027, EX_cpd00027_e0, cpd00027_e0, or a name/alias looked up in the biochemistry."""
    m = _CPD.match(key.strip())
    if m:
        return m.group(1)
    if ctx is not None:
        from fluxagent.tools.modelseed.index import get_index

        hits = get_index(ctx.settings).search("compound", key, limit=1)
        if hits and hits[0][0].score >= 0.9:
            return hits[0][0].id
    raise ToolFailure("unknown_id", f"medium compound {key!r} is not a ModelSEED compound",
                      hint="use ModelSEED ids (cpd00027) or exchange ids (EX_cpd00027_e0); "
                      "lookup_compound finds the id of a name")


def _names(ctx: ToolContext, ids: list[str]) -> dict[str, str]:
    from fluxagent.tools.modelseed.index import get_index

    rows = get_index(ctx.settings).rows("compound", ids)
    return {i: rows[i]["name"] if i in rows else i for i in ids}


# ---------------------------------------------------------------------------------- tools
class ListMediaArgs(BaseModel):
    search: str | None = Field(None, description="Only media whose name contains this text "
                               "(case-insensitive), e.g. 'glucose', 'Nitrogen-'.")
    type: str | None = Field(None, description="Only this type: biolog, unknown, custom, ...")
    minimal: bool | None = Field(None, description="Only minimal (true) or rich (false) media.")
    limit: int = Field(400, ge=1, le=400)


@REGISTRY.tool("list_media", "List the 390 media of the ModelSEED media library (KBase/Biolog) "
               "by name, optionally filtered.", ListMediaArgs)
def list_media(args: ListMediaArgs, ctx: ToolContext) -> ToolResult:
    rows: list[dict[str, Any]] = []
    for m in library().values():
        if args.search and args.search.lower() not in m.name.lower():
            continue
        if args.type and m.type.lower() != args.type.lower():
            continue
        if args.minimal is not None and m.minimal != args.minimal:
            continue
        rows.append({"name": m.name, "type": m.type, "defined": m.defined,
                     "minimal": m.minimal, "compounds": len(m.compounds)})
    total = len(rows)
    rows = rows[:args.limit]
    presets = [{"name": k, "description": v[2]} for k, v in PRESETS.items()]
    shown = ", ".join(r["name"] for r in rows[:12])
    summary = (f"{total} media" + (f" matching {args.search!r}" if args.search else "")
               + f" in the ModelSEED library (of {len(library())}): {shown}"
               + (", ..." if total > 12 else "")
               + ". Preset: glucose_minimal (Carbon-D-Glucose-Palsson, glucose 10, O2 20).")
    return ToolResult(tool="list_media", summary=summary,
                      data={"media": rows, "total": total, "presets": presets},
                      provenance=Provenance(parameters=args.model_dump(), versions=versions()))


class GetMediaArgs(BaseModel):
    name: str = Field(..., description="Medium name from the library (e.g. "
                      "'Carbon-D-Glucose', 'LB', 'Complete') or the preset 'glucose_minimal'.")


@REGISTRY.tool("get_media", "Show one medium of the ModelSEED media library: its compounds with "
               "names, uptake and excretion limits.", GetMediaArgs)
def get_media(args: GetMediaArgs, ctx: ToolContext) -> ToolResult:
    medium = resolve_medium(args.name)
    lm = find_medium(medium.info.get("preset_of", medium.name))
    names = _names(ctx, list(medium.uptake))
    excretion = {c: ex for c, _up, ex, _conc in lm.compounds} if lm else {}
    conc = {c: cc for c, _up, _ex, cc in lm.compounds} if lm else {}
    compounds = [{"id": c, "name": names[c], "max_uptake": u,
                  "max_excretion": excretion.get(c, 100.0), "concentration": conc.get(c)}
                 for c, u in medium.uptake.items()]
    data: dict[str, Any] = {"name": medium.name, "compounds": compounds,
                            "medium": medium.exchange_medium(), "complete": medium.complete,
                            "names": {f"EX_{c}_e0": names[c] for c in medium.uptake}}
    if lm:
        data.update(ref=lm.ref, type=lm.type, defined=lm.defined, minimal=lm.minimal)
    data.update(medium.info)
    if medium.complete:
        summary = f"{medium.name}: no compound list; every exchange open (uptake 100)."
    else:
        listed = ", ".join(f"{names[c]} ({c}) {u:g}" for c, u in list(medium.uptake.items())[:25])
        summary = (f"{medium.name}: {len(compounds)} compounds, max uptake in mmol/gDW/h: "
                   f"{listed}" + (", ..." if len(compounds) > 25 else ""))
    return ToolResult(tool="get_media", summary=summary, data=data,
                      provenance=Provenance(parameters=args.model_dump(), versions=versions()))
