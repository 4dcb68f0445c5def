"""Issue 11, defect 12: a solver that gives no answer is a solver_error, never "cannot grow".

How the failures are provoked (real GLPK and HiGHS, real e_coli_core, no mock): solver limits
set at the optlang boundary of the model a tool receives.

- GLPK with an iteration limit of 0 stops at its starting basis; glp_simplex returns
  GLP_EITLIM with the basis primal infeasible (GLP_INFEAS) and optlang reports the LP as
  ``infeasible`` -- on the main branch run_fba then said "cannot grow". Now the missing proof
  (GLP_NOFEAS) is noticed, the LP is solved again on HiGHS and the true optimum comes back.
- HiGHS as the configured solver with an iteration limit of 0: GLPK answers instead (this also
  covers optlang's clone turning HiGHS's "no time limit" into GLPK's "stop at once").
- Neither solver answers: GLPK as above, and HiGHS made to fail by an injected failure at the
  optlang boundary (``hybrid_interface.Model._optimize`` returns ``undefined``; no real HiGHS
  setting survives optlang's clone and makes it fail) -> ``solver_error``.
- FVA: the same GLPK limit set after the FVA problem is prepared makes its LPs fail: the failed
  LPs are solved again on HiGHS (same ranges as unlimited GLPK), or (HiGHS failing as above) the
  run is a ``solver_error``; a range is never NaN.
"""

from __future__ import annotations

import math
from typing import Any

import cobra
import optlang.hybrid_interface
import pytest
from optlang import interface

from fluxagent.core.state import SessionState
from fluxagent.tools import load_all
from fluxagent.tools.cobra import fva_engine
from fluxagent.tools.cobra.fva_engine import fva_step, plan_fva, prepare_fva
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolError, ToolFailure, ToolResult

load_all()
CORE_GROWTH = 0.8739215069684


class OneModel:
    """A ModelProvider lending one prepared model (the solver limits under test)."""

    def __init__(self, model: cobra.Model) -> None:
        self.model = model

    def build(self, name: str | None, state: SessionState) -> Any:
        return self.model


def limited() -> cobra.Model:
    """e_coli_core on GLPK with an iteration limit of 0."""
    model = cobra.io.load_model("textbook")
    model.solver.configuration._smcp.it_lim = 0
    return model


@pytest.fixture
def failing_highs(monkeypatch: pytest.MonkeyPatch) -> None:
    """HiGHS (optlang's hybrid interface) reports ``undefined`` for every LP."""
    def undefined(self: Any) -> str:
        return interface.UNDEFINED

    monkeypatch.setattr(optlang.hybrid_interface.Model, "_optimize", undefined)


def run(tool: str, model: cobra.Model, **args: Any) -> ToolResult | ToolError:
    ctx = ToolContext(session_id="t", state=SessionState(session_id="t"),
                      models=OneModel(model))
    return REGISTRY.execute(tool, {"model": "e_coli_core", **args}, ctx)


def test_the_limit_really_makes_glpk_say_infeasible() -> None:
    """The trigger is real: optlang reports GLPK's iteration limit as 'infeasible'."""
    model = limited()
    assert math.isnan(model.slim_optimize(error_value=math.nan))
    assert model.solver.status == "infeasible"


@pytest.mark.parametrize("tool", ["run_fba", "run_pfba"])
def test_no_answer_from_glpk_is_retried_on_highs(tool: str) -> None:
    model = limited()
    before = model.solver
    result = run(tool, model)
    assert isinstance(result, ToolResult), result
    assert "cannot grow" not in result.summary
    assert abs(result.data["growth_rate"] - CORE_GROWTH) < 1e-6
    assert result.provenance.solver == "hybrid"
    assert "glpk reported undefined" in result.provenance.parameters["solver_fallback"]
    assert model.solver is before  # the lent model gets its own solver object back


def test_no_answer_from_highs_is_retried_on_glpk() -> None:
    model = cobra.io.load_model("textbook")
    model.solver = "hybrid"
    model.solver.problem.settings["iteration_limit"] = 0
    result = run("run_fba", model)
    assert isinstance(result, ToolResult), result
    assert abs(result.data["growth_rate"] - CORE_GROWTH) < 1e-6
    assert result.provenance.solver == "glpk"
    assert "hybrid reported iteration_limit" in result.provenance.parameters["solver_fallback"]


