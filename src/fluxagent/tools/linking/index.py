"""The linking index of one model: every way the model itself names its genes, reactions and
metabolites, as lookup tables of strings (never model objects).

Built from the model's ids, names, formulas and annotations (SBML annotations and notes: locus
tags, gene synonyms, EC numbers, KEGG/MetaCyc/MetaNetX/ChEBI/ModelSEED cross-references), plus
the shipped E. coli gene names for models without names. It is cached on the model instance and
rebuilt when the model's size changes; cobrapy's ``Model.copy`` shares it with the copies.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fluxagent.tools.linking.gene_names import ecoli_ids_by_name, ecoli_names
from fluxagent.tools.linking.text import (
    NO_NAME,
    SEED_ID,
    bare_name,
    ec_number,
    met_base,
    norm,
    strip_stereo,
)

Table = dict[str, list[str]]
#: Annotation / notes keys that hold no identifier of the entity itself. ``bigg.*`` adds
#: nothing to a BiGG id and is wrong on e_coli_core's exchanges (EX_for_e: bigg.reaction 'for').
_SKIP_KEY = re.compile(r"^sbo$|^bigg\.|association|gpr|subsystem|confidence|reference|comment|"
                       r"description|author|note|formula|charge|inchi$|smiles", re.I)
_EC_KEY = re.compile(r"^ec(?:[-_ ]?(?:code|number))?s?$", re.I)
_SEED_RXN = re.compile(r"^(rxn\d{5})(?:_[a-z]\d*)?$")


@dataclass
class Index:
    signature: tuple[int, int, int]
    rxn: dict[str, str] = field(default_factory=dict)  # id -> display name
    met: dict[str, str] = field(default_factory=dict)
    gene: dict[str, str] = field(default_factory=dict)  # model name, else the shipped name
    met_comp: dict[str, str] = field(default_factory=dict)
    formula: dict[str, str] = field(default_factory=dict)
    exchanges: dict[str, list[str]] = field(default_factory=dict)  # exchange id -> met ids
    ex_by_met: Table = field(default_factory=lambda: defaultdict(list))
    lower: dict[str, Table] = field(default_factory=dict)  # kind -> id.lower() -> ids
    ids_norm: dict[str, Table] = field(default_factory=dict)  # kind -> norm(id) -> ids
    names: dict[str, Table] = field(default_factory=dict)  # kind -> norm(primary name) -> ids
    alt_names: dict[str, Table] = field(default_factory=dict)  # annotated names, synonyms
    locus: Table = field(default_factory=dict)  # gene locus tags (refseq_locus_tag, ...)
    shipped: Table = field(default_factory=dict)  # norm(shipped E. coli name) -> gene ids
    xrefs: dict[str, Table] = field(default_factory=dict)  # kind -> cross-reference -> ids
    ecs: Table = field(default_factory=dict)  # EC number -> reaction ids
    formulas: Table = field(default_factory=dict)  # formula -> metabolite ids
    by_seed: dict[str, Table] = field(default_factory=dict)  # compound|reaction -> seed -> ids
    met_by_base: Table = field(default_factory=lambda: defaultdict(list))
    met_variants: Table = field(default_factory=lambda: defaultdict(list))
    rxns_by_gene: dict[str, list[str]] = field(default_factory=dict)
    classified: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


def signature(model: Any) -> tuple[Any, ...]:
    """Sizes and the last ids: a reaction added in place of one taken back (``with model:``
    blocks, one per tested item) changes the last id, not the size."""
    return (len(model.reactions), len(model.metabolites), len(model.genes),
            model.reactions[-1].id if model.reactions else None,
            model.metabolites[-1].id if model.metabolites else None)


def multi(pairs: Iterable[tuple[str, str]]) -> Table:
    out: Table = defaultdict(list)
    for key, value in pairs:
        if key and value not in out[key]:
            out[key].append(value)
    return dict(out)


_KEY_CLASS: dict[str, str] = {}


def _key_class(key: str) -> str:
    """What an annotation key holds: skip, seed, locus, name, ec or xref (memoised)."""
    cls = _KEY_CLASS.get(key)
    if cls is None:
        low = key.lower()
        cls = ("skip" if _SKIP_KEY.search(low) else "seed" if low.startswith("seed.") else
               "locus" if "locus" in low else
               "name" if "name" in low or "symbol" in low or "synonym" in low else
               "ec" if _EC_KEY.match(low) else "xref")
        _KEY_CLASS[key] = cls
    return cls


def annotation_items(obj: Any) -> Iterator[tuple[str, str]]:
    """(key class, value) of an object's annotation and notes (see ``_key_class``)."""
    for source in (obj.annotation, obj.notes):
        if not source:
            continue
        for key, raw in source.items():
            cls = _key_class(key)
            if cls == "skip":
                continue
            if isinstance(raw, str):
                if 0 < len(raw) <= 80:
                    yield cls, raw
            elif isinstance(raw, list | tuple):
                for value in raw:
                    if isinstance(value, str) and 0 < len(value) <= 80:
                        yield cls, value


