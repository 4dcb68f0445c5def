"""Cross-validated effect of phenotype fixes: chosen on part of the data, scored on the rest.

Fitting the data is not improvement: a fix proposed for one source always repairs that source.
So the items are split into ``folds`` (stratified by the measurement, deterministic); for each
fold, only the proposals made for the other folds' disagreements are candidates, a proposal is
kept when it raises the MCC on those training items, and the kept ones, applied together, are
scored on the held-out fold. Reported: held-out MCC before and after, per fold and pooled.

Growth data only (one FBA per item). Re-scoring is exact and cheap: a change that only blocks
reactions cannot change an item whose recorded optimal solution does not use them, and a
change that only adds reactions cannot stop an item that grows; everything else is solved
again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import cobra

from fluxagent.tools.models import apply_change

from .phenotypes_data import Item
from .phenotypes_score import binary_scores, outcome, source_growth

Change = dict[str, Any]


def support(model: cobra.Model, item: Item, close: Sequence[str]) -> tuple[float, frozenset[str]]:
    """Growth on ``item`` and the reactions its optimal solution uses."""
    if item.id not in model.reactions:
        return 0.0, frozenset()
    used: set[str] = set()
    g = source_growth(model, item, close, used=used)
    return g, frozenset(used)


def _blocked(model: cobra.Model, changes: Sequence[Change]) -> set[str] | None:
    """Reactions the changes close, or None when a change may open something."""
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
            if ch["lower"] < r.lower_bound or ch["upper"] > r.upper_bound:
                return None
            out.add(r.id)
        else:
            return None
    return out


def outcomes_with(model: cobra.Model, items: Sequence[Item], close: Sequence[str],
                  base: dict[str, tuple[float, frozenset[str]]], changes: Sequence[Change],
                  threshold: float) -> dict[str, str]:
    """The outcome of every item with ``changes`` applied (inside a ``with model:``)."""
    blocked = _blocked(model, changes)
    only_adds = all(ch["op"] == "add_reactions" for ch in changes)
    out: dict[str, str] = {}
    with model:
        for ch in changes:
            apply_change(model, ch)
        for it in items:
            g, used = base[it.id]
            settled = (blocked is not None and not (used & blocked)) or \
                (only_adds and g > threshold)
            if not settled:
                g, _ = support(model, it, close)
            out[it.id] = outcome(g > threshold, bool(it.observed))
    return out


def folds_of(items: Sequence[Item], k: int) -> list[set[str]]:
    """Stratified round-robin split of item ids (sorted, so the same data gives the same folds)."""
    ordered = sorted(items, key=lambda it: (bool(it.observed), it.id))
    groups: list[set[str]] = [set() for _ in range(k)]
    for n, it in enumerate(ordered):
        groups[n % k].add(it.id)
    return groups


def cross_validate(base: dict[str, str], proposals: Sequence[dict[str, Any]],
                   effect: dict[int, dict[str, str]], folds: list[set[str]]) -> dict[str, Any]:
    """Held-out MCC before/after from each proposal's outcomes (``effect[i]``: item ->
    outcome with proposal ``i`` applied alone); the kept proposals of a fold are scored
    together by ``joint`` later (the caller), here only chosen."""
    rows = []
    for n, test in enumerate(folds):
        train = set(base) - test
        before_train = binary_scores(base[i] for i in train)["mcc"]
        kept = []
        for i, p in enumerate(proposals):
            if p["item"] not in train:
                continue
            after = binary_scores(effect[i][t] for t in train)["mcc"]
            if after > before_train + 1e-12:
                kept.append(i)
        rows.append({"fold": n + 1, "train": len(train), "test": len(test),
                     "train_mcc_before": before_train, "kept": kept,
                     "test_mcc_before": binary_scores(base[i] for i in test)["mcc"]})
    return {"folds": rows}
