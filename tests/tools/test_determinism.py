"""Issue 11, defect 11: the same question gives the same flux vector whatever ran before.

The reference is a fresh process (a real subprocess) running cobrapy on the bundled iJO1366:
``model.optimize()`` and ``pfba(model)``, as the eval reference values are computed. In this
process one Agent (one model pool, the offline planner, a real SQLite store) first answers other
questions in other sessions (FVA, production maximisation, a knockout), then the FBA and pFBA
questions; their tool results must hold the fresh-process vectors. On the main branch before
the fix FRD2 came out as 31.3473 instead of 0, with ~30 fluxes differing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fluxagent.agent import Agent
from fluxagent.config import Settings

FRESH = r"""
import json, sys
from importlib import resources
import cobra
from cobra.flux_analysis import pfba
model = cobra.io.read_sbml_model(str(resources.files("cobra.data") / "iJO1366.xml.gz"))
sol = pfba(model) if sys.argv[1] == "pfba" else model.optimize()
print(json.dumps(sol.fluxes.to_dict()))
"""


def fresh_fluxes(mode: str) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", FRESH, mode], capture_output=True, text=True,
                          timeout=600, check=True)
    return {k: v for k, v in json.loads(proc.stdout).items() if abs(v) >= 1e-9}


def tool_data(agent: Agent, session_id: str, tool: str) -> dict[str, Any]:
    results = [ev.data for ev in agent.thread(session_id) if ev.type == "tool_result"
               and ev.data.get("tool") == tool]
    assert results, f"no {tool} result in session {session_id}"
    return dict(results[-1]["data"])


def differing(a: dict[str, float], b: dict[str, float], tol: float = 1e-6) -> dict[str, Any]:
    return {k: (a.get(k, 0.0), b.get(k, 0.0)) for k in set(a) | set(b)
            if abs(a.get(k, 0.0) - b.get(k, 0.0)) > tol}


@pytest.fixture(scope="module")
def busy_agent(tmp_path_factory: pytest.TempPathFactory) -> Agent:
    """An agent whose model pool has served other sessions on iJO1366."""
    agent = Agent(settings=Settings(data_dir=tmp_path_factory.mktemp("busy"), llm="offline",
                                    processes=2))
    for question in ("Flux variability of all reactions in iJO1366 at 90% of the optimum",
                     "What is the maximum succinate production of iJO1366?",
                     "Knock out pgi in iJO1366. Growth?",
                     "Run FVA for FRD2, PGI and SUCDi in iJO1366"):
        state = agent.ask(question)
        assert state.status == "done", (question, state.status, state.failure)
    return agent


def test_fba_after_other_work_equals_a_fresh_process(busy_agent: Agent) -> None:
    state = busy_agent.ask("What is the flux through FRD2 in the optimal solution of iJO1366?")
    assert state.status == "done"
    data = tool_data(busy_agent, state.session_id, "run_fba")
    assert differing(data["fluxes"], fresh_fluxes("fba")) == {}
    assert data["fluxes"].get("FRD2", 0.0) == 0.0


def test_pfba_after_other_work_equals_a_fresh_process(busy_agent: Agent) -> None:
    state = busy_agent.ask("Run pFBA on iJO1366")
    assert state.status == "done"
    data = tool_data(busy_agent, state.session_id, "run_pfba")
    assert differing(data["fluxes"], fresh_fluxes("pfba")) == {}


def test_nonunique_flux_is_reported_with_its_range(busy_agent: Agent) -> None:
    from fluxagent.core.state import SessionState
    from fluxagent.tools.models import ModelStore
    from fluxagent.tools.registry import REGISTRY, ToolContext

    ctx = ToolContext(session_id="x", state=SessionState(session_id="x"),
                      models=ModelStore(busy_agent.settings), settings=busy_agent.settings)
    result = REGISTRY.execute("run_fba", {"model": "iJO1366", "reactions": ["FRD2", "PGI"]},
                              ctx)
    assert result.ok, result
    lo, hi = result.data["flux_ranges"]["FRD2"]
    assert lo == 0.0 and abs(hi - 31.3473) < 1e-3
    assert "FRD2" in result.data["nonunique"] and "PGI" not in result.data["nonunique"]
    assert result.data["asked_fluxes"]["FRD2"] == 0.0
    assert "FRD2 0 (range [0, 31.3473] at the optimum)" in result.summary
    assert "PGI" in result.summary and "(unique)" in result.summary


def test_fresh_reference_is_itself_stable(tmp_path: Path) -> None:
    """Two fresh processes agree (the reference is not noise)."""
    assert differing(fresh_fluxes("fba"), fresh_fluxes("fba"), 0.0) == {}
