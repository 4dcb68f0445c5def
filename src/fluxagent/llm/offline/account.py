"""Accounting of the question's text: what the interpretation used, and what it did not.

Every number, every entity-like token, every metabolite mention and every condition phrase of
the question is either used by the interpretation (a slot holds it) or listed as not
understood. A planner that drops a condition it cannot represent then says so instead of
answering a different question with full confidence; the planner's confidence comes from this
accounting, not from keyword scores.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any

from fluxagent.llm.offline import lexicon as lx
from fluxagent.llm.offline.frame import Frame, Slots
from fluxagent.llm.offline.text import Text, words

_NOT_ENTITY = words("""
stm mcc fba fva pfba moma milp lp glpk highs sbml bigg json xml csv svg png atp adp nadh nadph
co2 o2
h2o nh4 pi ec kegg ok dna rna id ids gdw mmol usa uk i ii iii gpr gprs modelseed metacyc
chebi rhea metanetx biolog memote sbo m9
tca ppp emp ed etc oxphos pts ex_ ex
""")

#: Conditions no flux-balance tool represents: always named when they occur.
_OUTSIDE_FBA = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:°\s*c|degrees?(?:\s+c(?:elsius)?)?|k\b|kelvin)|\btemperature\b|"
    r"\bph\s*(?:of\s+|=\s*|at\s+)?\d|\bph\b|\bantibiotic\w*|\bampicillin\b|\bkanamycin\b|"
    r"\bconcentrations?\b|\b\d+(?:\.\d+)?\s*(?:mm|µm|um|g/l|mg/l|mol/l|m)\b(?!\w)|\bkinetic\w*|"
    r"\bkm\b|\bvmax\b|\bkcat\b|\b(?:gene\s+)?expression\b|\btranscript\w*|\bregulat\w*|"
    r"\bregulons?\b|\bribosom\w*|\b(?:3d|protein|crystal|tertiary)\s+structures?\b|\bfolding\b|"
    r"\bthermodynamic\w*|\bafter\s+\d+\s*(?:h|hours?|min\w*|days?)\b|\bover\s+time\b|"
    r"\bdynamic\s+fba\b|\bdfba\b|\bosmotic\b|\bsalt\s+stress\b|\bpressure\b|\blight\b|"
    r"\b[1-9]\d\s?c\b|\bmacrophages?\b|\bin\s+vivo\b|\bhost\s+cells?\b|\binfect\w*|"
    r"\bintracellular\w*|\bin\s+(?:the\s+)?(?:gut|intestines?|mice|mouse|blood|serum)\b|"
    r"\blb\s+(?:broth|medium)\b|\bbiofilms?\b|\bcolon(?:y|ies)\b|\bbioreactors?\b|"
    r"\bfermentation\s+(?:time|duration|length)\b|\bfed[- ]batch\b|\btiters?\b|\btitres?\b|"
    r"\bbatch\s+(?:time|duration)\b|\bprocess\s+time\b|"
    r"\b(?:for|after|over|within)\s+(?:\d+|a\s+few|several)\s*(?:days?|weeks?|hours?|h|"
    r"generations?)\b|\badapt(?:ed|ation|ing)?\b|\bevolv\w*|\bevolution\w*|"
    r"\b(?:stationary|lag|exponential|log|death)\s+phase\b|\b(?:heat|cold|acid|oxidative)\s+"
    r"(?:shock|stress)\b|"
    r"\brepress\w*|\binduc(?:tion|ed|er|ing)\b|\b[a-z0-9]+-mediated\b|\bplasmids?\b|"
    r"\bcopy[- ]numbers?\b|\b\d+-copy\b|\bburden\b|\bquorum\b|\bsignal(?:l)?ing\b|"
    r"^[^\d]*\bmicro-?aerob\w*(?![^.?;]*\d)",  # no O2 value said anywhere: which one?
    re.IGNORECASE)
#: Organisms no bundled model describes (the bundled ones are E. coli and Salmonella): named,
#: so that a question about B. subtilis is never answered on E. coli.
_OTHER_ORGANISM = re.compile(
    r"\b(?:bacillus|saccharomyces|yeasts?|pseudomonas|mycobacteri\w*|staphylococc\w*|"
    r"streptococc\w*|streptomyces|clostridi\w*|corynebacteri\w*|synechocystis|synechococcus|"
    r"cyanobacteri\w*|arabidopsis|homo\s+sapiens|human|mouse|murine|geobacter|shewanella|"
    r"klebsiella|lactobacill\w*|lactococc\w*|helicobacter|vibrio|caulobacter|zymomonas|"
    r"methanosarcina|methanococc\w*|chlamydomonas|thermotoga|yersinia|listeria|acinetobacter|"
    r"candida|aspergillus|plasmodium|chinese\s+hamster|cho\s+cells?|leishmania|trypanosom\w*|"
    r"neisseria|haemophilus|campylobacter|enterococc\w*|legionella|burkholderia|rhizobium|"
    r"sinorhizobium|agrobacterium|thermus|deinococcus|halobacteri\w*|sulfolobus|archaea\w*|"
    r"plants?|algae|fungi|fungus|mammalian)\b(?:\s+(?!model|cells?|strains?|growth|genes?|"
    r"reactions?|metabolism|with|when|on|in|and|or)[a-z]{4,}\b)?|"
    r"(?-i:\b(?!E\.\s*coli\b|S\.\s*(?:typhimurium|enterica)\b)[A-Z]\.\s+[a-z]{4,}\b)",
    re.IGNORECASE)
#: A value the question states as the old one ("(default is 5)", "currently 10").
_STATED_OLD = re.compile(r"(?:\bdefault(?:\s+value)?\s*(?:is|was|of|:|=)?|\bby\s+default|"
                         r"\bcurrently|\bnormally|\busually|\bwas|\bfrom|\binstead\s+of|"
                         r"\brather\s+than|\bin\s+place\s+of|\breplacing)\s*(?:is\s+|gets\s+|"
                         r"receives\s+|takes\s+up\s+|has\s+|uses\s+)?$",
                         re.IGNORECASE)
#: What the question says stays as it is ("leave oxygen and everything else as shipped").
_LEFT_AS_IS = re.compile(
    r"\b(?:leave|leaving|keep|keeping|left|kept)\s+[^.;?\d]{0,60}?\b(?:as\s+(?:shipped|is|they\s+are|"
    r"it\s+is|(?:the\s+)?defaults?|before|usual)|alone|unchanged|untouched|at\s+(?:their|its|the)\s+"
    r"(?:defaults?|default\s+values?|shipped\s+values?))\b", re.IGNORECASE)
#: A step of the question named by its number ("after step 1", "growth at 1 and at 2").
_STEP_REFERENCE = re.compile(r"\b(?:after|at|for|in|of)\s+(?:step|stage)\s+\d\b|"
                             r"\b(?:steps?|stages?)\s+\d(?:\s*(?:and|,|&)\s*\d)*\b|"
                             r"\bat\s+\d\s+and\s+(?:at\s+)?\d\b", re.IGNORECASE)
#: Numbers that are part of a unit or a name, not a quantity.
#: Unit phrases of yields and rates the tools report in (not conditions).
_UNIT_PHRASES = re.compile(r"\bmol\s*(?:[\w-]+\s+)?(?:/|per)\s*mol(?:\s+[\w-]+)?|"
                           r"\bg\s*/\s*g(?:\s+[\w-]+)?|\bgrams?\s+per\s+gram(?:\s+[\w-]+)?|"
                           r"\bmmol\s*/\s*gdw\s*/\s*h\w*|\bc-?mol\s*/\s*c-?mol", re.IGNORECASE)
_UNIT_DIGITS = re.compile(r"\b1\s*/\s*(?:h|hr|hour|s|min|d)\b|\bh\s*\^?\s*[-−]\s*1\b|h⁻¹|"
                          r"\b(?:hr|h|s|min)\s*-1\b|\bper\s+1\b|\bmmol\s*g\s*dw\s*-?1\b", re.I)
_NUMBER = re.compile(r"(?<![\w.,'-])(-?\d+(?:\.\d+)?(?:e-?\d+)?|\.\d+)(?![\w.]*[A-Za-z_])(?!\.\d)"
                     r"(?![,']?\d*-[A-Za-z])")  # "3-phosphate", "1,3-bisphosphate": locants
#: Words of the question that carry no condition (beyond the planner's FILLER list).
_CHATTER = words("""
hi hello hey thanks thank please could would you tell me i want know like need wondering
curious quick question quickly compute calculate predict determine find get report run show
give list print estimate simulate check analyse analyze look see what which how does do is are
was were can will should about using use used run fba pfba fva flux-balance balance analysis
value values result results rate rates maximum maximal max optimal predicted expected
possible possibly roughly approximately exact exactly value? number per hour h hr mmol gdw
gdw/h mmol/gdw/h 1/h units unit also then next finally first second and or the a an in on of
mu_max mumax µmax mu tabulate tabulated tabular table
nothing changed unchanged unmodified untouched stock baseline settings box as-is
touching changing anything
reoptimise reoptimize re-optimise re-optimize rerun re-run re-solve
depend depends rely relies absolutely strictly critically
""")
#: Phrases that state a condition; each is accounted for when one of its slots is filled.
_CUES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(p, re.IGNORECASE), slots_) for p, slots_ in (
        (r"\b(?:cap|capp(?:ed|ing)|(?<!upper\s)limit(?:ed|ing|s)?|restrict\w*|un(?:limit|restrict|"
         r"constrain|bound)\w*|constrain\w*|clamp\w*|"
         r"rais(?:e|ed|ing)|increas(?:e|ed|ing)|boost\w*|reduc(?:e|ed|ing)|lower(?:ed|ing)?|"
         r"decreas(?:e|ed|ing)|halv\w*|doubl(?:e|ed|ing)\s+the)\b"
         r"(?!\s+(?:the\s+|its\s+)?(?:growth|biomass|fitness|mu)\b)",  # "reduce growth": a result
         ("carbon_uptake", "oxygen_uptake", "uptakes", "bounds", "oxygen", "_intent_info",
          "_intent_medium")),
        (r"\b(?:drop(?:s|ped|ping)?|omit\w*|exclud\w*|withhold\w*|take\s+(?:away|out)|"
         r"leave\s+out|delet\w*|remov\w*)\b",
         ("uptakes", "knockouts", "genes", "reactions", "oxygen", "bounds", "_intent_knockout",
          "_intent_essential", "_intent_deletion_screen", "_intent_summary", "_intent_info")),
        (r"\b(?:block\w*|inhibit\w*|disabl\w*|inactivat\w*|shut\s+(?:down|off))\b",
         ("knockouts", "genes", "reactions", "uptakes", "oxygen", "_intent_blocked",
          "_intent_essential")),  # "which genes, if removed, block growth"
        (r"\b(?:co-?feed\w*|co-?utili[sz]\w*|mixture|together|simultaneous\w*|combined\s+with|"
         r"supplement\w*|add(?:ed|ing)?\b|plus\b|co-?fed\b)",
         ("cofeed", "uptakes", "carbon_sources", "genes", "reactions", "knockouts", "bounds")),
        (r"\b(?:atpm|maintenance|ngam)\b", ("bounds", "objective", "product", "_intent_info")),
        (r"\b(?:at\s+least(?!\s+(?:tell|give|show|say|name|list|report|let|rank)\b)|"
         r"minimum\s+growth|growth\s+floor|no\s+less\s+than|"
         r"requir(?:e|es|ed|ing)\s+(?:a\s+)?growth)\b|>=|≥",
         ("growth_floor", "floor_fraction", "bounds", "fraction")),
        (r"\b(?:on\s+|with\s+|using\s+)?[\w'+-]+\s+as\s+(?:the\s+|its\s+)?(?:sole|only|single)\s+"
         r"(?:carbon|c)\b(?:\s+source)?", ("carbon_source", "carbon_sources", "cofeed",
                                            "sole_element", "uptakes", "element_sources")),
        (r"\b(?:nitrogen|phosphorus|sulfur|sulphur)\s+sources?\b", ("sole_element", "uptakes",
                                                                  "phenotype_data",
                                                                  "element_sources")),
        (r"\b(?:objective(?!\s+value)|maximi[sz]\w*|minimi[sz]\w*|(?<!re-)optimi[sz]\w*)\b",
         ("objective", "product", "minimize", "_intent_objective", "_intent_summary")),
        (r"\bdoubling|\bgeneration\s+time", ("doubling",)),
        (r"\bto\s+double\b|\bdoubles\b|\bdouble\b(?=\s*(?:\?|$|in\b|its\s+(?:biomass|mass|size)))",
         ("doubling", "factors")),
        (r"\bg\s*/\s*g\b|\bgrams?\s+per\s+gram|\bg\s+per\s+g\b", ("_intent_production",)),
        (r"\bgdw\s+per\s+g|\b(?:biomass|growth|cell)\s+yield|\bgrams?\s+of\s+(?:dry\s+)?"
         r"(?:biomass|cells?)\s+per\s+gram", ("biomass_yield",)),
        (r"\bdemand\s+(?:reaction\s+)?(?:for|of|on)\b|\bsink\s+reaction", ("demands",)),
        (r"\b(?:in\s+the\s+)?presence\s+of\b|\btreated\s+with\b|\bexposed\s+to\b|"
         r"\binhibitors?\b|\bdrugs?\b|\bdoses?\b|\bstress\b|\btoxic\w*\b",
         ("uptakes", "cofeed", "carbon_source", "oxygen")),
        # set differences between two answers ("essential on acetate but not on glucose")
        (r"\bbecom\w*\s+essential|\bbut\s+not\b|\blacks\b|\bmissing\s+(?:from|in)\b|"
         r"\bonly\s+in\b|\bopen\s+in\s+\S+\s+but\b", ("_set_difference",)),
        (r"\bpercent(?:age)?\s+(?:[a-z]+\s+)?(?:change|drop|decrease|reduction|increase|difference)",
         ("percent_change", "_intent_ratio")),
    ))
#: Slots condition patterns fill (their text spans are in ``Slots.consumed``).
_CONDITION_SLOTS = ("carbon_uptake", "oxygen_uptake", "uptakes", "cofeed", "sole_element",
                    "bounds", "factors", "objective", "growth_floor", "floor_fraction", "fraction")
#: What a model summary counts ("how many ribosomes" is not among them).
_SUMMARY_COUNTS = words("""
reactions reaction metabolites metabolite genes gene compartments compartment exchanges
exchange sinks sink demands demand subsystems subsystem boundary biomass objectives objective
compounds species
""")
#: Words of a "how many reactions ..." question that do not narrow the set counted.
_COUNT_WORDS = words("""
are is there in of the a does do did it its this that have has contain contains containing
model draft network reconstruction total overall altogether and or genes reactions metabolites
compartments exchange exchanges include includes included all modelseed bigg bundled
gene genes gpr gprs association associations associated rule rules with without sink sinks
demand demands biomass lack lacks lacking missing none no any not associated gene-associated
compared versus vs relative than more fewer
""")
#: Words about fluxes and phenotypes, which a model summary's counts never depend on.
_NOT_COUNTED = re.compile(r"\b(?:carr(?:y|ies|ying)|flux(?:es)?|solutions?|optim(?:al|um|a)|"
                          r"essential|lethal|kill(?:s|ed|ing)?|active|inactive|used|"
                          r"grow(?:s|th|ing)?)\b",
                          re.IGNORECASE)
#: Intents that themselves answer an "optimise"/"minimise" phrase.
_OBJECTIVE_INTENTS = frozenset({"production", "pfba", "minimal_medium", "fva"})


def _values(s: Slots) -> list[float]:
    """Every number the interpretation holds (percentages both ways)."""
    out: list[float] = []
    for f in fields(Slots):
        if f.name != "consumed":  # character positions, not values of the question
            out.extend(_numbers_in(getattr(s, f.name)))
    for frac in (s.fraction, s.floor_fraction):
        if frac is not None:  # "at 95 % of the optimum", "within 5 % of the optimum"
            out.extend((frac * 100, round((1 - frac) * 100, 9)))
    return out


def _numbers_in(v: Any) -> Iterable[float]:
    if isinstance(v, bool) or v is None:
        return
    if isinstance(v, (int, float)):
        yield float(v)
    elif isinstance(v, (tuple, list)):
        for x in v:
            yield from _numbers_in(x)


def _mentions(s: Slots) -> set[str]:
    """Every lower-cased word the interpretation holds (ids, names, models, metabolites)."""
    out: set[str] = set()

    def add(v: Any) -> None:
        if isinstance(v, str):
            low = v.lower()
            out.add(low)
            out.update(re.findall(r"[\w.-]+", low))
            out.update(re.findall(r"[a-z0-9]+", low))  # "d-lactate" also uses "lactate"
        elif isinstance(v, (tuple, list)):
            for x in v:
                add(x)

    for f in fields(Slots):
        add(getattr(s, f.name))
    if s.oxygen is not None or s.oxygen_uptake is not None or s.oxygen_both:
        out.update(("oxygen", "o2", "air", "aerobic", "anaerobic", "aerobiosis", "anaerobiosis",
                    "anoxic", "anoxia", "oxic"))
    if s.objective or s.product:
        out.add("objective")
    if s.carbon_source or s.cofeed or s.uptakes:  # "instead of glucose": the replaced default
        out.update(("glucose", "d-glucose", "glc"))
    out.update(("glucose", "d-glucose", "glc"))  # the default carbon source of every model
    if any(b[0] == "ATPM" for b in s.bounds) or "ATPM" in (s.objective, s.product):
        out.update(("atp", "maintenance", "ngam"))
    if s.sole_element:
        out.update(("ammonium", "nh4", "phosphate", "sulfate", "inorganic"))
    return out


def _clause(raw: str, a: int, b: int, width: int = 5) -> str:
    """A short phrase around ``raw[a:b]``: the words of its clause nearest to it."""
    left = re.split(r"[,;.?!]\s|\s(?:and|but|then)\s", raw[:a])[-1]
    right = re.split(r"[,;.?!](?:\s|$)|\s(?:and|but|then)\s", raw[b:])[0]
    lw = left.split()[-width:]
    rw = right.split()[:width]
    return " ".join([*lw, raw[a:b].strip(), *rw]).strip(" ,.;?!") or raw[a:b]


def _masked(text: Text) -> str:
    """The question with its model mentions blanked out (as the slot extractor sees it)."""
    from fluxagent.llm.offline.slots import _mask
    return _mask(text.raw, lx.find_models(text.raw))


def _used_number(x: float, values: Sequence[float]) -> bool:
    return any(math.isclose(x, v, rel_tol=1e-9, abs_tol=1e-9) or
               math.isclose(abs(x), abs(v), rel_tol=1e-9, abs_tol=1e-9) for v in values)


def _plan_terms(frame: Frame) -> tuple[set[str], list[float], bool]:
    """The strings and numbers the planned calls pass to tools, and whether any call sets
    oxygen: what the answer will actually be computed from."""
    from fluxagent.llm.offline.plan import plan, sections_of
    strings: set[str] = set()
    numbers: list[float] = []
    oxygen = False

    def walk(v: Any, key: str = "") -> None:
        nonlocal oxygen
        if key in ("oxygen", "o2"):
            oxygen = True
            if v is False:
                numbers.append(0.0)  # "O2 uptake fixed to zero" is what oxygen=False applies
        if isinstance(v, str):
            strings.add(v.lower())
        elif isinstance(v, bool) or v is None:
            return
        elif isinstance(v, (int, float)):
            numbers.append(float(v))
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x, str(k))
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x, key)

    for part in sections_of(frame):
        for call in plan(part, current_model=None, specs=[]):
            walk(call.args)
            walk(call.variant)
    return strings, numbers, oxygen


def reached(frame: Frame) -> Slots:
    """The slots as far as the plan uses them: a mention the planned calls never pass on (a
    gene named in a question the plan answers with a model summary) is not understood."""
    s = frame.slots
    strings, numbers, oxygen = _plan_terms(frame)
    partner = {a.lower(): b.lower() for a, b in s.aliases} | \
        {b.lower(): a.lower() for a, b in s.aliases}

    def has(x: str) -> bool:
        low = x.lower()
        return low in strings or partner.get(low, "\0") in strings

    def has_number(x: float) -> bool:
        return _used_number(x, numbers) or (0 < x <= 1 and _used_number(x * 100, numbers))

    keep: dict[str, Any] = {}
    for f in fields(Slots):
        v = getattr(s, f.name)
        if f.name in ("model", "models", "consumed") or isinstance(v, bool) or v is None:
            continue
        if isinstance(v, str):
            keep[f.name] = v if has(v) or f.name in ("target", "direction", "minimize",
                                                     "doubling", "best", "boundary") else None
        elif isinstance(v, float):
            keep[f.name] = v if has_number(v) else None
        elif isinstance(v, tuple):
            keep[f.name] = tuple(x for x in v if (has(x) if isinstance(x, str) else isinstance(
                x, tuple) and any(has(y) for y in x if isinstance(y, str))))
    if not oxygen:
        keep |= {"oxygen": None, "oxygen_both": False, "oxygen_uptake": None}
    if frame.intent in ("lookup", "translate", "build_model"):
        return s  # their calls carry the query or ids verbatim
    out = s.set(**keep)
    if any(getattr(out, n) != getattr(s, n) for n in _CONDITION_SLOTS):
        out = out.set(consumed=())  # a condition phrase the plan dropped is accounted again
    return out


def unresolved(text: Text, frame: Frame) -> tuple[str, ...]:
    """The phrases of the question the interpretation does not use (empty: all understood)."""
    if frame.intent in ("help", "unknown") or text.empty:
        return ()
    s = reached(frame)
    raw = _masked(text)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []

    def note(a: int, b: int, phrase: str | None = None, *, always: bool = False) -> None:
        if any(x <= a < y or x < b <= y for x, y in (*taken, *(() if always else s.consumed))):
            return
        taken.append((a, b))
        found.append((a, phrase or _clause(raw, a, b)))

    if not frame.follow_up and not s.knockouts:  # "growth of the mutant?" with none named
        for m in re.finditer(r"\b(?:the|that|this|my)\s+(?:mutants?|knock-?outs?|deletion\s+"
                             r"strains?|strains?)\b", raw, re.IGNORECASE):
            note(m.start(), m.end(), m.group(0), always=True)
    for m in _OUTSIDE_FBA.finditer(raw):  # the phrase itself, with a value right after it
        after = re.match(r"\s*(?:of\s+|=\s*|at\s+)?[\d.]+(?:\s*(?:°\s*c|degrees|mm|g/l|h|hours?))?",
                         raw[m.end():], re.IGNORECASE)
        end = m.end() + (after.end() if after else 0)
        note(m.start(), end, raw[m.start():end].strip(" ,.;?!"), always=True)
    for m in _OTHER_ORGANISM.finditer(raw):
        note(m.start(), m.end(), f"{m.group(0)} (no bundled model of this organism)",
             always=True)
    units = [(m.start(), m.end()) for m in _UNIT_DIGITS.finditer(raw)]
    for m in _UNIT_PHRASES.finditer(raw):
        taken.append((m.start(), m.end()))  # "mol ethanol per mol glucose" is a unit
    for m in re.finditer(r"\(\s*(?:a|an|the)\s+([^()]{1,60})\)", raw, re.IGNORECASE):
        if not re.search(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", m.group(1)):
            taken.append((m.start(), m.end()))  # "b0432 (a cytochrome bo3 subunit)": a gloss
    for m in _LEFT_AS_IS.finditer(raw):
        taken.append((m.start(), m.end()))  # "leave oxygen and everything else as shipped"
    for m in _STEP_REFERENCE.finditer(raw):
        taken.append((m.start(), m.end()))  # "growth after step 1 and after step 2"
    values = _values(s)
    for m in _NUMBER.finditer(raw):
        if any(a <= m.start() < b for a, b in units):
            continue
        if not _used_number(float(m.group(1)), values) and not _STATED_OLD.search(
                raw[max(0, m.start() - 30):m.start()]):
            note(m.start(), m.end())
    used = _mentions(s)
    for m in re.finditer(r"[A-Za-z][\w.-]*[\w]|[A-Za-z]", raw):
        w = m.group(0)
        low = w.lower()
        if low in used or low in lx.FILLER or low in _CHATTER or low in _NOT_ENTITY:
            continue
        operon = lx.operon_genes(w)
        if operon:  # "manXYZ" is understood when each of its genes is used
            if not all(g.lower() in used for g in operon):
                note(m.start(), m.end(), w)
            continue
        entity = (lx.bnumber(w) or re.match(r"^(?:STM|stm)_?\d{3,5}", w) or "_" in w
                  or lx.known_gene_name(low)
                  or (re.match(r"^[a-z]{2,}\d+$", w) and low not in _NOT_ENTITY)
                  or re.match(r"^(?:cpd|rxn)\d{5}", w)
                  or (lx.reaction_like(w) and low not in _NOT_ENTITY))
        if entity and not _is_word(w) and not _exchange_of_used(w, used) and not (
                lx.is_metabolite(low) and _alias_of_used(raw, m.start(), used)) and \
                not _beside_used(raw, m.start(), used) and not _names_used(raw, m.end(), used):
            note(m.start(), m.end(), w)
    exchanged = {ex.group(1) for u in used
                 if (ex := re.fullmatch(r"ex_([a-z0-9]{3,})(?:__[a-z])?_e", u))}
    for start, met in _metabolite_mentions(raw):
        if frame.intent in ("lookup", "translate", "medium", "info"):
            break  # the compounds named are what is looked up
        if any(re.sub(r"^(?:l|d)-", "", met).startswith(x) for x in exchanged):
            continue  # "making D-lactate: maximum EX_lac__D_e flux": its exchange is used
        if _transport_used(met, used):
            continue  # "what if water can't cross ...? Knock out H2Ot": its transport is used
        if met in used or met.split()[0] in used or met in ("biomass",) or \
                lx.canonical(met) in {lx.canonical(u) for u in used}:
            continue
        if re.match(r"(?:[\s-]+[\w-]+){0,2}?[\s-]+(?:[\w-]*ase|enzymes?)\b",
                    raw[start + len(met):].lower()):
            continue  # "pyruvate formate lyase", "ATP synthase": part of an enzyme's name
        if re.match(r"(?:[\s-]+[\w-]+){0,2}?[\s-]+(?:pathway|shunt|cycle|bypass)\b",
                    raw[start + len(met):].lower()):
            continue  # "the pentose phosphate pathway", "the glyoxylate shunt": a pathway
        if re.match(r"[\s-]+(?:auxotrophs?|prototrophs?|producers?|producing\s+strains?)\b",
                    raw[start + len(met):].lower()):
            continue  # "a serine auxotroph candidate": what a strain is called
        if re.search(r"\b(?:default|standard|usual|normal|its|the\s+same)\s+(?:\w+\s+)?$",
                     raw[max(0, start - 25):start].lower()):
            continue
        if _alias_of_used(raw, start, used):
            continue  # "2-oxoglutarate (akg)": the id of a metabolite that is used
        named = re.match(r"(?:[\s-]+\d+(?:,\d+)*-[a-z]+)?\s*\(([^()]*)\)", raw[start + len(met):])
        if named and any(t.lower() in used for t in re.findall(r"[\w]+", named.group(1))):
            continue  # "L-alanine (cytosolic, ala__L_c)": the metabolite whose id is used
        note(start, start + len(met))
    if frame.intent == "summary":
        for m in re.finditer(r"\bhow\s+many\s+([a-z]+)", raw, re.IGNORECASE):
            if m.group(1).lower() not in _SUMMARY_COUNTS and not (
                    frame.slots.count_difference and len(frame.slots.models) == 2):
                # "how many ribosomes per cell" (but "how many more genes than" is counted)
                note(m.start(), m.end(), raw[m.start():m.end()].strip())
        for m in re.finditer(r"\bhow\s+many\s+(?:reactions|metabolites|genes)\b([^?.;]*)", raw,
                             re.IGNORECASE):
            extra = [w for w in re.findall(r"[A-Za-z][\w'-]*", m.group(1))
                     if w.lower() not in _COUNT_WORDS and w.lower() not in lx.FILLER]
            if extra:  # "how many reactions have a gene association": a subset, not the model
                note(m.start(), m.end(), raw[m.start():m.end()].strip())
        flux = _NOT_COUNTED.search(raw)  # "how many reactions carry zero flux ...": not the
        if flux:  # model's size
            note(flux.start(), flux.end())
    why = re.match(r"\s*(?:and\s+|but\s+|so\s+)?(why|how\s+come|explain)\b", raw, re.IGNORECASE)
    if why:  # the tools compute what happens, not why: the answer is evidence, not a reason
        note(why.start(1), why.end(1), f"{why.group(1)} (an explanation is not computed)")
    many = _HOW_MANY.search(raw)
    if many and frame.intent in _NO_COUNT_INTENTS and not s.count_active:  # "FVA ...: how
        # many have a fixed flux" (but "how many reactions carry flux" is counted)
        note(many.start(), many.end(), many.group(0))
    asked = _ASKS_FOR.search(raw)
    if asked and frame.intent in _NUMBER_INTENTS.get(asked.group(2).lower(), ()):
        note(asked.start(), asked.end(), asked.group(0))  # "which genes ..." answered by a rate
    for a, b in _loose_conditions(raw, used, [*taken, *s.consumed], tuple(values)):
        note(a, b, raw[a:b].strip())
    for pattern, slot_names in _CUES:
        cue = pattern.search(raw)
        if cue is not None and not any(_filled(s, n, frame) for n in slot_names):
            note(cue.start(), cue.end())
    return tuple(p for _, p in sorted(found))


#: Words that introduce a condition ("with X", "under X", "in the presence of X").
_CONDITION_LEAD = re.compile(
    r"\b(with|without|under|in\s+the\s+presence\s+of|in\s+the\s+absence\s+of|during|after|"
    r"inside|within|lacking|given|plus|using|in|on|at|when|if|while|assum(?:e|es|ing)|"
    r"suppos(?:e|ing))\s+", re.IGNORECASE)
#: Where the object of a condition word ends.
_OBJECT_END = re.compile(r"[,;:.?!()]|\b(?:and|or|but|then|with|without|under|in|on|at|when|if|"
                         r"while|for|to|from|by|of|is|are|was|does|do|can|will|would|what|which|"
                         r"how|vs|versus|than|instead|compared)\b", re.IGNORECASE)
#: Words that may follow a condition word without being a condition themselves.
_NEUTRAL = words("""
silico vitro the a an its their this that these those default standard usual normal same
current given original previous above following conditions condition medium media
environment setup settings parameters solution simulation fba fva pfba analysis optimum
optimal optimality maximum maximal max growth growing biomass rate rates flux fluxes
value values mind addition general total terms particular detail details each all every
full complete both case cases scenario scenarios experiment lab question table list order
h hour hours units unit mmol gdw mmol/gdw/h 1/h per model models network reconstruction
version mode steady state equilibrium objective objectives default-medium minutes minute
min seconds mol mol/mol g/g percent percentage modelseed bigg kegg metacyc top reverse forward
direction words terms numbers measured measurement measurements experimental observed data
dataset datasets ones one reality literature fraction constrained restricted
grown grow grows cultured cultivated incubated
""")


def _loose_conditions(raw: str, used: set[str], taken: list[tuple[int, int]],
                      values: tuple[float, ...] = ()) -> list[tuple[int, int]]:
    """Condition words whose object the interpretation holds nothing of ("inside
    macrophages", "under heat shock", "with 2% arabinose"): spans to name."""
    out: list[tuple[int, int]] = []
    for m in _CONDITION_LEAD.finditer(raw):
        if any(a <= m.start() < b for a, b in taken):
            continue
        rest = raw[m.end():]
        end = _OBJECT_END.search(rest)
        obj = rest[:end.start() if end else len(rest)]
        toks = [t.lower() for t in re.findall(r"[A-Za-z][\w'-]*", obj)]
        if not toks or len(toks) > 5 or any(  # "while keeping 90% of growth": a used number
                _used_number(float(n.group(1)), values) for n in _NUMBER.finditer(obj)):
            continue
        if any(t in used or t.rstrip("s") in used or t in lx.FILLER or t in _NEUTRAL or
               _transport_used(t, used) or
               t in _CHATTER or t.endswith("ase") for t in toks):
            continue  # "without ATP synthase (ATPS4r blocked)": the enzyme's name
        said = re.match(r"\s*\(([^()]*)\)", rest[len(obj):])
        if said and (any(_used_number(float(n.group(1)), values) for n in
                         _NUMBER.finditer(said.group(1))) or any(
                t.lower() in used for t in re.findall(r"[A-Za-z][\w'-]*", said.group(1)))):
            continue  # "under nitrogen limitation (ammonium uptake max 1)": a label, explained
        out.append((m.start(), m.end() + len(obj.rstrip())))
    return out


#: A count asked for ("how many have a fixed flux"), not an amount ("how many mmol") ...
_HOW_MANY = re.compile(r"\bhow\s+many\s+(?!mmol|moles?\b|mol\b|grams?\b|g\b|minutes?\b|mins?\b|"
                       r"hours?\b|hrs?\b|h\b|times?\b|fold\b|percent|%|units?\b|c-?mol)[^?.;,]+",
                       re.IGNORECASE)
#: ... that these analyses, which answer with values, not a count, do not give.
_NO_COUNT_INTENTS = frozenset({"fva", "flux", "growth", "production", "pfba", "objective"})
#: A question for a list of genes or reactions ...
_ASKS_FOR = re.compile(r"\b(which|what|list(?:\s+the)?|name(?:\s+the)?)\s+(genes|reactions)\b",
                       re.IGNORECASE)
#: ... that these analyses, which answer with a number, do not give.
_NUMBER_INTENTS = {"genes": ("growth", "flux", "production", "pfba"),
                   "reactions": ("growth", "production")}


def _alias_of_used(raw: str, start: int, used: set[str]) -> bool:
    """The mention at ``start`` is in parentheses right after a metabolite the interpretation
    uses ("glucose (glc__D)"): another name of the same thing."""
    named = re.search(r"([\w'+-]+)\s*\(\s*$", raw[:start])
    if not named:
        return False
    word = named.group(1).lower()
    return word in used or lx.canonical(word) in {lx.canonical(u) for u in used}


def _transport_used(met: str, used: set[str]) -> bool:
    """The transport reaction of ``met`` is used ("water" and H2Ot, "CO2" and CO2t)."""
    name = lx.canonical(met)
    return len(name) >= 2 and any(re.fullmatch(rf"{re.escape(name)}t\d*(?:pp|ex)?", u)
                                  for u in used)


def _beside_used(raw: str, start: int, used: set[str]) -> bool:
    """The word at ``start`` sits in a parenthesis with an id the interpretation uses: "(G6PDH2r,
    zwf)" names one reaction by its id and its gene."""
    opened, closed = raw.rfind("(", 0, start), raw.find(")", start)
    if opened < 0 or closed < 0 or ")" in raw[opened:start] or closed - opened > 60:
        return False
    inside = re.findall(r"[A-Za-z][\w.-]*\w", raw[opened + 1:closed])
    return len(inside) == 2 and any(t.lower() in used for t in inside)


def _names_used(raw: str, end: int, used: set[str]) -> bool:
    """The word before ``end`` is part of a name glossed by a used id right after it ("the
    cytochrome bo3 oxidase (reaction CYTBO3_4pp)")."""
    gloss = re.match(r"(?:\s+[\w-]+){0,3}\s*\(\s*(?:the\s+)?(?:reaction|gene|enzyme)?\s*"
                     r"([\w.-]+)\s*\)", raw[end:])
    return gloss is not None and gloss.group(1).lower() in used


def _exchange_of_used(w: str, used: set[str]) -> bool:
    """``w`` is the exchange of a metabolite the interpretation uses ("ethanol export
    EX_etoh_e" where ethanol is the product): another name of the same thing."""
    ex = re.fullmatch(r"EX_([A-Za-z0-9]+)(?:__[A-Za-z])?_e", w)
    if not ex:
        return False
    met = ex.group(1).lower()
    return met in used or lx.canonical(met) in {lx.canonical(u) for u in used}


def _is_word(w: str) -> bool:
    """A capitalised English word at a sentence start is not an id ("Run", "What")."""
    return w[:1].isupper() and w[1:].islower() and len(w) > 3


def _metabolite_mentions(raw: str) -> list[tuple[int, str]]:
    from fluxagent.llm.offline.mentions import word_metabolites
    return word_metabolites(raw.lower())


def _filled(s: Slots, name: str, frame: Frame) -> bool:
    if name == "_never":  # no tool computes it: always named
        return False
    if name == "_set_difference":  # answered when two compared lists are computed
        from fluxagent.llm.offline.plan import variants
        return s.set_difference and frame.intent in ("essential", "medium") and \
            len(variants(frame)) == 2
    if name == "_intent_objective":
        return frame.intent in _OBJECTIVE_INTENTS
    if name == "_intent_ratio":
        return frame.intent == "knockout"
    if name.startswith("_intent_"):
        return frame.intent == name[len("_intent_"):]
    v = getattr(s, name, None)
    if name == "oxygen":
        return v is not None  # "when oxygen is removed": anaerobic is a value
    return v not in (None, (), "", False)


def confidence(frame: Frame, missing: tuple[str, ...]) -> float:
    """1 when every part of the question was used; lower with each phrase left over."""
    if frame.intent in ("unknown",):
        return 0.0
    return 1.0 if not missing else max(0.1, 0.6 - 0.15 * (len(missing) - 1))
