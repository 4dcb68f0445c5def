"""Replaying a finished session through a decider: does it make every decision again?

Flows and routing are pure functions of the thread, so at each point where a decision was
recorded, asking again with the thread as it stood then must give the same events (the
records and the step; ids, timings and token usage aside).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fluxagent.core.context import Context
from fluxagent.core.events import Event, Thread
from fluxagent.core.state import SessionState, fold
from fluxagent.llm.base import Decider

#: Events a decider produces (others come from tools, people or the runner itself).
DECISION_TYPES = ("flow_transition", "agent_handoff", "tool_call", "human_request",
                  "final_answer")
NOT_DECIDED = ("retry", "escalation")
VOLATILE = ("usage", "context", "rationale")


@dataclass(frozen=True)
class Mismatch:
    seq: int
    expected: dict[str, Any]
    got: dict[str, Any]

    def __str__(self) -> str:
        return f"event {self.seq}: recorded {self.expected}, replay gave {self.got}"


def _key(ev: Event) -> dict[str, Any]:
    data = {k: v for k, v in ev.data.items() if k not in VOLATILE}
    return {"type": ev.type, "data": data}


def _is_decision(ev: Event) -> bool:
    return ev.type in DECISION_TYPES and ev.data.get("by") not in NOT_DECIDED


def replay_decisions(thread: Thread, decider: Decider,
                     context: Callable[[Thread, SessionState], Context],
                     tools: list[dict[str, Any]]) -> tuple[int, list[Mismatch]]:
    """(decisions replayed, mismatches) for every decision recorded in ``thread``."""
    from fluxagent.runtime.local import step_events

    count, problems, k = 0, [], 0
    while k < len(thread):
        if not _is_decision(thread[k]) or (thread[k].type == "human_request"
                                           and thread[k].data.get("tool")):
            k += 1
            continue
        prefix = thread.prefix(k)
        step = decider.next_step(context(prefix, fold(prefix)), tools)
        made = step_events(step, decider.name)
        count += 1
        for j, ev in enumerate(made):
            recorded = thread[k + j] if k + j < len(thread) else None
            if recorded is None or _key(recorded) != _key(ev):
                problems.append(Mismatch(k + j, _key(recorded) if recorded else {},
                                         _key(ev)))
                break
        k += len(made)
    return count, problems