def _name(obj: Any) -> str:
    name = (obj.name or "").strip()
    return "" if name.lower() in NO_NAME else name


def _add(table: Table, key: str, ident: str) -> None:
    ids = table.setdefault(key, [])
    if ident not in ids:
        ids.append(ident)


def _collect(ix: Index, kind: str, obj: Any, alt: list[tuple[str, str]],
             xrefs: list[tuple[str, str]], seeds: list[tuple[str, str]]) -> None:
    """Sort one entity's annotations into the tables of its kind."""
    for cls, value in annotation_items(obj):
        if cls == "seed":
            seeds.append((value, obj.id))
        elif cls == "locus" and kind == "gene":
            _add(ix.locus, norm(value), obj.id)
        elif cls == "name" or (cls == "locus"):
            alt.append((norm(value), obj.id))
        elif cls == "ec" and kind == "reaction":
            ec = ec_number(value)
            if ec:
                _add(ix.ecs, ec, obj.id)
        else:
            key = norm(value)
            if key and not key.isdigit():
                xrefs.append((key, obj.id))
            if ":" in value:
                key = norm(value.split(":", 1)[1])
                if key and not key.isdigit():
                    xrefs.append((key, obj.id))


def build(model: Any) -> Index:
    ix = Index(signature(model))
    shipped = ecoli_names()
    ix.rxn = {r.id: _name(r) for r in model.reactions}
    ix.met = {m.id: _name(m) for m in model.metabolites}
    ix.gene = {g.id: _name(g) or shipped.get(g.id, "") for g in model.genes}
    ix.met_comp = {m.id: m.compartment or "" for m in model.metabolites}
    ix.formula = {m.id: m.formula or "" for m in model.metabolites}
    for r in model.exchanges:
        mets = [m.id for m in r.metabolites]
        ix.exchanges[r.id] = mets
        for mid in mets:
            ix.ex_by_met[mid].append(r.id)
    tables = (("reaction", model.reactions, "reaction"), ("metabolite", model.metabolites,
              "compound"), ("gene", model.genes, ""))
    for kind, objs, seed_kind in tables:
        alt: list[tuple[str, str]] = []
        xrefs: list[tuple[str, str]] = []
        seeds: list[tuple[str, str]] = []
        primary: list[tuple[str, str]] = []
        for obj in objs:
            name = _name(obj)
            if name:
                primary.extend((k, obj.id) for k in dict.fromkeys(
                    (norm(name), norm(bare_name(name)))))
            _collect(ix, kind, obj, alt, xrefs, seeds)
            if seed_kind == "compound" and SEED_ID.match(met_base(obj.id)):
                seeds.append((met_base(obj.id), obj.id))
            elif seed_kind == "reaction" and _SEED_RXN.match(obj.id):
                seeds.append((_SEED_RXN.match(obj.id).group(1), obj.id))  # type: ignore[union-attr]
        ids = [o.id for o in objs]
        ix.lower[kind] = multi((i.lower(), i) for i in ids)
        ix.ids_norm[kind] = multi((norm(i), i) for i in ids)
        ix.names[kind] = multi(primary)
        ix.alt_names[kind] = multi(alt)
        ix.xrefs[kind] = multi(xrefs)
        if seed_kind:
            ix.by_seed[seed_kind] = multi(seeds)
    ix.shipped = {k: [g for g in v if g in ix.gene] for k, v in ecoli_ids_by_name().items()}
    ix.shipped = {k: v for k, v in ix.shipped.items() if v}
    ix.lower["exchange"] = multi((i.lower(), i) for i in ix.exchanges)
    ix.names["exchange"] = multi((norm(ix.rxn[i]), i) for i in ix.exchanges)
    ix.formulas = multi((f, mid) for mid, f in ix.formula.items() if f)
    for mid, name in ix.met.items():
        base = met_base(mid)
        ix.met_by_base[base].append(mid)
        variants = {norm(strip_stereo(bare_name(name))), base.lower(),
                    base.split("__")[0].lower()}
        for v in variants - {""}:
            if mid not in ix.met_variants[v]:
                ix.met_variants[v].append(mid)
    ix.rxns_by_gene = {g.id: [r.id for r in g.reactions] for g in model.genes}
    return ix


def index(model: Any) -> Index:
    """The model's index, built on first use and reused while the model keeps its size."""
    sig = signature(model)
    cached = getattr(model, "_fluxagent_index", None)
    if isinstance(cached, Index) and cached.signature == sig:
        return cached
    ix = build(model)
    with contextlib.suppress(AttributeError):
        model._fluxagent_index = ix
    return ix
