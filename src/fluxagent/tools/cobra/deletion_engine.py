"""The LPs behind deletion screens, as few and as cheap as possible, with cobrapy's answers.

cobrapy's ``single_gene_deletion`` knocks out each gene inside ``with model:`` and solves the
whole LP again through optlang. Three things make ours faster without changing the numbers
(tests/tools/test_deletion_engine.py compares every gene of e_coli_core, iJO1366 and
salmonella, with and without oxygen, with cobrapy):

- Fewer LPs. A deletion only sets the bounds of the reactions it disables to zero, so it can
  only lower the optimum; when every one of them carries no flux in the wild-type optimal
  solution, that solution is still feasible and still optimal: the growth is the wild type's,
  no LP needed. All of them must be idle in *one* optimal solution: with alternative optima
  each reaction may be idle in some optimum and yet not all of them together (two isozymes
  disabled by one shared subunit). A deletion that disables nothing needs no LP either, and
  deletions that disable the same reactions (the subunits of one complex) share one LP. On
  iJO1366 (aerobic, glucose) this leaves 250 LPs for 1367 genes.
- Cheaper LPs. As for FVA (``fva_engine.py``): the problem keeps its scaling and GLPK's basis
  factorization; each LP fixes the disabled columns at zero straight through swiglpk, runs the
  dual simplex from a wild-type optimal basis (a bound change keeps it dual feasible), then
  restores the bounds and the wild-type optimum (``deletion_lp``). A drifted solution is
  solved again on a fresh factorization (``checked_optimum``); anything but a clean optimum
  or a proof of infeasibility goes through cobrapy's own procedure (``deletion_step``), as
  does every LP on solvers other than GLPK.
- Several processes: the LPs run in fixed chunks, each from the wild-type optimal basis
  (``tools/chunks.py``), so a screen gives the same floats on every run, with any number of
  processes, and fanned out over Temporal workers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import cobra
import swiglpk

from fluxagent.tools.solver import proved_infeasible

from .fva_engine import checked_optimum, glpk_problem

Kind = Literal["gene", "reaction"]
#: A flux at most this far from zero counts as none (the solver's own zeros are exact).
IDLE_EPS = 1e-9


def deletion_step(model: cobra.Model, task: tuple[str, tuple[str, ...]]) -> tuple[float, str]:
    """Growth and solver status with the task's genes or reactions knocked out, by cobrapy's
    own procedure (``knock_out`` inside ``with model:``, ``slim_optimize``)."""
    kind, ids = task
    with model:
        for ident in ids:
            if kind == "gene":
                model.genes.get_by_id(ident).knock_out()
            else:
                model.reactions.get_by_id(ident).knock_out()
        try:
            value = model.slim_optimize(error_value=math.nan)
            status = str(model.solver.status)
            if status == "infeasible" and not proved_infeasible(model):
                status = "undefined"  # the caller settles it, never counted as lethal
        except Exception:
            value, status = math.nan, "solver_error"
    return (float(value) if status == "optimal" else math.nan), status


def disabled_reactions(model: cobra.Model, kind: Kind, ids: Sequence[str]) -> frozenset[str]:
    """The reactions a knockout of ``ids`` sets to zero, as cobrapy's ``knock_out`` does: a
    reaction of a knocked-out gene whose GPR fails without it (and without the genes already
    non-functional), or the reactions themselves."""
    if kind == "reaction":
        return frozenset(ids)
    genes = [model.genes.get_by_id(i) for i in ids]
    off = {g.id for g in genes}
    out = set()
    for gene in genes:
        for rxn in gene.reactions:
            if rxn.id in out:
                continue
            knocked = off | {g.id for g in rxn.genes if not g.functional}
            if not rxn.gpr.eval(knockouts=knocked):
                out.add(rxn.id)
    return frozenset(out)


class DeletionLP(NamedTuple):
    """One LP: the reactions to fix at zero; ``cols`` = their GLPK columns (forward and
    reverse variables) on the fast path, None through cobrapy's procedure."""

    rids: tuple[str, ...]
    cols: tuple[int, ...] | None = None


@dataclass
class DeletionPlan:
    """The LPs of a screen and how each deletion's answer follows from them."""

    wild: float
    lps: list[DeletionLP]
    #: deletion index -> index into ``lps``, or -1 (wild-type growth, no LP)
    source: list[int]
    idle: set[str] = field(default_factory=set)

    @property
    def settled(self) -> int:
        """Deletions answered without an LP: all they disable is idle in the wild-type optimum
        (deletions that share an LP are not counted)."""
        return sum(s < 0 for s in self.source)

    def results(self, values: Sequence[tuple[float, str]]) -> list[tuple[float, str]]:
        """(growth, status) per deletion once ``values`` (one per LP) are in."""
        return [(self.wild, "optimal") if s < 0 else values[s] for s in self.source]


def _column_values(model: cobra.Model) -> dict[str, tuple[float, float]]:
    """{reaction: (forward, reverse)} variable values of the solution just solved."""
    problem = glpk_problem(model)
    if problem is not None:
        return {r.id: (swiglpk.glp_get_col_prim(problem, r.forward_variable._index),
                       swiglpk.glp_get_col_prim(problem, r.reverse_variable._index))
                for r in model.reactions}
    values = model.solver.primal_values
    return {r.id: (values[r.forward_variable.name], values[r.reverse_variable.name])
            for r in model.reactions}


