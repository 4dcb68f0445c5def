"""Resolve a mention to the model's own id: ordered lookup stages per kind, then one answer or a
precise failure.

Stages go from the most to the least specific (exact id, id in any case or punctuation, names,
annotated names and locus tags, cross-references and EC numbers, then the ModelSEED
biochemistry as a bridge to the other namespace); the first stage that matches decides. One
match resolves; several raise ``ToolFailure("unknown_id")`` listing them (no guessing); none
raises the same kind with the closest valid ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any, Literal

from fluxagent.tools.linking.index import Index, index
from fluxagent.tools.linking.text import (
    ARTICLES,
    FORMULA,
    SEED_ID,
    SYNONYMS,
    XREF_SHAPE,
    bare_name,
    ec_number,
    met_base,
    norm,
    strip_stereo,
    suffix,
)
from fluxagent.tools.results import ToolFailure

Kind = Literal["reaction", "exchange", "metabolite", "gene"]
KINDS: tuple[Kind, ...] = ("gene", "reaction", "metabolite", "exchange")


# ---------------------------------------------------------------------------- bridge
def _model_ids_of_seeds(ix: Index, seeds: Iterable[str], kind: str) -> list[str]:
    """Model ids for ModelSEED ids: the model's own ids or seed annotations, else BiGG aliases."""
    from fluxagent.tools.modelseed.bridge import bigg_for_seed

    out: list[str] = []
    own = ix.by_seed.get(kind, {})
    for seed in dict.fromkeys(seeds):
        found = list(own.get(seed, []))
        if not found:
            if kind == "compound":
                found = [m for b in bigg_for_seed(seed) for m in ix.met_by_base.get(b, [])]
            else:
                found = [r for r in bigg_for_seed(seed, "reaction") if r in ix.rxn]
        out.extend(i for i in found if i not in out)
    return out


def _same_compartment(text: str, mids: list[str]) -> list[str]:
    """Keep the ids in the compartment ``text`` names (BiGG 'e' is ModelSEED 'e0')."""
    comp = suffix(text)
    return [m for m in mids if suffix(m) == comp] if comp else mids


def _bridged_metabolite(text: str, ix: Index, deep: bool) -> list[str]:
    """The other namespace: 'glc__D_e', 'glucose' -> cpd00027_e0; 'cpd00027' -> glc__D_e;
    KEGG 'C00031', MetaCyc, MetaNetX or (deep) a ModelSEED name -> the model's metabolites."""
    from fluxagent.tools.modelseed.bridge import (
        bigg_for_seed,
        seed_for_bigg,
        seed_for_name,
        seed_for_xref,
    )

    t = text.strip()
    base = met_base(t)
    if SEED_ID.match(base):
        others: tuple[str, ...] = bigg_for_seed(base)
    else:
        bigg = [base, *SYNONYMS.get(t.lower(), ()), *SYNONYMS.get(strip_stereo(t).lower(), ())]
        others = tuple(s for b in dict.fromkeys(bigg) for s in seed_for_bigg(b, ignore_case=True))
    found = [m for o in dict.fromkeys(others) for m in ix.met_by_base.get(o, [])]
    if not found and SEED_ID.match(base):
        found = _model_ids_of_seeds(ix, [base], "compound")
    if not found and XREF_SHAPE.match(base):
        found = _model_ids_of_seeds(ix, seed_for_xref(base), "compound")
    if not found and deep and not SEED_ID.match(base):
        found = _model_ids_of_seeds(ix, seed_for_name(bare_name(t)), "compound")
    return _same_compartment(t, found)


