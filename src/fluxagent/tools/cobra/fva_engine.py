"""The LPs behind FVA, as few and as cheap as possible, with cobrapy's answers.

cobrapy solves two LPs per reaction through optlang. Three things make ours faster without
changing the numbers (tests/tools/test_fva.py compares all of iJO1366 with cobrapy and with
GLPK's exact rational solver):

- Fewer LPs. (1) A flux on a bound in a feasible solution settles that side of the range: the
  FBA optimum satisfies the FVA constraint, and in it many irreversible reactions sit at 0.
  (2) Mass balances imply equalities: a metabolite produced and consumed by only two (live)
  reactions couples them, v_b = k v_a, so one LP pair serves the whole chain; a metabolite with
  one live reaction blocks it (v = 0, no LP). On iJO1366 this leaves ~1700 of 5166 LPs.
- Cheaper LPs. optlang re-scales the whole problem before every solve (~3.5 ms on iJO1366),
  which also throws away GLPK's basis factorization (another ~1.4 ms to rebuild); a warm-started
  LP itself takes ~1-1.5 ms. FVA never changes the constraint matrix, so the problem is scaled
  once and every LP calls GLPK's simplex directly (two objective coefficients set and reset),
  keeping the factorization. Its updates accumulate round-off, so each solution's rows are
  checked against A x (~70 us) and the rare drifted one is solved again on a fresh
  factorization (``checked_optimum``).
- Warm starts in cobrapy's order: all minima in model order, then all maxima, each LP starting
  from the previous basis; the first FBA starts from the standard basis, so the result does not
  depend on what was solved on the (reused) model before.

At exactly 100% of the optimum a few ranges are ill-posed for any floating-point solver: where
dropping a reaction costs the optimum less than GLPK's feasibility tolerance (1e-7 to 1e-6
relative: OPHHX, OPHHX3, I2FE2ST in iJO1366; PGPP161/180/181 in salmonella), the reported
minimum is 0 or the true value depending on the path of bases, in cobrapy as here.
"""

from __future__ import annotations

import hashlib
import math
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import cobra
import swiglpk
from cobra.flux_analysis.loopless import loopless_fva_iter
from optlang.symbolics import Zero

from fluxagent.tools.results import ToolFailure
from fluxagent.tools.solver import solved_key, switch_to_other_solver
from fluxagent.tools.toolkit import cold_start, require_feasible

#: A flux this close to a bound counts as on it (the range cannot extend past the bound).
BOUND_EPS = 1e-9
#: A solution whose rows are off by more than this is solved again (see checked_optimum).
DRIFT = 1e-9
#: Two coupling ratios of the same pair of reactions agree when this close (relative).
RATIO_RTOL = 1e-9


class FvaTask(NamedTuple):
    """One LP: minimise or maximise ``rid``; ``cols`` = GLPK columns of its forward and reverse
    variables on the fast path (None: through optlang); ``loopless``: CycleFreeFlux."""

    rid: str
    sense: str
    loopless: bool = False
    cols: tuple[int, int] | None = None


def glpk_problem(model: cobra.Model) -> Any | None:
    """The GLPK problem behind ``model`` when the raw swiglpk path can be used, else None."""
    solver = model.solver
    if not type(solver).__module__.endswith("glpk_interface"):
        return None
    if getattr(solver.configuration, "_smcp", None) is None or solver._glpk_is_mip():
        return None
    return solver.problem


def _glpk_step(model: cobra.Model, task: FvaTask, problem: Any) -> float:
    """One warm-started LP straight through swiglpk; anything but a clean optimum goes through
    optlang's full sequence (scaling, advanced basis, presolve), as cobrapy would."""
    assert task.cols is not None
    fwd, rev = task.cols
    objective = model.solver.objective
    if objective.direction != task.sense:
        objective.direction = task.sense
    swiglpk.glp_set_obj_coef(problem, fwd, 1.0)
    swiglpk.glp_set_obj_coef(problem, rev, -1.0)
    try:
        code = swiglpk.glp_simplex(problem, model.solver.configuration._smcp)
        if code == 0 and swiglpk.glp_get_status(problem) == swiglpk.GLP_OPT:
            value = checked_optimum(model, problem)
            if value is not None:
                return value
        model.slim_optimize()
        return float(objective.value) if model.solver.status == "optimal" else math.nan
    except Exception:
        return math.nan
    finally:
        swiglpk.glp_set_obj_coef(problem, fwd, 0.0)
        swiglpk.glp_set_obj_coef(problem, rev, 0.0)


