"""``fluxagent human pending|check-timeouts|policy``: the people side of sessions.

Answers themselves go through ``fluxagent approve|reject|respond`` (one function each, shared
with every other channel).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from fluxagent.cli.common import cli_errors, make_agent
from fluxagent.cli.render import cell, out, print_json

app = typer.Typer(help="Open questions and approvals, time-outs and escalation.",
                  no_args_is_help=True)


@app.command()
def pending(json_out: Annotated[bool, typer.Option("--json")] = False,
            limit: Annotated[int, typer.Option()] = 200) -> None:
    """Every session waiting for a person, with what it asks."""
    from fluxagent.runtime.sessions import pending_requests
    with cli_errors():
        agent = make_agent(quiet=True)
        rows = pending_requests(agent.runner, limit=limit)
        if json_out:
            print_json(rows)
            return
        table = Table("session", "waiting for", "request", "what", "deadline")
        for r in rows:
            what = (f"{r['tool']} {json.dumps(r['args'])[:60]} — {r['reason']}"
                    if r["type"] == "approval_request" else r["question"])
            table.add_row(cell(r["session_id"]), r["type"].replace("_request", ""),
                          cell(r["call_id"]), cell(what, 100),
                          f"{r['deadline']:%Y-%m-%d %H:%M}" if r.get("deadline") else "-")
        out.print(table)


@app.command("check-timeouts")
def check_timeouts(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Escalate every request past its deadline to its named contact (run it from cron or a
    scheduler; each request is escalated once)."""
    from fluxagent.runtime.sessions import check_timeouts as check
    with cli_errors():
        agent = make_agent(quiet=True)
        done = check(agent.runner, datetime.now(UTC))
        if json_out:
            print_json(done)
            return
        for esc in done:
            out.print(cell(f"{esc['session_id']}: escalated {esc['request']} to {esc['to']} "
                           f"({esc['reason']})"), highlight=False)
        out.print(f"{len(done)} escalation(s)")


@app.command()
def policy() -> None:
    """The approval policy in force."""
    with cli_errors():
        p = make_agent(quiet=True).policy
        print_json({"require": sorted(p.tools), "writes": sorted(p.writing_tools),
                    "never": sorted(p.never), "max_seconds": p.max_seconds,
                    "data_dir": str(p.data_dir) if p.data_dir else None,
                    "approval_timeout_s": p.approval_timeout_s,
                    "human_timeout_s": p.human_timeout_s, "escalate_to": p.escalate_to,
                    "contacts": p.contacts, "channels": list(p.channels)})
