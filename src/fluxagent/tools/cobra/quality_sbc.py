"""Stoichiometrically balanced cycles (memote's find_stoichiometrically_balanced_cycles) with
few LPs on a small problem.

memote resets every bound by reversibility to (-1, 1) or (0, 1), closes the boundary, runs an
FVA of every reaction at 100% of the objective and reports the reactions whose range reaches
-1 or 1. With the boundary closed most reactions cannot carry flux at all (iJO1366: 1614 of
2583, salmonella: 3243 of 3357), yet each costs two LPs on the whole problem. Here, on private
copies of the solver's GLPK problem (the rows and columns cobrapy's FVA sees):

1. Reactions that cannot carry flux, proven two ways, alternately: a mass balance whose
   remaining reactions can only all produce (or all consume) the metabolite forces them to 0;
   and FASTCC's LP (Vlassis et al. 2014, PLoS Comput Biol 10:e1003424) for the irreversible
   ones: maximise sum z_j, 0 <= z_j <= EPS, z_j <= v_j (a row that restricts nothing, as
   v_j >= 0 anyway). Every reaction carrying flux in a solution can; an optimum of 0 proves no
   undecided one can. A few LPs settle every irreversible reaction.
2. Those reactions are removed (a column that is 0 in every feasible point changes no range;
   the objective constraint is added afterwards, on the smaller problem, as it only shrinks
   the feasible set), and on what is left (iJO1366: ~1000 reactions, salmonella: ~300) each
   reaction is maximised and minimised, warm-started from the previous basis, skipping any
   reaction already seen at -1 or 1 in an earlier LP's solution.

Any LP that ends without an optimum sends the whole check to the plain FVA path.
"""

from __future__ import annotations

from typing import Any

import cobra
import numpy as np
import swiglpk as glp

from fluxagent.tools.cobra.fva_engine import (
    RATIO_RTOL,
    balances,
    checked_optimum,
    glpk_problem,
)
from fluxagent.tools.cobra.glpk_lp import set_col_bounds

#: memote's TOLERANCE_THRESHOLD: a range within this of -1 or 1 reaches it.
SBC_TOL = 1e-7
#: The flux each z_j asks for in the FASTCC LP (well above GLPK's tolerances, below the bounds).
EPS = 1e-3
#: A flux this large in a solution shows the reaction can carry flux; a FASTCC optimum below
#: DEAD proves the undecided reactions cannot (their maxima are below DEAD).
LIVE = 1e-9
DEAD = 1e-9


class LpFailed(Exception):
    """An LP ended without an optimum: use the plain FVA path."""


Cols = list[tuple[int, int]]  # per reaction: GLPK columns of its forward and reverse variables
Bounds = list[tuple[float, float]]


def _solve(model: cobra.Model, lp: Any) -> float:
    code = glp.glp_simplex(lp, model.solver.configuration._smcp)
    if code != 0 or glp.glp_get_status(lp) != glp.GLP_OPT:
        raise LpFailed
    value = checked_optimum(model, lp)
    if value is None:
        raise LpFailed
    return value


def _indices(items: list[int]) -> Any:
    arr = glp.intArray(len(items) + 1)
    for k, x in enumerate(items, start=1):
        arr[k] = x
    return arr


def _set_row(lp: Any, row: int, entries: list[tuple[int, float]]) -> None:
    val = glp.doubleArray(len(entries) + 1)
    for k, (_, c) in enumerate(entries, start=1):
        val[k] = c
    glp.glp_set_mat_row(lp, row, len(entries), _indices([j for j, _ in entries]), val)


def _net(lp: Any, cols: Cols) -> list[float]:
    get = glp.glp_get_col_prim
    return [get(lp, f) - get(lp, r) for f, r in cols]


def _copy(model: cobra.Model, cols: Cols, bounds: Bounds) -> Any:
    """The solver's problem, copied with ``bounds`` on the reactions' columns (split into
    forward and reverse parts as cobrapy does)."""
    lp = glp.glp_create_prob()
    glp.glp_copy_prob(lp, model.solver.problem, glp.GLP_OFF)
    for (f, r), (lb, ub) in zip(cols, bounds, strict=True):
        set_col_bounds(lp, f, max(lb, 0.0), max(ub, 0.0))
        set_col_bounds(lp, r, max(-ub, 0.0), max(-lb, 0.0))
    return lp


def _clear_objective(lp: Any) -> None:
    for j in range(glp.glp_get_num_cols(lp) + 1):
        glp.glp_set_obj_coef(lp, j, 0.0)


