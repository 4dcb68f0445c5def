"""Both namespaces: a ModelSEED draft links and plans like e_coli_core, and e_coli_core takes
ModelSEED ids. The draft is the Core-V6 build of the example genome (real cobrapy, real files)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import cobra
import pytest
from mskit import EXAMPLE_GENOME, ctx, err, load, run, settings, use

from fluxagent.config import Settings
from fluxagent.tools.linking import link
from fluxagent.tools.registry import ToolContext


@pytest.fixture
def draft(fresh: Settings) -> tuple[ToolContext, cobra.Model]:
    """A session whose current model is the Core-V6 draft, and that draft as cobrapy reads it."""
    c = ctx(fresh)
    (effect,) = run("build_model_from_genome", {"genome": str(EXAMPLE_GENOME)}, c).effects
    return use(c, effect), load(fresh, effect["base"])


def test_names_and_bigg_ids_link_on_the_draft(draft: tuple[ToolContext, Any]) -> None:
    _, model = draft
    for text in ("glucose", "D-glucose", "glc__D", "glc__D_e", "cpd00027_e0", "EX_cpd00027_e0",
                 "D-Glucose_e0", "D-Glucose [e0]"):
        assert link(model, text, "exchange") == "EX_cpd00027_e0", text
    assert link(model, "glc__D_e", "metabolite") == "cpd00027_e0"
    assert link(model, "glc__D_c", "metabolite") == "cpd00027_c0"
    assert link(model, "D-Glucose_e0", "metabolite") == "cpd00027_e0"
    for text in ("oxygen", "o2", "O2", "o2_e"):
        assert link(model, text, "exchange") == "EX_cpd00007_e0", text
    assert link(model, "succinate", "metabolite") == "cpd00036_c0"
    assert link(model, "PGI", "reaction") == "rxn00558_c0"


def test_no_silent_guess_on_the_draft(draft: tuple[ToolContext, Any]) -> None:
    from fluxagent.tools.results import ToolFailure
    _, model = draft
    with pytest.raises(ToolFailure) as exc:  # in two compartments: ambiguous, with candidates
        link(model, "glucose", "metabolite")
    assert exc.value.kind == "unknown_id" and set(exc.value.data["candidates"]) == {
        "cpd00027_c0", "cpd00027_e0"}
    with pytest.raises(ToolFailure) as exc:  # the draft has no succinate exchange
        link(model, "succinate", "exchange")
    assert exc.value.kind == "unknown_id"


def test_modelseed_ids_link_on_e_coli_core(fresh: Settings) -> None:
    model = ctx(fresh).model(None)
    assert model.id == "e_coli_core"
    for text in ("cpd00027", "cpd00027_e0", "EX_cpd00027_e0"):
        assert link(model, text, "exchange") == "EX_glc__D_e", text
    assert link(model, "cpd00027_e0", "metabolite") == "glc__D_e"
    assert link(model, "cpd00013_e0", "exchange") == "EX_nh4_e"  # nh3 is not in the model
    assert link(model, "rxn00558_c0", "reaction") == "PGI"
    fba = run("run_fba", {"conditions": {"carbon_source": "cpd00027"}}, ctx(fresh)).data
    assert round(fba["growth_rate"], 6) == 0.873922
    e = err("run_fba", {"conditions": {"carbon_source": "cpd00027_c0"}}, ctx(fresh))
    assert e.kind == "unknown_id"  # e_coli_core has no cytosolic glucose: no compartment swap


def _by_hand(model: cobra.Model, **bounds: tuple[float, float]) -> float:
    with model:
        for rid, b in bounds.items():
            model.reactions.get_by_id(rid).bounds = b
        return float(model.slim_optimize())


def test_conditions_on_the_draft_equal_cobrapy(draft: tuple[ToolContext, Any]) -> None:
    c, model = draft
    assert model.medium["EX_cpd00007_e0"] > 0 and model.medium["EX_cpd00027_e0"] == 10
    anaerobic = run("run_fba", {"conditions": {"oxygen": False}}, c).data
    expected = _by_hand(model, EX_cpd00007_e0=(0.0, 1000.0))
    assert anaerobic["growth_rate"] == pytest.approx(expected, rel=1e-9)
    assert anaerobic["conditions"]["oxygen"] == "anaerobic"
    glucose = run("run_fba", {"conditions": {"carbon_source": "glucose"}}, c).data
    assert glucose["growth_rate"] == pytest.approx(
        _by_hand(model, EX_cpd00027_e0=(-10.0, 1000.0)), rel=1e-9)
    limited = run("run_fba", {"conditions": {"carbon_source": "glc__D_e", "carbon_uptake": 5,
                                             "oxygen": False}}, c).data
    assert limited["growth_rate"] == pytest.approx(
        _by_hand(model, EX_cpd00027_e0=(-5.0, 1000.0), EX_cpd00007_e0=(0.0, 1000.0)),
        rel=1e-9)
    assert 0 < anaerobic["growth_rate"] < glucose["growth_rate"]
    acetate = run("run_fba", {"conditions": {"carbon_source": "acetate"}}, c).data
    assert acetate["growth_rate"] == pytest.approx(
        _by_hand(model, EX_cpd00027_e0=(0.0, 1000.0), EX_cpd00029_e0=(-10.0, 1000.0)),
        rel=1e-9)


def _number(answer: str) -> float:
    m = re.search(r"(\d+\.\d+) 1/h", answer)
    assert m, answer
    return float(m.group(1))


def test_agent_session_on_a_draft(tmp_path: Path) -> None:
    from fluxagent.agent import Agent
    from fluxagent.store.memory import MemoryStore
    s = settings(tmp_path / "agent")
    agent = Agent(settings=s, store=MemoryStore())
    st = agent.ask(f"Build a draft model from the annotated genome {EXAMPLE_GENOME}")
    assert st.status == "waiting_for_approval"  # it changes the session's model
    assert st.pending_call is not None and st.pending_call.name == "build_model_from_genome"
    st = agent.approve(st.session_id, comment="ok")
    assert st.status == "done", st.answer
    built = [e for e in agent.thread(st.session_id) if e.type == "tool_result"
             and e.data.get("name", e.data.get("tool")) == "build_model_from_genome"]
    calls = [e.data for e in agent.thread(st.session_id) if e.type == "tool_call"]
    assert [c["name"] for c in calls] == ["build_model_from_genome"], calls
    assert calls[0]["args"] == {"genome": str(EXAMPLE_GENOME)} and built
    files = sorted((tmp_path / "agent" / "models").iterdir())
    model = cobra.io.load_json_model(files[0])

    n = len(agent.thread(st.session_id))
    st = agent.ask("How fast does it grow without oxygen?", session_id=st.session_id)
    assert st.status == "done", st.answer
    fba = [e.data for e in agent.thread(st.session_id).events[n:] if e.type == "tool_call"
           and e.data.get("by") != "prefetch"]
    assert [(c["name"], c["args"]) for c in fba] == [("run_fba", {"conditions":
                                                                  {"oxygen": False}})]
    expected = _by_hand(model, EX_cpd00007_e0=(0.0, 1000.0))
    assert _number(st.answer or "") == pytest.approx(expected, rel=1e-5)
    assert "anaerobic" in (st.answer or "") and "EX_cpd00027_e0" in (st.answer or "")

    st = agent.ask("growth with cpd00027_e0 limited to 5?", session_id=st.session_id)
    assert _number(st.answer or "") == pytest.approx(
        _by_hand(model, EX_cpd00027_e0=(-5.0, 1000.0)), rel=1e-5)
    st = agent.ask("Growth on succinate?", session_id=st.session_id)
    assert st.status == "done" and "no exchange reaction for succinate" in (st.answer or "")


def test_agent_looks_up_and_translates(tmp_path: Path, index: Any) -> None:
    from fluxagent.agent import Agent
    from fluxagent.store.memory import MemoryStore
    agent = Agent(settings=settings(tmp_path / "agent"), store=MemoryStore())
    st = agent.ask("Look up the compound glucose")
    assert st.status == "done" and "cpd00027" in (st.answer or "")
    st = agent.ask("Translate glc__D to ModelSEED")
    assert st.status == "done" and "cpd00027" in (st.answer or "")
    st = agent.ask("Look up the reaction for EC 5.3.1.9")
    assert st.status == "done" and "rxn00558" in (st.answer or "")
