"""``fluxagent worker``: a Temporal worker for FLUXAGENT_RUNNER=temporal (runtime/temporal/)."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Annotated

import typer

from fluxagent.cli.common import cli_errors
from fluxagent.cli.render import err


def worker_command(
        concurrency: Annotated[int, typer.Option(min=1, help="Activities run at once "
                                                  "(decisions, tools, bookkeeping).")] = 16,
        heavy: Annotated[bool, typer.Option(help="Also run chunks of fanned-out analyses "
                                            "(one at a time).")] = True) -> None:
    """Run session workflows and their activities for the Temporal server until stopped."""
    from fluxagent.config import get_settings
    from fluxagent.observability import process
    from fluxagent.runtime.temporal.worker import serve

    settings = get_settings()
    with cli_errors():
        process.start()  # JSON logs, traces, /metrics on FLUXAGENT_METRICS_PORT
        err.print(f"worker on {settings.temporal_address} queue {settings.temporal_task_queue}"
                  f" (store {settings.db_url.split('://')[0]})", highlight=False)
        asyncio.run(serve(settings, concurrency=concurrency, heavy=heavy))
    # Stopped cleanly: leave without interpreter finalization. The Temporal core's native
    # threads can still call into Python while it finalizes ("PyGILState_Release: thread
    # state must be current", SIGABRT), which turned a clean SIGTERM stop into exit -6.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
