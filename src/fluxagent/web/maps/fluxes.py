"""The fluxes a map draws, read from a session's stored tool results (never recomputed).

A flux result (``run_fba``, ``run_pfba``, ``run_moma``) stores every non-zero flux in
``data["fluxes"]`` (solver noise removed), so a reaction it does not name carried no flux.
``run_fba`` may add ``data["flux_ranges"]``: the range at the optimum of the reactions it was
asked about and of the exchanges its summary names. An FVA result (``run_fva``) stores a
[minimum, maximum] row per analysed reaction in ``data["ranges"]``; reactions it did not
analyse have no range. A difference is one flux result minus another, reaction by reaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from fluxagent.core.events import Event, Thread

FLUX_TOOLS = ("run_fba", "run_pfba", "run_moma")
RANGE_TOOLS = ("run_fva",)
#: Knockout results report growth only, not a flux vector.
KNOCKOUT_TOOLS = ("knockout_genes", "knockout_reactions")
#: A range narrower than this (mmol/gDW/h) is one value (as tools/cobra/fba.py UNIQUE_TOL).
POINT_TOL = 1e-6
#: A difference smaller than this is no difference (the tools' solver-noise threshold).
NOISE = 1e-9


class MapError(LookupError):
    """A map that cannot be drawn from what was asked (one line for people)."""


@dataclass(frozen=True)
class FluxData:
    """What one map shows: fluxes, ranges, or the difference of two flux results."""

    kind: Literal["fluxes", "ranges", "diff"]
    session_id: str
    seq: int
    tool: str
    summary: str
    provenance: dict[str, Any]
    args: dict[str, Any]
    #: fluxes (kind fluxes), this result minus the other (kind diff); empty for ranges
    values: dict[str, float] = field(default_factory=dict)
    #: [min, max] per reaction (an FVA, or the ranges an FBA reported)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    status: str = "optimal"
    #: kind diff: the two flux results (this one, the reference)
    pair: tuple[FluxData, FluxData] | None = None

    def value(self, rid: str) -> float:
        """The flux (or difference) of a reaction: 0.0 where the result names none."""
        return self.values.get(rid, 0.0)

    @property
    def model(self) -> str:
        return str(self.provenance.get("model_id") or "")

    @property
    def base(self) -> str:
        params = self.provenance.get("parameters") or {}
        return str(params.get("base") or self.model)


def mapped_results(thread: Thread) -> list[Event]:
    """The session's results a map can be drawn for, in order."""
    return [ev for ev in thread.events if ev.type == "tool_result"
            and ev.data.get("tool") in (*FLUX_TOOLS, *RANGE_TOOLS)]


def _choices(thread: Thread) -> str:
    found = [f"{ev.seq} ({ev.data.get('tool')})" for ev in mapped_results(thread)]
    return ("results with a map in this session: " + ", ".join(found)) if found else (
        "this session has no FBA, pFBA, MOMA or FVA result yet")


def _call_args(thread: Thread, call_id: str | None) -> dict[str, Any]:
    for ev in thread.events:
        if ev.type == "tool_call" and ev.call_id == call_id:
            args = ev.data.get("args")
            return dict(args) if isinstance(args, dict) else {}
    return {}


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        return None
    return float(v)


def _fva_ranges(rows: Any) -> dict[str, tuple[float, float]]:
    out = {}
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        lo, hi = _number(row.get("minimum")), _number(row.get("maximum"))
        if lo is not None and hi is not None:
            out[str(row.get("id"))] = (lo, hi)
    return out


def _pairs(raw: Any) -> dict[str, tuple[float, float]]:
    out = {}
    for rid, pair in (raw.items() if isinstance(raw, dict) else ()):
        if isinstance(pair, list | tuple) and len(pair) == 2:
            lo, hi = _number(pair[0]), _number(pair[1])
            if lo is not None and hi is not None:
                out[str(rid)] = (lo, hi)
    return out


def flux_data(thread: Thread, seq: int) -> FluxData:
    """The map data of the result stored at event ``seq``; MapError says why there is none."""
    if not 0 <= seq < len(thread):
        raise MapError(f"session {thread.session_id} has no event {seq} (it has "
                       f"{len(thread)}); {_choices(thread)}")
    ev = thread[seq]
    tool = str(ev.data.get("tool", ""))
    if ev.type != "tool_result":
        raise MapError(f"event {seq} is a {ev.type}, not a tool result; {_choices(thread)}")
    if tool not in (*FLUX_TOOLS, *RANGE_TOOLS):
        hint = (" (the fluxes of a knockout come from run_fba or run_pfba with the knockout "
                "in conditions.knockout_genes or conditions.knockout_reactions)"
                if tool in KNOCKOUT_TOOLS else "")
        raise MapError(f"event {seq} is a {tool} result, which carries no fluxes{hint}; maps "
                       f"are drawn for {', '.join((*FLUX_TOOLS, *RANGE_TOOLS))}; "
                       f"{_choices(thread)}")
    data = ev.data.get("data") or {}
    common: dict[str, Any] = {
        "session_id": thread.session_id, "seq": seq, "tool": tool,
        "summary": str(ev.data.get("summary", "")),
        "provenance": dict(ev.data.get("provenance") or {}),
        "args": _call_args(thread, ev.call_id), "status": str(data.get("status", "optimal"))}
    if tool in RANGE_TOOLS:
        return FluxData(kind="ranges", ranges=_fva_ranges(data.get("ranges")), **common)
    fluxes = {str(k): v for k, x in (data.get("fluxes") or {}).items()
              if (v := _number(x)) is not None}
    return FluxData(kind="fluxes", values=fluxes, ranges=_pairs(data.get("flux_ranges")),
                    **common)


def difference(this: FluxData, other: FluxData) -> FluxData:
    """``this`` minus ``other``, reaction by reaction (both must be flux results)."""
    for d in (this, other):
        if d.kind != "fluxes":
            raise MapError(f"event {d.seq} is an FVA ({d.tool}) result; a difference is "
                           "drawn between two flux results (run_fba, run_pfba, run_moma)")
    if this.base != other.base:
        raise MapError(f"events {this.seq} and {other.seq} are results on different models "
                       f"({this.base}, {other.base}); a difference is drawn between two "
                       "results on the same model")
    ids = set(this.values) | set(other.values)
    delta = {rid: this.value(rid) - other.value(rid) for rid in sorted(ids)}
    return FluxData(kind="diff", session_id=this.session_id, seq=this.seq, tool=this.tool,
                    summary=this.summary, provenance=this.provenance, args=this.args,
                    values={k: v for k, v in delta.items() if abs(v) >= NOISE},
                    status=this.status, pair=(this, other))
