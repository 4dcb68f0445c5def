"""Focused agents as data: name, prompt, tools (at most ten), step limit, routing keywords."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

AGENTS_FILE = Path(__file__).with_name("agents.yaml")
MAX_TOOLS = 10


class AgentSpecError(ValueError):
    """An agents file that cannot be used (one-line message)."""


class AgentSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str
    prompt: str
    max_steps: int = Field(default=8, ge=1, le=50)
    prefetch: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _small(self) -> AgentSpec:
        if len(self.tools) > MAX_TOOLS:
            raise ValueError(f"agent {self.name} has {len(self.tools)} tools; a focused agent "
                             f"has at most {MAX_TOOLS}")
        return self

    def score(self, question: str) -> int:
        words = re.findall(r"[a-z0-9_]+", question.lower())
        return sum(1 for w in words for k in self.keywords
                   if w == k or (len(k) >= 3 and w.startswith(k)))


class AgentBook(BaseModel):
    """All focused agents, the tools every agent has and the default agent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    common: tuple[str, ...] = ()
    human: tuple[str, ...] = ()
    default: str
    agents: dict[str, AgentSpec]

    @model_validator(mode="after")
    def _default_known(self) -> AgentBook:
        if self.default not in self.agents:
            raise ValueError(f"default agent {self.default!r} is not defined")
        return self

    def tools_of(self, name: str) -> list[str]:
        """Everything the agent may call: its own tools, the common ones, the human ones."""
        spec = self.agents[name]
        return list(dict.fromkeys([*spec.tools, *self.common, *self.human]))

    def route(self, question: str) -> tuple[str, str]:
        """The agent for a question and why (deterministic: keyword scores, then file order)."""
        scores = {n: a.score(question) for n, a in self.agents.items()}
        best = max(scores.values(), default=0)
        if best <= 0:
            return self.default, "no agent's keywords matched; default agent"
        name = next(n for n, s in scores.items() if s == best)
        return name, f"keyword score {best}"

    def owner(self, tool: str, prefer: str | None = None) -> str | None:
        """The agent to hand off to for a tool outside the current agent's set."""
        if prefer and tool in self.tools_of(prefer):
            return prefer
        return next((n for n in self.agents if tool in self.agents[n].tools), None)


def parse_book(raw: Any, source: str = "agents") -> AgentBook:
    if not isinstance(raw, dict) or not isinstance(raw.get("agents"), dict):
        raise AgentSpecError(f"{source}: expected a mapping with an `agents` section")
    agents = {name: {"name": name, **(spec or {})} for name, spec in raw["agents"].items()}
    try:
        return AgentBook.model_validate({**raw, "agents": agents})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AgentSpecError(f"{source}: {where}: {first['msg']}") from None


@lru_cache(maxsize=4)
def load_book(path: Path = AGENTS_FILE) -> AgentBook:
    try:
        raw = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise AgentSpecError(f"{path}: {exc}") from None
    return parse_book(raw, str(path))
