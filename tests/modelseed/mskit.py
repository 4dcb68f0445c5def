"""Shared helpers for the ModelSEED tool tests: settings, a real ModelStore, run/err shortcuts.

The biochemistry index (about 150 MB, built from the shipped tables on first use) lives in a
per-user temp dir so it is built once across test runs; each test that writes models gets a
fresh data dir whose ``cache`` links to it. Example genome and model are copied under
tests/data (the
package never reads it).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import cobra

from fluxagent.config import Settings
from fluxagent.core.state import ModelState, SessionState
from fluxagent.tools import load_all
from fluxagent.tools.models import ModelStore
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolError, ToolResult

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "modelseed" / "examples"
EXAMPLE_GENOME = EXAMPLES / "example_ecoli_genome.json"
EXAMPLE_MODEL = EXAMPLES / "example_ecoli_modelseed_model.json"
SHARED_CACHE = Path(tempfile.gettempdir()) / f"fluxagent-modelseed-tests-{os.getuid()}" / "cache"
CORE_GROWTH = 1.2294  # data README: Core-V6 draft, core biomass, glucose minimal medium
load_all()


def settings(data_dir: Path) -> Settings:
    """Settings on a data dir whose biochemistry cache is the shared one."""
    data_dir.mkdir(parents=True, exist_ok=True)
    SHARED_CACHE.mkdir(parents=True, exist_ok=True)
    link = data_dir / "cache"
    if not link.exists():
        link.symlink_to(SHARED_CACHE, target_is_directory=True)
    return Settings(data_dir=data_dir, workspaces=[EXAMPLES, data_dir.parent])


def ctx(s: Settings, current: str | None = None, models: dict[str, str] | None = None,
        changes: dict[str, list[dict[str, Any]]] | None = None,
        store: ModelStore | None = None) -> ToolContext:
    ms = {name: ModelState(base=base, changes=tuple((changes or {}).get(name, ())))
          for name, base in (models or {}).items()}
    st = SessionState(session_id="test", current_model=current, models=ms)
    return ToolContext(session_id="test", state=st, models=store or ModelStore(s), settings=s)


def execute(name: str, args: dict[str, Any], c: ToolContext) -> ToolResult | ToolError:
    return REGISTRY.execute(name, args, c)


def run(name: str, args: dict[str, Any], c: ToolContext) -> ToolResult:
    out = execute(name, args, c)
    assert isinstance(out, ToolResult), f"{name} failed: {out}"
    return out


def err(name: str, args: dict[str, Any], c: ToolContext) -> ToolError:
    out = execute(name, args, c)
    assert isinstance(out, ToolError), f"{name} should have failed: {out.summary}"
    return out


def use(c: ToolContext, effect: dict[str, Any]) -> ToolContext:
    """The context after a use_model effect (as the fold records it)."""
    assert effect["op"] == "use_model"
    return ctx(c.settings, effect["model"], {effect["model"]: effect["base"]},
               store=c.models)  # type: ignore[arg-type]


def model_files(s: Settings) -> list[str]:
    d = Path(s.data_dir) / "models"
    return sorted(p.name for p in d.iterdir()) if d.is_dir() else []


def load(s: Settings, base: str) -> cobra.Model:
    assert base.startswith("file:")
    return cobra.io.load_json_model(Path(s.data_dir) / "models" / base[5:])
