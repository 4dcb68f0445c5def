"""Slot extraction: model, carbon source, oxygen, uptake limits, genes and reactions, fraction,
product, growth floor, pathway ends.

Slots are *mentions* in the user's words ("sdhA", "alpha-ketoglutarate", "acetate exchange");
the tools link them to the model's ids. Patterns look at the shape of the sentence (what
follows "knock out", what precedes "production"), never at whole known questions.
"""

from __future__ import annotations

import re
from dataclasses import replace

from fluxagent.llm.offline import constraints as cx
from fluxagent.llm.offline import lexicon as lx
from fluxagent.llm.offline import phenotypes
from fluxagent.llm.offline.biochem import (
    genome_files,
    lookup_query,
    modelseed_question,
    target_namespaces,
    translation,
)
from fluxagent.llm.offline.entities import (
    enzyme_knockouts,
    enzyme_mentions,
    gene_and_reaction_mentions,
)
from fluxagent.llm.offline.frame import Slots
from fluxagent.llm.offline.mentions import (
    MAX_WORDS,
    MET,
    NON_CARBON,
    carbon_and_product,
    enzyme_only,
    exchange_mentions,
    metabolite,
    metabolites_after,
    word_metabolites,
)
from fluxagent.llm.offline.quantities import NUM, growth_floor, optimum_fraction, uptake_limit
from fluxagent.llm.offline.text import Text

_O2 = r"(?:oxygen|o2|air)"
_ANAEROBIC = re.compile(
    rf"\banaerobic\w*|\b(without|w/o|no|zero|lacking|absent)\s+(any\s+)?{_O2}\b"
    rf"|\b{_O2}[- ]free\b|\b(absence|lack)\s+of\s+{_O2}\b|\banoxic\b|\bferment\w*"
    rf"|\b(?:take\w*\s+away|remov\w*|los\w*|without|no)\s+(?:its\s+|the\s+)?(?:ability|capacity)\s+"
    rf"to\s+(?:use|take\s+up|consume|respire)\s+{_O2}\b"  # "take away its ability to use O2"
    rf"|\b{_O2}\s+(?:uptake\s+|supply\s+|exchange\s+)?(is\s+|was\s+|are\s+|were\s+|gets\s+|got\s+|"
    rf"being\s+|ha(?:s|ve)\s+been\s+)?(?:all\s+|both\s+)?({lx.OFF}|shut|cut)\b|\b(remove|removing|exclude|excluding|cut|block|"
    rf"switch\w* off|turn\w* off|shut\w* off|take\s+away|took\s+away|taking\s+away|shut|"
    rf"shutting|close|closing|disabl\w*|los(?:e|es|ing|t)|loss\s+of)"
    rf"\s+(the\s+)?{_O2}(?:\s+(?:exchange|uptake|supply))?\b|\banaerobiosis\b|\btak\w*\s+(the\s+)?{_O2}\s+(away|out)\b")
_AEROBIC = re.compile(rf"(?<![a-z])aerobic\w*|\bwith\s+(plenty\s+of\s+)?{_O2}\b(?!\s+(?:uptake\s+|"
                      rf"exchange\s+|supply\s+)?(?:is\s+|being\s+)?(?:{lx.OFF}|shut|cut|"
                      rf"switched|turned|(?:set|fixed)\s+(?:to|at)\s+0|at\s+0|=\s*0)\b)"
                      rf"|\b(presence|availability)\s+of\s+{_O2}\b|\b{_O2}\s+(is\s+)?"
                      rf"(available|present|supplied|back)\b|\boxic\b"
                      rf"|\b(restor\w*|re-?add\w*|re-?enabl\w*|re-?open\w*|bring\w*\s+back|"
                      rf"put\w*\s+back|switch\w*\s+(?:back\s+)?on|turn\w*\s+(?:back\s+)?on)"
                      rf"\s+(the\s+)?{_O2}\b"
                      # "put oxygen back to default", "O2 back at its usual limit"
                      rf"|\b(?:put|bring|set|return|reset)\w*\s+(?:the\s+)?{_O2}(?:\s+(?:uptake|"
                      rf"supply|limit|bound|exchange))?\s+back\b|\b{_O2}(?:\s+(?:uptake|supply|"
                      rf"limit|bound))?\s+(?:is\s+)?back\s+(?:to|at)\s+(?:its\s+|the\s+)?"
                      rf"(?:default|normal|usual|original|shipped)\b")
_COMPARE = re.compile(r"\bcompar\w*|\bvs\.?(?=\s|$)|\bversus\b|\bdiffer\w*|\bbetter\b|\bfaster\b"
                      r"|\bslower\b"
                      r"|\bhigher\b|\blower\b|\brelative to\b|\bagainst\b|\bside by side\b")


def _num(s: str) -> float:
    return float(s)


def _mask(raw: str, spans: list[tuple[int, int, str]]) -> str:
    """Blank out model mentions with the words that only frame them ("the X model's")."""
    out = list(raw)
    for a, b, _ in spans:
        left = re.search(r"(?:\b(?:the|a|an)\s+)?$", raw[:a], re.IGNORECASE)
        right = re.match(r"(?:'s)?(?:\s+(?:model|strain|reconstruction|network|gem)(?:'s)?\b)?",
                         raw[b:], re.IGNORECASE)
        a2 = left.start() if left else a
        b2 = b + (right.end() if right else 0)
        out[a2:b2] = " " * (b2 - a2)
    return "".join(out)


def _drop_met_ids(low: str) -> str:
    """Blank a metabolite's id in parentheses after its name ("2-oxoglutarate (akg) is the sole
    carbon source"): it names the same thing, and the condition patterns read on past it."""
    def blank(m: re.Match[str]) -> str:
        before = low[max(0, m.start() - 40):m.start()].split()
        ident = m.group(1)
        same = before and (ident in lx.metabolite_names() or lx.SEED_COMPOUND.match(ident) or
                           lx.is_metabolite(ident)) \
            and lx.is_metabolite(before[-1])  # "D-glucose (cpd00027)", "xylose (D-xylose)"
        return " " * len(m.group(0)) if same else m.group(0)
    return re.sub(r"(?<=\S)\s*\(\s*([a-z0-9_][a-z0-9_-]{0,15})\s*\)", blank, low)


