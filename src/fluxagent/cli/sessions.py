"""``fluxagent sessions list|show|resume|pause|fork|export|import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fluxagent.cli.common import cli_errors, make_agent
from fluxagent.cli.render import as_json, cell, out, print_json, show_state
from fluxagent.core.state import fold

app = typer.Typer(help="List, inspect, resume, fork, export and import sessions.",
                  no_args_is_help=True)


@app.command("list")
def list_(limit: Annotated[int, typer.Option()] = 20) -> None:
    """The most recent sessions."""
    with cli_errors():
        agent = make_agent(quiet=True)
        table = Table("session", "status", "events", "updated", "title")
        for info in agent.store.sessions(limit):
            state = fold(agent.store.load(info.session_id))
            table.add_row(cell(info.session_id), state.status, str(info.events),
                          info.updated.strftime("%Y-%m-%d %H:%M"), cell(info.title, 60))
        out.print(table)


@app.command()
def show(session: str, json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """A session's answer, tool calls and state."""
    with cli_errors():
        agent = make_agent(quiet=True)
        thread = agent.thread(session)
        if json_out:
            print_json(as_json(thread, fold(thread)))
        else:
            show_state(thread, fold(thread))


@app.command()
def resume(session: str) -> None:
    """Continue a paused or interrupted session."""
    with cli_errors():
        agent = make_agent()
        state = agent.resume(session)
        show_state(agent.thread(session), state)


@app.command()
def pause(session: str, reason: Annotated[str, typer.Option()] = "") -> None:
    """Pause a session; it waits until resumed."""
    with cli_errors():
        state = make_agent(quiet=True).pause(session, reason)
        out.print(cell(f"{session}: {state.status}"))


@app.command()
def fork(session: str,
         at: Annotated[int | None, typer.Option(help="Share the first N events.")] = None
         ) -> None:
    """A new session sharing the first events of this one."""
    with cli_errors():
        out.print(cell(make_agent(quiet=True).fork(session, at)))


@app.command()
def export(session: str, output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
           fmt: Annotated[str, typer.Option("--format", help="json (checksummed events, "
                                            "importable) or md (readable transcript; '-o -' "
                                            "prints it)")] = "json") -> None:
    """Write the session's events to a checksummed JSON file, or a Markdown transcript."""
    with cli_errors():
        agent = make_agent(quiet=True)
        if fmt == "md":
            from fluxagent.runtime.transcript import transcript
            text = transcript(agent.thread(session), secrets=agent.settings.secrets())
            if output is not None and str(output) == "-":
                print(text, end="")
                return
            path = output or Path(f"{session}.md")
            path.write_text(text)
        elif fmt == "json":
            path = agent.export(session, output or Path(f"{session}.json"))
        else:
            raise ValueError(f"--format must be json or md, not {fmt!r}")
        out.print(cell(path))


@app.command("import")
def import_(path: Path) -> None:
    """Load an exported session (refused if it was changed or breaks causal order; a file not
    signed by this installation is imported untrusted: its approvals must be given again)."""
    with cli_errors():
        out.print(cell(make_agent(quiet=True).import_(path)))
