"""Metabolites named in a question: every mention, lists of them, the carbon sources and the
product a sentence names, and the exchanges it refers to ("the acetate exchange").

Mentions are in the user's words ("alpha-ketoglutarate", "D-lactate"); the tools link them to
a model's metabolites and reactions.
"""

from __future__ import annotations

import re

from fluxagent.llm.offline import constraints as cx
from fluxagent.llm.offline import lexicon as lx
from fluxagent.llm.offline.text import words

#: Exchanged compounds that are not carbon sources (they never replace glucose).
NON_CARBON = words("""
atp adp nadh nadph oxygen o2 co2 ammonium ammonia nh4 phosphate pi h2o water h2 hydrogen sulfate
so4 iron fe2 fe3 fe2+ fe3+ mg2+ k+ nh4+ na+ ca2+ cl- zn2+ cu2+ mn2+ cobalt2+
potassium sodium calcium magnesium chloride nitrate nitrite no3 no2 thiosulfate sulfite sulfide
h2s selenate selenite molybdate tungstate cobalt zinc copper manganese nickel nitrogen n2
""")

MET = r"([a-z0-9α][\w'+,-]*(?:\s[a-z0-9][\w'+,-]*)?)"


def metabolite(phrase: str) -> str | None:
    """The metabolite a captured phrase starts with (two words if both name it), else None."""
    words = phrase.strip(" ,").split()
    if not words:
        return None
    if len(words) == 2:
        two = " ".join(words)
        for cand in (two, "-".join(words)):
            if cand in lx.metabolite_names():
                return cand
    one = words[0].rstrip(",")
    return one if lx.is_metabolite(one) and one not in cx.ENGLISH_IDS else None


_MET_RE = re.compile(MET)


def word_metabolites(low: str) -> list[tuple[int, str]]:
    """(start, metabolite) for every word of the text that starts a metabolite mention."""
    out: list[tuple[int, str]] = []
    for w in re.finditer(r"(?<![\w'+,-])[a-z0-9α]", low):
        m = _MET_RE.match(low, w.start())
        met = metabolite(m.group(1)) if m else None
        if met:
            out.append((w.start(), met))
    return out


#: A rate written before or after each metabolite of a compared list ("10 of succinate or 10
#: of malate", "succinate at 10 or malate at 8", "fructose (uptake 6) vs glucose (uptake 4)").
_RATE_BEFORE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:mmol\S*\s*)?(?:of\s+)?(?=[a-z])")
_RATE_AFTER = re.compile(r"\s+(?:at|@)\s+(\d+(?:\.\d+)?)(?:\s*mmol\S*)?(?![\d.%])|"
                         r"\s*\(\s*(?:uptake\s+|max(?:imum)?\s+|at\s+)?(\d+(?:\.\d+)?)[^()]*\)")


def metabolites_after(low: str, start: int,
                       rates: dict[str, float] | None = None) -> list[str]:
    """A list of metabolites starting at ``start``: "glucose, succinate and acetate"; with
    ``rates``, a rate written with each one is skipped over and kept there."""
    found: list[str] = []
    pos = start
    while True:
        before = _RATE_BEFORE.match(low, pos) if rates is not None and found else None
        m = re.match(rf"\s*(?:the\s+)?{MET}", low[before.end() if before else pos:])
        if before and m:
            pos = before.end()
        if not m:
            break
        met = metabolite(m.group(1))
        if met is None:
            break
        found.append(met)
        pos += m.start(1) + len(met)
        after = _RATE_AFTER.match(low, pos) if rates is not None else None
        if rates is not None and before:
            rates[met] = float(before.group(1))
        elif rates is not None and after:
            rates[met] = float(after.group(1) or after.group(2))
            pos = after.end()
        sep = re.match(r"\s*(,\s*(and|or)?|\band\b|\bor\b|\bvs\.?|\bversus\b|/|\+|&)\s*",
                       low[pos:])
        if not sep:
            break
        pos += sep.end()
    return found


