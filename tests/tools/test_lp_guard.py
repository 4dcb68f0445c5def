"""The LP guard of quality_flux.py on the real case that needs it: memote's per-metabolite LP
of ``2agpe140_c`` on iJO1366, warm-started from ``2agpe120_c``'s optimum, on which GLPK's
primal simplex diverges without end (bench/results/memote_flux_profile.md tells the story)."""

from __future__ import annotations

import cobra
import memote.support.consistency as consistency
import memote.support.helpers as helpers
import swiglpk

from fluxagent.tools.cobra.quality_flux import guarded_simplex


def test_a_diverging_warm_start_is_cut_and_solved_fresh(plain_ijo1366: cobra.Model) -> None:
    m = plain_ijo1366
    with m:
        helpers.open_exchanges(m)
        sink = m.problem.Variable("__multi_sink", lb=0, ub=1000)
        m.add_cons_vars([sink])
        m.solver.update()
        consistency._init_worker(m, sink.name, -1)  # memote's processes=1 path, as it runs
        for met in m.metabolites[:38]:
            consistency._solve_metabolite_exchange(met.id)
        target = m.metabolites[38]
        assert (m.metabolites[37].id, target.id) == ("2agpe120_c", "2agpe140_c")
        m.constraints[target.id].set_linear_coefficients({sink: -1})
        m.solver.update()
        problem = m.solver.problem
        swiglpk.glp_scale_prob(problem, swiglpk.GLP_SF_AUTO)  # as optlang before each solve
        # the bare warm start does not reach an optimum in 50,000 iterations
        warm = swiglpk.glp_smcp()
        swiglpk.glp_init_smcp(warm)
        warm.msg_lev, warm.it_lim = swiglpk.GLP_MSG_OFF, 50_000
        basis = ([swiglpk.glp_get_row_stat(problem, i + 1) for i in range(len(m.constraints))],
                 [swiglpk.glp_get_col_stat(problem, j + 1) for j in range(len(m.variables))])
        assert swiglpk.glp_simplex(problem, warm) == swiglpk.GLP_EITLIM
        for i, st in enumerate(basis[0]):  # back to 2agpe120_c's optimal basis
            swiglpk.glp_set_row_stat(problem, i + 1, st)
        for j, st in enumerate(basis[1]):
            swiglpk.glp_set_col_stat(problem, j + 1, st)
        # the guard cuts it and solves from the standard basis
        assert guarded_simplex(problem, m.solver.configuration._smcp)
        guarded = swiglpk.glp_get_obj_val(problem)
        # the same LP from a fresh basis through optlang (what a fresh model gives)
        swiglpk.glp_std_basis(problem)
        fresh = m.slim_optimize()
    assert abs(guarded - fresh) <= 1e-6 * max(1.0, abs(fresh)) and fresh > 1.0
