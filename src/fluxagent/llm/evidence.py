"""The typed values a thread offers an answer: what each claim kind may be matched to.

``sources(thread)`` walks every tool result's data and summary (growth values, fluxes and
bounds per reaction, FVA ranges, counts, yields, fractions), the arguments of the current
turn's tool calls and the provenance of results (conditions the tools used), and the numbers
of the question (which alone prove nothing). The claim grammar is in ``verify.py``.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from fluxagent.core.events import Thread
from fluxagent.llm.claims import extract_claims, numbers_in

#: Caps that keep verification fast on huge results (e.g. flux samples).
MAX_SOURCE_NUMBERS = 500_000
MAX_PAIRS = 2_000
MAX_TEXT_CHARS = 200_000

#: Mappings whose keys are reaction ids and whose values are that reaction's flux or bound.
_CONTAINERS = {"fluxes", "exchanges", "medium", "carbon_sources", "bounds", "uptakes",
               "secretions", "uptake", "secretion", "minimal_medium", "knockout_bounds"}
_ROW_IDS = ("id", "reaction", "rxn", "exchange")
_YIELD_KEYS = re.compile(r"yield|^gdw_per_|^maximum$|^flux_maximum$|^flux_minimum$|^total_flux$")
_CHANGE_KEYS = re.compile(r"change|reduction|decrease|increase|loss|drop")
#: Arguments that are counts ("top 10 reactions" restates {"top": 10}).
_COUNT_ARGS = re.compile(r"^(?:n|k|top|points|samples|limit|size|count|number|max_\w+|n_\w+)$")
#: Count fields of a row about one reaction or gene ({"id": "PFK", "metabolites": 5}).
_ROW_COUNTS = frozenset({"metabolites", "genes", "reactions", "count", "total"})
_BIOMASS = re.compile(r"biomass|growth", re.IGNORECASE)


class Values:
    """Sorted numbers with a label of where each came from."""

    def __init__(self) -> None:
        self._pairs: list[tuple[float, str]] = []
        self._keys: list[float] = []
        self._sorted = True

    def add(self, value: float, where: str) -> None:
        if math.isfinite(value):
            self._pairs.append((abs(value), where))
            self._sorted = False

    def extend(self, values: Iterable[float], where: str) -> None:
        for v in values:
            self.add(v, where)

    def __len__(self) -> int:
        return len(self._pairs)

    def values(self) -> list[float]:
        return [v for v, _ in self._pairs]

    def find(self, value: float, tol: float, label: str | tuple[str, ...] = "") -> str | None:
        """Where a value within ``tol`` came from (``label``: whose label contains it, or one
        of them)."""
        labels = (label,) if isinstance(label, str) else label
        if not self._sorted:
            self._pairs.sort(key=lambda p: p[0])
            self._keys = [p[0] for p in self._pairs]
            self._sorted = True
        tol = max(tol, 1e-9 * max(1.0, value))
        i = bisect.bisect_left(self._keys, value - tol)
        while i < len(self._keys) and self._keys[i] <= value + tol:
            if any(x in self._pairs[i][1] for x in labels):
                return self._pairs[i][1]
            i += 1
        return None

    def difference(self, value: float, tol: float, label: str) -> str | None:
        """Two numbers labelled ``label`` whose difference is ``value`` ("340 more genes":
        1707 genes of one model and 1367 of another)."""
        mine = [(v, w) for v, w in self._pairs if w.split(": ")[-1].startswith(label)]
        for i, (v, w) in enumerate(mine):
            for j, (u, x) in enumerate(mine):
                if i != j and v != u and abs(v - u - value) <= max(tol, 1e-9):
                    return f"{w} ({v:g}) − {x} ({u:g})"
        return None

    def labelled(self, labels: tuple[str, ...]) -> bool:
        return any(x in where for _, where in self._pairs for x in labels)


@dataclass
class _Range:
    reaction: str
    low: float
    high: float
    where: str


class Sources:
    """The typed values a thread offers an answer (see the module docstring)."""

    def __init__(self) -> None:
        self.any = Values()            # every number of every tool result
        self.growth = Values()
        self.objective = Values()
        self.yields = Values()
        self.counts = Values()
        self.fractions = Values()      # result values in [0, 1] (ratios)
        self.changes = Values()        # result values named as a change
        self.by_reaction: dict[str, Values] = {}
        self.ranges: list[_Range] = []
        self.question = Values()
        self.conditions = Values()     # arguments of this turn, provenance of results
        self.condition_growth = Values()
        self.condition_fractions = Values()
        self.condition_counts = Values()
        self.condition_by_reaction: dict[str, Values] = {}
        self.ids: set[str] = set()
        self.names: dict[str, str] = {}
        self._growth_list: list[float] = []
        self._flux_series: dict[str, list[float]] = {}
        self._total = 0

    # -- filling ----------------------------------------------------------------------------
    def _room(self) -> bool:
        self._total += 1
        return self._total <= MAX_SOURCE_NUMBERS

    def reaction(self, rid: str, *, condition: bool = False) -> Values:
        table = self.condition_by_reaction if condition else self.by_reaction
        return table.setdefault(rid, Values())

    def learn_ids(self, obj: Any, key: str = "", depth: int = 0) -> None:
        """Reaction ids (and names) a result mentions, to bind "PFK 7.47" to PFK."""
        if depth > 8:
            return
        if isinstance(obj, dict):
            ids, names = obj.get("ids"), obj.get("names")
            if isinstance(ids, list) and isinstance(names, list):  # a deletion screen's row
                for i, name in zip(ids, names, strict=False):
                    if isinstance(name, str) and 3 <= len(name) <= 200:
                        self.names.setdefault(name.lower(), str(i))
            rid = next((obj[k] for k in _ROW_IDS if isinstance(obj.get(k), str)), None)
            if rid and depth > 0:  # the top-level id is the model's
                self.ids.add(rid)
                name = obj.get("name")
                if isinstance(name, str) and 3 <= len(name) <= 200 and name != rid:
                    self.names.setdefault(name.lower(), rid)
            for k, v in obj.items():
                if key in _CONTAINERS or (key == "names" and isinstance(v, str)):
                    self.ids.add(str(k))
                    if key == "names" and isinstance(v, str) and 3 <= len(v) <= 200:
                        self.names.setdefault(v.lower(), str(k))
                self.learn_ids(v, str(k), depth + 1)
        elif isinstance(obj, list) and key in ("reactions", "reactions_disabled", "knocked_out",
                                               "blocked", "objective"):
            self.ids.update(x for x in obj if isinstance(x, str))
        elif isinstance(obj, list):
            for v in obj[:5000]:
                self.learn_ids(v, key, depth + 1)
        elif isinstance(obj, str) and key in ("objective", "product"):
            self.ids.add(obj)

    def add_result(self, data: Any, where: str, growth_objective: bool) -> None:
        if isinstance(data, dict) and isinstance(data.get("objective"), str) and isinstance(
                data.get("objective_value"), (int, float)) and data["objective"] in self.ids:
            # an FBA with reaction R as objective: its optimum is R's flux, listed or not
            self.reaction(data["objective"]).add(float(data["objective_value"]),
                                                 f"{where}: objective_value")
        for value, key, rid, what, rng in _leaves(data, self.ids):
            if not self._room():
                return
            label = f"{where}: {key}" if key else where
            if rng is not None:
                self.ranges.append(_Range(rid or "", rng[0], rng[1], label))
                continue
            self.any.add(value, label)
            low = key.lower()
            if what == "size" or (what == "int" and (rid is None or low in _ROW_COUNTS)):
                self.counts.add(value, label)
            if rid is not None:
                self.reaction(rid).add(value, label)
                self._flux_series.setdefault(rid, []).append(value)
                if _BIOMASS.search(rid) and not any(k in low for k in ("min", "max")):
                    self._add_growth(value, label)
            if "growth" in low:
                self._add_growth(value, label)
            if low == "objective_value":
                self.objective.add(value, label)
                if growth_objective:
                    self._add_growth(value, label)
            if _YIELD_KEYS.search(low):
                self.yields.add(value, label)
                self.objective.add(value, label)
            if 0.0 <= value <= 1.0 and what in ("float", "text"):
                self.fractions.add(value, label)
            if _CHANGE_KEYS.search(low):
                self.changes.add(value, label)

    def _add_growth(self, value: float, label: str) -> None:
        self.growth.add(value, label)
        self.objective.add(value, label)
        if len(self._growth_list) < MAX_PAIRS:
            self._growth_list.append(abs(value))

    def add_summary(self, text: str, where: str) -> None:
        for c in extract_claims(text[:5000], frozenset(self.ids)):
            v = c.number.value
            self.any.add(v, where)
            if c.number.percent:
                self.fractions.add(v / 100.0, where)
            elif c.kind == "count":  # labelled with its noun, as the summary says it
                self.counts.add(v, f"{where}: {c.noun}" if c.noun else where)
            elif c.kind == "growth":
                self.growth.add(v, where)
            elif c.kind == "yield":
                self.yields.add(v, where)
            if c.upper is not None:
                self.any.add(c.upper.value, where)

    def add_condition(self, obj: Any, where: str) -> None:
        for value, key, rid, what, rng in _leaves(obj, self.ids):
            if not self._room():
                return
            label = f"{where}: {key}" if key else where
            low = key.lower()
            if rng is not None:
                for v in rng:
                    self.conditions.add(v, label)
                    if rid:
                        self.reaction(rid, condition=True).add(v, label)
                continue
            if key == "":  # a size of the arguments themselves is no condition
                continue
            self.conditions.add(value, label)
            if "growth" in low:
                self.condition_growth.add(value, label)
            if "fraction" in low or 0.0 < value <= 1.0:
                self.condition_fractions.add(value, label)
            if what == "int" and where.startswith("arguments") and _COUNT_ARGS.match(low):
                self.condition_counts.add(value, label)
            if rid:
                self.reaction(rid, condition=True).add(value, label)

    # -- derived values ---------------------------------------------------------------------
    def growth_values(self) -> list[float]:
        return self._growth_list

    def flux_series(self) -> Iterator[list[float]]:
        for values in self._flux_series.values():
            distinct = sorted(set(values))
            if len(distinct) > 1:
                yield distinct[:200]


#: The id lists a set-valued result is made of, by tool (ids of rows, or a mapping's keys):
#: "3 genes essential anaerobically but not aerobically" is a difference of two of them.
SET_KEYS: dict[str, tuple[tuple[str, ...], str]] = {
    "essential_genes": (("genes",), "genes"),
    "essential_reactions": (("reactions", "boundary"), "reactions"),
    "get_medium": (("medium",), "exchanges")}


def item_ids(data: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    """The ids under ``keys``: strings, rows with an ``id``, or a mapping's keys."""
    out: list[str] = []
    for k in keys:
        v = data.get(k)
        items = list(v) if isinstance(v, dict) else v if isinstance(v, list) else []
        out += [str(x["id"]) if isinstance(x, dict) else str(x) for x in items
                if isinstance(x, str) or (isinstance(x, dict) and "id" in x)]
    return list(dict.fromkeys(out))