@pytest.mark.usefixtures("failing_highs")
def test_no_answer_from_either_solver_is_a_solver_error() -> None:
    model = limited()
    for tool in ("run_fba", "knockout_genes", "run_fva"):
        extra = {"genes": ["b4025"]} if tool == "knockout_genes" else {}
        result = run(tool, model, **extra)
        assert isinstance(result, ToolError), (tool, result)
        assert result.kind == "solver_error", (tool, result)
        assert "glpk reported undefined" in result.message
        assert "hybrid reported undefined" in result.message


@pytest.mark.usefixtures("failing_highs")
def test_a_screen_never_counts_a_solver_failure_as_lethal() -> None:
    result = run("essential_genes", limited(), processes=1)
    assert isinstance(result, ToolError) and result.kind == "solver_error", result


def _prepared_fva(model: cobra.Model, rids: list[str]) -> tuple[Any, list[float]]:
    _, fluxes = prepare_fva(model, 1.0)
    plan = plan_fva(model, rids, fluxes, None)
    return plan, [fva_step(model, t) for t in plan.tasks]


def test_failed_fva_lps_are_solved_on_the_other_solver() -> None:
    rids = ["PGI", "PFK", "FUM", "MDH", "ME1", "ME2", "PPCK", "SUCDi", "GLNS", "ACALD"]
    reference = cobra.io.load_model("textbook")
    with reference:
        plan, good = _prepared_fva(reference, rids)
        expected = plan.ranges(good)
    model = cobra.io.load_model("textbook")
    with model:
        _, fluxes = prepare_fva(model, 1.0)
        plan = plan_fva(model, rids, fluxes, None)
        model.solver.configuration._smcp.it_lim = 0  # every LP after the setup fails
        values = [fva_step(model, t) for t in plan.tasks]
        assert any(math.isnan(v) for v in values)  # what used to become NaN ranges
        ranges = plan.ranges(fva_engine.settle_failures(model, plan.tasks, values))
    for rid in rids:
        assert ranges[rid] == pytest.approx(expected[rid], abs=1e-6), rid


@pytest.mark.usefixtures("failing_highs")
def test_fva_lps_no_solver_answers_are_a_solver_error() -> None:
    model = cobra.io.load_model("textbook")
    with model:
        _, fluxes = prepare_fva(model, 1.0)
        plan = plan_fva(model, ["PGI", "FUM", "MDH"], fluxes, None)
        model.solver.configuration._smcp.it_lim = 0
        values = [fva_step(model, t) for t in plan.tasks]
        with pytest.raises(ToolFailure) as info:
            fva_engine.settle_failures(model, plan.tasks, values)
    assert info.value.kind == "solver_error"
    assert "FVA" in info.value.message and "PGI" in info.value.message


def test_true_infeasibility_is_still_an_answer() -> None:
    model = cobra.io.load_model("textbook")
    result = run("run_fba", model, conditions={"bounds": {"ATPM": [500, 1000]}})
    assert isinstance(result, ToolResult), result
    assert result.data["status"] == "infeasible" and "cannot grow" in result.summary
    assert result.provenance.solver == "glpk"


@pytest.mark.usefixtures("failing_highs")
def test_fba_stands_when_its_flux_ranges_cannot_be_computed() -> None:
    from fluxagent.tools.cobra.fba import ranges_text, reported_ranges, solution_fluxes
    from fluxagent.tools.solver import optimize

    model = cobra.io.load_model("textbook")
    with model:
        assert optimize(model, cold=True)[0] == "optimal"
        fluxes = solution_fluxes(model)
        model.solver.configuration._smcp.it_lim = 0  # the FVA LPs after the optimum fail
        extra = reported_ranges(model, fluxes, ["PGI"])
    assert extra["flux_ranges"] == {} and "no optimum" in extra["flux_ranges_error"]
    assert extra["asked_fluxes"]["PGI"] == pytest.approx(fluxes["PGI"])
    assert "unknown" in ranges_text(extra)