def _bridged_reaction(text: str, ix: Index, deep: bool) -> list[str]:
    """'PGI' on a ModelSEED model -> rxn00558_c0; 'rxn00558_c0' on e_coli_core -> PGI; KEGG
    'R00771', an EC number or (deep) a ModelSEED name -> the model's reactions."""
    from fluxagent.tools.modelseed.bridge import (
        bigg_for_seed,
        seed_for_bigg,
        seed_for_ec,
        seed_for_name,
        seed_for_xref,
    )

    base = met_base(text)
    if SEED_ID.match(base):
        own = ix.by_seed.get("reaction", {}).get(base, [])
        return list(own) or [r for r in bigg_for_seed(base, "reaction") if r in ix.rxn]
    ec = ec_number(text)
    if ec:
        return _model_ids_of_seeds(ix, seed_for_ec(ec), "reaction")
    if re.match(r"^[A-Za-z][A-Za-z0-9_]*$", text):
        seeds = seed_for_bigg(text, "reaction")
        found = [r for s in seeds for r in ix.by_seed.get("reaction", {}).get(s, [])]
        if found:
            return list(dict.fromkeys(found))
    if XREF_SHAPE.match(text):
        return _model_ids_of_seeds(ix, seed_for_xref(text, "reaction"), "reaction")
    if deep:
        return _model_ids_of_seeds(ix, seed_for_name(bare_name(text), "reaction"), "reaction")
    return []


# ---------------------------------------------------------------------------- stages
def gene_stages(text: str, ix: Index) -> Iterator[list[str]]:
    t = text.strip()
    key = norm(t)
    yield [t] if t in ix.gene else []
    yield ix.lower["gene"].get(t.lower(), [])
    yield ix.ids_norm["gene"].get(key, [])  # STM_4085, stm4085 -> STM4085
    yield ix.locus.get(key, [])
    yield ix.names["gene"].get(key, [])
    yield ix.alt_names["gene"].get(key, [])
    yield ix.shipped.get(key, [])
    yield ix.xrefs["gene"].get(key, [])


def metabolite_stages(text: str, ix: Index, deep: bool = True) -> Iterator[list[str]]:
    t = text.strip()
    yield [t] if t in ix.met else []
    yield ix.lower["metabolite"].get(t.lower(), [])
    yield list(ix.met_by_base.get(t, []))
    yield ix.names["metabolite"].get(norm(t), [])
    syn = SYNONYMS.get(t.lower()) or SYNONYMS.get(ARTICLES.sub("", t.lower()).strip())
    if syn:
        yield [m for base in syn for m in ix.met_by_base.get(base, [])]
    yield list(ix.met_variants.get(norm(strip_stereo(t)), []))
    yield list(ix.met_variants.get(t.lower(), []))
    if bare_name(t) != t:  # 'D-Glucose_e0': the name of a metabolite in compartment e0
        yield _same_compartment(t, list(ix.names["metabolite"].get(norm(bare_name(t)), [])))
    yield ix.alt_names["metabolite"].get(norm(t), [])
    yield ix.xrefs["metabolite"].get(norm(t), [])
    if FORMULA.match(t):  # 'C6H12O6' is glucose, fructose, ...: ambiguous, with candidates
        yield ix.formulas.get(t, [])
    yield _bridged_metabolite(t, ix, deep)


def reaction_stages(text: str, ix: Index, deep: bool = True) -> Iterator[list[str]]:
    t = text.strip()
    yield [t] if t in ix.rxn else []
    yield [t[2:]] if t.startswith("R_") and t[2:] in ix.rxn else []
    yield ix.lower["reaction"].get(t.lower(), [])
    yield ix.names["reaction"].get(norm(t), [])
    yield ix.ids_norm["reaction"].get(norm(t), [])
    ec = ec_number(t)
    if ec:
        yield ix.ecs.get(ec, [])
    yield ix.alt_names["reaction"].get(norm(t), [])
    yield ix.xrefs["reaction"].get(norm(t), [])
    if not t.lower().startswith("ex_"):
        yield _bridged_reaction(t, ix, deep)


def _first(stages: Iterable[list[str]]) -> list[str]:
    for found in stages:
        if found:
            return list(found)
    return []


def _metabolites(text: str, ix: Index, compartment: str | None, deep: bool) -> list[str]:
    cands = _first(metabolite_stages(text, ix, deep))
    if len(cands) > 1 and compartment:
        inside = [m for m in cands if ix.met_comp.get(m) == compartment
                  or m.endswith("_" + compartment)]
        if inside:
            return inside
    return cands


