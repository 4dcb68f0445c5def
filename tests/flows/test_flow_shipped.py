"""The shipped flows, end to end with the real tools on e_coli_core and iJO1366, through the
same Agent and loop users run; every flow validates, renders, and replays to the same
decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cobra
import pytest

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.flows.library import flow_files, load_flow
from fluxagent.flows.replay import replay_decisions
from fluxagent.flows.validate import validate_flow
from fluxagent.flows.visualize import mermaid, svg
from fluxagent.store.memory import MemoryStore
from fluxagent.tools import load_all

SHIPPED = ["metabolic_analysis", "model_validation", "pathway_discovery",
           "media_optimization", "knockout_study"]


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Agent:
    data = tmp_path_factory.mktemp("flows_data")
    return Agent(settings=Settings(data_dir=data), store=MemoryStore())


@pytest.fixture(scope="module")
def core_growth() -> float:
    return float(cobra.io.load_model("textbook").slim_optimize())


def run(agent: Agent, name: str, **inputs: Any) -> tuple[Any, Any]:
    state = agent.run_flow(name, **inputs)  # the Python API (run_flow on the agent's runner)
    return state, agent.thread(state.session_id)


def path(thread: Any) -> list[str]:
    return [e.data["to"] for e in thread.of_type("flow_transition") if e.data["to"]]


def assert_replays(agent: Agent, thread: Any) -> None:
    n, problems = replay_decisions(thread, agent.runner.decider, agent.runner.context,
                                   agent.registry.specs())
    assert n >= 2 and problems == [], problems


def test_all_shipped_flows_are_valid_and_render(tmp_path: Path) -> None:
    files = flow_files()
    assert set(SHIPPED) <= set(files)
    registry = load_all()
    for name in files:
        f = load_flow(name)
        assert validate_flow(f, registry) == [], name
        text = mermaid(f)
        assert text.startswith("flowchart TD")
        assert all(s in text for s in f.states)
        picture = svg(f)
        assert picture.count('class="state') == len(f.states)
        (tmp_path / f"{name}.svg").write_text(picture)
        import xml.etree.ElementTree as ET
        ET.fromstring(picture)  # well-formed


def test_metabolic_analysis_on_e_coli_core(agent: Agent, core_growth: float) -> None:
    state, thread = run(agent, "metabolic_analysis")
    assert state.status == "done"
    assert path(thread) == ["summary", "growth", "flux_distribution", "flux_ranges", "report"]
    assert f"grows at {core_growth:.4g} 1/h" in state.answer
    assert "95 reactions ranged" in state.answer
    assert_replays(agent, thread)


def test_metabolic_analysis_branches_when_it_cannot_grow(agent: Agent) -> None:
    state, thread = run(agent, "metabolic_analysis", carbon_source="acetate", oxygen=False)
    assert state.status == "done"
    assert path(thread)[-2:] == ["check_missing_nutrients", "no_growth"]
    assert "does not grow" in state.answer and "fewest nutrients" in state.answer


def test_metabolic_analysis_follow_up_goes_to_the_decider(agent: Agent) -> None:
    state, thread = run(agent, "metabolic_analysis",
                        question="Which genes are essential without oxygen?")
    assert state.status == "done"
    inner = [e for e in thread.of_type("tool_call") if e.data["by"] == "offline"]
    assert [e.data["name"] for e in inner] == ["essential_genes"]
    assert inner[0].data["args"]["conditions"] == {"oxygen": False}
    out = [e for e in thread.of_type("flow_transition") if e.data["from"] == "follow_up"]
    assert "essential genes" in out[0].data["output"]["answer"]
    assert "b4025 (pgi)" in state.answer  # pgi is essential only without oxygen
    assert_replays(agent, thread)


def test_model_validation_on_e_coli_core(agent: Agent) -> None:
    state, thread = run(agent, "model_validation")
    assert state.status == "done"
    assert path(thread) == ["validate", "blocked_reactions", "balances", "energy_cycles",
                            "growth", "report"]
    model = cobra.io.load_model("textbook")
    blocked = cobra.flux_analysis.find_blocked_reactions(model)
    assert f"blocked reactions: {len(blocked)} of 95 tested" in state.answer
    assert "energy-generating cycles: 0" in state.answer
    assert "consistency: consistent" in state.answer
    assert_replays(agent, thread)


def test_pathway_discovery_on_e_coli_core(agent: Agent) -> None:
    state, thread = run(agent, "pathway_discovery")
    assert state.status == "done"
    assert path(thread) == ["route", "route_flux", "yield", "envelope", "report"]
    model = cobra.io.load_model("textbook")
    model.objective = "EX_succ_e"
    assert f"{model.slim_optimize():.4g} mmol/gDW/h" in state.answer
    assert "GLCpts" in state.answer and "FRD7" in state.answer
    state, thread = run(agent, "pathway_discovery", target="xylitol")
    assert path(thread) == ["route", "search_alternatives", "no_route"]
    assert "No route from glc__D to xylitol" in state.answer


def test_media_optimization_on_e_coli_core(agent: Agent) -> None:
    state, thread = run(agent, "media_optimization", min_growth=0.1)
    assert state.status == "done"
    assert path(thread) == ["current_medium", "growth", "minimal", "verify", "essentials",
                            "report"]
    assert "3 nutrients: EX_glc__D_e, EX_nh4_e, EX_pi_e" in state.answer
    verify = [e for e in thread.of_type("tool_result") if e.data["tool"] == "run_fba"][-1]
    assert verify.data["data"]["growth_rate"] >= 0.1 - 1e-6
    assert_replays(agent, thread)


def test_knockout_study_on_e_coli_core(agent: Agent) -> None:
    state, thread = run(agent, "knockout_study", genes=["pgi"])
    assert state.status == "done"
    assert path(thread) == ["wild_type", "knockout", "moma", "screen_or_report", "report"]
    model = cobra.io.load_model("textbook")
    model.genes.get_by_id("b4025").knock_out()
    assert f"growth {model.slim_optimize():.4g} 1/h" in state.answer
    state, thread = run(agent, "knockout_study", genes=["b2779"], moma=False)  # eno: lethal
    assert path(thread)[-2:] == ["lethal", "report_lethal"]
    assert "is lethal" in state.answer
    assert_replays(agent, thread)


@pytest.mark.slow
def test_every_flow_runs_on_ijo1366_with_small_subsets(agent: Agent) -> None:
    """iJO1366: the same flows, kept fast with small subsets (two FVA reactions, five
    reactions tested for blocking, no MOMA)."""
    ijo = cobra.io.load_model("iJO1366")
    growth = ijo.slim_optimize()
    runs: dict[str, dict[str, Any]] = {
        "metabolic_analysis": {"model": "iJO1366", "fva_reactions": ["PGI", "PFK"]},
        "model_validation": {"model": "iJO1366",
                             "reactions": ["PGI", "PFK", "ACALD", "XYLI1", "FRUpts2pp"]},
        "pathway_discovery": {"model": "iJO1366", "points": 4},
        "media_optimization": {"model": "iJO1366", "min_growth": 0.1},
        "knockout_study": {"model": "iJO1366", "genes": ["b4025"], "moma": False},
    }
    answers = {}
    for name, inputs in runs.items():
        state, thread = run(agent, name, **inputs)
        assert state.status == "done", (name, state.answer)
        assert "stopped" not in state.answer, state.answer
        answers[name] = state.answer
        models = {e.data.get("provenance", {}).get("model_id")
                  for e in thread.of_type("tool_result")} - {None}
        assert models == {"iJO1366"}, (name, models)
    assert f"grows at {growth:.4g} 1/h" in answers["metabolic_analysis"]
    assert "2 reactions ranged" in answers["metabolic_analysis"]
    assert "of 5 tested" in answers["model_validation"]
    assert "Route from glc__D" in answers["pathway_discovery"]
    assert "Minimal medium for growth ≥ 0.1 1/h" in answers["media_optimization"]
    assert "Knocking out b4025 in iJO1366" in answers["knockout_study"]
