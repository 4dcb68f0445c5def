"""Heavy analyses in fixed chunks, each solved from the job's starting basis.

A warm-started LP's last digits depend on the basis it starts from, so a job whose LPs follow
one another gives floats that depend on how its LPs were split over processes. Here the split
is fixed: ``chunk_plan`` cuts the job's tasks into chunks of ``CHUNK_TASKS`` (the plan depends
only on the job: the model and the request), and every chunk starts from the basis the job
was prepared with (``StartBasis``: the statuses saved right after preparing, restored and
factorized afresh before the chunk's first LP), then runs its tasks in order. A chunk's
values are then the same wherever it runs: in this process, in a forked worker process of
``tools/batch.py``, or on another machine's Temporal worker (``runtime/temporal/fanout.py``),
and merging the chunks gives the same floats however many processes or workers shared them.

A tool fans out without knowing it: run in a ``Fanout`` mode (``FANOUT``), the job's
``run_chunked`` call (tools/batch.py) reports the job's size (``plan``: raises ``Planned``),
solves only some chunks (``solve``: raises ``Solved`` with their values), or takes the values
the chunks gave elsewhere (``merge``), so the tool's own checks, tables and provenance make
the result exactly as in one process.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import cobra

from fluxagent.tools.cobra.fva_engine import glpk_problem

T = TypeVar("T")
R = TypeVar("R")

#: Tasks (LPs) per chunk: small enough that two workers share even e_coli_core's FVA, large
#: enough that the restart of a chunk (a factorization, ~1 ms on iJO1366) costs little.
CHUNK_TASKS = 64

Chunk = tuple[int, int]


def chunk_plan(n_tasks: int, size: int = CHUNK_TASKS) -> list[Chunk]:
    """The chunks ``[start, stop)`` of a job of ``n_tasks`` tasks, ``size`` each, in order."""
    return [(s, min(n_tasks, s + size)) for s in range(0, n_tasks, size)]


def share(chunks: Sequence[Chunk], parts: int) -> list[list[Chunk]]:
    """``chunks`` dealt out to ``parts`` workers as contiguous runs of about equal numbers of
    tasks (empty runs dropped). Any sharing gives the same values; this one keeps each
    worker's chunks adjacent."""
    total = sum(b - a for a, b in chunks)
    out: list[list[Chunk]] = [[] for _ in range(max(1, parts))]
    done = 0
    for chunk in chunks:
        k = min(len(out) - 1, done * len(out) // total) if total else 0
        out[k].append(chunk)
        done += chunk[1] - chunk[0]
    return [run for run in out if run]


@dataclass(frozen=True)
class StartBasis:
    """The GLPK basis a job's LPs start from (None of it on other solvers: HiGHS starts
    every solve from scratch)."""

    rows: array[int]
    cols: array[int]

    @classmethod
    def of(cls, model: cobra.Model) -> StartBasis | None:
        problem = glpk_problem(model)
        if problem is None:
            return None
        import swiglpk as g

        model.solver.update()  # optlang adds and removes rows and columns lazily
        return cls(array("i", (g.glp_get_row_stat(problem, i)
                               for i in range(1, g.glp_get_num_rows(problem) + 1))),
                   array("i", (g.glp_get_col_stat(problem, j)
                               for j in range(1, g.glp_get_num_cols(problem) + 1))))

    def restore(self, model: cobra.Model) -> None:
        """Back to this basis with a fresh factorization: the state of the job's first LP,
        whatever was solved on this problem since."""
        problem = glpk_problem(model)
        if problem is None:
            return
        import swiglpk as g

        model.solver.update()
        if (g.glp_get_num_rows(problem), g.glp_get_num_cols(problem)) != (len(self.rows),
                                                                          len(self.cols)):
            raise RuntimeError("the LP changed shape since its job started; its chunks "
                               "cannot start from the job's basis")
        for i, stat in enumerate(self.rows, 1):
            g.glp_set_row_stat(problem, i, stat)
        for j, stat in enumerate(self.cols, 1):
            g.glp_set_col_stat(problem, j, stat)
        g.glp_factorize(problem)  # a singular basis is left to the simplex to repair


def chunk_step(step: Callable[[cobra.Model, T], R], tasks: Sequence[T],
               start: StartBasis | None) -> Callable[[cobra.Model, Chunk], list[R]]:
    """One chunk as one task: restore ``start``, then ``step`` each of its tasks in order."""
    def solve(model: cobra.Model, chunk: Chunk) -> list[R]:
        if start is not None:
            start.restore(model)
        return [step(model, tasks[i]) for i in range(*chunk)]
    return solve


def flatten(parts: Sequence[Sequence[Any]]) -> list[Any]:
    return [v for part in parts for v in part]


@dataclass(frozen=True)
class Fanout:
    """How ``run_chunked`` serves a fanned-out job (see the module docstring)."""

    kind: Literal["plan", "solve", "merge"]
    chunks: tuple[Chunk, ...] = ()
    values: tuple[Any, ...] = ()


FANOUT: ContextVar[Fanout | None] = ContextVar("fluxagent_fanout", default=None)


class Planned(Exception):
    """The job's size, from a tool run in ``plan`` mode (it stops at its job): its tasks,
    the model's reactions, the tasks per chunk and the numbers each task's value holds (what
    travels through the workflow history)."""

    def __init__(self, n_tasks: int, n_reactions: int, chunk_tasks: int = CHUNK_TASKS,
                 values_per_task: int = 1) -> None:
        super().__init__(f"{n_tasks} tasks on {n_reactions} reactions")
        self.n_tasks, self.n_reactions = n_tasks, n_reactions
        self.chunk_tasks, self.values_per_task = chunk_tasks, values_per_task


class Solved(Exception):
    """The values of the chunks a tool run in ``solve`` mode was asked for."""

    def __init__(self, values: list[Any]) -> None:
        super().__init__(f"{len(values)} values")
        self.values = values


@contextmanager
def fanout(mode: Fanout) -> Iterator[None]:
    """Run a tool in ``mode`` (this thread and context only)."""
    token = FANOUT.set(mode)
    try:
        yield
    finally:
        FANOUT.reset(token)


def merged(values: Sequence[Any], n_tasks: int) -> list[Any]:
    """The values of a whole job from its chunks (lists from JSON back to tuples)."""
    if len(values) != n_tasks:
        raise ValueError(f"{len(values)} values from the chunks for a job of {n_tasks} tasks")
    return [tuple(v) if isinstance(v, list) else v for v in values]