class Balances:
    """The mass balances by reaction index, for the dead-reaction propagation."""

    def __init__(self, rows: list[dict[int, float]], bounds: Bounds) -> None:
        self.rows, self.bounds = rows, bounds
        self.of: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            for k in row:
                self.of.setdefault(k, []).append(i)

    def propagate(self, dead: set[int], touched: list[int] | None = None) -> set[int]:
        """Add to ``dead`` every reaction a mass balance forces to 0 (its other reactions are
        dead, or all can only produce, or only consume, the metabolite), starting from the
        rows of ``touched`` (None: all); returns the reactions added."""
        added: set[int] = set()
        stack = (list(range(len(self.rows))) if touched is None
                 else [i for k in touched for i in self.of.get(k, [])])
        while stack:
            live = [(k, c) for k, c in self.rows[stack.pop()].items() if k not in dead]
            if not live:
                continue
            signs = {(1 if c > 0 else -1) * (1 if self.bounds[k][0] >= 0 else -1
                                             if self.bounds[k][1] <= 0 else 0)
                     for k, c in live}
            if signs == {1} or signs == {-1}:
                for k, _ in live:
                    dead.add(k)
                    added.add(k)
                    stack.extend(self.of[k])
        return added

    def classes(self, dead: set[int]) -> dict[int, list[tuple[int, float]]]:
        """Reactions a balance with two live reactions couples (v_b = k v_a), by the class's
        first reaction: {representative: [(reaction, k)]}; a class whose relations disagree
        is all 0 and is added to ``dead``."""
        parent: dict[int, tuple[int, float]] = {}

        def find(k: int) -> tuple[int, float]:
            up, r = parent.get(k, (k, 1.0))
            if up == k:
                return k, 1.0
            root, r2 = find(up)
            parent[k] = (root, r * r2)
            return root, r * r2

        zero: set[int] = set()
        for row in self.rows:
            pair = [(k, c) for k, c in row.items() if k not in dead]
            if len(pair) != 2:
                continue
            (a, ca), (b, cb) = pair
            (ra, ka), (rb, kb) = find(a), find(b)
            ratio = -ca / cb  # v_b = ratio * v_a
            if ra == rb:
                if abs(kb - ratio * ka) > RATIO_RTOL * max(abs(kb), abs(ratio * ka)):
                    zero.add(ra)
                continue
            if rb < ra:
                ra, ka, rb, kb, ratio = rb, kb, ra, ka, 1.0 / ratio
            parent[rb] = (ra, ratio * ka / kb)
        out: dict[int, list[tuple[int, float]]] = {}
        for k in sorted({k for row in self.rows for k in row} - dead):
            root, r = find(k)
            out.setdefault(root, []).append((k, r))
        for root in zero & set(out):
            dead.update(k for k, _ in out.pop(root))
        return out


def _fastcc(model: cobra.Model, cols: Cols, bounds: Bounds, dead: set[int],
            live: set[int], members: set[int]) -> None:
    """Settle every irreversible reaction (step 1): add the ones that cannot carry flux to
    ``dead``, those seen carrying flux to ``live``, those seen at -1 or 1 to ``members``."""
    n = len(cols)
    sign = [1.0 if lo >= 0 else -1.0 if hi <= 0 else 0.0 for lo, hi in bounds]
    todo = {k for k in range(n) if sign[k] and k not in dead and k not in live}
    if not todo:
        return
    lp = _copy(model, cols, bounds)
    _clear_objective(lp)
    try:
        for k in dead:
            for c in cols[k]:
                glp.glp_set_col_bnds(lp, c, glp.GLP_FX, 0.0, 0.0)
        ks = sorted(todo)
        z0, r0 = glp.glp_add_cols(lp, len(ks)), glp.glp_add_rows(lp, len(ks))
        for i, k in enumerate(ks):  # z - sign * (v_fwd - v_rev) <= 0
            f, r = cols[k]
            _set_row(lp, r0 + i, [(z0 + i, 1.0), (f, -sign[k]), (r, sign[k])])
            glp.glp_set_row_bnds(lp, r0 + i, glp.GLP_UP, 0.0, 0.0)
            glp.glp_set_obj_coef(lp, z0 + i, 1.0)
        glp.glp_set_obj_dir(lp, glp.GLP_MAX)
        glp.glp_scale_prob(lp, glp.GLP_SF_AUTO)
        glp.glp_std_basis(lp)
        while todo:
            for i, k in enumerate(ks):
                on = k in todo
                glp.glp_set_col_bnds(lp, z0 + i, glp.GLP_DB if on else glp.GLP_FX, 0.0,
                                     EPS if on else 0.0)
            optimum = _solve(model, lp)
            if optimum <= DEAD:
                break
            flux = _net(lp, cols)
            seen = {k for k, v in enumerate(flux) if abs(v) > LIVE}
            seen |= {k for i, k in enumerate(ks) if glp.glp_get_col_prim(lp, z0 + i) > 0.0}
            members.update(k for k, v in enumerate(flux) if abs(v) >= 1 - SBC_TOL)
            if not seen & todo:
                raise LpFailed  # a positive optimum is some z_j > 0: cannot happen
            live |= seen
            todo -= seen
        dead |= todo
    finally:
        glp.glp_delete_prob(lp)