def _leaves(obj: Any, ids: set[str], key: str = "", rid: str | None = None, depth: int = 0
            ) -> Iterator[tuple[float, str, str | None, str, tuple[float, float] | None]]:
    """(value, key, reaction, what, range) of every number in a JSON-like value; ``what``:
    int, float, size (of a list or mapping), text (a number inside a string) or range."""
    if depth > 12 or obj is None or isinstance(obj, bool):
        return
    if isinstance(obj, (int, float)):
        if math.isfinite(obj):
            yield abs(float(obj)), key, rid, "int" if isinstance(obj, int) else "float", None
    elif isinstance(obj, str):
        if len(obj) < 5000:
            for n in numbers_in(obj):
                yield n.value, key, None, "text", None
    elif isinstance(obj, dict):
        row = next((obj[k] for k in _ROW_IDS if isinstance(obj.get(k), str)),
                   None) if depth > 0 else None  # the top-level id is the model's
        if depth > 0 and not row:  # a row's number of fields counts nothing
            yield float(len(obj)), key, None, "size", None
        lo, hi = obj.get("minimum"), obj.get("maximum")
        if row and isinstance(lo, (int, float)) and isinstance(hi, (int, float)) \
                and not isinstance(lo, bool) and not isinstance(hi, bool):
            yield 0.0, key, row, "range", (abs(float(lo)), abs(float(hi)))
        for k, v in obj.items():
            k = str(k)
            child = k if (key in _CONTAINERS or k in ids) else (row or rid)
            if child == k and isinstance(v, (list, tuple)) and len(v) == 2 and all(
                    isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
                yield 0.0, k, k, "range", (abs(float(v[0])), abs(float(v[1])))
            path = f"{key}.{k}" if key in _CONTAINERS else k
            yield from _leaves(v, ids, path, child if not isinstance(v, dict) or child == k
                               else None, depth + 1)
    elif isinstance(obj, (list, tuple)):
        yield float(len(obj)), key, None, "size", None
        for v in obj[:MAX_SOURCE_NUMBERS]:
            yield from _leaves(v, ids, key, rid, depth + 1)


def _turn_start(thread: Thread) -> int:
    starts = [ev.seq for ev in thread if ev.type == "user_message"]
    return starts[-1] if starts else -1


def sources(thread: Thread) -> Sources:
    """Every typed value the answer may legitimately use."""
    src = Sources()
    results = [ev for ev in thread if ev.type == "tool_result"]
    for ev in results:
        src.learn_ids(ev.data.get("data", {}))
        prov = ev.data.get("provenance") or {}
        src.learn_ids({k: prov.get(k) for k in ("medium",)})
    start = _turn_start(thread)
    growth_obj = any(isinstance(d := ev.data.get("data"), dict) and (
        d.get("growth_rate") is not None or bool(_BIOMASS.search(str(d.get("objective", "")))))
        for ev in results)
    for ev in thread:
        d = ev.data
        if ev.type in ("user_message", "human_response"):
            src.question.extend((n.value for n in numbers_in(str(d.get("text", "")))),
                                "question")
        elif ev.type == "tool_call" and ev.seq > start:
            src.add_condition(d.get("args", {}), f"arguments of {d.get('name')}")
        elif ev.type == "approval_decision" and isinstance(d.get("args"), dict):
            src.add_condition(d["args"], "edited arguments")
        elif ev.type == "tool_result":
            tool = d.get("tool")
            data = d.get("data", {})
            src.add_result(data, f"result of {tool}", growth_obj)
            src.add_summary(str(d.get("summary", "")), f"result of {tool}: summary")
            prov = d.get("provenance") or {}
            src.add_condition({k: prov.get(k) for k in ("medium", "parameters", "changes")},
                              f"provenance of {tool}")
    sets = [(str(ev.data.get("tool")), item_ids(ev.data.get("data") or {},
                                                SET_KEYS[str(ev.data.get("tool"))][0]))
            for ev in results if ev.data.get("tool") in SET_KEYS and
            isinstance(ev.data.get("data"), dict)]
    for i, (tool, a) in enumerate(sets[:20]):
        for j, (other, b) in enumerate(sets[:20]):
            if i != j and tool == other:
                src.counts.add(float(len(set(a) - set(b))), f"difference of two {tool} results "
                               f"({i + 1} minus {j + 1}): {SET_KEYS[tool][1]}")
    return src