def _exchanges(text: str, ix: Index, deep: bool) -> list[str]:
    t = text.strip()
    if t in ix.exchanges:
        return [t]
    found = _first((ix.lower["exchange"].get(t.lower(), []),
                    ix.lower["exchange"].get(("ex_" + t).lower(), []),
                    ix.lower["exchange"].get(("ex_" + t + "_e").lower(), []),
                    ix.lower["exchange"].get(("ex_" + t + "_e0").lower(), []),
                    ix.names["exchange"].get(norm(t), []),
                    ix.names["exchange"].get(norm(t + " exchange"), [])))
    if found:
        return found
    said = re.match(r"(.+?)\s+(?:exchange|uptake|secretion|excretion)(?:\s+reaction)?$", t,
                    re.IGNORECASE)
    if said:  # "nh4 exchange", "the acetate secretion": the named metabolite's exchange
        return _exchanges(said.group(1), ix, deep)
    # 'EX_cpd00027_e0' on a BiGG model: link its metabolite, then take that one's exchange
    met = t[3:] if t.lower().startswith("ex_") and SEED_ID.match(met_base(t[3:])) else t
    for cands in metabolite_stages(met, ix, deep):
        if not cands:
            continue
        exs: list[str] = []
        for base in sorted({met_base(m) for m in cands}):
            for mid in ix.met_by_base.get(base, []):
                exs.extend(e for e in ix.ex_by_met.get(mid, []) if e not in exs)
        if exs:
            return exs
    return []


def candidates(ix: Index, text: str, kind: Kind, *, compartment: str | None = None,
               exchange_fallback: bool = True, deep: bool = True) -> list[str]:
    """Every id of ``kind`` that the first matching stage gives for ``text`` (may be several).

    exchange_fallback: a reaction mention that names no reaction may name a metabolite whose
    exchange is meant ('glucose' -> EX_glc__D_e), as tools expect; ``classify`` turns it off.
    deep: also try the ModelSEED biochemistry's names (a table of 270k names, read once per
    process on the first mention the model does not know); ``classify`` turns it off.
    """
    if kind == "gene":
        return _first(gene_stages(text, ix))
    if kind == "metabolite":
        return _metabolites(text, ix, compartment, deep)
    if kind == "exchange":
        return _exchanges(text, ix, deep)
    if kind == "reaction":
        found = _first(reaction_stages(text, ix, deep))
        return found or (_exchanges(text, ix, deep) if exchange_fallback else [])
    raise ValueError(f"unknown kind {kind!r}")


# ---------------------------------------------------------------------------- failures
def _table(ix: Index, kind: Kind) -> dict[str, str]:
    return {"reaction": ix.rxn, "exchange": {i: ix.rxn[i] for i in ix.exchanges},
            "metabolite": ix.met, "gene": ix.gene}[kind]


def _other_kinds(ix: Index, text: str, kind: Kind) -> list[tuple[Kind, str]]:
    return [(k, i) for k in KINDS if k != kind and not (kind == "reaction" and k == "exchange")
            for i in candidates(ix, text, k, exchange_fallback=False, deep=False)[:3]]


def failure(text: str, kind: Kind, model: Any, ix: Index, matches: list[str] | None = None,
            ) -> ToolFailure:
    """The unknown_id failure for ``text``: ambiguous (with the matches) or not found (with
    the closest ids, and the kind the mention does have in this model, if any)."""
    table = _table(ix, kind)

    def label(i: str) -> str:
        return f"{i} ({table[i]})" if table.get(i) and table[i] != i else i

    mid = getattr(model, "id", "") or "the model"
    if matches:
        shown = ", ".join(label(i) for i in matches[:8])
        return ToolFailure("unknown_id", f"{text!r} is ambiguous in {mid}: it matches "
                           f"{len(matches)} {kind}s", hint=f"use one of: {shown}",
                           candidates=matches[:8], ambiguous=True)
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
    other = _other_kinds(ix, text, kind)
    if other:
        hint = f"{text!r} is a " + ", ".join(f"{k} ({i})" for k, i in other) + f" in {mid}"
    elif close:
        hint = "closest: " + ", ".join(label(i) for i in close[:5])
    else:
        hint = f"search the model with search_model(query={text!r})"
    return ToolFailure("unknown_id", f"no {kind} {text!r} in {mid}", hint=hint,
                       candidates=close[:5], other_kinds={text: [[k, i] for k, i in other]})