def _reduced(model: cobra.Model, cols: Cols, bounds: Bounds, dead: set[int]
             ) -> tuple[Any, Cols, list[int]]:
    """A copy without the dead reactions' columns and the rows left empty, with cobrapy FVA's
    objective constraint (objective >= 1.0 * its optimum) as a row: the problem, the new
    columns of the reactions kept, and which reactions those are."""
    lp = _copy(model, cols, bounds)
    drop = sorted(c for k in dead for c in cols[k])
    if drop:
        glp.glp_del_cols(lp, len(drop), _indices(drop))
    size = glp.glp_get_num_cols(lp) + 1
    ind, val = glp.intArray(size), glp.doubleArray(size)
    empty = [i for i in range(1, glp.glp_get_num_rows(lp) + 1)
             if glp.glp_get_mat_row(lp, i, ind, val) == 0]
    if empty:
        glp.glp_del_rows(lp, len(empty), _indices(empty))
    glp.glp_scale_prob(lp, glp.GLP_SF_AUTO)
    glp.glp_std_basis(lp)
    kept = [k for k in range(len(cols)) if k not in dead]
    gone = set(drop)
    shift, new = 0, {}
    for c in range(1, max((c for pair in cols for c in pair), default=0) + 1):
        if c in gone:
            shift += 1
        else:
            new[c] = c - shift
    pairs = [(new[cols[k][0]], new[cols[k][1]]) for k in kept]
    objective = [(j, glp.glp_get_obj_coef(lp, j)) for j in range(1, size)]
    objective = [(j, c) for j, c in objective if c != 0.0]
    if objective:
        optimum = _solve(model, lp)
        row = glp.glp_add_rows(lp, 1)
        _set_row(lp, row, objective)
        kind = glp.GLP_LO if glp.glp_get_obj_dir(lp) == glp.GLP_MAX else glp.GLP_UP
        glp.glp_set_row_bnds(lp, row, kind, optimum, optimum)
        for j, _ in objective:
            glp.glp_set_obj_coef(lp, j, 0.0)
    glp.glp_set_obj_coef(lp, 0, 0.0)
    return lp, pairs, kept


def _objective(lp: Any, col: dict[int, tuple[int, int]], weights: dict[int, float]) -> None:
    for k, w in weights.items():
        glp.glp_set_obj_coef(lp, col[k][0], w)
        glp.glp_set_obj_coef(lp, col[k][1], -w)