def _drift(problem: Any) -> float:
    """The largest absolute difference between a row's activity in the current basic solution
    and A x computed from its column values (GLPK's KKT check PE, ~70 us on iJO1366)."""
    ae, ae_at, re, re_at = (swiglpk.doubleArray(1), swiglpk.intArray(1),
                            swiglpk.doubleArray(1), swiglpk.intArray(1))
    swiglpk.glp_check_kkt(problem, swiglpk.GLP_SOL, swiglpk.GLP_KKT_PE, ae, ae_at, re, re_at)
    return float(ae[0])


def checked_optimum(model: cobra.Model, problem: Any) -> float | None:
    """The optimum, re-solved on a fresh factorization when the solution has drifted.

    Warm starts keep GLPK's basis factorization across LPs (optlang's re-scaling throws it
    away before every solve, which costs ~1.4 ms per LP on iJO1366); its updates accumulate
    round-off, and now and then a mass balance is off by 1e-6 in the returned solution, which
    moves a range by up to 2e-5. Such solutions (one LP in a few hundred) are solved again from
    the same basis on a fresh LU factorization. None: that failed too.
    """
    if _drift(problem) > DRIFT:
        swiglpk.glp_factorize(problem)
        code = swiglpk.glp_simplex(problem, model.solver.configuration._smcp)
        if code != 0 or swiglpk.glp_get_status(problem) != swiglpk.GLP_OPT:
            return None
    return float(swiglpk.glp_get_obj_val(problem))


def fva_step(model: cobra.Model, task: FvaTask) -> float:
    """Minimise or maximise one reaction on a model prepared by ``prepare_fva``."""
    if task.cols is not None and not task.loopless:
        problem = glpk_problem(model)
        if problem is not None:
            return _glpk_step(model, task, problem)
    rxn = model.reactions.get_by_id(task.rid)
    if task.loopless:
        cold_start(model)
    objective = model.solver.objective
    if objective.direction != task.sense:
        objective.direction = task.sense
    objective.set_linear_coefficients({rxn.forward_variable: 1, rxn.reverse_variable: -1})
    try:
        model.slim_optimize()
        if model.solver.status != "optimal":
            value = math.nan
        elif task.loopless:
            value = float(loopless_fva_iter(model, rxn))
        else:
            value = float(objective.value)
    except Exception:
        value = math.nan
    objective = model.solver.objective  # loopless_fva_iter may have replaced it
    objective.set_linear_coefficients({rxn.forward_variable: 0, rxn.reverse_variable: 0})
    return value


def prepare_fva(model: cobra.Model, fraction: float, *, cold: bool = True,
                fluxes_of: dict[str, float] | None = None) -> tuple[float, dict[str, float]]:
    """Fix the objective at ``fraction`` of its optimum (inside ``with model:``).

    Returns the optimum and the reaction fluxes of that optimal solution when it satisfies the
    FVA constraint (always when maximising a non-negative objective), else {}. ``cold=False``
    keeps the current basis (the caller has just solved this LP from a cold start), and
    ``fluxes_of`` are that solution's fluxes if the caller has them.
    """
    optimum = require_feasible(model, "FVA", cold=cold)
    fluxes: dict[str, float] = {}
    maximise = model.solver.objective.direction == "max"
    if fluxes_of is not None:
        fluxes = fluxes_of if fraction == 1.0 else {}
    elif (optimum >= fraction * optimum) if maximise else (optimum <= fraction * optimum):
        values = model.solver.primal_values
        fluxes = {r.id: values[r.forward_variable.name] - values[r.reverse_variable.name]
                  for r in model.reactions}
    prob = model.problem
    if maximise:
        var = prob.Variable("fva_old_objective", lb=fraction * model.solver.objective.value)
    else:
        var = prob.Variable("fva_old_objective", ub=fraction * model.solver.objective.value)
    cons = prob.Constraint(model.solver.objective.expression - var, lb=0, ub=0,
                           name="fva_old_objective_constraint")
    model.add_cons_vars([var, cons])
    model.objective = Zero
    problem = glpk_problem(model)
    if problem is not None:  # once for every LP of the job (see _glpk_step)
        model.solver.update()
        swiglpk.glp_scale_prob(problem, swiglpk.GLP_SF_AUTO)
    return optimum, fluxes


