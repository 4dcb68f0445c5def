"""The ``fluxagent`` command line (typer + rich).

Each concern keeps its commands in its own module here (``cli/sessions.py``, ``cli/tools.py``,
...), exposing ``app = typer.Typer(...)``; ``SUBCOMMANDS`` lists them. Results go to stdout,
progress and logs to stderr.
"""

from __future__ import annotations

import importlib

import typer

from fluxagent.cli.ask import register as register_ask
from fluxagent.cli.doctor import doctor_command
from fluxagent.cli.email import email_in_command
from fluxagent.cli.eval import eval_command
from fluxagent.cli.mcp import mcp_command
from fluxagent.cli.serve import register as register_serve
from fluxagent.cli.worker import worker_command

app = typer.Typer(name="fluxagent", no_args_is_help=True, add_completion=False,
                  help="An AI agent for genome-scale metabolic modeling.")
register_ask(app)
register_serve(app)
app.command("eval")(eval_command)
app.command("doctor")(doctor_command)
app.command("mcp")(mcp_command)
app.command("email-in")(email_in_command)
app.command("worker")(worker_command)

#: (module under fluxagent.cli, command name) of every sub-app.
SUBCOMMANDS: list[tuple[str, str]] = [
    ("sessions", "sessions"),
    ("flows", "flows"),
    ("human", "human"),
    ("prompts", "prompts"),
    ("errors", "errors"),
    ("tools", "tools"),
    ("serve", "tokens"),
    ("schedules", "schedules"),
]

for module, command in SUBCOMMANDS:
    sub = importlib.import_module(f"fluxagent.cli.{module}")
    app.add_typer(sub.app, name=command)


def main() -> None:
    app()
