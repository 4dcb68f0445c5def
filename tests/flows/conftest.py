"""The flow-engine runner fixture (a small registry from flowkit.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from flowkit import mini_registry

from fluxagent.context.manager import ContextManager
from fluxagent.flows.decider import FlowDispatcher
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.llm.base import Decider
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.memory import MemoryStore
from fluxagent.tools.registry import ToolContext

RunnerFactory = Callable[..., LocalRunner]


@pytest.fixture
def make_runner() -> RunnerFactory:
    def make(inner: Decider | None = None, policy: ApprovalPolicy | None = None,
             store: Any = None) -> LocalRunner:
        cm = ContextManager()
        return LocalRunner(store=store or MemoryStore(),
                           decider=FlowDispatcher(inner or ScriptedDecider([])),
                           registry=mini_registry(),
                           context=lambda t, s: cm.build(t, s, "sys"),
                           tool_context=lambda t, s: ToolContext(session_id=t.session_id,
                                                                 state=s),
                           policy=policy or ApprovalPolicy(tools=frozenset(),
                                                           max_seconds=None))
    return make