# ------------------------------------------------------------------ structure of the LP
def balances(model: cobra.Model, problem: Any) -> list[dict[str, float]]:
    """The rows ``sum coef * v_reaction = 0`` of the GLPK problem, by reaction.

    Read from the solver itself, not from cobra's metabolites: only rows fixed at zero whose
    every column is a reaction's forward or reverse variable imply equalities between fluxes.
    """
    cols: dict[int, tuple[str, float]] = {}
    for rxn in model.reactions:
        cols[rxn.forward_variable._index] = (rxn.id, 1.0)
        cols[rxn.reverse_variable._index] = (rxn.id, -1.0)
    size = swiglpk.glp_get_num_cols(problem) + 1
    ind, val = swiglpk.intArray(size), swiglpk.doubleArray(size)
    rows = []
    for i in range(1, swiglpk.glp_get_num_rows(problem) + 1):
        if (swiglpk.glp_get_row_type(problem, i) != swiglpk.GLP_FX
                or swiglpk.glp_get_row_lb(problem, i) != 0.0):
            continue
        row: dict[str, float] = {}
        for t in range(1, swiglpk.glp_get_mat_row(problem, i, ind, val) + 1):
            if val[t] == 0.0:
                continue
            hit = cols.get(ind[t])
            # another variable takes part, or forward and reverse columns disagree: the row
            # is no plain mass balance between fluxes
            if hit is None or row.setdefault(hit[0], hit[1] * val[t]) != hit[1] * val[t]:
                row = {}
                break
        if row:
            rows.append(row)
    return rows


@dataclass
class Structure:
    """Fluxes fixed by the mass balances: ``blocked`` reactions carry no flux; every other
    reaction is ``coupled[rid] = (representative, k)`` with v_rid = k * v_representative."""

    blocked: set[str] = field(default_factory=set)
    coupled: dict[str, tuple[str, float]] = field(default_factory=dict)


def structure(model: cobra.Model, problem: Any) -> Structure:
    """Dead ends (a balance with one live reaction) and chains (two live reactions)."""
    rows = balances(model, problem)
    order = {r.id: i for i, r in enumerate(model.reactions)}
    by_rxn: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        for rid in row:
            by_rxn.setdefault(rid, []).append(i)
    blocked: set[str] = set()
    live = [len(row) for row in rows]
    stack = [i for i, n in enumerate(live) if n == 1]
    while stack:
        i = stack.pop()
        if live[i] != 1:
            continue
        rid = next(r for r in rows[i] if r not in blocked)
        blocked.add(rid)
        for j in by_rxn[rid]:
            live[j] -= 1
            if live[j] == 1:
                stack.append(j)
    parent: dict[str, tuple[str, float]] = {}  # rid -> (parent, k): v_rid = k * v_parent

    def find(rid: str) -> tuple[str, float]:
        up, k = parent.get(rid, (rid, 1.0))
        if up == rid:
            return rid, 1.0
        root, k2 = find(up)
        parent[rid] = (root, k * k2)
        return root, k * k2

    zero_roots: set[str] = set()
    for row in rows:
        pair = [(r, c) for r, c in row.items() if r not in blocked]
        if len(pair) != 2:
            continue
        (a, ca), (b, cb) = pair
        (ra, ka), (rb, kb) = find(a), find(b)
        ratio = -ca / cb  # ca v_a + cb v_b = 0
        if ra == rb:  # a second relation in the same class: consistent, or all of it is 0
            if abs(kb - ratio * ka) > RATIO_RTOL * max(abs(kb), abs(ratio * ka)):
                zero_roots.add(ra)
            continue
        if order[rb] < order[ra]:  # the earliest reaction in the model represents a class
            (ra, ka, rb, kb, ratio) = (rb, kb, ra, ka, 1.0 / ratio)
        parent[rb] = (ra, ratio * ka / kb)  # v_b = ratio v_a = ratio ka v_ra = kb v_rb
    out = Structure(blocked=set(blocked))
    for rxn in model.reactions:
        if rxn.id in blocked:
            continue
        root, k = find(rxn.id)
        if root in zero_roots:
            out.blocked.add(rxn.id)
        else:
            out.coupled[rxn.id] = (root, k)
    return out


