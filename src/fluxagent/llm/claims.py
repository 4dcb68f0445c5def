"""Claims of an answer: each number with the quantity it is stated as (grammar: ``verify.py``).

The extractor reads the words around a number: the unit right after it decides first (``1/h``
is a growth rate, ``mmol/gDW/h`` a flux, ``mol/mol`` a yield, ``min`` after "doubling" a
doubling time, a noun such as "genes" a count), then the nearest keyword or reaction before it
in the same sentence (parenthesized asides skipped, so "EX_ac_e (Acetate exchange): 3.81"
binds to EX_ac_e). Two numbers as ``[a, b]``, ``a to b`` or ``between a and b`` are a range.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

#: Units whose digits are not quantities ("1/h", "h^-1").
_UNITS = re.compile(r"\b1\s*/\s*(h|hr|hour|s|min|d)\b|\bh\s*\^?\s*[-−]\s*1\b|h⁻¹|\b[a-z]+\^?-1\b",
                    re.IGNORECASE)
#: Constants of formulas, not quantities: "ln(2)/µ", "log 2".
_FORMULA = re.compile(r"\b(?:ln|log)\s*\(\s*2\s*\)|\b(?:ln|log)\s+2\b", re.IGNORECASE)
#: A list marker at the start of a line ("1. ", "2) ") or a step label ("Step 2: ...").
_ENUM = re.compile(r"^\s*\d{1,2}[.)]\s|\b[Ss]tep\s+\d{1,2}\b", re.MULTILINE)
#: Chemistry written out, not quantities: stoichiometric coefficients "(1) D-glucose",
#: compartment indices "[0]", locants and primes in names "5'-", "2,3-", EC numbers.
_CHEMISTRY = re.compile(r"\(\s*\d+(?:\.\d+)?\s*\)(?=\s*(?:[A-Za-z]|\d+(?:,\d+)*'*-))|\[\s*\d+\s*\]|"
                        r"\b\d+(?:,\d+)*'*-(?=[A-Za-z(])|\b\d+'|"
                        r"\bEC\s*\d+(?:\.[\d-]+){1,3}|\b\d+\.[\d-]+\.[\d-]+\.[\d-]+\b")
_NUMBER = re.compile(
    r"(?<![\w.\-/^])(?<![A-Za-z]-)"
    r"(?P<sign>[-+−])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<exp>[eE][-+]?\d+|\s?[×x]\s?10\^?[-−]?\d+)?"
    r"(?![\w]|\.\d|-[A-Za-z]|,\d)"
    r"(?P<pct>\s?%|\s+percent\b)?")

MAX_TEXT_CHARS = 200_000

KINDS = ("growth", "flux", "range", "count", "yield", "doubling_time", "percent", "objective",
         "untyped")


@dataclass(frozen=True)
class Number:
    """A number as written in an answer."""

    text: str
    value: float        # absolute value
    tolerance: float    # half a unit of the last digit shown
    percent: bool
    start: int = 0      # position in the text (after units and list markers are masked)
    end: int = 0
    integer: bool = False


@dataclass(frozen=True)
class Claim:
    """A number of the answer with the quantity it is stated as."""

    number: Number
    kind: str                   # one of KINDS
    reaction: str | None = None  # flux / range: the reaction it is stated for
    unit: str = ""              # doubling time: "min" or "h"
    upper: Number | None = None  # range: the second endpoint
    change: str = ""            # percent: "down" / "up" / "any" for a change, "" a ratio
    noun: str = ""              # count: what is counted, singular words ("exchange reaction")

    @property
    def text(self) -> str:
        n = self.number
        return f"[{n.text}, {self.upper.text}]" if self.upper is not None else n.text


def _mask(pattern: re.Pattern[str], text: str) -> str:
    """Blank the matches with as many spaces, so positions stay those of the original."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def numbers_in(text: str) -> list[Number]:
    """The numbers a text states (identifiers like b1779 or iJO1366 and units are skipped)."""
    text = text[:MAX_TEXT_CHARS]
    masked = _mask(_CHEMISTRY, _mask(_ENUM, _mask(_FORMULA, _mask(_UNITS, text))))
    out: list[Number] = []
    for m in _NUMBER.finditer(masked):
        raw, exp = m.group("num"), m.group("exp") or ""
        digits = raw.replace(",", "")
        decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
        try:
            value = abs(float(digits))
        except ValueError:
            continue
        scale = 1.0
        if exp:
            e = re.sub(r"[^0-9\-−+]", "", exp.lower().split("e")[-1] if "e" in exp.lower()
                       else exp.split("10", 1)[1]).replace("−", "-")
            try:
                scale = 10.0 ** int(e)
            except ValueError:
                scale = 1.0
            except OverflowError:  # "1e999" in an id or an argument states no usable number
                continue
        value *= scale
        if decimals:
            tol = 0.5 * 10.0 ** (-decimals) * scale
        elif exp:
            tol = 0.5 * scale
        else:
            tol = 0.5 if value >= 10 else 1e-9
        out.append(Number(text=m.group(0).strip(), value=value, tolerance=tol,
                          percent=bool(m.group("pct")), start=m.start(), end=m.end(),
                          integer=not decimals and not exp and not m.group("pct")))
    return out


