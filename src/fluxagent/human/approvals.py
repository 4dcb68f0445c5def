"""Approval policies: which tool calls need a human before they run (factor 7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fluxagent.core.state import PendingCall, SessionState

DEFAULT_TOOLS = frozenset({"gapfill"})


@dataclass(frozen=True)
class ApprovalPolicy:
    """``tools`` always need approval; so do tools marked ``writes`` in the registry."""

    tools: frozenset[str] = DEFAULT_TOOLS
    writing_tools: frozenset[str] = field(default_factory=frozenset)
    never: frozenset[str] = field(default_factory=frozenset)

    def needs_approval(self, call: PendingCall, state: SessionState) -> bool:
        if call.name in self.never:
            return False
        return call.name in self.tools or call.name in self.writing_tools

    @classmethod
    def from_file(cls, path: Path, writing_tools: frozenset[str] = frozenset()) -> ApprovalPolicy:
        try:
            raw: dict[str, Any] = yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"approval policy {path}: {exc}") from None
        return cls(tools=frozenset(raw.get("require", DEFAULT_TOOLS)),
                   writing_tools=writing_tools, never=frozenset(raw.get("never", ())))


NO_APPROVALS = ApprovalPolicy(tools=frozenset())
