"""Fanned-out shares travel through the artifact store: retries store each share once.

A ``fanout_block`` retried after it completed (its result report was lost) writes the same
bytes under the same hash: one file per share, whatever the attempts. The merge reads the
shares back into the result of one process and deletes them; a retried merge finds the
result stored and stores nothing twice (real PostgreSQL, the real sampler).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_idempotent_activities import _run

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.steps import Done, ToolCall
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.temporal.activities import SessionActivities
from fluxagent.runtime.temporal.fanout import MAX_NUMBERS

SAMPLING = {"model": "e_coli_core", "n": 700, "seed": 11}  # 66,500 fluxes: past the old bound


def _agent(data_dir: Path, url: str | None) -> Agent:
    script = [ToolCall(name="flux_sampling", args=SAMPLING), Done(answer="ok")]
    where = {"database_url": url} if url else {}
    return Agent(settings=Settings(data_dir=data_dir, **where), decider=ScriptedDecider(script))


def _shares(root: Path) -> list[Path]:
    return sorted(p for p in (root / "artifacts" / "chunks").rglob("*") if p.is_file())


def test_retried_blocks_store_each_share_once(tmp_path: Path, pg_fresh_url: str) -> None:
    agent = _agent(tmp_path / "data", pg_fresh_url)
    acts = SessionActivities(agent.runner, data_dir=tmp_path / "data")
    sid = sessions.launch(agent.runner, "sample", model="e_coli_core", run=False).session_id
    plan = _run(acts.plan_step, {"session_id": sid})
    _run(acts.apply_step, {"session_id": sid, "seq": plan["seq"], "kind": "decide"})
    plan = _run(acts.plan_step, {"session_id": sid})
    call = {"session_id": sid, "call_id": plan["call_id"]}

    assert _run(acts.fanout_plan, {**call, "parts": 2}) is None  # the old, inline bound
    shares = _run(acts.fanout_plan, {**call, "parts": 2, "stored": True})
    assert shares is not None and len(shares) == 2
    refs = [_run(acts.fanout_block, {**call, "chunks": s, "stored": True}) for s in shares]
    assert sum(r["values"] for r in refs) * 95 > MAX_NUMBERS
    stored = _shares(tmp_path / "data")
    assert len(stored) == 2
    before = [p.read_bytes() for p in stored]
    again = _run(acts.fanout_block, {**call, "chunks": shares[0], "stored": True})  # a retry
    assert again == refs[0]
    assert _shares(tmp_path / "data") == stored
    assert [p.read_bytes() for p in stored] == before

    assert _run(acts.fanout_merge, {**call, "refs": refs})["stored"]
    assert _shares(tmp_path / "data") == []  # cleaned up after the merge
    assert _run(acts.fanout_merge, {**call, "refs": refs}) == {"stored": False,
                                                                "why": "duplicate"}
    results = agent.thread(sid).of_type("tool_result")
    assert len(results) == 1

    local = _agent(tmp_path / "local", None)
    state = sessions.launch(local.runner, "sample", model="e_coli_core")
    assert state.status == "done", state
    mine = local.thread(state.session_id).of_type("tool_result")
    keys: list[Any] = ["data", "summary"]
    assert [mine[0].data[k] for k in keys] == [results[0].data[k] for k in keys]
    assert ([a["sha256"] for a in mine[0].data["artifacts"]]
            == [a["sha256"] for a in results[0].data["artifacts"]])
