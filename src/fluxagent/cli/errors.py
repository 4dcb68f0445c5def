"""``fluxagent errors stats|patterns``: failures per tool and kind, and the fixes learned."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from fluxagent.cli.common import cli_errors
from fluxagent.cli.render import cell, out, print_json
from fluxagent.store.learning import ErrorMemory

app = typer.Typer(help="Error statistics and learned recoveries.", no_args_is_help=True)


def _memory() -> ErrorMemory:
    from fluxagent.config import get_settings
    from fluxagent.store.sql import SqlStore

    return ErrorMemory.for_store(SqlStore.from_settings(get_settings()))


@app.command()
def stats(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Errors per tool and kind, how many the agent recovered from, and in how many steps."""
    with cli_errors():
        rows = _memory().stats()
        if json_out:
            print_json(rows)
            return
        table = Table("tool", "kind", "errors", "recovered", "rate", "mean steps")
        for r in rows:
            table.add_row(cell(r["tool"]), cell(r["kind"]), str(r["errors"]), str(r["recovered"]),
                          f"{r['recovery_rate']:.0%}", str(r["mean_steps"] or "-"))
        out.print(table if rows else "no errors recorded")


@app.command()
def patterns(limit: Annotated[int, typer.Option()] = 20,
             json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The error patterns with a learned fix, most frequent first."""
    with cli_errors():
        rows = _memory().patterns(limit)
        if json_out:
            print_json(rows)
            return
        table = Table("pattern", "subject", "fixed by", "times", "mean steps")
        for r in rows:
            table.add_row(cell(r["pattern"]), cell(r["subject"]), cell(r["fix_tool"]),
                          str(r["times"]),
                          f"{float(r['mean_steps']):.1f}")
        out.print(table if rows else "no recoveries learned yet")
