"""Domain words the planner recognises: model names, metabolite names, filler words.

Recognising is not linking: this module only decides that "alpha-ketoglutarate" or "sdhA" is a
*mention* of something; the tool layer's entity linking maps the mention to the model's own id
(and says precisely when it cannot).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from fluxagent.llm.offline.text import words

#: (pattern on the lower-cased question, model id). First match wins, so specific names
#: come before generic ones.
MODEL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), m) for p, m in (
        (r"\be[\s._-]?coli[\s_-]core\b", "e_coli_core"),
        (r"\bcore\s+(e\.?\s?coli\s+)?(metabolic\s+)?model\b", "e_coli_core"),
        (r"\bcore\s+(e\.?\s?coli|escherichia coli)\b", "e_coli_core"),
        (r"\b(e\.?\s?coli|escherichia coli)\s+core\b", "e_coli_core"),
        (r"\btextbook\b", "e_coli_core"),
        (r"^(?:the\s+)?core(?=\s*[:;,]|\s+-\s)", "e_coli_core"),  # "core: PGI flux in [0, 3]"
        (r"\bsmall\s+(e\.?\s?coli\s+)?model\b", "e_coli_core"),
        (r"\bthe\s+(?:small\s+)?core\s+one\b", "e_coli_core"),  # "both models, the core one and"
        (r"\bijo\s?1366\b", "iJO1366"),
        (r"\b(genome[- ]scale|full|large|complete)\s+(e\.?\s?coli|escherichia coli)"
         r"(\s+k-?12)?\s+model\b", "iJO1366"),
        (r"\b(salmonella|iys\s?1720|lt2)\b", "salmonella"),  # the bundled file is iYS1720
    ))

#: "core" alone, as an item of a list of models ("core or iJO1366", "iJO1366 vs core").
_BARE_CORE = re.compile(r"(?:^|[\s:(,])(core)(?=\s*(?:\)|,|\?|\.|$|\s+(?:or|vs\.?|versus|and)\s"
                        r"+(?:the\s+)?(?:ijo|salmonella|e\.?\s?coli|genome|full|large)))"
                        r"|(?:(?<=\bvs\s)|(?<=\bvs\.\s)|(?<=\bor\s)|(?<=\band\s)|(?<=\bversus\s))"
                        r"(?:the\s+)?(core)\b(?!\s+(?:metabol|reactions?|pathways?|genes?|set))")
#: Any other BiGG-style model id ("iML1515", "iAF1260") or a model file path.
_BIGG_MODEL = re.compile(r"\b(i[A-Z][A-Za-z]{1,4}\d{3,4}[A-Za-z]?)\b")
_MODEL_FILE = re.compile(r"(?:^|[\s(\"'])([\w./~-]+\.(?:xml|xml\.gz|sbml|json|ya?ml|mat))\b",
                         re.IGNORECASE)

#: Common names and spellings modelers use, beyond the models' own metabolite names.
SYNONYMS = words("""
glucose d-glucose fructose galactose lactose maltose sucrose xylose d-xylose arabinose
l-arabinose ribose mannose mannitol sorbitol glycerol acetate succinate fumarate malate
l-malate pyruvate lactate d-lactate l-lactate ethanol formate citrate glutamate l-glutamate
glutamine l-glutamine alpha-ketoglutarate α-ketoglutarate a-ketoglutarate 2-oxoglutarate
oxoglutarate akg 2-ketoglutarate gluconate glycolate propionate butyrate oxaloacetate
acetaldehyde co2 ammonium ammonia phosphate oxygen o2 hydrogen h2 butanol isobutanol
1,3-propanediol 1,2-propanediol propanediol lysine alanine serine glycine threonine aspartate
asparagine proline arginine valine leucine isoleucine methionine tryptophan tyrosine
phenylalanine histidine cysteine glucose-6-phosphate fructose-6-phosphate phosphoenolpyruvate
pep atp nadh nadph acetyl-coa l-alanine d-alanine l-serine l-aspartate l-lysine l-threonine
galacturonate glucuronate glucosamine n-acetylglucosamine trehalose melibiose cellobiose
raffinose rhamnose fucose xylitol adenosine thymidine inosine uridine cytidine guanosine
succinic lactic acetic pyruvic fumaric citric malic glc glc__d nh4 urea taurine
thiosulfate cytidine amp pi so4 sulfate no3 h2s fe2+ fe3+ mg2+ k+ nh4+ na+ ca2+ cl- zn2+
cu2+ mn2+ cobalt2+
""")

#: Abbreviations and the name they stand for (one nutrient, two spellings).
_SAME = {"pi": "phosphate", "so4": "sulfate", "nh4": "ammonium", "nh4+": "ammonium",
         "ammonia": "ammonium", "o2": "oxygen", "glc": "glucose", "d-glucose": "glucose",
         "glc__d": "glucose", "ac": "acetate", "succ": "succinate", "glyc": "glycerol",
         "etoh": "ethanol", "no3": "nitrate", "akg": "alpha-ketoglutarate", "water": "h2o"}


def canonical(met: str) -> str:
    """One spelling per nutrient, so that "Pi" and "phosphate" are the same mention."""
    return _SAME.get(met.lower(), met.lower())


#: Words that can sit where a name goes but never name a metabolite, gene or reaction.
FILLER = words("""
a an the of and or with without in on at to for from by as is are was were be been being its it
this that these those their his her my our your which what who whom how why when where whether
if then than so such both either each all any some no not only just also too very much many
more most less least same other another one two three single double triple combined
simultaneous simultaneously gene genes reaction reactions enzyme enzymes knockout knockouts
knock knocked knocking out delete deleted deleting deletion deletions remove removed removing
mutant mutants strain strains growth grow grows growing rate model models core e coli e. e.coli
escherichia organism cell cells does do did can could would will should may might please tell
me give show what's happens happen happened effect effects impact change changes affect affects
still now yet there here under aerobic anaerobic anaerobically aerobically conditions condition
oxygen medium media flux fluxes still i we you essential lethal default glucose-minimal minimal
maximum max minimum min optimal optimum maximal wild type wild-type wt
""")

#: What a supply or an exchange "is" when it is switched off ("oxygen forbidden", "glucose
#: not allowed"): one list for oxygen and every other nutrient, so no wording reads as "with".
OFF = (r"(?:removed|unavailable|absent|off|missing|excluded|withdrawn|depleted|disabled|closed|"
       r"blocked|forbidden|prohibited|disallowed|denied|banned|barred|eliminated|withheld|"
       r"not\s+(?:allowed|available|permitted|supplied|provided|present|given|there)|"
       r"(?:switched|turned|shut|cut|closed)\s+(?:off|down)|taken\s+out|left\s+out)")
_GENE = re.compile(r"^(b\d{4}|[a-z]{3}[A-Z][0-9]?|[a-z]{3}[A-Z]{2}|[A-Z][a-z]{2}[A-Z]?)$")
_BNUMBER = re.compile(r"^b\d{4}$")
_REACTION = re.compile(r"^(EX_\w+|[Bb]iomass_\w+|[A-Z0-9]{2,}[A-Za-z0-9_]*|"
                       r"[A-Z][A-Z0-9]+[a-z]{1,3}\d?"
                       r"|rxn\d{5}(_[a-z]\d)?)$")
#: A ModelSEED compound id, with or without its compartment: cpd00027, cpd00027_e0.
SEED_COMPOUND = re.compile(r"^cpd\d{5}(_[a-z]\d?)?$", re.IGNORECASE)
#: A compartment suffix of an id: glc__D_e, cpd00027_e0.
_ID_COMPARTMENT = re.compile(r"_[a-z]\d?$")


def is_file(mention: str) -> bool:
    """A model mention that is a file path, not a model name."""
    return bool(_MODEL_FILE.fullmatch(" " + mention))


def find_models(raw: str) -> list[tuple[int, int, str]]:
    """Model mentions in a question: (start, end, model id or file path), in text order."""
    low = raw.lower()
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for pat, model in MODEL_PATTERNS:
        for m in pat.finditer(low):
            if free(m.start(), m.end()):
                found.append((m.start(), m.end(), model))
                taken.append((m.start(), m.end()))
    for m in _BIGG_MODEL.finditer(raw):
        if free(m.start(), m.end()) and m.group(1).lower() != "ijo1366":
            found.append((m.start(), m.end(), m.group(1)))
            taken.append((m.start(), m.end()))
    if found:  # "which grows faster: core or iJO1366?": a bare "core" listed with a model
        for m in _BARE_CORE.finditer(low):
            g = 1 if m.group(1) else 2
            if free(m.start(g), m.end(g)):
                found.append((m.start(g), m.end(g), "e_coli_core"))
                taken.append((m.start(g), m.end(g)))
    for m in _MODEL_FILE.finditer(raw):
        if free(m.start(1), m.end(1)):
            found.append((m.start(1), m.end(1), m.group(1)))
            taken.append((m.start(1), m.end(1)))
    return sorted(found)


@lru_cache(maxsize=1)
def metabolite_names() -> frozenset[str]:
    """Lower-cased metabolite names and ids the planner recognises as metabolite mentions."""
    text = resources.files("fluxagent").joinpath("data/offline/metabolites.txt").read_text()
    names: set[str] = set(SYNONYMS)
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
        elif section == "[names]" or (section == "[ids]" and (len(line) >= 4 or "__" in line)):
            names.add(line.lower())
    return frozenset(names)


_NOT_METABOLITE_SUFFIXED = words("""
rate state late estimate approximate separate generate accumulate calculate evaluate indicate
demonstrate create update immediate ultimate moderate adequate appropriate illustrate substrate
elaborate those whose close choose dose purpose suppose propose lose whole role sole control
protocol alcohol pool tool school routine machine line determine examine medicine define
combine mine nine fine engine baseline pipeline online translate relate simulate stimulate
tolerate operate iterate activate deactivate inactivate eliminate incorporate accelerate
saturate regulate dominate terminate compensate investigate anticipate alternate aggregate
candidate ultimate template private climate magnitude alone done none gone someone everyone
plate plates debate primate intimate senate mandate consolidate validate tone bone
anyone phone zone stone clone provide inside outside beside aside guide decide override
divide slide wide include exclude conclude otherwise likewise suppose expose dispose oppose
shine decline outline combine refine mine examine imagine doctrine discipline genuine
patrol control carol enroll
tabulate formulate articulate populate manipulate emulate speculate postulate stipulate
elucidate accommodate navigate mitigate negate delegate propagate replicate duplicate locate
allocate dedicate educate complicate communicate deviate alleviate associate initiate
differentiate negotiate appreciate originate penetrate concentrate demonstrate integrate
migrate vibrate celebrate tolerate moderate considerate accurate adequate deliberate literate
""")


def is_metabolite(word: str) -> bool:
    """A word (or short phrase) that names a metabolite: known, or shaped like one."""
    w = word.lower().strip()
    if w in metabolite_names() or SEED_COMPOUND.match(w):
        return True
    if "_" in w and _ID_COMPARTMENT.sub("", w) in metabolite_names() - FILLER:
        return True  # a BiGG id with its compartment: glc__d_e, succ_e
    if w in FILLER or w in _NOT_METABOLITE_SUFFIXED or len(w) < 5 or \
            any(p in FILLER for p in w.split("-") if "-" in w):
        return False  # "growth-rate" is shaped like a metabolite, but names none
    return bool(re.search(r"(ate|ose|ol|ine|coa|ide|one)$", w)) and w.replace("-", "").isalpha()


#: E. coli gene names that are also English words or ids of other things.
_ENGLISH_GENE_NAMES = words("can name many tam succ")


@lru_cache(maxsize=1)
def _gene_names() -> frozenset[str]:
    table = resources.files("fluxagent") / "data" / "ecoli_gene_names.tsv"
    return frozenset(line.split("\t")[1].lower() for line in table.read_text().splitlines()
                     if line and not line.startswith(("#", "b_number")))


def known_gene_name(word: str) -> bool:
    """An E. coli gene name shipped with fluxagent ("zwf", "pfkA"), not an English word."""
    low = word.lower()
    return low in _gene_names() and low not in _ENGLISH_GENE_NAMES


def operon_genes(word: str) -> list[str]:
    """The genes an operon shorthand names ("manXYZ" -> manX, manY, manZ; "sdhCDAB"), when
    every one is a known E. coli gene name; else []."""
    m = re.fullmatch(r"([a-z]{3})([A-Z]{2,6})", word)
    if m is None:
        return []
    genes = [m.group(1) + c for c in m.group(2)]
    return genes if all(g.lower() in _gene_names() for g in genes) else []


def gene_like(word: str) -> bool:
    return bool(_GENE.match(word)) and word.lower() not in FILLER


def bnumber(word: str) -> bool:
    return bool(_BNUMBER.match(word))


#: Names of growth media shaped like reaction ids ("M9 glucose").
_MEDIA = frozenset({"m9", "mops", "lb", "ld", "ypd", "tb"})


def reaction_like(word: str) -> bool:
    return bool(_REACTION.match(word)) and not bnumber(word) and word.lower() not in _MEDIA \
        and not word.endswith("_")  # "ignore EX_ reactions": a prefix, not an id
