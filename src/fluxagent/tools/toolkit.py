"""Small helpers every cobrapy tool shares: argument bases, optimisation status, tables, limits.

Tool modules stay short and uniform: take ``ModelArgs``/``AnalysisArgs``, get the model with
``ctx.model``, apply ``Conditions`` inside ``with model:``, optimise through ``optimize`` (which
turns solver states into the agreed error kinds, ``tools/solver.py``), write tables with
``put_table``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import time
from collections.abc import Iterable, Sequence
from typing import Any

import cobra
from pydantic import BaseModel, ConfigDict, Field

from fluxagent.tools.conditions import Conditions, medium_of
from fluxagent.tools.registry import ToolContext
from fluxagent.tools.results import ArtifactRef, ToolFailure
from fluxagent.tools.solver import cold_start, optimize

__all__ = ["cold_start", "optimize"]  # re-exported: tools import them from here

#: |flux| below this is reported as zero.
FLUX_EPS = 1e-9


class ModelArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str | None = Field(default=None, description="Model name; default: the session's "
                              "current model, else e_coli_core.")


class AnalysisArgs(ModelArgs):
    conditions: Conditions | None = Field(default=None, description="Conditions for this "
                                          "call only (medium, carbon source, oxygen, bounds, "
                                          "knockouts).")


def fmt(x: float | None, digits: int = 6) -> str:
    """A number for a summary: 0.873922, 1.2e-07, nan."""
    if x is None:
        return "n/a"
    if isinstance(x, float) and math.isnan(x):
        return "nan"
    if x == 0:
        return "0"
    if abs(x) < 1e-4 or abs(x) >= 1e6:
        return f"{x:.3g}"
    return f"{round(x, digits):g}" if abs(x) >= 1 else f"{x:.{digits}f}".rstrip("0").rstrip(".")


def clean(x: float, eps: float = FLUX_EPS) -> float:
    """Round solver noise: -0.0 and 1e-12 become 0.0."""
    return 0.0 if abs(x) < eps else float(x)


def is_biomass(rxn: cobra.Reaction) -> bool:
    text = f"{rxn.id} {rxn.name}".lower()
    return ("biomass" in text or "growth" in text
            or rxn.annotation.get("sbo") == "SBO:0000629")


def objective_coefficients(model: cobra.Model) -> dict[str, float]:
    """{reaction id: coefficient} of a linear objective, read from the solver's expression.

    Same as cobrapy's ``linear_reaction_coefficients`` but without a pass over every reaction
    (which costs ~0.1 s per call on iJO1366).
    """
    out: dict[str, float] = {}
    for var, coef in model.solver.objective.expression.as_coefficients_dict().items():
        name = getattr(var, "name", None)
        if isinstance(name, str) and coef != 0 and name in model.reactions:
            out[name] = float(coef)
    return out


def objective_reactions(model: cobra.Model) -> list[str]:
    return list(objective_coefficients(model))


def require_objective(model: cobra.Model) -> list[str]:
    """The objective's reactions, or ToolFailure if the model has none."""
    rxns = objective_reactions(model)
    if not rxns:
        raise ToolFailure("bad_arguments", f"{model.id} has no objective",
                          hint="set one with set_objective(reaction=...) (usually the "
                          "biomass reaction)")
    return rxns


def biomass_objective(model: cobra.Model) -> str | None:
    """The objective reaction when it is a single biomass reaction (its value is growth)."""
    rxns = objective_reactions(model)
    if len(rxns) == 1 and is_biomass(model.reactions.get_by_id(rxns[0])):
        return rxns[0]
    return None


def find_biomass(model: cobra.Model) -> str | None:
    """The objective biomass reaction, else the only reaction that looks like biomass."""
    rid = biomass_objective(model)
    if rid:
        return rid
    cands = [r.id for r in model.reactions if is_biomass(r) and not r.boundary]
    return cands[0] if len(cands) == 1 else None


def infeasible_hint(model: cobra.Model) -> str:
    """Why a model may have no feasible flux: its uptakes and forced reactions."""
    medium = medium_of(model)
    uptakes = ", ".join(f"{k} ≤ {v:g}" for k, v in sorted(medium.items())[:12]) or "none"
    forced = [f"{r.id} ≥ {r.lower_bound:g}" for r in model.reactions
              if r.lower_bound > 0 and not r.boundary][:5]
    hint = f"open uptakes: {uptakes}"
    if forced:
        hint += f"; forced fluxes: {', '.join(forced)} (they must be met)"
    if not any(k for k in medium if "o2" in k.lower()):
        hint += "; no oxygen uptake"
    return hint


def require_feasible(model: cobra.Model, what: str, *, cold: bool = False) -> float:
    """The optimum, or ToolFailure('infeasible') with the medium as hint (``cold``: see
    ``tools/solver.py``)."""
    status, value = optimize(model, cold=cold)
    if status != "optimal":
        raise ToolFailure("infeasible", f"{what}: the model has no feasible solution under "
                          "these conditions", hint=infeasible_hint(model))
    return value


class Deadline:
    """The tool time limit (settings.tool_time_limit_s)."""

    def __init__(self, ctx: ToolContext, what: str, hint: str) -> None:
        self.limit = float(ctx.settings.tool_time_limit_s)
        self.start = time.monotonic()
        self.what, self.hint = what, hint

    @property
    def remaining(self) -> float:
        return self.limit - (time.monotonic() - self.start)

    def check(self) -> None:
        if self.remaining <= 0:
            raise self.failure()

    def failure(self) -> ToolFailure:
        return ToolFailure("timeout", f"{self.what} exceeded the time limit of "
                           f"{self.limit:g} s", hint=self.hint)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (";".join(v) if isinstance(v, list | tuple) else v)
                         for k, v in row.items()})
    return buf.getvalue().encode()


def put_table(ctx: ToolContext, name: str, rows: Sequence[dict[str, Any]],
              columns: Sequence[str]) -> list[ArtifactRef]:
    """Store a table as CSV in the artifact store (nothing when there is none)."""
    if ctx.artifacts is None:
        return []
    return [ctx.artifacts.put(f"{name}.csv", to_csv(rows, columns), "text/csv")]


def put_json(ctx: ToolContext, name: str, payload: Any) -> list[ArtifactRef]:
    if ctx.artifacts is None:
        return []
    body = json.dumps(payload, indent=1, sort_keys=True, default=str).encode()
    return [ctx.artifacts.put(f"{name}.json", body, "application/json")]


def listing(items: Iterable[str], limit: int = 12) -> str:
    items = list(items)
    more = f", … (+{len(items) - limit} more)" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more