_CARBON_BEFORE = re.compile(
    r"\b(on|using|with|from|in|fed|feeding|feed|supplied with|given|grown on|switch\w* to|"
    r"(?:give|gives|giving|offer|offering|provide|providing|supply|supplying|feed)\s+(?:it|them|"
    r"the\s+(?:cells?|model|strain))|"
    r"(?:only|sole|single)\s+(?:carbon|c)(?:\s+source)?(?:\s+(?:it|the\s+\w+)\s+(?:gets|has|"
    r"receives|sees|is\s+given|can\s+use))?\s+(?:is|=)|"
    # "Sole carbon source D-lactate, ..."
    r"(?:(?<=[.;:]\s)|^)(?:only|sole|single)\s+(?:carbon|c)\s+source\s*[:,-]?\s*|"
    r"(carbon source|substrate|carbon)(\s+of\s+\S*)?\s+(to|into|by)|"
    r"replac\w* (?:the\s+|its\s+)?glucose (with|by)|glucose\s+(?:is\s+|being\s+)?(?:replaced|"
    r"swapped|substituted|exchanged)\s+(?:by|with|for)|(?:swap|exchang|substitut|switch|trad)\w* "
    r"(?:the\s+|its\s+|their\s+)?glucose (?:out\s+)?(?:for|with|by|to)|"
    r"(?:the\s+|its\s+)?(?:sole\s+|only\s+)?carbon\s+source\s+(?:is|=|being|will\s+be|becomes)|(?:swap|switch|chang|mov|shift)\w*\s+(?:the\s+|its\s+)?(?:carbon\s+"
    r"source\s+|substrate\s+|carbon\s+|feed\s+)?from\s+[\w-]+\s+(?:over\s+)?to)\s+"
    r"(a\s+|an\s+|the\s+)?(only\s+|sole\s+|pure\s+|just\s+)?"
    r"(?:\d+(?:\.\d+)?\s*(?:mmol\S*\s*)?of\s+)?(?=\S)")  # "... for 6 mmol/gDW/h of maltose"
_CARBON_AFTER = re.compile(
    r"(?:[- ]only\b)|\s+(?:instead\s+|now\s+|alone\s+|in\s+)?((as|is|being)\s+(the\s+|a\s+|its\s+)?"
    r"(sole\s+|only\s+|main\s+|single\s+|one\s+and\s+only\s+)?"
    r"(carbon|c)\b|(sole|only)\s+(carbon|c)\b|alone\b|instead of|supports?\b(?=.*\bcarbon\b)"
    r"|replac(?:es|ing)\s+(?:the\s+)?(?:d-)?glucose\b"
    r"|[- ]?(minimal\s+)?(medium|media|uptake|consumption|feed|-grown|grown|supply)\b)")
_PRODUCT_AFTER = re.compile(
    r"\s*(production|secretion|excretion|yield|output|synthesis|overproduction|export|"
    r"formation|efflux|release|exchange flux|secretion rate|production rate)\b")
_PRODUCT_BEFORE = re.compile(
    r"\b(max(?:imum|imal)?(?=\s+\S+\s+(?!uptake|consumption|import|limit|bound|growth)\w)|produc\w*|secret\w*|excret\w*|make|makes|making|export\w*|overproduc\w*|maximi[sz]\w*|"
    r"synthesi[sz]\w*|release\w*|yield|formation)\s+(of\s+)?(the\s+|a\s+)?(?=\S)")


