"""How a tool solves an LP and reads the solver's status.

Two rules every cobrapy tool follows through ``optimize``:

- **Honest statuses.** Only ``optimal``, ``infeasible`` and ``unbounded`` are answers about the
  model. Anything else (``undefined``, ``check_original``, ``feasible``, a time or iteration
  limit, numerical trouble, an exception inside the solver) says nothing about the organism:
  the LP is solved once more on the other solver (GLPK <-> HiGHS) and, if that does not settle
  it either, the tool ends with a ``solver_error``, never with "cannot grow".
- **Cold starts where a flux vector is reported.** At an optimum the fluxes are often not
  unique, and GLPK's simplex returns the vertex it reaches from its starting basis; a pooled
  model instance keeps the basis of whatever was solved on it before. ``optimize(model,
  cold=True)`` starts from the standard basis, as a freshly loaded model does, so the vector is
  the one a fresh process's ``model.optimize()`` gives (HiGHS starts cold on every solve).
  The optimal basis a cold start reached is remembered per exact LP (``BASES``: the model's
  content hash and changes, and every bound and objective coefficient in GLPK): the same LP
  asked again starts from that basis, which is already optimal, so it returns the same vertex
  in the time of a warm solve instead of a cold one. The first cold solve, too, reports that
  basis's solution on a fresh factorization (one more warm solve), not the cold simplex's
  last updated one: the same LP then gives the same floats on its first and every later ask,
  in any process (FVA and deletion screens prepare their jobs on it: tools/chunks.py).
"""

from __future__ import annotations

import hashlib
import math
import threading
from array import array
from collections import OrderedDict
from functools import partial
from typing import Any

import cobra
from cobra.util import get_context
from cobra.util.solver import check_solver

from fluxagent.tools.results import ToolFailure

#: Statuses that are answers about the model.
DEFINITE = ("optimal", "infeasible", "unbounded")
#: The solver tried when the configured one gives no answer (optlang interface names).
OTHER_SOLVER = {"glpk": "hybrid", "hybrid": "glpk", "glpk_exact": "hybrid", "scipy": "glpk"}
#: Attribute of a model that records a fallback (read by provenance; reset with the context).
FALLBACK_ATTR = "_fluxagent_solver_fallback"


def solver_of(model: Any) -> str:
    """The optlang interface of a model's solver: glpk, hybrid (HiGHS), scipy, ..."""
    module = type(model.solver).__module__.rsplit(".", 1)[-1]
    return module.removesuffix("_interface")


def cold_start(model: cobra.Model) -> None:
    """Make the next LP start from the standard basis, as on a freshly loaded model.

    Results that depend on which optimal vertex the solver returns (FBA fluxes, CycleFreeFlux,
    sampler warm-up points) are then independent of what was solved before on this instance.
    """
    problem = getattr(model.solver, "problem", None)
    if type(model.solver).__module__.endswith("glpk_interface") and problem is not None:
        import swiglpk

        swiglpk.glp_std_basis(problem)


#: Optimal bases reached from a cold start, per exact LP (see the module docstring).
BASES: OrderedDict[bytes, tuple[array[int], array[int]]] = OrderedDict()
_BASES_MAX = 256
_BASES_LOCK = threading.Lock()


def lp_key(model: cobra.Model) -> bytes | None:
    """A digest of everything but the matrix of a GLPK LP, plus what fixes the matrix (the
    model's content hash, changes, rows and columns); None when the model has no BuildInfo or
    is not on GLPK."""
    if not type(model.solver).__module__.endswith("glpk_interface"):
        return None
    info = getattr(model, "_fluxagent", None)
    if info is None or not getattr(info, "model_hash", None):
        return None
    import swiglpk as g

    p = model.solver.problem
    n, m = g.glp_get_num_cols(p), g.glp_get_num_rows(p)
    h = hashlib.blake2b(repr((info.model_hash, info.changes, n, m,
                              g.glp_get_obj_dir(p))).encode(), digest_size=20)
    cols = array("d", (x for j in range(1, n + 1) for x in (
        g.glp_get_col_type(p, j), g.glp_get_col_lb(p, j), g.glp_get_col_ub(p, j),
        g.glp_get_obj_coef(p, j))))
    rows = array("d", (x for i in range(1, m + 1) for x in (
        g.glp_get_row_type(p, i), g.glp_get_row_lb(p, i), g.glp_get_row_ub(p, i))))
    h.update(cols.tobytes())
    h.update(rows.tobytes())
    return h.digest()


def _remember(model: cobra.Model, key: bytes) -> None:
    import swiglpk as g

    p = model.solver.problem
    basis = (array("i", (g.glp_get_row_stat(p, i) for i in range(1, g.glp_get_num_rows(p) + 1))),
             array("i", (g.glp_get_col_stat(p, j) for j in range(1, g.glp_get_num_cols(p) + 1))))
    with _BASES_LOCK:
        BASES[key] = basis
        BASES.move_to_end(key)
        while len(BASES) > _BASES_MAX:
            BASES.popitem(last=False)


def _restore(model: cobra.Model, key: bytes) -> bool:
    import swiglpk as g

    with _BASES_LOCK:
        basis = BASES.get(key)
    if basis is None:
        return False
    p = model.solver.problem
    rows, cols = basis
    for i, stat in enumerate(rows, 1):
        g.glp_set_row_stat(p, i, stat)
    for j, stat in enumerate(cols, 1):
        g.glp_set_col_stat(p, j, stat)
    return True


