"""LPs built directly in GLPK (swiglpk), for checks whose problem is not the model's own.

Through optlang every row and bound is a Python object with sympy expressions; for a check
that builds a problem once and solves it (stoichiometric consistency, energy cycles) that costs
10-20x the solve. Here the matrix goes in with one call and the solve is GLPK's.
"""

from __future__ import annotations

from typing import Any

import swiglpk


def load_matrix(problem: Any, entries: list[tuple[int, int, float]]) -> None:
    """Set a GLPK problem's whole constraint matrix from (row, column, value) triples."""
    size = len(entries) + 1
    rows, cols, vals = swiglpk.intArray(size), swiglpk.intArray(size), swiglpk.doubleArray(size)
    for k, (i, j, v) in enumerate(entries, start=1):
        rows[k], cols[k], vals[k] = i, j, v
    swiglpk.glp_load_matrix(problem, len(entries), rows, cols, vals)


def solve_fresh(problem: Any) -> bool:
    """Solve a problem built here from scratch, quietly; True at an optimum. Presolve and the
    dual simplex: 10x faster than the primal on the consistency LP of iJO1366/salmonella."""
    smcp = swiglpk.glp_smcp()
    swiglpk.glp_init_smcp(smcp)
    smcp.msg_lev = swiglpk.GLP_MSG_OFF
    smcp.meth, smcp.presolve = swiglpk.GLP_DUALP, swiglpk.GLP_ON
    return bool(swiglpk.glp_simplex(problem, smcp) == 0
                and swiglpk.glp_get_status(problem) == swiglpk.GLP_OPT)


def set_col_bounds(problem: Any, col: int, lb: float, ub: float) -> None:
    """Finite bounds on a column (fixed when equal)."""
    kind = swiglpk.GLP_FX if lb == ub else swiglpk.GLP_DB
    swiglpk.glp_set_col_bnds(problem, col, kind, lb, ub)


def set_column(problem: Any, col: int, entries: list[tuple[int, float]]) -> None:
    """Replace one column's coefficients with (row, value) pairs."""
    size = len(entries) + 1
    rows, vals = swiglpk.intArray(size), swiglpk.doubleArray(size)
    for k, (i, v) in enumerate(entries, start=1):
        rows[k], vals[k] = i, v
    swiglpk.glp_set_mat_col(problem, col, len(entries), rows, vals)
