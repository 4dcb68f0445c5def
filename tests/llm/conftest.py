"""The offline agent the planner's end-to-end tests ask (one per test module)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fluxagent.config import Settings
from fluxagent.store.memory import MemoryStore


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from fluxagent.agent import Agent
    yield Agent(settings=Settings(data_dir=tmp_path_factory.mktemp("agent")), store=MemoryStore())
