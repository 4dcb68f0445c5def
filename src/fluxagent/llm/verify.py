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

import math
import re
from dataclasses import dataclass, field
from typing import Any

from fluxagent.core.events import Thread
from fluxagent.llm.claims import Claim, Number, extract_claims, numbers_in
from fluxagent.llm.evidence import MAX_TEXT_CHARS, Sources, Values, sources

__all__ = ["ClaimCheck", "Number", "Verification", "flag_line", "numbers_in", "sources",
           "verify_answer"]


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
    pools = ([src.by_reaction.get(c.reaction, Values()),
              src.condition_by_reaction.get(c.reaction, Values())] if c.reaction
             else [src.any, src.conditions])
    found = [next((w for p in pools if (w := p.find(x.value, x.tolerance))), None)
             for x in (a, b)]
    if all(found):
        return f"{found[0]}; {found[1]}", ""
    return None, (f"not a range of {c.reaction} in the tool results" if c.reaction
                  else "not a range in the tool results")


def _other(src: Sources, n: Number) -> str | None:
    return src.any.find(n.value, n.tolerance) or src.conditions.find(n.value, n.tolerance)


def check_claim(src: Sources, c: Claim, sentence: str = "") -> ClaimCheck:
    """Match one claim against the typed values of the thread (``sentence``: the answer's
    sentence around it; a question's number restated as not applied passes)."""
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
        words = tuple(c.noun.split())
        label = words if words and src.counts.labelled(words) else ("",)
        where = src.counts.find(v, tol, label) or src.condition_counts.find(v, tol)
        if where is None and words[:1] in (("more",), ("fewer",)) and len(words) == 2:
            where = src.counts.difference(v, tol, words[1])  # "340 more genes than iJO1366"
        why = (f"no count of {c.noun}s in the tool results equals it" if label != ("",)
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
        if _NOT_APPLIED.search(sentence):
            where = "the question (restated as not applied)"
        why = "only in the question: not used by any tool call of this turn"
    return ClaimCheck(text=c.text, kind=c.kind, value=v, reaction=c.reaction,
                      source=where or "", why="" if where else why)


_WORDS = re.compile(r"[a-z0-9_]+")
#: "At pH 5 I cannot say": a condition of the question restated as not applied is no claim.
_NOT_APPLIED = re.compile(r"\b(?:cannot|can't|can not|could not|couldn't|unable|ignored|"
                          r"not (?:understood|applied|used|supported|possible|modell?ed)|"
                          r"did not|didn't|does not|doesn't|do not|don't)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)|\n")
_QUOTED = re.compile(r"(['\"‘“])([^'\"‘’“”\n]{1,300})(['\"’”])")


def _without_quotes_of_the_question(thread: Thread, answer: str) -> str:
    """``answer`` with quoted phrases of the question blanked ("not understood: 'with 2 -oxo
    glutarate'" quotes the question; it claims nothing)."""
    asked = [_WORDS.findall(str(ev.data.get("text", "")).lower()) for ev in thread
             if ev.type in ("user_message", "human_response")]

    def quoted(words: list[str], question: list[str]) -> bool:
        """Are ``words`` the question's words in order (the quote may leave some out)?"""
        rest = iter(question)
        return all(w in rest for w in words)

    def blank(m: re.Match[str]) -> str:
        words = _WORDS.findall(m.group(2).lower())
        return " " * len(m.group(0)) if words and any(quoted(words, q) for q in asked) \
            else m.group(0)

    return _QUOTED.sub(blank, answer)


#: Labels inside reaction names: "(2:1)" antiport ratios, "(Ca+2)" and "(Cl-1)" charges,
#: "(n-C16:1)" acyl chains; "(+23 more)" marks a shortened list.
_LABELS = re.compile(r"\(\d+:\d+\)|\([A-Z][a-z]?\d*\s?[+-]\s?\d\)|\bC\d+:\d+\b|"
                     r"\(\+\d+ more\)")


def _without_result_names(text: str, names: dict[str, str]) -> str:
    """``text`` with the names of reactions a tool result gave blanked: "CAt6pp (Calcium /
    sodium antiporter (1:1))" quotes the model; its 1 and 1 are no claims."""
    text = _LABELS.sub(lambda m: " " * len(m.group(0)), text)
    low = text.lower()
    for name in names:
        if re.search(r"\d", name) and len(name) >= 6 and name in low:
            for m in re.finditer(re.escape(name), low):
                text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return text


def _sentence(text: str, pos: int) -> str:
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, pos)]
    end = _SENTENCE_END.search(text, pos)
    return text[starts[-1] if starts else 0:end.start() if end else len(text)]


def verify_answer(thread: Thread, answer: str) -> Verification:
    """Check each claim of ``answer`` against the typed values of the tool results in
    ``thread`` (and the arguments of this turn's tool calls)."""
    src = sources(thread)
    out = Verification()
    text = _without_result_names(
        _without_quotes_of_the_question(thread, answer[:MAX_TEXT_CHARS]), src.names)
    for c in extract_claims(text, frozenset(src.ids), src.names):
        check = check_claim(src, c, _sentence(text, c.number.start))
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