#: Attribute holding the lp_key of the LP just solved cold (reset with the context).
LP_KEY_ATTR = "_fluxagent_lp_key"


def solved_key(model: cobra.Model) -> bytes | None:
    """The ``lp_key`` of the LP the last cold ``optimize`` solved (valid until it changes)."""
    key = getattr(model, LP_KEY_ATTR, None)
    return key if isinstance(key, bytes) else None


def _keep(model: cobra.Model, attr: str, value: Any) -> None:
    """``setattr`` undone with the model's innermost context."""
    context = get_context(model)
    if context is not None:
        context(partial(setattr, model, attr, getattr(model, attr, None)))
    setattr(model, attr, value)


def _solve(model: cobra.Model, cold: bool) -> tuple[str, float]:
    key = lp_key(model) if cold else None
    if cold:
        _keep(model, LP_KEY_ATTR, key)
    if key is not None and _restore(model, key):
        status, value = _run(model)
        if status == "optimal":
            return status, value
    if cold:
        cold_start(model)
    status, value = _run(model)
    if key is not None and status == "optimal":
        _remember(model, key)
        # the value and the solution as a later ask computes them (the remembered basis on a
        # fresh factorization, not the cold simplex's updated one): the same floats either way
        if _restore(model, key):
            again = _run(model)
            if again[0] == "optimal":
                return again
    return status, value


def _run(model: cobra.Model) -> tuple[str, float]:
    try:
        value = model.slim_optimize(error_value=math.nan)
    except Exception as exc:  # solver crash, license, numerical failure
        return f"error ({type(exc).__name__}: {str(exc)[:200]})", math.nan
    status = str(model.solver.status)
    if status == "infeasible" and not proved_infeasible(model):
        status = "undefined (GLPK stopped at an infeasible basis without proving infeasibility)"
    return status, float(value)


def proved_infeasible(model: cobra.Model) -> bool:
    """False when GLPK's "infeasible" is only its last basis (GLP_INFEAS after an iteration
    limit or a numerical failure; optlang reports both as infeasible), True otherwise."""
    if not type(model.solver).__module__.endswith("glpk_interface"):
        return True
    import swiglpk

    problem = model.solver.problem
    if model.solver._glpk_is_mip():
        return swiglpk.glp_mip_status(problem) == swiglpk.GLP_NOFEAS
    return swiglpk.glp_get_status(problem) == swiglpk.GLP_NOFEAS


def fallback(model: cobra.Model) -> str | None:
    """What was solved on the other solver in this call, if anything (for provenance)."""
    note = getattr(model, FALLBACK_ATTR, None)
    return note if isinstance(note, str) else None


def switch_to_other_solver(model: cobra.Model, reason: str) -> str | None:
    """Move ``model`` to a clone of its LP on the other solver, until the caller's ``with
    model:`` block ends; the other solver's name, or None when there is none.

    The original solver object comes back as it was: cobra's own ``model.solver = ...`` would
    be undone by cloning the LP back, losing the original's configuration (and optlang's clone
    turns HiGHS's "no time limit" into GLPK's "stop at once").
    """
    current = solver_of(model)
    other = OTHER_SOLVER.get(current)
    context = get_context(model)
    if other is None or context is None:  # outside a context the switch could not be undone
        return None
    try:
        interface = check_solver(other)
        clone = interface.Model.clone(model.solver)
        if other == "glpk" and clone.configuration.timeout == 0:
            clone.configuration.timeout = None
    except Exception:
        return None
    context(partial(setattr, model, "_solver", model._solver))
    context(partial(setattr, model, FALLBACK_ATTR, getattr(model, FALLBACK_ATTR, None)))
    model._solver = clone
    setattr(model, FALLBACK_ATTR, f"{current} reported {reason}; solved with {other}")
    return other


def optimize(model: cobra.Model, *, cold: bool = False) -> tuple[str, float]:
    """(status, objective value): ``("optimal", v)`` or ``("infeasible", 0.0)``.

    ``cold=True`` where the caller reports the solution's fluxes (see the module docstring).
    Unbounded is a ToolFailure("unbounded"); a status that is no answer is retried once on the
    other solver, then a ToolFailure("solver_error") naming both statuses.
    """
    status, value = _solve(model, cold)
    if status not in DEFINITE:
        first = f"{solver_of(model)} reported {status}"
        other = switch_to_other_solver(model, status)
        second = ""
        if other is not None:
            status, value = _solve(model, True)
            second = f"; {other} reported {status}"
        if status not in DEFINITE:
            raise ToolFailure(
                "solver_error", f"the LP solver gave no answer: {first}{second}",
                hint="numerical trouble or a solver limit, not a property of the model: check "
                "for extreme bounds or coefficients, or set FLUXAGENT_SOLVER")
    if status == "unbounded":
        raise ToolFailure("unbounded", "the objective is unbounded",
                          hint="an uptake or reaction has an infinite bound; set finite "
                          "bounds (set_bounds) or close the uptake")
    if status == "infeasible":
        return "infeasible", 0.0
    return "optimal", value
