"""``fluxagent schedules add|list|remove|tick``: cron schedules that launch questions or flows.

A server (``fluxagent serve``) ticks by itself; ``tick`` runs the due schedules once, for a
machine without a server (call it from the system's cron every minute) and for tests
(``--now``). Claims in the database make every due time fire exactly once, whoever ticks.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from fluxagent.cli.common import cli_errors
from fluxagent.cli.render import cell, out, print_json

app = typer.Typer(help="Cron schedules that launch a question or a flow.",
                  no_args_is_help=True)


def _agent() -> Any:
    from fluxagent.agent import Agent
    return Agent()


def _inputs(pairs: list[str]) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--input {pair!r}: expected KEY=VALUE (VALUE may be JSON)")
        try:
            inputs[key] = json.loads(value)
        except json.JSONDecodeError:
            inputs[key] = value
    return inputs


@app.command("add")
def add(name: Annotated[str, typer.Argument(help="A name for the schedule.")],
        cron: Annotated[str, typer.Option("--cron", help="5-field cron expression in UTC, "
                                          "e.g. '0 2 * * *' (02:00 every night).")],
        question: Annotated[str | None, typer.Option(help="The question to ask.")] = None,
        flow: Annotated[str | None, typer.Option(help="A flow to run instead, e.g. "
                                                 "model_validation.")] = None,
        input_: Annotated[list[str] | None, typer.Option("--input", help="Flow input "
                                                         "KEY=VALUE (repeatable).")] = None,
        model: Annotated[str | None, typer.Option(help="Model to use.")] = None) -> None:
    """Add a schedule."""
    from fluxagent.store.triggers import TriggerStore
    from fluxagent.triggers.schedules import make_schedule, next_time
    with cli_errors():
        agent = _agent()
        schedule = make_schedule(agent, name, cron, question=question, flow=flow,
                                 inputs=_inputs(input_ or []), model=model)
        TriggerStore.for_store(agent.store).add_schedule(schedule)
        out.print(f"schedule {schedule.name}: {schedule.cron} (UTC), next "
                  f"{next_time(schedule, datetime.now(UTC)):%Y-%m-%d %H:%M}Z",
                  highlight=False, markup=False)


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every schedule with its next due time and last run."""
    from fluxagent.store.triggers import TriggerStore
    from fluxagent.triggers.schedules import next_time
    with cli_errors():
        triggers = TriggerStore.for_store(_agent().store)
        now = datetime.now(UTC)
        rows = []
        for s in triggers.schedules():
            runs = triggers.runs(s.name)
            last = runs[-1] if runs else None
            rows.append({**s.model_dump(mode="json"),
                         "next": next_time(s, now).isoformat(),
                         "last": last.model_dump(mode="json") if last else None})
    if as_json:
        print_json(rows)
        return
    table = Table("name", "cron (UTC)", "launches", "next", "last run",
                  title=f"{len(rows)} schedules")
    for r in rows:
        what = (r["spec"]["text"] if r["kind"] == "question" else
                f"flow {r['spec']['flow']} {json.dumps(r['spec']['inputs'])}")
        shown = (f"{r['last']['due'][:16]}Z {r['last']['status']} {r['last']['session_id']}"
                 if r["last"] else "")
        table.add_row(cell(r["name"]), cell(r["cron"]), cell(what), cell(r["next"][:16] + "Z"),
                      cell(shown))
    out.print(table)


@app.command("remove")
def remove(name: str) -> None:
    """Remove a schedule (its past runs and sessions stay)."""
    from fluxagent.store.triggers import TriggerStore
    with cli_errors():
        TriggerStore.for_store(_agent().store).remove_schedule(name)
    out.print(f"removed schedule {name}", highlight=False, markup=False)


@app.command("tick")
def tick(now: Annotated[str | None, typer.Option(help="ISO time to tick at (default: "
                                                 "now, UTC).")] = None) -> None:
    """Launch the schedules that are due and not yet launched by anyone; prints JSON."""
    from fluxagent.triggers import schedules
    with cli_errors():
        try:
            at = datetime.fromisoformat(now) if now else datetime.now(UTC)
        except ValueError:
            raise ValueError(f"--now {now!r} is not an ISO time like 2026-12-01T02:00Z") \
                from None
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        fired = schedules.tick(_agent(), at)
    print_json([{"schedule": f.schedule, "due": f.due.isoformat(), "session_id": f.session_id,
                 "status": f.status, "error": f.error} for f in fired])
