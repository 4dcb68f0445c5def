"""Reference figures for ``compare_phenotypes``, computed with plain cobrapy (no fluxagent code).

The method is CarveMe's benchmark (carveme/reconstruction/benchmark.py) on the model's default
medium: a source is opened to 10 mmol/gDW/h after the medium's own source of that nutrient is
shut (carbon: glucose and lactate), growth counts above 0.01 1/h, a source without exchange in
the model does not grow; a gene is essential when its knockout leaves less than 0.1 of
wild-type growth, every model gene not in the essential list is non-essential and listed genes
the model lacks are left out; growth rates with 10 mmol/gDW/h uptake (glucose shut; anaerobic:
oxygen shut too) are compared by Pearson and Spearman correlation (predictions equal to 9
decimals are ties).

    .venv/bin/python eval/phenotypes/reference.py [--model iJO1366] [--no-essentiality]

prints one JSON object: confusion matrices, accuracy, MCC, Pearson.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from pathlib import Path
from typing import Any

import cobra
from cobra.flux_analysis import single_gene_deletion
from scipy import stats

DATA = Path(__file__).resolve().parents[2] / "src" / "fluxagent" / "data" / "phenotypes" / "ecoli"
CLOSE = {"carbon": ["EX_glc__D_e", "EX_lac__L_e"], "nitrogen": ["EX_nh4_e"],
         "phosphorus": ["EX_pi_e"], "sulfur": ["EX_so4_e"]}
GROWTH_THRESHOLD = 0.01
ESSENTIAL_FRACTION = 0.1
UPTAKE = 10.0


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def scores(tp: int, fp: int, fn: int, tn: int) -> dict[str, Any]:
    denom = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return {"confusion": {"TP": tp, "FP": fp, "FN": fn, "TN": tn},
            "accuracy": (tp + tn) / (tp + fp + fn + tn),
            "mcc": (tp * tn - fp * fn) / denom if denom else 0.0}


def grow(model: cobra.Model, exchange: str, close: list[str], anaerobic: bool = False) -> float:
    with model:
        medium = dict(model.medium)
        for ex in close + (["EX_o2_e"] if anaerobic else []):
            medium.pop(ex, None)
        medium[exchange] = UPTAKE
        model.medium = medium
        return float(model.slim_optimize(error_value=0.0))


def biolog(model: cobra.Model, nutrient: str) -> dict[str, Any]:
    counts = {"TP": 0, "FP": 0, "FN": 0, "TN": 0}
    for r in rows(f"biolog_{nutrient}.tsv"):
        ex = f"EX_{r['bigg_id']}_e"
        pred = ex in model.reactions and grow(model, ex, CLOSE[nutrient]) > GROWTH_THRESHOLD
        obs = r["growth"] in ("+", "++")
        counts[("TP" if obs else "FP") if pred else ("FN" if obs else "TN")] += 1
    return scores(counts["TP"], counts["FP"], counts["FN"], counts["TN"])


def essentiality(model: cobra.Model, processes: int = 2) -> dict[str, Any]:
    wild = model.slim_optimize()
    res = single_gene_deletion(model, processes=processes)
    essential = {next(iter(ids)) for ids, g in zip(res["ids"], res["growth"], strict=True)
                 if not g >= ESSENTIAL_FRACTION * wild}
    lab = {r["bigg_id"] for r in rows("essential_genes_glucose_m9.tsv") if r["phenotype"] == "E"}
    genes = {g.id for g in model.genes}
    out = scores(len(essential & lab), len(essential - lab), len((lab & genes) - essential),
                 len(genes - essential - lab))
    out["not_in_model"] = len(lab - genes)
    return out


def rates(model: cobra.Model) -> dict[str, Any]:
    pred, meas = [], []
    for r in rows("growth_rates.tsv"):
        pred.append(grow(model, r["exchange"], ["EX_glc__D_e"], r["oxygen"] == "anaerobic"))
        meas.append(float(r["mu_measured_per_h"]))
    return {"n": len(pred), "pearson": float(stats.pearsonr(pred, meas).statistic),
            "spearman": float(stats.spearmanr([round(x, 9) for x in pred], meas).statistic),
            "predicted": pred}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--model", default="iJO1366")
    ap.add_argument("--no-essentiality", action="store_true")
    ns = ap.parse_args()
    model = cobra.io.load_model(ns.model)
    out: dict[str, Any] = {"model": ns.model, "cobra": cobra.__version__,
                           "solver": model.solver.interface.__name__.rsplit(".", 1)[-1]}
    for nutrient in CLOSE:
        out[f"biolog_{nutrient}"] = biolog(model, nutrient)
    out["growth_rates"] = rates(model)
    if not ns.no_essentiality:
        out["essentiality"] = essentiality(model)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
