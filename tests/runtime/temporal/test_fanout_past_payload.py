"""Jobs whose values exceed Temporal's 2 MB payloads fan out all the same, to one process's floats.

Flux sampling of e_coli_core with 1000 samples (95,000 fluxes, past the 60,000 numbers that
ran whole before the ``fanout-artifacts-1`` patch) and a double deletion screen of all its
reactions (about 4,500 LPs: no e_coli_core FVA or deletion job reaches the old 40,000-LP
bound, and an iJO1366 one that does takes far too long for a test), over two Temporal
workers (PostgreSQL store, a shared data directory): each is shared out to two
``fanout_block`` activities that ran on both workers and returned only a reference to their
artifact, and the stored results are ``==`` to the local runner's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from temporal_cluster import DevServer, WorkerProcess, worker_env
from temporalio.api.enums.v1 import EventType
from test_fanout_identical import WORKER

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.events import Thread
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.temporal.runner import TemporalRunner
from fluxagent.runtime.temporal.workflow import workflow_id

CALLS = [{"name": "flux_sampling", "args": {"model": "e_coli_core", "n": 1000, "seed": 3}},
         {"name": "reaction_deletion_screen", "args": {"model": "e_coli_core", "double": True}}]



def _results(thread: Thread) -> list[dict[str, Any]]:
    """Each tool's data, summary and artifacts' hashes (provenance holds timings: left out)."""
    out = [{"tool": ev.data["tool"], "data": ev.data["data"], "summary": ev.data["summary"],
            "artifacts": [a["sha256"] for a in ev.data.get("artifacts", [])]}
           for ev in thread.of_type("tool_result")]
    assert [r["tool"] for r in out] == [c["name"] for c in CALLS], thread.of_type("tool_error")
    return out


def test_jobs_past_the_payload_limit_fan_out(tmp_path: Path, pg_fresh_url: str,
                                             devserver: DevServer, queue: str) -> None:
    from scripted_worker import script
    env = worker_env(devserver.address, pg_fresh_url, tmp_path / "data", queue,
                     FLUXAGENT_TEST_SCRIPT=json.dumps(CALLS))
    workers = [WorkerProcess(env, tmp_path / f"worker-{i}.log", args=(WORKER,)).start()
               for i in range(2)]
    try:
        client = Agent(settings=Settings(
            data_dir=tmp_path / "data", database_url=pg_fresh_url, runner="temporal",
            temporal_address=devserver.address, temporal_task_queue=queue,
            temporal_fanout=2, temporal_fanout_min_work=0),
            decider=ScriptedDecider(script(json.dumps(CALLS))))
        runner = client.runner
        assert isinstance(runner, TemporalRunner)
        state = sessions.launch(runner, "past the payload", model="e_coli_core")
        assert state.status == "done", state
        fanned = _results(client.thread(state.session_id))
        history = runner._loop.run(runner.client.get_workflow_handle(
            workflow_id(state.session_id)).fetch_history())
    finally:
        for w in workers:
            w.stop()

    blocks = {e.event_id for e in history.events
              if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
              and e.activity_task_scheduled_event_attributes.activity_type.name
              == "fanout_block"}
    assert len(blocks) == 2 * len(CALLS), "each analysis should be shared out to two blocks"
    ran_on = {e.activity_task_started_event_attributes.identity for e in history.events
              if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
              and e.activity_task_started_event_attributes.scheduled_event_id in blocks}
    assert len(ran_on) == 2, f"the chunks ran on {ran_on}, not on both workers"
    replies = [len(e.activity_task_completed_event_attributes.result.payloads[0].data)
               for e in history.events
               if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
               and e.activity_task_completed_event_attributes.scheduled_event_id in blocks]
    assert len(replies) == len(blocks) and max(replies) < 500, "blocks return references"
    assert not [p for p in (tmp_path / "data" / "artifacts" / "chunks").rglob("*")
                if p.is_file()], "the shares are deleted after their merge"
    assert fanned[0]["data"]["chains"] == 16

    local = Agent(settings=Settings(data_dir=tmp_path / "local"),
                  decider=ScriptedDecider(script(json.dumps(CALLS))))
    done = sessions.launch(local.runner, "past the payload", model="e_coli_core")
    assert done.status == "done", done
    assert fanned == _results(local.thread(done.session_id))
