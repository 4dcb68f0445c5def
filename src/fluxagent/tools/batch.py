"""Run many small optimisations on one prepared model: progress, a time limit, several processes.

FVA, deletion screens and similar analyses are thousands of independent LPs on the same model.
``run_tasks`` runs ``step(model, task)`` for every task, in this process for small jobs or in
forked worker processes (each with its own copy of the prepared model, inherited at fork, never
pickled) for large ones. Two ways to share the work:

- chunks (default): one pool serves the whole job, tasks go out in small chunks so progress is
  smooth and the load balanced, and the deadline is checked between results.
- ``contiguous=True``: worker k solves the k-th contiguous block of tasks in order, as cobrapy's
  FVA does. Each LP warm-starts from the previous one of the same worker, and which LPs follow
  which no longer depends on scheduling, so a job gives the same numbers on every run (GLPK's
  answer can depend on the starting basis in the last digits). Workers count finished tasks in
  shared memory; the parent polls the counts for progress and the deadline.

On timeout the workers are terminated. ``run_chunked`` (FVA, deletion screens) goes one step
further: fixed chunks, each from the job's starting basis (``tools/chunks.py``), so the values
do not even depend on the number of processes, or on which machine solved a chunk.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections.abc import Callable, Sequence
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

import cobra

from fluxagent.tools.chunks import (
    CHUNK_TASKS,
    FANOUT,
    Chunk,
    Planned,
    Solved,
    StartBasis,
    chunk_plan,
    chunk_step,
    flatten,
    merged,
)
from fluxagent.tools.registry import Progress
from fluxagent.tools.toolkit import Deadline

T = TypeVar("T")
R = TypeVar("R")

#: Below this many (tasks x reactions) a job runs in-process: forking costs more than it saves.
PARALLEL_WORK = 300_000

#: How often the parent looks at the workers' counts (progress and deadline), seconds.
POLL_S = 0.1

_worker_model: cobra.Model | None = None
_worker_step: Callable[[cobra.Model, Any], Any] | None = None
_worker_tasks: Sequence[Any] = ()


def forget_parent_signals() -> None:
    """In every forked child: the default SIGTERM/SIGINT handlers and no wakeup fd.

    A child keeps its parent's otherwise (asyncio's in a Temporal worker, uvicorn's under
    ``fluxagent serve``). asyncio's ``add_signal_handler`` points the C handler at a wakeup fd,
    the write end of the event loop's self-pipe: a child that received SIGTERM
    (``Process.terminate()``, as this module does to a child still exiting) wrote it into the
    parent's loop, which stopped the worker (status 0, nothing logged), while the child
    ignored the signal and went on solving."""
    with suppress(ValueError, OSError):
        signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


os.register_at_fork(after_in_child=forget_parent_signals)


def _init() -> None:
    # the forked child inherits the model; silence cobra's warnings on stderr per LP
    import logging
    logging.getLogger("cobra").setLevel(logging.ERROR)


def _run(chunk: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    assert _worker_model is not None and _worker_step is not None
    return [(i, _worker_step(_worker_model, task)) for i, task in chunk]


def _run_block(start: int, stop: int, done: Any, slot: int, conn: Connection) -> None:
    """Worker k of a contiguous job: its block in order, counting into ``done[slot]``."""
    _init()
    assert _worker_model is not None and _worker_step is not None
    try:
        out = []
        for i in range(start, stop):
            out.append(_worker_step(_worker_model, _worker_tasks[i]))
            done[slot] += 1
        conn.send(("ok", out))
    except BaseException as exc:  # reported to the parent, which raises it
        conn.send(("error", exc))
    finally:
        conn.close()


def choose_processes(requested: int | None, default: int, n_tasks: int,
                     n_reactions: int) -> int:
    """How many processes a job of this size deserves."""
    procs = requested if requested is not None else default
    procs = max(1, min(procs, os.cpu_count() or 1, n_tasks))
    if requested is None and n_tasks * n_reactions < PARALLEL_WORK:
        return 1
    if "fork" not in mp.get_all_start_methods():
        return 1
    return procs


def run_tasks(model: cobra.Model, step: Callable[[cobra.Model, T], R], tasks: Sequence[T], *,
              processes: int, progress: Progress, deadline: Deadline,
              label: str, contiguous: bool = False) -> list[R]:
    """``[step(model, t) for t in tasks]`` with progress, a time limit and optional workers."""
    n = len(tasks)
    out: list[Any] = [None] * n
    if n == 0:
        return []
    every = max(1, n // 50)
    if processes <= 1:
        for i, task in enumerate(tasks):
            out[i] = step(model, task)
            if (i + 1) % every == 0 or i + 1 == n:
                deadline.check()
                progress((i + 1) / n, f"{label}: {i + 1}/{n}")
        return out
    if contiguous:
        return _run_contiguous(model, step, tasks, processes, progress, deadline, label)
    global _worker_model, _worker_step
    chunk = max(1, min(64, n // (processes * 16)))
    chunks = [[(i, tasks[i]) for i in range(s, min(n, s + chunk))] for s in range(0, n, chunk)]
    _worker_model, _worker_step = model, step
    ctx = mp.get_context("fork")
    pool = ctx.Pool(processes, initializer=_init)
    done = 0
    try:
        results = pool.imap_unordered(_run, chunks)
        for _ in range(len(chunks)):
            remaining = deadline.remaining
            if remaining <= 0:
                raise deadline.failure()
            try:
                part = results.next(timeout=remaining)
            except mp.TimeoutError:
                raise deadline.failure() from None
            for i, value in part:
                out[i] = value
            done += len(part)
            progress(done / n, f"{label}: {done}/{n}")
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _worker_model, _worker_step = None, None
    return out


def _run_contiguous(model: cobra.Model, step: Callable[[cobra.Model, T], R],
                    tasks: Sequence[T], processes: int, progress: Progress,
                    deadline: Deadline, label: str) -> list[R]:
    """One forked process per contiguous block of tasks (see the module docstring)."""
    global _worker_model, _worker_step, _worker_tasks
    n = len(tasks)
    bounds = [(k * n // processes, (k + 1) * n // processes) for k in range(processes)]
    ctx = mp.get_context("fork")
    done = ctx.Array("q", processes, lock=False)  # one counter per worker: no lock needed
    _worker_model, _worker_step, _worker_tasks = model, step, tasks
    workers: list[tuple[Any, Connection, int]] = []
    out: list[Any] = [None] * n
    try:
        for k, (start, stop) in enumerate(bounds):
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_run_block, args=(start, stop, done, k, send),
                               daemon=True)
            proc.start()
            send.close()
            workers.append((proc, receive, start))
        pending = {conn: start for _, conn, start in workers}
        reported = -1
        while pending:
            remaining = deadline.remaining
            if remaining <= 0:
                raise deadline.failure()
            for conn in wait(list(pending), timeout=min(POLL_S, remaining)):
                assert isinstance(conn, Connection)
                try:
                    kind, payload = conn.recv()
                except EOFError:
                    raise RuntimeError(f"{label}: a worker process died") from None
                if kind == "error":
                    raise payload
                start = pending.pop(conn)
                out[start:start + len(payload)] = payload
            count = int(sum(done))
            if count != reported:
                reported = count
                progress(count / n, f"{label}: {count}/{n}")
    finally:
        for proc, conn, _ in workers:
            if proc.is_alive():
                proc.terminate()
            proc.join()
            conn.close()
        _worker_model, _worker_step, _worker_tasks = None, None, ()
    return out


def run_chunked(model: cobra.Model, step: Callable[[cobra.Model, T], R], tasks: Sequence[T],
                *, processes: int, progress: Progress, deadline: Deadline, label: str,
                chunks: Sequence[Chunk] | None = None) -> list[R]:
    """``[step(model, t) for t in tasks]`` in the fixed chunks of ``tools/chunks.py``, each
    from the basis ``model`` has now; ``chunks``: only these (a fanned-out part of a job,
    values in their order). ``processes`` > 1: the chunks shared out to forked workers.
    In a fanned-out tool run (``tools/chunks.py``) the job's size, chunks or merge."""
    return run_plan(model, lambda: chunk_step(step, tasks, StartBasis.of(model)), len(tasks),
                    processes=processes, progress=progress, deadline=deadline, label=label,
                    chunks=chunks)


