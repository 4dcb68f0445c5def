"""Shared helpers for the hostile-input tests: fresh data dirs, hostile model files, agents.

Every helper builds real components (a ModelStore on a temp data dir, the real registry, a
SQLite store); nothing is mocked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import cobra

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.state import SessionState
from fluxagent.llm.base import Decider
from fluxagent.store.artifacts import ArtifactStore
from fluxagent.tools import load_all
from fluxagent.tools.models import ModelStore
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolError, ToolResult

CLI = [sys.executable, "-m", "fluxagent.cli"]
load_all()


def settings(data_dir: Path, **kw: Any) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    return Settings(data_dir=data_dir, **kw)


def tool_ctx(s: Settings, state: SessionState | None = None,
             store: ModelStore | None = None) -> ToolContext:
    return ToolContext(session_id="sec", state=state or SessionState(session_id="sec"),
                       models=store or ModelStore(s),
                       artifacts=ArtifactStore(Path(s.data_dir) / "artifacts"), settings=s)


def execute(name: str, args: dict[str, Any], c: ToolContext) -> ToolResult | ToolError:
    return REGISTRY.execute(name, args, c)


def core_with_id(model_id: str) -> cobra.Model:
    m = cobra.io.load_model("textbook")
    m.id = model_id
    return m


def save_json(model: cobra.Model, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    cobra.io.save_json_model(model, str(path))
    return path


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def agent(s: Settings, decider: Decider | None = None) -> Agent:
    return Agent(settings=s, decider=decider)


def cli(data_dir: Path, *args: str, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "FLUXAGENT_DATA_DIR": str(data_dir), "FLUXAGENT_LLM": "offline",
            **(env or {})}
    full.pop("FLUXAGENT_DATABASE_URL", None)
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=full,
                          timeout=600, cwd=cwd)


def stored_json(a: Agent, session_id: str) -> list[dict[str, Any]]:
    return [json.loads(json.dumps(ev.model_dump(mode="json"))) for ev in a.thread(session_id)]
