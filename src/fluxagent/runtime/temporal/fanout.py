"""Heavy analyses split over workers: FVA's LPs in contiguous chunks, merged into one result.

The chunks are the contiguous blocks ``tools/batch.py`` gives its worker processes (chunk k of
n tasks is ``[k*n//parts, (k+1)*n//parts)``), each solved in order by a process forked from a
freshly prepared model, so the merged values are those of one machine running the same number
of processes. The merge runs the FVA tool itself on those values (``PRESOLVED``): the
same checks, failed-LP handling, table, artifact and provenance as a run in one process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fluxagent.tools.batch import PARALLEL_WORK, run_block
from fluxagent.tools.cobra.fva import PRESOLVED, FvaArgs, fva_plan, fva_targets
from fluxagent.tools.cobra.fva_engine import fva_step
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.toolkit import Deadline


def _args(registry: Registry, raw: dict[str, Any], ctx: ToolContext) -> FvaArgs | None:
    args = registry.validate("run_fva", raw, ctx.settings)
    return args if isinstance(args, FvaArgs) and not args.loopless else None


def fva_bounds(registry: Registry, raw: dict[str, Any], ctx: ToolContext, parts: int
               ) -> list[list[int]] | None:
    """The chunks of an FVA call, or None when it is too small to split, loopless (its
    CycleFreeFlux steps need the whole model's loops), or fails (the tool run reports why)."""
    args = _args(registry, raw, ctx)
    if args is None:
        return None
    try:
        model = ctx.model(args.model)
        with model:
            _, rids = fva_targets(model, args)
            _, plan = fva_plan(model, rids, args.fraction_of_optimum, False)
            size = len(model.reactions)
    except Exception:
        return None
    n = len(plan.tasks)
    if n < parts or n * size < PARALLEL_WORK:
        return None
    return [[k * n // parts, (k + 1) * n // parts] for k in range(parts)]


def fva_block(registry: Registry, raw: dict[str, Any], ctx: ToolContext, start: int,
              stop: int) -> list[float]:
    """The values of LPs ``start..stop-1`` of the call's plan, solved in order in a forked
    process from the freshly prepared model (``run_block``), as on one machine."""
    args = _args(registry, raw, ctx)
    if args is None:
        raise ValueError("fva_block: not a plain FVA call")
    model = ctx.model(args.model)
    with model:
        _, rids = fva_targets(model, args)
        _, plan = fva_plan(model, rids, args.fraction_of_optimum, False)
        deadline = Deadline(ctx, f"FVA chunk {start}-{stop}", hint="raise "
                            "FLUXAGENT_TOOL_TIME_LIMIT_S or FLUXAGENT_TEMPORAL_FANOUT")
        return [float(v) for v in run_block(model, fva_step, plan.tasks[start:stop],
                                            progress=ctx.progress, deadline=deadline,
                                            label=f"FVA chunk {start}-{stop}")]


@contextmanager
def presolved(values: list[float]) -> Iterator[None]:
    """Run the FVA tool on ``values`` instead of solving its LPs again."""
    token = PRESOLVED.set([float(v) for v in values])
    try:
        yield
    finally:
        PRESOLVED.reset(token)
