"""CPU seconds that groups of processes use between two readings, from Linux's /proc.

The scale benchmark runs the Temporal server, PostgreSQL, the workers and the client on one
machine; what each of them costs per session is what projects to a cluster. A group is a
root process and its descendants; a descendant that exits in between (a PostgreSQL backend)
is not lost, its time moves into its parent's ``cutime`` once reaped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # fields from 3 (state) on


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            kids.setdefault(int(fields[1]), []).append(int(entry))
    return kids


def tree(pid: int, kids: dict[int, list[int]] | None = None) -> list[int]:
    """``pid`` and all its descendants now alive."""
    kids = _children() if kids is None else kids
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system time of the processes and of their reaped children."""
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:  # utime stime cutime cstime are fields 14-17
            total += sum(int(x) for x in fields[11:15])
    return total / TICK


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (every user of it)."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


class CpuMeter:
    """CPU seconds per group between ``start`` and ``stop`` (``groups``: name -> the root
    pids, each with its descendants unless ``alone`` names the group)."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]],
                 alone: frozenset[str] = frozenset()) -> None:
        self.alone = alone
        self.groups = groups
        self.begin: dict[str, float] = {}

    def _read(self) -> dict[str, float]:
        kids = _children()
        out = {name: cpu_seconds(roots() if name in self.alone
                                 else [p for root in roots() for p in tree(root, kids)])
               for name, roots in self.groups.items()}
        out["_machine_busy"], out["_machine_total"] = machine_busy()
        out["_wall"] = time.monotonic()
        return out

    def start(self) -> None:
        self.begin = self._read()

    def stop(self) -> dict[str, float]:
        """CPU seconds per group, ``machine_busy_cores`` (every process on the machine,
        other users too) and ``ours_cores`` (the groups), both in cores busy on average."""
        end = self._read()
        delta = {k: end[k] - self.begin[k] for k in end}
        wall = max(delta.pop("_wall"), 1e-9)
        total = delta.pop("_machine_total")
        busy = delta.pop("_machine_busy")
        cores = os.cpu_count() or 1
        out = {k: round(v, 2) for k, v in delta.items()}
        out["ours_cores"] = round(sum(delta.values()) / wall, 2)
        out["machine_busy_cores"] = round(busy / max(total, 1e-9) * cores, 2)
        return out
