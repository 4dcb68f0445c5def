"""Flux-capacity checks of memote: metabolites that cannot be produced / consumed with open
exchanges, reactions with unbounded flux in the default condition.

memote solves one LP per metabolite through optlang, re-building the sink's coefficients and
re-scaling the problem each time. Here the problem gets one sink column per metabolite (all
fixed at 0), is scaled once, and each test opens one column and calls GLPK's simplex directly,
warm-started from the previous basis, which the unchanged matrix keeps valid. A metabolite of
an open exchange is produced and consumed through it, which settles it without an LP. The FVA
checks use the shared fast FVA engine.

A warm start is not always safe: in memote's own formulation of these LPs on iJO1366, GLPK's
primal simplex started from ``2agpe120_c``'s optimal basis diverges on ``2agpe140_c`` (an
infeasible basis, objective 3.6e18 after 4 s, no end in 10 min) while the same LP from a fresh
basis takes 0.08 s. So no LP here runs unbounded: the warm start gets an iteration limit
(``it_lim``, far above what a normal LP needs), past it the LP starts again from the standard
basis, then goes through optlang's sequence under a time limit; an LP without an answer after
that is reported as ``undecided`` (neither blocked nor not), never silently counted blocked.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import cobra
import numpy as np
import swiglpk
from optlang.symbolics import Zero

from fluxagent.tools.batch import choose_processes, run_tasks
from fluxagent.tools.cobra.fva import fva_ranges
from fluxagent.tools.cobra.fva_engine import glpk_problem, prepare_fva
from fluxagent.tools.cobra.glpk_lp import set_column
from fluxagent.tools.registry import ToolContext
from fluxagent.tools.toolkit import Deadline

#: memote's TOLERANCE_THRESHOLD (flux at a bound, blocked in the default condition).
TOL = 1e-7
#: The sink's bound: any positive maximum says "can be produced"; 1 (memote: 1000)
#: gives the same answer (the LP is convex and feasible with the sink closed) in ~50x fewer
#: simplex iterations.
SINK_UB = 1.0
#: Simplex iterations an LP may take per row + column of the problem: ~50,000 on iJO1366's
#: sink problem, where a cold solve of the FBA problem with open exchanges takes 1,804.
IT_PER_DIM = 5
#: Seconds optlang's sequence may take on an LP both simplex attempts left without an answer.
FALLBACK_TIMEOUT_S = 30


def guarded_simplex(problem: Any, base: Any) -> bool:
    """GLPK's simplex from the current basis under an iteration limit, then once more from the
    standard basis; True when it ends at an optimum (the basis is then that optimum's)."""
    smcp = swiglpk.glp_smcp()
    swiglpk.glp_init_smcp(smcp)
    for name in ("msg_lev", "meth", "tol_bnd", "tol_dj", "tol_piv", "presolve"):
        setattr(smcp, name, getattr(base, name))
    dims = swiglpk.glp_get_num_rows(problem) + swiglpk.glp_get_num_cols(problem)
    smcp.it_lim = max(10_000, IT_PER_DIM * dims)
    smcp.tm_lim = base.tm_lim
    for attempt in range(2):
        if attempt:
            swiglpk.glp_std_basis(problem)
        code = swiglpk.glp_simplex(problem, smcp)
        if code == 0 and swiglpk.glp_get_status(problem) == swiglpk.GLP_OPT:
            return True
    return False


def timed_optimize(model: cobra.Model) -> float:
    """optlang's full sequence (scaling, advanced basis, presolve) under FALLBACK_TIMEOUT_S;
    NaN when it ends without an optimum."""
    config = model.solver.configuration
    before = config.timeout
    config.timeout = FALLBACK_TIMEOUT_S if before is None else min(before, FALLBACK_TIMEOUT_S)
    try:
        return float(model.slim_optimize(error_value=float("nan")))
    finally:
        config.timeout = before


class SinkTask(NamedTuple):
    """Open the sink of ``met`` (column ``col`` on the raw GLPK path) in ``sign`` direction:
    -1 removes the metabolite (can it be produced?), +1 supplies it (can it be consumed?)."""

    met: str
    sign: int
    col: int | None


def _raw_step(model: cobra.Model, task: SinkTask, problem: Any) -> float:
    assert task.col is not None
    col = task.col
    swiglpk.glp_set_col_bnds(problem, col, swiglpk.GLP_DB, 0.0, SINK_UB)
    swiglpk.glp_set_obj_coef(problem, col, 1.0)
    try:
        if guarded_simplex(problem, model.solver.configuration._smcp):
            return float(swiglpk.glp_get_obj_val(problem))
    finally:
        swiglpk.glp_set_obj_coef(problem, col, 0.0)
        swiglpk.glp_set_col_bnds(problem, col, swiglpk.GLP_FX, 0.0, 0.0)
    return _optlang_step(model, task)


def _optlang_step(model: cobra.Model, task: SinkTask) -> float:
    """Through optlang's full sequence (scaling, fresh basis), as memote solves it."""
    var = model.variables[f"__sink_{task.sign}_{task.met}"]
    var.ub = SINK_UB
    model.objective = model.problem.Objective(var, direction="max")
    try:
        return timed_optimize(model)
    finally:
        var.ub = 0.0
        model.objective = model.problem.Objective(Zero, direction="max")


def sink_step(model: cobra.Model, task: SinkTask) -> float:
    """The largest sink flux of one metabolite (NaN: no optimum within the limits above; the
    LP is feasible and bounded, the sink at 0 being a solution, so NaN means undecided)."""
    problem = glpk_problem(model) if task.col is not None else None
    return _raw_step(model, task, problem) if problem is not None else _optlang_step(model, task)


def blocked_metabolites(model: cobra.Model, ctx: ToolContext, processes: int | None = None
                        ) -> dict[str, Any]:
    """memote's find_metabolites_not_produced_with_open_bounds and ..._not_consumed_...:
    every exchange set to (-1000, 1000), a sink of 0..1000 on one metabolite at a time, maximised;
    below the model's tolerance the metabolite is blocked. memote also counts "no optimum" as
    blocked; here such a metabolite (none on the bundled models) is listed as undecided."""
    tol = model.tolerance
    with model:
        exchanges = model.exchanges  # cobrapy classifies the boundary anew on each access
        for r in exchanges:
            r.bounds = (-1000.0, 1000.0)
        open_ex = {m.id for r in exchanges for m in r.metabolites}
        mets = [m.id for m in model.metabolites if m.id not in open_ex]
        prob = model.problem
        sinks = {(s, m): prob.Variable(f"__sink_{s}_{m}", lb=0.0, ub=0.0)
                 for s in (-1, 1) for m in mets}
        model.add_cons_vars(list(sinks.values()))
        model.solver.update()
        problem = glpk_problem(model)
        if problem is not None:  # one matrix entry per column, straight into GLPK (optlang
            swiglpk.glp_create_index(problem)  # reads coefficients back from the problem)
            for (s, m), var in sinks.items():
                set_column(problem, var._index, [(model.constraints[m]._index, float(s))])
        else:
            for (s, m), var in sinks.items():
                model.constraints[m].set_linear_coefficients({var: float(s)})
        model.objective = prob.Objective(Zero, direction="max")
        if problem is not None:
            model.solver.update()
            swiglpk.glp_scale_prob(problem, swiglpk.GLP_SF_AUTO)
        base = model.slim_optimize(error_value=float("nan"))
        if math.isnan(base):  # infeasible even without sinks: memote finds nothing solvable
            every = sorted(m.id for m in model.metabolites)
            return {"not_produced": every, "not_consumed": every}

        def col(name: str) -> int | None:
            return int(swiglpk.glp_find_col(problem, name)) if problem is not None else None

        tasks = [SinkTask(m, s, col(f"__sink_{s}_{m}")) for s in (-1, 1) for m in mets]
        procs = choose_processes(processes, ctx.settings.processes, len(tasks),
                                 len(model.reactions))
        deadline = Deadline(ctx, f"production/consumption tests of {len(mets)} metabolites",
                            hint="raise FLUXAGENT_TOOL_TIME_LIMIT_S or processes")
        values = run_tasks(model, sink_step, tasks, processes=procs, progress=ctx.progress,
                           deadline=deadline, label="metabolite sinks", contiguous=True)
    blocked = {(t.sign, t.met) for t, v in zip(tasks, values, strict=True) if v < tol}
    undecided = {(t.sign, t.met) for t, v in zip(tasks, values, strict=True) if math.isnan(v)}
    return {"not_produced": sorted(m for s, m in blocked if s == -1),
            "not_consumed": sorted(m for s, m in blocked if s == 1),
            "undecided": {"production": sorted(m for s, m in undecided if s == -1),
                          "consumption": sorted(m for s, m in undecided if s == 1)}}


def _prim(problem: Any, cols: dict[str, tuple[int, int]]) -> dict[str, float]:
    get = swiglpk.glp_get_col_prim
    return {rid: get(problem, f) - get(problem, r) for rid, (f, r) in cols.items()}


def blocked_open_reactions(model: cobra.Model, ctx: ToolContext) -> dict[str, Any]:
    """cobrapy's find_blocked_reactions(open_exchanges=True) (memote's test_blocked_reactions),
    with two shortcuts that leave the set unchanged: a reaction carrying flux in any solution
    met on the way is not blocked (no LP of its own), and while testing a reaction its flux is
    limited to [-1, 1] (a solution with it at 0 exists, the FBA optimum, so it can carry flux
    iff it can carry some within [-1, 1]; far fewer simplex iterations than up to 1000).
    ``undecided``: reactions whose LPs got no optimum within the limits (module docstring)."""
    tol = model.tolerance
    deadline = Deadline(ctx, "blocked reactions with open exchanges",
                        hint="raise FLUXAGENT_TOOL_TIME_LIMIT_S")
    with model:
        for r in model.exchanges:
            r.bounds = (min(r.lower_bound, -1000.0), max(r.upper_bound, 1000.0))
        _, flux = prepare_fva(model, 0.0)
        problem = glpk_problem(model)
        if problem is None:  # another solver: cobrapy's own path through the FVA engine
            from fluxagent.tools.cobra.validation import blocked_reactions
            return {"reactions": blocked_reactions(model, None, True, ctx, None),
                    "tested": len(model.reactions), "undecided": []}
        cols = {r.id: (r.forward_variable._index, r.reverse_variable._index)
                for r in model.reactions}
        todo = [r.id for r in model.reactions if abs(flux.get(r.id, 0.0)) < tol]
        live: set[str] = set()
        blocked: list[str] = []
        undecided: list[str] = []
        smcp = model.solver.configuration._smcp
        for n, rid in enumerate(todo):
            if rid in live:
                continue
            if n % 50 == 0:
                deadline.check()
                ctx.progress(n / len(todo), f"blocked reactions: {n}/{len(todo)}")
            rxn = model.reactions.get_by_id(rid)
            fwd, rev = cols[rid]
            lb, ub = rxn.lower_bound, rxn.upper_bound
            rxn.bounds = (max(lb, -1.0), min(ub, 1.0))
            extreme = 0.0
            for sense in (1.0, -1.0):
                swiglpk.glp_set_obj_dir(problem, swiglpk.GLP_MAX)
                swiglpk.glp_set_obj_coef(problem, fwd, sense)
                swiglpk.glp_set_obj_coef(problem, rev, -sense)
                solved = guarded_simplex(problem, smcp)
                swiglpk.glp_set_obj_coef(problem, fwd, 0.0)
                swiglpk.glp_set_obj_coef(problem, rev, 0.0)
                if not solved:
                    extreme = math.inf  # unsure: settle it the way cobrapy does, below
                    break
                value = swiglpk.glp_get_obj_val(problem)
                extreme = max(extreme, abs(value))
                if abs(value) >= tol:
                    rest = {k: cols[k] for k in todo[n + 1:] if k not in live}
                    live |= {k for k, v in _prim(problem, rest).items() if abs(v) >= tol}
                    break
            rxn.bounds = (lb, ub)
            if extreme == math.inf:  # neither simplex start ended: optlang's sequence, timed
                lo_hi = []
                for d in ("min", "max"):
                    model.objective = model.problem.Objective(rxn.flux_expression, direction=d)
                    lo_hi.append(timed_optimize(model))
                model.objective = model.problem.Objective(Zero, direction="max")
                if any(math.isnan(x) for x in lo_hi):
                    undecided.append(rid)
                elif max(abs(x) for x in lo_hi) < tol:
                    blocked.append(rid)
            elif extreme < tol:
                blocked.append(rid)
    return {"reactions": sorted(blocked), "tested": len(model.reactions),
            "undecided": sorted(undecided)}


def median_bounds(model: cobra.Model) -> tuple[float, float]:
    """memote's find_bounds: the median non-zero lower and upper bound (else -+1000)."""
    lbs = np.asarray([r.lower_bound for r in model.reactions], dtype=float)
    ubs = np.asarray([r.upper_bound for r in model.reactions], dtype=float)
    lo = float(np.nanmedian(lbs[lbs != 0.0])) if (lbs != 0.0).any() else -1000.0
    hi = float(np.nanmedian(ubs[ubs != 0.0])) if (ubs != 0.0).any() else 1000.0
    return (-1000.0 if math.isnan(lo) else lo), (1000.0 if math.isnan(hi) else hi)


def unbounded_flux(model: cobra.Model, ctx: ToolContext, processes: int | None = None
                   ) -> dict[str, Any]:
    """memote's find_reactions_with_unbounded_flux_default_condition: one FVA at 100% of the
    optimum on the model as it is; reactions reaching the median bound, their fraction of the
    reactions not blocked in this condition, and those blocked."""
    small, large = median_bounds(model)
    with model:
        _, rows = fva_ranges(model, [r.id for r in model.reactions], 1.0, False, ctx,
                             processes)
    blocked = sorted(r["id"] for r in rows
                     if max(abs(r["minimum"]), abs(r["maximum"])) < TOL)
    def near(x: float, bound: float) -> bool:  # numpy.isclose's defaults, as memote
        return abs(x - bound) <= TOL + 1e-5 * abs(bound)

    unlimited = sorted(r["id"] for r in rows if near(r["maximum"], large)
                       or r["maximum"] > large or near(r["minimum"], small)
                       or r["minimum"] < small)
    live = len(rows) - len(blocked)
    return {"unbounded": unlimited, "fraction": len(unlimited) / live if live else 0.0,
            "blocked": blocked, "bounds": [small, large]}

