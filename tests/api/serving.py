"""Real servers for the API tests: ``fluxagent serve`` as a subprocess on a free port
(helpers; the fixtures are in conftest.py).

``open_server``: no token exists (the local mode, bound to 127.0.0.1), with the test flow
``damage_and_repair`` (tests/human/damage_flow.yaml: gapfill waits for approval) in its data
dir. ``secure_server``: tokens exist, so every request needs one. A server that does not
come up fails the tests that need it, with its output.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
DAMAGE_FLOW = ROOT / "tests" / "human" / "damage_flow.yaml"
START_TIMEOUT_S = 180


@dataclass
class Server:
    url: str
    data_dir: Path
    proc: subprocess.Popen[bytes]
    log: Path

    def client(self, token: str = "") -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=600)

    def env(self) -> dict[str, str]:
        return server_env(self.data_dir)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLUXAGENT_")}
    env.update(FLUXAGENT_DATA_DIR=str(data_dir), FLUXAGENT_PROCESSES="1", **extra)
    return env


def fluxagent(*args: str, env: dict[str, str], timeout: float = 300,
              stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fluxagent.cli", *args], env=env,
                          capture_output=True, text=True, timeout=timeout, input=stdin,
                          cwd=ROOT)


def start_server(data_dir: Path, **extra: str) -> Server:
    port = free_port()
    log = data_dir.parent / f"server-{port}.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "fluxagent.cli", "serve", "--port",
                                 str(port)], env=server_env(data_dir, **extra), stdout=fh,
                                stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"fluxagent serve exited with {proc.returncode}:\n{log.read_text()}",
                        pytrace=False)
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return Server(url, data_dir, proc, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    pytest.fail(f"fluxagent serve did not get ready in {START_TIMEOUT_S} s:\n"
                f"{log.read_text()}", pytrace=False)


def with_damage_flow(data_dir: Path) -> Path:
    """``data_dir`` with the shipped test flow that stops for approvals installed."""
    (data_dir / "flows").mkdir(parents=True)
    shutil.copy(DAMAGE_FLOW, data_dir / "flows" / "damage_and_repair.yaml")
    return data_dir


def stop(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=30)


@dataclass
class Tokens:
    """Secrets of tokens made with `fluxagent tokens create` before the server started."""

    alice_read: str
    alice_write: str
    alice_all: str
    bob_all: str
    admin: str
    expired: str
    revoked: str
    slow: str