# -- metabolite phrases --------------------------------------------------------------------
#: "the minimum glucose uptake needed to sustain 0.5 1/h", "least oxygen it needs to reach"
_LEAST_UPTAKE = re.compile(
    rf"\b(?:min(?:imum|imal)?|least|smallest|lowest)\s+(?:amount\s+of\s+|rate\s+of\s+)?"
    rf"(?:the\s+)?{MET}\s+(?:uptake|consumption|intake|supply|feed)?(?:\s+(?:rate|flux))?\s*"
    r"(?:\([^)]*\)\s*)?(?:that\s+is\s+|it\s+)?(?:needed|required|necessary|needs|requires|"
    r"that\s+(?:still\s+)?(?:supports?|sustains?|gives?|allows?)|to\s+(?:sustain|support|reach|"
    r"achieve|get|keep|maintain|hit|allow|grow))\b")


# -- pathway ends ------------------------------------------------------------------------------
def _pathway_ends(low: str) -> tuple[str | None, str | None]:
    pats = [r"\bfrom\s+(?:the\s+)?([\w,'+-]+(?:\s[\w-]+)?)\s+(?:to|into|towards)\s+(?:the\s+)?"
            r"([\w,'+-]+(?:\s[\w-]+)?)",
            r"\bbetween\s+([\w,'+-]+)\s+and\s+([\w,'+-]+)",
            r"\bconvert\w*\s+([\w,'+-]+)\s+(?:in)?to\s+([\w,'+-]+)",
            r"\b([\w,'+-]+)\s+(?:to|->|→)\s+([\w,'+-]+)\s+(?:pathway|route|conversion)"]
    for p in pats:
        m = re.search(p, low)
        if m:
            a, b = (metabolite(g) or g.split()[0] for g in (m.group(1), m.group(2)))
            if a not in lx.FILLER and b not in lx.FILLER:
                return a, b
    return None, None