def carbon_and_product(low: str) -> tuple[list[str], str | None, dict[str, float]]:
    """The carbon sources, the product, and the rate stated with each compared source."""
    carbons: list[str] = []
    product: str | None = None
    rates: dict[str, float] = {}
    for m in _PRODUCT_BEFORE.finditer(low):
        mets = metabolites_after(low, m.end())
        if mets and mets[0] not in NON_CARBON | {"biomass"}:
            product = mets[0]
            break
    if product is None:
        for start, met in word_metabolites(low):
            if _PRODUCT_AFTER.match(low, start + len(met)):
                product = met
                break
    last = re.search(r"\bmax(?:imum|imal)?\s+([\w-]+)\s*[?.!]*\s*$", low) if product is None \
        else None  # "..., max succinate?"
    if last and metabolite(last.group(1)) not in (None, *NON_CARBON, "biomass"):
        product = metabolite(last.group(1))
    if product is None:  # "how much ethanol at most", "how much succinate, maximally"
        most = re.search(r"\bhow\s+much\s+(?:of\s+)?(?:the\s+)?([\w-]+(?:\s[\w-]+)?)\s*,?\s+"
                         r"(?:at\s+(?:the\s+)?most|max(?:imum|imally)?|tops|maximal(?:ly)?)\b",
                         low) or re.search(r"\bhow\s+much\s+(?:of\s+)?(?:the\s+)?([\w-]+)\s*"
                         r"(?:\([^)]*\)\s*)?(?:can|could|does|will|would)\s+(?:\S+\s+){0,3}?(?:push|pump|put|"
                         r"secret|excret|export|releas|made|mak|produc|form|generat|synthesi|spit)\w*(?:\s+out)?\s+"
                         r"(?:at\s+(?:the\s+)?most|max(?:imum|imally)?|maximal(?:ly)?)\b", low)
        named = metabolite(most.group(1)) if most else None
        if named and named not in NON_CARBON | {"biomass"}:
            product = named
    if re.search(r"\b(which|rank\w*|compar\w*|vs\.?|versus|best|fastest|slowest|highest|"
                 r"lowest|better|worse|faster|slower)\b", low):
        runs = []
        for start, _ in word_metabolites(low):
            rated: dict[str, float] = {}
            run = metabolites_after(low, start, rated)
            first = re.search(r"(\d+(?:\.\d+)?)\s*(?:mmol\S*\s*)?of\s+(?:the\s+)?$", low[:start])
            if run and first and len(rated) == len(run) - 1:  # "10 of succinate or 10 of ..."
                rated[run[0]] = float(first.group(1))
            runs.append((run, rated))
        longest, rated = max(runs, key=lambda r: len(r[0]), default=([], {}))
        for met in longest if len(longest) >= 2 else []:
            if met not in NON_CARBON and met not in carbons:
                carbons.append(met)
        if len(longest) >= 2 and len(rated) == len(longest):
            rates.update(rated)
    for m in re.finditer(r"\b(?:which|what)\s+of\s+(?:the\s+)?(?:carbon sources?\s+|"
                         r"substrates?\s+|sugars?\s+)?", low):
        for met in metabolites_after(low, m.end()):
            if met not in NON_CARBON and met not in carbons:
                carbons.append(met)
    for m in _CARBON_BEFORE.finditer(low):
        before = low[max(0, m.start() - 30):m.start()]
        if re.match(r"(?:give|giving|offer|provid|supply|supplying|feed)\w*\s", m.group(0)) and \
                not re.search(r"\b(?:glucose|carbon|sugar|substrate)\b", low):
            continue  # "take ammonium out and give it L-glutamine": another element's source
        if re.search(r"\b(default|standard|usual|its|normal)\s*$", low[:m.end()]) or \
                re.search(r"\b(produc\w*|secret\w*|yield)\s*$", before):
            continue
        for met in metabolites_after(low, m.end()):
            if met not in NON_CARBON and met != product and met not in carbons:
                carbons.append(met)
    for start, met in word_metabolites(low):
        if met not in NON_CARBON and met != product and met not in carbons and \
                _CARBON_AFTER.match(low, start + len(met)) and \
                not re.search(r"\b(default|standard|usual|its|normal)\s+$", low[:start]):
            carbons.append(met)
    # "on glucose vs succinate", "instead of glucose": the replaced source is not a variant
    if product is None and re.search(r"\b(produc\w*|secret\w*|excret\w*|yield\w*)\b|"
                                     r"\bhow much\b.{0,40}\b(?:make|form|release|export|emit|"
                                     r"gives?\s+off|puts?\s+out|evolve|excrete|secrete|"
                                     r"spit\s+out)\b", low):
        # "how much acetate can it secrete": the metabolite named before the verb
        product = next((met for _, met in word_metabolites(low)
                        if met not in NON_CARBON - _SECRETED and met not in carbons), None)
    carbons = [c for c in carbons if not enzyme_only(low, c)]
    if product is not None and enzyme_only(low, product):
        product = None  # "cannot make citrate synthase": the enzyme, not citrate
    for m in re.finditer(r"\b(instead of|rather than|replac\w*|(?:swap|switch|chang|mov|shift)"
                         r"\w*\s+(?:the\s+|its\s+)?(?:carbon\s+source\s+|substrate\s+|"
                         r"carbon\s+|feed\s+)?from)\s+(the\s+)?(\S+)", low):
        gone = m.group(3).strip(" ,.?")
        if gone in carbons and len(carbons) > 1:
            carbons.remove(gone)
    for m in re.finditer(r"(\S+)\s+(?:is\s+|being\s+)?(?:replaced|swapped|substituted)\s+"
                         r"(?:by|with|for)\b", low):  # "with glucose replaced by L-lactate"
        if m.group(1) in carbons and len(carbons) > 1:
            carbons.remove(m.group(1))
    if len(carbons) > 1:  # "on L-serine ... with glucose removed": the removed one is no option
        carbons = [c for c in carbons if not re.search(
            rf"\b(?:no|without|minus)\s+{re.escape(c)}\b|\b{re.escape(c)}\s+(?:is\s+|being\s+)?"
            rf"(?:{lx.OFF}|out)\b", low)] or carbons
    return carbons, product, {c: v for c, v in rates.items() if c in carbons}


