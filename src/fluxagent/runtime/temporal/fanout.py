"""Heavy analyses split over workers: a job's fixed chunks solved anywhere, merged into one result.

FVA and the deletion screens solve their LPs in the fixed chunks of ``tools/chunks.py``, each
chunk from the job's starting basis, so a chunk's values do not depend on where it runs.
Here the tool itself runs three times, in the modes of ``tools/chunks.py``: once to learn the
job's size (``plan``: the chunks, dealt out to ``parts`` activities on the heavy queue), once
per share of chunks on whichever worker takes it (``block``), and once to merge: the tool on
the chunks' values, with the same checks, failed-LP handling, tables, artifacts and
provenance as a run in one process, and the same floats.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fluxagent.runtime.temporal.workflow import FANOUT_TOOLS
from fluxagent.tools.chunks import Fanout, Planned, Solved, chunk_plan, fanout, share
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolFailure

#: Jobs with more tasks, or whose values hold more numbers, run whole on one worker: the
#: chunks' values travel through the workflow history (all of them in the merge's input), and
#: Temporal refuses payloads over 2 MB (a number takes about 20 bytes of JSON).
MAX_TASKS = 40_000
MAX_NUMBERS = 60_000


def _run(registry: Registry, name: str, raw: dict[str, Any], ctx: ToolContext) -> None:
    tool = registry.get(name)
    args = registry.validate(name, raw, ctx.settings)
    if tool is None or not isinstance(args, tool.args_model):
        raise ToolFailure("bad_arguments", f"{name}: the call does not validate")
    tool.run(args, ctx)


def plan(registry: Registry, name: str, raw: dict[str, Any], ctx: ToolContext, parts: int,
         min_work: int) -> list[list[list[int]]] | None:
    """The shares of chunks of a heavy call, one per activity; None: run it whole (not a
    fanned-out tool, too small, too large for the history, or it fails before its job: the
    whole run reports why)."""
    if name not in FANOUT_TOOLS or parts < 2:
        return None
    try:
        with fanout(Fanout("plan")):
            _run(registry, name, raw, ctx)
        return None  # finished without a chunked job
    except Planned as job:
        size = job
    except Exception:
        return None
    chunks = chunk_plan(size.n_tasks, size.chunk_tasks)
    if (len(chunks) < 2 or size.n_tasks > MAX_TASKS
            or size.n_tasks * size.values_per_task > MAX_NUMBERS
            or size.n_tasks * size.n_reactions < min_work):
        return None
    return [[list(c) for c in run] for run in share(chunks, parts)]


def block(registry: Registry, name: str, raw: dict[str, Any], ctx: ToolContext,
          chunks: list[list[int]]) -> list[Any] | None:
    """The values of ``chunks`` of the call's job, in order; None when the tool fails on the
    way (a time limit: the workflow runs the call whole, which reports it)."""
    try:
        with fanout(Fanout("solve", tuple((int(a), int(b)) for a, b in chunks))):
            _run(registry, name, raw, ctx)
    except Solved as done:
        return list(done.values)
    except ToolFailure:
        return None
    raise ValueError(f"{name}: the call has no chunked job to solve")


@contextmanager
def merging(values: list[Any]) -> Iterator[None]:
    """Run the tool on the chunks' ``values`` instead of solving its job again."""
    with fanout(Fanout("merge", values=tuple(values))):
        yield
