"""Provenance: what a number was computed from (model + hash, medium, changes, solver, versions).

A result's provenance is enough to rebuild the model and repeat the call: the base model's
content hash, the session's changes in order, the medium and conditions actually used, the
solver and the versions of cobrapy, optlang and the solver library.
"""

from __future__ import annotations

import platform
from functools import lru_cache
from importlib import metadata
from typing import Any

from fluxagent.tools.conditions import medium_of
from fluxagent.tools.models import build_info
from fluxagent.tools.results import Provenance
from fluxagent.tools.solver import fallback, solver_of

__all__ = ["provenance", "solver_of", "versions"]


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """Versions of the libraries a number depends on."""
    out = {"python": platform.python_version()}
    for dist in ("fluxagent", "cobra", "optlang", "swiglpk", "highspy"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    try:
        import swiglpk

        out["glpk"] = str(swiglpk.glp_version())
    except Exception:
        pass
    return out


def provenance(model: Any, *, parameters: dict[str, Any] | None = None,
               applied: dict[str, Any] | None = None) -> Provenance:
    """Provenance of a result computed on ``model`` (call inside the ``with model:`` block,
    so the medium recorded is the one the analysis used)."""
    info = build_info(model)
    medium = (applied or {}).get("medium")
    if medium is None:
        medium = {k: float(v) for k, v in sorted(medium_of(model).items())}
    params = dict(parameters or {})
    if applied is not None and applied.get("conditions"):
        params.setdefault("conditions", applied["conditions"])
    if (note := fallback(model)) is not None:
        params["solver_fallback"] = note
    return Provenance(
        model_id=info.name if info else getattr(model, "id", None),
        model_hash=info.model_hash if info else None,
        medium=medium,
        changes=list(info.changes) if info else [],
        solver=solver_of(model),
        versions=versions(),
        parameters=params | ({"base": info.base} if info else {}),
    )
