"""A question on a warm ``fluxagent serve`` against the same question through the CLI and a
plain cobrapy script, side by side in one run; then throughput with 1, 10 and 50 clients.

Question: "How fast does e_coli_core grow without oxygen?" (answer 0.211663 1/h; every answer
is checked, a wrong one fails the benchmark).

- CLI: ``fluxagent ask QUESTION`` as a new process each time (what a user waits for),
  on a data dir whose model cache is already warm.
- cobrapy: a new process that imports cobra, loads the bundled e_coli_core, closes oxygen
  and optimises (the floor for "a process that answers this").
- Server, warm: ``fluxagent serve`` in its own process, warmed with a few questions; then
  each question is ``POST /sessions?wait=60`` (a new session; the response carries the
  finished answer), timed from send to answer. Also timed: ``POST /sessions`` without wait
  (the 202 of a background run).
  The server's CPU time over those questions (``/proc``) is recorded too: unlike the
  latency, it does not grow with the machine's load.
- Concurrency: C clients (threads, one HTTP connection each) ask in a loop; throughput is
  answered questions per second over the wall time, with the p95 of their latencies.

The machine is shared: each metric carries the 1-minute load average at its end.
Repetitions: FLUXAGENT_BENCH_SERVE_REPS (sequential questions, default 40),
FLUXAGENT_BENCH_CLI_REPS (default 3).

Run: ``.venv/bin/python bench/run.py serve``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

QUESTION = "How fast does e_coli_core grow without oxygen?"
ANSWER = "0.211663"
ROOT = Path(__file__).resolve().parents[1]
SERVE_REPS = int(os.environ.get("FLUXAGENT_BENCH_SERVE_REPS", "40"))
CLI_REPS = int(os.environ.get("FLUXAGENT_BENCH_CLI_REPS", "3"))
CONCURRENCY = ((1, 30), (10, 100), (50, 200))  # (clients, questions in all)
COBRAPY = """
import cobra
model = cobra.io.load_model("textbook")
model.reactions.EX_o2_e.lower_bound = 0
print(round(model.slim_optimize(), 6))
"""


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _metric(name: str, unit: str, samples: list[float], **extra: Any) -> dict[str, Any]:
    arr = np.asarray(samples)
    scale = 1000.0 if unit == "ms" else 1.0
    return {"metric": name, "unit": unit, "median": round(float(np.median(arr)) * scale, 4),
            "p95": round(float(np.percentile(arr, 95)) * scale, 4), "n": len(samples),
            "load_1m": _load(), **extra}


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLUXAGENT_")}
    env["FLUXAGENT_DATA_DIR"] = str(data_dir)
    return env


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600,
                          cwd=ROOT)
    took = time.perf_counter() - start
    if done.returncode != 0 or ANSWER not in done.stdout:
        raise RuntimeError(f"{cmd[2:4]} failed or answered wrong: {done.stdout[-300:]} "
                           f"{done.stderr[-300:]}")
    return took, done.stdout


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc): what a question costs
    the server whatever else the shared machine is doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ask(http: httpx.Client) -> float:
    start = time.perf_counter()
    resp = http.post("/sessions", params={"wait": 60}, json={"question": QUESTION})
    took = time.perf_counter() - start
    body = resp.json()
    if resp.status_code != 200 or ANSWER not in (body.get("session") or {}).get("answer", ""):
        raise RuntimeError(f"server answered {resp.status_code}: {resp.text[:300]}")
    return took


def _clients(url: str, clients: int, total: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    left = [total]
    errors: list[str] = []

    def work() -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            while True:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                try:
                    took = _ask(http)
                except Exception as exc:
                    errors.append(str(exc))
                    return
                with lock:
                    latencies.append(took)

    threads = [threading.Thread(target=work) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} client errors, first: {errors[0]}")
    return wall, latencies


def run() -> dict[str, Any]:
    metrics: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = _env(data)
        cli = [sys.executable, "-m", "fluxagent.cli", "ask", QUESTION]
        _timed(cli, env)  # fills the model cache, as any earlier use would have
        cli_s = [_timed(cli, env)[0] for _ in range(CLI_REPS)]
        cobra_s = [_timed([sys.executable, "-c", COBRAPY], env)[0] for _ in range(CLI_REPS)]
        metrics.append(_metric("question via CLI: fluxagent ask (new process)", "s", cli_s))
        metrics.append(_metric("plain cobrapy script: load e_coli_core, no O2, optimise "
                               "(new process)", "s", cobra_s))

        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "fluxagent.cli", "serve", "--port",
                                   str(port)], env=_env(Path(tmp) / "served"),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  cwd=ROOT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("fluxagent serve did not start")
                time.sleep(0.2)
            with httpx.Client(base_url=url, timeout=120) as http:
                for _ in range(5):
                    _ask(http)  # warm: model loaded, code paths hot
                cpu0 = _cpu_s(server.pid)
                served = [_ask(http) for _ in range(SERVE_REPS)]
                cpu_per_q = (_cpu_s(server.pid) - cpu0) / SERVE_REPS
                accepted = []
                for _ in range(10):
                    start = time.perf_counter()
                    resp = http.post("/sessions", json={"question": QUESTION})
                    accepted.append(time.perf_counter() - start)
                    if resp.status_code != 202:
                        raise RuntimeError(f"expected 202, got {resp.status_code}")
                time.sleep(2)  # let those background runs finish before the next part
            cli_med = float(np.median(cli_s)) * 1000
            m = _metric("question on a warm server: POST /sessions?wait (answer in the "
                        "response)", "ms", served)
            m.update(ratio=round(m["median"] / cli_med, 4),
                     ratio_to="question via CLI: fluxagent ask (new process)",
                     goal="p50 < 50 ms, p95 < 150 ms",
                     meets_goal=bool(m["median"] < 50 and m["p95"] < 150))
            metrics.append(m)
            metrics.append({"metric": "server CPU time per question (user+system, "
                                      "sequential questions)", "unit": "ms",
                            "median": round(cpu_per_q * 1000, 2), "n": SERVE_REPS,
                            "load_1m": _load()})
            metrics.append(_metric("background run accepted: POST /sessions (202)", "ms",
                                   accepted))
            for clients, total in CONCURRENCY:
                wall, lat = _clients(url, clients, total)
                m = _metric(f"{clients} concurrent clients: latency per question", "ms", lat)
                m["throughput_qps"] = round(len(lat) / wall, 2)
                metrics.append(m)
        finally:
            server.terminate()
            server.wait(timeout=60)
    return {"metrics": metrics,
            "environment": {"python": sys.version.split()[0], "cpus": os.cpu_count(),
                            "serve_workers": 4, "question": QUESTION},
            "notes": "Server: one process, default settings (SQLite in WAL mode, offline "
                     "planner, 4 run workers). Each question is a new session with its "
                     "events stored. The machine is shared with other work (see load_1m)."}
