"""Heavy analyses fanned out over two Temporal workers give the very floats of one process.

FVA, a double reaction deletion screen and flux sampling of e_coli_core, each split into the
fixed chunks of tools/chunks.py (sampling: its fixed chains) and shared out to two
``fanout_block`` activities on the heavy queue of two worker processes (PostgreSQL store),
then merged: the stored results, and the table of all samples, are ``==`` to the local
runner's with 1 and with 2 processes, not merely close.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from temporal_cluster import ROOT, DevServer, WorkerProcess, worker_env
from temporalio.api.enums.v1 import EventType

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.events import Thread
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.temporal.runner import TemporalRunner
from fluxagent.runtime.temporal.workflow import workflow_id

#: Central carbon metabolism and respiration of e_coli_core: 435 pairs, a few hundred LPs.
PAIRED = ["PFK", "PGI", "FBA", "TPI", "GAPD", "PGK", "PGM", "ENO", "PYK", "PDH", "CS",
          "ACONTa", "ACONTb", "ICDHyr", "AKGDH", "SUCOAS", "SUCDi", "FUM", "MDH", "G6PDH2r",
          "PGL", "GND", "RPI", "RPE", "TKT1", "TKT2", "TALA", "ATPS4r", "CYTBD", "NADH16"]
CALLS = [{"name": "run_fva", "args": {"model": "e_coli_core", "fraction_of_optimum": 0.95}},
         {"name": "reaction_deletion_screen", "args": {"model": "e_coli_core", "double": True,
                                                       "reactions": PAIRED}},
         {"name": "flux_sampling", "args": {"model": "e_coli_core", "n": 300, "seed": 5}}]
WORKER = str(ROOT / "tests" / "runtime" / "temporal" / "scripted_worker.py")


def _results(thread: Thread) -> list[dict[str, Any]]:
    """Each tool's data, summary and artifacts' hashes (the samples' CSV), as stored
    (provenance holds timings and process counts: left out)."""
    out = [{"tool": ev.data["tool"], "data": ev.data["data"], "summary": ev.data["summary"],
            "artifacts": [a["sha256"] for a in ev.data.get("artifacts", [])]}
           for ev in thread.of_type("tool_result")]
    assert [r["tool"] for r in out] == [c["name"] for c in CALLS], thread.of_type("tool_error")
    return out


def _local(tmp_path: Path, processes: int) -> list[dict[str, Any]]:
    from scripted_worker import script
    agent = Agent(settings=Settings(data_dir=tmp_path / f"local-{processes}",
                                    processes=processes),
                  decider=ScriptedDecider(script(json.dumps(CALLS))))
    state = sessions.launch(agent.runner, "fan-out check", model="e_coli_core")
    assert state.status == "done", state
    return _results(agent.thread(state.session_id))


def fan_out(tmp_path: Path, pg_url: str, devserver: DevServer, queue: str,
            calls: list[dict[str, Any]], question: str) -> tuple[Thread, Any, set[int]]:
    """Run ``calls`` on two Temporal workers sharing a data directory; the thread, the workflow
    history and the ``fanout_block`` activities, each call shared out to two blocks that ran on
    both workers."""
    from scripted_worker import script
    env = worker_env(devserver.address, pg_url, tmp_path / "data", queue,
                     FLUXAGENT_TEST_SCRIPT=json.dumps(calls))
    workers = [WorkerProcess(env, tmp_path / f"worker-{i}.log", args=(WORKER,)).start()
               for i in range(2)]
    try:
        client = Agent(settings=Settings(
            data_dir=tmp_path / "data", database_url=pg_url, runner="temporal",
            temporal_address=devserver.address, temporal_task_queue=queue,
            temporal_fanout=2, temporal_fanout_min_work=0),
            decider=ScriptedDecider(script(json.dumps(calls))))
        runner = client.runner
        assert isinstance(runner, TemporalRunner)
        state = sessions.launch(runner, question, model="e_coli_core")
        assert state.status == "done", state
        thread = client.thread(state.session_id)
        history = runner._loop.run(runner.client.get_workflow_handle(
            workflow_id(state.session_id)).fetch_history())
    finally:
        for w in workers:
            w.stop()
    blocks = {e.event_id for e in history.events
              if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
              and e.activity_task_scheduled_event_attributes.activity_type.name
              == "fanout_block"}
    assert len(blocks) == 2 * len(calls), "each analysis should be shared out to two blocks"
    ran_on = {e.activity_task_started_event_attributes.identity for e in history.events
              if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
              and e.activity_task_started_event_attributes.scheduled_event_id in blocks}
    assert len(ran_on) == 2, f"the chunks ran on {ran_on}, not on both workers"
    return thread, history, blocks


def test_fanned_out_results_equal_one_process(tmp_path: Path, pg_fresh_url: str,
                                              devserver: DevServer, queue: str) -> None:
    thread, _, _ = fan_out(tmp_path, pg_fresh_url, devserver, queue, CALLS, "fan-out check")
    fanned = _results(thread)

    sampled = fanned[-1]
    assert sampled["data"]["chains"] == 5 and len(sampled["artifacts"]) == 1
    assert fanned == _local(tmp_path, 2)
    assert fanned == _local(tmp_path, 1)
