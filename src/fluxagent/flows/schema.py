"""The shape of a flow file (factor 8: control flow as data, not code).

A flow is a set of named states. Each state does one thing:

- ``tool``: call a tool with ``args`` (values may be templates: ``"{{ input.model }}"``);
- ``decider``: let the inner decider work on an ``instruction`` with a restricted ``tools``
  list for at most ``max_steps`` calls; its answer becomes the state's result;
- ``human``: ask a person (free text, yes/no or a choice) and branch on the ``response``;
- ``end``: finish with an ``answer`` rendered from the results.

and then moves on along ``transitions`` (the first whose ``when`` holds; one without ``when``
is the default), or ``next`` (shorthand for a single default). A failed tool call goes to
``on_error`` if given, else the flow stops and says why. ``limits`` bound the whole run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

StateKind = Literal["tool", "decider", "human", "end"]


class FlowError(ValueError):
    """A flow file that cannot be loaded or run (one-line message for the user)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Transition(_Strict):
    to: str
    when: str | None = None
    note: str = ""


class DeciderSpec(_Strict):
    instruction: str = Field(min_length=1)
    tools: list[str] = Field(default_factory=list)
    max_steps: int = Field(default=5, ge=1, le=50)


class HumanSpec(_Strict):
    question: str = Field(min_length=1)
    kind: Literal["text", "yes_no", "choice"] = "text"
    options: list[str] = Field(default_factory=list)
    urgency: Literal["low", "normal", "high"] = "normal"


class EndSpec(_Strict):
    answer: str = Field(min_length=1)


class State(_Strict):
    description: str = ""
    tool: str | None = None
    args: dict[str, Any] = Field(default_factory=dict)
    decider: DeciderSpec | None = None
    human: HumanSpec | None = None
    end: EndSpec | None = None
    next: str | None = None
    transitions: list[Transition] = Field(default_factory=list)
    on_error: str | None = None
    retries: int = Field(default=0, ge=0, le=5)
    max_visits: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_kind(self) -> State:
        kinds = [k for k in ("tool", "decider", "human", "end") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a state needs exactly one of tool, decider, human, end "
                             f"(found: {', '.join(kinds) or 'none'})")
        if self.args and self.tool is None:
            raise ValueError("args belong to a tool state")
        if self.end is not None and (self.next or self.transitions or self.on_error):
            raise ValueError("an end state has no transitions")
        if self.next is not None and self.transitions:
            raise ValueError("use either next or transitions, not both")
        return self

    @property
    def kind(self) -> StateKind:
        if self.tool is not None:
            return "tool"
        if self.decider is not None:
            return "decider"
        if self.human is not None:
            return "human"
        return "end"

    def edges(self) -> list[Transition]:
        """Every way out of the state, including ``next`` and ``on_error``."""
        out = list(self.transitions)
        if self.next is not None:
            out.append(Transition(to=self.next))
        if self.on_error is not None:
            out.append(Transition(to=self.on_error, when="not ok", note="on error"))
        return out


class InputSpec(_Strict):
    description: str = ""
    default: Any = None
    required: bool = False


class Limits(_Strict):
    max_steps: int = Field(default=30, ge=1, le=500)
    max_visits: int = Field(default=3, ge=1, le=100)
    on_limit: str | None = None


class Flow(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = ""
    version: int = 1
    inputs: dict[str, InputSpec] = Field(default_factory=dict)
    start: str
    states: dict[str, State] = Field(min_length=1)
    limits: Limits = Field(default_factory=lambda: Limits())

    def digest(self) -> str:
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def resolve_inputs(self, given: dict[str, Any]) -> dict[str, Any]:
        """Defaults filled in; unknown or missing required inputs are refused."""
        unknown = set(given) - set(self.inputs)
        if unknown:
            raise FlowError(f"flow {self.name}: unknown input(s) {', '.join(sorted(unknown))}; "
                            f"it takes: {', '.join(self.inputs) or 'no inputs'}")
        out = {}
        for key, spec in self.inputs.items():
            if key in given:
                out[key] = given[key]
            elif spec.required:
                raise FlowError(f"flow {self.name}: input {key!r} is required "
                                f"({spec.description or 'no description'})")
            else:
                out[key] = spec.default
        return out


def parse_flow(raw: Any, source: str = "flow") -> Flow:
    """A flow from a parsed mapping, with a one-line error naming the bad field."""
    if not isinstance(raw, dict):
        raise FlowError(f"{source}: a flow file must be a mapping with name, start and states")
    try:
        return Flow.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise FlowError(f"{source}: {where or 'flow'}: {first['msg']}{more}") from None


def load_flow_text(text: str, source: str = "flow") -> Flow:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FlowError(f"{source}: YAML error{where}: {problem}") from None
    return parse_flow(raw, source)


def load_flow_file(path: Path) -> Flow:
    try:
        text = path.read_text()
    except OSError as exc:
        raise FlowError(f"{path}: {exc.strerror or exc}") from None
    return load_flow_text(text, str(path))
