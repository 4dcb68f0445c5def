"""``compare_phenotypes``: how well a model predicts measured phenotypes.

Gene essentiality, growth/no-growth on single C, N, P or S sources (Biolog) and quantitative
growth rates, from the bundled E. coli K-12 data sets or a user's CSV/TSV file (format in
``phenotypes_data.py``). The result holds one row per item (prediction, measurement, outcome),
the confusion matrix with accuracy, MCC, precision and recall, or for rates the Pearson and
Spearman correlations, plus a confusion-matrix figure or a predicted-vs-measured scatter.
Knockouts run on the deletion engine (``deletion.screen``), everything else is one FBA per
item; the method is CarveMe's (see ``phenotypes_score.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import cobra
from pydantic import Field, model_validator

from fluxagent.tools.conditions import apply_conditions, conditions_text
from fluxagent.tools.linking import link
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ArtifactRef, ToolFailure, ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    fmt,
    listing,
    put_table,
    require_feasible,
    require_objective,
)

from . import phenotypes_score as score
from .deletion import screen
from .fba import model_name
from .phenotypes_data import Bundled, Dataset, Item, Kind, bundled, read_file
from .phenotypes_plots import confusion_figure, scatter_figure
from .plots import render

Unknown = Literal["error", "skip", "score"]
TITLES = {"ecoli_essentiality": "gene essentiality on glucose M9",
          "ecoli_biolog_carbon": "Biolog carbon sources", "ecoli_biolog_nitrogen":
          "Biolog nitrogen sources", "ecoli_biolog_phosphorus": "Biolog phosphorus sources",
          "ecoli_biolog_sulfur": "Biolog sulfur sources",
          "ecoli_growth_rates": "growth rates on 25 conditions"}


class PhenotypeArgs(AnalysisArgs):
    dataset: Bundled | None = Field(default=None, description="A bundled E. coli data set "
                                    "(BiGG ids); default ecoli_essentiality unless file is "
                                    "given.")
    file: str | None = Field(default=None, description="A user CSV/TSV file of measurements "
                             "(columns: see kind).")
    kind: Kind | None = Field(default=None, description="What the file holds: essentiality "
                              "(gene, essential), growth (exchange|compound, growth[, uptake]"
                              ") or rates (exchange, rate[, uptake, oxygen]).")
    close: list[str] | None = Field(default=None, description="Exchanges shut before each "
                                    "source is opened (the medium's own source); default: "
                                    "the data set's (glucose for carbon sources).")
    unknown_ids: Unknown | None = Field(default=None, description="Ids not in the model: "
                                        "error (default for files), skip, or score (bundled "
                                        "default: a source without exchange does not grow, a "
                                        "gene not in the model is left out).")
    growth_threshold: float = Field(default=0.01, gt=0, description="Growth (1/h) above "
                                    "which a source counts as supporting growth.")
    essential_fraction: float = Field(default=0.1, gt=0, lt=1, description="A gene is "
                                      "essential below this fraction of wild-type growth.")
    processes: int | None = Field(default=None, ge=1, le=64)
    items: list[str] | None = Field(default=None, max_length=50, description="Items to report "
                                    "one by one (gene ids or names; exchange ids or source "
                                    "names such as 'glycerol'); the scores use every item.")

    @model_validator(mode="after")
    def _file_needs_kind(self) -> PhenotypeArgs:
        if self.file and self.dataset:
            raise ValueError("give either dataset or file, not both")
        if self.file and self.kind is None:
            raise ValueError("a file needs kind (essentiality, growth or rates)")
        return self


def load_dataset(args: PhenotypeArgs, ctx: ToolContext) -> Dataset:
    if args.file:
        assert args.kind is not None
        path = ctx.paths.resolve(args.file, "phenotype file")
        if not path.is_file():
            raise ToolFailure("bad_arguments", f"no file {args.file}",
                              hint=f"files are read from {ctx.paths.describe()}")
        if path.stat().st_size > ctx.settings.max_model_bytes:
            raise ToolFailure("bad_arguments", f"{Path(args.file).name} is too large")
        ds = read_file(path, args.kind, tuple(args.close or ()))
    else:
        ds = bundled(args.dataset or "ecoli_essentiality")
    if args.close is not None:
        ds = Dataset(ds.name, ds.kind, ds.items, tuple(args.close), ds.rest_non_essential,
                     ds.source)
    return ds


@dataclass(frozen=True)
class Evaluation:
    kind: Kind
    rows: list[dict[str, Any]]
    scores: dict[str, Any]
    not_in_model: list[str]
    wild_type: float


def expand(model: cobra.Model, ds: Dataset, unknown: Unknown,
           ) -> tuple[list[Item], list[str]]:
    """The items a model can be scored on, and the ids it does not have."""
    if ds.kind == "essentiality":
        listed = {it.id: it for it in ds.items}
        missing = sorted(i for i in listed if i not in model.genes)
        genes = [g.id for g in model.genes] if ds.rest_non_essential else \
            [i for i in listed if i in model.genes]
        items = [listed.get(g, Item(g, False)) for g in genes]
    else:
        missing = sorted({it.id for it in ds.items if it.id not in model.reactions})
        items = [it for it in ds.items if unknown == "score" or it.id not in missing]
    if unknown == "error" and missing:
        what = "gene" if ds.kind == "essentiality" else "exchange"
        raise ToolFailure("unknown_id", f"{ds.name}: {len(missing)} {what} id(s) not in "
                          f"{model_name(model)}: {listing(missing, 30)}",
                          hint="fix the ids, or pass unknown_ids='skip' to leave them out "
                          "(growth data: 'score' counts them as not growing)", unknown=missing)
    return items, missing


def evaluate(model: cobra.Model, ds: Dataset, args: PhenotypeArgs, ctx: ToolContext,
             only: set[str] | None = None,
             used: dict[str, frozenset[str]] | None = None) -> Evaluation:
    """Predict and score (inside the caller's ``with model:``); ``only``: a subset of ids;
    ``used``: receives the reactions each growth item's solution uses."""
    unknown = args.unknown_ids or ("error" if args.file else "score")
    items, missing = expand(model, ds, unknown)
    if only is not None:
        items = [it for it in items if it.id in only]
    wild = require_feasible(model, f"{ds.name} wild type")
    if ds.kind == "essentiality":
        ids = [it.id for it in items]
        results = screen(model, "gene", [(g,) for g in ids], ctx, args.processes,
                         "gene knockouts") if ids else []
        rows = score.essentiality_rows(ids, [g for g, _ in results], wild,
                                       args.essential_fraction,
                                       {it.id: bool(it.observed) for it in items})
        return Evaluation("essentiality", rows, score.binary_scores(r["outcome"] for r in rows),
                          missing, wild)
    if ds.kind == "growth":
        rows = score.growth_predictions(model, items, ds.close, args.growth_threshold,
                                        used=used)
        return Evaluation("growth", rows, score.binary_scores(r["outcome"] for r in rows),
                          missing, wild)
    rows = score.rate_predictions(model, items, ds.close, used=used)
    return Evaluation("rates", rows, score.rate_scores([r["predicted"] for r in rows],
                                                     [r["measured"] for r in rows]),
                      missing, wild)


def scores_text(ev: Evaluation) -> str:
    s = ev.scores
    if ev.kind == "rates":
        return (f"Pearson {fmt(s['pearson'], 3)}, Spearman {fmt(s['spearman'], 3)} over "
                f"{s['n']} conditions")
    c = s["confusion"]
    return (f"accuracy {fmt(s['accuracy'], 3)}, MCC {fmt(s['mcc'], 3)}, precision "
            f"{fmt(s['precision'], 3)}, recall {fmt(s['recall'], 3)} (TP {c['TP']}, FP "
            f"{c['FP']}, FN {c['FN']}, TN {c['TN']})")


def _figures(ctx: ToolContext, ev: Evaluation, name: str, title: str) -> list[ArtifactRef]:
    if ctx.artifacts is None:
        return []
    if ev.kind == "rates":
        fig = scatter_figure(ev.rows, title, ev.scores["pearson"])
    else:
        pos, neg = ("essential", "viable") if ev.kind == "essentiality" else \
            ("growth", "no growth")
        fig = confusion_figure(ev.scores["confusion"], title, pos, neg)
    return [ctx.artifacts.put(f"{name}.svg", render(fig, "svg"), "image/svg+xml")]


def _seen(value: Any, kind: Kind) -> str:
    if kind == "essentiality":
        return "essential" if value else "viable"
    return "growth" if value else "no growth"


def pick_rows(model: cobra.Model, rows: list[dict[str, Any]], items: list[str],
              kind: Literal["gene", "exchange"]) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows ``items`` name (by id, label or the model id they link to), in the order
    asked, and the items that name no row."""
    picked: list[dict[str, Any]] = []
    unmatched: list[str] = []
    for item in items:
        key = item.strip().lower()
        try:
            linked = link(model, item, kind).lower()
        except ToolFailure:
            linked = None
        hits = [r for r in rows if r["id"].lower() in (key, linked) or
                (r.get("label") or "").lower().split(" (")[0] == key]
        picked += [r for r in hits if r not in picked]
        if not hits:
            unmatched.append(item)
    return picked, unmatched


def disagreements(ev: Evaluation) -> dict[str, list[str]]:
    return {k: [r["id"] for r in ev.rows if r.get("outcome") == k] for k in ("FP", "FN")}


@REGISTRY.tool("compare_phenotypes", "Score a model against measured phenotypes: gene "
               "essentiality, growth on Biolog C/N/P/S sources, growth rates (bundled E. coli "
               "data or a CSV/TSV file); confusion matrix, accuracy, MCC, correlations, plots.",
               PhenotypeArgs, long_running=True)
def compare_phenotypes(args: PhenotypeArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    ds = load_dataset(args, ctx)
    with model:
        applied = apply_conditions(model, args.conditions)
        require_objective(model)
        ev = evaluate(model, ds, args, ctx)
        prov = provenance(model, applied=applied, parameters=args.model_dump(
            exclude_none=True, exclude={"model", "conditions"}))
    name = model_name(model)
    title = f"{name}: {TITLES.get(ds.name, ds.name)}"
    wrong = disagreements(ev) if ev.kind != "rates" else {}
    opened = (f"; each source opened to its uptake (default 10 mmol/gDW/h) with "
              f"{', '.join(ds.close) or 'nothing'} shut" if ev.kind != "essentiality" else "")
    summary = f"{title} ({conditions_text(applied)}{opened}): {scores_text(ev)}."
    if ev.not_in_model:
        what = ("listed genes are not in the model" if ev.kind == "essentiality" else
                "sources have no exchange in the model")
        summary += f" {len(ev.not_in_model)} {what}"
        summary += (" (left out)." if ev.kind == "essentiality" else
                    " (scored as no growth)." if ev.kind == "growth" and
                    (args.unknown_ids or "score") == "score" else " (left out).")
    labels = {r["id"]: r["label"] for r in ev.rows}

    def named(ids: list[str]) -> list[str]:
        return [f"{i} ({labels[i]})" if labels.get(i) else i for i in ids]
    if ev.kind == "growth":
        fp, fn = (listing(named(wrong[k]), 15) or "none" for k in ("FP", "FN"))
        summary += (f" Grows in the model, not in the lab: {fp}."
                    f" Grows in the lab, not in the model: {fn}.")
    elif ev.kind == "essentiality":
        summary += (f" Essential in the model only: {listing(wrong['FP'], 15) or 'none'}."
                    f" Essential in the lab only: {listing(wrong['FN'], 15) or 'none'}.")
    picked, unmatched = pick_rows(model, ev.rows, args.items or [],
                                  "gene" if ev.kind == "essentiality" else "exchange")
    for r in picked:
        shown = (f"measured {fmt(r['measured'])}, predicted {fmt(r['predicted'])} 1/h"
                 if ev.kind == "rates" else
                 f"observed {_seen(r['observed'], ev.kind)}, predicted "
                 f"{_seen(r['predicted'], ev.kind)} ({r.get('outcome')})")
        summary += f" {r['label'] or r['id']} ({r['id']}): {shown}."
    if unmatched:
        summary += f" Not in the data set: {', '.join(unmatched)}."
    columns = (["id", "label", "measured", "predicted", "anaerobic", "uptake"]
               if ev.kind == "rates" else
               ["id", "label", "observed", "predicted", "growth", "outcome", "in_model"])
    artifacts = put_table(ctx, f"phenotypes_{ds.name}", ev.rows, columns)
    artifacts += _figures(ctx, ev, f"phenotypes_{ds.name}", title)
    return ToolResult(tool="compare_phenotypes", summary=summary, provenance=prov,
                      artifacts=artifacts,
                      # the small parts first: the evidence of an answer reads a bounded
                      # number of values, and the per-item rows are long
                      data={"dataset": ds.name, "kind": ev.kind, "source": ds.source,
                            "scores": ev.scores,
                            # the count, named by what is counted ("180 listed genes")
                            ("genes_not_in_model" if ev.kind == "essentiality" else
                             "sources_not_in_model"): len(ev.not_in_model),
                            ("scored_conditions" if ev.kind == "rates" else "scored_items"):
                            len(ev.rows),
                            "disagreements": wrong, "not_in_model": ev.not_in_model,
                            "items": picked, "items_not_in_data": unmatched,
                            "predictions": ev.rows,
                            "wild_type_growth": ev.wild_type, "close": list(ds.close),
                            "conditions": applied,
                            "method": {"growth_threshold": args.growth_threshold,
                                       "essential_fraction": args.essential_fraction}})