# -- the grammar ----------------------------------------------------------------------------
_COUNT_NOUNS = (r"genes?|reactions?|metabolites?|compounds?|components?|uptakes?|exchanges?|"
                r"compartments?|nutrients?|media|models?|knockouts?|pairs?|lethals?|"
                r"essentials?|subsystems?|steps?|candidates?|hits?|sources?|points?|samples?|"
                r"ids?|identifiers?|matches|results?|changes?|bounds?|warnings?|cycles?|"
                r"deletions?|mutants?|conditions?|proteins?|features?|products?|routes?|"
                r"pathways?|auxotroph(?:ies|y)|supplements?|loci|locus")
_COUNT = re.compile(rf"^\s*(?:[A-Za-z][\w-]*\s+){{0,2}}(?P<noun>{_COUNT_NOUNS})\b",
                    re.IGNORECASE)
_ESSENTIAL = re.compile(r"^\s*(?:are\s+|of\s+them\s+are\s+)?(essential|blocked|lethal)\b",
                        re.IGNORECASE)
#: A number written before a metabolite id inside an equation ("4.0 h_e", "2 nadh_c").
_COEFFICIENT = re.compile(r"^\s+[A-Za-z0-9][A-Za-z0-9_-]*_[a-z]{1,2}\d?(?=\s|$|[+,;)])")
_GROWTH_UNIT = re.compile(r"^\s*(?:1\s*/\s*h\b|/\s*h\b|h\s*\^?\s*[-−]\s*1\b|h⁻¹|per\s+hour\b)",
                          re.IGNORECASE)
_FLUX_UNIT = re.compile(r"^\s*(?:mmol|µmol|umol|mol)\s*/?\s*(?:g\s*dw|gdw|g\s*dcw|gdcw)",
                        re.IGNORECASE)
_YIELD_UNIT = re.compile(r"^\s*(?:c-?mol\s*/\s*c-?mol|mol\s*/\s*mol|g\s*/\s*g\b|"
                         r"mmol\s*/\s*mmol|mol\s+(?:\w+\s+)?per\s+mol|c-mol)", re.IGNORECASE)
_TIME_UNIT = re.compile(r"^\s*(?P<u>min(?:utes?)?|h(?:ours?|rs?)?)\b", re.IGNORECASE)
_DOWN = (r"decreas\w*|drops?|dropped|reduc\w*|lower|less|falls?|fell|slower|loss|down|"
         r"declin\w*|smaller|fewer")
_UP = r"increas\w*|higher|more|rises?|rose|faster|gain|up|improv\w*|greater|larger"
#: A change word right after a percentage ("19% lower") or just before it ("drops by 19%").
_CHANGE_AFTER = re.compile(rf"\s*(?:(?P<down>{_DOWN})|(?P<up>{_UP})|(?P<any>chang\w*))\b",
                           re.IGNORECASE)
_CHANGE_BEFORE = re.compile(rf"\b(?:(?P<down>{_DOWN})|(?P<up>{_UP})|(?P<any>chang\w*))"
                            r"(?:\s+\w+){0,2}?\s+(?:by|of|to)?\s*(?:about\s+|~\s*|≈\s*)?$",
                            re.IGNORECASE)
#: Keywords before a number, each naming the kind of the number that follows it.
_KEYWORDS: list[tuple[str, re.Pattern[str]]] = [
    ("doubling_time", re.compile(r"doubl\w*", re.IGNORECASE)),
    ("yield", re.compile(r"\byields?\b", re.IGNORECASE)),
    ("objective", re.compile(r"\bobjective(?:\s+value)?\b", re.IGNORECASE)),
    ("growth", re.compile(r"\bgrow\w*|µ|μ|\bmu\b|\bbiomass\b|\bwild[ -]type\b",
                          re.IGNORECASE)),
    ("flux", re.compile(r"\bflux\w*|\bcarr(?:y|ies)\b|\buptakes?\b|\bsecret\w*|\bproduc\w*|"
                        r"\bthrough\b", re.IGNORECASE)),
    ("count", re.compile(r"\bnumber of\b|\bhow many\b|\bcount\b", re.IGNORECASE)),
]
_RANGE_BRACKET = re.compile(r"^\[\s*$")
_BOUNDARY = re.compile(r"[;\n]|\.\s|[!?]\s")
#: Between a number and its rounded restatement: "0.873922 1/h (≈ 0.8739".
_ROUNDED = re.compile(r"\s*(?:1\s*/\s*h|h-1|mmol/gDW/h|%|min|h)?\s*[(,]?\s*"
                      r"(?:≈|~|about|approx\.?|approximately|rounded|i\.e\.)\s*")
