"""Two OS processes append to one session at once, on SQLite and on PostgreSQL.

Exactly one writer wins each sequence number, the other gets ConflictError (and retries), no
sequence number is missing or doubled, and no batch is interleaved with another.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import sqlalchemy as sa

from fluxagent.store.sql import EVENTS, SqlStore

WRITER = Path(__file__).with_name("proc_writer.py")
BATCHES = 120


def _spawn(url: str, name: str, seed: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WRITER), url, "race", name, str(BATCHES),
                             str(seed)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_two_processes_race_on_one_session(any_store_url: str) -> None:
    with SqlStore(any_store_url) as store:
        store.create("race")
    procs = [_spawn(any_store_url, name, seed) for name, seed in (("A", 1), ("B", 2))]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready", \
            p.stderr.read() if p.stderr else ""
    for p in procs:  # start both at once
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    summaries = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, f"writer crashed:\n{err}"
        summaries.append(json.loads(out.strip().splitlines()[-1]))

    assert all(s["wins"] == BATCHES for s in summaries)
    assert sum(s["conflicts"] for s in summaries) > 0, "the writers never collided"

    with SqlStore(any_store_url) as store:
        thread = store.load("race")  # Thread() itself checks seqs are exactly 0..n-1
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(EVENTS.c.seq).where(EVENTS.c.session_id == "race")
                                .order_by(EVENTS.c.seq)).scalars().all()
    assert rows == list(range(len(thread)))

    # every batch is whole, in order and contiguous; each writer's batches are in order
    seen: dict[tuple[str, int], list[int]] = defaultdict(list)
    order: dict[str, list[int]] = defaultdict(list)
    i = 0
    while i < len(thread):
        d = thread[i].data
        w, b, k = d["writer"], d["batch"], d["of"]
        parts = [thread[j].data for j in range(i, i + k)]
        assert [(p["writer"], p["batch"], p["part"]) for p in parts] == \
            [(w, b, j) for j in range(k)], f"batch {w}{b} interleaved at seq {i}"
        seen[(w, b)].append(i)
        order[w].append(b)
        i += k
    assert all(len(v) == 1 for v in seen.values()), "a batch was stored twice"
    assert order["A"] == list(range(BATCHES)) and order["B"] == list(range(BATCHES))