def combine(problems: list[ToolFailure]) -> ToolFailure:
    """One failure naming every problem at once."""
    if len(problems) == 1:
        return problems[0]
    return ToolFailure("unknown_id", "; ".join(p.message for p in problems),
                       hint=" | ".join(p.hint for p in problems if p.hint),
                       candidates=[c for p in problems for c in p.data.get("candidates", [])],
                       other_kinds={t: k for p in problems
                                    for t, k in p.data.get("other_kinds", {}).items()})


# ---------------------------------------------------------------------------- public
def link(model: Any, text: str, kind: Kind, *, compartment: str | None = None) -> str:
    """The one model id ``text`` stands for, or ToolFailure('unknown_id') with hints.

    kind: reaction (any reaction; falls back to the exchange of a named metabolite),
    exchange (an exchange reaction, also from a metabolite name: glucose -> EX_glc__D_e),
    metabolite (compartment picks among compartments, e.g. 'c'), gene (id, name, locus tag).
    """
    if not isinstance(text, str) or not text.strip():
        raise ToolFailure("bad_arguments", f"expected a {kind} id or name, got {text!r}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    ix = index(model)
    found = candidates(ix, text, kind, compartment=compartment)
    if len(found) == 1:
        return found[0]
    raise failure(text, kind, model, ix, found or None)


@dataclass
class Linked:
    """The outcome of linking several mentions: what resolved and what did not."""

    ids: list[str] = field(default_factory=list)
    missing: list[ToolFailure] = field(default_factory=list)  # not in the model
    ambiguous: list[ToolFailure] = field(default_factory=list)  # several matches
    texts: dict[str, str] = field(default_factory=dict)  # id -> the mention it came from


def link_each(model: Any, texts: Iterable[str], kind: Kind, *,
              compartment: str | None = None) -> Linked:
    out = Linked()
    for text in texts:
        try:
            ident = link(model, text, kind, compartment=compartment)
        except ToolFailure as exc:
            if exc.kind != "unknown_id":
                raise
            (out.ambiguous if exc.data.get("ambiguous") else out.missing).append(exc)
            exc.data.setdefault("text", text)
            continue
        if ident not in out.ids:
            out.ids.append(ident)
            out.texts[ident] = text
    return out


def link_many(model: Any, texts: Iterable[str], kind: Kind, *,
              compartment: str | None = None) -> list[str]:
    """Link several names; the error lists every unknown or ambiguous one at once."""
    res = link_each(model, texts, kind, compartment=compartment)
    problems = res.ambiguous + res.missing
    if problems:
        raise combine(problems)
    return res.ids


def reactions_of_genes(model: Any, gene_ids: Iterable[str]) -> list[str]:
    """Reactions whose gene rule is no longer satisfiable when these genes are gone."""
    dead = set(gene_ids)
    out: list[str] = []
    ix = index(model)
    touched = {r for g in dead for r in ix.rxns_by_gene.get(g, [])}
    for rid in sorted(touched):
        rxn = model.reactions.get_by_id(rid)
        if not rxn.gpr.eval(dead):
            out.append(rid)
    return out


def exchange_ids(model: Any) -> list[str]:
    """The model's exchange reactions (cobrapy's ``model.exchanges``, cached per instance)."""
    return list(index(model).exchanges)


def describe(model: Any, ident: str, kind: Kind) -> str:
    """'b4025 (pgi)' for messages."""
    name = _table(index(model), kind).get(ident, "") if kind != "exchange" else \
        index(model).rxn.get(ident, "")
    return f"{ident} ({name})" if name and name != ident else ident
