"""How mentions are normalised before lookup: case, punctuation, stereo prefixes, compartments.

Every key of the linking index and every query goes through the same functions, so 'STM_4085',
'stm4085' and 'STM4085' meet, as do 'D-Glucose', 'd glucose' and 'glucose'.
"""

from __future__ import annotations

import re

#: Chemistry nicknames -> BiGG base ids (a name may stand for several, e.g. lactate).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "glucose": ("glc__D",), "dextrose": ("glc__D",), "fructose": ("fru",),
    "galactose": ("gal",), "mannose": ("man",), "xylose": ("xyl__D",),
    "arabinose": ("arab__L",), "ribose": ("rib__D",), "sucrose": ("sucr",),
    "maltose": ("malt",), "lactose": ("lcts",), "trehalose": ("tre",), "glycerol": ("glyc",),
    "sorbitol": ("sbt__D",), "mannitol": ("mnl",), "gluconate": ("glcn",),
    "acetate": ("ac",), "acetic acid": ("ac",), "succinate": ("succ",),
    "succinic acid": ("succ",), "fumarate": ("fum",), "fumaric acid": ("fum",),
    "malate": ("mal__L",), "pyruvate": ("pyr",), "pyruvic acid": ("pyr",),
    "lactate": ("lac__D", "lac__L"), "lactic acid": ("lac__D", "lac__L"),
    "alpha-ketoglutarate": ("akg",), "α-ketoglutarate": ("akg",), "a-ketoglutarate": ("akg",),
    "2-ketoglutarate": ("akg",), "ketoglutarate": ("akg",), "oxoglutarate": ("akg",),
    "2-oxoglutarate": ("akg",), "alpha-kg": ("akg",), "citrate": ("cit",),
    "citric acid": ("cit",), "isocitrate": ("icit",), "oxaloacetate": ("oaa",),
    "ethanol": ("etoh",), "formate": ("for",), "formic acid": ("for",),
    "acetaldehyde": ("acald",), "glutamate": ("glu__L",), "glutamine": ("gln__L",),
    "oxygen": ("o2",), "dioxygen": ("o2",), "o2": ("o2",), "carbon dioxide": ("co2",),
    "co2": ("co2",), "ammonia": ("nh4",), "ammonium": ("nh4",), "nitrogen": ("nh4",),
    "phosphate": ("pi",), "orthophosphate": ("pi",), "sulfate": ("so4",),
    "sulphate": ("so4",), "water": ("h2o",), "proton": ("h",), "h+": ("h",),
    "hydrogen ion": ("h",), "hydrogen": ("h2",), "methanol": ("meoh",),
    "butyrate": ("but",), "propionate": ("ppa",), "butanol": ("btoh",),
    "atp": ("atp",), "adp": ("adp",), "nad": ("nad",), "nadh": ("nadh",),
    "nadp": ("nadp",), "nadph": ("nadph",), "coa": ("coa",), "coenzyme a": ("coa",),
    "acetyl-coa": ("accoa",), "glucose-6-phosphate": ("g6p",),
    "fructose-6-phosphate": ("f6p",), "phosphoenolpyruvate": ("pep",), "pep": ("pep",),
}
_STEREO = re.compile(r"^(?:d|l|r|s|dl|alpha|beta|α|β|\(r\)|\(s\)|cis|trans)[-\s]+", re.I)
ARTICLES = re.compile(r"\b(?:exchange|the|of|flux)\b", re.I)
#: A compartment written after a name: 'D-Glucose [c0]', 'D-Glucose_e0' (ModelSEED style).
_NAME_COMPARTMENT = re.compile(r"\s*\[[a-z]\w{0,3}\]$|_[a-z]\d$", re.I)
SEED_ID = re.compile(r"^(cpd|rxn)\d{5}$")
#: An EC number, optionally written 'EC 2.7.1.11' / 'ec:2.7.1.-'.
EC = re.compile(r"^(?:ec[\s:]*)?(\d+\.(?:\d+|-)\.(?:\d+|-)\.(?:n?\d+|-))$", re.I)
#: A molecular formula as chemists write it (case matters: 'CO2', 'C6H12O6').
FORMULA = re.compile(r"^(?:[A-Z][a-z]?\d*){2,}$")
#: Names that mean "no name" in some SBML files (salmonella has genes named 'None').
NO_NAME = frozenset({"", "none", "null", "nan"})


_NOT_KEY = re.compile(r"[^0-9a-zα-ω+]")
#: Ids of other databases that a person writes: KEGG (C00031, R00771), MetaNetX (MNXM41),
#: ChEBI / MetaCyc with their prefix (CHEBI:4167, META:GLC), MetaCyc reactions (PGI-RXN).
XREF_SHAPE = re.compile(r"^(?:[CRDG]\d{5}|MNX[MR]\d+|(?:chebi|meta|metacyc|ecocyc|biocyc|"
                        r"kegg|mnx|metanetx|bigg)\s*:\s*\S+|[A-Z0-9][A-Z0-9+-]*-RXN|CPD-\d+)$",
                        re.I)


def norm(text: str) -> str:
    """Lower case, letters and digits only: 'D-Glucose' -> 'dglucose', 'STM_4085' -> 'stm4085'."""
    return _NOT_KEY.sub("", text.lower())


def strip_stereo(name: str) -> str:
    prev = None
    while prev != name:
        prev, name = name, _STEREO.sub("", name.strip())
    return name


def bare_name(name: str) -> str:
    """A name without its compartment: 'D-Glucose [e0]' -> 'D-Glucose'."""
    return _NAME_COMPARTMENT.sub("", name.strip())


def met_base(met_id: str) -> str:
    """BiGG base id: 'glc__D_e' -> 'glc__D'."""
    return met_id.rsplit("_", 1)[0] if re.search(r"_[a-z][a-z0-9]?$", met_id) else met_id


def suffix(ident: str) -> str:
    """Compartment letter of an id: 'glc__D_e' -> 'e', 'cpd00027_e0' -> 'e', 'glc__D' -> ''."""
    m = re.search(r"_([a-z])\d?$", ident)
    return m.group(1) if m and met_base(ident) != ident else ""


def ec_number(text: str) -> str | None:
    """'EC 2.7.1.11' -> '2.7.1.11'; None for anything else."""
    m = EC.match(text.strip())
    return m.group(1) if m else None


def xref_keys(value: str) -> list[str]:
    """Lookup keys of a cross-reference: 'META:10-FORMYL-THF' -> ['meta10formylthf',
    '10formylthf']; 'CHEBI:16001' -> ['chebi16001'] (a bare number is never a key: a question's
    numbers are quantities, not ids)."""
    value = value.strip()
    keys = [norm(value)]
    if ":" in value:
        keys.append(norm(value.split(":", 1)[1]))
    return [k for k in dict.fromkeys(keys) if k and not k.isdigit()]