def _dead_together(model: cobra.Model, lp: Any, col: dict[int, tuple[int, int]],
                   todo: list[int], live: set[int], dead: set[int]) -> None:
    """Settle reactions (the reversible ones FASTCC leaves open) a set at a time: with fixed
    generic weights w, max and min of sum w_k v_k both 0 means sum w_k v_k = 0 on the whole
    feasible set (convex, containing 0), so on its span, which generic weights are orthogonal
    to only if every v_k is 0 there. Reactions seen carrying flux join ``live``; a set that
    neither proves dead nor shows a live member is split in two."""
    rng = np.random.default_rng(0)
    stack = [[k for k in todo if k not in live and k not in dead]]
    while stack:
        group = [k for k in stack.pop() if k not in live]
        if not group:
            continue
        weights = dict(zip(group, rng.uniform(1.0, 2.0, len(group)), strict=True))
        _objective(lp, col, weights)
        seen: set[int] = set()
        extreme = 0.0
        try:
            for direction in (glp.GLP_MAX, glp.GLP_MIN):
                glp.glp_set_obj_dir(lp, direction)
                extreme = max(extreme, abs(_solve(model, lp)))
                flux = _net(lp, [col[k] for k in group])
                seen.update(k for k, v in zip(group, flux, strict=True) if abs(v) > LIVE)
        finally:
            _objective(lp, col, dict.fromkeys(group, 0.0))
        if extreme <= DEAD:
            dead.update(group)
        elif seen:
            live |= seen
            stack.append(group)
        elif len(group) > 1:
            stack += [group[: len(group) // 2], group[len(group) // 2:]]
        else:
            live.update(group)  # flux below LIVE: settled by its own LPs


def _reach(model: cobra.Model, lp: Any, pairs: Cols, kept: list[int], bounds: Bounds,
           balance: Balances, dead: set[int], live: set[int], members: set[int]) -> None:
    """Step 2: the range of each class's representative (the class's ranges follow from it)
    unless every reaction of the class was seen at -1 or 1. A class found without flux is
    fixed at 0, and the balances it leaves forced to 0 fix more."""
    col = dict(zip(kept, pairs, strict=True))

    def fix(ks: set[int]) -> None:
        for k in ks:
            for c in col.get(k, ()):
                glp.glp_set_col_bnds(lp, c, glp.GLP_FX, 0.0, 0.0)

    before = set(dead)
    _dead_together(model, lp, col, [k for k in kept if bounds[k][0] < 0 < bounds[k][1]],
                   live, dead)
    fix(dead - before)
    fix(balance.propagate(dead, sorted(dead - before)))
    classes = balance.classes(dead)
    fix(dead & set(col))
    for rep in sorted(classes, key=lambda r: (any(bounds[k][0] >= 0 for k, _ in classes[r]),
                                              r)):
        group = [(k, c) for k, c in classes[rep] if k not in dead]
        if not group or all(k in members for k, _ in group):
            continue
        fwd, rev = col[rep]
        sides = []
        for direction, side in ((glp.GLP_MAX, 1), (glp.GLP_MIN, 0)):
            if bounds[rep][1] <= 0 if side else bounds[rep][0] >= 0:
                sides.append(0.0)  # 0 is feasible (boundary closed): the range reaches it
                continue
            glp.glp_set_obj_dir(lp, direction)
            glp.glp_set_obj_coef(lp, fwd, 1.0)
            glp.glp_set_obj_coef(lp, rev, -1.0)
            try:
                sides.append(_solve(model, lp))
            finally:
                glp.glp_set_obj_coef(lp, fwd, 0.0)
                glp.glp_set_obj_coef(lp, rev, 0.0)
            undecided = [k for k in col if k not in members and k not in dead]
            flux = _net(lp, [col[k] for k in undecided])
            members.update(k for k, v in zip(undecided, flux, strict=True)
                           if abs(v) >= 1 - SBC_TOL)
        hi, lo = sides
        for k, c in group:
            if max(c * hi, c * lo) >= 1 - SBC_TOL or min(c * hi, c * lo) <= -1 + SBC_TOL:
                members.add(k)
        if max(abs(hi), abs(lo)) <= LIVE:
            gone = {k for k, _ in group}
            dead |= gone
            fix(gone | balance.propagate(dead, sorted(gone)))


def sbc_members(model: cobra.Model, bounds: Bounds) -> list[str] | None:
    """Reactions reaching -1 or 1 on ``model`` under ``bounds`` (per reaction, in model order:
    memote's reset bounds), set on private copies of the problem, the model left as it is;
    None when the fast path does not apply or an LP failed."""
    if glpk_problem(model) is None:
        return None
    model.solver.update()
    reactions = list(model.reactions)
    index = {r.id: k for k, r in enumerate(reactions)}
    cols = [(r.forward_variable._index, r.reverse_variable._index) for r in reactions]
    balance = Balances([{index[rid]: c for rid, c in row.items()}
                        for row in balances(model, model.solver.problem)], bounds)
    dead = {k for k, (lo, hi) in enumerate(bounds) if lo == hi == 0.0}
    live: set[int] = set()
    members: set[int] = set()
    lp = None
    try:
        balance.propagate(dead)
        _fastcc(model, cols, bounds, dead, live, members)
        balance.propagate(dead)
        lp, pairs, kept = _reduced(model, cols, bounds, dead)
        _reach(model, lp, pairs, kept, bounds, balance, dead, live, members)
    except LpFailed:
        return None
    finally:
        if lp is not None:
            glp.glp_delete_prob(lp)
    return sorted(reactions[k].id for k in members)