#: structure() per exact set of balances (see ``known_structure``), and its lock.
_SHAPES: OrderedDict[bytes, Structure] = OrderedDict()
_SHAPES_LOCK = threading.Lock()


def known_structure(model: cobra.Model, problem: Any) -> Structure:
    """``structure``, remembered per model content (the ModelStore's hash and changes) and
    GLPK row bounds: it reads only the rows, so every FVA of a model under any conditions
    (bounds) shares it, and each chunk of a fanned-out FVA (runtime/temporal/fanout.py) need
    not find it again."""
    info = getattr(model, "_fluxagent", None)
    if info is None or not getattr(info, "model_hash", None):
        return structure(model, problem)
    m, n = swiglpk.glp_get_num_rows(problem), swiglpk.glp_get_num_cols(problem)
    digest = hashlib.blake2b(repr((info.model_hash, info.changes, m, n)).encode(),
                             digest_size=20)
    digest.update(array("d", (x for i in range(1, m + 1) for x in (
        swiglpk.glp_get_row_type(problem, i), swiglpk.glp_get_row_lb(problem, i),
        swiglpk.glp_get_row_ub(problem, i)))).tobytes())
    key = digest.digest()
    with _SHAPES_LOCK:
        if key in _SHAPES:
            _SHAPES.move_to_end(key)
            return _SHAPES[key]
    shape = structure(model, problem)
    with _SHAPES_LOCK:
        _SHAPES[key] = shape
        while len(_SHAPES) > 32:
            _SHAPES.popitem(last=False)
    return shape


# ------------------------------------------------------------------ the plan of a job
@dataclass
class Plan:
    """The LPs of one FVA job and how each requested range follows from their answers."""

    tasks: list[FvaTask]
    known: dict[tuple[str, str], float]  # (representative, "min"/"max") -> value
    link: dict[str, tuple[str, float]]  # requested id -> (representative, k)
    blocked: set[str]

    def ranges(self, values: list[float]) -> dict[str, tuple[float, float]]:
        """{requested id: (minimum, maximum)} once ``values`` (one per task) are in."""
        sides = self.known | {(t.rid, t.sense): v for t, v in zip(self.tasks, values,
                                                                  strict=True)}
        out = {}
        for rid, (rep, k) in self.link.items():
            lo, hi = k * sides[rep, "min"], k * sides[rep, "max"]
            out[rid] = (lo, hi) if k > 0 else (hi, lo)
        return out | {rid: (0.0, 0.0) for rid in self.blocked}


