"""Approval policies: which tool calls need a human before they run (factor 7).

A policy is data (a YAML file, ``FLUXAGENT_APPROVAL_POLICY``); the defaults ask before:

- ``gapfill`` (and any tool listed under ``require``);
- tools marked ``writes`` in the registry (a change saved to a model file);
- analyses estimated to take longer than ``max_seconds`` (see ``estimates.py``);
- any argument that names a path outside the data directory, resolved by the one path policy
  (``fluxagent/paths.py``) exactly as the tool resolves it (a path outside every workspace
  root is then refused by the tool itself).

The same file names who is asked (``escalate_to``), how long a request may wait
(``approval_timeout_s``, ``human_timeout_s``) and where notifications go (``channels``).
Example::

    require: [gapfill, save_model]
    never: [run_fba]
    max_seconds: 120
    approval_timeout_s: 86400
    human_timeout_s: 86400
    escalate_to: lab-manager
    contacts: {lab-manager: "mailto:lab@example.org"}
    channels: [{type: file}, {type: webhook, url: "http://127.0.0.1:9000/hook"}]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fluxagent.core.events import Thread
from fluxagent.core.state import PendingCall, SessionState
from fluxagent.human.estimates import estimate_seconds
from fluxagent.paths import PathError, PathPolicy

DEFAULT_TOOLS = frozenset({"gapfill", "modelseed_gapfill"})
#: Tools that always ask (their whole purpose is a person's decision).
ALWAYS = frozenset({"request_approval"})
#: Tools that change the session's model as a person decides: always asked, the reason is
#: the model diff they carry (``tools/cobra/phenotypes_apply.py``).
MODEL_FIX_TOOLS = frozenset({"apply_model_fix"})
#: Tools that are a question to a person already; asking to approve them makes no sense.
HUMAN_TOOLS = frozenset({"request_human_input", "escalate"})
#: Argument names that hold a path a tool writes to.
PATH_KEYS = frozenset({"path", "output", "out", "file", "filename", "dest", "destination",
                       "directory", "dir", "save_to", "output_path", "export_path"})
KNOWN_KEYS = frozenset({"require", "never", "max_seconds", "approval_timeout_s",
                        "human_timeout_s", "escalate_to", "contacts", "channels"})


class PolicyError(ValueError):
    """An approval policy file that cannot be used (one-line message)."""


@dataclass(frozen=True)
class ApprovalPolicy:
    """``tools`` always need approval; so do tools marked ``writes`` in the registry."""

    tools: frozenset[str] = DEFAULT_TOOLS
    writing_tools: frozenset[str] = field(default_factory=frozenset)
    never: frozenset[str] = field(default_factory=frozenset)
    max_seconds: float | None = 120.0
    data_dir: Path | None = None
    approval_timeout_s: float | None = None
    human_timeout_s: float | None = None
    escalate_to: str = ""
    contacts: dict[str, str] = field(default_factory=dict)
    channels: tuple[dict[str, Any], ...] = ()
    #: How path arguments resolve: the same policy the tools use (fluxagent/paths.py).
    paths: PathPolicy | None = None

    def check(self, call: PendingCall, state: SessionState,
              thread: Thread | None = None) -> str | None:
        """Why this call needs a person's approval, or None if it may run now."""
        if call.name in ALWAYS:
            return str(call.args.get("reason") or "the agent asks for approval")
        if call.name in MODEL_FIX_TOOLS:
            diff = call.args.get("diff")
            lines = "; ".join(map(str, diff)) if isinstance(diff, list) else "no diff given"
            return f"model change {call.args.get('fix', '?')} needs approval: {lines}"
        if call.name in self.never or call.name in HUMAN_TOOLS:
            return None
        if call.name in self.tools:
            return f"the approval policy requires approval of every {call.name} call"
        if call.name in self.writing_tools:
            return f"{call.name} changes a saved model file"
        outside = self._outside_paths(call.args)
        if outside:
            return f"{call.name} would write outside the data directory: {', '.join(outside)}"
        if self.max_seconds is not None:
            est = estimate_seconds(call, state, thread)
            if est is not None and est > self.max_seconds:
                return (f"{call.name} is estimated to take about {est:,.0f} s, more than the "
                        f"{self.max_seconds:,.0f} s the policy allows without approval")
        return None

    def needs_approval(self, call: PendingCall, state: SessionState,
                       thread: Thread | None = None) -> bool:
        return self.check(call, state, thread) is not None

    def _outside_paths(self, args: dict[str, Any]) -> list[str]:
        """Path arguments outside the data dir, resolved exactly as the tool will resolve
        them (same base, symlinks followed). Tools on the path policy refuse a path outside
        every root anyway; asking first also covers a tool that does not."""
        paths = self.paths or (PathPolicy.of(self.data_dir) if self.data_dir else None)
        if paths is None:
            return []
        found = []
        for key, value in args.items():
            if key in PATH_KEYS and isinstance(value, str) and value:
                try:
                    target = paths.locate(value)
                except PathError:
                    found.append(f"{key}={value!r}")
                    continue
                if not paths.in_data_dir(target):
                    found.append(f"{key}={value}")
        return found

    def request_meta(self, kind: str) -> dict[str, Any]:
        """Deadline and contact recorded in a request event (``kind``: approval or human)."""
        timeout = self.approval_timeout_s if kind == "approval" else self.human_timeout_s
        meta: dict[str, Any] = {}
        if timeout is not None:
            meta["timeout_s"] = timeout
        if self.escalate_to:
            meta["escalate_to"] = self.escalate_to
        return meta

    @classmethod
    def from_mapping(cls, raw: dict[str, Any], *, writing_tools: frozenset[str] = frozenset(),
                     data_dir: Path | None = None, source: str = "policy",
                     paths: PathPolicy | None = None) -> ApprovalPolicy:
        if not isinstance(raw, dict):
            raise PolicyError(f"approval {source}: expected a mapping of settings")
        unknown = set(raw) - KNOWN_KEYS
        if unknown:
            raise PolicyError(f"approval {source}: unknown setting(s) {', '.join(sorted(unknown))}"
                              f"; known: {', '.join(sorted(KNOWN_KEYS))}")

        def names(key: str, default: frozenset[str]) -> frozenset[str]:
            value = raw.get(key, default)
            if not isinstance(value, list | tuple | frozenset | set) or \
                    not all(isinstance(v, str) for v in value):
                raise PolicyError(f"approval {source}: {key} must be a list of tool names")
            return frozenset(value)

        def seconds(key: str, default: float | None) -> float | None:
            value = raw.get(key, default)
            if value is not None and (not isinstance(value, int | float) or value <= 0):
                raise PolicyError(f"approval {source}: {key} must be a positive number")
            return None if value is None else float(value)

        channels = raw.get("channels", [])
        if not isinstance(channels, list) or not all(isinstance(c, dict) for c in channels):
            raise PolicyError(f"approval {source}: channels must be a list of mappings")
        contacts = raw.get("contacts", {})
        if not isinstance(contacts, dict):
            raise PolicyError(f"approval {source}: contacts must map names to addresses")
        return cls(tools=names("require", DEFAULT_TOOLS), writing_tools=writing_tools,
                   never=names("never", frozenset()),
                   max_seconds=seconds("max_seconds", 120.0), data_dir=data_dir,
                   approval_timeout_s=seconds("approval_timeout_s", None),
                   human_timeout_s=seconds("human_timeout_s", None),
                   escalate_to=str(raw.get("escalate_to", "") or ""),
                   contacts={str(k): str(v) for k, v in contacts.items()},
                   channels=tuple(channels), paths=paths)

    @classmethod
    def from_file(cls, path: Path, writing_tools: frozenset[str] = frozenset(),
                  data_dir: Path | None = None,
                  paths: PathPolicy | None = None) -> ApprovalPolicy:
        try:
            raw: Any = yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise PolicyError(f"approval policy {path}: {exc}") from None
        return cls.from_mapping(raw, writing_tools=writing_tools, data_dir=data_dir,
                                source=f"policy {path}", paths=paths)


NO_APPROVALS = ApprovalPolicy(tools=frozenset(), max_seconds=None)
