"""``reconcile_phenotypes``: proposed model changes for the disagreements with phenotype data.

Scores the model as ``compare_phenotypes`` does, then for each disagreement (up to
``max_items``) proposes the changes of ``phenotypes_fixes.py``, each checked in silico, and for
growth data reports their cross-validated effect (``phenotypes_cv.py``). Nothing is applied
here: each proposal is applied by its own ``apply_model_fix`` call, which always waits for a
person's approval and shows the diff (``phenotypes_apply.py``).
"""

from __future__ import annotations

from typing import Any

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
from .phenotypes_score import binary_scores


class ReconcileArgs(PhenotypeArgs):
    max_items: int = Field(default=10, ge=1, le=200, description="Disagreements to propose "
                           "fixes for (lab-only growth first, then model-only).")
    folds: int = Field(default=3, ge=2, le=10, description="Cross-validation folds.")
    gapfill: bool = Field(default=True, description="Propose gap-filling for growth the "
                          "model misses (a MILP per item).")


def _propose(model: cobra.Model, ev_rows: list[dict[str, Any]], items: dict[str, Item],
             kind: str, args: ReconcileArgs, ds_close: tuple[str, ...], wild: float,
             ctx: ToolContext, deadline: Deadline) -> tuple[list[dict[str, Any]], list[str]]:
    name = model_name(model)
    fill = {("growth", "FN"), ("essentiality", "FP")}  # the cases gap filling answers
    wrong = sorted((r for r in ev_rows if r["outcome"] in ("FN", "FP")
                    and (args.gapfill or (kind, r["outcome"]) not in fill)),
                   key=lambda r: (r["outcome"] != "FN", r["id"]))[:args.max_items]
    store = ctx.models if isinstance(ctx.models, ModelStore) else None
    universe = sources = None
    props: list[dict[str, Any]] = []
    none_found: list[str] = []
    for n, r in enumerate(wrong):
        deadline.check()
        ctx.progress(0.2 + 0.6 * n / max(len(wrong), 1), f"proposals for {r['id']}")
        item = items[r["id"]]
        found: list[dict[str, Any]] = []
        if kind == "growth" and r["outcome"] == "FP":
            found = fixes.restrict_source(model, item, ds_close, args.growth_threshold, wild,
                                          name)
        elif kind == "essentiality" and r["outcome"] == "FN":
            found = fixes.rescue_knockout(model, item.id, wild, args.essential_fraction, name)
        elif args.gapfill:
            if universe is None:
                universe, _ = universal_model(SOURCES, store)
                sources = [_base_model(s, store)[0] for s in SOURCES]
            assert sources is not None
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
        if found:
            props.extend(found)
        else:
            none_found.append(item.id)
    for i, p in enumerate(props):
        p["id"] = f"P{i + 1}"
    return props, none_found


def _cross_validation(model: cobra.Model, items: list[Item], close: tuple[str, ...],
                      base_rows: list[dict[str, Any]],
                      base: dict[str, tuple[float, frozenset[str]]],
                      props: list[dict[str, Any]], args: ReconcileArgs) -> dict[str, Any]:
    outcomes = {r["id"]: r["outcome"] for r in base_rows}
    effect = {i: cv.outcomes_with(model, items, close, base, p["changes"],
                                  args.growth_threshold) for i, p in enumerate(props)}
    for i, p in enumerate(props):
        p["effect_all_data"] = {"mcc_before": binary_scores(outcomes.values())["mcc"],
                                "mcc_after": binary_scores(effect[i].values())["mcc"]}
    report = cv.cross_validate(outcomes, props, effect, cv.folds_of(items, args.folds))
    pooled_before: list[str] = []
    pooled_after: list[str] = []
    for row, test in zip(report["folds"], cv.folds_of(items, args.folds), strict=True):
        changes = [ch for i in row["kept"] for ch in props[i]["changes"]]
        held = [it for it in items if it.id in test]
        after = cv.outcomes_with(model, held, close, base, changes, args.growth_threshold)
        row["test_mcc_after"] = binary_scores(after.values())["mcc"]
        row["kept"] = [props[i]["id"] for i in row["kept"]]
        pooled_before += [outcomes[it.id] for it in held]
        pooled_after += list(after.values())
    report.update(held_out_mcc_before=binary_scores(pooled_before)["mcc"],
                  held_out_mcc_after=binary_scores(pooled_after)["mcc"], k=args.folds)
    return report


@REGISTRY.tool("reconcile_phenotypes", "Propose model changes for the disagreements with "
               "phenotype data (gap filling, transporters to block, isozymes or bypasses to "
               "constrain), with their cross-validated effect; apply each with "
               "apply_model_fix (needs approval).", ReconcileArgs, long_running=True)
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
        items = {it.id: it for it in listed}
        report: dict[str, Any] | None = None
        props: list[dict[str, Any]] = []
        none_found: list[str] = []
        if ev.kind == "rates":
            props, none_found = [], []
        else:
            props, none_found = _propose(model, ev.rows, items, ev.kind, args, ds.close,
                                         ev.wild_type, ctx, deadline)
        if ev.kind == "growth":
            ctx.progress(0.85, "cross-validation")
            base = {r["id"]: (r["growth"], used.get(r["id"], frozenset())) for r in ev.rows}
            report = _cross_validation(model, listed, ds.close, ev.rows, base, props, args)
        prov = provenance(model, applied=applied, parameters=args.model_dump(
            exclude_none=True, exclude={"model", "conditions"}))
    name = model_name(model)
    title = f"{name}: {TITLES.get(ds.name, ds.name)}"
    s = ev.scores
    summary = (f"{title} ({conditions_text(applied)}): "
               + (f"MCC {fmt(s['mcc'], 3)}, accuracy {fmt(s['accuracy'], 3)}; "
                  if ev.kind != "rates" else "rates are not reconciled (no growth/no-growth "
                  "calls to fix); ")
               + f"{len(props)} proposal(s) for {len({p['item'] for p in props})} of the "
               f"disagreements examined" + (f", none found for {', '.join(none_found[:10])}"
                                            if none_found else "") + ".")
    for p in props[:8]:
        summary += f" {p['id']} [{p['item']}]: {p['title']}."
    if report is not None:
        summary += (f" Cross-validated ({args.folds} folds; fixes chosen on the other folds):"
                    f" held-out MCC {fmt(report['held_out_mcc_before'], 3)} before, "
                    f"{fmt(report['held_out_mcc_after'], 3)} after.")
    elif ev.kind == "essentiality":
        summary += " Cross-validation is computed for growth data only (not essentiality)."
    summary += " Nothing is changed: apply a proposal with apply_model_fix (needs approval)."
    return ToolResult(tool="reconcile_phenotypes", summary=summary, provenance=prov,
                      data={"dataset": ds.name, "kind": ev.kind, "model": name,
                            "scores": ev.scores, "proposals": props,
                            "no_proposal": none_found, "cross_validation": report,
                            "conditions": applied})