def plan_fva(model: cobra.Model, rids: list[str], fluxes: dict[str, float],
             cyclic: dict[str, tuple[bool, bool]] | None) -> Plan:
    """The LPs to solve for ``rids``; ``cyclic`` (loopless runs) turns the structural
    shortcuts off and sends the cyclic directions to CycleFreeFlux, after the plain LPs."""
    problem = glpk_problem(model)
    shape = (known_structure(model, problem) if problem is not None and cyclic is None
             else None)
    blocked = {r for r in rids if shape is not None and r in shape.blocked}
    link = {r: (shape.coupled[r] if shape is not None else (r, 1.0))
            for r in rids if r not in blocked}
    members: dict[str, list[tuple[str, float]]] = {}
    if shape is not None:
        for rid, (rep, k) in shape.coupled.items():
            members.setdefault(rep, []).append((rid, k))
    known: dict[tuple[str, str], float] = {}
    for rep in dict.fromkeys(rep for rep, _ in link.values()):
        loop_min, loop_max = (cyclic or {}).get(rep, (False, False))
        for rid, k in members.get(rep, [(rep, 1.0)]):
            flux, rxn = fluxes.get(rid, math.nan), model.reactions.get_by_id(rid)
            if flux <= rxn.lower_bound + BOUND_EPS and not loop_min:  # the min of v_rid
                known.setdefault((rep, "min" if k > 0 else "max"), rxn.lower_bound / k)
            if flux >= rxn.upper_bound - BOUND_EPS and not loop_max:
                known.setdefault((rep, "max" if k > 0 else "min"), rxn.upper_bound / k)
    order = {r.id: i for i, r in enumerate(model.reactions)}
    reps = sorted(dict.fromkeys(rep for rep, _ in link.values()), key=order.__getitem__)
    plain: list[FvaTask] = []
    cycle_free: list[FvaTask] = []
    for k, sense in enumerate(("min", "max")):
        for rep in reps:
            if (rep, sense) in known:
                continue
            if cyclic is not None and cyclic.get(rep, (False, False))[k]:
                cycle_free.append(FvaTask(rep, sense, True))
                continue
            rxn = model.reactions.get_by_id(rep)
            cols = ((rxn.forward_variable._index, rxn.reverse_variable._index)
                    if problem is not None else None)
            plain.append(FvaTask(rep, sense, False, cols))
    return Plan([*plain, *cycle_free], known, link, blocked)


# ------------------------------------------------------------------ failed LPs
def settle_failures(model: cobra.Model, tasks: list[FvaTask], values: list[float]) -> list[float]:
    """``values`` with every failed LP (NaN) solved again on the other solver; ToolFailure
    ("solver_error") naming the LPs that still fail. Call on the model ``prepare_fva`` set up,
    inside its ``with model:`` block. An FVA range is never NaN."""
    failed = [i for i, v in enumerate(values) if math.isnan(v)]
    if not failed:
        return values
    out = list(values)
    with model:
        if switch_to_other_solver(model, f"no optimum for {len(failed)} FVA LPs") is not None:
            for i in failed:
                out[i] = fva_step(model, tasks[i]._replace(cols=None))
    still = [f"{'min' if tasks[i].sense == 'min' else 'max'} {tasks[i].rid}" for i in failed
             if math.isnan(out[i])]
    if still:
        shown = ", ".join(still[:8]) + (f" (+{len(still) - 8} more)" if len(still) > 8 else "")
        raise ToolFailure("solver_error", f"FVA: the LP solvers found no optimum for "
                          f"{len(still)} of {len(tasks)} LPs: {shown}",
                          hint="numerical trouble, not a property of the model: try a "
                          "fraction_of_optimum below 1, fewer reactions, or set "
                          "FLUXAGENT_SOLVER")
    return out


#: flux_ranges answers per (exact LP, reactions).
_RANGES: OrderedDict[tuple[bytes, tuple[str, ...]], dict[str, tuple[float, float]]] = (
    OrderedDict())


def flux_ranges(model: cobra.Model, rids: list[str], fluxes: dict[str, float] | None = None
                ) -> dict[str, tuple[float, float]]:
    """{rid: (min, max)} of each flux over the optimal solutions (FVA at 100%), right after
    the caller solved the model's LP from a cold start (inside ``with model:``; the model is
    left as it was). In-process plain LPs: for a few reactions the setup of a full FVA job
    (structure of the network, workers) costs more than the LPs. ``fluxes``: that solution's
    fluxes, if the caller has them. Answers are remembered per exact LP and reaction list.
    """
    if not rids:
        return {}
    key = solved_key(model)
    memo = (key, tuple(rids)) if key is not None else None
    if memo is not None and memo in _RANGES:
        _RANGES.move_to_end(memo)
        return dict(_RANGES[memo])
    with model:
        direction = model.solver.objective.direction
        _, start = prepare_fva(model, 1.0, cold=False, fluxes_of=fluxes)
        plan = plan_fva(model, list(dict.fromkeys(rids)), start, {})
        try:
            values = [fva_step(model, task) for task in plan.tasks]
            values = settle_failures(model, plan.tasks, values)
        finally:
            model.solver.objective.direction = direction
        found = plan.ranges(values)
    if memo is not None:
        _RANGES[memo] = found
        while len(_RANGES) > 256:
            _RANGES.popitem(last=False)
    return dict(found)
