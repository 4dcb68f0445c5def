"""One registry of tools that serves the agent, the CLI, the API and the MCP server.

A tool is a name, a one-line purpose, a pydantic argument model (its JSON Schema is what an LLM
sees) and a function ``run(args, ctx) -> ToolResult``. ``Registry.execute`` is the only way a
tool runs: it validates the arguments, times the run and turns every failure into a
``ToolError`` so no exception ever ends a session. Mentions that a tool left out (an unknown
gene in a knockout list) are added to the result as ``data["unresolved"]``.
"""

from __future__ import annotations

import copy
import functools
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from fluxagent.config import Settings, get_settings
from fluxagent.core.state import SessionState
from fluxagent.paths import PathError, PathPolicy
from fluxagent.tools.arguments import ArgLimits, non_finite, screen
from fluxagent.tools.linking.partial import collecting, with_unresolved
from fluxagent.tools.results import ArtifactRef, ToolError, ToolFailure, ToolResult

A = TypeVar("A", bound=BaseModel)
Progress = Callable[[float, str], None]


class ArtifactSink(Protocol):
    def put(self, name: str, content: bytes, media_type: str) -> ArtifactRef: ...


class ModelProvider(Protocol):
    """Builds the model a tool sees: the base model plus the session's changes."""

    def build(self, name: str | None, state: SessionState) -> Any: ...


@dataclass
class ToolContext:
    session_id: str
    state: SessionState
    models: ModelProvider | None = None
    artifacts: ArtifactSink | None = None
    progress: Progress = field(default=lambda fraction, message: None)
    settings: Settings = field(default_factory=get_settings)

    @property
    def paths(self) -> PathPolicy:
        """The path policy every file argument goes through (see fluxagent/paths.py)."""
        return PathPolicy.from_settings(self.settings)

    def model(self, name: str | None = None) -> Any:
        if self.models is None:
            raise ToolFailure("model_not_loaded", "no model store is configured")
        return self.models.build(name, self.state)


@functools.cache
def _json_schema(args_model: type[BaseModel]) -> dict[str, Any]:
    return args_model.model_json_schema()


@dataclass(frozen=True)
class Tool:
    name: str
    purpose: str
    args_model: type[BaseModel]
    run: Callable[[Any, ToolContext], ToolResult]
    long_running: bool = False
    writes: bool = False  # changes a stored model file or writes outside the data dir

    def schema(self) -> dict[str, Any]:
        """The function spec an LLM sees (the JSON Schema is built once per argument model:
        every decision asks for all of them, and building costs ~20 ms each)."""
        return {"name": self.name, "description": self.purpose,
                "parameters": copy.deepcopy(_json_schema(self.args_model))}


class Registry:
    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}
        self._shared: tuple[dict[str, Any], ...] | None = None

    def add(self, tool: Tool) -> Tool:
        if tool.name in self._tools:
            raise ValueError(f"tool {tool.name!r} registered twice")
        self._tools[tool.name] = tool
        self._shared = None
        return tool

    def tool(self, name: str, purpose: str, args: type[A], *, long_running: bool = False,
             writes: bool = False) -> Callable[[Callable[[A, ToolContext], ToolResult]],
                                               Callable[[A, ToolContext], ToolResult]]:
        """Decorator: ``@registry.tool("run_fba", "Maximise the objective.", FbaArgs)``."""
        def deco(fn: Callable[[A, ToolContext], ToolResult]) -> Callable[[A, ToolContext],
                                                                           ToolResult]:
            self.add(Tool(name, purpose, args, fn, long_running, writes))
            return fn
        return deco

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def names(self) -> list[str]:
        return sorted(self._tools)

    def __iter__(self) -> Iterator[Tool]:
        return iter(self._tools[n] for n in self.names())

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def specs(self, names: list[str] | None = None) -> list[dict[str, Any]]:
        """Fresh copies of the specs (the caller may change them)."""
        return [self._tools[n].schema() for n in (names or self.names()) if n in self._tools]

    def shared_specs(self) -> list[dict[str, Any]]:
        """Every spec, built once and shared: what the runner hands a decider at each step.

        Read-only by contract (deciders build their wire format from them, never change
        them): copying ~50 schemas took most of a warm question's CPU time.
        """
        if self._shared is None:
            self._shared = tuple(self.specs())
        return list(self._shared)

    def screen(self, name: str, raw: Any, settings: Settings | None = None) -> ToolError | None:
        """Refuse arguments no tool should see (non-finite, oversized, NUL, too deep), before
        they are parsed or stored."""
        if not isinstance(raw, dict):
            return ToolError.of(name, "bad_arguments", "arguments must be a JSON object",
                                hint=f"got {type(raw).__name__}")
        problem = screen(raw, ArgLimits.of(settings or get_settings()))
        return None if problem is None else ToolError.of(
            name, "bad_arguments", problem, hint="send finite numbers and short ids or names; "
            "large inputs belong in a file inside the data dir or a workspace")

    def validate(self, name: str, raw: dict[str, Any],
                 settings: Settings | None = None) -> BaseModel | ToolError:
        refused = self.screen(name, raw, settings)
        if refused is not None:
            return refused
        tool = self._tools.get(name)
        if tool is None:
            from difflib import get_close_matches
            close = get_close_matches(name, self.names(), n=3)
            return ToolError.of(name, "unknown_tool", f"no tool named {name!r}",
                                hint=f"did you mean {', '.join(close)}?" if close else
                                f"tools: {', '.join(self.names())}")
        fields = ", ".join(tool.args_model.model_fields)
        try:
            args = tool.args_model.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                for e in exc.errors()[:5])
            return ToolError.of(name, "bad_arguments", problems,
                                hint=f"{name} takes: {fields}")
        problem = non_finite(args.model_dump())
        if problem is not None:
            return ToolError.of(name, "bad_arguments", problem, hint=f"{name} takes: {fields}")
        return args

    def execute(self, name: str, raw: dict[str, Any], ctx: ToolContext) -> ToolResult | ToolError:
        args = self.validate(name, raw, ctx.settings)
        if isinstance(args, ToolError):
            return args
        tool = self._tools[name]
        start = time.perf_counter()
        try:
            with collecting() as unresolved:  # knockout mentions left out (tools/linking)
                result = tool.run(args, ctx)
        except ToolFailure as f:
            return ToolError.of(name, f.kind, f.message, f.hint, **f.data)
        except PathError as exc:
            return ToolError.of(name, "bad_arguments", exc.message, exc.hint)
        except Exception as exc:  # a bug or a library failure: never kill the session
            last = traceback.extract_tb(exc.__traceback__)[-1]
            return ToolError.of(name, "internal", f"{type(exc).__name__}: {exc}",
                                hint=f"at {last.filename.rsplit('/', 1)[-1]}:{last.lineno}")
        result = with_unresolved(result, unresolved)
        problem = non_finite(result.effects, "effects")
        if problem is not None:  # stored effects are replayed by every later call
            return ToolError.of(name, "bad_arguments", f"{name} would record {problem}",
                                hint="give finite numbers (a large bound is 1000)")
        prov = result.provenance.model_copy(
            update={"duration_s": round(time.perf_counter() - start, 6)})
        return result.model_copy(update={"provenance": prov})


#: The registry every part of fluxagent uses; tool modules register into it on import.
REGISTRY = Registry()
