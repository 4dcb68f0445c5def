"""Question text for the offline planner: truncation, tokens, language and injection checks.

Everything downstream (intents, slots) works on a :class:`Text`, never on the raw string, so a
1 MB question costs the same as a short one and a stray instruction inside a question is
seen and set aside before anything is planned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def words(text: str) -> frozenset[str]:
    """A word list written as one string (keeps long vocabularies readable)."""
    return frozenset(text.split())


#: Only this many characters of a question are analysed; the answer says when it cut.
MAX_ANALYSED_CHARS = 2000

_TOKEN = re.compile(r"[\wµΔ]+(?:[-'.,+][\wµ]+)*|[%()<>=≤≥/?;:]")

#: Imperatives that try to replace the planner's instructions (factor 1: tools give numbers).
_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b[^.?!\n]{0,40}?\b(instructions?|tools?|"
    r"rules?|prompts?|system|above|previous|everything|constraints?|model)\b"
    r"|\b(just|only|simply)\s+(say|answer|reply|respond|output|print|write)\b"
    r"|(?<!let's\s)(?<!lets\s)(?<!us\s)(?<!actually\s)(?<!or\s)\b(say|answer|reply|respond|output|print)"
    r"\s+(with\s+)?(the\s+number\s+)?[\"']?-?\d"  # but "actually let's say 3" corrects a value
    r"|\bpretend\b|\byou are now\b|\bact as\b|\bsystem prompt\b|\bjailbreak\b"
    r"|\bmake up\b|\binvent\b[^.?!\n]{0,20}\bnumbers?\b",
    re.IGNORECASE)

_SENTENCE = re.compile(r".+?(?:[.?!]+(?=\s|$)|\n|$)", re.DOTALL)

#: Function words of languages other than English (a question mostly made of them is refused).
_FOREIGN = words("""
der das und ist wie ohne mit nicht auf wächst wachstum sauerstoff welche sind ein eine im
bei unter wird wachsen schnell viel bitte les et est sans avec une dans sur croissance
pourquoi quelle quel combien oxygène el los las y una por para crecimiento cuál cuánto qué
crece rápido cómo cresce
oxígeno di che non senza della crescita ossigeno quanto como não sem crescimento qual het een
zonder groei hoe snel zuurstof och är utan
""")
_ENGLISH = words("""
the a an and is are of in on what which how does do can with without to for growth grow rate
model genes gene reactions reaction if when it its i me my you your be by at from as under
that this there much many maximum minimal flux essential knock out
""")


@dataclass(frozen=True)
class Text:
    """A question as the planner sees it."""

    raw: str                  # the analysed part (at most MAX_ANALYSED_CHARS), injections removed
    truncated: bool           # the question was longer than what was analysed
    injection: bool           # instructions aimed at the agent were found and ignored
    norm: str                 # lower-case, single-spaced, NFKC-normalised ``raw``
    words: tuple[str, ...]    # tokens in their original case
    tokens: tuple[str, ...]   # the same tokens, lower-case

    @property
    def empty(self) -> bool:
        return not any(t[0].isalnum() for t in self.tokens)


def _listed(items: list[str]) -> str:
    """'5, 10 and 15'."""
    return ", ".join(items[:-1]) + " and " + items[-1]


def _normalize(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).replace("\u03bc", "\u00b5")  # NFKC makes µ Greek mu
    s = s.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", " - ")
    s = s.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = re.sub(r"(?:\b(?:to|at|of|is|be)|=)\s*zero\b", lambda m: m.group(0)[:-4] + "0", s,
               flags=re.IGNORECASE)  # "set ENO to zero": the number the bound parser reads
    s = _cobrapy_style(s)
    s = re.sub(r"\b([A-Za-z][\w]*)-(only|free)\b", r"\1 \2", s)  # "acetate-only", "O2-free"
    s = re.sub(r"\b([CNPS]|carbon|nitrogen|phosphorus|sulfur|sulphur)-(sources?)\b", r"\1 \2", s,
               flags=re.IGNORECASE)  # "its only N-source"
    s = _SPELLED_UNIT.sub("mmol/gDW/h", s)
    s = re.sub(r"\bmillimoles?\b", "mmol", s, flags=re.IGNORECASE)  # "6 millimoles of glucose"
    s = re.sub(r"\b(is|are|was|were|be|being|gets?|got)\s+(?:also|additionally|further|now|then|"
               r"still|too|likewise|simultaneously)\s+(?=[a-z]+ed\b)", r"\1 ", s,
               flags=re.IGNORECASE)  # "oxygen is also limited to 5": the adverb changes nothing
    s = re.sub(r"\bhow\s+many\s+(?:mmol|moles?|mol)(?:\s*(?:/|per)\s*gdw\s*(?:/|per)\s*h\w*)?"
               r"\s+of\b", "how much", s, flags=re.IGNORECASE)  # "how many mmol of acetate"
    s = re.sub(r"\bcarbon\s+dioxide\b", "CO2", s, flags=re.IGNORECASE)
    # "how much formate leaves the cell", "... comes out of e_coli_core": what is secreted
    s = re.sub(r"\b(?:leaves|exits)\s+(?:the\s+)?cells?\b|\b(?:comes|flows)\s+out(?:\s+of\s+"
               r"(?:the\s+)?cells?)?\b", "is secreted", s, flags=re.IGNORECASE)
    s = re.sub(r"\bis secreted\s+of\b", "is secreted by", s)
    s = re.sub(r"(?<=[a-z])\(s\)", "s", s)  # "which gene(s)", "the id(s)": the plural
    # "the compound that BiGG calls g3p", "the reaction KEGG names R00200": that id
    s = re.sub(r"\b(?:the\s+)?(compound|metabolite|reaction)\s+(?:that\s+|which\s+)?(bigg|kegg|"
               r"metacyc|model\s?seed)\s+(?:calls|names|lists\s+as|knows\s+as)\s+",
               r"\2 \1 ", s, flags=re.IGNORECASE)
    s = re.sub(r"(?<=\w)\s*\|\s*(?=\w)", ", ", s)  # a table row "galactose | xylose | glycerol"
    s = re.sub(r"\b\d+(?:\.\d+)?(?:\s+/\s+\d+(?:\.\d+)?)+\b(?!\s*/)",  # "caps of 5 / 10 / 15"
               lambda m: _listed(re.split(r"\s+/\s+", m.group(0))), s)
    s = re.sub(r"\bhalf\s+an?\s+(?=mmol|units?\b)", "0.5 ", s, flags=re.IGNORECASE)  # "half a mmol"
    s = re.sub(r"\b(delta|Δ|δ)-(?=b\d{4}\b|[a-z]{3}[A-Z]?\b)", r"\1 ", s)  # "delta-b0432"
    s = re.sub(r"\b(to|at|of|=)\s+exactly\s+(?=\d)", r"\1 ", s, flags=re.IGNORECASE)
    s = _COMPOUND_NUMBER.sub(lambda m: str(_NUMBERS[m.group(1).lower()]
                                           + _NUMBERS[m.group(2).lower()]), s)
    s = _AND_A_HALF.sub(lambda m: f"{_NUMBERS.get(m.group(1).lower(), m.group(1))}.5", s)
    s = _NUMBER_WORD.sub(lambda m: str(_NUMBERS[next(g for g in m.groups() if g).lower()]), s)
    s = _NAMED_NUMBER_WORD.sub(_nutrient_number, s)
    return re.sub(r"\s+", " ", s).strip()



#: Numbers written as words, read as digits where they are quantities: before a unit ("two
#: mmol/gDW/h", "three-fold") or after "at/to/by/of" at the end of a clause ("capped at two").
_NUMBERS = {w: i for i, w in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"])} | {
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100}
_UNIT_AFTER = (r"(?:mmol|mol\b|mm\b|mg\b|g\b|gdw|grams?\b|millimol|micromol|percent|per\s*cent|"
               r"%|-?fold|times\b|x\b|hours?\b|h\b|minutes?\b|min\b|1/h|units?\b|days?\b|"
               r"weeks?\b|generations?\b)")
_NUMBER_WORD = re.compile(
    rf"\b({'|'.join(sorted(_NUMBERS, key=len, reverse=True))})\b(?=\s*\(?\s*{_UNIT_AFTER})"
    r"|(?<=\b(?:to|at|of|by|is|be)\s)"
    rf"({'|'.join(sorted(_NUMBERS, key=len, reverse=True))})\b(?=\s*(?:$|[.,;?!)]|and\b|then\b))"
    r"|(?:(?<=\band\s)|(?<=\bplus\s))"  # "6 mmol of glucose and four of succinate"
    rf"({'|'.join(sorted(_NUMBERS, key=len, reverse=True))})\b"
    r"(?=\s+of\s+(?!the\b|them\b|these\b|those\b|which\b)[a-z])",
    re.IGNORECASE)


#: A number word right after a name, closing its clause: "glucose six and D-xylose six".
_NAMED_NUMBER_WORD = re.compile(
    rf"\b([A-Za-z][\w-]*)\s+({'|'.join(sorted(_NUMBERS, key=len, reverse=True))})\b"
    r"(?=\s*(?:\(|,|;|\band\b|\beach\b|\bplus\b|$|[.?!]))", re.IGNORECASE)


def _nutrient_number(m: re.Match[str]) -> str:
    """The number as digits when the name before it is a nutrient (its uptake)."""
    from fluxagent.llm.offline import lexicon as lx  # lexicon reads its word lists via text

    name = m.group(1)
    if lx.is_metabolite(name.lower()) or name.lower() in ("oxygen", "o2"):
        return f"{name} {_NUMBERS[m.group(2).lower()]}"
    return m.group(0)


#: The flux unit spelled out: "mmol per gram dry weight per hour", "mmol g DW^-1 h^-1".
_SPELLED_UNIT = re.compile(
    r"\b(?:mmol(?:es)?|millimoles?)\s*(?:per|/)\s*(?:a\s+)?(?:grams?|g)\s*(?:of\s+)?(?:dry\s+(?:cell\s+)?"
    r"(?:weight|mass)|dw|dcw|cdw)\s*(?:per|/|an?|each)\s*(?:hours?|hr|h)\b|"
    r"\bmmol\s*[·*.]?\s*(?:g|gdw)\s*(?:dw\s*)?\^?-1\s*[·*.]?\s*h\s*\^?-1\b|"
    r"\bmmol\s*/\s*\(\s*g\s*(?:dw|dcw)?\s*[·*. ]\s*h\s*\)|\bmmol\s*/\s*g\s*(?:dw|dcw)\s*[·*]\s*h\b",
    re.IGNORECASE)  # "mmol·gDW⁻¹·h⁻¹" (NFKC: "mmol·gDW-1·h-1"), "mmol/(gDW·h)"
#: "ninety-five percent", "twenty five": tens and units, a number wherever it stands (read
#: alone, "ninety-five" was 5).
_COMPOUND_NUMBER = re.compile(
    r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]"
    r"(one|two|three|four|five|six|seven|eight|nine)\b", re.IGNORECASE)


#: "four and a half mmol", "2 and a half": the number with .5.
_AND_A_HALF = re.compile(
    rf"\b({'|'.join(sorted(_NUMBERS, key=len, reverse=True))}|\d+)\s+and\s+a\s+half\b",
    re.IGNORECASE)


def _cobrapy_style(s: str) -> str:
    """cobrapy's spelling as words: ``model.reactions.get_by_id("PGI").lower_bound = 0`` is
    "PGI lower bound = 0", ``fraction_of_optimum=0.9`` is "fraction of optimum = 0.9" and
    ``model.optimize()`` asks for the optimum."""
    s = re.sub(r"\b(?:model\.)?reactions\.get_by_id\(\s*['\"]([^'\"]+)['\"]\s*\)", r"\1", s)
    s = re.sub(r"\bmodel\.reactions\.(?=[A-Za-z])", "", s)
    s = re.sub(r"\b([A-Za-z]\w*)\.(lower_bound|upper_bound|bounds)\b",
               lambda m: f"{m.group(1)} {m.group(2).replace('_', ' ')}", s)
    s = re.sub(r"\b(lower|upper)_bound\b", r"\1 bound", s)
    s = re.sub(r"\bfraction_of_optimum\b", "fraction of optimum", s)
    return re.sub(r"\b(?:model\.)?(?:slim_)?optimi[sz]e\(\s*\)", "maximum growth", s)


def _strip_injections(s: str) -> tuple[str, bool]:
    """Drop the sentences that carry an injected instruction; keep the rest of the question."""
    if not _INJECTION.search(s):
        return s, False
    found = False
    kept: list[str] = []
    for m in _SENTENCE.finditer(s):
        sentence = m.group(0)
        if _INJECTION.search(sentence):
            found = True
            # keep a real question that shares the sentence with the injection
            head = _INJECTION.split(sentence, maxsplit=1)[0]
            if re.search(r"\b(grow|growth|essential|knock|flux|medium|reactions?|genes?)\b",
                         head, re.IGNORECASE):
                kept.append(re.sub(r"[,;:]?\s*(and|but|then)?\s*$", "", head.strip()) + ".")
            continue
        kept.append(sentence)
    return " ".join(k.strip() for k in kept if k.strip()), found


#: Words of the domain whose misspellings (one edit away) are corrected before planning.
_VOCABULARY = words("""
growth essential essentiality knockout anaerobic anaerobically aerobic aerobically oxygen
glucose succinate acetate fructose xylose glycerol pyruvate ethanol lactate galactose medium
reaction reactions production secretion maximum minimum maximal minimal metabolite metabolites
variability parsimonious biomass exchange uptake doubling synthetic lethal salmonella
knock knocked delete deleted deletion remove removed nitrogen ammonium
""")


def _one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance exactly 1 (insert, delete, substitute or swap)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _fix_typos(q: str) -> str:
    """'growht' -> 'growth', 'knokc' -> 'knock': a word of 5+ letters one edit from a domain
    word and not itself one."""
    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        low = w.lower()
        if low in _VOCABULARY:
            return w
        near = [v for v in _VOCABULARY if len(v) >= 5 and _one_edit(low, v)]
        return near[0] if len(near) == 1 else w
    return re.sub(r"\b[A-Za-z]{5,}\b", fix, q)


#: A correction typed into the question: "L-lactate... sorry, I mean D-lactate", "for
#: glycogen? no - for L-glutamate", "pfkA, I meant pfkB".
_CORRECTION = re.compile(
    r"(?:\.{2,}|…|[,;:?!])?\s*(?:[-–]\s*)?(?:\b(?:wait|hmm+|hang\s+on|oh)\b\s*[,.!-]?\s*)?"
    r"(?:\b(?:sorry|oops|correction|err)\b[,:]?\s*(?:i\s+mean[t]?\b|"
    r"make\s+(?:that|it)\b|rather\b)?|\bno\s*[-–,:]\s*(?:i\s+mean[t]?\b)?|\bi\s+mean[t]?\b)\s*"
    r"[,:-]?\s*", re.IGNORECASE)


#: A number corrected in passing: "to 2, no wait, 3 mmol", "at 5 -- sorry, 4".
_NUMBER_CORRECTION = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?\s*(?:mmol(?:/gdw/h)?\s*)?(?:\s*(?:instead|then|now)\b)?"
    r"(?:[,;(]|\.{2,}|…|\s-+)?\s*(?:(?:hmm+|um+|uh+|er+|oh)\b\s*[,.]?\s*)?(?:no\s*,?\s*wait|"
    r"wait\s*,?\s*no|sorry|oops|correction|i\s+mean[t]?|make\s+(?:that|it)|actually|rather|"
    r"no)\b\s*(?:[,-]?\s*(?:i\s+mean[t]?|make\s+(?:that|it)|let'?s\s+(?:say|make\s+it|go\s+with)|"
    r"let\s+us\s+say|say|use|go\s+with))?\s*[,:-]*\s*(?=\d)", re.IGNORECASE)


#: A two-word phrase corrected in passing: "lower the upper bound of EX_o2_e... I mean the
#: lower bound, to -8" (the phrase ending in the same word is the one replaced).
_PHRASE_CORRECTION = re.compile(
    r"(?:\.{2,}|…|[,;:])\s*(?:(?:sorry|oops|no|er+|um+)\s*,?\s*)?i\s+mean[t]?\s*,?\s+"
    r"(?P<fix>(?:the\s+)?(?P<first>[a-z]+)\s+(?P<last>[a-z]+))\s*(?=[,;.?!]|$)", re.IGNORECASE)


def _apply_phrase_correction(q: str) -> str:
    m = _PHRASE_CORRECTION.search(q)
    if m is None:
        return q
    said = list(re.finditer(rf"\b(?:the\s+)?([a-z]+)\s+{re.escape(m.group('last'))}\b",
                            q[:m.start()], re.IGNORECASE))
    if not said or said[-1].group(1).lower() == m.group("first").lower():
        return q
    old = said[-1]
    rest = re.sub(r"^\s*,", "", q[m.end():])
    return q[:old.start()] + m.group("fix") + q[old.end():m.start()] + rest


def _named(w: str) -> bool:
    """A metabolite, reaction id, gene name or b-number: what a correction swaps."""
    from fluxagent.llm.offline import lexicon as lx  # lexicon reads its word lists via text
    return lx.is_metabolite(w.lower()) or lx.reaction_like(w) or lx.known_gene_name(w) or \
        lx.bnumber(w)


def _apply_corrections(q: str) -> str:
    """Drop what a correction replaces: the last name before the marker, and the marker."""
    q = _apply_phrase_correction(q)
    # "at 5 (no, make that 7)": the parenthesis closing the correction goes with it
    q = re.sub(rf"{_NUMBER_CORRECTION.pattern}(\d+(?:\.\d+)?)\s*\)", r"\1", q,
               flags=re.IGNORECASE)
    q = _NUMBER_CORRECTION.sub("", q)

    for m in reversed(list(_CORRECTION.finditer(q))):
        if not re.search(r"\w", q[m.end():m.end() + 2]) or not re.search(
                r"(?:sorry|oops|correction|err|no|mean)", m.group(0), re.IGNORECASE):
            continue
        words_ = list(re.finditer(r"[A-Za-z0-9][\w'+-]*", q[:m.start()]))
        names = [w for w in words_ if _named(w.group(0))]
        last = words_[-1] if len(words_) >= 2 else None
        repeated = last is not None and re.match(  # "for glycogen? no - for X": same slot
            rf"{re.escape(words_[-2].group(0))}\b", q[m.end():], re.IGNORECASE)
        end = m.end()
        nxt = re.match(r"[A-Za-z0-9][\w'+-]*", q[end:])
        described = re.match(r"(?:the|that|this)\s+(?:[a-z]+\s+){0,3}?(?:one|reaction|gene|"
                             r"enzyme|transporter)\s*[,:-]\s*([A-Za-z0-9][\w'+-]*)", q[end:])
        if described and _named(described.group(1)) and (nxt is None or not _named(nxt.group(0))):
            end += described.start(1)  # "CO2t - wait, no, the water one, H2Ot": the name
            nxt = re.match(r"[A-Za-z0-9][\w'+-]*", q[end:])
        named_next = nxt is not None and _named(nxt.group(0))
        if described and named_next and nxt is not None and names and names[-1] is not last:
            # "Knock out CO2t in e_coli_core - wait, no, the water one, H2Ot -": in its place
            q = q[:names[-1].start()] + nxt.group(0) + q[names[-1].end():m.start()] + \
                q[end + nxt.end():]
            continue
        if repeated and last is not None:
            start = last.start()
        elif names and (re.search(r"\bmean", m.group(0), re.I) or (
                names[-1] is last and named_next)):
            start = names[-1].start()
        else:
            continue
        before, after = q[:start], q[end:]
        prev = re.search(r"(\w+)\s*$", before)
        if prev and re.match(rf"{re.escape(prev.group(1))}\b", after, re.IGNORECASE):
            after = after[len(prev.group(1)):].lstrip()
        q = before + after
    return q


#: A name swapped in an afterthought: "... on glucose vs xylose... oh wait, the core has no
#: xylose. Use fructose instead." (a marker is required: "use X instead of Y" alone is a
#: condition of the question, not a correction of it).
_SWAP = re.compile(
    r"(?:\.{2,}|…|[.;:!?,]|\s-+)\s*(?:(?:oh|hmm+|ah|wait|actually|sorry|oops|no)\b[\s,.!:-]*)+"
    r"(?P<why>[^.?!]*[.?!;,]\s*)??(?:(?:so|then|just|please)\s+)*(?:use|try|take|go\s+with|pick|"
    r"make\s+(?:it|that))\s+(?P<new>[A-Za-z0-9][\w'+-]*(?:\s[a-z][\w'+-]*)?)\s+instead"
    r"(?:\s+of\s+(?P<old>[A-Za-z0-9][\w'+-]*))?\s*[.!]?\s*$", re.IGNORECASE)


def _apply_swap(q: str) -> str:
    """Put the name an afterthought swaps in where the name it replaces was."""
    m = _SWAP.search(q)
    if m is None:
        return q
    body, new = q[:m.start()], m.group("new")
    if not _named(new):
        return q
    said = [w for w in re.findall(r"[A-Za-z0-9][\w'+-]*", f"{m.group('old') or ''} "
                                                          f"{m.group('why') or ''}")
            if _named(w) and w.lower() != new.lower()]
    before = [w for w in re.findall(r"[A-Za-z0-9][\w'+-]*", body)
              if _named(w) and w.lower() != new.lower()]
    old = next((w for w in said if re.search(rf"\b{re.escape(w)}\b", body, re.I)),
               before[-1] if before and not m.group("old") else None)
    if old is None:
        return q
    return re.sub(rf"\b{re.escape(old)}\b", new, body, flags=re.IGNORECASE).rstrip(" .,;") + "?"


#: A request taken back: "If I force flux through ED... never mind, just tell me X",
#: "Grow it on acetate. Actually, forget that: succinate".
_WITHDRAWAL = re.compile(
    r"(?:\.{2,}|…|[,;:-])?\s*\b(?:actually\s*,?\s*|oh\s*,?\s*|wait\s*,?\s*)?"
    r"(?:never\s*mind|forget\s+(?:that|it|about\s+(?:that|it))|scratch\s+that|ignore\s+that|"
    r"disregard\s+that)\b(?:\s*,?\s*(?:that|the\s+\w+(?:\s+\w+)?)\b(?=[\s,.;:!-]))?"
    r"[\s,.;:!-]*(?:(?:just|instead|rather|simply)\b\s*,?\s*)?", re.IGNORECASE)


def _apply_withdrawals(q: str) -> str:
    """Drop what a withdrawal takes back: the sentence it closes, or, when it opens a
    sentence, the sentence before it. One inside an aside ("to 8 (I first typed 80 -- ignore
    that)") takes back only the aside."""
    q = re.sub(r"\s*\([^()]*\b(?:ignore|disregard|never\s*mind|forget|scratch)\b[^()]*\)",
               lambda m: m.group(0) if _INJECTION.search(m.group(0)) else "", q,
               flags=re.IGNORECASE)  # an injected "(ignore your tools)" is stripped, and said
    for m in reversed(list(_WITHDRAWAL.finditer(q))):
        if not re.search(r"\w", q[m.end():]):
            continue  # nothing follows: nothing replaces what is taken back
        ends = [e.end() for e in re.finditer(r"[.?!]\s+", q[:m.start()])]
        start = ends[-1] if ends else 0
        if not re.search(r"\w", q[start:m.start()]):
            start = ends[-2] if len(ends) >= 2 else 0
        q = q[:start] + q[m.end():]
    return q


def analyse(question: str) -> Text:
    """Turn a question into the planner's view of it."""
    q = question or ""
    truncated = len(q) > MAX_ANALYSED_CHARS
    if truncated:
        cut = q[:MAX_ANALYSED_CHARS]
        q = cut[: cut.rfind(" ")] if " " in cut[-80:] else cut
    q = _apply_corrections(_apply_withdrawals(_apply_swap(_fix_typos(_normalize(q)))))
    q, injection = _strip_injections(q)
    words = tuple(_TOKEN.findall(q))
    return Text(raw=q, truncated=truncated, injection=injection, norm=q.lower(),
                words=words, tokens=tuple(w.lower() for w in words))


def foreign_language(text: Text) -> bool:
    """True for a question written mostly in another language (or another script)."""
    letters = [c for c in text.raw if c.isalpha()]
    if letters and sum(1 for c in letters if ord(c) > 0x24F) / len(letters) > 0.3:
        return True
    alpha = [t for t in text.tokens if t.isalpha()]
    foreign = sum(1 for t in alpha if t in _FOREIGN and t not in _ENGLISH)
    english = sum(1 for t in alpha if t in _ENGLISH)
    return foreign >= 2 and foreign > english
