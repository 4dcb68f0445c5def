"""Predicting phenotypes with a model and scoring them against measurements.

Plain functions on a ``cobra.Model`` (a cobrapy user can call them): growth on a single
source is the optimum with the data set's ``close`` exchanges shut and the source opened to its
uptake (CarveMe's Biolog benchmark, ``carveme/reconstruction/benchmark.py``); a source without an
exchange in the model is predicted not to grow; a gene is essential when its knockout leaves
less than ``essential_fraction`` of wild-type growth (CarveMe's 0.1). Scores are the
confusion matrix, accuracy, Matthews correlation, precision and recall; rates are scored by
Pearson and Spearman correlation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import cobra
from scipy import stats

from fluxagent.tools.solver import optimize

from .phenotypes_data import Item, item_key

OUTCOMES = ("TP", "FP", "FN", "TN")
#: Predicted rates equal to this many decimals are ties for Spearman (solver noise of ~1e-12
#: would otherwise order equal optima at random).
TIE_DIGITS = 9
#: |net flux| above which a reaction counts as used by a solution.
USED_EPS = 1e-9


def set_uptake(model: cobra.Model, exchange: str, value: float) -> None:
    """Max uptake of one exchange (as cobrapy's ``model.medium`` setter does it)."""
    rxn = model.reactions.get_by_id(exchange)
    if rxn.reactants:
        rxn.lower_bound = -value
    else:
        rxn.upper_bound = value


def source_growth(model: cobra.Model, item: Item, close: Iterable[str],
                  oxygen: str | None = "EX_o2_e", used: set[str] | None = None) -> float:
    """Optimum with ``close`` shut and ``item``'s exchange opened (0 when not optimal);
    ``used`` receives the reactions that carry flux in the optimal solution."""
    with model:
        for ex in close:
            if ex in model.reactions:
                set_uptake(model, ex, 0.0)
        if item.anaerobic and oxygen and oxygen in model.reactions:
            set_uptake(model, oxygen, 0.0)
        set_uptake(model, item.id, item.uptake)
        status, value = optimize(model)
        if used is not None and status == "optimal":
            primal = model.solver.primal_values
            used.update(r.id for r in model.reactions
                        if abs(primal[r.id] - primal[r.reverse_id]) > USED_EPS)
    return float(value) if status == "optimal" and math.isfinite(value) else 0.0


def outcome(predicted: bool, observed: bool) -> str:
    if predicted:
        return "TP" if observed else "FP"
    return "FN" if observed else "TN"


def binary_scores(outcomes: Iterable[str]) -> dict[str, Any]:
    """Confusion matrix and the scores derived from it (None where undefined)."""
    outs = list(outcomes)
    tp, fp, fn, tn = (outs.count(k) for k in OUTCOMES)
    n = tp + fp + fn + tn
    denom = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return {"confusion": {"TP": tp, "FP": fp, "FN": fn, "TN": tn}, "n": n,
            "accuracy": (tp + tn) / n if n else None,
            "mcc": (tp * tn - fp * fn) / denom if denom else 0.0,
            "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None,
            "specificity": tn / (tn + fp) if tn + fp else None}


def rate_scores(predicted: Sequence[float], measured: Sequence[float]) -> dict[str, Any]:
    """Pearson and Spearman correlation (None with fewer than 3 points or no spread)."""
    n = len(predicted)
    flat = n < 3 or len(set(predicted)) < 2 or len(set(measured)) < 2
    out: dict[str, Any] = {"n": n, "pearson": None, "pearson_p": None, "spearman": None,
                           "spearman_p": None,
                           "rmse": math.sqrt(sum((p - m) ** 2 for p, m in
                                                 zip(predicted, measured, strict=True)) / n)
                           if n else None}
    if not flat:
        p = stats.pearsonr(predicted, measured)
        s = stats.spearmanr([round(x, TIE_DIGITS) for x in predicted], measured)
        out.update(pearson=float(p.statistic), pearson_p=float(p.pvalue),
                   spearman=float(s.statistic), spearman_p=float(s.pvalue))
    return out


def growth_predictions(model: cobra.Model, items: Sequence[Item], close: Sequence[str],
                       threshold: float, *, unknown_as_no_growth: bool = True,
                       used: dict[str, frozenset[str]] | None = None,
                       ) -> list[dict[str, Any]]:
    """One row per item: predicted growth, whether it counts as growth, the outcome
    (``used``: receives each item's reactions carrying flux)."""
    rows = []
    for it in items:
        known = it.id in model.reactions
        if not known and not unknown_as_no_growth:
            continue
        flux: set[str] | None = set() if used is not None else None
        g = source_growth(model, it, close, used=flux) if known else 0.0
        if used is not None:
            used[it.id] = frozenset(flux or ())
        pred = g > threshold
        rows.append({"id": it.id, "label": it.label, "observed": bool(it.observed),
                     "growth": g, "predicted": pred, "in_model": known,
                     "outcome": outcome(pred, bool(it.observed))})
    return rows


def rate_predictions(model: cobra.Model, items: Sequence[Item], close: Sequence[str],
                     used: dict[str, frozenset[str]] | None = None) -> list[dict[str, Any]]:
    """One row per item the model has an exchange for (``used``: receives each item's
    reactions carrying flux, keyed ``id`` or ``id (anaerobic)``)."""
    rows = []
    for it in items:
        if it.id not in model.reactions:
            continue
        flux: set[str] | None = set() if used is not None else None
        rows.append({"id": it.id, "label": it.label, "measured": float(it.observed),
                     "predicted": source_growth(model, it, close, used=flux),
                     "anaerobic": it.anaerobic, "uptake": it.uptake})
        if used is not None:
            used[item_key(it)] = frozenset(flux or ())
    return rows


def essentiality_rows(genes: Sequence[str], growth: Sequence[float], wild: float,
                      fraction: float, observed: dict[str, bool]) -> list[dict[str, Any]]:
    """Rows from knockout growth values (NaN = infeasible = essential)."""
    rows = []
    for g, value in zip(genes, growth, strict=True):
        pred = not (value >= fraction * wild)
        rows.append({"id": g, "label": "", "observed": observed[g],
                     "growth": None if math.isnan(value) else value, "predicted": pred,
                     "in_model": True, "outcome": outcome(pred, observed[g])})
    return rows
