"""Fixtures for the human-in-the-loop tests: agents on a real SQLite store in a temp data dir
(so other processes, like the CLI, see the same sessions)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fluxagent.agent import Agent
from fluxagent.config import Settings

HERE = Path(__file__).parent
CLI = str(Path(sys.executable).with_name("fluxagent"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def make_agent(data_dir: Path) -> Callable[..., Agent]:
    def make(**kw: Any) -> Agent:
        return Agent(settings=Settings(data_dir=data_dir), **kw)
    return make


@pytest.fixture
def cli(data_dir: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the ``fluxagent`` command in another process on the same data dir."""
    def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "FLUXAGENT_DATA_DIR": str(data_dir)}
        return subprocess.run([CLI, *args], capture_output=True, text=True, env=env,
                              timeout=timeout, check=False)
    return run
