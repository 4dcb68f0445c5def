"""Concurrent sessions: the in-process runner on SQLite against the Temporal runner with 1, 2
and 4 worker processes on PostgreSQL (issue 14).

Every session is the same two decisions and one real small tool (a scripted decider; FBA of
e_coli_core), all submitted at once; latency is from the submission of the batch to the
session's answer, throughput is sessions per second of wall time. The in-process runner
drives sessions as ``fluxagent serve`` does, on FLUXAGENT_SERVE_WORKERS threads (4). Sizes:
BENCH_SCALE_SIZES (default 10,100,1000); workers: BENCH_SCALE_WORKERS (default 1,2,4).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent / "tests"), str(BENCH.parent / "tests" / "runtime"
                                                            / "temporal")]

from scale_worker import script  # noqa: E402
from temporal_cluster import DevServer, WorkerProcess, worker_env  # noqa: E402

from fluxagent.agent import Agent  # noqa: E402
from fluxagent.config import Settings  # noqa: E402
from fluxagent.core.state import fold  # noqa: E402
from fluxagent.llm.scripted import ScriptedDecider  # noqa: E402
from fluxagent.runtime import sessions  # noqa: E402
from fluxagent.runtime.temporal.runner import TemporalRunner  # noqa: E402
from pg import PostgresServer  # noqa: E402

QUESTION = "How fast does e_coli_core grow?"
SERVE_WORKERS = 4


def _sizes(name: str, default: str) -> list[int]:
    return [int(x) for x in os.environ.get(name, default).split(",") if x.strip()]


def _stats(label: str, n: int, wall: float, latencies: list[float], ok: int,
           workers: int | None) -> dict[str, Any]:
    lat = sorted(latencies)
    p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
    row = {"metric": f"{label}, {n} sessions", "unit": "s", "median": statistics.median(lat),
           "p95": p95, "n": n, "throughput_per_s": round(n / wall, 2), "wall_s": round(wall, 2),
           "done": ok}
    if workers:
        row["workers"] = workers
        row["throughput_per_worker_per_s"] = round(n / wall / workers, 2)
    return row


def local_rows(sizes: list[int], root: Path) -> list[dict[str, Any]]:
    agent = Agent(settings=Settings(data_dir=root / "local"), decider=ScriptedDecider(script))
    sessions.launch(agent.runner, QUESTION, model="e_coli_core")  # warm: model loaded
    rows = []
    for n in sizes:
        t0 = time.perf_counter()

        def one(_: int, t0: float = t0) -> tuple[float, bool]:
            st = sessions.launch(agent.runner, QUESTION, model="e_coli_core")
            return time.perf_counter() - t0, st.status == "done"

        with ThreadPoolExecutor(SERVE_WORKERS) as pool:
            out = list(pool.map(one, range(n)))
        wall = time.perf_counter() - t0
        rows.append(_stats("local runner (SQLite)", n, wall, [o[0] for o in out],
                           sum(o[1] for o in out), None))
    return rows


async def _batch(agent: Agent, runner: TemporalRunner, n: int) -> tuple[float, list[float], int]:
    t0 = time.perf_counter()
    lat: list[float] = []
    ok = 0

    async def one() -> None:
        nonlocal ok
        st = await asyncio.to_thread(sessions.launch, runner, QUESTION, model="e_coli_core",
                                     run=False)
        await runner._advance(st.session_id)
        lat.append(time.perf_counter() - t0)
        ok += fold(agent.store.load(st.session_id)).status == "done"

    await asyncio.gather(*(one() for _ in range(n)))
    return time.perf_counter() - t0, lat, ok


def temporal_rows(sizes: list[int], worker_counts: list[int], root: Path
                  ) -> list[dict[str, Any]]:
    rows = []
    with PostgresServer() as pg:
        server = DevServer(root / "temporal").start()
        try:
            for k in worker_counts:
                url, queue = pg.create_database(), f"bench-{k}"
                env = worker_env(server.address, url, root / f"data-{k}", queue)
                workers = [WorkerProcess(env, root / f"worker-{k}-{i}.log",
                                         args=(str(BENCH / "scale_worker.py"),)).start()
                           for i in range(k)]
                try:
                    agent = Agent(settings=Settings(
                        data_dir=root / f"data-{k}", database_url=url, runner="temporal",
                        temporal_address=server.address, temporal_task_queue=queue),
                        decider=ScriptedDecider(script))
                    runner = agent.runner
                    assert isinstance(runner, TemporalRunner)
                    runner._loop.run(_batch(agent, runner, 4 * k))  # warm every worker
                    for n in sizes:
                        wall, lat, ok = runner._loop.run(_batch(agent, runner, n))
                        rows.append(_stats(f"temporal runner (PostgreSQL), {k} worker(s)", n,
                                           wall, lat, ok, k))
                        print(rows[-1], file=sys.stderr, flush=True)
                finally:
                    for w in workers:
                        w.stop()
        finally:
            server.stop()
    return rows


def run() -> dict[str, Any]:
    sizes = _sizes("BENCH_SCALE_SIZES", "10,100,1000")
    worker_counts = _sizes("BENCH_SCALE_WORKERS", "1,2,4")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        root = Path(tmp)
        rows = local_rows(sizes, root)
        for r in rows:
            print(r, file=sys.stderr, flush=True)
        rows += temporal_rows(sizes, worker_counts, root)
    base = {r["n"]: r for r in rows if "workers" not in r}
    for r in rows:
        if "workers" in r:
            r["ratio"] = round(r["p95"] / base[r["n"]]["p95"], 2)
            r["ratio_to"] = base[r["n"]]["metric"] + " (p95)"
    return {"metrics": rows, "environment": {"cpus": os.cpu_count(), "sizes": sizes,
                                             "workers": worker_counts,
                                             "serve_workers": SERVE_WORKERS},
            "notes": "latency = batch submission to the session's answer; all sessions of a "
            "size submitted at once; one machine (2 cores) runs the Temporal dev server, "
            "PostgreSQL, the workers and the client, so worker counts above the cores share "
            "them: per-worker throughput is what projects to a cluster."}


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1))