def _first_per_nutrient(uptakes: list[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    """One uptake per nutrient: the one the question states first (explicit before default)."""
    out: dict[str, float] = {}
    for met, value in uptakes:
        out.setdefault(met, value)
    return tuple(out.items())


# -- all together ------------------------------------------------------------------------------
def _bare(met: str) -> str:
    """A metabolite mention without its stereo prefix: "l-alanine" and "alanine" are one."""
    return re.sub(r"^(?:l|d|sn|r|s)-", "", met)


#: "with every exchange opened", "all boundaries open", "open exchanges"
_OPEN_ALL = re.compile(r"\b(?:every|all|each)\s+(?:the\s+)?(?:exchanges?|boundar\w+|uptakes?)"
                       r"(?:\s+reactions?)?\s+(?:is\s+|are\s+)?(?:open\w*|unconstrained|"
                       r"unbounded|unlimited)|\bopen(?:ing|ed)?\s+(?:up\s+)?(?:all|every)\s+"
                       r"(?:the\s+)?(?:exchanges?|boundar\w+|uptakes?)|\bopen\s+exchanges?\b|"
                       r"\bopen_exchanges\b")


#: One nutrient's uptake at a list of values: "O2 uptake limited to 2, 5 and 10".
_SERIES = re.compile(
    rf"\b([a-z0-9][\w-]*)\s+(?:(?:uptake|supply|consumption)(?:\s+rate)?\s+(?:(?:\w+\s+)?"
    rf"(?:to|at|of|=)\s+)?|(?:to|at|of|=)\s+|(?:capped|limited|set|restricted|fixed|clamped)\s+"
    rf"(?:to|at)\s+|(?:uptake\s+)?(?:caps|limits|levels|values|"
    rf"bounds|rates|settings)\s*(?:-+|:|,|of|at)?\s*)"  # "three oxygen caps -- 2, 5 and 10"
    rf"((?:{NUM}\s*,\s*)+{NUM}\s*,?\s*(?:and|or)\s+{NUM}"
    rf"|{NUM}(?:\s*(?:and|or|vs\.?|versus)\s+{NUM})+"
    # "capped at 5, at 10 and at 15"
    rf"|{NUM}(?:\s*,\s*(?:at|to)\s+{NUM})*\s*,?\s*(?:and|or)\s+(?:at|to)\s+{NUM})")


#: The default sources of an element (and of carbon), never one of the compared new ones.
_DEFAULT_SOURCES = frozenset(lx.canonical(m) for m in (
    "ammonium", "nh4", "phosphate", "pi", "sulfate", "so4", "glucose"))
#: What one of two compared results has and the other has not ("essential anaerobically but
#: not aerobically", "open in iJO1366 but not in the core model", "that iJO1366's lacks").
_SET_DIFFERENCE = re.compile(r"\bbut\s+not\b|\bbecom\w*\s+essential\b[^.?]*\b(?:compared|"
                             r"relative|versus|vs\.?|than)\b|\b(?:that|which)\s+[\w' ]{1,30}?"
                             r"\blacks?\b|\bmissing\s+(?:from|in)\b|\bonly\s+(?:in|on|under|"
                             r"when)\b|\bnot\s+in\s+(?:the\s+)?[\w-]+(?:'s)?\s*(?:model|medium)?\s*\?")


#: A metabolite of a model asked about by its id: "what metabolite is g3p_c", "the formula of
#: pyr_c", "what is akg_c".
_METABOLITE_ASKED = re.compile(
    r"\bwhat\s+(?:metabolite|compound|species)\s+is\s+([a-z0-9]+(?:__[A-Za-z])?_[a-z]\d?)\b|"
    r"\b(?:formula|charge|compartment|name)\s+of\s+(?:the\s+)?(?:metabolite\s+)?"
    r"(?:[\w,'+-]+\s+){0,3}?\(?([a-z0-9]+(?:__[A-Za-z])?_[a-z]\d?)\b|\bwhat\s+is\s+([a-z0-9]+(?:__[A-Za-z])?_[cepm])\b",
    re.IGNORECASE)


def _compared_sources(low: str) -> list[str]:
    """The nutrients of a comparison of element sources: a default source (ammonium) only
    when it is an item of the list itself ("ammonium vs L-glutamine vs L-glutamate"), not
    when it is named as the one taken away ("NH4 off: L-alanine, L-serine")."""
    found = word_metabolites(low)
    joined = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|vs\.?\s+|versus\s+|or\s+|and\s+|/\s*)$")
    out = []
    for i, (pos, met) in enumerate(found):
        if lx.canonical(met) in _DEFAULT_SOURCES:
            nxt = found[i + 1] if i + 1 < len(found) else None
            prev = found[i - 1] if i > 0 else None
            if not ((nxt and joined.match(low[pos + len(met):nxt[0]])) or (
                    prev and joined.match(low[prev[0] + len(prev[1]):pos]))):
                continue
        out.append(met)
    return out


#: Essential only under the question's conditions: what changes against the default ones.
_BECOMES = re.compile(r"\b(?:becom\w*|turn\w*|are\s+made|newly|additionally|now)\s+"
                      r"(?:essential|lethal|indispensable)\b|\bnewly\s+(?:essential|lethal)\b")


#: "how many reactions carry flux", "number of active reactions": a count of the solution.
_COUNT_ACTIVE = re.compile(r"\bhow\s+many\s+(?:of\s+the\s+)?reactions?\s+(?:are\s+)?(?:carry|"
                           r"carrying|have|with|show)\s+(?:a\s+)?(?:non-?zero\s+)?flux|"
                           r"\bhow\s+many\s+(?:active|"
                           r"non-?zero)\s+(?:reactions|fluxes)|\bnumber\s+of\s+(?:active|non-?zero|"
                           r"flux-carrying)\s+(?:reactions|fluxes)|\bhow\s+many\s+reactions\s+are\s+"
                           r"active\b")


#: "how many more genes does salmonella have than iJO1366": one count minus another.
_COUNT_DIFFERENCE = re.compile(r"\bhow\s+many\s+(?:more|fewer|less|additional|extra)\s+"
                               r"(genes|reactions|metabolites|exchanges)\b|\bdifference\s+in\s+"
                               r"(?:the\s+)?(?:number\s+of\s+|(?:gene|reaction|metabolite)\s+"
                               r"counts?\s+)?(genes|reactions|metabolites|exchanges)\b|"
                               # "how many genes does salmonella have compared to iJO1366"
                               r"\bhow\s+many\s+(genes|reactions|metabolites|exchanges)\s+"
                               r"(?:does|do)\s+(?:\S+\s+)?(?:have|contain|carry)\s+(?:compared\s+"
                               r"(?:to|with)|versus|vs\.?|relative\s+to)\b")

#: The models fluxagent ships, for "all three bundled models".
BUNDLED_MODELS = ("e_coli_core", "iJO1366", "salmonella")
_ALL_MODELS = re.compile(r"\b(?:all|each|every|the)\s+(?:three|3)\s+(?:bundled\s+|available\s+|"
                         r"shipped\s+|built-?in\s+)?models\b|\b(?:all|each|every\s+one)(?:\s+of)?\s+"
                         r"(?:the\s+)?(?:bundled|shipped|built-?in)\s+models\b", re.IGNORECASE)


#: A carbon source added to the medium, not swapped for its default one.
_ON_TOP = re.compile(r"\bkeep\w*\s+(?:the\s+|its\s+)?(?:default\s+|usual\s+|normal\s+)?"
                     r"(?:d-)?glucose\b|\bon\s+top\s+of\b|\bin\s+addition\s+to\b|\bbesides\b|"
                     r"\balongside\b|\balso\s+(?:allow\w*|add\w*|feed\w*|suppl\w*|provid\w*|"
                     r"giv\w*|open\w*)\b|\bextra\b")


#: "a demand (reaction) for 2-oxoglutarate (akg_c)", "demand on lys__L_c": a metabolite id.
_DEMAND = re.compile(r"(?:\b(?:add|adding|added|use|using|create|introduce|with)\s+"
                     r"(?:an?\s+|the\s+)?)?\b(?:demand|sink)(?:\s+reaction)?\s+(?:for|on|of|to)"
                     r"\s+(?:the\s+)?(?:[\w'+,-]+\s+){0,3}?\(?\s*"
                     r"([A-Za-z0-9][A-Za-z0-9_]*_[a-z]{1,2}\d?)\b\s*\)?",
                     re.IGNORECASE)


def _demands(raw: str) -> tuple[tuple[str, ...], list[tuple[int, int]]]:
    """The metabolite ids a demand reaction is asked for, and the phrases that ask."""
    ids: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _DEMAND.finditer(raw):
        if m.group(1) not in ids:
            ids.append(m.group(1))
        spans.append((m.start(), m.end()))
    bare = _BARE_DEMAND.search(raw)
    if not ids and bare:  # "how much L-alanine (ala__L_c) ...? Add a demand reaction for it"
        named = list(dict.fromkeys(re.findall(r"\b([A-Za-z0-9]+(?:__[A-Za-z0-9]+)?_[a-z]\d?)\b",
                                              raw)))
        if len(named) == 1:
            ids.append(named[0])
            spans.append((bare.start(), bare.end()))
    return tuple(ids), spans


#: A demand asked for without naming its metabolite there ("add a demand reaction and
#: maximise it"): the one metabolite id the question gives.
_BARE_DEMAND = re.compile(r"\b(?:add|adding|create|introduce|use|using|with|put|putting|place|"
                          r"attach)\s+(?:an?\s+|the\s+)?"
                          r"(?:demand|sink)(?:\s+reaction)?\b(?:\s+(?:for|on|to)\s+it\b)?",
                          re.IGNORECASE)


def extract(text: Text) -> Slots:
    """Every slot the question fills."""
    spans = lx.find_models(text.raw)
    genomes = genome_files(text.raw, spans)
    models: list[str] = []
    for _, _, m in spans:
        if m not in models and m not in genomes:
            models.append(m)
    if not models and _ALL_MODELS.search(text.raw):  # "all three bundled models"
        models = list(BUNDLED_MODELS)
    masked = _mask(text.raw, spans)
    low = _drop_met_ids(masked.lower())
    masked_words = tuple(re.findall(r"[A-Za-z0-9_µΔδ]+(?:[-'.,+][A-Za-z0-9_µ]+)*|[()/,+&:;]",
                                    masked))  # ":" and ";" end a clause ("without glucose: ...")

    anaerobic, aerobic = bool(_ANAEROBIC.search(low)), bool(_AEROBIC.search(low))
    if re.search(rf"\bwith(?:\s+and|\s+or|\s*/)\s+without\s+(?:any\s+)?{_O2}\b|"
                 rf"\bwithout\s+(?:and|or)\s+with\s+{_O2}\b|\b{_O2}\s+(?:on\s+)?(?:and|or|vs\.?)\s+"
                 rf"(?:off|no\s+{_O2})\b", low):
        anaerobic = aerobic = True  # "with and without oxygen": both, compared
    oxygen = False if anaerobic and not aerobic else True if aerobic and not anaerobic else None
    both = anaerobic and aerobic
    carbons, product, rates = carbon_and_product(low)
    carbons = [c for c in carbons if not re.search(  # "(demand on lys__L_c)": what is made
        rf"\b(?:demand|sink)\s+(?:reaction\s+)?(?:on|for|of)\s+(?:the\s+)?{re.escape(c)}", low)]
    carbon = carbons[0] if carbons else None
    carbon_uptake = uptake_limit(low, re.escape(carbon)) if carbon else None
    if carbon_uptake is None:
        carbon_uptake = uptake_limit(low, r"(?:carbon|substrate|sugar)")
    if carbon_uptake is None and carbon is None:
        for met in ("glucose", "d-glucose"):
            carbon_uptake = uptake_limit(low, met)
            if carbon_uptake is not None:
                carbon = met
                carbons = [met]
                break
    instead = cx.usual_then_only(low)
    if instead is not None and carbon is not None and instead[0] == carbon:
        carbon_uptake = instead[1]  # "usually takes up 10 mmol of glucose; if it only gets 4"
    if carbon is not None and carbon_uptake is None:  # "..., uptake limited to 4"
        cap = re.search(rf"(?:^|[,;(]\s*|\bwith\s+(?:an?\s+|the\s+)?|\band\s+(?:an?\s+|the\s+)?)"
                      rf"(?:max(?:imum)?\s+)?uptake\s+(?:rate\s+)?(?:of\s+|is\s+)?(?:limited\s+|"
                      rf"capped\s+|set\s+|restricted\s+|fixed\s+|constrained\s+)?(?:to|at|of|=)?"
                      rf"\s*(?:at most\s+)?{NUM}", low)
        cap = cap or re.search(rf"\(\s*(?:sole|only)\s+(?:c|carbon)(?:\s+source)?\s*[,;:]\s*"
                               rf"(?:uptake\s+|max\s+|at\s+)?{NUM}", low) or re.search(
            rf"\b(?:carbon|c)(?:\s+source)?(?:\s+(?:for|in|of)\b(?:\s+\S+)?)?\s+(?:at|of|capped\s+at|"
            rf"limited\s+to|with\s+(?:an\s+)?uptake\s+of)\s+{NUM}", low)
        # "(sole C, 8 mmol)", "as carbon source at 12", "the sole carbon for iJO1366 at 6"
        cap = cap or re.search(rf"(?:^|[,;(]\s*){NUM}\s*mmol\S*\s+(?:max(?:imum)?\s+)?"
                               rf"(?:uptake|supply|feed|intake)\b|[,;]\s*{NUM}\s*mmol\S*\s*"
                               rf"(?:[,;]|$)|\b(?:let|allow)\s+it\s+(?:to\s+)?take\s+up\s+"
                               rf"(?:to\s+|at\s+most\s+|up\s+to\s+)?{NUM}",
                               low) or re.search(
            rf"\b{re.escape(carbon)}\b[^.;?\d()]{{0,50}}\(\s*{NUM}\s*mmol[^)]*\)", low) or \
            re.search(rf"\b(?:sole|only|single)\s+(?:carbon|c)(?:\s+(?:and\s+energy\s+)?source)?\s*\(\s*"
            rf"(?:max(?:imum)?\s*|up to\s+|at most\s+|≤\s*|<=\s*|=\s*)?{NUM}(?:\s*mmol[^)]*)?\)",
            low)  # "glycerol as sole carbon source (5)"
        # "on L-malate, 8 mmol/gDW/h uptake", "the glucose supply of the model (20 mmol/gDW/h)"
        if cap:
            carbon_uptake = _num(next(g for g in cap.groups() if g is not None))
    oxygen_uptake = uptake_limit(low, _O2)
    instead = cx.usual_then_only(low)
    if instead is not None and instead[0] == "oxygen":
        oxygen_uptake = instead[1]  # "the medium allows 18.5 O2; squeeze that down to 6"
    if oxygen_uptake is not None and (oxygen is None or oxygen_uptake == 0):
        oxygen = oxygen_uptake > 0  # "O2 uptake fixed to zero" is anaerobic
    masked_words = tuple(part for w in masked_words for part in (  # "manXYZ": three genes
        [x for g in lx.operon_genes(w) for x in (g, ",")][:-1] or [w]))
    genes, reactions, aliases, knockouts = gene_and_reaction_mentions(masked_words)
    enzymes = enzyme_mentions(low)
    for r in (*exchange_mentions(low), *enzymes):
        if r not in reactions:
            reactions.append(r)
    named = [k.lower() for k in knockouts]
    enzyme_kos = [e for e in enzyme_knockouts(low, enzymes) if e not in knockouts and not any(
        re.search(rf"\b{re.escape(e)}\b.{{0,25}}\b{re.escape(k)}\b", low) for k in named)]

    def inside(word: str) -> bool:  # 'glucose-6-phosphate' of "glucose-6-phosphate isomerase"
        return any(word.lower() != e and re.search(
            rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", e) for e in enzyme_kos)
    knockouts = [k for k in knockouts if not inside(k)] + enzyme_kos
    reactions = [r for r in reactions if not inside(r)]
    for e in enzymes:  # "the ATP synthase reaction (ATPS4r)": the id written after the name
        written = re.search(rf"\b{re.escape(e)}(?:\s+reaction)?\s*\(\s*([A-Za-z][A-Za-z0-9_]*)"
                            r"\s*\)", masked, re.IGNORECASE)
        rid = written.group(1) if written else ""
        if lx.reaction_like(rid) and (rid in reactions or e in reactions):
            # ("the fructose-bisphosphate aldolase reaction (FBA)": an id that is also a word)
            reactions = [rid if r == e else r for r in reactions if r != rid or e not in reactions]
            knockouts = list(dict.fromkeys(rid if k == e else k for k in knockouts))
    # ("the pyruvate dehydrogenase reaction (PDH)": the id after the name is the knockout)
    for glossed in re.finditer(r"\(\s*([A-Za-z][\w]*(?:\s*(?:,|and|&)\s*[A-Za-z][\w]*)+)\s*\)",
                              masked):  # "citrate synthase and ... fluxes (CS, ICDHyr)"
        written_ids = [i for i in re.split(r"\s*(?:,|\band\b|&)\s*", glossed.group(1)) if i]
        names = [e for e in enzymes if e in reactions and low.find(e) < glossed.start()]
        if len(written_ids) == len(names) and all(i in reactions for i in written_ids):
            reactions = [r for r in reactions if r not in names]
            knockouts = list(dict.fromkeys(dict(zip(names, written_ids, strict=True)).get(k, k)
                                           for k in knockouts))
    reactions = list(dict.fromkeys(reactions))
    floor, floor_fraction = growth_floor(low)
    fraction = optimum_fraction(low)
    if floor_fraction is not None and fraction == floor_fraction:
        fraction = None
    target = "reactions" if re.search(r"\breactions?\b", low) and not \
        re.search(r"\bgenes?\b", low) else "genes"
    minimize = ("flux" if re.search(r"\b(lowest|smallest|minimal|least|minimum|minimi[sz]\w*)\s+"
                                    r"(the\s+)?(total\s+)?(uptake|flux|import)", low) else
                "components" if re.search(r"\b(fewest|least|minimal|smallest|minimum)\s+"
                                          r"(number\s+of\s+)?(components|nutrients|compounds|"
                                          r"ingredients|uptakes|metabolites)", low) else None)
    source, sink = _pathway_ends(low)
    ids, namespace = translation(text.raw)
    namespaces = target_namespaces(text.raw) or ((namespace,) if namespace else ())
    ms_kind, ms_query, ms_ids, ms_ns = modelseed_question(text.raw)
    query = lookup_query(text.raw)
    if ms_kind == "lookup":
        query = ms_query
    elif ms_kind == "translate":
        ids, namespace, namespaces = ms_ids, ms_ns[0], ms_ns
    asked = _METABOLITE_ASKED.search(text.raw)
    if asked and not ids:  # "what metabolite is g3p_c in the core model, and its formula?"
        ids = (next(g for g in asked.groups() if g),)
    extra = cx.extract(masked, [r for r in reactions if lx.reaction_like(r)])
    quoted = {m for a, _, m in spans if any(x <= a < y for x, y in extra.spans)}
    if quoted and [m for m in models if m not in quoted]:  # "the ATPM lower bound iJO1366
        models = [m for m in models if m not in quoted]    # uses (3.15)": where it is from
    if product is None and re.search(r"\b(?:(?:how\s+many|max\w*|most)\s+"
                                     r"(?:mol(?:es)?\s+(?:of\s+)?)?|"
                                     r"mol(?:es)?\s+(?:of\s+)?)atps?\s+(?:per|from|for\s+each|/)\s*"
                                     r"(?:mol(?:e)?\s+(?:of\s+)?)?(?:glucose|glc|substrate|carbon|"
                                     r"[a-z-]+ose)\b", low):
        product = "atp"  # "how many ATP per glucose can it make at most"
    if product is None and "ATPM" in reactions and re.search(
            r"\bhow\s+much\s+atp\b[^?]*\b(?:at\s+most|max\w*)\b", low):
        product = "atp"  # "how much ATP (ATPM flux) can it generate at most"
    if product == "atp" and ("ATPM" in reactions or re.search(
            r"\byields?\b|\bmol(?:es)?\s+(?:of\s+)?atp\b|\batp\s+per\b", low)):
        # "ATP yield per glucose": ATP has no exchange; the ATP maintenance reaction (ATPM)
        # is what is made, its maximum the most ATP the network regenerates
        product = "ATPM"
        reactions = [r for r in reactions if r != "ATPM"]
        extra = replace(extra, objective=None)
    skip = {carbon, "oxygen", "o2"} if carbon_uptake is not None else {"oxygen", "o2"}
    uptakes = [(m, v) for m, v in extra.uptakes if m not in skip and not enzyme_only(low, m)
               and not (oxygen_uptake is not None and m in ("oxygen", "o2"))]
    if oxygen_uptake is None:
        o2 = [v for m, v in extra.uptakes if m in ("oxygen", "o2")]
        if o2:
            oxygen_uptake = o2[0]
            oxygen = o2[0] > 0
    if carbon_uptake is None and carbon is not None:
        mine = [v for m, v in uptakes if m == carbon]
        if mine:
            carbon_uptake = mine[0]
            uptakes = [(m, v) for m, v in uptakes if m != carbon]
    organic = [(m, v) for m, v in uptakes if m not in NON_CARBON and v > 0]
    if carbon is None and len(organic) == 1 and re.search(
            r"\b(?:sole|only|single)\s+(?:carbon|c)\b", low):  # "acetate at 10 as sole carbon"
        carbon, carbon_uptake = organic[0]
        carbons = [carbon]
        uptakes = [(m, v) for m, v in uptakes if m != carbon]
    given = dict(extra.uptakes)
    cofeed = tuple(c for c in extra.cofeed if given.get(c) != 0.0  # "no glucose; instead ..."
                   and not enzyme_only(low, c))  # "isocitrate lyase (ICL)": an enzyme
    each = re.search(rf"\b{NUM}(?:\s*mmol\S*)?\s+each\b|\b(?:each|both)\s+(?:at|capped\s+at|"
                     rf"limited\s+to)\s+{NUM}|\(\s*both\s+(?:at\s+)?{NUM}", low)
    if each and len(carbons) >= 2:  # "glycerol or succinate, 10 each": each one's uptake
        carbon_uptake = carbon_uptake if carbon_uptake is not None else \
            _num(next(g for g in each.groups() if g))
        uptakes = [(m, v) for m, v in uptakes if m not in carbons]
    if carbon is not None and carbon not in ("glucose", "d-glucose") and not cofeed and \
            _ON_TOP.search(low):
        # "keep the default glucose and also allow L-lactate at 5": one more uptake
        uptakes = [*uptakes, (carbon, carbon_uptake if carbon_uptake is not None else 10.0)]
        carbon, carbons, carbon_uptake = None, [], None
    if len(cofeed) >= 2 and re.search(r"\b(in addition to|on top of|to)\s+(the\s+)?"
                                      r"(default|existing|usual|normal)\b|\bglucose\s+at\s+"
                                      r"(?:its|the)\s+(?:default|usual|normal|standard)\b"
                                      r"(?!\s+(?:uptake\s+|rate\s+)?(?:of\s+)?\d)", low):
        cofeed = ()  # "add fructose to the default glucose": one more uptake, glucose stays
        carbon, carbons = None, []
    if len(cofeed) >= 2:
        carbon = cofeed[0]
        carbons = [carbon]
        each = re.search(rf"\beach\s+(?:one\s+)?(?:is\s+)?(?:capped|limited|restricted|"
                         rf"constrained|set|at|up\s+to|max(?:imum)?)\s*(?:at|to)?\s*"
                         rf"(?:at\s+most\s+)?{NUM}|\b(?:at|of|with)\s+{NUM}\s*(?:mmol\S*\s*)?each\b",
                         low)  # "glucose and xylose, each capped at 5", "at 3 mmol/gDW/h each"
        if each and (carbon_uptake is None or carbon_uptake == given.get(carbon)):
            carbon_uptake = _num(next(g for g in each.groups() if g))
            given = {c: carbon_uptake for c in cofeed} | {
                m: v for m, v in given.items() if m not in cofeed}
            uptakes = [(m, v) for m, v in uptakes if m not in cofeed]
            extra = replace(extra, spans=(*extra.spans, (each.start(), each.end())))
        mix = re.search(rf"\b(\d+)\s*[:/]\s*(\d+)\s+(?:mix|mixture|blend|split|ratio)\b[^.?]*?"
                        rf"(?:\b(?:totall?ing|in\s+total|total\s+of|summing\s+to|adding\s+up\s+to)\s+"
                        rf"{NUM}|(?<![\d.]){NUM}\s*(?:mmol\S*\s*)?(?:in\s+total|total)\b)", low) \
            if len(cofeed) == 2 else None
        if mix and int(mix.group(1)) + int(mix.group(2)) > 0:
            # "a 50:50 mix of glucose and fructose totalling 10": each its share of the total
            parts = int(mix.group(1)) + int(mix.group(2))
            total = float(mix.group(3) or mix.group(4))
            carbon_uptake = total * int(mix.group(1)) / parts
            given = {**given, cofeed[1]: total * int(mix.group(2)) / parts}
            uptakes = [(m, v) for m, v in uptakes if m not in cofeed]
            extra = replace(extra, spans=(*extra.spans, (mix.start(), mix.end())))
        if carbon_uptake is None and carbon in given:
            carbon_uptake = given[carbon]
        uptakes += [(c, given.get(c, carbon_uptake if carbon_uptake is not None else 10.0) if mix
                     else carbon_uptake if carbon_uptake is not None else 10.0)
                    for c in cofeed[1:] if c not in dict(uptakes)]
        uptakes = [(m, v) for m, v in uptakes if m != carbon]
    element_sources: tuple[tuple[str, str, float], ...] = ()
    uptake_series: tuple[tuple[str, float], ...] = ()
    for series in _SERIES.finditer(low):  # "growth with O2 uptake limited to 2, 5 and 10"
        what = series.group(1)
        nutrient = "oxygen" if re.fullmatch(_O2, what) else cx.metabolite_at(low, what)
        if nutrient:
            values = [float(v) for v in re.findall(NUM, series.group(2))]
            uptake_series = tuple((nutrient, v) for v in values)
            if nutrient == "oxygen":
                oxygen_uptake, oxygen = None, True
            elif nutrient == carbon:
                carbon_uptake = None
            uptakes = [(m, v) for m, v in uptakes if m != nutrient]
            break
    if not uptake_series and re.search(r"\b(?:vs\.?|versus|compared\s+(?:to|with)|against)\b|"
                                       r"\bor\b[^?.]*\?", low):
        # "with O2 at 5, versus the same with O2 at 15": one nutrient at two values, compared
        for nutrient, first in (("oxygen", oxygen_uptake), (carbon, carbon_uptake)):
            more = [v for m, v in extra.uptakes if m == nutrient or (
                nutrient == "oxygen" and m == "o2")]
            if nutrient and first is not None and any(v != first for v in more):
                uptake_series = tuple((nutrient, v) for v in dict.fromkeys([first, *more]))
                if nutrient == "oxygen":
                    oxygen_uptake, oxygen = None, True
                else:
                    carbon_uptake = None
                break
    compared = re.search(r"\b(nitrogen|phosphorus|sulfur|sulphur)\s+sources?\b", low)
    listed = _compared_sources(low[compared.end():]) if compared else []
    if compared and not extra.sole_element and len(listed) >= 2 and (
            len(carbons) < 2 or (len(listed) > len(carbons) and set(carbons) <= set(listed))):
        carbons = list(dict.fromkeys(listed))  # "nitrogen sources (...): L-glutamine, ..."
        each = re.search(rf"{NUM}\s*mmol\S*\s+each\b|\beach\s+(?:at\s+)?{NUM}", low)
        carbon_uptake = _num(next(g for g in each.groups() if g)) if each else carbon_uptake
    if compared and not extra.sole_element and len(carbons) >= 2:
        # "sole nitrogen source comparison (5 each, NH4 off): L-alanine, L-serine": each one
        # as the element's source, glucose stays the carbon source
        element = {"sulphur": "sulfur"}.get(compared.group(1), compared.group(1))
        up = carbon_uptake if carbon_uptake is not None else 10.0
        element_sources = tuple((element, c, up) for c in carbons)
        uptakes = [(m, v) for m, v in uptakes if m not in carbons]
        carbon, carbons, carbon_uptake = None, [], None
    for element, met in extra.sole_element:
        stated = [v for m, v in given.items() if _bare(m) == _bare(met)]
        uptakes = [(m, v) for m, v in uptakes if _bare(m) != _bare(met)]
        uptakes += [(cx.ELEMENT_SOURCE[element], 0.0), (met, stated[0] if stated else 10.0)]
        carbons = [c for c in carbons if c == met or (c not in met.replace("-", " ").split()
                   and not met.startswith(c + " "))]  # "sn-glycerol" of sn-glycerol 3-phosphate
        if carbon is not None and carbon not in carbons:
            carbon, carbon_uptake = (carbons[0] if carbons else None), None
        if carbon is not None and met != carbon and _bare(carbon) == _bare(met):
            carbon = met  # "proline as N source ... L-proline uptake at 5": one nutrient
            carbons = [met if _bare(c) == _bare(met) else c for c in carbons]
        if met in carbons and met != carbon:
            carbons.remove(met)
        if carbon == met:
            carbon, carbons = None, []
            if carbon_uptake in (given.get(met), *stated):
                carbon_uptake = None
    conditioned = {b[0] for b in extra.bounds} | {extra.objective}
    conditioned |= {b for a, b in aliases if a in conditioned} | \
        {a for a, b in aliases if b in conditioned}  # "pyruvate kinase (PYK)": one reaction
    limited = re.search(rf"\b{re.escape(carbon)}\s+uptake\b", low) \
        if carbon is not None and carbon_uptake is not None else None
    uptake_span = (limited.start(), limited.end()) if limited else None

    def in_condition(r: str) -> bool:  # "set the flux through pyruvate kinase (PYK) to 0"
        said = re.sub(r" exchange$", " uptake", r)  # "limit the glucose uptake ... to 4"
        spans_ = [*extra.spans, *([uptake_span] if uptake_span else [])]
        return r == r.lower() and any(  # a name, not an id; "the NH4 exchange shut" too
            at >= 0 and any(a <= at < b for a, b in spans_) for at in (low.find(said),
                                                                        low.find(r)))

    reactions = [r for r in reactions if r not in conditioned and not in_condition(r)] \
        if product is None else reactions
    at_optimum = re.search(r"\bat\s+(?:the\s+)?(?:max(?:imum|imal)?|optimal|optimum)\s*"
                           r"(?:growth)?\b|"
                           r"\bat\s+(?:its\s+|the\s+)?optimum\b|\bin\s+the\s+optimal\s+solution\b|"
                           r"\bwhen\s+growing\s+optimally\b|\bat\s+optimal\s+growth\b|"
                           r"(?:^|[,;:.]\s)\s*(?:at\s+)?(?:optimal|maximal|max(?:imum)?)\s+growth\s*"
                           r"[:;,]", low)
    said = "|".join(re.escape(n) for n in {product.lower(), product.lower().split("-")[-1]}) \
        if product else ""  # "at maximum lactate" names D-lactate's maximum
    if product is not None and product != "ATPM" and (not MAX_WORDS.search(low) or (
            at_optimum and not re.search(rf"\bmax\w*\s+(?:the\s+)?(?:{said})\b", low))):
        # "the ethanol secretion flux", "CO2 output": a flux at the optimum, not a maximum
        at = low.find(product)
        listed = metabolites_after(low, at) if at >= 0 else []
        for met in listed if product in listed else [product]:  # "ethanol and formate"
            if f"{met} exchange" not in reactions:
                reactions.append(f"{met} exchange")
        product = None
    exchanged = {lx.canonical(ex.group(1).lower()) for r in reactions
                 if (ex := re.fullmatch(r"EX_([A-Za-z0-9]+)(?:__[A-Za-z])?_e", r))}
    reactions = [r for r in reactions if not (  # "CO2 release (EX_co2_e)": one reaction
        r == r.lower() and " " in r and lx.canonical(r.split()[0]) in exchanged)]
    reactions = [r for r in reactions if not (  # "CO2 release rate": the CO2 exchange
        re.fullmatch(r"\S+ (?:release|output|export|production|secretion)", r) and
        f"{r.split()[0]} exchange" in reactions)]
    least = _LEAST_UPTAKE.search(low) if floor is not None or floor_fraction is not None \
        else None
    least_met = metabolite(least.group(1)) if least else None
    if least_met is not None:  # "the minimum glucose uptake needed to sustain 0.5 1/h"
        reactions = [*(r for r in reactions if r != f"{least_met} exchange"),
                     f"{least_met} exchange"]
    reference = None
    than = re.search(r"\bthan\s+(?:on\s+|with\s+|in\s+)?(?:the\s+)?([\w-]+)", low)
    if than and than.group(1) in carbons:
        reference = than.group(1)
    elif than:
        after = [m for a, _, m in spans if a >= than.start()]
        reference = after[0] if after and after[0] in models else None
    best = extra.best
    versus = bool(len(knockouts) <= 1 and len(genes) + len(reactions) >= 2 and re.search(
        r"\b(?:vs\.?|versus)\b", low) and re.search(  # "atpA vs nuoA mutants: which is worse"
        r"\b(?:mutants?|knock-?outs?|deletions?|deleted|crippled|lethal|hurts?)\b", low))
    if (versus or re.search(r"\bwhich\s+(?:single\s+)?(?:gene\s+|reaction\s+)?(?:knock-?outs?|"
                            r"deletions?|mutants?|kos?|losses)\b", low) or (re.search(
            r"\b(?:single|candidate|possible|potential|alternative|separate|individual)\s+"
            r"(?:gene\s+|reaction\s+)?(?:knock-?outs?|deletions?|mutants?|kos?|targets?)\b", low)
            and re.search(r"\bwhich\b|\beach\b|\bcompar\w*", low))) and \
            len(genes) + len(reactions) >= 2:  # "of these single knockouts, which one ..."
        knockouts = list(dict.fromkeys((*knockouts, *genes, *reactions)))  # each one alone
        hurt = re.search(r"\b(hurts?|lowers?|reduces?|decreases?|impairs?|harms?|damages?|"
                         r"affects?)\b[^?]*\b(most|least)\b|\b(most|least)\s+(?:crippled|impaired|"
                         r"affected|damaged|hurt|harmed)\b", low)
        if hurt:
            best = "min" if (hurt.group(2) or hurt.group(3)) == "most" else "max"
    ko_alternatives = (len(knockouts) >= 2 and bool(
        re.search(r"\b(or|vs\.?|versus|compared\s+(to|with))\b", low)) and bool(
        re.search(r"\b(which|compare\w*|worse|better|more|less|each|separately)\b", low))) or (
        len(knockouts) >= 2 and best is not None)
    demands, demand_spans = _demands(masked)
    objective = extra.objective
    if objective is not None:  # "malic enzyme (NAD), ME1": the gloss before the id is no reaction
        reactions = [r for r in reactions if not re.search(
            rf"\(\s*{re.escape(r)}\s*\)\s*,\s*{re.escape(objective)}\b", masked)]
    if demands and objective is None and re.search(
            r"\bmaximi[sz]\w*\s+(?:it|that|this|them|the\s+demand|its\s+flux)\b|"
            r"\bmax(?:imum|imal)?\s+(?:rate|flux|production|output)\b|"
            r"\bmaximi[sz]\w*\s*(?:[.?!]|$)|\bhow\s+much\b[^?]*\bat\s+most\b", low):
        objective = f"DM_{demands[0]}"  # "add a demand for akg_c and maximise it"
        if product is not None:  # "maximum production of oxaloacetate ... demand for oaa_c"
            demand_spans += [(m.start(), m.end()) for m in re.finditer(
                rf"\b(?:(?:max\w*\s+)?(?:production|synthesis|yield)\s+of\s+)?"
                rf"{re.escape(product)}\b", low)]
        product = None
    boundary = None
    if re.search(r"\bexchanges?(?:\s+reactions?)?\s+(?:(?:that|which)\s+)?(?:are|is)\s+(?:\w+\s+)?"
                 r"(?:essential|required|needed|indispensable)\b|\b(?:essential|required|indispensable)\s+(?:exchanges?|"
                 r"uptakes?|nutrients)\b", low):
        boundary = "exchanges"  # "which exchange reactions are essential": those alone
    elif left_out := re.search(r"\b(?:not\s+count\w*|not\s+includ\w*|exclud\w*|without|except|"
                               r"ignoring|leaving\s+out)\s+(?:the\s+|any\s+)?(?:ex_\w*\s+|"
                               r"exchanges?\b|boundary\b)", low):
        # "not counting EX_ reactions or biomass": the internal ones only; "not counting
        # exchanges" (biomass not named): the biomass reaction is counted
        boundary = None if re.search(r"\bbiomass|\bobjective|\bboundary", low[left_out.start():]) \
            else "without_exchanges"
    elif re.search(r"\ball\s+reactions?\s+(?:counted|included|considered)\b|\bcounting\s+"
                   r"(?:all|every)\b|\bevery\s+reaction\s+(?:counted|included)\b", low):
        boundary = "with"  # "(all reactions counted)": exchanges and biomass too
    elif re.search(r"\b(includ\w*|incl|counting|with|plus)\b\.?[^?]{0,30}\b(exchanges?|boundary|"
                 r"biomass)\b|\b(?:exchanges?|biomass|boundary)\b[^?.]{0,30}\b(?:included|too|"
                 r"as well|counted)\b", low):
        boundary = "with"
        if re.search(r"\bexclud\w*\s+(the\s+)?biomass|\bwithout\s+(the\s+)?biomass|"
                     r"\bnot\s+counting\s+(the\s+)?biomass", low):
            boundary = "without_biomass"
    elif re.search(r"\bexclud\w*\s+(the\s+)?biomass", low):
        boundary = "without_biomass"
    if not models and any(re.match(r"^stm_?\d{3,5}", g, re.IGNORECASE) for g in genes):
        models = ["salmonella"]  # "delete STM4221": a Salmonella locus tag names the model
    biomass_yield = bool(re.search(r"\b(?:biomass|growth|cell)\s+yields?\b|\byields?\s+of\s+"
                                   r"(?:biomass|cells)\b|\bgdw\s*(?:per|/)\s*(?:g|gram|mmol)\b|"
                                   r"\b(?:g|grams?|gdw)\s+(?:of\s+)?(?:dry\s+)?(?:biomass|cells?|"
                                   r"dry\s+weight)\s+(?:per|/|for\s+each)\s+(?:g|gram|mmol)\b",
                                   low))
    if biomass_yield and product is not None and re.search(
            rf"(?:\b(?:per|/)\s*(?:(?:g|gram|mmol|mol)\s+(?:of\s+)?)?|\b(?:on|from)\s+(?:the\s+)?)"
            rf"{re.escape(product.lower())}",
            low):
        # "biomass yield in gDW per g glucose": glucose is what is consumed, biomass is made
        if carbon is None:
            carbon, carbons = product, [product]
            carbon_uptake = uptake_limit(low, re.escape(carbon))
        product = None
    for rid, lo, hi in extra.bounds:  # "zero out the flux through TPI": the reaction knocked out
        if lo == hi == 0.0 and rid in knockouts and rid not in reactions and rid not in genes:
            reactions.append(rid)
    replaced = re.search(rf"\b(?:replac\w*|instead\s+of|in\s+place\s+of)\s+(?:the\s+)?(?:d-)?"
                         rf"glucose\b(?:\s+(?:at|with)\s+{NUM})?", low)
    if replaced and carbons and not {"glucose", "d-glucose"} & set(carbons):
        # "each replacing glucose at 10 mmol/gDW/h: galactose, maltose": the old source's
        # value is the new sources' rate; glucose itself is not fed
        uptakes = [(m, v) for m, v in uptakes if m not in ("glucose", "d-glucose")]
        if replaced.group(1) and carbon_uptake is None:
            carbon_uptake = float(replaced.group(1))
    rated = {c: rates[c] for c in carbons if c in rates}
    carbon_rates: tuple[tuple[str, float], ...] = ()
    if len(carbons) >= 2 and len(rated) == len(carbons):  # "succinate at 10 or malate at 8"
        uptakes = [(m, v) for m, v in uptakes if m not in rated]
        if len(set(rated.values())) == 1:
            carbon_uptake = next(iter(rated.values()))
        else:
            carbon_rates, carbon_uptake = tuple(rated.items()), None
    return Slots(
        namespaces=namespaces, uptakes=_first_per_nutrient(uptakes), medium=extra.medium,
        cofeed=cofeed,
        sole_element=extra.sole_element, bounds=tuple(  # "zero the flux through ENO": its knockout
            b for b in extra.bounds if not (b[1] == b[2] == 0.0 and b[0] in knockouts)),
        factors=tuple(
            (n, f) for n, f in extra.factors if n not in dict(uptakes) and not (
                n == carbon and carbon_uptake is not None)),  # "double it (20)": the value
        objective=objective, demands=demands,
        direction=extra.direction, doubling=extra.doubling,
        percent_change=extra.percent_change, best=best,
        consumed=(*extra.spans, *demand_spans),
        percent_of=extra.percent_of, mass_yield=extra.mass_yield, reference=reference,
        ko_alternatives=ko_alternatives, boundary=boundary,
        genome=genomes[0] if genomes else None, query=query, ids=ids,
        namespace=namespace,
        model=models[0] if models else None, models=tuple(models),
        carbon_source=carbon, carbon_sources=tuple(carbons), carbon_uptake=carbon_uptake,
        carbon_rates=carbon_rates, oxygen=oxygen, oxygen_both=both, oxygen_uptake=oxygen_uptake,
        genes=tuple(genes), reactions=tuple(r for r in reactions if not (
            oxygen is False and re.fullmatch(rf"{_O2}\s+exchange", r.lower()))),  # shut: no flux
        aliases=tuple(aliases),
        knockouts=tuple(knockouts),
        fraction=fraction, product=product, growth_floor=floor, floor_fraction=floor_fraction,
        least_uptake=least_met is not None,
        minimize=minimize, target=target, source=source, sink=sink,  # type: ignore[arg-type]
        compare=bool(_COMPARE.search(low)) or both or len(models) > 1,
        additive=bool(re.search(r"\b(also|additionally|as well|too|in addition|on top|"
                                r"another|additional|further|plus)\b", low)),
        phenotype_data=phenotypes.dataset(low), propose_fixes=phenotypes.wants_fixes(low),
        open_exchanges=bool(_OPEN_ALL.search(low)), element_sources=element_sources,
        count_active=bool(_COUNT_ACTIVE.search(low)),
        count_difference=difference.group(difference.lastindex or 1) if (
            difference := _COUNT_DIFFERENCE.search(low))
        else None,
        uptake_series=uptake_series, screen_after=bool(re.search(
            r"\b(?:then|and|also|next|after\s+that)\b[^.?]*\bessential\s+(?:genes|reactions)\b|"
            r"\bafter\s+(?:deleting|knocking\s+out|removing|the\s+\w+\s+(?:knockout|deletion))"
            r"\b[^?]*\b(?:genes|reactions)\s+(?:are|become)\s+essential\b", low)),
        biomass_yield=biomass_yield,
        set_difference=bool(_SET_DIFFERENCE.search(low) or _BECOMES.search(low)),
        versus_default=bool(_BECOMES.search(low)) and not _SET_DIFFERENCE.search(low),
        nutrients=tuple(dict.fromkeys(m for _, m in word_metabolites(low)
                                      if m not in ("medium", "biomass"))))
