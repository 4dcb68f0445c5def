"""Heavy analyses split over workers: a job's fixed chunks solved anywhere, merged into one result.

FVA and the deletion screens solve their LPs in the fixed chunks of ``tools/chunks.py``, each
chunk from the job's starting basis, so a chunk's values do not depend on where it runs.
Here the tool itself runs three times, in the modes of ``tools/chunks.py``: once to learn the
job's size (``plan``: the chunks, dealt out to ``parts`` activities on the heavy queue), once
per share of chunks on whichever worker takes it (``block``), and once to merge: the tool on
the chunks' values, with the same checks, failed-LP handling, tables, artifacts and
provenance as a run in one process, and the same floats.

A share's values do not travel through the workflow history (Temporal refuses payloads over
2 MB): in runs started after the ``fanout-artifacts-1`` patch, each ``fanout_block`` stores
them in the artifact store under ``$FLUXAGENT_DATA_DIR/artifacts/chunks`` (the data volume
the workers share) and returns only its hash. The stored bytes name the session, the call
and the chunks beside the values, so a share's content, and its hash, are the same on every
attempt: a retried or duplicated block rewrites the very file (atomically, by rename), and
each share has exactly one. The merge reads them back and deletes them once the result is
stored. Runs started before the patch keep the old bound and pass the values inline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fluxagent.runtime.temporal.workflow import FANOUT_TOOLS
from fluxagent.store.artifacts import ArtifactStore
from fluxagent.store.base import StoreError
from fluxagent.tools.chunks import Fanout, Planned, Solved, chunk_plan, fanout, share
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolFailure

#: Runs started before the ``fanout-artifacts-1`` patch pass the chunks' values through the
#: workflow history, where Temporal refuses payloads over 2 MB (a number takes about 20 bytes
#: of JSON): their jobs with more tasks, or values holding more numbers, run whole.
MAX_TASKS = 40_000
MAX_NUMBERS = 60_000
#: With the values in the artifact store only the plan's chunk bounds are in the history
#: (about 12 bytes a chunk): a bound far beyond any model (1.28 million LPs).
MAX_CHUNKS = 20_000


def _run(registry: Registry, name: str, raw: dict[str, Any], ctx: ToolContext) -> None:
    tool = registry.get(name)
    args = registry.validate(name, raw, ctx.settings)
    if tool is None or not isinstance(args, tool.args_model):
        raise ToolFailure("bad_arguments", f"{name}: the call does not validate")
    tool.run(args, ctx)


def plan(registry: Registry, name: str, raw: dict[str, Any], ctx: ToolContext, parts: int,
         min_work: int, stored: bool = False) -> list[list[list[int]]] | None:
    """The shares of chunks of a heavy call, one per activity; None: run it whole (not a
    fanned-out tool, too small, too large for the history, or it fails before its job: the
    whole run reports why). ``stored``: the shares' values go through the artifact store,
    so their size does not bound the job."""
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
    inline_too_big = (size.n_tasks > MAX_TASKS
                      or size.n_tasks * size.values_per_task > MAX_NUMBERS)
    if (len(chunks) < 2 or len(chunks) > MAX_CHUNKS or (not stored and inline_too_big)
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


def chunk_store(data_dir: Path) -> ArtifactStore:
    """Where the shares' values wait for their merge (a volume all workers share)."""
    return ArtifactStore(Path(data_dir) / "artifacts" / "chunks")


def stash(store: ArtifactStore, session_id: str, call_id: str, chunks: Sequence[Sequence[int]],
          values: list[Any]) -> dict[str, Any]:
    """Store a share's values; the small reference the workflow history keeps instead."""
    content = json.dumps({"session_id": session_id, "call_id": call_id,
                          "chunks": [[int(a), int(b)] for a, b in chunks], "values": values},
                         separators=(",", ":")).encode()
    ref = store.put(f"{call_id}-chunks.json", content, "application/json")
    return {"sha256": ref.sha256, "values": len(values), "bytes": ref.size}


def unstash(store: ArtifactStore, session_id: str, call_id: str,
            refs: Sequence[dict[str, Any]]) -> list[Any]:
    """The values of all shares, in order, from their references (checked: each is this
    call's, and holds as many values as its block returned)."""
    values: list[Any] = []
    for ref in refs:
        share_ = json.loads(store.get(str(ref["sha256"])))
        if (share_["session_id"], share_["call_id"]) != (session_id, call_id) or len(
                share_["values"]) != int(ref["values"]):
            raise StoreError(f"chunk artifact {ref['sha256']} is not one of {call_id}'s")
        values.extend(share_["values"])
    return values


def discard(store: ArtifactStore, refs: Sequence[dict[str, Any]]) -> None:
    """Delete the shares once their merge is stored (a retried merge finds the result)."""
    for ref in refs:
        store.delete(str(ref["sha256"]))
