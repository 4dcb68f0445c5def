"""Answer verification: every number of a final answer must be the quantity it claims to be.

The runtime checks every final answer of every decider (offline planner, LLM, hybrid); a number
that fails gets a visible flag line and an ``unverified_numbers`` annotation event, and the
evaluation counts the run as a failure.

Claim grammar (``claims.py`` reads it; the answer templates of every decider should produce it).
A number is typed by the unit right after it, else by the nearest keyword or reaction id/name
before it in the same sentence (parenthesized asides skipped):

=============  ==========================================  =================================
claim          shapes                                      must equal (tool results)
=============  ==========================================  =================================
growth         "growth rate 0.8739 1/h", "grows at 0.87",  a growth value: ``growth_rate``,
               "µ = 0.87 h-1", "wild type 0.87"            ``*growth*`` keys, a biomass
                                                           flux, a growth objective value
flux of R      "flux through PFK: 7.477 mmol/gDW/h",       R's flux (``fluxes``,
               "PFK carries 7.477", "EX_ac_e 3.81"         ``exchanges``, medium, bounds,
                                                           rows with ``id`` R), or an R
                                                           range endpoint
flux           "20 mmol/gDW/h" with no reaction named      any value of a tool result
range of R     "FVA of PFK: [1.172, 25.29] mmol/gDW/h",    R's FVA ``minimum``/``maximum``
               "PFK: 1.172 to 25.29", "between a and b"    (or two values of R)
count          "10 essential genes", "95 reactions",       a count: the length of a list or
               "7 are essential"                           mapping, an integer field
yield          "yield 2 mol/mol", "0.67 C-mol/C-mol",      a ``*yield*`` value or a
               "yield 1.39 mmol/gDW/h"                     production ``maximum``
doubling time  "doubling time 47.6 min" / "0.79 h"         ln2/µ of a growth value µ, in the
                                                           unit stated
percent        "24.2% of wild type" (ratio),               ratio: a fraction in a result or
               "19.4% lower than wild type" (change)       a/b of two growth (or same-R
                                                           flux) values; change: 100·(a−b)/b
                                                           or 1 − a fraction in a result
objective      "objective value 0.8739"                    ``objective_value``, growth,
                                                           production ``maximum``
untyped        any other number                            any number of a tool result
=============  ==========================================  =================================

Every kind also accepts a *restated condition*: a number in the arguments of a tool call of
the current turn (or in the medium, parameters or changes a result's provenance records), of a
compatible kind (a growth claim needs a growth argument such as ``min_growth``; a percent a
fraction such as ``fraction_of_optimum``). A number that appears only in the question or a
person's reply is flagged: the condition was not used. Numbers inside identifiers and model
names (b1779, iJO1366, BIOMASS_Ec_iJO1366_core_53p95M), units (1/h) and list markers ("1. ")
are no claims. The tolerance is half a unit of the last digit shown; percentages may be
fractions; huge results are capped (MAX_SOURCE_NUMBERS) to keep verification fast.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fluxagent.core.events import Thread
from fluxagent.llm.claims import Claim, Number, extract_claims, numbers_in

__all__ = ["ClaimCheck", "Number", "Verification", "flag_line", "numbers_in", "sources",
           "verify_answer"]

#: Caps that keep verification fast on huge results (e.g. flux samples).
MAX_SOURCE_NUMBERS = 500_000
MAX_PAIRS = 2_000
MAX_TEXT_CHARS = 200_000

#: Mappings whose keys are reaction ids and whose values are that reaction's flux or bound.
_CONTAINERS = {"fluxes", "exchanges", "medium", "carbon_sources", "bounds", "uptakes",
               "secretions", "uptake", "secretion", "minimal_medium", "knockout_bounds"}
_ROW_IDS = ("id", "reaction", "rxn", "exchange")
_YIELD_KEYS = re.compile(r"yield|^maximum$|^flux_maximum$|^flux_minimum$|^total_flux$")
_CHANGE_KEYS = re.compile(r"change|reduction|decrease|increase|loss|drop")
#: Arguments that are counts ("top 10 reactions" restates {"top": 10}).
_COUNT_ARGS = re.compile(r"^(?:n|k|top|points|samples|limit|size|count|number|max_\w+|n_\w+)$")
_BIOMASS = re.compile(r"biomass|growth", re.IGNORECASE)


@dataclass(frozen=True)
class ClaimCheck:
    """One claim of the answer and what it was matched to (``source`` empty: flagged)."""

    text: str
    kind: str
    value: float
    reaction: str | None = None
    source: str = ""
    why: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.source)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "kind": self.kind, "value": self.value}
        if self.reaction:
            out["reaction"] = self.reaction
        out["source" if self.ok else "why"] = self.source or self.why
        return out


@dataclass
class Verification:
    numbers: list[str] = field(default_factory=list)
    untraceable: list[str] = field(default_factory=list)
    traced: dict[str, str] = field(default_factory=dict)  # number -> where it was found
    claims: list[ClaimCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.untraceable

    @property
    def flagged(self) -> list[ClaimCheck]:
        return [c for c in self.claims if not c.ok]


class _Values:
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

    def find(self, value: float, tol: float, label: str = "") -> str | None:
        """Where a value within ``tol`` came from (``label``: whose label contains it)."""
        if not self._sorted:
            self._pairs.sort(key=lambda p: p[0])
            self._keys = [p[0] for p in self._pairs]
            self._sorted = True
        tol = max(tol, 1e-9 * max(1.0, value))
        i = bisect.bisect_left(self._keys, value - tol)
        while i < len(self._keys) and self._keys[i] <= value + tol:
            if label in self._pairs[i][1]:
                return self._pairs[i][1]
            i += 1
        return None

    def labelled(self, label: str) -> bool:
        return any(label in where for _, where in self._pairs)


@dataclass
class _Range:
    reaction: str
    low: float
    high: float
    where: str


class Sources:
    """The typed values a thread offers an answer (see the module docstring)."""

    def __init__(self) -> None:
        self.any = _Values()            # every number of every tool result
        self.growth = _Values()
        self.objective = _Values()
        self.yields = _Values()
        self.counts = _Values()
        self.fractions = _Values()      # result values in [0, 1] (ratios)
        self.changes = _Values()        # result values named as a change
        self.by_reaction: dict[str, _Values] = {}
        self.ranges: list[_Range] = []
        self.question = _Values()
        self.conditions = _Values()     # arguments of this turn, provenance of results
        self.condition_growth = _Values()
        self.condition_fractions = _Values()
        self.condition_counts = _Values()
        self.condition_by_reaction: dict[str, _Values] = {}
        self.ids: set[str] = set()
        self.names: dict[str, str] = {}
        self._growth_list: list[float] = []
        self._flux_series: dict[str, list[float]] = {}
        self._total = 0

    # -- filling ----------------------------------------------------------------------------
    def _room(self) -> bool:
        self._total += 1
        return self._total <= MAX_SOURCE_NUMBERS

    def reaction(self, rid: str, *, condition: bool = False) -> _Values:
        table = self.condition_by_reaction if condition else self.by_reaction
        return table.setdefault(rid, _Values())

    def learn_ids(self, obj: Any, key: str = "", depth: int = 0) -> None:
        """Reaction ids (and names) a result mentions, to bind "PFK 7.47" to PFK."""
        if depth > 8:
            return
        if isinstance(obj, dict):
            rid = next((obj[k] for k in _ROW_IDS if isinstance(obj.get(k), str)), None)
            if rid and depth > 0:  # the top-level id is the model's
                self.ids.add(rid)
                name = obj.get("name")
                if isinstance(name, str) and 3 <= len(name) <= 60 and name != rid:
                    self.names.setdefault(name.lower(), rid)
            for k, v in obj.items():
                if key in _CONTAINERS or (key == "names" and isinstance(v, str)):
                    self.ids.add(str(k))
                    if key == "names" and isinstance(v, str) and 3 <= len(v) <= 60:
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
        for value, key, rid, what, rng in _leaves(data, self.ids):
            if not self._room():
                return
            label = f"{where}: {key}" if key else where
            if rng is not None:
                self.ranges.append(_Range(rid or "", rng[0], rng[1], label))
                continue
            self.any.add(value, label)
            low = key.lower()
            if what in ("int", "size") and rid is None:
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
            elif c.kind == "count":
                self.counts.add(v, where)
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
        if depth > 0:
            yield float(len(obj)), key, None, "size", None
        row = next((obj[k] for k in _ROW_IDS if isinstance(obj.get(k), str)),
                   None) if depth > 0 else None  # the top-level id is the model's
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
    return src


# -- checking -------------------------------------------------------------------------------
def _ratio_match(values: list[float], target: float, tol: float, change: str) -> str | None:
    """Two values whose ratio (``change`` ""), or change (down: relative to the larger,
    up: relative to the smaller, any: either), in percent is ``target``."""
    for b in values:
        if b <= 1e-12:
            continue
        for a in values:
            if change == "":
                if abs(100.0 * a / b - target) <= tol:
                    return f"ratio of {a:.6g} to {b:.6g}"
                continue
            if a == b or (change == "down" and a > b) or (change == "up" and a < b):
                continue
            if abs(100.0 * abs(a - b) / b - target) <= tol:
                return f"change from {b:.6g} to {a:.6g}"
    return None


def _percent(src: Sources, c: Claim) -> tuple[str | None, str]:
    n = c.number
    v, tol = n.value, max(n.tolerance, 1e-9)
    frac, ftol = v / 100.0, tol / 100.0
    if c.change:
        where = src.changes.find(frac, ftol) or src.changes.find(v, tol)
        where = where or (src.fractions.find(1.0 - frac, ftol) and
                          f"1 − {src.fractions.find(1.0 - frac, ftol)}")
        where = where or _ratio_match(src.growth_values(), v, tol, c.change)
        for series in src.flux_series():
            where = where or _ratio_match(series, v, tol, c.change)
        return where, "not a change between two growth or flux values of the tool results"
    where = src.fractions.find(frac, ftol) or src.condition_fractions.find(frac, ftol)
    where = where or src.any.find(v, tol) or _ratio_match(src.growth_values(), v, tol, "")
    return where, "not a fraction or a ratio of values in the tool results"


def _doubling(src: Sources, c: Claim) -> tuple[str | None, str]:
    n = c.number
    scale = 60.0 if c.unit == "min" else 1.0
    for mu in src.growth_values():
        if mu > 1e-9:
            t = math.log(2) / mu * scale
            if abs(t - n.value) <= max(n.tolerance, 1e-6 * t):
                return f"ln2/µ of growth {mu:.6g} 1/h ({t:.4g} {c.unit})", ""
    shown = ", ".join(f"{math.log(2) / mu * scale:.4g}" for mu in src.growth_values()[:3]
                      if mu > 1e-9)
    return None, (f"no growth value µ has ln2/µ = {n.text} {c.unit}"
                  + (f" (ln2/µ: {shown} {c.unit})" if shown else ""))


def _range(src: Sources, c: Claim) -> tuple[str | None, str]:
    assert c.upper is not None
    a, b = c.number, c.upper
    for r in src.ranges:
        if c.reaction and r.reaction != c.reaction:
            continue
        for lo, hi in ((r.low, r.high), (r.high, r.low)):
            if abs(lo - a.value) <= max(a.tolerance, 1e-9) and \
                    abs(hi - b.value) <= max(b.tolerance, 1e-9):
                return f"{r.where} (range of {r.reaction})", ""
    pools = ([src.by_reaction.get(c.reaction, _Values()),
              src.condition_by_reaction.get(c.reaction, _Values())] if c.reaction
             else [src.any, src.conditions])
    found = [next((w for p in pools if (w := p.find(x.value, x.tolerance))), None)
             for x in (a, b)]
    if all(found):
        return f"{found[0]}; {found[1]}", ""
    return None, (f"not a range of {c.reaction} in the tool results" if c.reaction
                  else "not a range in the tool results")


def _other(src: Sources, n: Number) -> str | None:
    return src.any.find(n.value, n.tolerance) or src.conditions.find(n.value, n.tolerance)


def check_claim(src: Sources, c: Claim) -> ClaimCheck:
    """Match one claim against the typed values of the thread."""
    n = c.number
    v, tol = n.value, n.tolerance
    where: str | None = None
    why = ""
    if c.kind == "range":
        where, why = _range(src, c)
    elif c.kind == "percent":
        where, why = _percent(src, c)
    elif c.kind == "doubling_time":
        where, why = _doubling(src, c)
    elif c.kind == "growth":
        where = src.growth.find(v, tol) or src.condition_growth.find(v, tol)
        why = "no growth value of a tool result equals it"
    elif c.kind == "flux" and c.reaction:
        where = (src.reaction(c.reaction).find(v, tol)
                 or src.reaction(c.reaction, condition=True).find(v, tol))
        if where is None:
            r = [x for x in src.ranges if x.reaction == c.reaction]
            for x in r:
                if min(abs(x.low - v), abs(x.high - v)) <= max(tol, 1e-9):
                    where = f"{x.where} (range endpoint of {c.reaction})"
        why = f"not a flux of {c.reaction} in the tool results"
    elif c.kind == "count":
        # "10 essential genes" must be a count of genes when the thread has one
        label = c.noun if c.noun and src.counts.labelled(c.noun) else ""
        where = src.counts.find(v, tol, label) or src.condition_counts.find(v, tol)
        why = (f"no count of {c.noun}s in the tool results equals it" if label
               else "no count (list length or count field) of a tool result equals it")
    elif c.kind == "yield":
        where = src.yields.find(v, tol)
        why = "no yield or production maximum of a tool result equals it"
    elif c.kind == "objective":
        where = src.objective.find(v, tol)
        why = "no objective value of a tool result equals it"
    else:  # untyped, or a flux with no reaction named
        where = _other(src, n)
        if where is None and n.percent:
            where = src.any.find(v / 100.0, tol / 100.0)
        why = "not found in any tool result or argument of this turn"
    if where is None and c.kind not in ("range", "percent", "doubling_time", "untyped"):
        elsewhere = _other(src, n)
        if elsewhere:
            why += f" (it matches {elsewhere}, which is not a {c.kind.replace('_', ' ')})"
    if where is None and src.question.find(v, tol):
        why = "only in the question: not used by any tool call of this turn"
    return ClaimCheck(text=c.text, kind=c.kind, value=v, reaction=c.reaction,
                      source=where or "", why="" if where else why)


def verify_answer(thread: Thread, answer: str) -> Verification:
    """Check each claim of ``answer`` against the typed values of the tool results in
    ``thread`` (and the arguments of this turn's tool calls)."""
    src = sources(thread)
    out = Verification()
    for c in extract_claims(answer[:MAX_TEXT_CHARS], frozenset(src.ids), src.names):
        check = check_claim(src, c)
        out.claims.append(check)
        texts = [c.number.text] + ([c.upper.text] if c.upper is not None else [])
        out.numbers.extend(texts)
        if check.ok:
            for t in texts:
                out.traced[t] = check.source
        elif check.text not in out.untraceable:
            out.untraceable.append(check.text)
    return out


def flag_line(untraceable: list[str], claims: list[ClaimCheck] | None = None) -> str:
    """The line appended to an answer whose claims could not all be verified."""
    why = {c.text: c for c in claims or [] if not c.ok}
    parts = [f"{t} ({why[t].kind.replace('_', ' ')}: {why[t].why})" if t in why else t
             for t in untraceable[:10]]
    shown = ", ".join(parts) + (" ..." if len(untraceable) > 10 else "")
    return (f"⚠ Unverified: {shown} — not what the tool results of this session say; treat "
            "with caution.")
