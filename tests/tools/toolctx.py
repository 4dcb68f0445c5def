"""Shared helpers for the cobrapy tool tests: a real ModelStore, a ToolContext, run/err shortcuts.

The model cache (pickles keyed by file hash) lives in a per-user temp dir so iJO1366 parses once
across test runs; artifacts go to a fresh directory per process.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import cobra

from fluxagent.config import Settings
from fluxagent.core.state import ModelState, SessionState
from fluxagent.store.artifacts import ArtifactStore
from fluxagent.tools import load_all
from fluxagent.tools.models import ModelStore
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolError, ToolResult

DATA_DIR = Path(tempfile.gettempdir()) / f"fluxagent-tool-tests-{os.getuid()}"
#: Tests read model files from pytest's temp dirs and the repository's tests/data.
WORKSPACES = [Path(tempfile.gettempdir()), Path(__file__).resolve().parents[1] / "data"]
SETTINGS = Settings(data_dir=DATA_DIR, processes=2, workspaces=WORKSPACES)
STORE = ModelStore(SETTINGS)
ARTIFACTS = ArtifactStore(Path(tempfile.mkdtemp(prefix="fluxagent-artifacts-")))
load_all()


def state(current: str | None = None, changes: dict[str, list[dict[str, Any]]] | None = None,
          ) -> SessionState:
    models = {name: ModelState(base=name, changes=tuple(ch)) for name, ch in
              (changes or {}).items()}
    return SessionState(session_id="test", current_model=current, models=models)


def ctx(st: SessionState | None = None, *, settings: Settings | None = None,
        progress: list[tuple[float, str]] | None = None,
        store: ModelStore | None = None) -> ToolContext:
    def record(fraction: float, message: str) -> None:
        if progress is not None:
            progress.append((fraction, message))
    return ToolContext(session_id="test", state=st or state(), models=store or STORE,
                       artifacts=ARTIFACTS, progress=record, settings=settings or SETTINGS)


def execute(name: str, args: dict[str, Any], c: ToolContext | None = None,
            ) -> ToolResult | ToolError:
    return REGISTRY.execute(name, args, c or ctx())


def run(name: str, args: dict[str, Any], c: ToolContext | None = None) -> ToolResult:
    out = execute(name, args, c)
    assert isinstance(out, ToolResult), f"{name} failed: {out}"
    return out


def err(name: str, args: dict[str, Any], c: ToolContext | None = None) -> ToolError:
    out = execute(name, args, c)
    assert isinstance(out, ToolError), f"{name} unexpectedly succeeded: {out.summary}"
    return out


def reference(name: str = "textbook") -> cobra.Model:
    """A fresh model straight from cobrapy, for the side-by-side comparisons."""
    return cobra.io.load_model(name)


def assert_pristine() -> None:
    """The shared model store still hands out the original e_coli_core: no tool run, failed
    or not, changed what other sessions see."""
    m = STORE.build("e_coli_core", state())
    ref = reference()
    assert abs(m.slim_optimize() - ref.slim_optimize()) < 1e-9
    assert m.medium == ref.medium
    assert (len(m.reactions), len(m.metabolites)) == (95, 72)
    assert all(r.bounds == ref.reactions.get_by_id(r.id).bounds for r in m.reactions)


@cache
def phenotype_reference() -> ModuleType:
    """eval/phenotypes/reference.py: the phenotype figures by plain cobrapy (no fluxagent)."""
    path = Path(__file__).resolve().parents[2] / "eval" / "phenotypes" / "reference.py"
    spec = importlib.util.spec_from_file_location("phenotype_reference", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
