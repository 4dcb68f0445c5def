"""One pass of the agent loop, as data: what happens next in a session (any runner).

``plan_step`` folds the thread and says which single thing comes next; the local runner does
it at once, the Temporal workflow turns it into an activity (runtime/temporal/). Both run the
same decisions in the same order, so a session gives the same thread on either runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fluxagent.core.errors import (
    ESCALATE_AFTER,
    RetryPlan,
    decider_retry_delay,
    explain_streak,
    plan_retry,
)
from fluxagent.core.events import Thread
from fluxagent.core.state import PendingCall, SessionState, fold, next_action
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.human.tools import HUMAN_INPUT_TOOLS

PlanKind = Literal["wait", "finished", "escalate", "retry", "request_approval", "ask_human",
                   "execute", "decide"]
#: Plans that end a pass of the loop: the session waits for a person or is over.
REST: frozenset[str] = frozenset({"wait", "finished"})


@dataclass(frozen=True)
class Plan:
    """The next step of a session; ``delay_s``: back-off to wait before doing it."""

    kind: PlanKind
    state: SessionState
    call: PendingCall | None = None
    reason: str = ""
    retry: RetryPlan | None = None
    delay_s: float = 0.0


def plan_step(thread: Thread, policy: ApprovalPolicy, max_steps: int) -> Plan:
    """What the loop does next on ``thread`` (pure but for the policy's rules)."""
    state = fold(thread)
    call = state.pending_call
    reason = policy.check(call, state, thread) if call and call.approval == "none" else None
    action = next_action(state, needs_approval=reason is not None)
    if action == "wait":
        return Plan("wait", state, call)
    if action == "finished":
        return Plan("finished", state, call)
    if call is None and state.consecutive_errors >= ESCALATE_AFTER:
        return Plan("escalate", state, reason=explain_streak(thread)
                    or f"{state.consecutive_errors} errors in a row")
    if call is None and (retry := plan_retry(thread)) is not None:
        return Plan("retry", state, retry=retry, delay_s=retry.delay_s)
    if action == "request_approval":
        return Plan("request_approval", state, call, reason=reason or "")
    if action == "execute" and call is not None and call.name in HUMAN_INPUT_TOOLS:
        return Plan("ask_human", state, call)
    if action == "execute":
        return Plan("execute", state, call)
    if state.steps_this_turn >= max_steps:
        return Plan("escalate", state, reason=f"no answer after {max_steps} steps")
    return Plan("decide", state, delay_s=decider_retry_delay(thread))
