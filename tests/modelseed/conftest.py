"""Fixtures of the ModelSEED tests (helpers in mskit.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import mskit

from fluxagent.config import Settings
from fluxagent.tools.modelseed.index import BiochemIndex, get_index


@pytest.fixture(scope="session")
def shared_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Read-only tests share one data dir (no model files are written there)."""
    if not mskit.EXAMPLE_GENOME.is_file():
        pytest.fail(f"missing test data {mskit.EXAMPLE_GENOME}", pytrace=False)
    return mskit.settings(tmp_path_factory.mktemp("modelseed-shared"))


@pytest.fixture(scope="session")
def index(shared_settings: Settings) -> BiochemIndex:
    return get_index(shared_settings)


@pytest.fixture
def fresh(tmp_path: Path, index: BiochemIndex) -> Settings:
    """A fresh data dir (for tests that write model files), sharing the built index."""
    return mskit.settings(tmp_path / "data")
