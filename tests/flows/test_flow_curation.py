"""The model_curation flow on iJO1366 through the same Agent and loop users run: validation,
phenotype comparison, proposals, one approval per fix (approved: applied; rejected: nothing
changes), re-scoring after each decision; it validates and replays to the same decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.flows.library import load_flow
from fluxagent.flows.replay import replay_decisions
from fluxagent.flows.validate import validate_flow
from fluxagent.store.memory import MemoryStore
from fluxagent.tools import load_all


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Agent:
    return Agent(settings=Settings(data_dir=tmp_path_factory.mktemp("curation")),
                 store=MemoryStore())


def test_model_curation_flow(agent: Agent, tmp_path: Path) -> None:
    assert validate_flow(load_flow("model_curation"), load_all()) == []
    st = agent.run_flow("model_curation", model="iJO1366", dataset="ecoli_biolog_nitrogen",
                        max_items=2, max_fixes=2, gapfill=False)
    sid = st.session_id
    assert st.status == "waiting_for_approval"
    first = st.pending_call
    assert first is not None and first.name == "apply_model_fix"
    assert first.args["fix"] == "P1" and first.args["diff"]
    st = agent.approve(sid, comment="ok")
    assert st.status == "waiting_for_approval" and st.pending_call is not None
    assert st.pending_call.args["fix"] == "P2"
    changes = st.models["iJO1366"].changes
    assert [c["fix"] for c in changes] == ["P1"]
    st = agent.reject(sid, "no")
    assert st.status == "done"
    assert st.models["iJO1366"].changes == changes  # the rejection changed nothing
    thread = agent.thread(sid)
    path = [e.data["to"] for e in thread.of_type("flow_transition") if e.data["to"]]
    assert path == ["validate", "compare", "propose", "apply", "rescore", "apply", "rescore",
                    "report"]
    scores = [e.data["data"]["scores"] for e in thread.of_type("tool_result")
              if e.data["tool"] == "compare_phenotypes"]
    before, after = scores[0]["confusion"], scores[-1]["confusion"]
    assert before == {"TP": 28, "FP": 10, "FN": 8, "TN": 15}
    assert after == {"TP": 28, "FP": 9, "FN": 8, "TN": 16}  # P1 fixed one false positive
    answer = st.answer or ""
    assert "MCC 0.3834" in answer and "after: accuracy 0.7213, MCC 0.4206" in answer
    assert "Unverified" not in answer  # every number traces to a tool result
    cv = next(e.data["data"]["cross_validation"] for e in thread.of_type("tool_result")
              if e.data["tool"] == "reconcile_phenotypes")
    assert cv["metric"] == "mcc" and cv["held_out_before"] == pytest.approx(0.38335571851)
    assert (f"held-out MCC {cv['held_out_before']:.4g} before, {cv['held_out_after']:.4g} "
            "after") in answer and "fixes put to a person: 2" in answer
    n, problems = replay_decisions(thread, agent.runner.decider, agent.runner.context,
                                   agent.registry.specs())
    assert n >= 2 and problems == [], problems
