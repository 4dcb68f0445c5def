"""FVA of all iJO1366 reactions: fanned out over 2 Temporal workers, over 1 worker, and on
the local runner (issue 14): the tool step's wall time and whether the ranges are identical.

The FVA's LPs are cut into the fixed chunks of tools/chunks.py, each solved from the prepared
basis, so the floats do not depend on who solves which chunk. The Temporal runs share the
chunks out to FLUXAGENT_TEMPORAL_FANOUT=2 activities on the heavy queue (one at a time per
worker); the local runner solves them with 2 processes and with 1. Every configuration's
ranges are compared with ``==`` (bit for bit) to the local runner's with 1 process. Time is
from the stored tool_call to the stored tool_result. One warm-up session per configuration
loads the model in every worker. Repetitions: BENCH_FVA_REPEATS (default 3).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent / "tests"), str(BENCH.parent / "tests" / "runtime"
                                                            / "temporal")]

from fva_worker import script  # noqa: E402
from temporal_cluster import DevServer, WorkerProcess, worker_env  # noqa: E402

from fluxagent.agent import Agent  # noqa: E402
from fluxagent.config import Settings  # noqa: E402
from fluxagent.core.events import Thread  # noqa: E402
from fluxagent.llm.scripted import ScriptedDecider  # noqa: E402
from fluxagent.runtime import sessions  # noqa: E402
from pg import PostgresServer  # noqa: E402

Ranges = dict[str, tuple[float, float]]


def _tool_step(thread: Thread) -> tuple[float, Ranges]:
    call = thread.of_type("tool_call")[-1]
    result = next(ev for ev in thread.of_type("tool_result") if ev.call_id == call.call_id)
    ranges = {r["id"]: (r["minimum"], r["maximum"]) for r in result.data["data"]["ranges"]}
    return (result.ts - call.ts).total_seconds(), ranges


def _local(root: Path, processes: int, repeats: int) -> tuple[list[float], list[Ranges]]:
    agent = Agent(settings=Settings(data_dir=root / f"local-{processes}", processes=processes),
                  decider=ScriptedDecider(script))
    sessions.launch(agent.runner, "FVA", model="iJO1366")  # warm: the model is loaded
    times, ranges = [], []
    for _ in range(repeats):
        st = sessions.launch(agent.runner, "FVA", model="iJO1366")
        t, r = _tool_step(agent.thread(st.session_id))
        times.append(t)
        ranges.append(r)
    return times, ranges


def _temporal(root: Path, pg: PostgresServer, server: DevServer, workers: int,
              repeats: int) -> tuple[list[float], list[Ranges]]:
    url, queue = pg.create_database(), f"fva-{workers}"
    env = worker_env(server.address, url, root / f"data-{workers}", queue,
                     FLUXAGENT_TEMPORAL_FANOUT="2")
    procs = [WorkerProcess(env, root / f"worker-{workers}-{i}.log",
                           args=(str(BENCH / "fva_worker.py"),)).start() for i in range(workers)]
    try:
        agent = Agent(settings=Settings(data_dir=root / f"data-{workers}", database_url=url,
                                        runner="temporal", temporal_address=server.address,
                                        temporal_task_queue=queue, temporal_fanout=2),
                      decider=ScriptedDecider(script))
        sessions.launch(agent.runner, "FVA", model="iJO1366")  # warm every worker
        times, ranges = [], []
        for _ in range(repeats):
            st = sessions.launch(agent.runner, "FVA", model="iJO1366")
            assert st.status == "done", st
            t, r = _tool_step(agent.thread(st.session_id))
            times.append(t)
            ranges.append(r)
        return times, ranges
    finally:
        for p in procs:
            p.stop()


def _worst(a: Ranges, b: Ranges) -> float:
    assert a.keys() == b.keys()
    return max(abs(a[k][i] - b[k][i]) for k in a for i in (0, 1))


def run() -> dict[str, Any]:
    repeats = int(os.environ.get("BENCH_FVA_REPEATS", "3"))
    load_before = os.getloadavg()
    out: dict[str, tuple[list[float], list[Ranges]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-fva-") as tmp:
        root = Path(tmp)
        out["local runner, 2 processes"] = _local(root, 2, repeats)
        out["local runner, 1 process"] = _local(root, 1, repeats)
        with PostgresServer() as pg:
            server = DevServer(root / "temporal").start()
            try:
                out["temporal, 1 worker"] = _temporal(root, pg, server, 1, repeats)
                out["temporal, 2 workers"] = _temporal(root, pg, server, 2, repeats)
            finally:
                server.stop()
    ref = out["local runner, 1 process"][1][0]
    base = statistics.median(out["temporal, 1 worker"][0])
    local = statistics.median(out["local runner, 1 process"][0])
    metrics = []
    for label, (times, ranges) in out.items():
        med = statistics.median(times)
        same = all(r == ref for r in ranges)
        metrics.append({
            "metric": f"FVA iJO1366 (2583 reactions), {label}; identical="
            f"{str(same).lower()}", "unit": "s", "median": med,
            "p95": max(times), "n": len(times), "ratio": round(base / med, 2),
            "ratio_to": "temporal, 1 worker (speed-up)",
            "speed_up_vs_local_1_process": round(local / med, 2),
            "identical": same,
            "max_abs_difference": max(_worst(r, ref) for r in ranges)})
    return {"metrics": metrics, "environment": {
        "cpus": os.cpu_count(), "repeats": repeats, "fanout": 2,
        "load_average_1m_before_after": [round(load_before[0], 2),
                                         round(os.getloadavg()[0], 2)]},
            "notes": "identical = every range == (bit for bit) the local runner's with 1 process; "
            "time = stored tool_call to stored tool_result of the FVA step; one "
            "machine (2 cores, shared) runs the dev server, PostgreSQL and the workers."}


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1, default=str))
