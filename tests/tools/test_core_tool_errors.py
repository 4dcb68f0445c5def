"""Bad input for every cobrapy tool of this package: a ToolError of the right kind, never an
exception, never a change to the stored base model or to another session's model."""

from __future__ import annotations

from typing import Any

import pytest
from toolctx import STORE, err, execute, state

from fluxagent.tools.models import fingerprint
from fluxagent.tools.results import ToolError, ToolResult

#: tool -> minimal valid arguments
TOOLS: dict[str, dict[str, Any]] = {
    "model_summary": {}, "get_medium": {}, "search_model": {"query": "glc"},
    "run_fba": {}, "run_pfba": {}, "run_fva": {"reactions": ["PFK"]},
    "run_moma": {"genes": ["pgi"]}, "flux_sampling": {"n": 2, "seed": 1},
    "production_envelope": {"product": "acetate", "points": 3},
    "theoretical_yield": {"product": "acetate"},
    "knockout_genes": {"genes": ["pgi"]}, "knockout_reactions": {"reactions": ["PFK"]},
    "gene_deletion_screen": {"genes": ["pgi"]},
    "reaction_deletion_screen": {"reactions": ["PFK"]},
    "essential_genes": {}, "essential_reactions": {},
    "set_medium": {"oxygen": False}, "set_bounds": {"reaction": "PFK", "upper": 5},
    "set_objective": {"reaction": "PFK"}, "export_model": {"format": "json"},
    "reset_model": {}, "load_model": {"model": "e_coli_core"}, "list_models": {},
}
ANALYSES = ["run_fva", "run_moma", "flux_sampling", "production_envelope",
            "gene_deletion_screen", "reaction_deletion_screen", "essential_genes",
            "essential_reactions"]
INFEASIBLE = {"carbon_source": "acetate", "oxygen": False}


@pytest.fixture(scope="module", autouse=True)
def base_untouched():  # type: ignore[no-untyped-def]
    before = fingerprint(STORE.base("e_coli_core").model)
    yield
    assert fingerprint(STORE.base("e_coli_core").model) == before
    model = STORE.build("e_coli_core", state())
    assert abs(model.slim_optimize() - 0.873922) < 1e-6


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_valid_call_then_bad_types_and_unknown_fields(tool: str) -> None:
    assert isinstance(execute(tool, TOOLS[tool]), ToolResult)
    e = err(tool, TOOLS[tool] | {"no_such_argument": 1})
    assert e.kind == "bad_arguments" and "no_such_argument" in e.message
    e = err(tool, TOOLS[tool] | {"model": 42})
    assert e.kind == "bad_arguments" and "model" in e.message


@pytest.mark.parametrize("tool", sorted(set(TOOLS) - {"list_models", "load_model"}))
def test_unknown_model(tool: str) -> None:
    e = err(tool, TOOLS[tool] | {"model": "e_coli_kore"})
    assert e.kind == "model_not_loaded" and "e_coli_core" in e.hint


@pytest.mark.parametrize("tool", ANALYSES)
def test_infeasible_medium(tool: str) -> None:
    e = err(tool, TOOLS[tool] | {"conditions": INFEASIBLE})
    assert e.kind == "infeasible" and "EX_ac_e" in e.hint


@pytest.mark.parametrize("tool", [*ANALYSES, "run_fba", "theoretical_yield"])
def test_unknown_ids_in_conditions(tool: str) -> None:
    for cond in ({"knockout_genes": ["pgiX"]}, {"carbon_source": "unobtainium"},
                 {"medium": {"glucose": 10, "EX_nope_e": 5}}, {"bounds": {"PFKK": [0, 1]}}):
        if tool == "run_moma" and "knockout_genes" in cond:
            # MOMA's own knockout (pgi) resolves: the unknown one is reported, not fatal
            out = execute(tool, TOOLS[tool] | {"conditions": cond})
            assert isinstance(out, ToolResult) and out.data["unresolved"] == ["pgiX"], out
            continue
        e = err(tool, TOOLS[tool] | {"conditions": cond})
        assert e.kind == "unknown_id" and e.hint, (tool, cond)
    e = err(tool, TOOLS[tool] | {"conditions": {"bounds": {"PFK": [5, 1]}}})
    assert e.kind == "bad_arguments"
    e = err(tool, TOOLS[tool] | {"conditions": {"oxygen": "sometimes"}})
    assert e.kind == "bad_arguments"


def test_no_growth_results_for_growth_tools() -> None:
    for tool in ("run_fba", "run_pfba", "knockout_genes", "theoretical_yield"):
        out = execute(tool, TOOLS[tool] | {"conditions": INFEASIBLE})
        assert isinstance(out, ToolResult), out
        assert out.data["status"] == "infeasible"


def test_nothing_is_internal() -> None:
    weird: list[tuple[str, dict[str, Any]]] = [
        ("run_fva", {"reactions": []}), ("search_model", {"query": ""}),
        ("set_medium", {"medium": {}}), ("theoretical_yield", {"product": "PFK"}),
        ("production_envelope", {"product": "acetate", "reaction": "EX_ac_e"}),
        ("run_fba", {"conditions": {"medium": {}}}), ("load_model", {"path": "/"}),
        ("export_model", {"format": "json", "path": "/proc/nope/x.json"}),
    ]
    for tool, args in weird:
        out = execute(tool, args)
        assert not (isinstance(out, ToolError) and out.kind == "internal"), (tool, out)
