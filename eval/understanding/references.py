#!/usr/bin/env python
"""Reference answers for the fluxagent *understanding* corpus (blind-written questions).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references.py

It writes ``eval/understanding/dev.yaml`` and ``eval/understanding/holdout.yaml`` (and prints
nothing on stdout; a short summary goes to stderr). It takes a few minutes: the essential-gene
screens of iJO1366 and salmonella and the reaction screen of iJO1366 run once per run.
Running it twice gives byte-identical files (fixed seed, numbers rounded to 6 significant digits).

Only plain cobrapy (0.32.1, GLPK) on the models cobrapy ships (``textbook`` = e_coli_core,
``iJO1366``, ``salmonella``), the ModelSEED draft JSON under ``tests/data`` (read with
``cobra.io.load_json_model``) and the ModelSEED biochemistry tables (read with gzip + csv) are
used. No fluxagent code is imported.

Conventions (also in README.md):
* no medium named -> the model's default medium as shipped by cobrapy;
* "on X" / "X as sole carbon source" -> EX_glc__D_e lower bound 0 and X's exchange lower bound
  = -(default glucose limit of the model: 10 for e_coli_core and iJO1366, 5 for salmonella);
* sole N / P / S source -> the default exchange (EX_nh4_e / EX_pi_e / EX_so4_e) is closed and the
  new source gets the uptake written in the question;
* anaerobic -> EX_o2_e lower bound 0;
* growth -> the model's biomass objective, ``slim_optimize`` (infeasible = 0 = no growth);
* FVA -> ``flux_variability_analysis`` at the fraction of the optimum the question states;
* fluxes of named reactions are only asked where FVA at 100 % shows the flux is unique;
* yields in mol/mol -> product flux / substrate uptake at maximal product (substrate uptake is
  checked to be unique); g/g uses ``metabolite.formula_weight``;
* essential gene / reaction -> knockout growth below 1 % of the wild-type growth (for the
  models here the same sets as "growth exactly 0"); synthetic lethal pair -> two non-essential
  genes (reactions) whose double knockout is below 1 % of wild type.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import math
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

import cobra
from cobra.flux_analysis import (
    double_gene_deletion,
    double_reaction_deletion,
    flux_variability_analysis,
    single_gene_deletion,
    single_reaction_deletion,
)
from cobra.io import load_json_model, load_model
from cobra.medium import minimal_medium

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DRAFT = "tests/data/modelseed/examples/example_ecoli_modelseed_model.json"
BIOCHEM = ROOT / "src/fluxagent/data/modelseed/biochemistry"
MEDIA = ROOT / "src/fluxagent/data/modelseed/media/media_list_with_meta.txt"
SEED = 20261201

cobra.Configuration().solver = "glpk"
cobra.Configuration().processes = 1

GLC = {"e_coli_core": 10.0, "iJO1366": 10.0, "salmonella": 5.0}
WT_ATPM = {"e_coli_core": 8.39, "iJO1366": 3.15, "salmonella": 8.39}


def log(*a):
    print(*a, file=sys.stderr)


# --------------------------------------------------------------------------- models
_MODELS: dict[str, cobra.Model] = {}


def M(name: str) -> cobra.Model:
    if name not in _MODELS:
        if name == "e_coli_core":
            m = load_model("textbook")
        elif name == "draft":
            m = load_json_model(str(ROOT / DRAFT))
        else:
            m = load_model(name)
        m.solver = "glpk"
        _MODELS[name] = m
    return _MODELS[name]


def biomass_id(m: cobra.Model) -> str:
    return next(iter(v.name for v in m.objective.variables if "reverse" not in v.name))


BIOMASS = {}


def bio(name):
    if name not in BIOMASS:
        BIOMASS[name] = biomass_id(M(name))
    return BIOMASS[name]


def rnd(x: float) -> float:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return 0.0
    if abs(x) < 1e-9:
        return 0.0
    return float(f"{x:.6g}")


def apply(name: str, m: cobra.Model, spec: dict) -> None:
    """Apply a condition spec to model m (inside a ``with m:`` block)."""
    if spec.get("carbon"):
        m.reactions.EX_glc__D_e.lower_bound = 0.0
        for ex, v in spec["carbon"].items():
            m.reactions.get_by_id(ex).lower_bound = -(GLC[name] if v is None else v)
    for ex in spec.get("close", []):
        m.reactions.get_by_id(ex).lower_bound = 0.0
    for ex, v in spec.get("uptake", {}).items():
        m.reactions.get_by_id(ex).lower_bound = -v
    if spec.get("anaerobic"):
        m.reactions.EX_o2_e.lower_bound = 0.0
    for rid, (lb, ub) in spec.get("bounds", {}).items():
        r = m.reactions.get_by_id(rid)
        r.bounds = (lb, ub)
    for g in spec.get("ko_genes", []):
        m.genes.get_by_id(g).knock_out()
    for rid in spec.get("ko_rxns", []):
        m.reactions.get_by_id(rid).knock_out()
    if "floor" in spec or "fraction" in spec:
        b = m.reactions.get_by_id(bio(name))
        if "floor" in spec:
            b.lower_bound = spec["floor"]
        else:
            b.lower_bound = spec["fraction"] * m.slim_optimize(error_value=0.0)
    if spec.get("demand"):
        dm = m.add_boundary(m.metabolites.get_by_id(spec["demand"]), type="demand")
        m.objective = dm
    if spec.get("objective"):
        m.objective = spec["objective"]


def opt(name: str, spec: dict | None = None) -> float:
    m = M(name)
    with m:
        apply(name, m, spec or {})
        v = m.slim_optimize(error_value=0.0)
    return 0.0 if (v is None or math.isnan(v) or abs(v) < 1e-9) else v


def solve_fluxes(name: str, spec: dict, rids: list[str], check=True):
    """Fluxes at the optimum, and whether each one is unique (FVA at 100 %)."""
    m = M(name)
    with m:
        apply(name, m, spec)
        sol = m.optimize()
        if sol.status != "optimal":
            return None, None, None
        fl = {r: float(sol.fluxes[r]) for r in rids}
        ok = True
        if check:
            f = flux_variability_analysis(m, reaction_list=rids, fraction_of_optimum=1.0)
            for r in rids:
                lo, hi = float(f.loc[r, "minimum"]), float(f.loc[r, "maximum"])
                if hi - lo > 1e-6 * max(1.0, abs(fl[r])):
                    ok = False
        return fl, ok, sol.objective_value


def fva(name: str, spec: dict, rids: list[str], fraction: float):
    m = M(name)
    with m:
        apply(name, m, spec)
        f = flux_variability_analysis(m, reaction_list=rids, fraction_of_optimum=fraction)
    return {r: (float(f.loc[r, "minimum"]), float(f.loc[r, "maximum"])) for r in rids}


_ESS: dict = {}


def essential_genes(name: str, spec: dict | None = None) -> list[str]:
    key = ("g", name, repr(sorted((spec or {}).items())))
    if key not in _ESS:
        m = M(name)
        with m:
            apply(name, m, spec or {})
            wt = m.slim_optimize(error_value=0.0)
            d = single_gene_deletion(m, processes=1)
        ess = []
        for ids, g in zip(d["ids"], d["growth"]):
            g = 0.0 if (g is None or math.isnan(g)) else g
            if g < 0.01 * wt:
                ess.append(next(iter(ids)))
        _ESS[key] = sorted(ess)
    return _ESS[key]


def essential_reactions(name: str, spec: dict | None = None) -> list[str]:
    key = ("r", name, repr(sorted((spec or {}).items())))
    if key not in _ESS:
        m = M(name)
        with m:
            apply(name, m, spec or {})
            wt = m.slim_optimize(error_value=0.0)
            d = single_reaction_deletion(m, processes=1)
        ess = []
        for ids, g in zip(d["ids"], d["growth"]):
            g = 0.0 if (g is None or math.isnan(g)) else g
            if g < 0.01 * wt:
                ess.append(next(iter(ids)))
        _ESS[key] = sorted(ess)
    return _ESS[key]


def synthetic_lethals(kind: str, spec: dict | None = None):
    """Synthetic lethal pairs of e_coli_core (genes or reactions), sorted."""
    key = ("sl", kind, repr(sorted((spec or {}).items())))
    if key not in _ESS:
        name = "e_coli_core"
        m = M(name)
        ess = set(essential_genes(name, spec) if kind == "genes" else essential_reactions(name, spec))
        with m:
            apply(name, m, spec or {})
            wt = m.slim_optimize(error_value=0.0)
            if kind == "genes":
                cand = sorted(g.id for g in m.genes if g.id not in ess)
                d = double_gene_deletion(m, gene_list1=cand, processes=1)
            else:
                cand = sorted(r.id for r in m.reactions if r.id not in ess and r.id != bio(name))
                d = double_reaction_deletion(m, reaction_list1=cand, processes=1)
        pairs = set()
        for ids, g in zip(d["ids"], d["growth"]):
            if len(ids) != 2:
                continue
            g = 0.0 if (g is None or math.isnan(g)) else g
            if g < 0.01 * wt:
                pairs.add(tuple(sorted(ids)))
        _ESS[key] = sorted(pairs)
    return _ESS[key]


# --------------------------------------------------------------------------- ModelSEED tables
def _tsv(path: Path):
    with gzip.open(path, "rt", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t")


CPD = {r["id"]: r for r in _tsv(BIOCHEM / "compounds_compact.tsv.gz")}
RXN = {r["id"]: r for r in _tsv(BIOCHEM / "reactions_compact.tsv.gz")}
CPD_ALIAS = defaultdict(lambda: defaultdict(set))  # source -> external -> {cpd}
CPD_EXT = defaultdict(lambda: defaultdict(set))  # cpd -> source -> {external}
for r in _tsv(BIOCHEM / "Aliases/Unique_ModelSEED_Compound_Aliases.txt.gz"):
    CPD_ALIAS[r["Source"]][r["External ID"]].add(r["ModelSEED ID"])
    CPD_EXT[r["ModelSEED ID"]][r["Source"]].add(r["External ID"])
RXN_ALIAS = defaultdict(lambda: defaultdict(set))
RXN_EXT = defaultdict(lambda: defaultdict(set))
for r in _tsv(BIOCHEM / "Aliases/Unique_ModelSEED_Reaction_Aliases.txt.gz"):
    RXN_ALIAS[r["Source"]][r["External ID"]].add(r["ModelSEED ID"])
    RXN_EXT[r["ModelSEED ID"]][r["Source"]].add(r["External ID"])
RXN_EC = defaultdict(set)
for r in _tsv(BIOCHEM / "Aliases/Unique_ModelSEED_Reaction_ECs.txt.gz"):
    RXN_EC[r["ModelSEED ID"]].add(r["External ID"])


def live_cpd(ids):
    return sorted(i for i in ids if i in CPD and CPD[i]["is_obsolete"] == "0")


def live_rxn(ids):
    return sorted(i for i in ids if i in RXN and RXN[i]["is_obsolete"] == "0")


def cpd_by_name(name: str) -> list[str]:
    n = name.lower()
    return live_cpd(i for i, r in CPD.items() if r["name"].lower() == n)


# --------------------------------------------------------------------------- cases
CASES: list[dict] = []
SKIPPED: list[str] = []

T_FBA = ["run_fba", "run_pfba", "model_summary", "set_medium", "set_bounds"]
T_KO = ["knockout_genes", "knockout_reactions", "gene_deletion_screen", "run_fba", "run_pfba",
        "set_bounds"]
T_FVA = ["run_fva", "flux_variability", "flux_variability_analysis"]
T_ESSG = ["essential_genes", "gene_deletion_screen", "knockout_genes"]
T_ESSR = ["essential_reactions", "reaction_deletion_screen", "knockout_reactions"]
T_SL = ["double_deletion", "synthetic_lethals", "double_gene_deletion",
        "double_reaction_deletion", "gene_deletion_screen", "knockout_genes",
        "knockout_reactions"]
T_PROD = ["run_fba", "set_objective", "theoretical_yield", "production_envelope", "run_pfba"]
T_INFO = ["model_summary", "load_model", "validate_model", "get_medium"]
T_MED = ["get_medium", "model_summary", "minimal_medium", "compare_media", "set_medium"]
T_LOOK = ["lookup_compound", "lookup_reaction", "translate_ids", "find_pathway"]
T_CMP = ["run_fba", "run_pfba", "compare_media", "set_medium", "model_summary", "load_model"]


def add(cat, model, query, tools=None, numbers=(), ids=(), no_growth=False, turns=(),
        setup=None, model_file=None, unresolved=False):
    c = {"category": cat, "query": query, "model": model,
         "tools_any": list(tools if tools is not None else []),
         "numbers": [rnd(x) for x in numbers], "ids": list(ids),
         "no_growth": bool(no_growth), "turns": list(turns)}
    if model_file:
        c["model_file"] = model_file
    if unresolved:
        c["expect_unresolved"] = True
    if setup is not None:
        c["setup"] = setup
    CASES.append(c)


def gcase(cat, model, query, spec=None, tools=T_FBA, ids=(), extra=(), turns=()):
    """A growth-rate question: number = growth, or no_growth."""
    g = opt(model, spec or {})
    if g < 1e-6:
        add(cat, model, query, tools, [], ids, True, turns, spec or {})
    else:
        add(cat, model, query, tools, [g, *extra], ids, False, turns, spec or {})
    return g


def fcase(cat, model, query, spec, rids, tools=T_FBA, with_growth=False, ids=(), turns=()):
    """Fluxes of named reactions at the optimum; skipped when not unique."""
    fl, ok, obj = solve_fluxes(model, spec, rids)
    if fl is None or not ok:
        SKIPPED.append(f"{cat}: {query[:60]} (flux not unique)")
        return False
    nums = ([obj] if with_growth else []) + [fl[r] for r in rids]
    add(cat, model, query, tools, nums, ids, False, turns, {**spec, "fluxes_of": rids})
    return True


def vcase(cat, model, query, spec, rids, fraction, ids=(), turns=()):
    rng = fva(model, spec, rids, fraction)
    nums = []
    for r in rids:
        nums += [rng[r][0], rng[r][1]]
    add(cat, model, query, T_FVA, nums, ids, False, turns,
        {**spec, "fva_of": rids, "fraction_of_optimum": fraction})


def pcase(cat, model, query, spec, product, tools=T_PROD, ids=(), turns=()):
    """Maximal flux of an exchange/demand/reaction (spec may hold floor/fraction)."""
    s = {**spec, "objective": product}
    v = opt(model, s)
    if v < 1e-6:
        add(cat, model, query, tools, [], ids, False, turns, s)
        CASES[-1]["numbers"] = [0.0]
    else:
        add(cat, model, query, tools, [v], ids, False, turns, s)
    return v


def gene_alts(name: str, ids) -> list[str]:
    """Gene ids as 'id|name' when the model has a distinct name for the gene."""
    m = M(name)
    out = []
    for g in ids:
        nm = m.genes.get_by_id(g).name
        out.append(f"{g}|{nm}" if nm and nm not in (g, "None") else g)
    return out


def build_cases():
    E, J, S = "e_coli_core", "iJO1366", "salmonella"
    wt = {k: opt(k) for k in (E, J, S)}

    # ------------------------------------------------------------ growth_default
    cat = "growth_default"
    gcase(cat, E, "What is the maximal growth rate of e_coli_core on its default medium?")
    gcase(cat, E, "textbook model, aerobic glucose, standard bounds: predicted mu?")
    gcase(cat, E, "Run FBA on the E. coli core model and tell me the biomass flux.")
    gcase(cat, J, "How fast can iJO1366 grow under the default conditions (glucose minimal, aerobic)?")
    gcase(cat, J, "Whats the optimal biomass flux for iJO1366 as shipped?")
    gcase(cat, J, "Predict the specific growth rate (1/h) of E. coli iJO1366 with its default medium.")
    gcase(cat, S, "What growth rate does the Salmonella model predict on its default medium?")
    gcase(cat, S, "Load the salmonella model and run a plain FBA. Objective value?")
    gcase(cat, S, "max growth of S. Typhimurium (cobrapy 'salmonella' model), default conditions pls")
    gcase(cat, E, "Using parsimonious FBA on e_coli_core, what growth rate do you get?",
          tools=["run_pfba", "run_fba"])
    gcase(cat, J, "i'd like the wild-type growth of iJO1366 in h^-1, nothing changed")
    gcase(cat, S, "Give me the biomass production rate of the salmonella model on the medium it comes with.")

    # ------------------------------------------------------------ uptake_cap
    cat = "uptake_cap"
    gcase(cat, E, "Limit glucose uptake of e_coli_core to 3 mmol/gDW/h. What is the growth rate?",
          {"uptake": {"EX_glc__D_e": 3}})
    gcase(cat, E, "e_coli_core with glucose uptake capped at 5 mmol/gDW/h - growth?",
          {"uptake": {"EX_glc__D_e": 5}})
    gcase(cat, E, "What happens to e_coli_core growth if glucose uptake is raised to 20 mmol/gDW/h?",
          {"uptake": {"EX_glc__D_e": 20}})
    gcase(cat, E, "core model, glc uptake max 7.5. mu?", {"uptake": {"EX_glc__D_e": 7.5}})
    gcase(cat, E, "Restrict ammonium uptake in e_coli_core to 1 mmol/gDW/h and report the growth rate.",
          {"uptake": {"EX_nh4_e": 1}})
    gcase(cat, E, "If phosphate uptake of the core E. coli model can be at most 0.5 mmol/gDW/h, how fast does it grow?",
          {"uptake": {"EX_pi_e": 0.5}})
    gcase(cat, E, "Remove glucose from the e_coli_core medium entirely. Can it still grow?",
          {"close": ["EX_glc__D_e"]})
    gcase(cat, J, "Grow iJO1366 with glucose uptake capped at 4 mmol/gDW/h. Growth rate?",
          {"uptake": {"EX_glc__D_e": 4}})
    gcase(cat, J, "iJO1366: increase the max glucose uptake to 15 mmol gDW-1 h-1; what's the new growth?",
          {"uptake": {"EX_glc__D_e": 15}})
    gcase(cat, J, "For iJO1366, cap sulfate uptake at 0.1 mmol/gDW/h. What growth rate is predicted?",
          {"uptake": {"EX_so4_e": 0.1}})
    gcase(cat, J, "iJO1366 with ammonium limited to 2 mmol/gDW/h, growth rate please",
          {"uptake": {"EX_nh4_e": 2}})
    gcase(cat, J, "Take away the glucose from iJO1366's medium (no other carbon added). Growth?",
          {"close": ["EX_glc__D_e"]})
    gcase(cat, S, "We feed our Salmonella chemostat slowly - say glucose uptake is limited to 2 mmol/gDW/h in the salmonella model. What growth rate would FBA predict?",
          {"uptake": {"EX_glc__D_e": 2}})
    gcase(cat, S, "Raise the glucose uptake limit of the salmonella model to 10 mmol/gDW/h and tell me the growth.",
          {"uptake": {"EX_glc__D_e": 10}})
    gcase(cat, S, "salmonella, phosphate uptake limited to 0.2 mmol/gDW/h - what's mu?",
          {"uptake": {"EX_pi_e": 0.2}})
    gcase(cat, S, "What is the growth of the Salmonella model when ammonium uptake is capped at 1.5 mmol/gDW/h?",
          {"uptake": {"EX_nh4_e": 1.5}})

    # ------------------------------------------------------------ carbon_source
    cat = "carbon_source"
    for q, ex in [
        ("Grow e_coli_core on fructose instead of glucose. Growth rate?", "EX_fru_e"),
        ("What's the growth rate of e_coli_core with acetate as the sole carbon source?", "EX_ac_e"),
        ("e_coli_core on succinate (sole C source): mu?", "EX_succ_e"),
        ("Can the core model grow on pyruvate alone? If so, how fast?", "EX_pyr_e"),
        ("Predict growth of e_coli_core on D-lactate as only carbon source.", "EX_lac__D_e"),
        ("e_coli_core growing on L-malate, no glucose. What's the growth rate?", "EX_mal__L_e"),
        ("How fast does the E. coli core model grow on 2-oxoglutarate as its carbon source?", "EX_akg_e"),
        ("ethanol as sole carbon source for e_coli_core -> growth?", "EX_etoh_e"),
    ]:
        gcase(cat, E, q, {"carbon": {ex: None}})
    for q, ex in [
        ("Grow iJO1366 on xylose as sole carbon sorce. Growth rate?", "EX_xyl__D_e"),
        ("What's the growth rate of iJO1366 on glycerol (replacing glucose)?", "EX_glyc_e"),
        ("iJO1366 on D-galactose as the only carbon source - how fast?", "EX_gal_e"),
        ("Swap glucose for L-arabinose in iJO1366. mu?", "EX_arab__L_e"),
        ("iJO1366 growth on D-mannitol as sole carbon source?", "EX_mnl_e"),
        ("How quickly does iJO1366 grow on acetate as the only carbon source?", "EX_ac_e"),
    ]:
        gcase(cat, J, q, {"carbon": {ex: None}})
    for q, ex in [
        ("Growth of the salmonella model on glycerol as sole carbon source?", "EX_glyc_e"),
        ("Salmonella on citrate instead of glucose: what growth rate?", "EX_cit_e"),
        ("Can Salmonella (cobrapy model) grow on L-rhamnose as sole C source? Rate?", "EX_rmn_e"),
        ("salmonella, succinate only carbon source, growth?", "EX_succ_e"),
    ]:
        gcase(cat, S, q, {"carbon": {ex: None}})

    # ------------------------------------------------------------ cofeed
    cat = "cofeed"
    gcase(cat, E, "Co-feed e_coli_core with glucose (10) and acetate (5 mmol/gDW/h). Growth rate?",
          {"uptake": {"EX_ac_e": 5}})
    gcase(cat, E, "In the core model allow both glucose and fructose uptake at 5 mmol/gDW/h each. mu?",
          {"uptake": {"EX_glc__D_e": 5, "EX_fru_e": 5}})
    gcase(cat, E, "Add succinate (max 3 mmol/gDW/h) on top of the default glucose in e_coli_core. What's the growth?",
          {"uptake": {"EX_succ_e": 3}})
    gcase(cat, E, "e_coli_core, glucose 4 + pyruvate 4 mmol/gDW/h co-feeding, growth?",
          {"uptake": {"EX_glc__D_e": 4, "EX_pyr_e": 4}})
    gcase(cat, E, "Anaerobic e_coli_core fed glucose (10) plus fumarate (5). How fast does it grow?",
          {"uptake": {"EX_fum_e": 5}, "anaerobic": True})
    gcase(cat, J, "iJO1366 co-fed glucose and xylose, each capped at 5 mmol/gDW/h: growth rate?",
          {"uptake": {"EX_glc__D_e": 5, "EX_xyl__D_e": 5}})
    gcase(cat, J, "Allow iJO1366 to take up glycerol (up to 10) in addition to the default glucose. Growth?",
          {"uptake": {"EX_glyc_e": 10}})
    gcase(cat, J, "iJO1366 with acetate 3 mmol/gDW/h plus glucose 10: predicted growth?",
          {"uptake": {"EX_ac_e": 3}})
    gcase(cat, J, "Mixed feed for iJO1366: galactose 5 and arabinose 5 mmol/gDW/h, no glucose. mu?",
          {"carbon": {"EX_gal_e": 5, "EX_arab__L_e": 5}})
    gcase(cat, S, "Salmonella model with glucose (default 5) plus glycerol up to 5 mmol/gDW/h: growth?",
          {"uptake": {"EX_glyc_e": 5}})
    gcase(cat, S, "Feed the salmonella model citrate 3 and succinate 3 mmol/gDW/h with no glucose. Growth rate?",
          {"carbon": {"EX_cit_e": 3, "EX_succ_e": 3}})
    gcase(cat, S, "salmonella: add fructose (5 mmol/gDW/h) to the default glucose. new growth rate?",
          {"uptake": {"EX_fru_e": 5}})

    # ------------------------------------------------------------ nutrient_source
    cat = "nutrient_source"
    gcase(cat, E, "Replace ammonium with L-glutamine (max 5 mmol/gDW/h) as the only nitrogen source in e_coli_core. Growth?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_gln__L_e": 5}})
    gcase(cat, E, "e_coli_core with L-glutamate (up to 5 mmol/gDW/h) as sole N source, ammonium removed: mu?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_glu__L_e": 5}})
    gcase(cat, E, "What if e_coli_core has no nitrogen source at all (ammonium exchange closed)?",
          {"close": ["EX_nh4_e"]})
    gcase(cat, J, "iJO1366 with L-alanine (max 5 mmol/gDW/h) as the sole nitrogen source instead of NH4. Growth rate?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_ala__L_e": 5}})
    gcase(cat, J, "Can iJO1366 use cytidine as its only N source? Allow 2 mmol/gDW/h cytidine, ammonium off.",
          {"close": ["EX_nh4_e"], "uptake": {"EX_cytd_e": 2}})
    gcase(cat, J, "iJO1366: urea (up to 5 mmol/gDW/h) as the sole nitrogen source. Does it grow?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_urea_e": 5}})
    gcase(cat, J, "Use glycerol-3-phosphate (1 mmol/gDW/h) as the sole phosphorus source for iJO1366 (phosphate exchange closed). Growth?",
          {"close": ["EX_pi_e"], "uptake": {"EX_glyc3p_e": 1}})
    gcase(cat, J, "iJO1366, AMP as only P source at max 0.5 mmol/gDW/h, no inorganic phosphate: growth rate?",
          {"close": ["EX_pi_e"], "uptake": {"EX_amp_e": 0.5}})
    gcase(cat, J, "Sole sulfur source taurine (max 1 mmol/gDW/h) for iJO1366 with sulfate removed. mu?",
          {"close": ["EX_so4_e"], "uptake": {"EX_taur_e": 1}})
    gcase(cat, J, "iJO1366 with thiosulfate (1 mmol/gDW/h) replacing sulfate as the S source - growth?",
          {"close": ["EX_so4_e"], "uptake": {"EX_tsul_e": 1}})
    gcase(cat, J, "Replace sulfate by L-cysteine (up to 0.5 mmol/gDW/h) as sulfur source in iJO1366; growth rate?",
          {"close": ["EX_so4_e"], "uptake": {"EX_cys__L_e": 0.5}})
    gcase(cat, S, "Salmonella model with L-proline (2 mmol/gDW/h) as the only nitrogen source, ammonium closed. Growth?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_pro__L_e": 2}})
    gcase(cat, S, "salmonella: sulfate exchange closed, thiosulfate allowed at 1 mmol/gDW/h as sulfur source. mu?",
          {"close": ["EX_so4_e"], "uptake": {"EX_tsul_e": 1}})
    gcase(cat, S, "Grow the salmonella model with glucose-6-phosphate (0.5 mmol/gDW/h) as its only phosphorus source (no Pi). Growth rate?",
          {"close": ["EX_pi_e"], "uptake": {"EX_g6p_e": 0.5}})

    # ------------------------------------------------------------ oxygen
    cat = "oxygen"
    an = {"anaerobic": True}
    gcase(cat, E, "What is the anaerobic growth rate of e_coli_core on glucoes?", an)
    gcase(cat, E, "Switch off oxygen for the core model. mu?", an)
    gcase(cat, E, "Microaerobic e_coli_core: oxygen uptake limited to 2 mmol/gDW/h. Growth rate?",
          {"uptake": {"EX_o2_e": 2}})
    gcase(cat, E, "e_coli_core with O2 uptake capped at 5 mmol/gDW/h, how fast does it grow?",
          {"uptake": {"EX_o2_e": 5}})
    gcase(cat, E, "Can e_coli_core grow on acetate without oxygen?", {"carbon": {"EX_ac_e": None}, "anaerobic": True})
    gcase(cat, E, "anaerobic growth of the core model on fructose?", {"carbon": {"EX_fru_e": None}, "anaerobic": True})
    gcase(cat, J, "Anaerobic growht rate of iJO1366 on glucose?", an)
    gcase(cat, J, "iJO1366 under oxygen limitation (max O2 uptake 8 mmol/gDW/h): growth?",
          {"uptake": {"EX_o2_e": 8}})
    gcase(cat, J, "No oxygen, glycerol as sole carbon source, iJO1366. Does it grow?",
          {"carbon": {"EX_glyc_e": None}, "anaerobic": True})
    gcase(cat, J, "iJO1366 anaerobic with nitrate available as electron acceptor (nitrate uptake up to 10 mmol/gDW/h). Growth rate?",
          {"anaerobic": True, "uptake": {"EX_no3_e": 10}})
    gcase(cat, S, "Anaerobic growth of the salmonella model on its default medium?", an)
    gcase(cat, S, "Salmonella: what if oxygen uptake is raised from the default to 30 mmol/gDW/h?",
          {"uptake": {"EX_o2_e": 30}})
    gcase(cat, S, "salmonella model, o2 limited to 5 mmol/gDW/h. growth?", {"uptake": {"EX_o2_e": 5}})
    gcase(cat, S, "Remove oxygen and raise glucose to 10 mmol/gDW/h in the Salmonella model. Growth?",
          {"anaerobic": True, "uptake": {"EX_glc__D_e": 10}})

    # ------------------------------------------------------------ gene_knockout
    cat = "gene_knockout"
    for q, gs, ids in [
        ("Knock out pgi in e_coli_core. What is the grwoth rate?", ["b4025"], ["b4025|pgi"]),
        ("Delete b1852 (zwf) from the core model and report growth.", ["b1852"], ["b1852|zwf"]),
        ("e_coli_core, delete pfkA: growth?", ["b3916"], ["b3916|pfkA"]),
        ("Knock out both pfkA and pfkB in e_coli_core. Can it still grow?", ["b3916", "b1723"], []),
        ("What's the growth rate of a tpiA knockout of e_coli_core?", ["b3919"], ["b3919|tpiA"]),
        ("e_coli_core: knock out the gene b2779. growth?", ["b2779"], ["b2779|eno"]),
        ("Simulate a sdhA deletion (b0723) in e_coli_core. Growth rate?", ["b0723"], []),
        ("Delete atpA from e_coli_core - how much growth is left?", ["b3734"], ["b3734|atpA"]),
        ("knock out cydA and cydB in the core E. coli model, aerobic glucose. mu?", ["b0733", "b0734"], []),
    ]:
        gcase(cat, E, q, {"ko_genes": gs}, tools=T_KO, ids=ids)
    for q, gs, ids in [
        ("Knock out b4025 (pgi) in iJO1366. Growth rate?", ["b4025"], []),
        ("iJO1366 with the gene b3919 deleted: growth?", ["b3919"], []),
        ("Delete b1676 (pykF) and b1854 (pykA) together in iJO1366. mu?", ["b1676", "b1854"], []),
        ("What happens to iJO1366 growth when b0720 (gltA) is knocked out?", ["b0720"], []),
    ]:
        gcase(cat, J, q, {"ko_genes": gs}, tools=T_KO, ids=ids)
    for q, gs, ids in [
        ("Knock out STM4081 in the salmonella model. Growth rate?", ["STM4081"], ["STM4081|TpiA|tpiA"]),
        ("Delete pgi (STM4221) from Salmonella: growth?", ["STM4221"], []),
        ("Salmonella model: knockout of zwf. What's the growth rate?", ["STM1886"], ["STM1886|Zwf|zwf"]),
        ("salmonella, delete gltA (STM0730) - mu?", ["STM0730"], []),
        ("Knock out the STM locus tags STM1378 and STM1888 in the salmonella model; growth?",
         ["STM1378", "STM1888"], []),
    ]:
        if all(g in M(S).genes for g in gs):
            gcase(cat, S, q, {"ko_genes": gs}, tools=T_KO, ids=ids)
        else:
            SKIPPED.append(q)

    # ------------------------------------------------------------ reaction_knockout
    cat = "reaction_knockout"
    for q, rs, sp in [
        ("Block TKT1 in e_coli_core. What's the growth rate?", ["TKT1"], {}),
        ("Disable PFL in the core model under anaerobic conditions. Growth?", ["PFL"], an),
        ("e_coli_core: remove the reaction PGI. mu?", ["PGI"], {}),
        ("Set the flux through ENO to zero in e_coli_core. Can it grow?", ["ENO"], {}),
        ("Knock out citrate synthase (CS) in e_coli_core and report the growth rate.", ["CS"], {}),
        ("What is e_coli_core growth without ATP synthase (ATPS4r blocked)?", ["ATPS4r"], {}),
        ("block the cytochrome oxidase CYTBD in the core model. growth?", ["CYTBD"], {}),
        ("e_coli_core, anaerobic, with ALCD2x and LDH_D both blocked. Growth rate?", ["ALCD2x", "LDH_D"], an),
        ("Knock out reaction PGI in iJO1366. Growth?", ["PGI"], {}),
        ("iJO1366 without pyruvate formate lyase (PFL blocked), anaerobic. mu?", ["PFL"], an),
        ("iJO1366: block EDA and PGI at the same time. What growth remains?", ["EDA", "PGI"], {}),
        ("Salmonella model with TPI blocked: growth rate?", ["TPI"], {}),
        ("In the salmonella model knock out the reaction CS. What's the growth?", ["CS"], {}),
        ("salmonella, block PGK - can it grow?", ["PGK"], {}),
    ]:
        model = E if "e_coli_core" in q or "core model" in q else (J if "iJO1366" in q else S)
        gcase(cat, model, q, {**sp, "ko_rxns": rs}, tools=T_KO)

    # ------------------------------------------------------------ bounds_atpm
    cat = "bounds_atpm"
    for model, q, sp in [
        (E, "Fix ATPM at 0 in e_coli_core (no maintenance). Growth rate?", {"bounds": {"ATPM": (0, 0)}}),
        (E, "e_coli_core with the ATP maintenance requirement fixed at 15 mmol/gDW/h: mu?", {"bounds": {"ATPM": (15, 15)}}),
        (E, "Set ATPM = 20 in the core model. What's the growth?", {"bounds": {"ATPM": (20, 20)}}),
        (E, "What if the non-growth associated maintenance of e_coli_core were 60 mmol ATP/gDW/h (fixed)?", {"bounds": {"ATPM": (60, 60)}}),
        (E, "Force PGI to run in reverse at >= 2 mmol/gDW/h in e_coli_core (i.e. PGI upper bound -2). Growth?", {"bounds": {"PGI": (-1000, -2)}}),
        (E, "Force at least 20 mmol/gDW/h through G6PDH2r in e_coli_core (upper bound unchanged). Growth rate?", {"bounds": {"G6PDH2r": (20, 1000)}}),
        (E, "e_coli_core: constrain CS between 0 and 2. mu?", {"bounds": {"CS": (0, 2)}}),
        (E, "Cap ATP synthase (ATPS4r) at 20 mmol/gDW/h in the core model; growth rate?", {"bounds": {"ATPS4r": (-1000, 20)}}),
        (J, "iJO1366 with ATPM fixed at 0: growth rate?", {"bounds": {"ATPM": (0, 0)}}),
        (J, "Set the ATP maintenance of iJO1366 to 10 mmol/gDW/h (lower and upper bound). Growth?", {"bounds": {"ATPM": (10, 10)}}),
        (J, "iJO1366: limit ATP synthase (ATPS4rpp) to at most 20 mmol/gDW/h. What growth results?", {"bounds": {"ATPS4rpp": (-1000, 20)}}),
        (S, "Salmonella model with ATPM fixed at 0. mu?", {"bounds": {"ATPM": (0, 0)}}),
        (S, "Increase the salmonella ATP maintenance to 15 mmol/gDW/h (fixed). Growth rate?", {"bounds": {"ATPM": (15, 15)}}),
        (S, "salmonella, cap CS at 1 mmol/gDW/h. growth?", {"bounds": {"CS": (0, 1)}}),
    ]:
        gcase(cat, model, q, sp, tools=T_FBA + ["set_bounds"])

    # ------------------------------------------------------------ objective_change
    cat = "objective_change"
    pcase(cat, E, "Maximise ATPM in e_coli_core (glucose, aerobic). What's the maximal ATP maintenance flux?", {}, "ATPM")
    pcase(cat, E, "What's the max ATP production (ATPM as objective) of e_coli_core without oxygen?", an, "ATPM")
    pcase(cat, E, "Set the objective of the core model to GAPD and maximise it. Max flux?", {}, "GAPD")
    pcase(cat, E, "Maximise flux through the oxidative pentose phosphate pathway entry G6PDH2r in e_coli_core. Value?", {}, "G6PDH2r")
    pcase(cat, E, "Add a demand reaction for 2-oxoglutarate (akg_c) in e_coli_core and maximise it. Maximal rate?", {"demand": "akg_c"}, None,
          tools=T_PROD + ["add_demand", "add_reaction"])
    pcase(cat, E, "Maximum production of oxaloacetate in e_coli_core if I add a demand for oaa_c and maximise it?", {"demand": "oaa_c"}, None,
          tools=T_PROD + ["add_demand", "add_reaction"])
    pcase(cat, E, "Maximise CO2 release (EX_co2_e) of e_coli_core on glucose. What flux?", {}, "EX_co2_e")
    pcase(cat, J, "iJO1366: maximise ATPM. Maximum ATP maintenance flux on glucose?", {}, "ATPM")
    pcase(cat, J, "Change iJO1366's objective to maximise L-lysine secretion (EX_lys__L_e). What's the max?", {}, "EX_lys__L_e")
    pcase(cat, J, "Maximise succinate export of iJO1366 anaerobically. Max flux?", an, "EX_succ_e")
    pcase(cat, J, "Use a demand reaction for glycogen? no - for L-glutamate (glu__L_c) in iJO1366 and maximise it.", {"demand": "glu__L_c"}, None,
          tools=T_PROD + ["add_demand", "add_reaction"])
    pcase(cat, S, "In the salmonella model ATPM is fixed at 8.39; open its upper bound to 1000 and maximise ATPM. What's the max?",
          {"bounds": {"ATPM": (WT_ATPM[S], 1000)}}, "ATPM")
    pcase(cat, S, "Salmonella: make L-threonine export (EX_thr__L_e) the objective. Max production rate?", {}, "EX_thr__L_e")
    pcase(cat, S, "Maximise ethanol secretion in the salmonella model without oxygen.", an, "EX_etoh_e")

    # ------------------------------------------------------------ max_production
    cat = "max_production"
    pcase(cat, E, "Hi! I'm trying to figure out overflow metabolism. What's the maximum acetate production rate of e_coli_core on glucose? thanks", {}, "EX_ac_e")
    pcase(cat, E, "Max ethanol secretion of e_coli_core under anaerobic conditions?", an, "EX_etoh_e")
    pcase(cat, E, "How much D-lactate can e_coli_core make at most (anaerobic, glucose)?", an, "EX_lac__D_e")
    pcase(cat, E, "maximum succinate production of the core model, aerobic glucose", {}, "EX_succ_e")
    pcase(cat, E, "Maximal formate secretion of e_coli_core without oxygen?", an, "EX_for_e")
    pcase(cat, J, "iJO1366: what's the theoretical maximum ethanol production on glucose, anaerobic?", an, "EX_etoh_e")
    pcase(cat, J, "Max L-valine production by iJO1366 on the default medium?", {}, "EX_val__L_e")
    pcase(cat, J, "Maximum D-lactate secretion of iJO1366 anaerobically?", an, "EX_lac__D_e")
    pcase(cat, J, "What's the max acetate export of iJO1366 with xylose as the sole carbon source?", {"carbon": {"EX_xyl__D_e": None}}, "EX_ac_e")
    pcase(cat, S, "Maximum acetate secretion of the salmonella model on glucose?", {}, "EX_ac_e")
    pcase(cat, S, "How much succinate can the salmonella model secrete at most, anaerobically?", an, "EX_succ_e")
    pcase(cat, S, "max L-lysine production of salmonella on glycerol (sole carbon)?", {"carbon": {"EX_glyc_e": None}}, "EX_lys__L_e")

    # ------------------------------------------------------------ growth_floor
    cat = "growth_floor"
    pcase(cat, E, "Maximise acetate production in e_coli_core while keeping growth at least 0.25 1/h.", {"floor": 0.25}, "EX_ac_e")
    pcase(cat, E, "What is the max succinate secretion of e_coli_core at 80% of optimal growth?", {"fraction": 0.8}, "EX_succ_e")
    pcase(cat, E, "Anaerobic e_coli_core, growth must be >= 0.1 1/h: max ethanol production?", {**an, "floor": 0.1}, "EX_etoh_e")
    pcase(cat, E, "max acetate of the core model at 50% of max growth", {"fraction": 0.5}, "EX_ac_e")
    pcase(cat, E, "With a minimum growth of 0.5 h-1, how much D-lactate can e_coli_core excrete?", {"floor": 0.5}, "EX_lac__D_e")
    pcase(cat, E, "e_coli_core anaerobic at 90% of its (anaerobic) optimal growth: maximal formate output?", {**an, "fraction": 0.9}, "EX_for_e")
    pcase(cat, J, "iJO1366: maximise L-lysine export subject to growth >= 0.2 1/h.", {"floor": 0.2}, "EX_lys__L_e")
    pcase(cat, J, "Maximal succinate secretion of iJO1366 with growth held at 50% of the optimum?", {"fraction": 0.5}, "EX_succ_e")
    pcase(cat, J, "iJO1366 anaerobic, growth at least 0.1/h: what's the max ethanol flux?", {**an, "floor": 0.1}, "EX_etoh_e")
    pcase(cat, J, "Maximise acetate of iJO1366 while growing at no less than 0.8 h^-1", {"floor": 0.8}, "EX_ac_e")
    pcase(cat, S, "Salmonella: max L-threonine export with growth >= 0.1 1/h?", {"floor": 0.1}, "EX_thr__L_e")
    pcase(cat, S, "salmonella model, 80% of optimal growth enforced, maximise acetate. value?", {"fraction": 0.8}, "EX_ac_e")
    pcase(cat, S, "With the salmonella model growing at least 0.3 1/h, what's the maximum succinate production?", {"floor": 0.3}, "EX_succ_e")

    # ------------------------------------------------------------ reaction_flux
    cat = "reaction_flux"
    for model, q, sp, rs in [
        (E, "What flux goes through citrate synthase (CS) in e_coli_core at optimal growth?", {}, ["CS"]),
        (E, "At max growth of the core model, what are the oxygen uptake and CO2 secretion rates?", {}, ["EX_o2_e", "EX_co2_e"]),
        (E, "Report the PGI and G6PDH2r fluxes in the FBA optimum of e_coli_core.", {}, ["PGI", "G6PDH2r"]),
        (E, "How much ATP synthase flux (ATPS4r) does e_coli_core carry at the growth optimum?", {}, ["ATPS4r"]),
        (E, "e_coli_core anaerobic: ethanol, formate and acetate secretion at optimal growth?", an, ["EX_etoh_e", "EX_for_e", "EX_ac_e"]),
        (E, "Flux through PFL in anaerobic e_coli_core at max growth?", an, ["PFL"]),
        (E, "What is the ammonium uptake rate of e_coli_core at optimal aerobic growth?", {}, ["EX_nh4_e"]),
        (E, "On acetate as sole carbon, what flux does isocitrate lyase (ICL) carry in e_coli_core at the optimum?", {"carbon": {"EX_ac_e": None}}, ["ICL"]),
        (E, "core model with glucose capped at 5: flux through PYK at the optimum?", {"uptake": {"EX_glc__D_e": 5}}, ["PYK"]),
        (J, "Oxygen uptake rate of iJO1366 at the default growth optimum?", {}, ["EX_o2_e"]),
        (J, "In iJO1366's optimal solution on glucose, what's the CO2 exchange flux?", {}, ["EX_co2_e"]),
        (J, "iJO1366 anaerobic: what's the ethanol secretion at max growth?", an, ["EX_etoh_e"]),
        (J, "Ammonium uptake of iJO1366 at its optimum?", {}, ["EX_nh4_e"]),
        (S, "What's the oxygen uptake of the salmonella model at optimal growth?", {}, ["EX_o2_e"]),
        (S, "salmonella: CO2 production rate at max growth?", {}, ["EX_co2_e"]),
        (S, "Ammonium uptake of the Salmonella model when growing optimally?", {}, ["EX_nh4_e"]),
        (S, "Anaerobic salmonella: acetate secretion at the optimum?", an, ["EX_ac_e"]),
        (J, "Flux of PGI in iJO1366 at the growth optimum?", {}, ["PGI"]),
        (E, "What's the phosphate uptake of e_coli_core at optimal growth?", {}, ["EX_pi_e"]),
    ]:
        fcase(cat, model, q, sp, rs, tools=T_FBA)

    # ------------------------------------------------------------ fva
    cat = "fva"
    for model, q, sp, rs, fr in [
        (E, "Run FVA on e_coli_core at 90% of optimal growth: range of PGI?", {}, ["PGI"], 0.9),
        (E, "What's the flux variability of EX_ac_e in the core model at 95% of max growth?", {}, ["EX_ac_e"], 0.95),
        (E, "FVA for CS and ICL at 90% optimum in e_coli_core, please give min and max.", {}, ["CS", "ICL"], 0.9),
        (E, "e_coli_core, growth >= 50% of optimum: min/max of the oxygen exchange?", {}, ["EX_o2_e"], 0.5),
        (E, "Range of G6PDH2r in e_coli_core if growth must be at least 99% of max?", {}, ["G6PDH2r"], 0.99),
        (E, "anaerobic core model: FVA of EX_etoh_e at 90% of the anaerobic optimum", an, ["EX_etoh_e"], 0.9),
        (E, "With growth fixed at >=80% of optimal, what range can ME1 take in e_coli_core?", {}, ["ME1"], 0.8),
        (E, "FVA at 0% optimum (growth not required) for PFK in e_coli_core: min and max?", {}, ["PFK"], 0.0),
        (J, "iJO1366 FVA at 90% of max growth for PGI: min and max flux?", {}, ["PGI"], 0.9),
        (J, "Flux range of EX_ac_e in iJO1366 at 95% of optimal growth?", {}, ["EX_ac_e"], 0.95),
        (J, "iJO1366: variability of the oxygen exchange at 90% optimum?", {}, ["EX_o2_e"], 0.9),
        (J, "min/max of CS in iJO1366, growth >= 0.9*mu_max", {}, ["CS"], 0.9),
        (S, "Salmonella model FVA at 90%: range of PGI?", {}, ["PGI"], 0.9),
        (S, "What is the possible range of acetate export (EX_ac_e) in the salmonella model at 95% of optimal growth?", {}, ["EX_ac_e"], 0.95),
        (S, "salmonella FVA of CS and EX_co2_e at 90% of the optimum", {}, ["CS", "EX_co2_e"], 0.9),
        (J, "Anaerobic iJO1366, FVA at 90%: range of EX_for_e?", an, ["EX_for_e"], 0.9),
    ]:
        vcase(cat, model, q, sp, rs, fr)

    # ------------------------------------------------------------ essential_genes
    cat = "essential_genes"
    ee = essential_genes(E)
    add(cat, E, "Which genes are essential in e_coli_core on the default medium?", T_ESSG, [len(ee)], gene_alts(E, ee))
    add(cat, E, "How many essential genes does the E. coli core model have (glucose, aerobic)?", T_ESSG, [len(ee)])
    ea = essential_genes(E, an)
    add(cat, E, "List the essential genes of e_coli_core under anaerobic conditions.", T_ESSG, [len(ea)], gene_alts(E, ea), setup=an)
    add(cat, E, "How many genes become essential in e_coli_core when oxygen is removed?", T_ESSG, [len(ea)], setup=an)
    eac = essential_genes(E, {"carbon": {"EX_ac_e": None}})
    add(cat, E, "Number of essential genes of e_coli_core growing on acetate as sole carbon source?", T_ESSG, [len(eac)],
        setup={"carbon": {"EX_ac_e": None}})
    new_an = sorted(set(ea) - set(ee))
    add(cat, E, "Which e_coli_core genes are essential anaerobically but not aerobically (glucose)?", T_ESSG, [len(new_an)], gene_alts(E, new_an), setup=an)
    ej = essential_genes(J)
    add(cat, J, "How many genes are essential in iJO1366 on its default medium?", T_ESSG, [len(ej)])
    add(cat, J, "iJO1366 single gene deletion screen: count of lethal knockouts (growth below 1% of wild type)?", T_ESSG, [len(ej)])
    probe = ["b2926", "b4025", "b1852", "b2779", "b3919", "b0720", "b1136", "b3916"]
    hit = [g for g in probe if g in ej]
    add(cat, J, "Of b2926, b4025, b1852, b2779, b3919, b0720, b1136 and b3916, which are essential in iJO1366? How many?",
        T_ESSG + ["knockout_genes"], [len(hit)], hit)
    for g in ["b2926", "b4025"]:
        pass
    probe2 = ["b0928", "b3870", "b2416", "b1101"]
    hit2 = [g for g in probe2 if g in ej]
    add(cat, J, f"Is any of b0928, b3870, b2416, b1101 essential in iJO1366? give the count and the ids",
        T_ESSG + ["knockout_genes"], [len(hit2)], hit2)
    es = essential_genes(S)
    add(cat, S, "how many essentail genes does the salmonella model have on its default medium?", T_ESSG, [len(es)])
    sprobe = ["STM4081", "STM4221", "STM1886", "STM3069", "STM2952", "STM0730", "STM4062"]
    shit = [g for g in sprobe if g in es]
    add(cat, S, "Salmonella: which of STM4081, STM4221, STM1886, STM3069, STM2952, STM0730, STM4062 are essential (and how many)?",
        T_ESSG + ["knockout_genes"], [len(shit)], gene_alts(S, shit))
    both = sorted(set(ee))
    add(cat, E, "Give me the essential genes of the core model as b-numbers, and say how many there are.", T_ESSG, [len(ee)], both)

    # ------------------------------------------------------------ essential_reactions
    cat = "essential_reactions"
    er = essential_reactions(E)
    er_nb = [r for r in er if r != bio(E)]
    add(cat, E, "Which reactions are essential in e_coli_core (default medium)? Include exchange reactions.", T_ESSR, [], er_nb)
    add(cat, E, "How many essential reactions does e_coli_core have, counting exchanges and the biomass reaction itself?", T_ESSR, [len(er)])
    era = essential_reactions(E, an)
    add(cat, E, "List the reactions (exchanges included) essential for anaerobic growth of e_coli_core.", T_ESSR, [], [r for r in era if r != bio(E)], setup=an)
    add(cat, E, "anaerobic core model: number of essential reactions incl. biomass and exchange reactions?", T_ESSR, [len(era)], setup=an)
    erac = essential_reactions(E, {"carbon": {"EX_ac_e": None}})
    extra = sorted(set(erac) - set(er))
    add(cat, E, "Which reactions become essential in e_coli_core on acetate (sole carbon) compared with glucose?", T_ESSR,
        [len(extra)], extra, setup={"carbon": {"EX_ac_e": None}})
    add(cat, E, "Is PGI an essential reaction in e_coli_core? And ENO?", T_ESSR + ["knockout_reactions"], [],
        [r for r in ["PGI", "ENO"] if r in er])
    erj = essential_reactions(J)
    add(cat, J, "How many reactions of iJO1366 are essential on the default medium (biomass and exchange reactions included)?", T_ESSR, [len(erj)])
    rprobe = ["PGI", "ENO", "PGK", "CS", "TPI", "GAPD", "ACONTa"]
    rhit = [r for r in rprobe if r in erj]
    add(cat, J, "Which of PGI, ENO, PGK, CS, TPI, GAPD and ACONTa are essential reactions in iJO1366? Count them.",
        T_ESSR, [len(rhit)], rhit)
    sprobe_r = ["PGI", "ENO", "PGK", "CS", "TPI", "GAPD", "PFK"]
    m = M(S)
    with m:
        wts = m.slim_optimize()
        srhit = []
        for rid in sprobe_r:
            with m:
                m.reactions.get_by_id(rid).knock_out()
                if m.slim_optimize(error_value=0.0) < 0.01 * wts:
                    srhit.append(rid)
    add(cat, S, "In the salmonella model, which of PGI, ENO, PGK, CS, TPI, GAPD, PFK are essential reactions? how many?",
        T_ESSR, [len(srhit)], srhit)
    add(cat, E, "give me the count of essential reactions in the textbook model excluding the biomass reaction (exchanges count)", T_ESSR, [len(er_nb)])

    # ------------------------------------------------------------ synthetic_lethal
    cat = "synthetic_lethal"
    slg = synthetic_lethals("genes")
    slr = synthetic_lethals("reactions")
    add(cat, E, "How many synthetic lethal gene pairs does e_coli_core have (pairs of non-essential genes whose double knockout is lethal)?",
        T_SL, [len(slg)])
    add(cat, E, "How many synthetic lethal reaction pairs are there in e_coli_core on the default medium?", T_SL, [len(slr)])
    for g in ["b4025", "b1852", "b3916", "b2935"]:
        part = sorted({p[0] if p[1] == g else p[1] for p in slg if g in p})
        nm = M(E).genes.get_by_id(g).name
        add(cat, E, f"Which genes are synthetic lethal with {nm} ({g}) in e_coli_core?", T_SL, [len(part)], gene_alts(E, part),
            setup={"partner_of": g})
    for r in ["PGI", "TKT1", "PFK"]:
        part = sorted({p[0] if p[1] == r else p[1] for p in slr if r in p})
        if part:
            add(cat, E, f"List the reactions that are synthetic lethal with {r} in the core model.", T_SL, [len(part)], part,
                setup={"partner_of": r})
    for model, q, ko in [
        (E, "Is the double knockout pgi + zwf lethal in e_coli_core? What's the growth?", ["b4025", "b1852"]),
        (J, "iJO1366: double knockout of b4025 (pgi) and b1852 (zwf). Growth rate?", ["b4025", "b1852"]),
        (J, "Are b1676 and b1854 together lethal in iJO1366? report the double mutant growth", ["b1676", "b1854"]),
        (S, "Salmonella double mutant pgi zwf (STM4221, STM1886): growth rate?", ["STM4221", "STM1886"]),
    ]:
        gcase(cat, model, q, {"ko_genes": ko}, tools=T_SL + T_KO)

    # ------------------------------------------------------------ yield
    cat = "yield"

    def mol_yield(model, spec, product, substrate):
        s = {**spec, "objective": product}
        fl, ok, obj = solve_fluxes(model, s, [product, substrate])
        return fl, ok, obj

    def ycase(model, q, spec, product, substrate, unit, pmet=None, smet=None):
        fl, ok, obj = mol_yield(model, spec, product, substrate)
        if fl is None or not ok or abs(fl[substrate]) < 1e-9:
            SKIPPED.append(f"yield {q[:50]}")
            return
        y = fl[product] / abs(fl[substrate])
        if unit == "g/g":
            m = M(model)
            pm = next(iter(m.reactions.get_by_id(product).metabolites)) if pmet is None else m.metabolites.get_by_id(pmet)
            sm = next(iter(m.reactions.get_by_id(substrate).metabolites))
            y = y * pm.formula_weight / sm.formula_weight
        add(cat, model, q, T_PROD, [y], [], False, (), {**spec, "objective": product, "yield": unit,
                                                        "substrate": substrate})

    ycase(E, "What is the maximum theoretical yield of acetate on glucose for e_coli_core, in mol/mol?", {}, "EX_ac_e", "EX_glc__D_e", "mol/mol")
    ycase(E, "Anaerobic e_coli_core: max ethanol yield in mol ethanol per mol glucose?", an, "EX_etoh_e", "EX_glc__D_e", "mol/mol")
    ycase(E, "Max succinate yield of the core model on glucose (aerobic), g succinate per g glucose?", {}, "EX_succ_e", "EX_glc__D_e", "g/g")
    ycase(E, "D-lactate yield (mol/mol glucose) of e_coli_core without oxygen, at maximum lactate production?", an, "EX_lac__D_e", "EX_glc__D_e", "mol/mol")
    ycase(E, "Anaerobic e_coli_core max ethanol yield in g/g glucose?", an, "EX_etoh_e", "EX_glc__D_e", "g/g")
    ycase(J, "iJO1366 theoretical maximum yield of L-lysine on glucose (mol/mol)?", {}, "EX_lys__L_e", "EX_glc__D_e", "mol/mol")
    ycase(J, "What's the max succinate yield of iJO1366 on glucose anaerobically, mol/mol?", an, "EX_succ_e", "EX_glc__D_e", "mol/mol")
    ycase(J, "Maximal L-valine yield of iJO1366 in gram per gram glucose?", {}, "EX_val__L_e", "EX_glc__D_e", "g/g")
    ycase(J, "iJO1366 on xylose: max ethanol yield (mol/mol xylose), anaerobic.", {"carbon": {"EX_xyl__D_e": None}, **an}, "EX_etoh_e", "EX_xyl__D_e", "mol/mol")
    ycase(S, "Salmonella model: maximum acetate yield on glucose in mol/mol?", {}, "EX_ac_e", "EX_glc__D_e", "mol/mol")
    ycase(S, "Max L-threonine yield (g/g glucose) for the salmonella model?", {}, "EX_thr__L_e", "EX_glc__D_e", "g/g")
    ycase(S, "salmonella on glycerol: max succinate yield mol/mol glycerol", {"carbon": {"EX_glyc_e": None}}, "EX_succ_e", "EX_glyc_e", "mol/mol")
    # ATP and biomass yields
    atp = opt(E, {"objective": "ATPM"})
    add(cat, E, "Maximum ATP yield of e_coli_core per mol glucose (aerobic), using ATPM as the objective? mol ATP/mol glucose",
        T_PROD, [atp / GLC[E]], setup={"objective": "ATPM", "yield": "mol/mol", "substrate": "EX_glc__D_e"})
    atpa = opt(E, {**an, "objective": "ATPM"})
    add(cat, E, "Anaerobic ATP yield (mol ATP per mol glucose) of e_coli_core at maximal ATPM?",
        T_PROD, [atpa / GLC[E]], setup={**an, "objective": "ATPM", "yield": "mol/mol", "substrate": "EX_glc__D_e"})
    gw = M(E).metabolites.glc__D_e.formula_weight
    add(cat, E, "What's the biomass yield of e_coli_core on glucose in gDW per g glucose at max growth?",
        T_FBA, [wt[E] / (GLC[E] * gw / 1000.0)], setup={"yield": "gDW/g", "substrate": "EX_glc__D_e"})
    gwj = M(J).metabolites.glc__D_e.formula_weight
    add(cat, J, "biomass yield of iJO1366 (gDW biomass / g glucose) at optimal growth?",
        T_FBA, [wt[J] / (GLC[J] * gwj / 1000.0)], setup={"yield": "gDW/g", "substrate": "EX_glc__D_e"})

    # ------------------------------------------------------------ comparison
    cat = "comparison"

    def cmp_case(model, q, options, tools=T_FBA + T_CMP, pick=max, name_winner=True):
        vals = {lab: opt(model, sp) for lab, sp in options.items()}
        best = pick(vals, key=lambda k: vals[k])
        best = "|".join(k for k in options if abs(vals[k] - vals[best]) < 1e-6)
        add(cat, model, q, sorted(set(tools)), [vals[k] for k in options], [best] if name_winner else [], False, (),
            {"options": options, "winner": best})

    cmp_case(J, "Which of glucose, fructose and xylose gives iJO1366 the fastest growth (each as sole carbon source)?",
             {"glucose|glc__D": {}, "fructose|fru": {"carbon": {"EX_fru_e": None}}, "xylose|xyl__D": {"carbon": {"EX_xyl__D_e": None}}})
    cmp_case(E, "For e_coli_core, compare growth on acetate, succinate, pyruvate and 2-oxoglutarate as sole carbon sources. Which is best?",
             {"acetate|ac": {"carbon": {"EX_ac_e": None}}, "succinate|succ": {"carbon": {"EX_succ_e": None}},
              "pyruvate|pyr": {"carbon": {"EX_pyr_e": None}}, "2-oxoglutarate|akg": {"carbon": {"EX_akg_e": None}}})
    cmp_case(E, "Which single carbon source supports the slowest growth of the core model: ethanol, lactate or malate?",
             {"ethanol|etoh": {"carbon": {"EX_etoh_e": None}}, "lactate|lac__D": {"carbon": {"EX_lac__D_e": None}},
              "malate|mal__L": {"carbon": {"EX_mal__L_e": None}}}, pick=min)
    cmp_case(S, "Salmonella: glycerol, galactose or rhamnose - which sole carbon source gives the highest growth rate?",
             {"glycerol|glyc": {"carbon": {"EX_glyc_e": None}}, "galactose|gal": {"carbon": {"EX_gal_e": None}},
              "rhamnose|rmn": {"carbon": {"EX_rmn_e": None}}})
    cmp_case(J, "Rank maltose, glycerol, and D-sorbitol as sole carbon sources for iJO1366 by growth. Which wins?",
             {"maltose|malt": {"carbon": {"EX_malt_e": None}}, "glycerol|glyc": {"carbon": {"EX_glyc_e": None}},
              "sorbitol|sbt__D": {"carbon": {"EX_sbt__D_e": None}}})
    cmp_case(E, "Which knockout hurts e_coli_core growth most: pgi, zwf, or sdhA?",
             {"pgi|b4025": {"ko_genes": ["b4025"]}, "zwf|b1852": {"ko_genes": ["b1852"]}, "sdhA|b0723": {"ko_genes": ["b0723"]}},
             tools=T_KO, pick=min)
    cmp_case(J, "In iJO1366, which single reaction knockout lowers growth the most: PGI, PFK, TKT1 or ZWF?... I mean G6PDH2r not ZWF",
             {"PGI": {"ko_rxns": ["PGI"]}, "PFK": {"ko_rxns": ["PFK"]}, "TKT1": {"ko_rxns": ["TKT1"]}, "G6PDH2r": {"ko_rxns": ["G6PDH2r"]}},
             tools=T_KO, pick=min)
    cmp_case(E, "e_coli_core: what gives faster growth, glucose at 10 aerobic, or glucose at 20 anaerobic?",
             {"aerobic": {}, "anaerobic": {"anaerobic": True, "uptake": {"EX_glc__D_e": 20}}}, name_winner=False)
    cmp_case(S, "For salmonella, compare growth with O2 uptake limited to 2, 5 and 10 mmol/gDW/h. Which is the highest, and by how much?",
             {"2": {"uptake": {"EX_o2_e": 2}}, "5": {"uptake": {"EX_o2_e": 5}}, "10": {"uptake": {"EX_o2_e": 10}}}, name_winner=False)
    cmp_case(J, "iJO1366 sole nitrogen source comparison (5 mmol/gDW/h each, NH4 off): L-alanine, L-serine, L-glutamine. Which gives the fastest growth?",
             {"alanine|ala__L": {"close": ["EX_nh4_e"], "uptake": {"EX_ala__L_e": 5}},
              "serine|ser__L": {"close": ["EX_nh4_e"], "uptake": {"EX_ser__L_e": 5}},
              "glutamine|gln__L": {"close": ["EX_nh4_e"], "uptake": {"EX_gln__L_e": 5}}})
    cmp_case(E, "Which is worse for e_coli_core: losing CS or losing ATPS4r? give both growth rates",
             {"CS": {"ko_rxns": ["CS"]}, "ATPS4r": {"ko_rxns": ["ATPS4r"]}}, tools=T_KO, pick=min)
    cmp_case(S, "salmonella: fructose vs mannitol vs sorbitol as sole carbon — which gives best growth?",
             {"fructose|fru": {"carbon": {"EX_fru_e": None}}, "mannitol|mnl": {"carbon": {"EX_mnl_e": None}},
              "sorbitol|sbt__D": {"carbon": {"EX_sbt__D_e": None}}})

    # ------------------------------------------------------------ cross_model
    cat = "cross_model"
    add(cat, E, "Compare the default growth rates of e_coli_core, iJO1366 and the salmonella model. Which is fastest?",
        T_CMP, [wt[E], wt[J], wt[S]], ["iJO1366"], setup={"models": [E, J, S]})
    ans = {k: opt(k, an) for k in (E, J, S)}
    add(cat, E, "Anaerobic growth on default medium (O2 off) for e_coli_core, iJO1366 and salmonella - list all three.",
        T_CMP, [ans[E], ans[J], ans[S]], [], setup={"models": [E, J, S], **an})
    add(cat, J, "How much faster does iJO1366 grow than e_coli_core on their default media, in percent?",
        T_CMP, [wt[J], wt[E], (wt[J] / wt[E] - 1) * 100], [], setup={"models": [J, E]})
    gl = {k: opt(k, {"carbon": {"EX_glyc_e": 10.0}}) for k in (J, S)}
    add(cat, S, "On glycerol at 10 mmol/gDW/h (no glucose), which grows faster: iJO1366 or the salmonella model?",
        T_CMP, [gl[J], gl[S]], [max(gl, key=gl.get)], setup={"models": [J, S], "carbon": {"EX_glyc_e": 10.0}})
    add(cat, S, "Which model has more genes, iJO1366 or salmonella? Give both counts.", T_INFO + ["load_model"],
        [len(M(J).genes), len(M(S).genes)], ["salmonella|iYS1720" if len(M(S).genes) > len(M(J).genes) else "iJO1366"])
    add(cat, E, "Number of reactions in e_coli_core vs iJO1366 vs salmonella?", T_INFO,
        [len(M(E).reactions), len(M(J).reactions), len(M(S).reactions)])
    gg = {k: opt(k, {"uptake": {"EX_glc__D_e": 5.0}}) for k in (E, J, S)}
    add(cat, J, "With glucose uptake set to 5 mmol/gDW/h in all three (e_coli_core, iJO1366, salmonella), what are the growth rates?",
        T_CMP, [gg[E], gg[J], gg[S]], [], setup={"models": [E, J, S], "uptake": {"EX_glc__D_e": 5.0}})
    ko = {k: opt(k, {"ko_rxns": ["PGI"]}) for k in (E, J, S)}
    add(cat, J, "Knock out PGI in e_coli_core, iJO1366 and the salmonella model; report each growth rate.",
        T_CMP + T_KO, [ko[E], ko[J], ko[S]], [], setup={"models": [E, J, S], "ko_rxns": ["PGI"]})
    add(cat, E, "How many metabolites does each model have: e_coli_core, iJO1366, salmonella?", T_INFO,
        [len(M(E).metabolites), len(M(J).metabolites), len(M(S).metabolites)])
    atpm = {k: opt(k, {"objective": "ATPM", "bounds": {"ATPM": (WT_ATPM[k], 1000)}}) for k in (E, J, S)}
    add(cat, S, "Max ATPM flux on default medium: e_coli_core vs iJO1366 vs salmonella? (upper bound of ATPM at 1000 in all three)", T_CMP + T_PROD,
        [atpm[E], atpm[J], atpm[S]], [], setup={"models": [E, J, S], "objective": "ATPM", "bounds": {"ATPM": "(default lb, 1000)"}})

    # ------------------------------------------------------------ model_info
    cat = "model_info"
    for model, nm in [(E, "e_coli_core"), (J, "iJO1366"), (S, "the salmonella model")]:
        m = M(model)
        add(cat, model, f"How many reactions, metabolites and genes are in {nm}?", T_INFO,
            [len(m.reactions), len(m.metabolites), len(m.genes)])
    add(cat, E, "What's the objective reaction of the textbook model?", T_INFO, [], [bio(E)])
    add(cat, J, "Which reaction is iJO1366's objective?", T_INFO, [], [bio(J)])
    add(cat, S, "name the biomass reaction used as objective in the salmonella model", T_INFO, [], [bio(S)])
    add(cat, E, "How many exchange reactions does e_coli_core have?", T_INFO, [len(M(E).exchanges)])
    add(cat, J, "number of exchange reactions in iJO1366?", T_INFO, [len(M(J).exchanges)])
    add(cat, S, "How many genes does the salmonella model contain?", T_INFO, [len(M(S).genes)])
    add(cat, J, "What is the model id of the iJO1366 model and how many compartments does it have?", T_INFO,
        [len(M(J).compartments)], [M(J).id])
    add(cat, S, "What's the id of the model cobrapy ships as 'salmonella', and how many reactions?", T_INFO,
        [len(M(S).reactions)], [M(S).id])
    add(cat, E, "Which genes are associated with the PFK reaction in e_coli_core?", T_INFO + ["lookup_reaction"],
        [], sorted(f"{g.id}|{g.name}" for g in M(E).reactions.PFK.genes))
    add(cat, E, "What reactions does gene b4025 catalyse in e_coli_core?", T_INFO + ["lookup_reaction"], [],
        sorted(r.id for r in M(E).genes.b4025.reactions))
    add(cat, J, "In iJO1366, how many reactions is gene b0720 associated with?", T_INFO + ["lookup_reaction"],
        [len(M(J).genes.b0720.reactions)], sorted(r.id for r in M(J).genes.b0720.reactions))
    add(cat, E, "What are the bounds of ATPM in e_coli_core?", T_INFO + ["lookup_reaction"],
        list(M(E).reactions.ATPM.bounds), [])
    add(cat, S, "What are the default lower and upper bounds of the ATPM reaction in the salmonella model?",
        T_INFO + ["lookup_reaction"], [WT_ATPM[S]], [])

    # ------------------------------------------------------------ medium
    cat = "medium"
    add(cat, E, "What's in the default medium of e_coli_core? How many components?", T_MED,
        [len(M(E).medium)], sorted(M(E).medium))
    add(cat, J, "How many compounds does iJO1366's default medium allow to be taken up?", T_MED, [len(M(J).medium)])
    add(cat, S, "What is the glucose uptake limit in the salmonella model's default medium?", T_MED, [M(S).medium["EX_glc__D_e"]])
    add(cat, S, "salmonella default medium: oxygen uptake bound?", T_MED, [M(S).medium["EX_o2_e"]])
    add(cat, J, "What's the maximum glucose uptake in iJO1366's default medium, and the cobalamin (cbl1) bound?", T_MED,
        [M(J).medium["EX_glc__D_e"], M(J).medium["EX_cbl1_e"]])
    onlyj = sorted(set(M(J).medium) - set(M(E).medium))
    add(cat, J, "Compare the default media of e_coli_core and iJO1366: how many exchanges are open in iJO1366 but not in the core model?",
        T_MED + ["compare_media"], [len(onlyj)])
    sj = sorted(set(M(S).medium) - set(M(J).medium))
    add(cat, S, "Which medium components does the salmonella default medium have that iJO1366's lacks?", T_MED + ["compare_media"],
        [len(sj)], sj)
    with M(E) as m:
        mm = minimal_medium(m, 0.1, minimize_components=True)
        n_min = int((mm.abs() > 1e-9).sum())
    add(cat, E, "What is the smallest number of medium components e_coli_core needs to grow at 0.1 1/h?", T_MED,
        [n_min], [], setup={"minimal_medium": {"growth": 0.1, "minimize_components": True}})
    with M(E) as m:
        mm = minimal_medium(m, wt[E], minimize_components=False)
    tot = float(mm.sum())
    add(cat, E, "Minimal medium of e_coli_core (minimising total uptake flux) at its max growth: what's the total uptake?",
        T_MED, [tot], [], setup={"minimal_medium": {"growth": "max", "minimize_components": False}})
    add(cat, J, "Is oxygen in the default iJO1366 medium, and what is its uptake bound?", T_MED, [M(J).medium["EX_o2_e"]], ["EX_o2_e|o2"])

    # ------------------------------------------------------------ derived
    cat = "derived"
    for model, q, sp, unit in [
        (E, "What's the doubling time of e_coli_core on the default medium, in minutes?", {}, "min"),
        (J, "Doubling time of iJO1366 (default conditions) in hours?", {}, "h"),
        (S, "salmonella model default: doubling time in min?", {}, "min"),
        (E, "Anaerobic e_coli_core: how long is one doubling, in hours?", an, "h"),
        (J, "iJO1366 growing on acetate only - doubling time in hours?", {"carbon": {"EX_ac_e": None}}, "h"),
        (S, "Doubling time (minutes) of salmonella on glycerol as sole carbon source?", {"carbon": {"EX_glyc_e": None}}, "min"),
    ]:
        g = opt(model, sp)
        td = math.log(2) / g * (60 if unit == "min" else 1)
        add(cat, model, q, T_FBA, [td], [], False, (), {**sp, "derived": f"ln2/mu in {unit}"})
    for model, q, sp in [
        (E, "By what percent does knocking out pgi reduce e_coli_core growth compared with wild type?", {"ko_genes": ["b4025"]}),
        (E, "Percent change in growth of e_coli_core when going anaerobic?", an),
        (J, "Relative to wild type, how much (in %) does a b4025 knockout change iJO1366 growth?", {"ko_genes": ["b4025"]}),
        (S, "percent growth reduction of salmonella when oxygen is removed?", an),
        (E, "How much lower (percentage) is e_coli_core growth on succinate than on glucose?", {"carbon": {"EX_succ_e": None}}),
        (J, "Capping glucose uptake at 5 in iJO1366: what percentage of wild-type growth remains?", {"uptake": {"EX_glc__D_e": 5}}),
    ]:
        g = opt(model, sp)
        if "remains" in q:
            v = g / wt[model] * 100
        else:
            v = (g - wt[model]) / wt[model] * 100
        add(cat, model, q, T_FBA + T_KO, [v], [], False, (), {**sp, "derived": "percent vs wild type"})

    # ------------------------------------------------------------ multi_step
    cat = "multi_step"
    fcase(cat, E, "Knock out pgi in e_coli_core, then report the growth rate and the flux through G6PDH2r.",
          {"ko_genes": ["b4025"]}, ["G6PDH2r"], tools=T_KO, with_growth=True)
    fcase(cat, E, "Make e_coli_core anaerobic, then tell me growth and the ethanol secretion flux.",
          an, ["EX_etoh_e"], with_growth=True)
    fcase(cat, E, "Switch e_coli_core to acetate as sole carbon source and give me both the growth rate and the oxygen uptake.",
          {"carbon": {"EX_ac_e": None}}, ["EX_o2_e"], with_growth=True)
    fcase(cat, E, "core model: cap glucose at 6, knock out zwf, then growth + CO2 output?",
          {"uptake": {"EX_glc__D_e": 6}, "ko_genes": ["b1852"]}, ["EX_co2_e"], tools=T_KO, with_growth=True)
    fcase(cat, J, "Knock out b4025 in iJO1366 and report the growth rate and oxygen uptake.",
          {"ko_genes": ["b4025"]}, ["EX_o2_e"], tools=T_KO, with_growth=True)
    fcase(cat, J, "iJO1366: switch to xylose as sole carbon, then report growth and CO2 secretion.",
          {"carbon": {"EX_xyl__D_e": None}}, ["EX_co2_e"], with_growth=True)
    fcase(cat, S, "For the salmonella model, remove oxygen, then report growth and acetate secretion.",
          an, ["EX_ac_e"], with_growth=True)
    fcase(cat, S, "Salmonella: set ATPM to 0, then give growth and ammonium uptake.",
          {"bounds": {"ATPM": (0, 0)}}, ["EX_nh4_e"], with_growth=True)
    g1 = opt(E, {"ko_genes": ["b3916"]})
    g2 = opt(E, {"ko_genes": ["b3916"], "anaerobic": True})
    add(cat, E, "Delete pfkA in e_coli_core and give the growth aerobically and then without oxygen.", T_KO,
        [g1, g2], [], setup={"ko_genes": ["b3916"], "then": "anaerobic"})
    ac = opt(E, {"fraction": 0.9, "objective": "EX_ac_e"})
    add(cat, E, "First find the max growth of e_coli_core, then maximise acetate while holding growth at 90% of it. Both numbers please.",
        T_PROD, [wt[E], ac], [], setup={"fraction": 0.9, "objective": "EX_ac_e"})
    g3 = opt(J, {"anaerobic": True})
    e3 = opt(J, {"anaerobic": True, "fraction": 0.5, "objective": "EX_etoh_e"})
    add(cat, J, "iJO1366: go anaerobic, report growth, then maximise ethanol at 50% of that growth.", T_PROD,
        [g3, e3], [], setup={"anaerobic": True, "fraction": 0.5, "objective": "EX_etoh_e"})
    v = fva(E, {"ko_genes": ["b4025"]}, ["G6PDH2r"], 0.9)["G6PDH2r"]
    g4 = opt(E, {"ko_genes": ["b4025"]})
    add(cat, E, "Knock out pgi in the core model, report growth, then run FVA at 90% for G6PDH2r.", T_KO + T_FVA,
        [g4, v[0], v[1]], [], setup={"ko_genes": ["b4025"], "fva_of": ["G6PDH2r"], "fraction_of_optimum": 0.9})

    # ------------------------------------------------------------ followup
    cat = "followup"
    gcase(cat, E, "and without oxygen?", {"ko_genes": ["b4025"], "anaerobic": True},
          turns=["Knock out pgi in e_coli_core. What is the growth rate?"])
    gcase(cat, E, "What about on fructose instead (sole carbon)?", {"carbon": {"EX_fru_e": None}, "anaerobic": True},
          turns=["What is the anaerobic growth rate of e_coli_core?"])
    gcase(cat, J, "And if I also cap glucose uptake at 5?", {"ko_genes": ["b1852"], "uptake": {"EX_glc__D_e": 5}},
          turns=["Delete b1852 from iJO1366. Growth?"], tools=T_KO)
    gcase(cat, S, "now remove oxygen too", {"ko_genes": ["STM1886"], "anaerobic": True},
          turns=["Knock out zwf (STM1886) in the salmonella model and give me the growth rate."], tools=T_KO)
    pcase(cat, E, "and if growth only has to reach half of that, how much acetate can it secrete at most?", {"fraction": 0.5}, "EX_ac_e",
          turns=["What's the maximal growth rate of e_coli_core?"])
    pcase(cat, J, "same thing but anaerobic", {"anaerobic": True, "fraction": 0.8}, "EX_succ_e",
          turns=["Maximise succinate secretion of iJO1366 at 80% of optimal growth."])
    gcase(cat, E, "ok and with glucose limited to 3 on top of that?", {"uptake": {"EX_glc__D_e": 3}, "bounds": {"ATPM": (0, 0)}},
          turns=["Set ATPM to 0 in e_coli_core. Growth?"])
    gcase(cat, J, "What about xylose?", {"carbon": {"EX_xyl__D_e": None}},
          turns=["How fast does iJO1366 grow on glycerol as the sole carbon source?"])
    gcase(cat, S, "and on succinate?", {"carbon": {"EX_succ_e": None}},
          turns=["Salmonella growth with citrate as sole carbon source?"])
    gcase(cat, E, "Now knock out PYK too.", {"ko_rxns": ["PGI", "PYK"]},
          turns=["Block the PGI reaction in e_coli_core. What's the growth rate?"], tools=T_KO)
    vcase(cat, E, "and at 50%?", {}, ["PGI"], 0.5, turns=["FVA of PGI in e_coli_core at 90% of optimal growth?"])
    g = opt(E, {"uptake": {"EX_o2_e": 5}})
    add(cat, E, "what's that as a doubling time in minutes?", T_FBA, [math.log(2) / g * 60], [], False,
        ["Limit oxygen uptake of e_coli_core to 5 mmol/gDW/h. Growth rate?"], {"uptake": {"EX_o2_e": 5}, "derived": "ln2/mu in min"})
    gcase(cat, J, "undo the knockout and make it anaerobic instead", an,
          turns=["Knock out b4025 in iJO1366; growth?"])
    ee2 = essential_genes(E, {"carbon": {"EX_ac_e": None}})
    add(cat, E, "And which genes are essential when it grows on acetate instead?", T_ESSG, [len(ee2)], gene_alts(E, ee2), False,
        ["Which genes are essential in e_coli_core?"], {"carbon": {"EX_ac_e": None}})

    # ------------------------------------------------------------ modelseed_lookup
    cat = "modelseed_lookup"
    for name in ["Pyruvate", "ATP", "L-Glutamate", "Acetate", "Succinate", "Citrate", "Glycerol", "L-Lysine",
                 "Oxaloacetate", "Acetyl-CoA", "Fumarate", "L-Alanine"]:
        ids_ = cpd_by_name(name)
        if len(ids_) != 1:
            SKIPPED.append(f"name {name} ambiguous: {ids_}")
            continue
        qs = {"Pyruvate": "What is the ModelSEED compound id for pyruvate?",
              "ATP": "ModelSEED id of ATP?",
              "L-Glutamate": "Look up L-glutamate in the ModelSEED biochemistry: which cpd id?",
              "Acetate": "whats the modelseed cpd id for acetate",
              "Succinate": "Find the ModelSEED compound for succinate.",
              "Citrate": "Which cpd id does ModelSEED use for citrate?",
              "Glycerol": "ModelSEED identifier of glycerol, please.",
              "L-Lysine": "What is L-lysine called in ModelSEED (the cpd id)?",
              "Oxaloacetate": "Give me the ModelSEED id of oxaloacetate.",
              "Acetyl-CoA": "acetyl-CoA -> ModelSEED compound id?",
              "Fumarate": "ModelSEED compound id for fumarate?",
              "L-Alanine": "Look up the ModelSEED id for L-alanine."}
        add(cat, "e_coli_core", qs[name], T_LOOK, [], ids_, setup={"modelseed_name": name})
    for cid in ["cpd00001", "cpd00027", "cpd00020", "cpd00036", "cpd00067", "cpd00009"]:
        add(cat, "e_coli_core", {"cpd00001": "What compound is cpd00001 in ModelSEED?",
                                 "cpd00027": "name of cpd00027?",
                                 "cpd00020": "Which metabolite has the ModelSEED id cpd00020, and what is its formula?",
                                 "cpd00036": "What is cpd00036 (ModelSEED)? give the name and formula",
                                 "cpd00067": "ModelSEED cpd00067 is which compound?",
                                 "cpd00009": "What's the ModelSEED compound cpd00009?"}[cid],
            T_LOOK, [], [CPD[cid]["name"]] + ([CPD[cid]["formula"]] if cid in ("cpd00020", "cpd00036") else []),
            setup={"modelseed_id": cid})
    for bigg, q in [("glc__D", "Translate the BiGG metabolite glc__D to ModelSEED and KEGG ids."),
                    ("pyr", "BiGG pyr -> ModelSEED id and KEGG compound id?"),
                    ("akg", "What are the ModelSEED and KEGG identifiers for BiGG akg?"),
                    ("succ", "map BiGG 'succ' to ModelSEED + KEGG"),
                    ("atp", "BiGG atp: ModelSEED and KEGG ids?")]:
        ms = live_cpd(CPD_ALIAS["BiGG"][bigg])
        if len(ms) != 1:
            SKIPPED.append(f"bigg {bigg}: {ms}")
            continue
        kegg = sorted(k for k in CPD_EXT[ms[0]]["KEGG"] if k.startswith("C"))
        if len(kegg) != 1:
            ids_ = [ms[0], "|".join(kegg)] if kegg else [ms[0]]
        else:
            ids_ = [ms[0], kegg[0]]
        add(cat, "e_coli_core", q, T_LOOK, [], ids_, setup={"bigg": bigg})
    for rid, q in [("rxn00001", "What EC number does ModelSEED reaction rxn00001 have?"),
                   ("rxn00558", "EC number of rxn00558?"),
                   ("rxn00747", "Which EC number is associated with the ModelSEED reaction rxn00747?"),
                   ("rxn00256", "rxn00256 in ModelSEED: EC number and name?")]:
        ecs = sorted(RXN_EC[rid])
        if len(ecs) != 1:
            SKIPPED.append(f"ec {rid}: {ecs}")
            continue
        ids_ = [ecs[0]] + ([RXN[rid]["name"]] if "name" in q else [])
        add(cat, "e_coli_core", q, T_LOOK, [], ids_, setup={"modelseed_rxn": rid})
    for bigg, q in [("PGI", "Which ModelSEED reaction corresponds to BiGG PGI?"),
                    ("TPI", "BiGG reaction TPI -> ModelSEED rxn id?"),
                    ("CS", "ModelSEED reaction id for citrate synthase (BiGG CS)?"),
                    ("PFK", "translate BiGG PFK to a ModelSEED reaction id")]:
        rs = live_rxn(RXN_ALIAS["BiGG"][bigg])
        if not rs:
            SKIPPED.append(f"bigg rxn {bigg}")
            continue
        add(cat, "e_coli_core", q, T_LOOK, [], ["|".join(rs)], setup={"bigg_reaction": bigg, "modelseed": rs})
    for cid, q in [("cpd00027", "What is the molecular formula and charge of cpd00027 in ModelSEED?"),
                   ("cpd00002", "charge and formula of ModelSEED ATP (cpd00002)?")]:
        add(cat, "e_coli_core", q, T_LOOK, [abs(int(CPD[cid]["charge"]))] if CPD[cid]["charge"] != "0" else [0],
            [CPD[cid]["formula"]], setup={"modelseed_id": cid})

    # ------------------------------------------------------------ modelseed_draft
    cat = "modelseed_draft"
    d = M("draft")
    mf = DRAFT
    dq = lambda q, tools, numbers=(), ids=(), no_growth=False, setup=None: add(  # noqa: E731
        cat, DRAFT, q, tools, numbers, ids, no_growth, (), setup, mf)
    dq(f"Load {DRAFT}. How many reactions, metabolites and genes does it have?", T_INFO,
       [len(d.reactions), len(d.metabolites), len(d.genes)])
    dq("How many genes are in the ModelSEED draft?", T_INFO, [len(d.genes)])
    dq("ModelSEED draft model: number of exchange reactions?", T_INFO, [len(d.exchanges)])
    dq("Which compartments does the ModelSEED draft have?", T_INFO, [len(d.compartments)], sorted(d.compartments))
    bio1 = d.reactions.get_by_id("bio1")
    with d:
        d.objective = bio1
        g0 = d.slim_optimize(error_value=0.0)
        for r in d.exchanges:
            r.lower_bound = -1000.0
        g1 = d.slim_optimize(error_value=0.0)
    assert abs(g0) < 1e-9 and abs(g1) < 1e-9
    dq("Can the ModelSEED draft grow on its own medium (biomass bio1 as objective)?", T_FBA, [], [], True,
       {"objective": "bio1"})
    dq(f"Open every exchange of {DRAFT} (complete medium) and maximise biomass. Growth rate?", T_FBA, [], [], True,
       {"objective": "bio1", "medium": "all exchanges open at 1000"})
    dq("What's the biomass reaction of the ModelSEED draft called?", T_INFO, [], ["bio1"])
    dq("List the medium of the ModelSEED draft.", T_MED, [len(d.medium)],
       sorted(f"{k}|{k[3:-3]}" for k in d.medium))
    dq("How many sink reactions are in the ModelSEED draft?", T_INFO, [len([r for r in d.boundary if r.id.startswith('SK_')])])
    gl = "EX_cpd00027_e0" in d.reactions
    dq("Does the ModelSEED draft have a glucose exchange? What's its id?", T_INFO + T_LOOK, [],
       ["EX_cpd00027_e0"] if gl else [], setup={"present": gl})
    nr = len([r for r in d.reactions if r.genes])
    dq("How many reactions of the ModelSEED draft have a gene association?", T_INFO, [nr])
    r0 = d.reactions.get_by_id("rxn00351_c0")
    dq("What does rxn00351_c0 in the ModelSEED draft do? Give its name.", T_INFO + T_LOOK, [],
       [r0.name.replace("[c0]", "").strip() + "|rxn00351"], setup={"reaction": r0.id})
    dq("Is the draft (tests/data/modelseed/examples/example_ecoli_modelseed_model.json) able to produce biomass on glucose minimal medium?",
       T_FBA, [], [], True, {"objective": "bio1"})
    nm_bio = len(bio1.metabolites)
    dq("How many metabolites does the draft's biomass reaction bio1 involve?", T_INFO + T_LOOK, [nm_bio])

    # ------------------------------------------------------------ unresolved
    cat = "unresolved"
    for model, q in [
        (E, "What is the growth rate of e_coli_core at 42 degrees C?"),
        (J, "Simulate iJO1366 growth at pH 5.5 on glucose."),
        (S, "How fast does the salmonella model grow in the presence of 10 ug/mL ampicillin?"),
        (E, "What's the biomass concentration of e_coli_core after 3 hours of batch growth from OD 0.05?"),
        (J, "Using Michaelis-Menten kinetics for glucose uptake (Km = 0.015 mM, 1 mM glucose), what's iJO1366's growth?"),
        (E, "Growth of the core model under 0.6 M NaCl osmotic stress?"),
        (S, "Predict Salmonella growth inside macrophages at 37C with nitrosative stress."),
        (J, "How does iJO1366 grow with 2 g/L glucose in the flask?"),
        (E, "e_coli_core in the presence of ciprofloxacin: what growth rate?"),
        (J, "What's the growth of iJO1366 at 25 °C in LB broth after a 2 h lag phase?"),
        (S, "salmonella model at pH 4 and 30 degrees, growth?"),
        (E, "If enzyme PGI has a kcat of 120 1/s and 0.5 uM concentration, what's the growth rate of e_coli_core?"),
        (J, "iJO1366 at a cell density of 1e9 cells/mL - what's the growth rate then?"),
        (E, "How does e_coli_core respond to 5 mM hydrogen peroxide?"),
        (S, "What growth rate does the salmonella model reach after 5 generations of adaptive evolution on glycerol?"),
        (J, "Grow iJO1366 under 2 atm pressure, glucose minimal. mu?"),
        (E, "What's the growth rate of the core model when the glucose concentration drops to 0.1 g/L after 4 hours?"),
    ]:
        add(cat, model, q, [], [], [], False, (), None, None, True)


def split_and_write():
    for i, c in enumerate(CASES, 1):
        c["id"] = f"U{i:03d}"
    rng = random.Random(SEED)
    bycat = defaultdict(list)
    for c in CASES:
        bycat[c["category"]].append(c)
    dev, hold = [], []
    for cat in sorted(bycat):
        cs = list(bycat[cat])
        rng.shuffle(cs)
        n_hold = round(len(cs) / 3)
        hs = {c["id"] for c in cs[:n_hold]}
        for c in bycat[cat]:
            (hold if c["id"] in hs else dev).append(c)
    key = lambda c: c["id"]  # noqa: E731
    order = ["id", "category", "query", "model", "model_file", "tools_any", "numbers", "ids",
             "no_growth", "turns", "expect_unresolved", "setup"]
    for fname, cs, title in [("dev.yaml", sorted(dev, key=key), "development (2/3)"),
                             ("holdout.yaml", sorted(hold, key=key), "holdout (1/3)")]:
        out = []
        for c in cs:
            out.append({k: _plain(c[k]) for k in order if k in c})
        head = (
            f"# fluxagent understanding corpus, {title} split. GENERATED by\n"
            "#   .venv/bin/python eval/understanding/references.py\n"
            "# Do not edit by hand. Format: eval/dev_queries.yaml (extra fields: category,\n"
            "# model_file, expect_unresolved, setup = how the reference was computed).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
        text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                     default_flow_style=None)
        (HERE / fname).write_text(text)
    return dev, hold


def _plain(v):
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, float):
        return rnd(v)
    return v


def main():
    with contextlib.redirect_stdout(io.StringIO()):
        build_cases()
    dev, hold = split_and_write()
    counts = defaultdict(lambda: [0, 0])
    for c in dev:
        counts[c["category"]][0] += 1
    for c in hold:
        counts[c["category"]][1] += 1
    log(f"cases: {len(CASES)} (dev {len(dev)}, holdout {len(hold)})")
    for k in sorted(counts):
        log(f"  {k:22s} dev {counts[k][0]:3d} holdout {counts[k][1]:3d}")
    per_model = defaultdict(int)
    for c in CASES:
        per_model[c["model"]] += 1
    log("per model:", dict(sorted(per_model.items())))
    for s in SKIPPED:
        log("skipped:", s)
    write_counts(dev, hold)


def write_counts(dev, hold):
    """Refresh the counts block of README.md (between the two marker comments)."""
    readme = HERE / "README.md"
    if not readme.exists():
        return
    text = readme.read_text()
    start, end = "<!-- counts:start -->", "<!-- counts:end -->"
    if start not in text or end not in text:
        return
    per_cat = defaultdict(lambda: [0, 0])
    per_model = defaultdict(lambda: [0, 0])
    for i, cs in enumerate((dev, hold)):
        for c in cs:
            per_cat[c["category"]][i] += 1
            mk = "ModelSEED draft (file)" if c.get("model_file") else c["model"]
            if c["category"] == "modelseed_lookup":
                mk = "none (ModelSEED biochemistry lookup; model field e_coli_core)"
            per_model[mk][i] += 1
    lines = [start, "", f"Total: **{len(dev) + len(hold)}** cases, dev **{len(dev)}**, holdout **{len(hold)}**"
             f" ({sum(1 for c in dev + hold if c.get('expect_unresolved'))} with expect_unresolved,"
             f" {sum(1 for c in dev + hold if c['turns'])} follow-ups with turns,"
             f" {sum(1 for c in dev + hold if c['no_growth'])} no_growth).", "",
             "| category | dev | holdout | total |", "|---|---:|---:|---:|"]
    for k in sorted(per_cat):
        d, h = per_cat[k]
        lines.append(f"| {k} | {d} | {h} | {d + h} |")
    lines += ["", "| model | dev | holdout | total |", "|---|---:|---:|---:|"]
    for k in sorted(per_model):
        d, h = per_model[k]
        lines.append(f"| {k} | {d} | {h} | {d + h} |")
    lines += ["", end]
    i, j = text.index(start), text.index(end) + len(end)
    readme.write_text(text[:i] + "\n".join(lines) + text[j:])


if __name__ == "__main__":
    main()
