"""Relative changes of a limit: "double the glucose uptake", "the ATP maintenance demand is
halved", "raise oxygen by 50%", "a 3-fold higher NGAM", "glucose at a third of its default".

The question gives no new value, only a factor on the model's own limit, so the factor itself
is the condition (``Conditions.factors``); the tool multiplies the limit as the model has it.
An explicit value ("double the glucose uptake to 20") is an uptake limit instead, read before
this module and so excluded through the spans it used.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fluxagent.llm.offline.quantities import NUM

_WORD = {"doubl": 2.0, "twice": 2.0, "tripl": 3.0, "three times": 3.0, "quadrupl": 4.0,
         "halv": 0.5, "half": 0.5, "cut in half": 0.5}
_VERB = r"(doubl\w*|tripl\w*|quadrupl\w*|halv\w*)"
_ATPM = (r"atp\s*maintenance|maintenance\s+(?:atp|energy)|non-?growth[- ]associated\s+"
         r"(?:atp\s+)?maintenance|ngam|atpm")
_TARGET = rf"({_ATPM}|[a-z0-9α][\w'+-]*(?:\s(?:\d+-)?[a-z][\w-]*)?)"
_AFTER = (r"(?:\s+(?:uptake|supply|intake|consumption|feed|availability|requirement|demand|"
          r"cost|flux|rate|bound|limit)s?)*")
_UP = r"increas\w*|rais\w*|boost\w*|elevat\w*|enlarg\w*"
_DOWN = r"reduc\w*|decreas\w*|lower\w*|cut\w*|drop\w*|restrict\w*|limit\w*"
_PATTERNS = [
    # "double the glucose uptake", "halving ATPM"
    rf"\b{_VERB}\s+(?:the\s+|its\s+)?(?:max(?:imum)?\s+)?{_TARGET}{_AFTER}",
    # "the ATP maintenance requirement is doubled", "oxygen uptake halved"
    rf"\b{_TARGET}{_AFTER}\s+(?:is\s+|was\s+|gets\s+|being\s+|were\s+)?"
    r"(doubled|tripled|quadrupled|halved|cut\s+in\s+half)\b",
    # "twice the glucose uptake", "half the oxygen"
    rf"\b(twice|three\s+times|half)\s+(?:the\s+|as\s+much\s+)?(?:default\s+|normal\s+|usual\s+)?"
    rf"{_TARGET}{_AFTER}",
]
_PERCENT = [
    # "raise the oxygen uptake by 50%", "reduce ATPM by 20 percent"
    rf"\b({_UP}|{_DOWN})\s+(?:the\s+)?{_TARGET}{_AFTER}\s+by\s+{NUM}\s*(?:%|percent)",
    # "glucose uptake increased by 50%"
    rf"\b{_TARGET}{_AFTER}\s+(?:is\s+|was\s+)?({_UP}|{_DOWN})\s+by\s+{NUM}\s*(?:%|percent)",
]
_NOUN_UP = r"increase|rise|raise|boost|elevation|higher"
_NOUN_DOWN = r"reduction|decrease|drop|cut|lower|decline"
#: "a 50% increase in glucose uptake", "a 4-fold reduction of ATPM": (number, noun, target)
_CHANGE_NOUN = [
    rf"\b{NUM}\s*(?:%|percent)\s+({_NOUN_UP}|{_NOUN_DOWN})\s+(?:in|of)\s+(?:the\s+)?"
    rf"{_TARGET}{_AFTER}",
    rf"\b{NUM}\s*-?\s*(?:fold|x|times)\s+({_NOUN_UP}|{_NOUN_DOWN})\s+(?:in|of)\s+(?:the\s+)?"
    rf"{_TARGET}{_AFTER}",
]
#: A share of the model's own limit: "to a third of its default", "at 50% of the usual value".
_PART = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
         "a quarter": 0.25, "one quarter": 0.25, "a fourth": 0.25, "a fifth": 0.2,
         "one fifth": 0.2, "a tenth": 0.1, "one tenth": 0.1, "two thirds": 2 / 3,
         "three quarters": 0.75}
_SHARE = rf"({'|'.join(sorted(_PART, key=len, reverse=True))}|{NUM}\s*(?:%|percent))"
_BASE = (r"(?:of\s+)?(?:(?:its|the|their)\s+)?(?:default|normal|usual|original|standard|"
         r"current|wild[- ]type|baseline|nominal)(?:\s+(?:value|level|limit|uptake|rate|bound|"
         r"setting|one))?\b")
_SET = rf"(?:{_UP}|{_DOWN}|set\w*|put|bring\w*|brought|scal\w*|chang\w*|adjust\w*)"
_SHARES = [
    # "drop the glucose uptake to a third of its default", "cut oxygen to 50% of normal"
    rf"\b{_SET}\s+(?:the\s+|its\s+)?(?:max(?:imum)?\s+)?{_TARGET}{_AFTER}\s+(?:down\s+|up\s+)?"
    rf"(?:to|at)\s+{_SHARE}\s+{_BASE}",
    # "glucose uptake at half its default", "oxygen reduced to 25% of the usual value"
    rf"\b{_TARGET}{_AFTER}\s+(?:is\s+|was\s+)?(?:{_SET}\s+)?(?:down\s+|up\s+)?(?:to|at)\s+"
    rf"{_SHARE}\s+{_BASE}",
    # "with 20% less oxygen", "30 percent more glucose uptake"
    rf"\b{NUM}\s*(?:%|percent)\s+(more|less|higher|lower)\s+{_TARGET}{_AFTER}",
]
_FOLD = [
    # "a 3-fold higher glucose uptake", "2x more oxygen"
    rf"\b{NUM}\s*-?\s*(?:fold|x|times)\s+(?:higher\s+|more\s+|greater\s+|larger\s+|"
    rf"increased\s+)?{_TARGET}{_AFTER}",
    # "glucose uptake increased 3-fold"
    rf"\b{_TARGET}{_AFTER}\s+(?:is\s+|was\s+)?(?:{_UP})\s+(?:by\s+)?{NUM}\s*-?\s*(?:fold|x|times)\b",
]


def factors(low: str, spans: list[tuple[int, int]], target_of: Callable[[str], str | None]
            ) -> list[tuple[str, float]]:
    """(target, factor) for every relative change; ``target_of(phrase)`` names the nutrient
    or reaction a phrase means (None: not one, so the match is not a change). The spans of
    what is used are appended to ``spans``."""
    found: list[tuple[str, float]] = []

    def add(m: re.Match[str], phrase: str, factor: float) -> None:
        if any(a < m.end() and m.start() < b for a, b in spans) or factor == 1.0 or \
                re.match(rf"\s+(?:to|down\s+to|up\s+to)\s+{NUM}", low[m.end():]):
            return  # "halved to 5": the new value is stated, it is an uptake limit
        phrase = re.sub(r"^(?:the|its|a|an)\s+", "", phrase.strip())
        name = "ATPM" if re.fullmatch(rf"(?:{_ATPM})(?:\s+\w+)?", phrase) else target_of(phrase)
        if name is not None and name not in dict(found):
            found.append((name, factor))
            spans.append((m.start(), m.end()))

    for i, p in enumerate(_PATTERNS):
        for m in re.finditer(p, low):
            word, phrase = (m.group(2), m.group(1)) if i == 1 else (m.group(1), m.group(2))
            key = next(k for k in _WORD if word.startswith(k.split()[0]))
            add(m, phrase, _WORD[key])
    for i, p in enumerate(_PERCENT):
        for m in re.finditer(p, low):
            verb, phrase = (m.group(1), m.group(2)) if i == 0 else (m.group(2), m.group(1))
            pct = float(m.group(3)) / 100.0
            add(m, phrase, 1 + pct if re.match(_UP, verb) else max(0.0, 1 - pct))
    for i, p in enumerate(_CHANGE_NOUN):
        for m in re.finditer(p, low):
            n, up = float(m.group(1)), re.fullmatch(_NOUN_UP, m.group(2)) is not None
            if i == 0:
                add(m, m.group(3), 1 + n / 100 if up else max(0.0, 1 - n / 100))
            elif n > 0:
                add(m, m.group(3), n if up else 1 / n)
    for i, p in enumerate(_SHARES):
        for m in re.finditer(p, low):
            if i == 2:
                pct = float(m.group(1)) / 100.0
                add(m, m.group(3), 1 + pct if m.group(2) in ("more", "higher") else
                    max(0.0, 1 - pct))
                continue
            phrase, share = m.group(1), m.group(2)
            add(m, phrase, _PART[share] if share in _PART else
                float(re.match(NUM, share).group(1)) / 100.0)  # type: ignore[union-attr]
    for i, p in enumerate(_FOLD):
        for m in re.finditer(p, low):
            fold, phrase = (m.group(1), m.group(2)) if i == 0 else (m.group(2), m.group(1))
            add(m, phrase, float(fold))
    return found
