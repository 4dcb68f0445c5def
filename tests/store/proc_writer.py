"""A writer process for the concurrency test: appends batches to one session in a tight loop.

Usage: python proc_writer.py URL SESSION NAME BATCHES SEED. Prints "ready", waits for a line
on stdin (so both writers start together), then appends BATCHES batches of 1-3 events with the
sequence number it believes is next (pausing up to 2 ms between tries); on ConflictError it
reloads and retries. Prints a JSON summary. Any other exception ends the process with a
traceback and a non-zero exit.
"""

from __future__ import annotations

import json
import random
import sys
import time

from fluxagent.core.events import new_event
from fluxagent.store.base import ConflictError
from fluxagent.store.sql import SqlStore


def main(url: str, session: str, name: str, batches: int, seed: int) -> None:
    store = SqlStore(url)
    rng = random.Random(seed)
    print("ready", flush=True)
    sys.stdin.readline()
    thread = store.load(session)
    wins = conflicts = 0
    while wins < batches:
        time.sleep(rng.random() * 0.002)  # a breath, so a waiting writer gets the lock too
        k = rng.randint(1, 3)
        new = thread.append(*[new_event("annotation", {"writer": name, "batch": wins,
                                                       "part": j, "of": k}) for j in range(k)])
        try:
            store.append(session, new.events[len(thread):], expected_seq=len(thread))
        except ConflictError:
            conflicts += 1
            thread = store.load(session)
            continue
        thread, wins = new, wins + 1
    store.close()
    print(json.dumps({"writer": name, "wins": wins, "conflicts": conflicts}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