_PARENS = re.compile(r"\([^()]*\)")
_TOKEN = re.compile(r"[A-Za-z0-9_]+")
#: "Parsimonious FBA of e_coli_core": an id used as the name of a method (FBA is a reaction).
_METHOD_AFTER = re.compile(r"\s+(?:of|solution|results?|analysis|status)\b", re.IGNORECASE)
_METHOD_BEFORE = re.compile(r"(?:parsimonious|loopless)\s+$", re.IGNORECASE)
#: A score named right before a number ("accuracy 0.762"): not a flux of an earlier id.
_METRIC_BEFORE = re.compile(r"\b(?:accuracy|mcc|precision|recall|sensitivity|specificity|f1|"
                            r"pearson|spearman|correlation|r²|r2|r)\s*(?:=|:|of)?\s*$",
                            re.IGNORECASE)
WINDOW = 120
#: A keyword types a number at most this many characters after it (asides not counted).
NEAR = 40


def _clause_starts(text: str) -> list[int]:
    """Where each sentence part starts (after ``;``, a new line or a sentence's end)."""
    return [0, *(m.end() for m in _BOUNDARY.finditer(text))]


def _clause_before(text: str, pos: int, starts: list[int], after: int) -> tuple[str, str]:
    """The sentence part before ``pos`` and after position ``after`` (the previous number:
    a label binds to the first number after it), closed asides blanked, at most WINDOW
    characters (runs of space counted once); and the whole sentence part."""
    start = max(starts[bisect.bisect_right(starts, pos) - 1], 0)
    whole = text[start:pos]
    bare = _without_asides(whole)
    if after > start:
        bare = " " * (after - start) + bare[after - start:]
    if len(" ".join(bare.split())) > WINDOW:
        bare = bare[-WINDOW:]
    return bare, whole


def _without_asides(part: str) -> str:
    """``part`` with closed parenthesized groups blanked (same length)."""
    while True:
        new = _PARENS.sub(lambda m: " " * len(m.group(0)), part)
        if new == part:
            return part
        part = new


def _reaction_before(part: str, ids: frozenset[str],
                     names: Mapping[str, str]) -> tuple[str, int] | None:
    """The last reaction id (or name) in ``part`` and its end position."""
    best: tuple[str, int] | None = None
    for m in _TOKEN.finditer(part):
        if re.search(r"\w-$", part[:m.start()]):
            continue  # "phosphate" of "glycerol 3-phosphate": part of a longer name
        if m.group(0) in ids and not _METHOD_AFTER.match(part, m.end()) \
                and not _METHOD_BEFORE.search(part, 0, m.start()):
            best = (m.group(0), m.end())
    low = part.lower()
    for name, rid in names.items():
        i = low.rfind(name)
        if i >= 0 and (best is None or i + len(name) > best[1]):
            end = i + len(name)
            if (i == 0 or not (low[i - 1].isalnum() or re.search(r"\w-$", low[:i]))) and (
                    end == len(low) or not low[end].isalnum()):
                best = (rid, end)
    return best


def _singular(noun: str) -> str:
    noun = noun.lower()
    if noun.endswith("ies"):
        return noun[:-3]
    return noun[:-1] if noun.endswith("s") and len(noun) > 3 else noun


def _gap(part: str, end: int) -> int:
    """Characters between ``end`` and the end of ``part``, runs of space counted once."""
    return len(" ".join(part[end:].split()))


def _keyword_before(part: str) -> tuple[str, int] | None:
    best: tuple[str, int] | None = None
    for kind, pattern in _KEYWORDS:
        for m in pattern.finditer(part):
            if best is None or m.end() > best[1]:
                best = (kind, m.end())
    return best


_PAIR_BRACKET = re.compile(r"\s*,\s*")
_PAIR_TO = re.compile(r"\s*(?:to|–|—|\.\.)\s*")
_PAIR_AND = re.compile(r"\s*and\s*")
_PAIR_MINMAX = re.compile(r"\s*(?:mmol/gDW/h)?\s*(?:,|and|;)?\s*max(?:imum)?\s*[:=]?\s*",
                          re.IGNORECASE)