#: Words ending in -ase that name no enzyme ("CO2 release").
_NOT_ENZYME = r"(?:release|increase|decrease|phase|base|case|database|please|purchase|erase|chase)"


def enzyme_only(low: str, met: str) -> bool:
    """Every mention of ``met`` is part of an enzyme's name ("with citrate synthase")."""
    said = list(re.finditer(rf"(?<![\w-]){re.escape(met)}(?![\w])", low))
    return bool(said) and all(re.match(rf"\s+(?:(?!{_NOT_ENZYME}\b)[a-z-]*ase|enzymes?)\b",
                                       low[m.end():]) for m in said)


#: Inorganic metabolites a cell releases ("how much CO2 does it release").
_SECRETED = frozenset({"co2", "h2", "h2o", "water", "hydrogen"})
#: Words that make a product question ask for a maximum (else it asks for a flux).
MAX_WORDS = re.compile(r"\b(max\w*|highest|most|yields?|potential|overproduc\w*|how much|"
                        r"can\b.*\bproduc\w*|theoretical|best|optimi[sz]\w*|produc\w*|capab\w*|"
                        r"able to|upper\s+(?:limit|bound)|ceiling|"
                        r"how\s+(?:high|far|large|big)\b[^?.;]*\b(?:go|get|reach|rise|"
                        r"climb|be\s+pushed|push))\b")


def exchange_mentions(low: str) -> list[str]:
    """'the acetate exchange', 'exchange of acetate', 'acetate uptake flux' -> reaction names."""
    found: list[str] = []
    for start, met in word_metabolites(low):
        m = re.match(r"\s+(exchange|transport|uptake flux|secretion flux)\b",
                     low[start + len(met):])
        if m:
            word = m.group(1).split()[0]
            found.append(f"{met} {'transport' if word == 'transport' else 'exchange'}")
    for start, met in word_metabolites(low):
        m = re.match(r"\s+(uptake|secretion|excretion|exchange)(?:\s+(?:rate|flux))?\b"
                     r"(?!\s*(?:is\s+|was\s+)?(?:limit|cap|restrict|set|fix|raise|increas|reduc|"
                     r"lower|constrain|clamp|bound|max|(?:at|of|to)\s+[\d.]+(?![\d.])(?!\s*(?:%|percent))|=|<|"
                 r"\d(?![\d.]*\s*(?:%|percent))))",
                     low[start + len(met):])
        named = m and re.match(r"\s+reaction\s+\(?(?!of\b|for\b|in\b|is\b|and\b|the\b|to\b|"
                                 r"rate\b|flux\b|at\b|with\b)[a-z0-9_]{3,}",
                                 low[start + len(met) + m.end():])
        if m and not named and met not in ("biomass",) and f"{met} exchange" not in found:
            found.append(f"{met} exchange")  # but "the glucose uptake reaction GLCptspp"
    for m in re.finditer(r"\bexchange (?:reaction )?(?:of|for)\s+(?:the\s+)?", low):
        for met in metabolites_after(low, m.end())[:1]:
            found.append(f"{met} exchange")
    mets = word_metabolites(low)
    chain: list[str] = []  # "ethanol, formate and acetate secretion": each one's exchange
    for i, (start, met) in enumerate(mets):
        chain.append(met)
        if f"{met} exchange" in found:
            found.extend(f"{c} exchange" for c in chain)
            chain = []
        elif i + 1 < len(mets) and not re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*or|/|&)\s*",
                                                     low[start + len(met):mets[i + 1][0]]):
            chain = []
    return list(dict.fromkeys(found))
