"""Cost of refusing a damaged store at open: ``PRAGMA quick_check`` on a 1000-event SQLite store.

Builds a store of 1000 events (10 sessions x 100, payloads of ~1 KB like real tool results),
then times ``PRAGMA quick_check`` alone and a whole ``SqlStore`` open (which runs it), median
of 30 runs each. Usage: ``.venv/bin/python bench/bench_store_open.py`` (prints JSON).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fluxagent.core.events import Thread, new_event
from fluxagent.store.sql import SqlStore, integrity_problems


def build(db: Path, events: int = 1000) -> None:
    with SqlStore(f"sqlite:///{db}") as store:
        for s in range(events // 100):
            sid = f"s{s}"
            store.create(sid)
            thread = Thread(sid).append(*[new_event("annotation", {
                "i": i, "summary": "flux " * 40, "data": {f"R{k}": k * 0.1 for k in range(60)}})
                for i in range(100)])
            store.append(sid, thread.events, expected_seq=0)


def median_ms(fn: object, runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


def main() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "fluxagent.db"
        build(db)
        store = SqlStore(f"sqlite:///{db}")
        check = median_ms(lambda: integrity_problems(store.engine, "quick_check"))
        full = median_ms(lambda: integrity_problems(store.engine, "integrity_check"))
        store.close()
        opened = median_ms(lambda: SqlStore(f"sqlite:///{db}").close())
        size = db.stat().st_size + (db.with_name(db.name + "-wal").stat().st_size
                                    if db.with_name(db.name + "-wal").exists() else 0)
    return {"events": 1000, "store_bytes": size, "quick_check_ms": check,
            "integrity_check_ms": full, "open_ms_incl_quick_check": opened}


if __name__ == "__main__":
    json.dump(main(), sys.stdout, indent=1)
    print()
