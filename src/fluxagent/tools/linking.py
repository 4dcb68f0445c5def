"""Entity linking: turn what a person or an LLM wrote into the model's own ids, or fail precisely.

Every tool that takes reaction, exchange, metabolite or gene ids calls ``link`` /
``link_many``. Matching is driven by the model itself (ids, names, BiGG base ids, names without
stereo prefixes, gene names) plus a small table of chemistry nicknames. A unique match resolves;
no match or several matches raise ``ToolFailure("unknown_id")`` with the closest valid ids, so a
wrong id is never silently replaced by a guess.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from fluxagent.tools.results import ToolFailure

Kind = Literal["reaction", "exchange", "metabolite", "gene"]

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
_ARTICLES = re.compile(r"\b(?:exchange|the|of|flux)\b", re.I)
#: A compartment written after a name: 'D-Glucose [c0]', 'D-Glucose_e0' (ModelSEED style).
_NAME_COMPARTMENT = re.compile(r"\s*\[[a-z]\w{0,3}\]$|_[a-z]\d$", re.I)
_SEED_ID = re.compile(r"^(cpd|rxn)\d{5}$")


def norm(text: str) -> str:
    """Lower case, letters and digits only: 'D-Glucose' -> 'dglucose'."""
    return re.sub(r"[^0-9a-zα-ω+]", "", text.lower())


def _strip_stereo(name: str) -> str:
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


@dataclass
class _Index:
    signature: tuple[int, int, int]
    rxn: dict[str, str] = field(default_factory=dict)  # id -> name
    met: dict[str, str] = field(default_factory=dict)
    gene: dict[str, str] = field(default_factory=dict)
    met_comp: dict[str, str] = field(default_factory=dict)
    exchanges: dict[str, list[str]] = field(default_factory=dict)  # exchange id -> met ids
    ex_by_met: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lower: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    names: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    met_by_base: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    met_variants: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    rxns_by_gene: dict[str, list[str]] = field(default_factory=dict)


def _signature(model: Any) -> tuple[int, int, int]:
    return (len(model.reactions), len(model.metabolites), len(model.genes))


def _multi(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for key, value in pairs:
        if key and value not in out[key]:
            out[key].append(value)
    return dict(out)


def _index(model: Any) -> _Index:
    """Build (or reuse) the lookup tables; they hold strings only, never model objects."""
    sig = _signature(model)
    cached = getattr(model, "_fluxagent_index", None)
    if isinstance(cached, _Index) and cached.signature == sig:
        return cached
    ix = _Index(sig)
    ix.rxn = {r.id: r.name or "" for r in model.reactions}
    ix.met = {m.id: m.name or "" for m in model.metabolites}
    ix.met_comp = {m.id: m.compartment or "" for m in model.metabolites}
    ix.gene = {g.id: g.name or "" for g in model.genes}
    for r in model.exchanges:
        mets = [m.id for m in r.metabolites]
        ix.exchanges[r.id] = mets
        for mid in mets:
            ix.ex_by_met[mid].append(r.id)
    for kind, table in (("reaction", ix.rxn), ("metabolite", ix.met), ("gene", ix.gene)):
        ix.lower[kind] = _multi((i.lower(), i) for i in table)
        ix.names[kind] = _multi((key, i) for i, n in table.items()
                                for key in dict.fromkeys((norm(n), norm(bare_name(n)))))
    ix.lower["exchange"] = _multi((i.lower(), i) for i in ix.exchanges)
    ix.names["exchange"] = _multi((norm(ix.rxn[i]), i) for i in ix.exchanges)
    for mid, name in ix.met.items():
        base = met_base(mid)
        ix.met_by_base[base].append(mid)
        variants = {norm(_strip_stereo(bare_name(name))), base.lower(),
                    base.split("__")[0].lower()}
        for v in variants - {""}:
            if mid not in ix.met_variants[v]:
                ix.met_variants[v].append(mid)
    ix.rxns_by_gene = {g.id: [r.id for r in g.reactions] for g in model.genes}
    with contextlib.suppress(AttributeError):
        model._fluxagent_index = ix
    return ix


def _fail(text: str, kind: Kind, model: Any, ix: _Index, matches: list[str] | None = None,
          ) -> ToolFailure:
    table = {"reaction": ix.rxn, "exchange": {i: ix.rxn[i] for i in ix.exchanges},
             "metabolite": ix.met, "gene": ix.gene}[kind]

    def label(i: str) -> str:
        return f"{i} ({table[i]})" if table.get(i) and table[i] != i else i

    mid = getattr(model, "id", "") or "the model"
    if matches:
        shown = ", ".join(label(i) for i in matches[:8])
        return ToolFailure("unknown_id", f"{text!r} is ambiguous in {mid}: it matches "
                           f"{len(matches)} {kind}s", hint=f"use one of: {shown}",
                           candidates=matches[:8])
    keys: dict[str, str] = {}
    for i, name in table.items():
        keys.setdefault(i.lower(), i)
        if name:
            keys.setdefault(name.lower(), i)
    close: list[str] = []
    for k in get_close_matches(text.lower(), list(keys), n=12, cutoff=0.5):
        if keys[k] not in close:
            close.append(keys[k])
    if not close:
        key = norm(text)
        close = [i for i in table if key and (key in norm(i) or key in norm(table[i]))][:5]
    hint = ("closest: " + ", ".join(label(i) for i in close[:5]) if close else
            f"search the model with search_model(query={text!r})")
    return ToolFailure("unknown_id", f"no {kind} {text!r} in {mid}", hint=hint,
                       candidates=close[:5])


def _metabolite_stages(text: str, ix: _Index) -> Iterable[list[str]]:
    """Candidate metabolite ids, from the most to the least specific rule."""
    t = text.strip()
    yield [t] if t in ix.met else []
    yield ix.lower["metabolite"].get(t.lower(), [])
    yield list(ix.met_by_base.get(t, []))
    yield ix.names["metabolite"].get(norm(t), [])
    syn = SYNONYMS.get(t.lower()) or SYNONYMS.get(_ARTICLES.sub("", t.lower()).strip())
    if syn:
        yield [m for base in syn for m in ix.met_by_base.get(base, [])]
    yield list(ix.met_variants.get(norm(_strip_stereo(t)), []))
    yield list(ix.met_variants.get(t.lower(), []))
    if bare_name(t) != t:  # 'D-Glucose_e0': the name of a metabolite in compartment e0
        yield _same_compartment(t, list(ix.names["metabolite"].get(norm(bare_name(t)), [])))
    yield _bridged(t, ix)


def _suffix(ident: str) -> str:
    """Compartment letter of an id: 'glc__D_e' -> 'e', 'cpd00027_e0' -> 'e', 'glc__D' -> ''."""
    m = re.search(r"_([a-z])\d?$", ident)
    return m.group(1) if m and met_base(ident) != ident else ""


def _same_compartment(text: str, mids: list[str]) -> list[str]:
    """Keep the ids in the compartment ``text`` names (BiGG 'e' is ModelSEED 'e0')."""
    comp = _suffix(text)
    return [m for m in mids if _suffix(m) == comp] if comp else mids


def _bridged(text: str, ix: _Index) -> list[str]:
    """The other namespace: 'glc__D_e', 'glucose' -> cpd00027_e0; 'cpd00027' -> glc__D_e."""
    from fluxagent.tools.modelseed.bridge import bigg_for_seed, seed_for_bigg

    t = text.strip()
    base = met_base(t)
    if _SEED_ID.match(base):
        others = bigg_for_seed(base)
    else:
        bigg = [base, *SYNONYMS.get(t.lower(), ()), *SYNONYMS.get(_strip_stereo(t).lower(), ())]
        others = tuple(s for b in dict.fromkeys(bigg)
                       for s in seed_for_bigg(b, ignore_case=True))
    found = [m for o in dict.fromkeys(others) for m in ix.met_by_base.get(o, [])]
    return _same_compartment(t, found)


def _distinct_bases(mids: list[str]) -> set[str]:
    return {met_base(m) for m in mids}


def _link_metabolite(text: str, ix: _Index, compartment: str | None) -> list[str]:
    for cands in _metabolite_stages(text, ix):
        if not cands:
            continue
        if len(cands) > 1 and compartment:
            inside = [m for m in cands if ix.met_comp.get(m) == compartment
                      or m.endswith("_" + compartment)]
            if inside:
                cands = inside
        return cands
    return []


def _link_exchange(text: str, ix: _Index) -> list[str]:
    t = text.strip()
    if t in ix.exchanges:
        return [t]
    for stage in (ix.lower["exchange"].get(t.lower(), []),
                  ix.lower["exchange"].get(("ex_" + t).lower(), []),
                  ix.lower["exchange"].get(("ex_" + t + "_e").lower(), []),
                  ix.lower["exchange"].get(("ex_" + t + "_e0").lower(), []),
                  ix.names["exchange"].get(norm(t), []),
                  ix.names["exchange"].get(norm(t + " exchange"), [])):
        if stage:
            return stage
    # 'EX_cpd00027_e0' on a BiGG model: link its metabolite, then take that one's exchange
    met = t[3:] if t.lower().startswith("ex_") and _SEED_ID.match(met_base(t[3:])) else t
    for cands in _metabolite_stages(met, ix):
        if not cands:
            continue
        exs: list[str] = []
        for base in sorted(_distinct_bases(cands)):
            for mid in ix.met_by_base.get(base, []):
                exs.extend(e for e in ix.ex_by_met.get(mid, []) if e not in exs)
        if exs:
            return exs
    return []


def _link_reaction(text: str, ix: _Index) -> list[str]:
    t = text.strip()
    if t in ix.rxn:
        return [t]
    if t.startswith("R_") and t[2:] in ix.rxn:
        return [t[2:]]
    for stage in (ix.lower["reaction"].get(t.lower(), []),
                  ix.names["reaction"].get(norm(t), [])):
        if stage:
            return stage
    if not t.lower().startswith("ex_"):
        bridged = _bridged_reaction(t, ix)
        if bridged:
            return bridged
    return _link_exchange(t, ix)


def _bridged_reaction(text: str, ix: _Index) -> list[str]:
    """'PGI' on a ModelSEED model -> rxn00558_c0; 'rxn00558_c0' on e_coli_core -> PGI."""
    from fluxagent.tools.modelseed.bridge import bigg_for_seed, seed_for_bigg

    base = met_base(text)
    if _SEED_ID.match(base):
        return [r for r in bigg_for_seed(base, "reaction") if r in ix.rxn]
    if not re.match(r"^[A-Za-z][A-Za-z0-9_]*$", text):
        return []
    seeds = seed_for_bigg(text, "reaction")
    return [r for s in seeds for r in ix.rxn if r == s or re.fullmatch(s + r"_[a-z]\d", r)]


@lru_cache(maxsize=1)
def borrowed_gene_names() -> dict[str, list[str]]:
    """norm(name) -> E. coli b-numbers, from the names the bundled e_coli_core model carries.

    iJO1366's SBML has no gene names; with this table 'pgi' or 'pykF' still link to b4025 or
    b1676 in any model that uses b-numbers as gene ids.
    """
    path = resources.files("fluxagent") / "data" / "ecoli_gene_names.tsv"
    out: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text().splitlines():
        if line and not line.startswith(("#", "b_number")):
            ident, name = line.split("\t")[:2]
            out[norm(name)].append(ident)
    return dict(out)


def _link_gene(text: str, ix: _Index) -> list[str]:
    t = text.strip()
    if t in ix.gene:
        return [t]
    for stage in (ix.lower["gene"].get(t.lower(), []), ix.names["gene"].get(norm(t), [])):
        if stage:
            return stage
    return [g for g in borrowed_gene_names().get(norm(t), []) if g in ix.gene]


def link(model: Any, text: str, kind: Kind, *, compartment: str | None = None) -> str:
    """The one model id ``text`` stands for, or ToolFailure('unknown_id') with hints.

    kind: reaction (any reaction; falls back to the exchange of a named metabolite),
    exchange (an exchange reaction, also from a metabolite name: glucose -> EX_glc__D_e),
    metabolite (compartment picks among compartments, e.g. 'c'), gene (id or name).
    """
    if not isinstance(text, str) or not text.strip():
        raise ToolFailure("bad_arguments", f"expected a {kind} id or name, got {text!r}")
    ix = _index(model)
    if kind == "reaction":
        found = _link_reaction(text, ix)
    elif kind == "exchange":
        found = _link_exchange(text, ix)
    elif kind == "metabolite":
        found = _link_metabolite(text, ix, compartment)
    elif kind == "gene":
        found = _link_gene(text, ix)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    if len(found) == 1:
        return found[0]
    raise _fail(text, "reaction" if kind == "reaction" and not found else kind, model, ix,
                found or None)


def link_many(model: Any, texts: Iterable[str], kind: Kind, *,
              compartment: str | None = None) -> list[str]:
    """Link several names; the error lists every unknown one at once."""
    out: list[str] = []
    problems: list[ToolFailure] = []
    for text in texts:
        try:
            rid = link(model, text, kind, compartment=compartment)
        except ToolFailure as exc:
            problems.append(exc)
            continue
        if rid not in out:
            out.append(rid)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ToolFailure("unknown_id", "; ".join(p.message for p in problems),
                          hint=" | ".join(p.hint for p in problems if p.hint),
                          candidates=[c for p in problems for c in p.data.get("candidates", [])])
    return out


def reactions_of_genes(model: Any, gene_ids: Iterable[str]) -> list[str]:
    """Reactions whose gene rule is no longer satisfiable when these genes are gone."""
    from cobra.core.gene import GPR  # noqa: F401  (imported for the type of rxn.gpr)

    dead = set(gene_ids)
    out: list[str] = []
    ix = _index(model)
    touched = {r for g in dead for r in ix.rxns_by_gene.get(g, [])}
    for rid in sorted(touched):
        rxn = model.reactions.get_by_id(rid)
        if not rxn.gpr.eval(dead):
            out.append(rid)
    return out


def exchange_ids(model: Any) -> list[str]:
    """The model's exchange reactions (cobrapy's ``model.exchanges``, cached per instance)."""
    return list(_index(model).exchanges)


def describe(model: Any, ident: str, kind: Kind) -> str:
    """'b4025 (pgi)' for messages."""
    ix = _index(model)
    table = {"reaction": ix.rxn, "exchange": ix.rxn, "metabolite": ix.met, "gene": ix.gene}[kind]
    name = table.get(ident, "")
    if not name and kind == "gene":
        name = next((n for n, ids in _borrowed_by_id().items() if ident in ids), "")
    return f"{ident} ({name})" if name and name != ident else ident


@lru_cache(maxsize=1)
def _borrowed_by_id() -> dict[str, list[str]]:
    path = resources.files("fluxagent") / "data" / "ecoli_gene_names.tsv"
    out: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith(("#", "b_number")):
            ident, name = line.split("\t")[:2]
            out[name] = [*out.get(name, []), ident]
    return out
