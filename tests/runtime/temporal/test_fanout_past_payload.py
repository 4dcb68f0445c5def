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

from temporal_cluster import DevServer
from temporalio.api.enums.v1 import EventType
from test_fanout_identical import fan_out

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.events import Thread
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions

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
    thread, history, blocks = fan_out(tmp_path, pg_fresh_url, devserver, queue, CALLS,
                                      "past the payload")
    fanned = _results(thread)
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
