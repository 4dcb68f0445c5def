"""Shared CLI plumbing: building the agent and turning errors into one-line messages."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from fluxagent.cli.render import ProgressBar, cell, err, event_line, t
from fluxagent.core.events import Event, UnknownEventError
from fluxagent.core.redact import redact

if TYPE_CHECKING:
    from fluxagent.agent import Agent


@contextmanager
def cli_errors() -> Iterator[None]:
    """Known failures become one red line on stderr and exit code 1; nothing else is touched."""
    from fluxagent.store.base import StoreError
    try:
        yield
    except (StoreError, UnknownEventError, ValueError, FileNotFoundError) as exc:
        err.print(f"[red]error:[/] {t(redact(str(exc), configured_secrets()))}",
                  markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


def configured_secrets() -> tuple[str, ...]:
    """The configured secret values (masked in everything the CLI prints)."""
    from fluxagent.config import get_settings
    try:
        return get_settings().secrets()
    except ValueError:  # settings that do not even parse: the patterns still apply
        return ()


def make_agent(*, quiet: bool = False) -> Agent:
    from fluxagent.agent import Agent

    def show(ev: Event) -> None:
        line = event_line(ev)
        if line and not quiet:
            try:
                err.print(line, highlight=False)
            except Exception:  # progress output must never stop a session
                err.print(cell(line), highlight=False)

    return Agent(listeners=[show], progress=None if quiet or not sys.stderr.isatty()
                 else ProgressBar())