def _is_range(text: str, a: Number, b: Number) -> bool:
    """``[a, b]``, ``a to b``, ``between a and b`` or ``min a, max b``."""
    between = text[a.end:b.start]
    before = text[max(0, a.start - 12):a.start]
    return bool(
        (_PAIR_BRACKET.fullmatch(between) and before.rstrip().endswith("[")
         and text[b.end:b.end + 2].lstrip().startswith("]"))
        or _PAIR_TO.fullmatch(between)
        or (_PAIR_AND.fullmatch(between) and re.search(r"between\s*$", before))
        or (_PAIR_MINMAX.fullmatch(between)
            and re.search(r"min(?:imum)?\s*[:=]?\s*$", before, re.IGNORECASE)))


def _ranges(text: str, nums: list[Number]) -> dict[int, int]:
    """Pairs of numbers written as a range: index of the first -> index of the second."""
    pairs: dict[int, int] = {}
    for i in range(len(nums) - 1):
        if i not in pairs.values() and _is_range(text, nums[i], nums[i + 1]):
            pairs[i] = i + 1
    return pairs


def extract_claims(text: str, ids: frozenset[str] = frozenset(),
                   names: Mapping[str, str] | None = None) -> list[Claim]:
    """Every number of ``text`` as a typed claim; ``ids``/``names``: reactions of the thread
    (a name maps, lower-case, to its id)."""
    text = text[:MAX_TEXT_CHARS]
    names = names or {}
    nums = numbers_in(text)
    pairs = _ranges(text, nums)
    seconds = set(pairs.values())
    starts = _clause_starts(text)
    out: list[Claim] = []
    for i, n in enumerate(nums):
        if i in seconds:
            continue
        bare, whole = _clause_before(text, n.start, starts, nums[i - 1].end if i else 0)
        hit = None if _METRIC_BEFORE.search(bare) else _reaction_before(bare, ids, names)
        reaction = hit[0] if hit else None
        if i in pairs:
            out.append(Claim(n, "range", reaction=reaction, upper=nums[pairs[i]]))
            continue
        if out and i and out[-1].number is nums[i - 1] and out[-1].kind != "range" \
                and _ROUNDED.fullmatch(text, nums[i - 1].end, n.start):
            # "0.873922 1/h (≈ 0.8739)": the rounded restatement is the same quantity
            out.append(dataclasses.replace(out[-1], number=n))
            continue
        after = text[n.end:n.end + 60]
        if n.percent:
            m = _CHANGE_AFTER.match(text, n.end, n.end + 30) or _CHANGE_BEFORE.search(bare)
            change = next((k for k in ("down", "up", "any") if m and m.group(k)), "")
            out.append(Claim(n, "percent", change=change))
            continue
        counted = _COUNT.match(after) or _ESSENTIAL.match(after) if n.integer else None
        if counted:
            words = counted.group(0).split() if counted.re is _COUNT else [counted.group(1)]
            out.append(Claim(n, "count", noun=" ".join(
                _singular(w) for w in words if len(w) >= 4 or w is words[-1])))
            continue
        if _GROWTH_UNIT.match(after):
            out.append(Claim(n, "growth"))
            continue
        if _YIELD_UNIT.match(after):
            out.append(Claim(n, "yield"))
            continue
        if _COEFFICIENT.match(after):  # "adp_c + 4.0 h_e + pi_c": a stoichiometric coefficient
            out.append(Claim(n, "untyped"))
            continue
        kw = _keyword_before(bare)
        unit = _TIME_UNIT.match(after)
        if unit and re.search(r"doubl", whole + text[n.end:n.end + 40], re.IGNORECASE):
            out.append(Claim(n, "doubling_time",
                             unit="min" if unit.group("u").lower().startswith("m") else "h"))
            continue
        if _FLUX_UNIT.match(after):
            if kw and kw[0] == "yield" and not hit:
                out.append(Claim(n, "yield"))
            else:
                out.append(Claim(n, "flux", reaction=reaction))
            continue
        if hit and (kw is None or hit[1] >= kw[1]) and _gap(bare, hit[1]) <= 2 * NEAR:
            out.append(Claim(n, "flux", reaction=reaction))
        elif kw is not None and kw[0] != "doubling_time" and _gap(bare, kw[1]) <= NEAR:
            out.append(Claim(n, kw[0], reaction=reaction if kw[0] == "flux" else None))
        else:
            out.append(Claim(n, "untyped"))
    return out
