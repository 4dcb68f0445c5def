"""Starting ``fluxagent mcp`` for the tests: as a stdio child of the MCP client, or over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLUXAGENT = str(Path(sys.executable).parent / "fluxagent")
INSPECTOR = ROOT / ".tools" / "npm" / "node_modules" / ".bin" / "mcp-inspector"


def server_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLUXAGENT_")}
    env.update(FLUXAGENT_DATA_DIR=str(data_dir), FLUXAGENT_PROCESSES="2")
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: "
                               f"{proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout_s} s")


@contextmanager
def http_server(data_dir: Path, **env: str) -> Iterator[str]:
    """``fluxagent mcp --transport http`` as a subprocess; yields its /mcp URL."""
    port = free_port()
    proc = subprocess.Popen([FLUXAGENT, "mcp", "--transport", "http", "--port", str(port)],
                            env={**server_env(data_dir), **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ensure_inspector() -> Path:
    """The pinned MCP Inspector (scripts/ensure_npm_tools.sh installs it; fails loudly)."""
    if not INSPECTOR.exists():
        proc = subprocess.run(["bash", str(ROOT / "scripts" / "ensure_npm_tools.sh")],
                              capture_output=True, text=True)
        if proc.returncode != 0 or not INSPECTOR.exists():
            raise RuntimeError(f"cannot install the MCP Inspector: {proc.stderr[-1500:]}")
    return INSPECTOR
