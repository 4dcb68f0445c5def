"""``fluxagent email-in``: an SMTP listener whose mail continues sessions (triggers/email.py)."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from fluxagent.cli.common import cli_errors
from fluxagent.cli.render import err


def email_in_command(
        host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="SMTP port.")] = 8025) -> None:
    """Accept replies by email (senders in FLUXAGENT_EMAIL_SENDERS only) until interrupted."""
    from fluxagent.agent import Agent
    from fluxagent.triggers.email import listen
    with cli_errors():
        agent = Agent()
        if not agent.settings.email_senders:
            raise ValueError("email in is off: set FLUXAGENT_EMAIL_SENDERS to the addresses "
                             "(or @domains) that may write")
        controller = listen(agent, host, port)
    err.print(f"listening for mail on {host}:{port}", highlight=False)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        controller.stop()
