"""Where one Temporal session's time goes: its workflow history as a timeline, and the CPU of
each process over a batch (the profile behind bench_scale.py's numbers).

``.venv/bin/python bench/profile_session.py [BATCH]`` starts PostgreSQL, the Temporal dev
server and one scale worker (bench/scale_worker.py), warms it, runs BATCH concurrent sessions
(default 100) with their CPU per process, then one session alone and prints each history
event with the milliseconds since the previous one: workflow task queued -> started ->
completed, activity scheduled -> started -> completed, local steps as markers.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import bench_scale as scale
from cpu_use import CpuMeter
from temporal_cluster import DevServer, WorkerProcess, worker_env

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.temporal.runner import TemporalRunner
from fluxagent.runtime.temporal.workflow import workflow_id
from pg import PostgresServer


async def _history(runner: TemporalRunner, session_id: str) -> list[str]:
    lines, first, prev = [], None, None
    async for ev in runner.client.get_workflow_handle(workflow_id(session_id)
                                                      ).fetch_history_events():
        at = ev.event_time.ToDatetime()
        first, prev = first or at, prev or at
        kind = (ev.WhichOneof("attributes") or "").removesuffix("_event_attributes")
        name = (ev.activity_task_scheduled_event_attributes.activity_type.name
                if kind == "activity_task_scheduled" else "")
        lines.append(f"{(at - first).total_seconds() * 1000:8.1f} ms  "
                     f"+{(at - prev).total_seconds() * 1000:6.1f}  {kind} {name}")
        prev = at
    return lines


def main(batch: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="profile-session-"))
    with PostgresServer(scale.PG_SETTINGS) as pg:
        server = DevServer(root / "temporal").start()
        assert pg.dir is not None and server.proc is not None
        try:
            url, queue = pg.create_database(), "profile"
            env = worker_env(server.address, url, root / "data", queue)
            worker = WorkerProcess(env, root / "worker.log",
                                   args=(str(scale.BENCH / "scale_worker.py"),)).start()
            agent = Agent(settings=Settings(
                data_dir=root / "data", database_url=url, runner="temporal",
                temporal_address=server.address, temporal_task_queue=queue),
                decider=ScriptedDecider(scale.script))
            runner = agent.runner
            assert isinstance(runner, TemporalRunner)
            runner._loop.run(scale._batch(agent, runner, 4))  # warm: model loaded
            postmaster = int((pg.dir / "data" / "postmaster.pid").read_text().split()[0])
            temporal = server.proc.pid
            meter = CpuMeter({"temporal_server": lambda: [temporal],
                              "postgres": lambda: [postmaster],
                              "worker": lambda: [worker.pid], "client": lambda: [os.getpid()]},
                             alone=frozenset({"client"}))
            meter.start()
            wall, _, ok = runner._loop.run(scale._batch(agent, runner, batch))
            cpu = meter.stop()
            print(f"{batch} sessions: {wall:.2f} s, {ok} done, {batch / wall:.1f} sessions/s; "
                  "CPU ms per session: " + ", ".join(
                      f"{k} {1000 * v / batch:.1f}" for k, v in cpu.items()
                      if not k.endswith("_cores"))
                  + f"; ours {cpu['ours_cores']} cores, machine {cpu['machine_busy_cores']}"
                  f" busy (load {os.getloadavg()[0]:.1f})")
            t0 = time.perf_counter()
            st = sessions.launch(runner, scale.QUESTION, model="e_coli_core", run=False)
            t1 = time.perf_counter()
            runner.run(st.session_id)
            print(f"one session: question stored in {1000 * (t1 - t0):.1f} ms, run "
                  f"{1000 * (time.perf_counter() - t1):.1f} ms")
            print("\n".join(runner._loop.run(_history(runner, st.session_id))))
            worker.stop()
        finally:
            server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
