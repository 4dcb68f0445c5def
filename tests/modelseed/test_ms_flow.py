"""The genome_to_model flow end to end through the Agent: build -> gapfill (approval) ->
ATP check -> growth -> report, on the example genome with three central genes' functions
removed so that the draft needs gap-filling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mskit import CORE_GROWTH, EXAMPLE_GENOME, settings

from fluxagent.agent import Agent
from fluxagent.flows.library import load_flow
from fluxagent.flows.run import run_flow
from fluxagent.flows.validate import validate_flow
from fluxagent.runtime import sessions
from fluxagent.store.memory import MemoryStore
from fluxagent.tools import load_all

# the roles behind rxn00256 (citrate synthase) and rxn00777 (ribose-5-phosphate isomerase)
DROP = ("citrate synthase", "ribose-5-phosphate isomerase")


def test_flow_is_valid() -> None:
    assert validate_flow(load_flow("genome_to_model"), load_all()) == []


def test_genome_to_model_pauses_for_approval_and_reports(tmp_path: Path, index: object) -> None:
    genome = json.loads(EXAMPLE_GENOME.read_text())
    for f in genome["features"]:
        f["functions"] = [fn for fn in f.get("functions", [])
                          if not any(d in fn.lower() for d in DROP)]
    path = tmp_path / "crippled_genome.json"
    path.write_text(json.dumps(genome))
    agent = Agent(settings=settings(tmp_path / "data"), store=MemoryStore())
    st = run_flow(agent.runner, load_flow("genome_to_model"), {"genome": str(path)})
    approved = []
    while st.status == "waiting_for_approval":
        assert st.pending_call is not None
        approved.append(st.pending_call.name)
        st = sessions.decide(agent.runner, st.session_id, "approve", comment="ok")
    assert st.status == "done", st.failure
    assert approved == ["build_model_from_genome", "modelseed_gapfill"]
    thread = agent.thread(st.session_id)
    results = {e.data.get("tool"): e.data for e in thread.of_type("tool_result")}
    gap = results["modelseed_gapfill"]["data"]
    assert gap["growth_before"] == 0 and gap["growth_after"] > 1.0
    assert results["atp_safety_check"]["data"]["safe"] is True
    fba = results["run_fba"]["data"]
    assert fba["growth_rate"] == pytest.approx(gap["growth_after"], rel=1e-6)
    assert "Gap-filled on glucose_minimal" in (st.answer or "")
    assert "ATP safety: safe" in (st.answer or "")
    assert st.current_model == "draft_219790_10_1"
    assert gap["growth_after"] <= CORE_GROWTH + 1e-6