def run_plan(model: cobra.Model,
             make_solve: Callable[[], Callable[[cobra.Model, Chunk], list[R]]], n_tasks: int,
             *, processes: int, progress: Progress, deadline: Deadline,
             label: str, chunk_tasks: int = CHUNK_TASKS, values_per_task: int = 1,
             chunks: Sequence[Chunk] | None = None) -> list[R]:
    """The values of a job of ``n_tasks`` tasks in the fixed chunks of ``chunk_tasks``, each
    chunk solved by ``make_solve()(model, chunk)`` (a chunk's values must depend only on the
    chunk: ``make_solve`` is called once, and only when chunks are solved here, not when a
    fanned-out run plans or merges). Otherwise as ``run_chunked``."""
    mode = FANOUT.get()
    if mode is not None and chunks is None:
        if mode.kind == "plan":
            raise Planned(n_tasks, len(model.reactions), chunk_tasks, values_per_task)
        if mode.kind == "merge":
            return merged(mode.values, n_tasks)
        raise Solved(run_plan(model, make_solve, n_tasks, processes=1, progress=progress,
                              deadline=deadline, label=label, chunk_tasks=chunk_tasks,
                              chunks=mode.chunks))
    plan = list(chunks) if chunks is not None else chunk_plan(n_tasks, chunk_tasks)
    solve = make_solve()
    if processes <= 1 or len(plan) <= 1:
        out: list[R] = []
        n, every = sum(b - a for a, b in plan), max(1, len(plan) // 50)
        for k, chunk in enumerate(plan):
            out.extend(solve(model, chunk))
            if (k + 1) % every == 0 or k + 1 == len(plan):
                deadline.check()
                progress(len(out) / n if n else 1.0, f"{label}: {len(out)}/{n}")
        return out
    per_chunk = _run_contiguous(model, solve, plan, min(processes, len(plan)),
                                _in_tasks(plan, progress), deadline, label)
    return flatten(per_chunk)


def _in_tasks(plan: list[Chunk], progress: Progress) -> Progress:
    """Progress counted in tasks, not in the chunks the workers count."""
    n = sum(b - a for a, b in plan)
    return lambda fraction, message: progress(
        fraction, f"{message.rsplit(':', 1)[0]}: {round(fraction * n)}/{n}")
