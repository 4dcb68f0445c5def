"""Planning: frames to tool calls (pure; the tool schemas come from the real registry)."""

from __future__ import annotations

from typing import Any

import pytest

from fluxagent.llm.offline.dialog import interpret
from fluxagent.llm.offline.plan import plan
from fluxagent.llm.offline.text import analyse
from fluxagent.tools import load_all


@pytest.fixture(scope="module")
def specs() -> list[dict[str, Any]]:
    return load_all().specs()


def calls(q: str, specs: list[dict[str, Any]], current: str | None = None,
          missing: frozenset[str] = frozenset()) -> list[tuple[str, dict[str, Any]]]:
    frame = interpret(analyse(q))
    return [(c.name, c.args) for c in plan(frame, current_model=current, specs=specs,
                                           missing=missing)]


def test_growth_with_conditions(specs: list[dict[str, Any]]) -> None:
    assert calls("Growth of iJO1366 on succinate without oxygen", specs) == [
        ("load_model", {"model": "iJO1366"}),
        ("run_fba", {"model": "iJO1366",
                     "conditions": {"carbon_source": "succinate", "oxygen": False}})]
    # the model in use is not loaded again; no model named: the session's model (None)
    assert calls("Growth of iJO1366 on glucose", specs, current="iJO1366")[0][0] == "run_fba"
    assert calls("growth with glucose uptake limited to 5", specs) == [
        ("run_fba", {"conditions": {"carbon_source": "glucose", "carbon_uptake": 5.0}})]


def test_knockouts_are_conditions_of_other_analyses(specs: list[dict[str, Any]]) -> None:
    assert calls("FVA of PFK in a pgi mutant", specs) == [
        ("run_fva", {"conditions": {"knockout_genes": ["pgi"]}, "reactions": ["PFK"]})]
    assert calls("Essential genes of the zwf knockout without oxygen", specs) == [
        ("essential_genes", {"conditions": {"oxygen": False, "knockout_genes": ["zwf"]}})]
    assert calls("Knock out PFK and pgi", specs) == [
        ("run_fba", {}),
        ("run_fba", {"conditions": {"knockout_genes": ["pgi"], "knockout_reactions": ["PFK"]}})]


def test_comparisons_run_each_variant(specs: list[dict[str, Any]]) -> None:
    assert calls("Compare aerobic and anaerobic growth", specs) == [
        ("run_fba", {"conditions": {"oxygen": True}}),
        ("run_fba", {"conditions": {"oxygen": False}})]
    assert calls("Compare the growth of e_coli_core and iJO1366", specs) == [
        ("run_fba", {"model": "e_coli_core"}), ("run_fba", {"model": "iJO1366"})]
    assert calls("How many genes do e_coli_core and iJO1366 have?", specs) == [
        ("model_summary", {"model": "e_coli_core"}), ("model_summary", {"model": "iJO1366"})]


def test_products_floors_and_fallbacks(specs: list[dict[str, Any]]) -> None:
    assert calls("Max succinate production with growth of at least 0.1 1/h", specs) == [
        ("theoretical_yield", {"product": "succinate", "min_growth": 0.1})]
    assert calls("Max acetate yield keeping at least 50% of maximal growth", specs) == [
        ("theoretical_yield", {"product": "acetate", "growth_fraction": 0.5})]
    # without theoretical_yield and production_envelope, FBA with the product as objective
    assert calls("Max acetate production", specs,
                 missing=frozenset({"theoretical_yield", "production_envelope"})) == [
        ("run_fba", {"objective": "acetate", "direction": "max"})]


def test_other_intents(specs: list[dict[str, Any]]) -> None:
    assert calls("Find a pathway from glucose to pyruvate", specs) == [
        ("find_pathway", {"source": "glucose", "target": "pyruvate"})]
    assert calls("Run a gene deletion screen", specs) == [("gene_deletion_screen", {})]
    assert calls("minimal medium for growth at 0.2 per hour, lowest total uptake", specs) == [
        ("minimal_medium", {"min_growth": 0.2, "minimize": "flux"})]
    assert calls("What is the flux through PGI on succinate?", specs) == [
        ("run_fba", {"conditions": {"carbon_source": "succinate"}}),
        ("run_fva", {"conditions": {"carbon_source": "succinate"}, "reactions": ["PGI"],
                     "fraction_of_optimum": 1.0})]
    assert calls("Switch the carbon source of iJO1366 to succinate: growth?", specs)[1] == (
        "run_fba", {"model": "iJO1366", "conditions": {"carbon_source": "succinate"}})


def test_arguments_fit_the_schemas(specs: list[dict[str, Any]]) -> None:
    from fluxagent.tools.registry import REGISTRY
    for q in ("FVA of PFK at 90% of optimum", "Which reactions are blocked?",
              "Validate the model", "What is in the medium?", "pFBA total flux",
              "Which genes are essential anaerobically?", "Sample the fluxes"):
        for name, args in calls(q, specs):
            assert not hasattr(REGISTRY.validate(name, args), "kind"), (q, name, args)
