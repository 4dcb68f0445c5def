"""``reconcile_phenotypes``: proposed model changes for the disagreements with phenotype data.

Scores the model as ``compare_phenotypes`` does, then for each disagreement (up to
``max_items``; for growth rates, the largest overestimates) proposes the changes of
``phenotypes_fixes.py`` and the gene-rule edits of ``phenotypes_gpr.py``, each checked in
silico, and reports their cross-validated effect on every kind of data (``phenotypes_cv.py``:
held-out MCC, or held-out Pearson correlation for rates). Gap filling draws on the universal
BiGG set or a ModelSEED template. Nothing is applied here: each proposal is applied by its own
``apply_model_fix`` call, which always waits for a person's approval and shows the diff
(``phenotypes_apply.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import cobra
from pydantic import Field

from fluxagent.tools.conditions import apply_conditions, conditions_text
from fluxagent.tools.models import ModelStore
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolResult
from fluxagent.tools.toolkit import Deadline, fmt, require_objective

from . import phenotypes_cv as cv
from . import phenotypes_fixes as fixes
from .fba import model_name
from .gapfill import SOURCES, _base_model, universal_model
from .phenotypes import TITLES, PhenotypeArgs, evaluate, expand, load_dataset
from .phenotypes_data import Item
from .phenotypes_gpr import gene_rule_edits
from .universe_modelseed import template_universe


class ReconcileArgs(PhenotypeArgs):
    max_items: int = Field(default=10, ge=1, le=200, description="Disagreements to propose "
                           "fixes for (lab-only growth first, then model-only; rates: the "
                           "largest overestimates).")
    folds: int = Field(default=3, ge=2, le=10, description="Cross-validation folds.")
    gapfill: bool = Field(default=True, description="Propose gap-filling for growth the "
                          "model misses (a MILP per item).")
    universe: Literal["bigg", "modelseed"] = Field(default="bigg", description="Gap-filling "
                                                   "candidates: the universal BiGG set of "
                                                   "the bundled models, or a ModelSEED "
                                                   "template translated to BiGG ids.")
    template: Literal["Core-V6", "Core-V5.2", "CoreModelTemplateV5"] = Field(
        default="Core-V6", description="The ModelSEED template (universe='modelseed').")
    gene_rules: bool = Field(default=True, description="Propose gene-rule edits for genes "
                             "the lab finds essential and the model does not: the isozyme "
                             "dropped from one reaction's rule, or the isozymes read as one "
                             "complex ('b1 or b2' -> 'b1 and b2').")
    items: list[str] | None = Field(default=None, max_length=200, description="Only these "
                                    "disagreements (gene or exchange ids), e.g. [\"b2752\"].")


def _universe(model: cobra.Model, args: ReconcileArgs, store: ModelStore | None,
              ) -> tuple[cobra.Model, dict[str, Any]]:
    if args.universe == "modelseed":
        return template_universe(args.template, model)
    universe, _ = universal_model(SOURCES, store)
    return universe, {"universe": "bigg", "sources": list(SOURCES)}


def _wrong(ev_rows: list[dict[str, Any]], kind: str, args: ReconcileArgs,
           ) -> list[dict[str, Any]]:
    """The disagreements to propose fixes for, in order."""
    if args.items is not None:
        ev_rows = [r for r in ev_rows if r["id"] in set(args.items)]
    if kind == "rates":
        over = [r for r in ev_rows if r["predicted"] > r["measured"]]
        return sorted(over, key=lambda r: -(r["predicted"] - r["measured"])
                      / max(r["measured"], 1e-9))[:args.max_items]
    fill = {("growth", "FN"), ("essentiality", "FP")}  # the cases gap filling answers
    return sorted((r for r in ev_rows if r["outcome"] in ("FN", "FP")
                   and (args.gapfill or (kind, r["outcome"]) not in fill)),
                  key=lambda r: (r["outcome"] != "FN", r["id"]))[:args.max_items]


def _propose(model: cobra.Model, ev_rows: list[dict[str, Any]], items: dict[str, Item],
             kind: str, args: ReconcileArgs, ds_close: tuple[str, ...], wild: float,
             ctx: ToolContext, deadline: Deadline,
             ) -> tuple[list[dict[str, Any]], list[str], dict[str, Any] | None]:
    name = model_name(model)
    wrong = _wrong(ev_rows, kind, args)
    store = ctx.models if isinstance(ctx.models, ModelStore) else None
    universe: cobra.Model | None = None
    about: dict[str, Any] | None = None
    sources: list[cobra.Model] = []
    props: list[dict[str, Any]] = []
    none_found: list[str] = []
    calls = {str(r["id"]): str(r["outcome"]) for r in ev_rows if "outcome" in r}
    for n, r in enumerate(wrong):
        deadline.check()
        ctx.progress(0.2 + 0.6 * n / max(len(wrong), 1), f"proposals for {r['id']}")
        k = cv.key(Item(r["id"], 0.0, anaerobic=bool(r.get("anaerobic"))))
        item = items[k]
        found: list[dict[str, Any]] = []
        if kind == "rates":
            found = fixes.cap_uptake(model, item, ds_close, wild, name, k)
        elif kind == "growth" and r["outcome"] == "FP":
            found = fixes.restrict_source(model, item, ds_close, args.growth_threshold, wild,
                                          name)
        elif kind == "essentiality" and r["outcome"] == "FN":
            found = fixes.rescue_knockout(model, item.id, wild, args.essential_fraction, name)
            if args.gene_rules:
                found += gene_rule_edits(model, item.id, wild, args.essential_fraction, name,
                                         calls)
        elif args.gapfill:
            if universe is None:
                universe, about = _universe(model, args, store)
                sources = [_base_model(s, store)[0] for s in SOURCES]
            limit = max(1.0, min(60.0, deadline.remaining / 2))
            if kind == "growth":
                found = fixes.fill_growth(model, item, ds_close, universe, sources, name,
                                          max(args.growth_threshold, 0.05), limit)
            else:
                gene = model.genes.get_by_id(item.id)

                def knock(_: cobra.Model, g: cobra.Gene = gene) -> None:
                    g.knock_out()
                found = fixes.fill_growth(model, item, ds_close, universe, sources, name,
                                          args.essential_fraction * wild, limit, setup=knock)
        for p in found:
            p["universe"] = args.universe if p["kind"] == "gapfill" else None
        if found:
            props.extend(found)
        else:
            none_found.append(k)
    for i, p in enumerate(props):
        p["id"] = f"P{i + 1}"
    return props, none_found, about


def _predictor(model: cobra.Model, kind: str, close: tuple[str, ...],
               base: dict[str, tuple[float, frozenset[str]]], entries: dict[str, cv.Entry],
               args: ReconcileArgs, ctx: ToolContext) -> cv.Predict:
    """How the cross-validation predicts items with changes applied, per kind of data."""
    def predict(changes: Sequence[cv.Change], its: Sequence[Item]) -> dict[str, cv.Entry]:
        if kind == "essentiality":
            return dict(cv.knockouts_with(model, its, changes, args.essential_fraction, ctx,
                                          args.processes, base=entries))
        if kind == "growth":
            return dict(cv.outcomes_with(model, its, close, base, changes,
                                         args.growth_threshold))
        grown = cv.growth_with(model, its, close, base, changes)
        return {cv.key(it): (grown[cv.key(it)], float(it.observed)) for it in its}
    return predict


def _base_entries(kind: str, rows: list[dict[str, Any]]) -> dict[str, cv.Entry]:
    if kind == "rates":
        return {cv.key(Item(r["id"], 0.0, anaerobic=r["anaerobic"])): (r["predicted"],
                                                                       r["measured"])
                for r in rows}
    return {r["id"]: r["outcome"] for r in rows}


@REGISTRY.tool("reconcile_phenotypes", "Propose model changes for the disagreements with "
               "phenotype data (gap filling from BiGG or a ModelSEED template, transporters "
               "to block or cap, isozymes or bypasses to constrain, gene rules to edit), "
               "with their "
               "cross-validated effect; apply each with apply_model_fix (needs approval).",
               ReconcileArgs, long_running=True)
def reconcile_phenotypes(args: ReconcileArgs, ctx: ToolContext) -> ToolResult:
    deadline = Deadline(ctx, "phenotype reconciliation", "lower max_items or set "
                        "gapfill=false")
    model = ctx.model(args.model)
    ds = load_dataset(args, ctx)
    with model:
        applied = apply_conditions(model, args.conditions)
        require_objective(model)
        ctx.progress(0.0, f"scoring {ds.name}")
        used: dict[str, frozenset[str]] = {}
        ev = evaluate(model, ds, args, ctx, used=used)
        unknown = args.unknown_ids or ("error" if args.file else "score")
        listed, _ = expand(model, ds, unknown)
        if ev.kind == "rates":
            listed = [it for it in listed if it.id in model.reactions]
        items = {cv.key(it): it for it in listed}
        props, none_found, about = _propose(model, ev.rows, items, ev.kind, args, ds.close,
                                            ev.wild_type, ctx, deadline)
        ctx.progress(0.85, "cross-validation")
        growth = {cv.key(Item(r["id"], 0.0, anaerobic=bool(r.get("anaerobic")))):
                  r.get("growth", r.get("predicted")) for r in ev.rows}
        base = {k: (float(g or 0.0), used.get(k, frozenset())) for k, g in growth.items()}
        entries = _base_entries(ev.kind, ev.rows)
        report = cv.cross_validate(ev.kind, listed, entries, props,
                                   _predictor(model, ev.kind, ds.close, base, entries, args,
                                              ctx), args.folds,
                                   lambda chs: cv.keeps_growing(model, chs, ev.wild_type))
        prov = provenance(model, applied=applied, parameters=args.model_dump(
            exclude_none=True, exclude={"model", "conditions"}))
    name = model_name(model)
    title = f"{name}: {TITLES.get(ds.name, ds.name)}"
    s = ev.scores
    metric = "Pearson" if ev.kind == "rates" else "MCC"
    summary = (f"{title} ({conditions_text(applied)}): "
               + (f"MCC {fmt(s['mcc'], 3)}, accuracy {fmt(s['accuracy'], 3)}; "
                  if ev.kind != "rates" else f"Pearson {fmt(s['pearson'], 3)}; ")
               + f"{len(props)} proposal(s) for {len({p['item'] for p in props})} of the "
               f"{'overestimated rates' if ev.kind == 'rates' else 'disagreements'} examined"
               + (f", none found for {', '.join(none_found[:10])}" if none_found else "")
               + ".")
    for p in props[:8]:
        summary += f" {p['id']} [{p['item']}]: {p['title']}."
    summary += (f" Cross-validated ({args.folds} folds; fixes chosen on the other folds): "
                f"held-out {metric} {fmt(report['held_out_before'], 3)} before, "
                f"{fmt(report['held_out_after'], 3)} after")
    if len(report["kinds"]) > 1:
        summary += " (one kind of fix only: " + ", ".join(
            f"{k} {fmt(v['held_out_after'], 3)}" for k, v in report["kinds"].items()) + ")"
    summary += "."
    summary += " Nothing is changed: apply a proposal with apply_model_fix (needs approval)."
    return ToolResult(tool="reconcile_phenotypes", summary=summary, provenance=prov,
                      data={"dataset": ds.name, "kind": ev.kind, "model": name,
                            "scores": ev.scores, "proposals": props,
                            "no_proposal": none_found, "cross_validation": report,
                            "universe": about, "conditions": applied})
