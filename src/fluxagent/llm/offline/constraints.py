"""Conditions beyond carbon source and oxygen: uptakes of any nutrient, co-feeding, sole
nitrogen/phosphorus/sulfur sources, reaction bounds (ATP maintenance included), objectives,
and the derived quantities a question asks for (doubling time, percent change, the best of a
list).

Each pattern reads the shape of a phrase ("<nutrient> uptake capped at N", "with ATPM at N",
"maximise <reaction>"), never a whole known question. What a pattern consumes is what the
interpretation uses; ``account`` lists everything else as not understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fluxagent.llm.offline import lexicon as lx
from fluxagent.llm.offline.factors import factors

NUM = r"(\d+(?:\.\d+)?(?:e-?\d+)?|\.\d+)"
_RATE = (r"(?:\s*mmol(?:\s*/\s*gdw\s*/\s*h(?:r|our)?|\s+per\s+gdw\s+per\s+h\w*|/gdw/h)?|"
         r"\s+units?)?")  # "at most 2.5 units of ammonium": the flux unit
_NUTRIENT = r"([a-z0-9α][\w'+-]*(?:\s(?:\d+-)?[a-z][\w-]*)?)"
#: A removed nutrient's name never runs on into the next clause ("minus glucose plus fructose").
_REMOVED_NUTRIENT = (r"([a-z0-9α][\w'+-]*(?:\s(?!(?:plus|and|or|but|with|then|at|to)\b)"
                     r"(?:\d+-)?[a-z][\w-]*)?)")
#: The element each default inorganic source supplies, and that source's BiGG metabolite.
ELEMENT_SOURCE = {"nitrogen": "ammonium", "phosphorus": "phosphate", "sulfur": "sulfate",
                  "sulphur": "sulfate"}

_LIMIT_VERB = (r"(?:limit\w*|restrict\w*|cap|capp\w*|constrain\w*|set|fix\w*|reduc\w*|lower\w*|"
               r"clamp\w*|bound\w*|rais\w*|increas\w*|boost\w*|decreas\w*|drop\w*|chang\w*|"
               r"doubl\w*|tripl\w*|halv\w*|put|brought|bring\w*|push\w*|cut\w*|adjust\w*|"
               r"goes|go|going|gone|went|fall\w*|fell|mov\w*|shift\w*|held|hold\w*|kept|pinn\w*|"
               r"throttl\w*|tighten\w*|clip\w*|dial\w*\s+(?:down|up)|turn\w*\s+(?:down|up))")
_TO = r"(?:to|at|of|=|<=|≤|below|under|at most|to at most|to a maximum of|max(?:imum)?(?: of)?)"
#: "let phosphate in at no more than 0.3", "oxygen can enter at 12.5 at most"
_LET_IN = r"(?:let|lets|letting|allow|allows|allowing)\s+"
_MAY_ENTER = (r"(?:can|may|could|is\s+allowed\s+to|is\s+able\s+to)\s+(?:enter|come\s+in|flow\s+in|"
              r"be\s+taken\s+up|be\s+consumed)\s+")
_AT_MOST = (r"(?:at\s+)?(?:no\s+more\s+than\s+|at\s+most\s+|up\s+to\s+|a\s+maximum\s+of\s+|"
            r"≤\s*|<=\s*)?")
_UPTAKE = r"(?:uptake|consumption|supply|intake|feed|import|availability)(?:\s+rate)?(?:\s+flux)?"
#: A model named in a clause ("... source of iJO1366 (uptake 5)").
_MODEL_WORD = (r"(?:i[a-z]{1,4}\d{3,4}[a-z]?|e_coli_core|salmonella|stm|lt2|core(?:\s+model)?|"
               r"[\w-]+\s+model)")
#: "raised from the default to 30", "lowered from 10 to 2": the old value is not the new one.
_FROM_OLD = (r"from\s+(?:the\s+|its\s+)?(?:default|current|original|usual|\d+(?:\.\d+)?)"
             r"(?:\s+value)?\s+(?:(?:down|up)\s+)?")  # "from 18.5 (down) to 6": the old value
_FROM = rf"(?:{_FROM_OLD})?"


@dataclass(frozen=True)
class Constraints:
    """What the patterns below found, with the spans of the text they used."""

    uptakes: tuple[tuple[str, float], ...] = ()     # nutrient mention -> max uptake
    medium: tuple[tuple[str, float], ...] = ()      # the whole medium, when one is given
    cofeed: tuple[str, ...] = ()                    # carbon sources fed together
    sole_element: tuple[tuple[str, str], ...] = ()  # ("nitrogen", "glutamine")
    bounds: tuple[tuple[str, float | None, float | None], ...] = ()  # reaction, lower, upper
    factors: tuple[tuple[str, float], ...] = ()     # "double the glucose uptake": (name, 2)
    objective: str | None = None                    # "maximise <reaction>"
    direction: str = "max"
    doubling: str | None = None                     # "min", "h" or "any"
    percent_change: bool = False
    percent_of: bool = False
    mass_yield: bool = False
    best: str | None = None                         # "max" or "min" over a comparison
    spans: tuple[tuple[int, int], ...] = ()


#: BiGG ids that are also English words ("oxygen can enter at 12"): never a nutrient phrase.
ENGLISH_IDS = frozenset({"enter", "airs", "damp", "dump", "imp", "cyan"})


def metabolite_at(low: str, phrase: str) -> str | None:
    """The metabolite a captured phrase names: both words, the last one or the first."""
    words = [w for w in phrase.strip(" ,").split() if w not in lx.FILLER and w not in ENGLISH_IDS]
    for cand in (" ".join(words), words[-1] if words else "", words[0] if words else ""):
        spaced = re.sub(r"-(?=\d)", " ", cand)  # "glycerol-3-phosphate"
        if spaced != cand and lx.is_metabolite(spaced):
            return spaced
        if cand and (lx.is_metabolite(cand) or (
                " " in cand and lx.is_metabolite(re.sub(r"^(?:sn|l|d|r|s)-", "", cand)))):
            return cand  # "sn-glycerol 3-phosphate" names glycerol 3-phosphate
    return None


#: "set the medium to exactly: glucose 8, ammonium 10, ..., and water, CO2 at 1000": a whole
#: medium, every other uptake closed.
_MEDIUM_LEAD = re.compile(
    r"\bmedium\s+(?:to|as|=|is)\s+(?:exactly|only|just)\b(?:\s+(?:this|these|the\s+following))?"
    r"(?:\s+and\s+nothing\s+else)?\s*:?\s*|"
    r"\bmedium\s+(?:of|with|containing|consisting\s+of|made\s+(?:up\s+)?of|composed\s+of)\s+"
    r"(?:only|exactly|just)\b\s*:?\s*|\b(?:only|exactly)\s+these\s+(?:uptakes|nutrients)\s*:\s*|"
    r"\bmedium\s*(?:to|=)?\s*:\s*(?=[a-z0-9α][\w'+-]*\s+\d)|\bmedium\s*=\s*\{\s*")
#: Medium components the metabolite lexicon does not list.
_MEDIUM_NAMES = {"water": "water", "h2o": "water", "protons": "proton", "proton": "proton",
                 "h+": "proton", "hydrogen ions": "proton", "oxygen": "oxygen", "o2": "oxygen"}


def _medium(raw: str, low: str, spans: list[tuple[int, int]]) -> list[tuple[str, float]]:
    """The whole medium a question gives: each component with its uptake; names listed
    before a value share it ("water, protons, CO2 at 1000"); exchange ids as written
    (``medium = {EX_fru_e: 7, ...}``, cobrapy's ``model.medium``)."""
    lead = _MEDIUM_LEAD.search(low)
    if lead is None:
        return []
    at = lead.end()
    again = re.match(r"(?:(?:model\.)?medium\s*=\s*)?\{\s*", low[at:])  # "to exactly medium = {"
    at += again.end() if again else 0
    end = re.search(r"[.?!;}](?:\s|$)|\}|\s+-+\s+|\s*:\s(?!\s*\d)", low[at:])
    body = low[at:at + end.start() if end else len(low)]
    body = re.sub(r"\(\s*(?:all|each|both)?\s*(?:in\s+)?mmol[^)]*\)", " ", body)
    body = re.sub(r"\((?:so|i\.e\.|ie|that\s+is|meaning)\b[^)]*\)", " ", body)  # "(so no CO2)"
    out: list[tuple[str, float]] = []
    pending: list[str] = []
    for item in re.split(r"\s*(?:,|;|\band\b)\s*|\s+\+\s+", body):
        m = re.fullmatch(rf"(?:and\s+)?(.+?)(?:\s*(?:at|=|:|up\s+to|\()\s*|\s+){NUM}\s*\)?"
                         rf"(?:{_RATE})?\s*(?:each)?", item.strip())
        name = (m.group(1) if m else item).strip(" ()'\"")
        start = low.find(name, at)
        at = max(at, start)
        exchange = raw[start:start + len(name)] if start >= 0 and re.fullmatch(
            r"ex_\w+", name) else None  # "EX_fru_e: 7": the id as written
        met = exchange or _MEDIUM_NAMES.get(name) or metabolite_at(low, name)
        if met is None:
            if name:
                return []  # not a list of nutrients: leave the text to the other patterns
            continue
        pending.append(met)
        if m:
            out.extend((p, float(m.group(2))) for p in pending)
            pending = []
    out.extend((p, 1000.0) for p in pending)  # "..., water and protons": open, as in cobrapy
    if len(out) < 2:
        return []
    spans.append((lead.start(), lead.end() + len(body)))
    return out


def _uptakes(low: str, spans: list[tuple[int, int]]) -> list[tuple[str, float]]:
    pats = [
        rf"\b{_NUTRIENT}\s+{_UPTAKE}(?:\s+(?:limit|bound|cap))?(?:\s+(?:of|in|for)\b(?:\s+the)?)?"
        rf"\s*(?:(?:can|must|should|will|may)\s+)?(?:(?:is|was|be|were|are)\s+)?(?:{_LIMIT_VERB}\s*)?"
        rf"{_FROM}(?:{_TO}\s*)?(?:-\s*)?{NUM}",  # "uptake bound at -6.5": an uptake of 6.5
        rf"\b{_LIMIT_VERB}\s+(?:the\s+)?(?:maximum\s+|max\s+)?{_NUTRIENT}\s*(?:{_UPTAKE})?"
        rf"(?:\s+(?:limit|bound|cap))?(?:\s+(?:of|in|for)\b(?:\s+the)?)?\s+{_FROM}(?:to|at|by)\s+"
        rf"(?:at most\s+)?{NUM}",
        rf"\b{_NUTRIENT}\s+(?:is\s+|was\s+|were\s+|are\s+)?(?:{_LIMIT_VERB})\s+"
        # "O2 lowered from 18.5 to 6": the old value said, the new one applied
        rf"(?:{_FROM_OLD}(?:mmol\S*\s+)?)?(?:to|at)\s+(?:at most\s+)?{NUM}",
        rf"\b{_LET_IN}(?:the\s+)?{_NUTRIENT}\s+(?:in|enter|into\s+the\s+cells?)\s+{_AT_MOST}{NUM}",
        rf"\b{_NUTRIENT}\s+{_MAY_ENTER}{_AT_MOST}{NUM}",
        rf"{NUM}{_RATE}\s+(?:of\s+)?{_NUTRIENT}(?=\s+(?:uptake|per|as|and|on|to|in|with|too|"
        rf"into|plus|for|together|instead|at\s+most|max\w*|is\s+available|available|\+|\(|,|\.|"
        rf"\?|$)|[,.?+(]|$)",
        # ^ "5 glucose + 5 acetate", "0.5 units of phosphate at most"
        rf"\b{_NUTRIENT}\s+(?:at|of)\s+{NUM}{_RATE}(?=\s*(?:uptake|each|,|\.|\?|$|and|as|-))",
    ]
    pats += [
        # "glucose (10)", "L-alanine (max 5 mmol/gDW/h)", "taurine (up to 1)"
        rf"\b{_NUTRIENT}(?:\s+instead)?\s*\(\s*(?:the\s+)?(?:same\s+)?(?:max(?:imum)?\s*|up to\s+|"
        rf"at most\s+|≤\s*|<=\s*|=\s*)?{NUM}"
        rf"{_RATE}\s*(?:each\s*)?\)",
        # "glucose 4 + pyruvate 4", "galactose 5 and arabinose 5 mmol/gDW/h"
        rf"\b{_NUTRIENT}\s+(?:max(?:imum)?\s+|up to\s+|at\s+)?{NUM}{_RATE}"
        rf"(?=\s*(?:\+|and\b|plus\b|,|\)|$|as\b|each\b|mmol|co-?feed|[.?:;](?!\d)|-\s|"
        rf"\((?:both|each|all)\b|\(\s*mmol))",
        rf"\b(?:allow\w*|take\s+up|feed\w*|add\w*|supply\w*)\s+(?:the\s+)?{_NUTRIENT}"
        rf"(?:\s*\(\s*ex_\w+\s*\))?(?:\s+(?:as\s+well|too|also))?\s*,?\s+"  # "take up nitrate
        # (EX_no3_e) at up to 10", "take up D-galactose as well (≤ 3)", "take up acetate, up to 5"
        rf"(?:\(?\s*(?:at\s+up\s+to|up to|at most|at|max(?:imum)?|≤|<=)\s*){NUM}",
        rf"\b{_NUTRIENT}\s+(?:is\s+)?allowed\s+(?:at|up to)\s+{NUM}",
        # "grown on pyruvate only, 12 mmol/gDW/h max"
        rf"\b{_NUTRIENT}\s+only(?:\s+(?:minimal\s+)?medium)?\s*[,;:-]?\s*(?:at\s+|max(?:imum)?\s+|"
        rf"up\s+to\s+)?{NUM}{_RATE}"
        rf"(?=\s*(?:max(?:imum)?\b|at\s+most\b|[,;:.?)]|-\s|$))",
        # "taurine provided at only 0.05", "thiosulfate supplied at 1 mmol/gDW/h"
        rf"\b{_NUTRIENT}\s+(?:is\s+|being\s+)?(?:provided|supplied|given|offered|fed|made\s+"
        rf"available)\s+(?:at|with)\s+(?:only\s+|just\s+|a\s+(?:rate|maximum)\s+of\s+)?{NUM}",
        # "if oxygen uptake can't exceed 6", "ammonium must not go above 2"
        rf"\b{_NUTRIENT}\s+(?:{_UPTAKE}\s+)?(?:can(?:not|'t)|may\s+not|must\s+not|mustn't|"
        rf"should\s+not|shouldn't|won't|will\s+not|does\s+not|doesn't)\s+(?:exceed|go\s+(?:above|"
        rf"beyond|over|past)|be\s+(?:more|higher|greater)\s+than|top)\s+{NUM}",
        # "glucose exchange lower bound of -4": a negative exchange bound is an uptake
        rf"\b{_NUTRIENT}(?:\s+exchange(?:\s+reaction)?(?:'s)?)?(?:\s+(?:of|in)\b(?:\s+\S+)?)?"
        rf"(?:\s+(?:gets|has|is\s+given|receives))?\s+(?:a\s+|its\s+)?(?:lower\s+)?bound\s+"
        rf"(?:of\s+|at\s+|to\s+|=\s*|is\s+)?-\s*{NUM}",
        rf"\b{_NUTRIENT}\s+(?:at|of)\s+(?:its|the)\s+(?:usual|default|normal|standard)\s+"
        rf"(?:{_UPTAKE}\s+(?:of\s+)?)?{NUM}",  # "glucose at its usual 10"
        # "O2 at most 12", "ammonium no more than 2", "phosphate <= 0.5"
        rf"\b{_NUTRIENT}\s+(?:{_UPTAKE}\s+)?(?:of\s+)?(?:at\s+most|no\s+more\s+than|<=|≤|"
        rf"up\s+to|not\s+above|not\s+exceeding)\s+{NUM}",
    ]
    found: list[tuple[str, float]] = []
    for p in pats:
        for m in re.finditer(p, low):
            groups = [g for g in m.groups() if g is not None]
            num_first = re.fullmatch(NUM, groups[0]) is not None
            value, phrase = (groups[0], groups[1]) if num_first else (groups[-1], groups[0])
            met = metabolite_at(low, phrase)
            if re.match(r"\s*(?:%|percent|(?:g|grams?|mg|mm|µm|um|m)(?:\b|/))", low[m.end():]):
                continue  # "O2 uptake at 99 % of the optimum": a fraction, not a rate
            if met is None or any(a < m.end() and m.start() < b for a, b in spans) or \
                    re.match(r"(?:mm|µm|um|nm|m|g/l|mg/l|mg|g|%)\b", phrase):
                continue  # a concentration, not an uptake rate
            fold = re.search(r"\b(halve|halv\w*)\b", m.group(0)) and not re.search(
                r"\b(?:to|at|=)\s*-?\s*[\d.]+\s*$", m.group(0))  # "halved to 5" is 5
            found.append((met, float(value) / (2 if fold else 1)))
            spans.append((m.start(), m.end()))
    # "set glucose to 20 and oxygen to 1000", "limit glucose to 5, ammonium to 2 and O2 to 8":
    # one verb for a list of nutrients, each with its own value
    for verb in re.finditer(rf"\b{_LIMIT_VERB}\s", low):
        sentence = re.split(r"[.;?!](?:\s|$)", low[verb.end():])[0]
        for m in re.finditer(rf"(?:,|\band\b)\s*(?:the\s+)?{_NUTRIENT}(?:\s+{_UPTAKE})?\s+"
                             rf"(?:to|at)\s+{NUM}(?!\s*(?:%|percent))", sentence):
            a, b = verb.end() + m.start(), verb.end() + m.end()
            word = m.group(1).strip()
            met = word if word in ("oxygen", "o2") else metabolite_at(low, word)
            if met is None or any(x < b and a < y for x, y in spans):
                continue
            found.append((met, float(m.group(2))))
            spans.append((a, b))
    # "both glucose and oxygen uptake are limited to 5", "glucose and ammonium each capped at
    # 3": one value for every nutrient of the list
    for m in re.finditer(rf"\b(?:both\s+)?(?:the\s+)?{_NUTRIENT}\s*(?:,\s*|\s+and\s+|\s*&\s*)"
                         rf"(?:the\s+)?{_NUTRIENT}(?:\s+{_UPTAKE}s?)?\s+(?:are\s+|each\s+|both\s+)*"
                         rf"(?:{_LIMIT_VERB})\s+(?:to|at)\s+(?:at\s+most\s+)?{NUM}"
                         rf"(?!\s*(?:%|percent))(?:\s+each)?", low):
        if any(a <= m.start(1) < b for a, b in spans):
            continue  # the first one is already read ("limit glucose to 5 and O2 to 8")
        said = [re.sub(rf"\s+{_UPTAKE}$", "", w.strip()) for w in (m.group(1), m.group(2))]
        mets = [w if w in ("oxygen", "o2") else metabolite_at(low, w) for w in said]
        if all(mets):  # the second may have been read alone ("ammonium each capped at 3")
            found.extend((x, float(m.group(3))) for x in mets
                         if x is not None and x not in dict(found))
            spans.append((m.start(), m.end()))
    # "take both iron exchanges (Fe2+ and Fe3+) out of the medium": each one listed is removed
    for m in re.finditer(r"\b(?:take|took|taking|leave|leaving|remove|removing|drop|dropping|"
                         r"close|closing)\s+(?:the\s+|both\s+|all\s+|its\s+)*(?:[\w+-]+\s+){0,3}?"
                         r"(?:exchanges?|sources?|uptakes?)(?=\s*\()", low):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        listed, end = _listed_after(low, m.end())
        if listed:
            found.extend((x, 0.0) for x in listed if x not in dict(found))
            tail = re.match(r"\s*(?:out|away)(?:\s+of\s+(?:the\s+)?medium)?", low[end:])
            spans.append((m.start(), end + (tail.end() if tail else 0)))
    # "unlimited oxygen", "glucose uptake unrestricted": the exchange fully open
    free = r"(?:unlimited|unrestricted|unconstrained|unbounded)"
    for m in [*re.finditer(rf"\b{free}\s+{_NUTRIENT}", low),
              *re.finditer(rf"\b{_REMOVED_NUTRIENT}\s+(?:{_UPTAKE}\s+)?(?:is\s+|left\s+)?{free}\b",
                           low)]:
        word = re.sub(rf"\s+{_UPTAKE}$", "", m.group(1).strip())
        met = word if word in ("oxygen", "o2") else metabolite_at(low, word)
        if met and met not in dict(found) and not any(a < m.end() and m.start() < b
                                                     for a, b in spans):
            found.append((met, 1000.0))
            spans.append((m.start(), m.end()))
    instead = usual_then_only(low)
    if instead is not None:  # "normally gets 5 mmol/gDW/h of glucose. Suppose it only gets 2"
        met, value, taken = instead
        found = [(m, v) for m, v in found if m != met] + [(met, value)]
        spans.extend(taken)
    removed = (rf"\b(?:no|without|minus|remov\w*|exclud\w*|clos\w*|drop|take\s+away|take\s+out|"
               rf"leave\s+out|omit\w*|withhold\w*|lacking|devoid\s+of|deprived\s+of|free\s+of|"
               rf"starved\s+(?:of|for))\s+(?:the\s+|any\s+|both\s+|all\s+|"
               rf"inorganic\s+)?{_REMOVED_NUTRIENT}(?:\s+{_UPTAKE})?"
               rf"\b(?!\s+(?:{_UPTAKE}\s+)?(?:down\s+)?(?:to|by)\b)|"
               rf"\b{_NUTRIENT}(?:\s+exchange)?\s+"
               rf"(?:is\s+|was\s+|are\s+|were\s+|gets\s+|got\s+|being\s+|ha(?:s|ve)\s+been\s+)?"
               rf"(?:all\s+|both\s+)?(?:{lx.OFF}|out|shut)\b|"
               rf"\b(?:take|leave|keep)\s+(?:the\s+|all\s+)?{_NUTRIENT}\s+(?:out|away)\b|"
               rf"\b([a-z0-9][\w+]*)[- ]free\b(?!\s+(?:of|to|from|energy)\b)")  # "phosphate-free"
    for m in re.finditer(removed, low):
        phrase = m.group(1) or m.group(2) or m.group(3) or m.group(4)
        met = metabolite_at(low, phrase)
        pathway = r"\b(?:shunt|pathway|cycle|bypass|route|branch)\b"
        if re.search(r"\w+ase\b", low[m.start():m.end() + 12]) or re.match(
                rf"\s*{pathway}", low[m.end():]) or re.search(pathway, phrase or ""):
            continue  # "without ATP synthase", "removing the glyoxylate shunt": no nutrient
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        if m.group(4) and re.search(r"\b(?:default|standard|usual|normal)\s*[(,]?\s*$",
                                    low[max(0, m.start() - 20):m.start()]):
            spans.append((m.start(), m.end()))  # "the default (serine-free) medium": as it is
            continue
        capped = re.match(rf"\s*\(\s*(?:max(?:imum)?\s*|up\s+to\s+|at\s+most\s+|≤\s*)?{NUM}"
                          rf"\s*(?:mmol\S*\s*)?(?:max(?:imum)?|at\s+most)?\s*\)", low[m.end():])
        if met and capped and met not in dict(found):  # "starved of phosphate (0.1 max)"
            found.append((met, float(capped.group(1))))
            spans.append((m.start(), m.end() + capped.end()))
            continue
        listed, end = _listed_after(low, m.end()) if m.group(1) else ([], m.end())
        lead = re.match(r"(?:and|or|&)\s+", m.group(2) or "")  # "phosphate [and oxygen] are ..."
        before, begin = _listed_before(low, m.start(2) + (lead.end() if lead else 0)) \
            if m.group(2) else ([], m.start())
        for each in before + ([met] if met else []) + listed:
            if each not in ("oxygen", "o2") and each not in dict(found):
                found.append((each, 0.0))
        if met or listed:
            spans.append((begin, end))
    return found


def _listed_before(low: str, at: int) -> tuple[list[str], int]:
    """The nutrients listed before one said to be removed ("both phosphate and oxygen are
    withheld"), and where the list starts."""
    m = re.search(r"(?:\bboth\s+|\ball\s+of\s+)?((?:[a-z0-9α][\w'+-]*\s*,\s*)*[a-z0-9α][\w'+-]*)"
                  r"\s*,?\s+(?:and|&|as\s+well\s+as)\s+$", low[:at])
    if m is None:
        return [], at
    mets = [metabolite_at(low, x) for x in re.split(r"\s*,\s*", m.group(1))]
    if not all(mets):
        return [], at
    return [x for x in mets if x], m.start()


def usual_then_only(low: str) -> tuple[str, float, list[tuple[int, int]]] | None:
    """(nutrient, new uptake, spans) of "X normally gets 5 mmol/gDW/h of glucose. Suppose it
    only gets 2": the usual rate is the old value, the one it "only gets" the condition."""
    usual = re.search(rf"\b(?:normally|usually|typically|by\s+default)\s+(?:gets|receives|takes\s+"
                      rf"up|has|uses|consumes)\s+{NUM}(?:\s*mmol\S*)?\s+(?:of\s+)?{_NUTRIENT}", low)
    met = metabolite_at(low, usual.group(2)) if usual else None
    if usual is None or met is None:
        # "the salmonella medium allows 18.5 O2; squeeze that down to 6"
        told = re.search(rf"\b(?:allows?|has|gets|uses|offers|provides|is\s+at)\s+{NUM}"
                         rf"(?:\s*mmol\S*)?\s+(?:of\s+)?(o2|oxygen|{_NUTRIENT[1:]}", low)
        named = told.group(2) if told else None
        if told is None:  # "its default glucose limit is 5", "ships with O2 limited to 18.5"
            told = re.search(rf"\b(?:default|shipped|usual|normal|current)\s+(o2|oxygen|"
                             rf"{_NUTRIENT[1:]}\s+(?:uptake\s+)?(?:limit|bound|cap|uptake)\s+"
                             rf"(?:is|of|=|at)\s+{NUM}|\b(?:ships|comes|shipped|came)\s+with\s+"
                             rf"(?:the\s+)?(o2|oxygen|{_NUTRIENT[1:]}\s+(?:uptake\s+)?(?:limited|"
                             rf"capped|set|bounded)\s+(?:to|at)\s+{NUM}", low)
            named = (told.group(1) or told.group(3)) if told else None
        met = (named if named in ("o2", "oxygen") else
               metabolite_at(low, named) if named else None)
        then = re.match(rf"[^.?!]{{0,40}}?[;,.]\s*(?:now\s+|then\s+|and\s+)?(?:squeez|lower|reduc|"
                        rf"rais|bump|drop|cut|increas|decreas|set|chang|bring|push|tighten|"
                        rf"loosen|relax|dial)\w*\s+(?:it|that|this)\s+(?:down\s+|up\s+)?(?:to|at)\s+"
                        rf"{NUM}", low[told.end():]) if told and met else None
        if told is None or then is None or met is None:
            return None
        return ("oxygen" if met == "o2" else met), float(then.group(1)), [
            (told.start(), told.end()), (told.end(), told.end() + then.end())]
    only = re.search(rf"\b(?:it|they|the\s+cells?|the\s+model|\w+)\s+(?:only|just|merely)\s+"
                     rf"(?:gets|receives|takes\s+up|has|uses)\s+{NUM}\b(?!\s*(?:mmol\S*\s+)?of\b)",
                     low[usual.end():])
    if only is None:
        return None
    return met, float(only.group(1)), [(usual.start(), usual.end()),
                                       (usual.end() + only.start(), usual.end() + only.end())]


def _listed_after(low: str, at: int) -> tuple[list[str], int]:
    """The nutrients listed on after a removed one ("no ammonium, sulfate or phosphate"), or
    in parentheses after a group name ("both iron sources (Fe2+ and Fe3+)"), and where the
    list ends."""
    out: list[str] = []
    paren = re.match(r"(?:\s+sources?)?\s*\(([^)]{1,80})\)", low[at:])
    if paren:
        items = re.split(r"\s*(?:,|\band\b|\bor\b|&|/|\s\+\s)\s*", paren.group(1))
        mets = [metabolite_at(low, x) for x in items if x.strip()]
        if mets and all(mets):
            return [m for m in mets if m], at + paren.end()
    pending: list[str] = []  # "A, B": B counts only if the list goes on "... and/or C"
    end = at
    while True:
        more = re.match(r"\s*(,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*|/\s*|nor\s+)"
                        r"(?:the\s+)?(?!but\b|except\b|only\b|plus\b|yet\b|instead\b|rather\b|"
                        r"though\b|however\b|on\b|in\b|with\b|at\b|to\b|for\b|under\b|from\b|"
                        r"into\b|grow\w*)([a-z0-9α][\w'+-]*(?:\s(?!and\b|or\b|nor\b|as\b)(?:\d+-)?"
                        r"[a-z][\w-]*)?)(?!\s+as\b)", low[at:])  # "..., glycerol as sole C"
        met = metabolite_at(low, more.group(2)) if more else None
        if more is None or met is None:
            return out, end
        at += more.end()
        if more.group(1).strip() == ",":
            pending.append(met)
        else:
            out += [*pending, met]
            pending, end = [], at


def _stated_rate(phrase: str, met: str, uptakes: list[tuple[str, float]]) -> None:
    """The uptake written in a parenthesis of ``phrase`` ("(uptake 2 mmol/gDW/h)")."""
    m = re.search(rf"\(\s*(?:uptake\s+(?:of\s+|at\s+|=\s*)?|max(?:imum)?\s+|up to\s+)?{NUM}",
                  phrase)
    if m and met not in dict(uptakes):
        uptakes.append((met, float(m.group(1))))


_SHORT_ELEMENT = {"n": "nitrogen", "p": "phosphorus", "s": "sulfur"}


def _sole_element(low: str, spans: list[tuple[int, int]],
                  uptakes: list[tuple[str, float]]) -> list[tuple[str, str]]:
    """'glutamine as the sole nitrogen source' (an uptake stated right after it is kept)."""
    out: list[tuple[str, str]] = []
    replaced: list[tuple[int, int]] = []
    for m in re.finditer(  # "thiosulfate (1 mmol/gDW/h) replacing sulfate as the S source"
            rf"\b{_NUTRIENT}(?:\s*\([^)]*\))?\s+(?:replacing|instead\s+of|in\s+place\s+of)\s+"
            rf"{_NUTRIENT}\s+as\s+(?:the\s+|its\s+)?(?:sole\s+|only\s+)?(nitrogen|phosphorus|"
            r"sulfur|sulphur|n|p|s)\s+source", low):
        met = metabolite_at(low, m.group(1))
        if met:
            element = {"n": "nitrogen", "p": "phosphorus", "s": "sulfur"}.get(m.group(3),
                                                                              m.group(3))
            _stated_rate(m.group(0), met, uptakes)
            out.append((element, met))
            spans.append((m.start(), m.end()))
            replaced.append((m.start(), m.end()))
    # "L-serine 5 mmol/gDW/h as ...", "sn-glycerol 3-phosphate (glyc3p) at 2 mmol/gDW/h as ...",
    # "... available at 2 as the P source"
    rate = (rf"(?:\s*\([^)]*\))?(?:\s+(?:is\s+)?(?:available|provided|supplied|given|"
            rf"offered|fed))?(?:\s+(?:at\s+)?{NUM}{_RATE})?")
    for m in re.finditer(  # "replace phosphate by glycerol-3-phosphate (uptake 2) as the P source"
            rf"\b(?:replac|swap|exchang|substitut|switch)\w*\s+(?:the\s+)?{_NUTRIENT}\s+(?:by|with|for)\s+"
            rf"{_NUTRIENT}(\s*\([^)]*\))?\s+"
            r"as\s+(?:the\s+|its\s+)?(?:sole\s+|only\s+|new\s+)?(nitrogen|phosphorus|sulfur|"
            r"sulphur|n|p|s)\s+source", low):
        met = metabolite_at(low, m.group(2))
        if met:
            out.append((_SHORT_ELEMENT.get(m.group(4), m.group(4)), met))
            after = re.match(r"\s*\([^)]*\)", low[m.end():])
            _stated_rate(m.group(3) or (after.group(0) if after else ""), met, uptakes)
            spans.append((m.start(), m.end() + (after.end() if after else 0)))
            replaced.append((m.start(), m.end()))
    # "with ammonium replaced by L-glutamine (uptake 4)", "replace sulfate with taurine": the
    # default source names the element
    default_of = {"ammonium": "nitrogen", "nh4": "nitrogen", "phosphate": "phosphorus",
                  "pi": "phosphorus", "sulfate": "sulfur", "sulphate": "sulfur", "so4": "sulfur"}
    for m in re.finditer(r"\b(?:(ammonium|nh4|phosphate|pi|sulfate|sulphate|so4)\s+"
                         r"(?:is\s+|being\s+)?(?:replaced|swapped|substituted|exchanged)\s+(?:by|with|for)|"
                         r"(?:replac|swap|substitut)\w*\s+(?:the\s+)?(ammonium|nh4|phosphate|pi|"
                         rf"sulfate|sulphate|so4)\s+(?:by|with|for))\s+{_NUTRIENT}", low):
        met = metabolite_at(low, m.group(3))
        if met and met not in default_of and met not in dict(out).values():
            out.append((default_of[m.group(1) or m.group(2)], met))
            after = re.match(r"\s*\([^)]*\)", low[m.end():])
            _stated_rate(after.group(0) if after else "", met, uptakes)
            spans.append((m.start(), m.end() + (after.end() if after else 0)))
            replaced.append((m.start(), m.end()))
    pats = [rf"\b{_NUTRIENT}{rate}\s+(?:as|is)\s+(?:the\s+|its\s+)?"
            r"(?:sole|only|single)\s+(nitrogen|phosphorus|sulfur|sulphur|n|p|s)\s+source",
            r"\b(?:sole|only|single)\s+(nitrogen|phosphorus|sulfur|sulphur|n|p|s)\s+source\s+"
            rf"(?:is\s+|being\s+|of\s+)?{_NUTRIENT}",
            rf"\b{_NUTRIENT}{rate}\s+(?:as|is)\s+(?:the\s+|its\s+|a\s+)?"
            r"(nitrogen|phosphorus|sulfur|sulphur|n|p|s)\s+source",
            # "make L-glutamine the sole nitrogen source", "use taurine as the only S source"
            rf"\b(?:make|makes|making|use|uses|using|provide|give)\s+{_NUTRIENT}{rate}\s+(?:the|its|"
            r"a|as\s+(?:the|its|a))\s+(?:sole\s+|only\s+|single\s+)?(nitrogen|phosphorus|sulfur|"
            r"sulphur|n|p|s)\s+source",
            # "nitrogen from L-glutamate only": element first, like the second pattern
            # "nitrogen coming only from X", "phosphorus supplied solely by Y"
            r"\b(nitrogen|phosphorus|sulfur|sulphur)\s+(?:(?:is|being)\s+)?(?:only\s+|solely\s+|"
            r"exclusively\s+)?(?:(?:comes?|coming|supplied|provided|derived|obtained)\s+)?"
            r"(?:only\s+|solely\s+|exclusively\s+)?(?:from|by|via)\s+"
            rf"(?:the\s+)?{_NUTRIENT}"]
    short = {"n": "nitrogen", "p": "phosphorus", "s": "sulfur"}
    for i, p in enumerate(pats):
        for m in re.finditer(p, low):
            if any(a < m.end() and m.start() < b for a, b in replaced):
                continue
            phrase, element = (m.group(2), m.group(1)) if i in (1, 4) else \
                (m.group(1), m.group(3)) if i != 3 else (m.group(1), m.group(m.lastindex or 3))
            met = metabolite_at(low, phrase)
            element = short.get(element, element)
            if met and lx.canonical(met) == lx.canonical(ELEMENT_SOURCE[element]):
                continue  # "nitrogen source when NH4 is taken away": the default, not the new
            if met:
                out.append((element, met))
                spans.append((m.start(), m.end()))
                inside = (re.search(rf"(?:\bat\s+|\)\s*|^\S+\s+){NUM}{_RATE}\s+(?:as|is)\b",
                                    m.group(0)) or re.search(
                    rf"\(\s*(?:uptake\s+(?:of\s+|at\s+|=\s*)?|max(?:imum)?\s+|up to\s+|at\s+)?"
                    rf"{NUM}", m.group(0))) if i in (0, 2, 3) else None
                if inside and met not in dict(uptakes):  # the rate written before "as"
                    uptakes.append((met, float(inside.group(1))))
                    continue
                after = re.match(  # "..., max 5", "for the core model (uptake 5)", "instead
                    # of ammonium (5 mmol/gDW/h)", ", 5 mmol/gDW/h": the new source's rate
                    r"(?:\s+(?:instead\s+of|in\s+place\s+of|replacing)\s+([\w+-]+)(?:\s+ions?)?)?"
                    rf"(?:\s+only)?(?:\s+(?:for|in|of)\s+(?:the\s+)?(?:{_MODEL_WORD})?)?"
                    rf"(?:\s*[,(]?\s*(?:at\s+)?"
                    rf"(?:max(?:imum)?|up to|at most|uptake(?:\s+(?:of|at|=))?|at)\s*"
                    rf"(?:only\s+|just\s+|a\s+mere\s+)?{NUM}{_RATE}"
                    rf"\s*\)?|\s*\(\s*{NUM}{_RATE}\s*(?:uptake|max(?:imum)?)?\s*(?:\)|[,;])"
                    rf"|\s*,\s*{NUM}\s*mmol[\w/ -]*?(?=[,;.)]|$))", low[m.end():])
                if after:
                    uptakes.append((met, float(next(g for g in after.groups()[1:] if g))))
                    spans.append((m.end(), m.end() + after.end()))
                    old = metabolite_at(low, after.group(1)) if after.group(1) else None
                    if old:  # the rate read as the replaced source's: it is the new one's
                        uptakes[:] = [(u, v) for u, v in uptakes if u != old]
    it = re.search(rf"(?<![\w.]){NUM}\s*(?:mmol\S*\s*)?of\s+it\b", low)
    if it and out and out[-1][1] not in dict(uptakes):  # "..., 0.02 mmol/gDW/h of it"
        uptakes.append((out[-1][1], float(it.group(1))))
        spans.append((it.start(), it.end()))
    return out


def _cofeed(low: str, spans: list[tuple[int, int]]) -> list[str]:
    """'feed glycerol and succinate together', 'co-feeding X with Y', 'a mix of X and Y'."""
    pats = [r"\b(?:co-?feed\w*|co-?fed|co-?utiliz\w*|(?:mix(?:ture)?|blend)\s+of|together\s+with|"
            r"combined\s+with|simultaneously|at the same time|both)\b",
            r"\btogether\b", r"\bplus\b", r"\bas well as\b"]
    if not re.search(r"\b(?:which|compar\w*|vs\.?|versus|or|better|best|faster|slower|"
                     r"separately|individually|alone|one\s+at\s+a\s+time|each\s+(?:alone|one))\b",
                     low):  # "galactose and fructose at 3 mmol/gDW/h each": both, together
        pats.append(r"\band\s+[\w-]+(?:\s+[\w-]+)?\s+(?:at|of|with)\s+[\d.]+\s*(?:mmol\S*\s*)?"
                    r"each\b")
    if not any(re.search(p, low) for p in pats):
        return []
    if re.search(r"\bor\b", low) and re.search(r"\bboth\b", low) and not any(
            re.search(p, re.sub(r"\bboth\b", "", low)) for p in pats):
        return []  # "growth on succinate or on malate (both 10)": alternatives, one rate each
    from fluxagent.llm.offline.mentions import NON_CARBON, word_metabolites
    mets = [met for _, met in word_metabolites(low) if met not in NON_CARBON]
    mets = list(dict.fromkeys(mets))
    if len(mets) < 2:
        return []
    for p in pats:
        for m in re.finditer(p, low):
            spans.append((m.start(), m.end()))
    return mets


def _chained_bounds(raw: str, spans: list[tuple[int, int]],
                    out: list[tuple[str, float | None, float | None]]) -> None:
    """'-3 <= EX_o2_e <= 0', 'clamp EX_o2_e to -3 <= v <= 0', '0 ≤ v(PGI) ≤ 5': both bounds."""
    le = r"\s*(?:<=|≤|=<|<)\s*"
    for m in re.finditer(rf"(?<![\w.])(-?{NUM[1:]}{le}(?:v\s*\(\s*)?([A-Za-z][A-Za-z0-9_]*)\s*\)?"
                         rf"{le}(-?{NUM[1:]}", raw):
        name, start = m.group(2), m.start()
        if name.lower() in ("v", "flux", "x", "j"):  # the id named just before: "EX_o2_e to"
            window = max(0, start - 60)
            before = re.search(r"\b([A-Za-z][A-Za-z0-9_]*)(?:'s)?(?:\s+(?:flux|bounds?))?\s*"
                               r"(?:(?:to|at|as|so\s+that|such\s+that|with)\s*)?[:,]?\s*$",
                               raw[window:start])
            if before is None:
                continue
            name, start = before.group(1), window + before.start()
        lo, hi = float(m.group(1)), float(m.group(3))
        if lx.reaction_like(name) and lo <= hi and \
                not any(a < m.end() and start < b for a, b in spans):
            out.append((name, lo, hi))
            spans.append((start, m.end()))


def _bounds(raw: str, low: str, spans: list[tuple[int, int]]
            ) -> list[tuple[str, float | None, float | None]]:
    out: list[tuple[str, float | None, float | None]] = []
    atpm = (r"(?:atpm|atp\s+maintenance(?:\s+(?:demand|requirement|flux|reaction))?|"
            r"non-?growth[- ]associated\s+maintenance(?:\s+\(?ngam\)?)?|ngam|maintenance(?:\s+"
            r"(?:atp|energy|demand|requirement))?)")
    for m in re.finditer(rf"\b{atpm}\s*(?:\(atpm\)\s*)?(?:[^.?!\d]{{0,30}}?\bfrom\s+\d+(?:\.\d+)?"
                         rf"(?:\s*mmol\S*)?\s+to\b|[^.?!\d]{{0,30}}?\b(?:is|was|were|be|"
                         rf"set|fixed|raised|increased|lowered|changed|to|at|of|bound)\b|\s*=)?\s*"
                         rf"(?:at least\s+)?{NUM}", low):
        if re.match(r"\s*(?:mmol\S*\s*)?(?:by\s+default|as\s+(?:the\s+)?default|default|"
                    r"currently|normally|usually)\b", low[m.end():]):
            spans.append((m.start(), m.end()))  # "ATP maintenance is 8.39 by default": old
            new = re.search(rf"\b(?:set|fix|change|rais|lower|increas|decreas|put|pin|hold|clamp|"
                            rf"force|constrain)\w*\s+it\s+"
                            rf"(?:to|at)\s+{NUM}", low[m.end():])
            if new:  # "...; set it to 4 (fixed)"
                out.append(("ATPM", float(new.group(1)), float(new.group(1))))
                spans.append((m.end() + new.start(), m.end() + new.end()))
            continue
        named = re.match(rf"\b{atpm}", m.group(0))
        if re.search(r"\b(?:growth|floor|biomass|objective|mu)\b",
                     m.group(0)[named.end() if named else 0:]):
            continue  # "max ATPM at a growth floor of 0.6": the floor's number
        atp, said = float(m.group(1)), low[max(0, m.start() - 20):m.end()]
        out.append(("ATPM", None, atp) if "upper bound" in said else
                   ("ATPM", atp, None) if "at least" in said or "lower bound" in said else
                   ("ATPM", atp, atp))
        spans.append((m.start(), m.end()))
    for m in re.finditer(rf"\b(?:set|fix|force|constrain|clamp|raise|increase|lower)\w*\s+"
                         rf"(?:the\s+)?{atpm}\s+(?:flux\s+)?(?:to|at)\s+{NUM}", low):
        if not any(a <= m.start() < b for a, b in spans):
            out.append(("ATPM", float(m.group(1)), float(m.group(1))))
            spans.append((m.start(), m.end()))
    # "zero both bounds of RPI", "zero out the flux through PGI": the reaction blocked
    for m in re.finditer(r"\b(?:zero(?:es|ed|ing)?|(?<![.\d])0)(?:\s+out)?\s+"
                         r"(?:both\s+|the\s+|all\s+)*(?:of\s+)?"
                         r"(?:(?:its|the)\s+)?(?:bounds|flux|fluxes)\s+(?:of|on|for|through)\s+"
                         r"(?:the\s+)?(?:reaction\s+)?([A-Za-z][A-Za-z0-9_]*)", raw, re.IGNORECASE):
        if lx.reaction_like(m.group(1)) and not any(a <= m.start() < b for a, b in spans):
            out.append((m.group(1), 0.0, 0.0))
            spans.append((m.start(), m.end()))
    # "the same ATPM lower bound iJO1366 uses (3.15 mmol/gDW/h)": the value in parentheses
    for m in re.finditer(rf"\b{atpm}\s+(lower|upper)\s+bound\b[^.?!\d()]{{0,40}}\(\s*{NUM}"
                         rf"(?:\s*mmol\S*)?\s*\)", low):
        if not any(a <= m.start() < b for a, b in spans):
            lb = float(m.group(2))
            out.append(("ATPM", lb, None) if m.group(1) == "lower" else ("ATPM", None, lb))
            spans.append((m.start(), m.end()))
    # "force 5 units through the ATP maintenance reaction", "require at least 3 mmol in ATPM"
    for m in re.finditer(rf"\b(?:forc|requir|push|send|rout|driv)\w*\s+(?:a\s+)?(?:flux\s+of\s+)?"
                         rf"(at\s+least\s+)?{NUM}\s*(?:units?\s+|mmol\S*\s+)?(?:(?:of\s+)?flux\s+)?"
                         rf"(?:through|in|via|into)\s+(?:the\s+)?{atpm}", low):
        if not any(a <= m.start() < b for a, b in spans):
            atp = float(m.group(2))
            out.append(("ATPM", atp, None if m.group(1) else atp))
            spans.append((m.start(), m.end()))
    rid = r"([A-Za-z][A-Za-z0-9_]*\d*[A-Za-z0-9_]*)"
    _chained_bounds(raw, spans, out)
    pats: list[tuple[str, str]] = [
        # "set the bounds of PGI in iJO1366 to zero": both bounds at that value
        (rf"\b(?:set|fix|put|chang|clamp|force)\w*\s+(?:the\s+|both\s+)?bounds\s+of\s+{rid}"
         rf"(?:\s+in\b(?:\s+(?:the\s+)?{_MODEL_WORD})?)?\s+(?:to|at|=)\s+(-?{NUM[1:]}"
         r"(?!\s*[,\]])", "fix"),
        (rf"\b(?:fix|set|force|clamp|constrain)\w*\s+(?:the\s+)?(?:flux\s+(?:through|of)\s+)?"
         rf"(?:(?:the\s+)?(?!(?:lower|upper|bounds?|min(?:imum)?|max(?:imum)?)\b)[a-z]+\s+){{0,3}}?\(?{rid}\)?(?:\s+flux)?\s+"
         rf"(?:to|at)\s+(-?{NUM[1:]}", "fix"),
        (rf"\b(?:the\s+)?lower\s+bound\s+of\s+{rid}\s+(?:to|at|=|is)\s+(-?{NUM[1:]}", "lower"),
        # "set fumarase (FUM) bounds to zero": both bounds of the reaction named
        (rf"\b(?:set|fix|put|chang|clamp|force|pin)\w*\s+(?:the\s+)?(?:[a-z-]+\s+){{0,3}}?\(?{rid}\)?"
         rf"(?:'s)?\s+(?:both\s+)?bounds\s+(?:to|at|=)\s+(-?{NUM[1:]}", "fix"),
        # "block PGI (set its bounds to zero)": "its" is the reaction just named
        (rf"\b{rid}\s*[(,:-]?\s*(?:i\.e\.\s*|that\s+is\s*,?\s*)?(?:set|fix|put|clamp)\w*\s+its\s+"
         rf"(?:both\s+)?bounds\s+(?:to|at|=)\s+(-?{NUM[1:]}", "fix"),
        # "EX_glc__D_e lb=-6", "Biomass_Ecoli_core lb = 0.2", "PGI.upper_bound = 3"
        (rf"\b{rid}(?:\.|\s+)(?:lb|lower_bound)\s*(?:=|:)\s*(-?{NUM[1:]}", "lower"),
        (rf"\b{rid}(?:\.|\s+)(?:ub|upper_bound)\s*(?:=|:)\s*(-?{NUM[1:]}", "upper"),
        # "reduce the maximum of PGI to 2", "the minimum flux of PFK at 1"
        (rf"\b(?:the\s+)?(?:maximum|max|upper\s+limit|ceiling)\s+(?:flux\s+)?(?:of|on|for)\s+"
         rf"(?:the\s+)?{rid}(?:\s+flux)?\s+(?:to|at|=|is)\s+(-?{NUM[1:]}", "upper"),
        (rf"\b(?:the\s+)?(?:minimum|min|lower\s+limit)\s+(?:flux\s+)?(?:of|on|for)\s+"
         rf"(?:the\s+)?{rid}(?:\s+flux)?\s+(?:to|at|=|is)\s+(-?{NUM[1:]}", "lower"),
        (rf"\b(?:cap|limit|restrict|constrain|bound)\w*\s+(?:the\s+)?(?:flux\s+(?:through|of)\s+)?"
         rf"(?:[a-z]+\s+){{0,3}}?\(?{rid}\)?(?:\s+reaction)?(?:\s+flux)?\s+(?:to|at)\s+"
         rf"(?:at most\s+)?(-?{NUM[1:]}", "upper"),
        (rf"\b(?:constrain|bound|limit|restrict|keep|hold|clamp|fix|set)\w*\s+(?:the\s+)?(?:flux\s+"
         rf"(?:through|of)\s+)?{rid}(?:\s+flux)?\s+(?:between|within|in(?:\s+the\s+range)?)\s+"
         rf"\[?\s*(-?{NUM[1:]}\s*(?:and|,|to|-)\s*(-?{NUM[1:]}", "range"),
        # "EX_glc__D_e bounds (-4, 1000)", "set the bounds of PGI to [0, 5]"
        # "EX_glc__D_e bounds (-4, 1000)", "set the bounds of PGI to [0, 5]", "EX_o2_e is
        # constrained to [-5, 0]"
        (rf"\b(?:{rid}(?:'s)?(?:\s+(?:bounds|flux|range))?|bounds\s+of\s+{rid})\s*"
         rf"(?:(?:is|are)\s+)?(?:(?:constrained|bounded|set|fixed|limited|restricted|kept|held|"
         rf"clamped)\s+)?(?:=|to|at|of|are|as|in|within)?\s*"
         rf"[\[(]\s*(-?{NUM[1:]}\s*,\s*(-?{NUM[1:]}\s*[\])]", "pair"),
        (rf"\b{rid}(?:'s)?\s+upper\s+bound\s*(?:of\s+|to\s+|at\s+|=\s*|is\s+)?(-?{NUM[1:]}",
         "upper"),
        (rf"\b{rid}(?:'s)?\s+lower\s+bound\s*(?:of\s+|to\s+|at\s+|=\s*|is\s+)?(-?{NUM[1:]}",
         "lower"),
        (rf"\b(?:the\s+)?upper\s+bound\s+of\s+{rid}\s+(?:to|at|=|is)\s+(-?{NUM[1:]}", "upper"),
        # "cap PGI at an upper bound of 2", "set PFK to a lower bound of 1"
        (rf"\b(?:cap|limit|restrict|constrain|set|put|give)\w*\s+(?:the\s+)?{rid}(?:\s+reaction)?"
         rf"\s+(?:at|to|with)\s+(?:an?\s+|its\s+)?upper\s+bound\s+(?:of\s+)?(-?{NUM[1:]}", "upper"),
        (rf"\b(?:cap|limit|restrict|constrain|set|put|give)\w*\s+(?:the\s+)?{rid}(?:\s+reaction)?"
         rf"\s+(?:at|to|with)\s+(?:an?\s+|its\s+)?lower\s+bound\s+(?:of\s+)?(-?{NUM[1:]}", "lower"),
        (rf"\b{rid}\s+(?:flux\s+)?(?:of\s+)?(?:at\s+least|>=|≥|no less than)\s+(-?{NUM[1:]}",
         "lower"),
        (rf"\b{rid}\s+(?:flux\s+)?(?:of\s+)?(?:at\s+most|<=|≤|no more than)\s+(-?{NUM[1:]}",
         "upper"),
        (rf"\b(?:force|require|forcing|requiring)\w*\s+(?:a\s+)?(?:flux\s+)?(?:of\s+)?"
         rf"(?:at least\s+)?(-?{NUM[1:]}\s+(?:mmol\S*\s+|units?\s+)?(?:through|in|via)\s+{rid}",
         "lower_rev"),
        # "with PFK capped at 3 and PGI capped at 2", "PDH flux limited to 5"
        (rf"\b{rid}(?:'s)?(?:\s+(?:reaction|flux)){{0,2}}\s+(?:is\s+|was\s+|being\s+|gets\s+|be\s+)?"
         rf"(?:capped|limited|restricted|constrained|bounded)\s+(?:to|at)\s+(?:at\s+most\s+)?"
         rf"(-?{NUM[1:]}(?!\s*(?:%|percent))", "upper"),
        # "when the PDH flux is fixed at 3", "with PFK flux set to 2", "PGI held at 4"
        (rf"\b{rid}(?:'s)?(?:\s+(?:reaction|flux)){{0,2}}\s+(?:is\s+|was\s+|being\s+|gets\s+|be\s+)?"
         rf"(?:fixed|set|clamped|pinned|held|forced|locked)\s+(?:to|at)\s+(-?{NUM[1:]}"
         rf"(?!\s*(?:%|percent))", "fix"),
    ]
    for p, how in pats:
        for m in re.finditer(p, raw, re.IGNORECASE):
            if any(a < m.end() and m.start() < b for a, b in spans):
                continue
            if how == "pair":  # the id is in one of two groups; the bounds as written
                r = m.group(1) or m.group(2)
                if lx.reaction_like(r) and float(m.group(3)) <= float(m.group(4)):
                    out.append((r, float(m.group(3)), float(m.group(4))))
                    spans.append((m.start(), m.end()))
                continue
            r, v = (m.group(2), m.group(1)) if how == "lower_rev" else (m.group(1), m.group(2))
            if not lx.reaction_like(r) or r.lower() in ("atpm", "growth", "biomass", "flux"):
                continue
            if how == "upper" and (lx.is_metabolite(r.lower()) or r.lower() in ("o2", "co2")):
                continue  # "O2 at most 12": an uptake limit on a nutrient, not a bound
            if how == "upper" and r.lower().startswith("ex_") and float(v) < 0:
                how, v = "uptake", str(-float(v))  # "cap EX_glc__D_e at -3.5": lower bound
            if how == "upper" and r.lower().startswith("ex_") and float(v) > 0 and not re.search(
                    r"secret|export|excret|produc|releas|outflow|efflux|upper",
                    low[max(0, m.start() - 30):m.end() + 30]):
                how = "uptake"  # "cap EX_o2_e at 8 (uptake)": the exchange's lower bound -8
            if how == "range":
                lo_, hi_ = sorted((float(m.group(2)), float(m.group(3))))
                out.append((r, lo_, hi_))
                spans.append((m.start(), m.end()))
                continue
            value = float(v)
            lo, hi = {"fix": (value, value), "lower": (value, None), "upper": (None, value),
                      "lower_rev": (value, None), "uptake": (-value, None)}[how]
            out.append((r, lo, hi))
            spans.append((m.start(), m.end()))
            end = m.end()
            while how in ("fix", "upper", "lower"):  # "set EX_o2_e to -5 and EX_glc__D_e to -8"
                more = re.match(rf"\s*(?:,\s*and|,|and|;)\s+(?:the\s+)?{rid}(?:\s+flux)?\s+"
                                rf"(?:to|at)\s+(-?{NUM[1:]}", raw[end:], re.IGNORECASE)
                if more is None or not lx.reaction_like(more.group(1)) or \
                        lx.is_metabolite(more.group(1).lower()):
                    break
                value = float(more.group(2))
                out.append((more.group(1), *{"fix": (value, value), "lower": (value, None),
                                              "upper": (None, value)}[how]))
                spans.append((end, end + more.end()))
                end += more.end()
    if out:  # "ATPM is fixed at 8.39; open its upper bound to 1000": the reaction just named
        last = out[-1][0]
        for m in re.finditer(rf"\b(?:chang|set|fix|put|mov|make|reset|lower|rais|pin|re-?pin)\w*\s+"
                             rf"it\s+(?:to|at)\s+(-?{NUM[1:]}(?:\s*\(\s*(?:both\s+bounds|lb\s*=\s*ub"
                             rf"\s*=\s*{NUM[1:]}\s*\))?", low):
            if not any(a < m.end() and m.start() < b for a, b in spans):
                out.append((last, float(m.group(1)), float(m.group(1))))  # "change it to 5"
                spans.append((m.start(), m.end()))
        for m in re.finditer(rf"\b(?:its|the)\s+(upper|lower)\s+bound\s+(?:to|at|=|of)\s+"
                             rf"(-?{NUM[1:]}", low):
            if not any(a < m.end() and m.start() < b for a, b in spans):
                v = float(m.group(2))
                out.append((last, None, v) if m.group(1) == "upper" else (last, v, None))
                spans.append((m.start(), m.end()))
    return _merged(out)


def _merged(out: list[tuple[str, float | None, float | None]]
            ) -> list[tuple[str, float | None, float | None]]:
    """One bound per reaction: a later statement sets the side it names ("fixed at 8.39 ...
    open its upper bound to 1000" is [8.39, 1000])."""
    merged: dict[str, tuple[float | None, float | None]] = {}
    for r, lo, hi in out:
        old_lo, old_hi = merged.get(r, (None, None))
        merged[r] = (lo if lo is not None else old_lo, hi if hi is not None else old_hi)
    return [(r, lo, hi) for r, (lo, hi) in merged.items()]


#: Words that end the phrase naming an objective ("maximise X when ...", "... and ...").
_OBJECTIVE_STOP = re.compile(r"\s*(?:[,.;?!]|\b(?:and|when|while|with|if|under|on|without|"
                             r"instead|rather|subject|given|so)\b)", re.IGNORECASE)


def _objective_in(raw: str, start: int, reach: int) -> tuple[str, int] | None:
    """The reaction id a few words after ``start`` ("the ATP maintenance flux (ATPM)", "malic
    enzyme ME1"), and where it ends; a metabolite name that only qualifies the next word
    ("NADH dehydrogenase NADH16pp", "the NAD-dependent malic enzyme (ME1)") is passed over,
    and "growth"/"biomass" end the search."""
    for w in re.finditer(r"[A-Za-z][A-Za-z0-9_]*", raw[start:]):
        word, after = w.group(0), raw[start + w.end():]
        if word.lower() in ("growth", "biomass"):
            named = re.match(r"\s+(?:reaction|function|objective)\s+\(?([A-Za-z][\w]*\d\w*)\)?",
                             after)  # "its biomass reaction bio1": growth, by its id
            return (named.group(1), start + w.end() + named.end()) if named else None
        gloss = re.match(r"\s*\)\s*,\s*[A-Z][A-Za-z0-9_]*\d*\b", after) and \
            raw[:start + w.start()].rstrip().endswith("(")  # "malic enzyme (NAD), ME1"
        if lx.reaction_like(word) and word.lower() not in ("atp", "flux") and not gloss and not (
                lx.is_metabolite(word.lower()) and re.match(r"\s+[a-z]", after)) \
                and not re.match(r"-[a-z]", after) \
                and not re.match(r"\s+(?:production|secretion|yield|output|synthesis|"
                                 r"excretion)", after, re.IGNORECASE):
            return word, start + w.end() + (1 if after.startswith(")") else 0)
        reach -= 1
        if reach <= 0 or _OBJECTIVE_STOP.match(after):
            return None
    return None


def _objective(raw: str, low: str, spans: list[tuple[int, int]],
               reactions: list[str]) -> tuple[str | None, str]:
    """The reaction a question makes the objective: "maximise (the flux through) <a few
    words of description> X", "X as (the) objective", "set the objective to <...> X", and
    "optimise for it" when one reaction is named. Every phrase naming it is consumed."""
    found: list[tuple[str, str, int, int]] = []
    for m in re.finditer(r"\b(maximi[sz]\w*|minimi[sz]\w*|optimi[sz]\w*(?:\s+for)?)\s+"
                         r"(?:the\s+)?(?:(flux\s+(?:through|of)\s+(?:the\s+)?)|"
                         r"(?:reaction\s+)?)", raw, re.IGNORECASE):
        direction = "min" if m.group(1).lower().startswith("minimi") else "max"
        if re.match(r"(?:it|that|this)\b", raw[m.end():], re.IGNORECASE) and \
                len(reactions) == 1:  # "the max flux through CS when you optimise for it"
            found.append((reactions[0], direction, m.start(), m.end() + 2))
            continue
        hit = _objective_in(raw, m.end(), 7)
        maintenance = re.match(r"(?:the\s+)?(?:atp\s+maintenance|non-?growth[- ]associated\s+"
                               r"maintenance|ngam)(?:\s+(?:demand|requirement|flux|reaction))?\b",
                               raw[m.end():], re.IGNORECASE)
        if hit is None and maintenance:  # "maximise ATP maintenance instead of biomass"
            hit = ("ATPM", m.end() + maintenance.end())
        if hit is not None:
            found.append((hit[0], direction, m.start(), hit[1]))
    if not re.search(r"%|\bpercent|\boptim(?:um|al)\b|\bfraction\b|\bat\s+least\b|\bwhile\b|"
                     r"\bkeeping\b|\bgrowth\s+(?:of|at|is)\b", raw, re.IGNORECASE):
        for m in re.finditer(r"\bmax(?:imum|imal|imise|imize)?\s+(?:possible\s+)?(?:the\s+)?"
                             r"([A-Za-z][A-Za-z0-9_]*)\s+flux\b", raw, re.IGNORECASE):
            rid = m.group(1)  # "Max ATPM flux on the default medium": ATPM is maximised
            if lx.reaction_like(rid) and not lx.is_metabolite(rid.lower()) and \
                    rid.lower() not in ("growth", "biomass", "total", "the"):
                found.append((rid, "max", m.start(), m.end()))
    if not re.search(r"\b(?:range|variab\w*|fva|min(?:imum)?\s+and\s+max)", raw, re.IGNORECASE):
        for m in re.finditer(r"\bmax(?:imum|imal|imise|imize)?\s+(?:possible\s+)?(?:the\s+)?"
                             r"([A-Z][A-Z0-9_]{2,}[A-Za-z0-9_]*)\b(?!\s+(?:production|secretion|"
                             r"yield|synthesis|uptake|flux))", raw):
            rid = m.group(1)  # "max ATPM at a growth floor of 0.6": ATPM is maximised
            if lx.reaction_like(rid) and not lx.is_metabolite(rid.lower()):
                found.append((rid, "max", m.start(), m.end()))
    for m in re.finditer(r"\b(?:biomass|growth)(?:\s+reaction)?\s*\(\s*([A-Za-z][\w]*\d[\w]*)\s*\)",
                         raw, re.IGNORECASE):  # "produce biomass (bio1)": by its id
        found.append((m.group(1), "max", m.start(), m.end()))
    # "make EX_lac__D_e the objective", "use PGK as the objective"
    for m in re.finditer(r"\b(?:make|making|use|using|take|taking|choose|pick|set|setting)\s+"
                         r"(?:the\s+)?(?:reaction\s+)?([A-Za-z][A-Za-z0-9_]*)(?:\s*\([^()]{1,40}\))?"
                         r"\s+(?:the|as|as\s+the|its)\s+"
                         r"(?:new\s+|sole\s+|only\s+)?objective\b", raw, re.IGNORECASE):
        if lx.reaction_like(m.group(1)) or re.match(r"bio\d", m.group(1)):
            found.append((m.group(1), "max", m.start(), m.end()))
    # "open ATPM's upper bound to 1000 and make it the objective": the reaction just named
    for m in re.finditer(r"\b(?:make|making|use|using|set|setting|take|taking|choose|pick)\s+"
                         r"(?:it|that|this(?:\s+reaction)?)\s+(?:as\s+)?(?:the\s+|its\s+)?"
                         r"(?:new\s+|sole\s+|only\s+)?objective\b", raw, re.IGNORECASE):
        pos, rid = max(((low.rfind(r.lower(), 0, m.start()), r) for r in reactions),
                       default=(-1, ""))
        if pos >= 0 or len(reactions) == 1:
            found.append((rid if pos >= 0 else reactions[0], "max", m.start(), m.end()))
    for m in re.finditer(r"\b([A-Za-z][A-Za-z0-9_]*)\)?\s+as\s+(?:the\s+)?(?:new\s+)?"
                         r"objective\b", raw, re.IGNORECASE):
        if lx.reaction_like(m.group(1)) or re.match(r"bio\d", m.group(1)):
            found.append((m.group(1), "max", m.start(), m.end()))
    for m in re.finditer(r"\b(?:objective|objective function)(?:(?:\s+of\s+(?:the\s+)?(?:\w+\s+)?|"
                         r"\s+)(?:to|is|set to|as|becomes|(?:switched|changed|moved)\s+to)\s+|"
                         r"\s*[=:]\s*)(?:the\s+)?(?:reaction\s+)?", raw, re.IGNORECASE):
        hit = _objective_in(raw, m.end(), 5)
        named = re.match(r"([\w-]+(?:\s[\w-]+)?)\s+(?:exchange|export|secretion|excretion|"
                         r"efflux)(?:\s+(?:reaction|flux))?\b", raw[m.end():], re.IGNORECASE)
        if hit is not None:
            found.append((hit[0], "max", m.start(), hit[1]))
        elif named and metabolite_at(low, named.group(1).lower()):
            # "objective = ethanol exchange": that metabolite's exchange, by name (the tools
            # link "ethanol exchange" to EX_etoh_e in the model at hand)
            met = metabolite_at(low, named.group(1).lower())
            found.append((f"{met} exchange", "max", m.start(), m.end() + named.end()))
        elif said := re.match(r"(?:biomass|growth)\b(?:\s+(?:reaction|production))?",
                              raw[m.end():], re.IGNORECASE):
            spans.append((m.start(), m.end() + said.end()))  # "the objective is biomass"
    if not found:
        return None, "max"
    rid, direction = found[0][:2]
    spans.extend((a, b) for r, _, a, b in found if r.lower() == rid.lower())
    return rid, direction


def extract(raw: str, reactions: list[str] | None = None) -> Constraints:
    """``reactions``: the reaction ids the question names (for \"optimise for it\")."""
    reactions = reactions or []
    raw = re.sub(r"\bzero\b", "0   ", raw, flags=re.IGNORECASE)  # same length: spans hold
    low = raw.lower()
    spans: list[tuple[int, int]] = [
        (m.start(), m.end()) for m in re.finditer(  # "maximise biomass" is growth itself
            r"\b(?:maximi[sz]\w*|optimi[sz]\w*)\s+(?:the\s+)?(?:biomass|growth)\b", low)]
    medium = _medium(raw, low, spans)
    bounds = _bounds(raw, low, spans)
    spans.extend((m.start(), m.end()) for m in re.finditer(  # "(from 18.5)": the old value
        r"\(\s*(?:(?:down|up)\s+)?(?:from|was|default(?:\s+is)?)\s+[\d.]+[^)]{0,20}\)", low))
    uptakes = _uptakes(low, spans)
    sole = _sole_element(low, spans, uptakes)
    relative = factors(low, spans, lambda phrase: "oxygen" if re.match(
        r"(?:oxygen|o2)\b", phrase) else metabolite_at(low, phrase))
    cofeed = _cofeed(low, spans)
    named = list(dict.fromkeys([*reactions, *(r for r, _, _ in bounds)]))
    objective, direction = _objective(raw, low, spans, named)
    doubling = None
    m = re.search(r"\bdoubling[- ]times?\b|\bgeneration times?\b|\bhow long\b[^.?]*\bdoubl\w*"
                  r"|\bt_?d\b(?!\s*=\s*\d)"  # "td on acetate", "t_d in minutes"
                  r"|\b(?:takes?|needs?|requires?)\s+(?:\S+\s+){0,3}to\s+double\b"
                  r"|\bhow\s+(?:many|much)\s+(?:minutes?|mins?|hours?|hrs?|time)\b[^.?]*\bdouble\b"
                  r"|\bdoubl\w+\s+(?:time|every)\b"
                  r"|\bhow\s+(?:fast|quickly|often|soon|rapidly)\b[^.?;]*\bdoubl(?:e|es|ing)\b"
                  r"|\b(?:minutes?|mins?|hours?|hrs?)\s+(?:per|a|each|for\s+(?:a|one|each))\s+"
                  r"(?:generation|doubling|division)\b"
                  r"|\bgen\.?\s+times?\b", low)
    if m:
        spans.append((m.start(), m.end()))
        unit = re.search(r"\b(minutes?|mins?)\b|\b(hours?|hrs?|h)\b", low[m.start():])
        doubling = "min" if unit and unit.group(1) else "h" if unit and unit.group(2) else "any"
        if unit:
            spans.append((m.start() + unit.start(), m.start() + unit.end()))
    pc = re.search(r"\b(?:in|as\s+a)\s+(?:percent(?:age)?|%)|"
                   r"\(\s*(?:in\s+)?(?:%|percent(?:age)?)\s*\)|"
                   r"\bhow\s+much\s+(?:faster|slower|higher|lower|more|less)\b.*\bpercent|"
                   r"\bhow\s+many\s+(?:%|percent)|(?:%|\bpercent)\s+(?:slower|faster|less|more)\b|"
                   r"\bpercent(?:age)?\s+(?:[a-z]+\s+)?(?:change|drop|decrease|reduction|increase|"
                   r"difference|loss)\b|\bby\s+(?:how\s+much|what)\s+(?:percent(?:age)?|%)"
                   r"|\bhow\s+many\s+percent\b|(?<![\d.])\s%\s+(?:change|drop|decrease|reduction|increase|"
                   r"difference|lower|higher)\b|\brelative\s+(?:change|reduction|decrease)\b|"
                   # "how does growth change when ...? percent please"
                   r"\bhow\s+(?:does|much\s+does|would)\s+(?:the\s+)?growth\b[^.?]{0,30}?\bchange\b.{0,100}?"
                   r"(?:\bpercent(?:age)?\b|%)", low)
    if pc:
        spans.append((pc.start(), pc.end()))
    of = re.search(r"\b(?:what|which|how\s+much)\s+(?:percent(?:age)?|%|fraction|share)\s+of\b|"
                   r"(?:percent(?:age)?|%)\s+of\s+(?:the\s+)?(?:wild[- ]?type|wt)(?:'s)?\s+"
                   r"(?:growth\s+)?(?:remains|is\s+left|is\s+retained|is\s+kept)", low)
    if of:
        spans.append((of.start(), of.end()))
    best = None
    b = re.search(r"\b(fastest|highest|best|better|most|largest|greatest|maximum|max|faster|"
                  r"higher|larger|greater|wins?|winners?|more\s+growth|grows?\s+more)\b|"
                  r"\b(slowest|lowest|worst|worse|(?<!at )least|smallest|minimum|slower|lower|"
                  r"smaller|"
                  r"less\s+growth|grows?\s+less)\b", low)
    if b and re.search(r"\bwhich\b|\bwho\b|\bwhat\b.*\b(?:gives?|supports?|allows?)\b|"
                       r"\brank\w*\b|\bbest\b|^\W*(?:is|does|do|would)\b.*\bor\b", low):
        best = "max" if b.group(1) else "min"
    elif re.search(r"\brank\w*\b", low):
        best = "max"
    return Constraints(uptakes=tuple(uptakes), medium=tuple(medium), cofeed=tuple(cofeed),
                       sole_element=tuple(sole),
                       bounds=tuple(bounds), factors=tuple(relative), objective=objective,
                       direction=direction,
                       doubling=doubling, percent_change=bool(pc) and not of,
                       percent_of=bool(of), best=best,
                       mass_yield=bool(re.search(r"\bg\s*/\s*g\b|\bgrams?\s+per\s+gram|\bg\s+per\s+g\b|"
                                                 r"\bgdw\s+per\s+g", low)),
                       spans=tuple(spans))
