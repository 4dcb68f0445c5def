"""A one-activity workflow for the trace propagation test (importable by the sandbox)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity, workflow

with workflow.unsafe.imports_passed_through():
    from fluxagent.observability import telemetry


@activity.defn
def run_tool(name: str) -> str:
    """Records a fluxagent tool span inside the activity, as a worker's tool activity does."""
    with telemetry.tool(name, "call-1") as note:
        note(type("Outcome", (), {"ok": True})())
    return f"ran {name}"


@workflow.defn
class TracedSession:
    @workflow.run
    async def run(self, name: str) -> str:
        return str(await workflow.execute_activity(
            run_tool, name, start_to_close_timeout=timedelta(seconds=30)))
