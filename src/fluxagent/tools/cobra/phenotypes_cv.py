"""Cross-validated effect of phenotype fixes: chosen on part of the data, scored on the rest.

Fitting the data is not improvement: a fix proposed for one item always repairs that item.
So the items are split into ``folds`` (stratified by the measurement, deterministic); for each
fold, only the proposals made for the other folds' items are candidates, a proposal is kept
when it raises the agreement on those training items, and the kept ones, applied together, are
scored on the held-out fold. Reported: the held-out agreement before and after, per fold and
pooled over the folds. Agreement is the MCC for growth/no-growth and essentiality calls, the
Pearson correlation of predicted and measured rates for growth rates.

Re-scoring is exact and as cheap as it can be: growth items (one FBA each) whose recorded
optimal solution does not use a reaction a change only narrows keep their value, and with a
change that only adds reactions a growing item keeps growing; essentiality is the deletion
screen again on the changed model (``deletion.screen``: most knockouts are settled by the
wild-type solution without an LP).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import cobra

from fluxagent.tools.gene_rules import parse_rule
from fluxagent.tools.models import apply_change
from fluxagent.tools.registry import ToolContext

from .deletion import screen
from .phenotypes_data import Item, Kind
from .phenotypes_data import item_key as key
from .phenotypes_score import (
    binary_scores,
    essentiality_rows,
    outcome,
    rate_scores,
    source_growth,
)

Change = dict[str, Any]
#: An item's prediction as scored: its outcome (TP/FP/FN/TN) or (predicted, measured) rate.
Entry = str | tuple[float, float]
Predict = Callable[[Sequence[Change], Sequence[Item]], dict[str, Entry]]


def agreement(kind: Kind, entries: Iterable[Entry]) -> float | None:
    """MCC of outcomes, or the Pearson correlation of (predicted, measured) rates."""
    if kind != "rates":
        return float(binary_scores(e for e in entries if isinstance(e, str))["mcc"])
    pairs = [e for e in entries if isinstance(e, tuple)]
    return rate_scores([p for p, _ in pairs], [m for _, m in pairs])["pearson"]


def _better(after: float | None, before: float | None) -> bool:
    if after is None or (isinstance(after, float) and math.isnan(after)):
        return False
    return before is None or after > before + 1e-12


def support(model: cobra.Model, item: Item, close: Sequence[str]) -> tuple[float, frozenset[str]]:
    """Growth on ``item`` and the reactions its optimal solution uses."""
    if item.id not in model.reactions:
        return 0.0, frozenset()
    used: set[str] = set()
    g = source_growth(model, item, close, used=used)
    return g, frozenset(used)


def _blocked(model: cobra.Model, changes: Sequence[Change]) -> set[str] | None:
    """Reactions the changes only narrow (zero flux stays allowed), or None when a change may
    open something or forbid zero flux."""
    out: set[str] = set()
    for ch in changes:
        op = ch["op"]
        if op == "knockout_reactions":
            out.update(ch["reactions"])
        elif op == "knockout_genes":
            with model:
                before = {r.id: r.bounds for g in ch["genes"]
                          for r in model.genes.get_by_id(g).reactions}
                for g in ch["genes"]:
                    model.genes.get_by_id(g).knock_out()
                out.update(r for r, b in before.items()
                           if model.reactions.get_by_id(r).bounds != b)
        elif op == "set_bounds":
            r = model.reactions.get_by_id(ch["reaction"])
            lo, hi = float(ch["lower"]), float(ch["upper"])
            if lo < r.lower_bound or hi > r.upper_bound or not lo <= 0.0 <= hi:
                return None
            out.add(r.id)
        else:
            return None
    return out


def _applied(model: cobra.Model, changes: Sequence[Change]) -> None:
    """Apply ``changes`` inside a ``with model:``. An added reaction whose gene rule names a
    gene the model lacks is added without the rule (taken as always on: the screens knock out
    only the model's genes): cobrapy's nested contexts cannot take back a new gene."""
    genes = {g.id for g in model.genes}
    for ch in changes:
        if ch["op"] == "add_reactions":
            ch = {**ch, "reactions": [
                spec if not spec.get("gene_reaction_rule") or set(
                    cobra.core.gene.GPR.from_string(spec["gene_reaction_rule"]).genes) <= genes
                else {**spec, "gene_reaction_rule": ""} for spec in ch["reactions"]]}
        apply_change(model, ch)


def keeps_growing(model: cobra.Model, changes: Sequence[Change], wild: float,
                  fraction: float = 0.99) -> bool:
    """Whether the model with ``changes`` keeps ``fraction`` of the wild-type growth."""
    with model:
        _applied(model, changes)
        value = model.slim_optimize(error_value=0.0)
    return math.isfinite(value) and value >= fraction * wild


def growth_with(model: cobra.Model, items: Sequence[Item], close: Sequence[str],
                base: dict[str, tuple[float, frozenset[str]]], changes: Sequence[Change],
                settle_above: float | None = None) -> dict[str, float]:
    """Growth on every item with ``changes`` applied (inside a ``with model:``); ``base``:
    each item's growth and used reactions without them; ``settle_above``: with only added
    reactions, an item growing above this keeps its value (it is a call, not a rate)."""
    blocked = _blocked(model, changes)
    only_adds = settle_above is not None and all(ch["op"] == "add_reactions" for ch in changes)
    out: dict[str, float] = {}
    with model:
        _applied(model, changes)
        for it in items:
            g, used = base[key(it)]
            settled = (blocked is not None and not (used & blocked)) or \
                (only_adds and g > (settle_above or 0.0))
            out[key(it)] = g if settled else support(model, it, close)[0]
    return out


def outcomes_with(model: cobra.Model, items: Sequence[Item], close: Sequence[str],
                  base: dict[str, tuple[float, frozenset[str]]], changes: Sequence[Change],
                  threshold: float) -> dict[str, str]:
    """The growth/no-growth outcome of every item with ``changes`` applied."""
    grown = growth_with(model, items, close, base, changes, settle_above=threshold)
    return {key(it): outcome(grown[key(it)] > threshold, bool(it.observed)) for it in items}


def knockouts_with(model: cobra.Model, items: Sequence[Item], changes: Sequence[Change],
                   fraction: float, ctx: ToolContext, processes: int | None,
                   base: Mapping[str, Entry] | None = None) -> dict[str, str]:
    """The essentiality outcome of every gene with ``changes`` applied: the deletion screen
    on the changed model, essential below ``fraction`` of its own wild-type growth. With
    ``base`` (the outcomes without the changes) and only gene-rule edits that leave every
    bound as it was, only the genes of the edited rules are screened: a rule depends on its
    genes alone, and the wild-type optimum is the same."""
    with model:
        bounds = {r.id: r.bounds for r in model.reactions}
        _applied(model, changes)
        genes = _rule_genes(changes)
        if base is not None and genes is not None and all(
                model.reactions.get_by_id(r).bounds == b for r, b in bounds.items()
                if r in genes.reactions):
            kept = {it.id: str(base[it.id]) for it in items if it.id not in genes.genes}
            items = [it for it in items if it.id in genes.genes]
        else:
            kept = {}
        wild = model.slim_optimize(error_value=0.0)
        ids = [it.id for it in items]
        res = screen(model, "gene", [(g,) for g in ids], ctx, processes,
                     "knockouts with a proposed fix") if ids else []
    rows = essentiality_rows(ids, [g for g, _ in res], wild, fraction,
                             {it.id: bool(it.observed) for it in items})
    return kept | {r["id"]: r["outcome"] for r in rows}


class _RuleEdits(NamedTuple):
    reactions: frozenset[str]
    genes: frozenset[str]


def _rule_genes(changes: Sequence[Change]) -> _RuleEdits | None:
    """The reactions and genes (old and new rules) of gene-rule edits; None when another
    kind of change is among ``changes``."""
    if not changes or any(ch["op"] != "set_gene_rule" for ch in changes):
        return None
    genes: set[str] = set()
    for ch in changes:
        for rule in (ch["rule"], ch.get("old_rule") or ""):
            genes |= set(parse_rule(rule).genes)
    return _RuleEdits(frozenset(str(ch["reaction"]) for ch in changes), frozenset(genes))


def _edited_rules(proposal: dict[str, Any]) -> set[str]:
    return {str(ch["reaction"]) for ch in proposal["changes"] if ch["op"] == "set_gene_rule"}


def _compatible(proposals: Sequence[dict[str, Any]],
                scored: Sequence[tuple[float | None, int]],
                viable: Callable[[Sequence[Change]], bool] | None) -> list[int]:
    """The proposals kept together, best on the training items first: one edit per gene
    rule (two edits of one rule are alternatives, not a combination), and none that makes
    the ones before it, together, not ``viable`` (fixes each checked alone can kill the wild
    type together: knocking out b2 for b1, and b1 for b2)."""
    kept: list[int] = []
    edited: set[str] = set()
    for _, i in sorted(scored, key=lambda s: (-(s[0] or 0.0), s[1])):
        rules = _edited_rules(proposals[i])
        if rules & edited:
            continue
        if viable is not None and kept and not viable(
                [ch for j in [*kept, i] for ch in proposals[j]["changes"]]):
            continue
        kept.append(i)
        edited |= rules
    return sorted(kept)


def folds_of(items: Sequence[Item], k: int) -> list[set[str]]:
    """Stratified round-robin split of item keys (sorted by measurement, then key, so the
    same data gives the same folds)."""
    ordered = sorted(items, key=lambda it: (float(it.observed), key(it)))
    groups: list[set[str]] = [set() for _ in range(k)]
    for n, it in enumerate(ordered):
        groups[n % k].add(key(it))
    return groups


def cross_validate(kind: Kind, items: Sequence[Item], base: dict[str, Entry],
                   proposals: Sequence[dict[str, Any]], predict: Predict, k: int,
                   viable: Callable[[Sequence[Change]], bool] | None = None,
                   ) -> dict[str, Any]:
    """The cross-validation report; ``predict(changes, items)``: the entries of ``items``
    with ``changes`` applied; ``viable(changes)``: whether the model with them still grows
    as it should. Each proposal is scored once on all items, each fold's kept proposals once
    together on its held-out items; per kind of fix, the same with only that kind's
    proposals as candidates (``kinds``)."""
    metric = "pearson" if kind == "rates" else "mcc"
    effect = [predict(p["changes"], items) for p in proposals]
    before_all = agreement(kind, base.values())
    for p, eff in zip(proposals, effect, strict=True):
        p["effect_all_data"] = {"metric": metric, "before": before_all,
                                "after": agreement(kind, eff.values())}
    folds = folds_of(items, k)
    run = _Folds(kind, items, base, proposals, effect, predict, viable)
    rows, held_before, held_after = run.held_out(folds, range(len(proposals)))
    kinds: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(str(p["kind"]) for p in proposals):
        only = [i for i, p in enumerate(proposals) if p["kind"] == name]
        krows, _, kafter = (rows, held_before, held_after) if len(only) == len(proposals) \
            else run.held_out(folds, only)
        chosen = {x for r in krows for x in r["kept"]}
        kinds[name] = {"proposed": len(only), "held_out_after": kafter,
                       "kept": [proposals[i]["id"] for i in only
                                if proposals[i]["id"] in chosen]}
    report: dict[str, Any] = {"k": k, "metric": metric, "folds": rows, "kinds": kinds,
                              "held_out_before": held_before, "held_out_after": held_after}
    if metric == "mcc":
        report.update(held_out_mcc_before=report["held_out_before"],
                      held_out_mcc_after=report["held_out_after"])
    return report


class _Folds(NamedTuple):
    kind: Kind
    items: Sequence[Item]
    base: dict[str, Entry]
    proposals: Sequence[dict[str, Any]]
    effect: list[dict[str, Entry]]
    predict: Predict
    viable: Callable[[Sequence[Change]], bool] | None

    def held_out(self, folds: list[set[str]], candidates: Iterable[int],
                 ) -> tuple[list[dict[str, Any]], float | None, float | None]:
        """Per fold: the ``candidates`` proposed for the other folds that raise agreement
        there, kept together and scored on the fold; then the pooled held-out agreement."""
        kind, base, proposals, effect = self.kind, self.base, self.proposals, self.effect
        cands = list(candidates)
        rows: list[dict[str, Any]] = []
        pooled_before: list[Entry] = []
        pooled_after: list[Entry] = []
        for n, test in enumerate(folds):
            train = [i for i in base if i not in test]
            before_train = agreement(kind, (base[i] for i in train))
            scored = [(agreement(kind, (effect[i][t] for t in train)), i)
                      for i in cands if proposals[i]["item"] not in test]
            kept = _compatible(proposals, [(a, i) for a, i in scored
                                           if _better(a, before_train)], self.viable)
            held = [it for it in self.items if key(it) in test]
            changes = [ch for i in kept for ch in proposals[i]["changes"]]
            after = self.predict(changes, held) if changes else {key(it): base[key(it)]
                                                                 for it in held}
            rows.append({"fold": n + 1, "train": len(train), "test": len(test),
                         "train_before": before_train,
                         "kept": [proposals[i]["id"] for i in kept],
                         "test_before": agreement(kind, (base[key(it)] for it in held)),
                         "test_after": agreement(kind, after.values())})
            pooled_before += [base[key(it)] for it in held]
            pooled_after += [after[key(it)] for it in held]
        return rows, agreement(kind, pooled_before), agreement(kind, pooled_after)