def plan_deletions(model: cobra.Model, kind: Kind, sets: Sequence[Sequence[str]],
                   wild: float) -> DeletionPlan:
    """The LPs for ``sets``, right after the wild-type LP was solved to optimality with value
    ``wild`` (its solution is read from the solver).

    Idle means both variables of a reaction are zero, not only their difference: every
    constraint sees the variables, so only then is the solution feasible without them.
    """
    columns = _column_values(model)
    idle = {rid for rid, (f, r) in columns.items() if abs(f) <= IDLE_EPS and abs(r) <= IDLE_EPS}
    problem = glpk_problem(model)
    order = {r.id: i for i, r in enumerate(model.reactions)}
    lps: list[DeletionLP] = []
    index: dict[frozenset[str], int] = {}
    source: list[int] = []
    for ids in sets:
        off = disabled_reactions(model, kind, ids)
        if off <= idle:
            source.append(-1)
            continue
        if off not in index:
            rids = tuple(sorted(off, key=order.__getitem__))
            cols = None
            if problem is not None:
                rxns = [model.reactions.get_by_id(r) for r in rids]
                cols = tuple(c for r in rxns for c in (r.forward_variable._index,
                                                       r.reverse_variable._index))
            index[off] = len(lps)
            lps.append(DeletionLP(rids, cols))
        source.append(index[off])
    return DeletionPlan(wild, lps, source, idle)


def dual_parameters(model: cobra.Model) -> Any:
    """The model's GLPK simplex parameters with the dual simplex (primal as its fallback) and
    no presolve, so every LP starts from the basis it is given."""
    base = model.solver.configuration._smcp
    smcp = swiglpk.glp_smcp()
    swiglpk.glp_init_smcp(smcp)
    for name in ("msg_lev", "tm_lim", "it_lim", "tol_bnd", "tol_dj", "tol_piv"):
        setattr(smcp, name, getattr(base, name))
    smcp.meth = swiglpk.GLP_DUALP
    smcp.presolve = swiglpk.GLP_OFF
    return smcp


def deletion_lp(model: cobra.Model, lp: DeletionLP) -> tuple[float, str]:
    """Growth and status with ``lp.rids`` fixed at zero, on a model whose last LP was the wild
    type's, solved to optimality (it is left so).

    Fixing bounds keeps a wild-type optimal basis dual feasible, so the dual simplex starts
    from it and needs only the pivots that reroute the lost flux (from the basis of the
    previous deletion it would first have to regain dual feasibility, at many times the cost);
    after the bounds are restored a few primal pivots make the basis wild-type optimal again.
    Anything but a clean optimum or a proof of infeasibility goes through cobrapy's procedure.
    """
    problem = glpk_problem(model) if lp.cols is not None else None
    if problem is None or lp.cols is None:
        return deletion_step(model, ("reaction", lp.rids))
    saved = [(c, swiglpk.glp_get_col_type(problem, c), swiglpk.glp_get_col_lb(problem, c),
              swiglpk.glp_get_col_ub(problem, c)) for c in lp.cols]
    answer: tuple[float, str] | None = None
    try:
        for c in lp.cols:
            swiglpk.glp_set_col_bnds(problem, c, swiglpk.GLP_FX, 0.0, 0.0)
        code = swiglpk.glp_simplex(problem, dual_parameters(model))
        status = swiglpk.glp_get_status(problem) if code == 0 else None
        if status == swiglpk.GLP_OPT:
            value = checked_optimum(model, problem)
            if value is not None:
                answer = (value, "optimal")
        elif status == swiglpk.GLP_NOFEAS:
            answer = (math.nan, "infeasible")
    except Exception:
        answer = None
    finally:
        for c, kind, lb, ub in saved:
            swiglpk.glp_set_col_bnds(problem, c, kind, lb, ub)
        _reoptimise(model, problem)
    return answer if answer is not None else deletion_step(model, ("reaction", lp.rids))


def _reoptimise(model: cobra.Model, problem: Any) -> None:
    """Back to a wild-type optimal basis (primal simplex from the current one; from GLPK's
    advanced basis if that fails, as optlang does)."""
    smcp = model.solver.configuration._smcp
    if (swiglpk.glp_simplex(problem, smcp) == 0
            and swiglpk.glp_get_status(problem) == swiglpk.GLP_OPT):
        return
    swiglpk.glp_adv_basis(problem, 0)
    swiglpk.glp_simplex(problem, smcp)


def single_deletions(model: cobra.Model, kind: Kind = "gene",
                     ids: Sequence[str] | None = None,
                     ) -> tuple[dict[str, tuple[float, str]], DeletionPlan]:
    """cobrapy's ``single_gene_deletion`` (``single_reaction_deletion``) answers in this
    process: {id: (growth, status)} (growth NaN unless optimal) and the plan (LPs solved).
    The model is left as it was."""
    table = model.genes if kind == "gene" else model.reactions
    chosen = list(ids) if ids is not None else [x.id for x in table]
    with model:
        wild = model.slim_optimize(error_value=math.nan)
        if model.solver.status != "optimal":
            raise ValueError(f"the wild type has no optimum ({model.solver.status})")
        plan = plan_deletions(model, kind, [(i,) for i in chosen], wild)
        values = [deletion_lp(model, lp) for lp in plan.lps]
    return dict(zip(chosen, plan.results(values), strict=True)), plan
