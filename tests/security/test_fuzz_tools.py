"""Property-based fuzzing of every registry tool's input schema on a real session.

For every tool, Hypothesis generates arguments from the tool's JSON Schema (valid-shaped
values, wrong types, NaN/±Infinity, huge strings and lists, odd Unicode, markup such as
``[/x]``, path strings) and a scripted decider sends them through the real loop
(``LocalRunner``: screening, storage in SQLite, the registry, the cobrapy tools) in a fork
of a real e_coli_core session. Properties:

- no exception escapes (the loop, the registry and the store all return normally);
- no ``internal`` error kind;
- a refused call leaves the session's models, changes and current model as they were;
- the base session itself is never changed.

``FLUXAGENT_FUZZ_EXAMPLES`` (default 176, 4 per tool; about two minutes on a busy two-core
machine) sets the total number of cases; the number run is printed after the test summary.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fuzz_strategies import arguments
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.context import Context
from fluxagent.core.state import SessionState, fold
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.human.approvals import NO_APPROVALS
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.tools import load_all

REGISTRY = load_all()
TOOLS = REGISTRY.names()
TOTAL = int(os.environ.get("FLUXAGENT_FUZZ_EXAMPLES", str(4 * len(TOOLS))))
PER_TOOL = max(1, TOTAL // len(TOOLS))
CASES: dict[str, int] = {}
OUTCOMES = {"result": 0, "refused": 0, "other": 0}  # other: waits for a person, not run


class World:
    def __init__(self, data: Path) -> None:
        shared = (Path(tempfile.gettempdir()) / f"fluxagent-modelseed-tests-{os.getuid()}"
                  / "cache" / "modelseed")  # the biochemistry index of tests/modelseed
        shared.mkdir(parents=True, exist_ok=True)
        (data / "cache").mkdir(parents=True)
        (data / "cache" / "modelseed").symlink_to(shared, target_is_directory=True)
        self.settings = Settings(data_dir=data, tool_time_limit_s=3, processes=1,
                                 max_steps=4)
        self.agent = Agent(settings=self.settings, decider=ScriptedDecider([]),
                           policy=NO_APPROVALS)
        self.agent.runner.decider = ScriptedDecider([
            ToolCall(name="load_model", args={"model": "e_coli_core"}),
            ToolCall(name="set_bounds", args={"reaction": "EX_glc__D_e", "lower": -8}),
            Done(answer="ready")])
        state = self.agent.ask("prepare a session to fuzz")
        assert state.status == "done" and state.models["e_coli_core"].changes, state
        self.base_id = state.session_id
        self.base_events = self.agent.thread(self.base_id).events
        self.base_state = state

    def call(self, tool: str, args: dict[str, Any]) -> tuple[SessionState, list[Any]]:
        child = sessions.fork(self.agent.runner, self.base_id)

        def script(ctx: Context) -> Step:
            if any(ev.type == "tool_call" for ev in ctx.thread.since_last_question()):
                return Done(answer="fuzzed")
            return ToolCall(name=tool, args=args)

        self.agent.runner.decider = ScriptedDecider(script)
        state = sessions.launch(self.agent.runner, f"fuzz {tool}", session_id=child)
        return state, self.agent.thread(child).since_last_question()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = World(tmp_path_factory.mktemp("fuzz") / "data")
    yield w
    assert w.agent.thread(w.base_id).events == w.base_events, "the base session changed"


def summary() -> str:
    return (f"fuzz: {sum(CASES.values())} generated tool calls over {len(CASES)} tools "
            f"({PER_TOOL} per tool; FLUXAGENT_FUZZ_EXAMPLES={TOTAL}): "
            f"{OUTCOMES['result']} ran, {OUTCOMES['refused']} refused, "
            f"{OUTCOMES['other']} waiting for a person")


def check(world: World, tool: str, args: dict[str, Any]) -> None:
    state, turn = world.call(tool, args)
    errors = [ev for ev in turn if ev.type == "tool_error"]
    internal = [ev.data for ev in errors if ev.data.get("kind") == "internal"]
    assert not internal, f"{tool} gave an internal error: {internal[0]}"
    refused = [ev for ev in errors if ev.data.get("tool") == tool]
    ran = any(ev.type == "tool_result" and ev.data.get("tool") == tool for ev in turn)
    OUTCOMES["refused" if refused else "result" if ran else "other"] += 1
    if refused:
        assert state.models == world.base_state.models, f"{tool} refused but changed models"
        assert state.current_model == world.base_state.current_model
    if any(ev.type == "tool_call" and "args_refused" in ev.data for ev in turn):
        # refused before storage; the registry itself (tools run, MCP) refuses it the same way
        direct = REGISTRY.execute(tool, args, world.agent._tool_context(
            world.agent.thread(world.base_id), world.base_state))
        assert not direct.ok and direct.kind == "bad_arguments", direct


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_survives_generated_arguments(world: World, tool: str) -> None:
    schema = REGISTRY.get(tool).schema()["parameters"]  # type: ignore[union-attr]
    ran = 0

    @hsettings(max_examples=PER_TOOL, deadline=None, database=None,
               suppress_health_check=list(HealthCheck))
    @given(args=arguments(schema))
    def fuzz(args: dict[str, Any]) -> None:
        nonlocal ran
        ran += 1
        check(world, tool, args)

    fuzz()
    CASES[tool] = ran
    assert ran >= 1, f"no case ran for {tool}"
    assert fold(world.agent.thread(world.base_id)) == world.base_state
