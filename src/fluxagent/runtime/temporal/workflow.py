"""The session workflow: the loop of runtime/loop.py, one activity per step.

The thread lives in the event store; the workflow holds only the session id and each step's
small plan, so its history stays what Temporal needs to resume it. Planning and the steps
that only store a decision or a bookkeeping event are local activities: they run in the
worker that runs the workflow task, recorded as one marker instead of a round trip of six
events through the server (they are as idempotent as the others, and a worker that dies in
one is replaced after the workflow task timeout, not the step's); tools stay activities on
the task queue, heartbeated, taken by whichever worker is free. The ``advance`` update
wakes it after a channel stored something (a question, an answer, an approval, a resume) and
returns once the session is at rest again; ``state`` is a query. While a request waits with a
deadline, a durable timer fires at the deadline and records the escalation.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

#: Infrastructure failures (a dead worker, an unreachable database) are retried like this;
#: tool and decider errors are not failures here: they are stored as events for the decider.
RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), backoff_coefficient=2.0,
                    maximum_interval=timedelta(seconds=30), maximum_attempts=20,
                    non_retryable_error_types=["UnknownSessionError", "ValueError"])
SHORT = timedelta(seconds=120)
#: Tools whose one chunked job fans out over the heavy queue (runtime/temporal/fanout.py).
FANOUT_TOOLS = frozenset({"run_fva", "essential_genes", "essential_reactions",
                          "gene_deletion_screen", "reaction_deletion_screen",
                          "production_envelope", "flux_sampling"})
#: Tools that fan out only in runs started after this patch id (runs started before it ran
#: them whole with ``run_tool`` and replay so).
LATER_FANOUT = {"flux_sampling": "fanout-sampling-1"}
#: The patch id under which the shares' values go through the artifact store (runtime/temporal/
#: fanout.py) instead of the history, so jobs of any size fan out; runs started before it pass
#: them inline and run jobs too large for a 2 MB payload whole.
STORED_SHARES = "fanout-artifacts-1"
#: The patch id under which planning and bookkeeping became local activities (runs started
#: before it replay with the activities they recorded).
LOCAL_STEPS = "local-steps-1"


def workflow_id(session_id: str) -> str:
    return f"fluxagent-session-{session_id}"


@workflow.defn(name="FluxagentSession")
class SessionWorkflow:
    def __init__(self) -> None:
        self.wakes = 0
        self.rested = -1
        self.state: dict[str, Any] = {}
        self.local = False

    @workflow.run
    async def run(self, job: dict[str, Any]) -> dict[str, Any]:
        sid, opts = str(job["session_id"]), dict(job.get("options", {}))
        self.local = workflow.patched(LOCAL_STEPS)
        ahead: dict[str, Any] | None = None  # the plan a step returned with its outcome
        while True:
            seen = self.wakes
            plan = ahead or await self._act("plan_step", {"session_id": sid},
                                            local=self.local)
            ahead = None
            self.state = dict(plan["state"])
            if plan["kind"] in ("wait", "finished"):
                self.rested = seen
                if await self._rest(sid, plan, seen, opts):
                    continue
                return self.state
            if plan["delay_s"]:
                await workflow.sleep(float(plan["delay_s"]))
            if plan["kind"] == "execute":
                done = await self._execute(sid, plan, opts)
            else:
                timeout = (float(opts.get("decide_timeout_s", 600)) if plan["kind"] == "decide"
                           else SHORT.total_seconds())
                done = await self._act("apply_step", {"session_id": sid, "seq": plan["seq"],
                                                      "kind": plan["kind"]}, timeout_s=timeout,
                                       local=self.local)
            if self.wakes == seen:  # a wake may follow a write the plan did not see
                ahead = done.get("next")

    async def _rest(self, sid: str, plan: dict[str, Any], seen: int,
                    opts: dict[str, Any]) -> bool:
        """At rest: wait for a wake (True: go on) or end the run (False)."""
        while True:
            if self.wakes > seen:
                return True
            if plan["kind"] == "finished":
                await workflow.wait_condition(workflow.all_handlers_finished)
                return self.wakes > seen
            wait_s = float(opts.get("idle_s", 30 * 86400))
            if plan.get("deadline"):
                due = datetime.fromisoformat(str(plan["deadline"]))
                wait_s = max(0.0, (due - workflow.now()).total_seconds())
            try:
                await workflow.wait_condition(lambda: self.wakes > seen,
                                              timeout=timedelta(seconds=wait_s))
            except TimeoutError:
                if not plan.get("deadline"):  # idle: a later wake starts a new run
                    await workflow.wait_condition(workflow.all_handlers_finished)
                    return self.wakes > seen
                await self._act("escalate_due", {"session_id": sid,
                                                 "now": workflow.now().isoformat()},
                                local=self.local)
                plan = {**plan, "deadline": None}
            if workflow.info().is_continue_as_new_suggested() and self.wakes == seen:
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new({"session_id": sid, "options": opts})

    async def _execute(self, sid: str, plan: dict[str, Any], opts: dict[str, Any]
                       ) -> dict[str, Any]:
        call = {"session_id": sid, "call_id": plan["call_id"]}
        tool_s = float(opts.get("tool_timeout_s", 720))
        beat = float(opts.get("heartbeat_s", 30))
        parts = int(opts.get("fanout", 1))
        tool = plan.get("tool")
        if (tool in FANOUT_TOOLS and parts > 1
                and (tool not in LATER_FANOUT or workflow.patched(LATER_FANOUT[tool]))):
            stored = {"stored": True} if workflow.patched(STORED_SHARES) else {}
            shares = await self._act("fanout_plan", {**call, "parts": parts, "min_work": int(
                opts.get("fanout_min_work", 0)), **stored}, timeout_s=tool_s, heartbeat_s=beat)
            if shares:
                blocks = await asyncio.gather(*(self._act(
                    "fanout_block", {**call, "chunks": chunks, **stored}, timeout_s=tool_s,
                    heartbeat_s=beat, queue=f"{workflow.info().task_queue}-heavy")
                    for chunks in shares))
                if all(block is not None for block in blocks):  # else: run it whole
                    given = ({"refs": blocks} if stored
                             else {"values": [v for b in blocks for v in b]})
                    merged: dict[str, Any] = await self._act(
                        "fanout_merge", {**call, **given}, timeout_s=tool_s, heartbeat_s=beat)
                    return merged
        ran: dict[str, Any] = await self._act("run_tool", call, timeout_s=tool_s,
                                              heartbeat_s=beat)
        return ran

    async def _act(self, name: str, arg: dict[str, Any], *, timeout_s: float | None = None,
                   heartbeat_s: float | None = None, queue: str | None = None,
                   local: bool = False) -> Any:
        if local:
            return await workflow.execute_local_activity(
                name, arg, start_to_close_timeout=timedelta(seconds=timeout_s or SHORT.seconds),
                retry_policy=RETRY)
        return await workflow.execute_activity(
            name, arg, start_to_close_timeout=timedelta(seconds=timeout_s or SHORT.seconds),
            heartbeat_timeout=timedelta(seconds=heartbeat_s) if heartbeat_s else None,
            retry_policy=RETRY, task_queue=queue)

    @workflow.update
    async def advance(self) -> dict[str, Any]:
        """Wake the session and wait until it is at rest again (done, or waiting)."""
        self.wakes += 1
        mine = self.wakes
        await workflow.wait_condition(lambda: self.rested >= mine)
        return self.state

    @workflow.query
    def current(self) -> dict[str, Any]:
        """The session's state as of the last step (status, last_seq, pending ids)."""
        return self.state
