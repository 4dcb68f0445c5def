"""FLUXAGENT_RUNNER is checked when the agent starts: an unknown runner, or temporal with no
server answering, is one clear error (never a silent fall-back to the local runner)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from temporal_cluster import free_port

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.runtime.local import LocalRunner
from fluxagent.runtime.runners import RunnerError


def test_unknown_runner_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RunnerError, match=r"unknown runner 'kubernetes'.*local, temporal"):
        Agent(settings=Settings(data_dir=tmp_path, runner="kubernetes"))


def test_local_runner_is_the_default(tmp_path: Path) -> None:
    agent = Agent(settings=Settings(data_dir=tmp_path))
    assert type(agent.runner) is LocalRunner


def test_temporal_without_a_server_is_refused(tmp_path: Path) -> None:
    address = f"127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(RunnerError, match=rf"no Temporal server answers at {address}"):
        Agent(settings=Settings(data_dir=tmp_path, runner="temporal", temporal_address=address,
                                temporal_connect_timeout_s=2))


def test_cli_reports_the_runner_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLUXAGENT_")}
    env |= {"FLUXAGENT_DATA_DIR": str(tmp_path), "FLUXAGENT_RUNNER": "temporal",
            "FLUXAGENT_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
            "FLUXAGENT_TEMPORAL_CONNECT_TIMEOUT_S": "2"}
    proc = subprocess.run([sys.executable, "-m", "fluxagent.cli", "sessions", "list"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "no Temporal server answers" in proc.stderr and "FLUXAGENT_RUNNER=local" in proc.stderr
    assert proc.stdout == ""
