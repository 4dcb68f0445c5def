#!/usr/bin/env python
"""Reference answers for the fifth blind held-out corpus (``holdout5.yaml``).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references5.py

It writes ``eval/understanding/holdout5.yaml``; stdout stays empty, a summary goes to stderr.
Two runs give byte-identical files.

What was read: ``eval/understanding/README.md``, lines 1-468 and 955-end of ``references4.py``
(the helpers and the output writer, copied here and adapted), ``src/fluxagent/evaluation/``
(loader and scoring), the tool names in ``README.md`` / ``docs/tools.md``, and the model and
phenotype files. What was NOT read: anything under ``src/fluxagent/llm/`` or ``tests/llm/``, any
question file (``eval/understanding/*.yaml``, ``eval/dev_queries.yaml``, paraphrase files) or the
questions of ``references4.py``; the agent was not run on these questions.

This script is self-contained: it imports neither fluxagent nor ``references*.py``. Every
reference number comes from plain cobrapy (0.32.1, GLPK) on the models cobrapy ships
(``textbook`` = e_coli_core, ``iJO1366``, ``salmonella``), the ModelSEED draft
``tests/data/modelseed/examples/example_ecoli_modelseed_model.json`` read with
``cobra.io.load_json_model``, the ModelSEED biochemistry tables under
``src/fluxagent/data/modelseed/biochemistry/`` (gzip + csv) and the phenotype tables under
``src/fluxagent/data/phenotypes/ecoli/``. Conventions: README.md ("Conventions used by the
references" and those of the later holdouts); numbers are rounded to 6 significant digits.
"""
from __future__ import annotations

import csv
import gzip
import itertools
import logging
import math
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import cobra
import yaml
from cobra.flux_analysis import flux_variability_analysis
from cobra.io import load_json_model, load_model

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIOCHEM = ROOT / "src/fluxagent/data/modelseed/biochemistry"
PHENO = ROOT / "src/fluxagent/data/phenotypes/ecoli"
DRAFT = "tests/data/modelseed/examples/example_ecoli_modelseed_model.json"
E, J, S, D = "e_coli_core", "iJO1366", "salmonella", "draft"
LN2 = math.log(2.0)
CASES: list[dict] = []
SKIPPED: list[str] = []

logging.getLogger("cobra").setLevel(logging.ERROR)
cobra.Configuration().solver = "glpk"

# tool lists (generous: several plausible tools)
T_FBA = ["run_fba", "run_pfba", "set_medium", "set_bounds", "get_medium"]
T_KO = ["knockout_genes", "knockout_reactions", "run_fba", "gene_deletion_screen",
        "reaction_deletion_screen", "run_moma"]
T_FVA = ["run_fva", "theoretical_yield"]
T_FLUX = ["run_fba", "run_pfba", "run_fva"]
T_ESSG = ["essential_genes", "gene_deletion_screen"]
T_ESSR = ["essential_reactions", "reaction_deletion_screen"]
T_SL = ["synthetic_lethals", "gene_deletion_screen", "reaction_deletion_screen",
        "knockout_genes", "knockout_reactions"]
T_PROD = ["set_objective", "run_fba", "theoretical_yield", "production_envelope", "run_fva"]
T_YIELD = ["theoretical_yield", "run_fba", "set_objective", "production_envelope", "run_fva"]
T_INFO = ["model_summary", "search_model", "list_models", "load_model", "subsystem_summary"]
T_MED = ["get_medium", "set_medium", "list_media", "get_media", "compare_media", "run_fba"]
T_LOOK = ["lookup_compound", "lookup_reaction", "translate_ids", "search_model"]
T_CMP = ["run_fba", "compare_media", "set_medium", "knockout_genes", "knockout_reactions"]
T_DRAFT = ["load_model", "model_summary", "run_fba", "get_medium", "set_objective",
           "search_model", "validate_model"]
T_VAL = ["validate_model", "atp_safety_check", "find_blocked_reactions", "model_summary"]
T_PHEN = ["compare_phenotypes", "reconcile_phenotypes", "essential_genes",
          "gene_deletion_screen"]
T_BLOCK = ["find_blocked_reactions", "validate_model"]


def log(*a):
    print(*a, file=sys.stderr)


def rnd(x: float) -> float:
    if x == 0 or not math.isfinite(x):
        return 0.0
    return float(f"{x:.6g}")


@cache
def M(name: str) -> cobra.Model:
    if name == D:
        return load_json_model(str(ROOT / DRAFT))
    m = load_model("textbook" if name == E else name)
    m.solver = "glpk"
    return m


def bio(model: str) -> str:
    return {E: "Biomass_Ecoli_core", J: "BIOMASS_Ec_iJO1366_core_53p95M",
            S: "BIOMASS_iRR1083_1", D: "bio1"}[model]


@cache
def glc_default(model: str) -> float:
    """The shipped glucose uptake limit (read once, before any condition is applied)."""
    return load_model("textbook" if model == E else model).reactions.EX_glc__D_e.lower_bound * -1


# --------------------------------------------------------------------------- conditions
def apply(m: cobra.Model, model: str, spec: dict) -> None:
    """Apply a condition spec inside a ``with m:`` block (README conventions)."""
    spec = spec or {}
    if spec.get("anaerobic"):
        m.reactions.EX_o2_e.lower_bound = 0.0
    if "carbon" in spec:
        m.reactions.EX_glc__D_e.lower_bound = 0.0
        for rid, v in spec["carbon"].items():
            m.reactions.get_by_id(rid).lower_bound = -(glc_default(model) if v is None else v)
    for rid in spec.get("close", []):
        m.reactions.get_by_id(rid).lower_bound = 0.0
    for rid, v in spec.get("uptake", {}).items():
        m.reactions.get_by_id(rid).lower_bound = -v
    for rid, (lb, ub) in spec.get("bounds", {}).items():
        r = m.reactions.get_by_id(rid)
        r.bounds = (lb, ub)
    for g in spec.get("ko_genes", []):
        m.genes.get_by_id(g).knock_out()
    for rid in spec.get("ko_rxns", []):
        m.reactions.get_by_id(rid).knock_out()
    if "floor" in spec:
        m.reactions.get_by_id(bio(model)).lower_bound = spec["floor"]
    if "fraction" in spec:
        base = {k: v for k, v in spec.items() if k not in ("fraction", "objective", "demand")}
        mu = growth(model, base)
        m.reactions.get_by_id(bio(model)).lower_bound = spec["fraction"] * mu
    if "demand" in spec:
        met = m.metabolites.get_by_id(spec["demand"])
        dm = m.add_boundary(met, type="demand")
        m.objective = dm
    elif "objective" in spec:
        m.objective = spec["objective"]


def opt(model: str, spec: dict) -> float:
    m = M(model)
    with m:
        apply(m, model, spec)
        v = m.slim_optimize(error_value=float("nan"))
    return 0.0 if not math.isfinite(v) else v


@cache
def _growth(model: str, key: str) -> float:
    return opt(model, yaml.safe_load(key))


def growth(model: str, spec: dict | None = None) -> float:
    spec = {k: v for k, v in (spec or {}).items() if k not in ("objective", "demand")}
    return _growth(model, yaml.safe_dump(_plain(spec), sort_keys=True))


def _plain(x):
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set)):
        return [_plain(v) for v in x]
    if isinstance(x, float):
        return rnd(x)
    return x


def fva(model: str, spec: dict, rxns: list[str], fraction: float) -> dict:
    m = M(model)
    with m:
        apply(m, model, spec)
        df = flux_variability_analysis(m, reaction_list=rxns, fraction_of_optimum=fraction,
                                       processes=1)
    return {r: (float(df.loc[r, "minimum"]), float(df.loc[r, "maximum"])) for r in rxns}


def unique_flux(model: str, spec: dict, rid: str) -> float | None:
    lo, hi = fva(model, spec, [rid], 1.0)[rid]
    if abs(hi - lo) > 1e-6 * max(1.0, abs(hi)):
        return None
    return (lo + hi) / 2


# --------------------------------------------------------------------------- case builders
def add(cat, model, query, tools, numbers=(), ids=(), no_growth=False, turns=(), setup=None,
        model_file=None, unresolved=False):
    case = {"category": cat, "query": query, "model": DRAFT if model == D else model}
    if model == D or model_file:
        case["model_file"] = DRAFT
    case.update({"tools_any": list(tools), "numbers": [rnd(float(n)) for n in numbers],
                 "ids": list(ids), "no_growth": bool(no_growth), "turns": list(turns)})
    if unresolved:
        case["expect_unresolved"] = True
    if setup is not None:
        case["setup"] = setup
    CASES.append(case)


def gcase(cat, model, query, spec=None, tools=T_FBA, turns=(), extra=()):
    g = growth(model, spec)
    ng = g < 1e-6
    add(cat, model, query, tools, [] if ng else [g, *extra], [], ng, turns, spec or {})
    return g


def pcase(cat, model, query, spec, product, tools=T_PROD, turns=()):
    """Maximal flux of ``product`` (an exchange/reaction id, or ``DM:<met>``)."""
    spec = dict(spec or {})
    if product.startswith("DM:"):
        spec["demand"] = product[3:]
    else:
        spec["objective"] = product
    v = opt(model, spec)
    add(cat, model, query, tools, [v], [], False, turns, spec)
    return v


def vcase(cat, model, query, spec, rxns, fraction, tools=T_FVA, turns=()):
    res = fva(model, spec or {}, rxns, fraction)
    nums = [x for r in rxns for x in res[r]]
    add(cat, model, query, tools, nums, [], False, turns,
        {**(spec or {}), "fva_of": rxns, "fraction_of_optimum": fraction})


def fcase(cat, model, query, spec, rxns, tools=T_FLUX, turns=()):
    vals = []
    for r in rxns:
        v = unique_flux(model, spec or {}, r)
        if v is None:
            SKIPPED.append(f"{model} {r} flux not unique: {query}")
            return
        vals.append(v)
    add(cat, model, query, tools, vals, [], False, turns, {**(spec or {}), "fluxes_of": rxns})


def unresolved(model, query, turns=()):
    add("unresolved", model, query, [], [], [], False, turns, None, None, True)


def cmp_case(cat, model, query, options, tools=T_CMP, turns=()):
    """options: list of (label, model, spec). numbers = growth of each; ids = the winner."""
    vals = [growth(mo, sp) for _, mo, sp in options]
    best = max(vals)
    win = [lab for (lab, _, _), v in zip(options, vals, strict=True) if abs(v - best) <= 1e-9]
    add(cat, model, query, tools, vals, ["|".join(win)], False, turns,
        {"compare": {lab: {"model": mo, **sp} for lab, mo, sp in options}})


def dt_case(cat, model, query, spec=None, minutes=False, tools=T_FBA, turns=()):
    g = growth(model, spec)
    t = LN2 / g * (60.0 if minutes else 1.0)
    add(cat, model, query, tools, [t], [], False, turns,
        {**(spec or {}), "doubling_time": "minutes" if minutes else "hours"})


def pct_case(cat, model, query, spec, base=None, tools=T_KO, turns=()):
    wt = growth(model, base or {})
    g = growth(model, spec)
    add(cat, model, query, tools, [(g - wt) / wt * 100.0], [], False, turns,
        {**spec, "percent_change_vs": base or "default"})


# --------------------------------------------------------------------------- screens
@cache
def _ess_genes(model: str, key: str) -> tuple:
    spec = yaml.safe_load(key)
    wt = growth(model, spec)
    m = M(model)
    out = []
    with m:
        apply(m, model, spec)
        for g in m.genes:
            with m:
                g.knock_out()
                v = m.slim_optimize(error_value=float("nan"))
            if not math.isfinite(v) or v < 0.01 * wt:
                out.append(g.id)
    return tuple(sorted(out))


def essential_genes(model, spec=None):
    return list(_ess_genes(model, yaml.safe_dump(_plain(spec or {}), sort_keys=True)))


@cache
def _ess_rxns(model: str, key: str) -> tuple:
    spec = yaml.safe_load(key)
    wt = growth(model, spec)
    m = M(model)
    out = []
    with m:
        apply(m, model, spec)
        for r in m.reactions:
            with m:
                r.knock_out()
                v = m.slim_optimize(error_value=float("nan"))
            if not math.isfinite(v) or v < 0.01 * wt:
                out.append(r.id)
    return tuple(sorted(out))


def essential_reactions(model, spec=None):
    return list(_ess_rxns(model, yaml.safe_dump(_plain(spec or {}), sort_keys=True)))


@cache
def core_sl_pairs() -> tuple:
    """Every synthetic lethal gene pair of e_coli_core on the default medium."""
    wt = growth(E)
    ess = set(essential_genes(E))
    genes = sorted(g.id for g in M(E).genes if g.id not in ess)
    m = M(E)
    pairs = []
    for a, b in itertools.combinations(genes, 2):
        with m:
            m.genes.get_by_id(a).knock_out()
            m.genes.get_by_id(b).knock_out()
            v = m.slim_optimize(error_value=float("nan"))
        if not math.isfinite(v) or v < 0.01 * wt:
            pairs.append((a, b))
    return tuple(pairs)


@cache
def core_sl_rxn_pairs() -> tuple:
    wt = growth(E)
    ess = set(essential_reactions(E))
    rx = sorted(r.id for r in M(E).reactions if r.id not in ess)
    m = M(E)
    pairs = []
    for a, b in itertools.combinations(rx, 2):
        with m:
            m.reactions.get_by_id(a).knock_out()
            m.reactions.get_by_id(b).knock_out()
            v = m.slim_optimize(error_value=float("nan"))
        if not math.isfinite(v) or v < 0.01 * wt:
            pairs.append((a, b))
    return tuple(pairs)


def double_ko(model, genes, spec=None):
    wt = growth(model, spec or {})
    singles = [growth(model, {**(spec or {}), "ko_genes": [g]}) for g in genes]
    both = growth(model, {**(spec or {}), "ko_genes": list(genes)})
    return both, all(s >= 0.01 * wt for s in singles) and both < 0.01 * wt


# --------------------------------------------------------------------------- names, ids
def cname(gid: str) -> str:
    """e_coli_core gene name of a b-number (iJO1366 genes carry no names in cobrapy)."""
    return M(E).genes.get_by_id(gid).name


def cgene(name: str) -> str:
    hits = [g.id for g in M(E).genes if g.name == name]
    assert len(hits) == 1, (name, hits)
    return hits[0]


def sgene(name: str) -> str:
    hits = [g.id for g in M(S).genes if g.name == name]
    assert len(hits) == 1, (name, hits)
    return hits[0]


def gene_alts(model: str, gids) -> list[str]:
    out = []
    for g in gids:
        name = M(model).genes.get_by_id(g).name
        if model == J and g in M(E).genes:
            name = cname(g)
        out.append(f"{g}|{name}" if name and name != g and not name.startswith("G_") else g)
    return out


def rxn_by_name(model: str, name: str) -> str:
    hits = [r.id for r in M(model).reactions if r.name.lower() == name.lower()]
    assert len(hits) == 1, (model, name, hits)
    return hits[0]


def ex(model: str, rid: str) -> str:
    assert rid in M(model).reactions, (model, rid)
    return rid


def _tsv(path: Path):
    with gzip.open(path, "rt", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t")


@cache
def compounds() -> dict:
    return {r["id"]: r for r in _tsv(BIOCHEM / "compounds_compact.tsv.gz")}


@cache
def reactions_ms() -> dict:
    return {r["id"]: r for r in _tsv(BIOCHEM / "reactions_compact.tsv.gz")}


@cache
def aliases(kind: str) -> list:
    f = {"cpd": "Unique_ModelSEED_Compound_Aliases.txt.gz",
         "rxn": "Unique_ModelSEED_Reaction_Aliases.txt.gz",
         "ec": "Unique_ModelSEED_Reaction_ECs.txt.gz"}[kind]
    rows = _tsv(BIOCHEM / "Aliases" / f)
    return [(r["ModelSEED ID"], r["External ID"], r["Source"]) for r in rows]


def ms_of(kind: str, ext: str, source: str) -> str:
    hits = sorted({a for a, x, s in aliases(kind) if x == ext and s == source})
    table = compounds() if kind == "cpd" else reactions_ms()
    hits = [h for h in hits if table.get(h, {}).get("is_obsolete", "0") == "0"] or hits
    assert hits, (kind, ext, source)
    return "|".join(hits)


def ext_of(kind: str, msid: str, source: str) -> str:
    hits = sorted({x for a, x, s in aliases(kind) if a == msid and s == source})
    assert hits, (kind, msid, source)
    return "|".join(hits)


def cpd_by_name(name: str) -> str:
    hits = [c for c, r in compounds().items()
            if r["name"].lower() == name.lower() and r["is_obsolete"] == "0"]
    assert len(hits) == 1, (name, hits)
    return hits[0]


def fw(model: str, met: str) -> float:
    return M(model).metabolites.get_by_id(met).formula_weight


def lookup(query, numbers=(), ids=(), setup=None):
    add("modelseed_lookup", E, query, T_LOOK, numbers, ids, False, (), setup)


def draft(cat, query, tools=T_DRAFT, numbers=(), ids=(), no_growth=False, turns=(), setup=None):
    add(cat, D, query, tools, numbers, ids, no_growth, turns, setup, DRAFT)


# --------------------------------------------------------------------------- phenotypes
def mcc(tp, fp, fn, tn):
    den = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / den if den else 0.0


def essentiality_scores(model: str):
    with open(PHENO / "essential_genes_glucose_m9.tsv") as fh:
        listed = {r["bigg_id"]: r["phenotype"] for r in csv.DictReader(fh, delimiter="\t")}
    pred = set(essential_genes(model))
    tp = fp = fn = tn = 0
    for g in M(model).genes:
        exp = listed.get(g.id) == "E"
        p = g.id in pred
        tp += p and exp
        fp += p and not exp
        fn += (not p) and exp
        tn += (not p) and (not exp)
    acc = (tp + tn) / (tp + fp + fn + tn)
    return acc, mcc(tp, fp, fn, tn), (tp, fp, fn, tn)


# --------------------------------------------------------------------------- extra helpers
T_MIN = ["minimal_medium", "get_medium", "set_medium"]
T_XM = ["compare_models", "run_fba", "load_model", "set_medium"]
T_CS = ["compare_carbon_sources", "run_fba", "set_medium", "compare_media"]


def ycase(cat, model, query, spec, product, substrate, unit="mol", tools=T_YIELD, turns=()):
    """Yield of ``product`` (an exchange) on ``substrate`` (an exchange) at maximal product."""
    spec = {**(spec or {}), "objective": product}
    v = opt(model, spec)
    lo, hi = fva(model, spec, [substrate], 1.0)[substrate]
    if abs(hi - lo) > 1e-6:
        SKIPPED.append(f"{model} {substrate} uptake not unique: {query}")
        return
    y = v / -lo
    if unit == "g":
        pm = next(iter(M(model).reactions.get_by_id(product).metabolites)).id
        sm = next(iter(M(model).reactions.get_by_id(substrate).metabolites)).id
        y *= fw(model, pm) / fw(model, sm)
    add(cat, model, query, tools, [y], [], False, turns, {**spec, "yield_on": substrate,
                                                          "unit": f"{unit}/{unit}"})


def count_case(cat, model, query, n, tools, ids=(), turns=(), setup=None):
    add(cat, model, query, tools, [n], ids, False, turns, setup)


def min_medium(model: str, spec: dict, min_growth: float) -> list[str]:
    from cobra.medium import minimal_medium
    m = M(model)
    with m:
        apply(m, model, spec)
        df = minimal_medium(m, min_growth, minimize_components=5)
    if df is None:
        raise RuntimeError("minimal_medium failed")
    cols = [df[c] for c in df.columns] if hasattr(df, "columns") else [df]
    sets = [{r for r, v in col.items() if abs(v) > 1e-9} for col in cols]
    return sorted(set.intersection(*sets)), min(len(s) for s in sets)


def blocked(model: str, open_exchanges: bool) -> int:
    from cobra.flux_analysis import find_blocked_reactions
    m = M(model)
    with m:
        return len(find_blocked_reactions(m, open_exchanges=open_exchanges, processes=1))


def measured_mu(exchange: str) -> float:
    with open(PHENO / "growth_rates.tsv") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["exchange"] == exchange and r["oxygen"] == "aerobic":
                return float(r["mu_measured_per_h"])
    raise KeyError(exchange)


def max_atpm_closed(model: str) -> float:
    m = M(model)
    with m:
        for r in m.exchanges:
            r.lower_bound = 0.0
        atpm = "ATPM" if "ATPM" in m.reactions else "ATPM_c0"
        m.reactions.get_by_id(atpm).upper_bound = 1000.0
        m.objective = atpm
        v = m.slim_optimize(error_value=0.0)
    return v


# --------------------------------------------------------------------------- the questions
def build_cases():
    ANA = {"anaerobic": True}
    GLC = "EX_glc__D_e"

    # ---------------- growth_default
    gcase("growth_default", E, "how fast does e. coli core grow with the standard setup? 1/h pls")
    gcase("growth_default", J, "Quick one: predicted growth rate of iJO1366 on its default medium?")
    gcase("growth_default", S, "What's the max biomass flux for the Salmonella model as shipped "
          "(no changes to the medium)?")
    gcase("growth_default", E, "FBA on the textbook model, just the objective value please")
    gcase("growth_default", J, "I'm new to this - if I run flux balance analysis on the big E. "
          "coli reconstruction (iJO1366) without touching anything, what specific growth rate "
          "do I get, in h^-1?")

    # ---------------- carbon_source
    gcase("carbon_source", E, "growth on acetate as the only carbon source, core model",
          {"carbon": {"EX_ac_e": None}})
    gcase("carbon_source", J, "iJO1366 on glycerol instead of glucose - what's mu?",
          {"carbon": {"EX_glyc_e": None}})
    gcase("carbon_source", S, "Can salmonella grow on L-malate as sole C source? how fast?",
          {"carbon": {"EX_mal__L_e": None}})
    gcase("carbon_source", E, "Swap glucose for fructose in e_coli_core. Growth rate per hour?",
          {"carbon": {"EX_fru_e": None}})
    gcase("carbon_source", J, "Predicted growth of iJO1366 with D-xylose as sole carbon "
          "source (aerobic)", {"carbon": {"EX_xyl__D_e": None}})
    gcase("carbon_source", E, "If 2-oxoglutarate is the only carbon the core model gets, what "
          "growth rate does FBA predict?", {"carbon": {"EX_akg_e": None}})
    gcase("carbon_source", S, "salmonella growth on glycerol, sole carbon source, otherwise "
          "default medium", {"carbon": {"EX_glyc_e": None}})
    gcase("carbon_source", J, "what is the growth rate of iJO1366 on N-acetylglucosamine as the "
          "sole carbon source?", {"carbon": {"EX_acgam_e": None}})

    # ---------------- cofeed
    gcase("cofeed", E, "core model, glucose 5 and acetate 5 mmol/gDW/h together - growth?",
          {"carbon": {GLC: 5, "EX_ac_e": 5}})
    gcase("cofeed", J, "Keep the default glucose in iJO1366 and additionally allow 3 mmol/gDW/h "
          "succinate uptake. What's the new growth rate?", {"uptake": {"EX_succ_e": 3}})
    gcase("cofeed", S, "Salmonella: glucose 5 plus glycerol 5 (mmol/gDW/h). growth?",
          {"carbon": {GLC: 5, "EX_glyc_e": 5}})
    gcase("cofeed", E, "What if e. coli core gets 4 mmol/gDW/h fructose and 6 of pyruvate, no "
          "glucose? growth rate", {"carbon": {"EX_fru_e": 4, "EX_pyr_e": 6}})
    gcase("cofeed", J, "mixed feed on iJO1366: 2 glucose + 8 xylose (mmol per gDW per h), "
          "aerobic. mu?", {"carbon": {GLC: 2, "EX_xyl__D_e": 8}})

    # ---------------- uptake_cap
    gcase("uptake_cap", E, "limit glucose uptake to 6 mmol/gDW/h in the core model; growth?",
          {"uptake": {GLC: 6}})
    gcase("uptake_cap", J, "iJO1366 with glc uptake capped at 4.5 - what growth?",
          {"uptake": {GLC: 4.5}})
    gcase("uptake_cap", S, "For the salmonella model, cap oxygen uptake at 8 mmol/gDW/h. "
          "Growth rate?", {"uptake": {"EX_o2_e": 8}})
    gcase("uptake_cap", E, "Set the max ammonium uptake to 2 mmol gDW-1 h-1 in e_coli_core "
          "and tell me the growth", {"uptake": {"EX_nh4_e": 2}})
    gcase("uptake_cap", J, "If phosphate uptake can be at most 0.5 mmol/gDW/h, how fast does "
          "iJO1366 grow?", {"uptake": {"EX_pi_e": 0.5}})
    gcase("uptake_cap", E, "glucose uptake rate 15 instead of 10, textbook model - growth?",
          {"uptake": {GLC: 15}})

    # ---------------- oxygen
    gcase("oxygen", E, "anaerobic growth rate of e coli core?", ANA)
    gcase("oxygen", J, "iJO1366 without oxygen - mu in 1/h", ANA)
    gcase("oxygen", S, "how does salmonella do with no O2 at all? growth rate", ANA)
    gcase("oxygen", E, "Microaerobic conditions: O2 uptake limited to 3 mmol/gDW/h. Core model "
          "growth?", {"uptake": {"EX_o2_e": 3}})
    gcase("oxygen", J, "Oxygen-limited iJO1366 (max 5 mmol O2/gDW/h), glucose default: growth?",
          {"uptake": {"EX_o2_e": 5}})

    # ---------------- nutrient_source
    gcase("nutrient_source", E, "core model: replace ammonium with glutamine as N source (5 "
          "mmol/gDW/h uptake). growth?", {"close": ["EX_nh4_e"], "uptake": {"EX_gln__L_e": 5}})
    gcase("nutrient_source", J, "iJO1366 growing on L-alanine as the sole nitrogen source, "
          "uptake 10 mmol/gDW/h, glucose still carbon. growth rate?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_ala__L_e": 10}})
    gcase("nutrient_source", J, "Sole sulfur source taurine (max 1 mmol/gDW/h) instead of "
          "sulfate in iJO1366: can it grow, and how fast?",
          {"close": ["EX_so4_e"], "uptake": {"EX_taur_e": 1}})
    gcase("nutrient_source", S, "salmonella, nitrogen from L-glutamate only (uptake 5), no "
          "ammonium. Growth?", {"close": ["EX_nh4_e"], "uptake": {"EX_glu__L_e": 5}})
    gcase("nutrient_source", J, "Replace phosphate by glycerol-3-phosphate (uptake 2 "
          "mmol/gDW/h) as the only P source for iJO1366. growth?",
          {"close": ["EX_pi_e"], "uptake": {"EX_glyc3p_e": 2}})
    gcase("nutrient_source", E, "no ammonium at all in the core model (nothing else added) - "
          "does it grow?", {"close": ["EX_nh4_e"]})

    # ---------------- gene_knockout
    gcase("gene_knockout", E, "knock out pgi in e_coli_core, growth?", {"ko_genes": [cgene("pgi")]})
    gcase("gene_knockout", E, "What happens to growth when b3916 and b1723 (both PFK genes) are "
          "deleted? core model", {"ko_genes": ["b3916", "b1723"]})
    gcase("gene_knockout", J, "iJO1366 delta-zwf (b1852): predicted growth rate?",
          {"ko_genes": ["b1852"]})
    gcase("gene_knockout", S, "Knock out STM4221 (pgi) in Salmonella. Growth?",
          {"ko_genes": ["STM4221"]})
    gcase("gene_knockout", J, "growth of a gltA deletion in iJO1366 (b0720)?",
          {"ko_genes": ["b0720"]})
    gcase("gene_knockout", S, "salmonella tpiA mutant, default medium: growth rate",
          {"ko_genes": [sgene("TpiA")]})
    gcase("gene_knockout", E, "Delete ptsG from the core model and rerun FBA",
          {"ko_genes": [cgene("ptsG")]})
    gcase("gene_knockout", E, "triple mutant ldhA adhE pta in the core model, anaerobic. does "
          "it still grow?", {"anaerobic": True,
                             "ko_genes": [cgene("ldhA"), cgene("adhE"), cgene("pta")]})

    # ---------------- reaction_knockout
    gcase("reaction_knockout", E, "block the PGI reaction in e_coli_core; growth?",
          {"ko_rxns": ["PGI"]})
    gcase("reaction_knockout", E, "turn off citrate synthase (CS) - what's the growth now?",
          {"ko_rxns": ["CS"]})
    gcase("reaction_knockout", J, "iJO1366 with the reaction PFK removed (just PFK, not PFK_2 "
          "etc.). growth rate?", {"ko_rxns": ["PFK"]})
    gcase("reaction_knockout", E, "Core model: disable both ATPS4r and CYTBD. Growth rate?",
          {"ko_rxns": ["ATPS4r", "CYTBD"]})
    gcase("reaction_knockout", S, "Salmonella: zero the flux through ENO (enolase). Can it grow?",
          {"ko_rxns": ["ENO"]})
    gcase("reaction_knockout", E, "What's the growth if I knock out "
          f"'{M(E).reactions.G6PDH2r.name}' in the core model?", {"ko_rxns": ["G6PDH2r"]})

    # ---------------- bounds_atpm
    gcase("bounds_atpm", E, "Fix ATPM at 15 mmol/gDW/h in e_coli_core, growth?",
          {"bounds": {"ATPM": (15, 15)}})
    gcase("bounds_atpm", E, "set the non-growth ATP maintenance to zero (lower and upper) and "
          "rerun FBA on the core model", {"bounds": {"ATPM": (0, 0)}})
    gcase("bounds_atpm", J, "iJO1366: what growth do I get if ATPM is forced to 10?",
          {"bounds": {"ATPM": (10, 10)}})
    gcase("bounds_atpm", S, "salmonella ATP maintenance is 8.39 by default; set it to 4 (fixed). "
          "New growth rate?", {"bounds": {"ATPM": (4, 4)}})
    gcase("bounds_atpm", E, "bound PDH flux to at most 2 mmol/gDW/h in e_coli_core; growth?",
          {"bounds": {"PDH": (0, 2)}})
    gcase("bounds_atpm", J, "Force iJO1366 to secrete at least 5 mmol/gDW/h acetate (EX_ac_e "
          "lower bound 5). growth?", {"bounds": {"EX_ac_e": (5, 1000)}})

    # ---------------- growth_floor
    pcase("growth_floor", E, "max succinate secretion in e. coli core while still growing at "
          "least 0.3 1/h", {"floor": 0.3}, "EX_succ_e")
    pcase("growth_floor", J, "iJO1366: maximum acetate export at 50% of optimal growth",
          {"fraction": 0.5}, "EX_ac_e")
    pcase("growth_floor", E, "anaerobic core model, how much ethanol can it make while keeping "
          "growth >= 0.1 h-1?", {"anaerobic": True, "floor": 0.1}, "EX_etoh_e")
    pcase("growth_floor", S, "In salmonella, keep biomass at 80 % of its max and maximise "
          "CO2 release. value?", {"fraction": 0.8}, "EX_co2_e")
    pcase("growth_floor", E, "highest lactate (D) excretion you can get from e_coli_core at 90 "
          "percent of max growth, anaerobic", {"anaerobic": True, "fraction": 0.9}, "EX_lac__D_e")

    # ---------------- max_production
    pcase("max_production", E, "maximum ethanol production in the core model under anaerobic "
          "conditions (growth unconstrained)", ANA, "EX_etoh_e")
    pcase("max_production", J, "theoretical max succinate secretion flux for iJO1366 on "
          "default glucose", {}, "EX_succ_e")
    pcase("max_production", E, "what's the max formate output of e coli core w/o oxygen?",
          ANA, "EX_for_e")
    pcase("max_production", S, "maximal acetate secretion rate for salmonella, default medium",
          {}, "EX_ac_e")
    pcase("max_production", J, "How much L-lysine can iJO1366 maximally secrete on glucose?",
          {}, "EX_lys__L_e")
    pcase("max_production", E, "max pyruvate export, core model, glucose 10", {}, "EX_pyr_e")

    # ---------------- objective_change
    pcase("objective_change", E, "change the objective to ATPM and optimise (core model)", {},
          "ATPM")
    pcase("objective_change", J, "maximise flux through glucose-6-phosphate dehydrogenase "
          "(G6PDH2r) in iJO1366 instead of biomass", {}, "G6PDH2r")
    pcase("objective_change", S, "salmonella: open ATPM's upper bound to 1000 and make it the "
          "objective. max ATP maintenance flux?", {"bounds": {"ATPM": (8.39, 1000)}}, "ATPM")
    pcase("objective_change", E, "Set the objective to NADH16 (NADH dehydrogenase) and maximise",
          {}, "NADH16")
    pcase("objective_change", E, "core model, anaerobic, objective = ATPM. what's the optimum?",
          ANA, "ATPM")

    # ---------------- reaction_flux
    fcase("reaction_flux", E, "at optimal growth in e_coli_core, what is the flux through "
          "PFK?", {}, ["PFK"])
    fcase("reaction_flux", E, "glucose uptake and CO2 production rates at the optimum, core "
          "model", {}, [GLC, "EX_co2_e"])
    fcase("reaction_flux", E, "anaerobic core: ethanol and formate secretion fluxes at max growth?",
          ANA, ["EX_etoh_e", "EX_for_e"])
    fcase("reaction_flux", S, "oxygen uptake rate of salmonella at optimal growth", {},
          ["EX_o2_e"])
    fcase("reaction_flux", J, "iJO1366 glucose uptake flux when growing optimally", {}, [GLC])
    fcase("reaction_flux", E, "what flux goes through the ATP synthase (ATPS4r) in the core "
          "model when growing on acetate?", {"carbon": {"EX_ac_e": None}}, ["ATPS4r"])

    # ---------------- fva
    vcase("fva", E, "FVA on PGI and G6PDH2r at 90% of optimum, core model", {},
          ["PGI", "G6PDH2r"], 0.9)
    vcase("fva", E, "range of acetate secretion allowed at 95 % optimal growth (e_coli_core)",
          {}, ["EX_ac_e"], 0.95)
    vcase("fva", J, "flux variability of EX_o2_e in iJO1366 at 99% of max growth", {},
          ["EX_o2_e"], 0.99)
    vcase("fva", S, "min/max flux through PYK for salmonella when biomass must be >= 80% "
          "of optimum", {}, ["PYK"], 0.8)
    vcase("fva", E, "anaerobically, what range can the ethanol exchange take at 50 percent of "
          "optimal growth? core", ANA, ["EX_etoh_e"], 0.5)
    vcase("fva", E, "variability of ME1, ME2 and PPCK at fraction_of_optimum 0.75", {},
          ["ME1", "ME2", "PPCK"], 0.75)

    # ---------------- essential_genes
    ess = essential_genes(E)
    add("essential_genes", E, "list the essential genes of e_coli_core on glucose minimal medium",
        T_ESSG, [len(ess)], gene_alts(E, ess), False, (), {"essential_genes": "default"})
    count_case("essential_genes", J, "How many genes are essential in iJO1366 (default medium)?",
               len(essential_genes(J)), T_ESSG, setup={"essential_genes": "default"})
    count_case("essential_genes", S, "number of essential genes in the salmonella model?",
               len(essential_genes(S)), T_ESSG, setup={"essential_genes": "default"})
    ea = essential_genes(E, ANA)
    add("essential_genes", E, "Which genes become essential in the core model when there is no "
        "oxygen? full list", T_ESSG, [len(ea)], gene_alts(E, ea), False, (),
        {"essential_genes": ANA})
    eac = essential_genes(E, {"carbon": {"EX_ac_e": None}})
    count_case("essential_genes", E, "on acetate (sole carbon), how many essential genes does e. "
               "coli core have?", len(eac), T_ESSG, setup={"essential_genes": "acetate"})
    new = sorted(set(eac) - set(ess))
    add("essential_genes", E, "which genes are essential on acetate but NOT on glucose in the "
        "core model?", T_ESSG, [], gene_alts(E, new), False, (), {"diff": "acetate - glucose"})

    # ---------------- essential_reactions
    er = essential_reactions(E)
    count_case("essential_reactions", E, "how many reactions are essential in e_coli_core "
               "(count exchanges and biomass too)?", len(er), T_ESSR,
               setup={"essential_reactions": "default", "includes": "exchanges, biomass"})
    internal = [r for r in er if not r.startswith("EX_") and r != bio(E)]
    add("essential_reactions", E, "List the essential internal reactions (no exchanges, no "
        "biomass) of the core model", T_ESSR, [len(internal)], internal, False, (),
        {"essential_reactions": "default", "excludes": "exchanges, biomass"})
    era = essential_reactions(E, ANA)
    count_case("essential_reactions", E, "anaerobic e coli core: number of essential reactions, "
               "including exchange reactions and the biomass reaction", len(era), T_ESSR,
               setup={"essential_reactions": ANA})
    exs = [r for r in essential_reactions(S) if r.startswith("EX_")]
    add("essential_reactions", S, "which exchange reactions are essential for salmonella on its "
        "default medium?", T_ESSR, [len(exs)], exs, False, (), {"essential_reactions": "default",
                                                                  "only": "EX_"})
    erj = essential_reactions(J)
    count_case("essential_reactions", J, "count of essential reactions in iJO1366, exchanges and "
               "biomass included", len(erj), T_ESSR, setup={"essential_reactions": "default"})

    # ---------------- synthetic_lethal
    pairs = core_sl_pairs()
    count_case("synthetic_lethal", E, "how many synthetic lethal gene pairs are there in e. coli "
               "core (default medium)?", len(pairs), T_SL, setup={"sl_pairs": "full screen"})
    g, lethal = double_ko(E, [cgene("pykF"), cgene("pykA")])
    add("synthetic_lethal", E, "are pykF and pykA synthetic lethal in the core model?", T_SL,
        [] if g < 1e-6 else [g], [], g < 1e-6, (), {"ko_genes": [cgene("pykF"), cgene("pykA")],
                                                   "lethal_pair": lethal})
    g, lethal = double_ko(J, ["b0118", "b1276"])
    add("synthetic_lethal", J, "iJO1366: double deletion b0118 + b1276 (acnB, acnA) - lethal?",
        T_SL, [] if g < 1e-6 else [g], [], g < 1e-6, (), {"ko_genes": ["b0118", "b1276"],
                                                          "lethal_pair": lethal})
    rp = core_sl_rxn_pairs()
    count_case("synthetic_lethal", E, "number of synthetic lethal reaction pairs in e_coli_core",
               len(rp), T_SL, setup={"sl_rxn_pairs": "full screen"})
    tk = cgene("tktA")
    partners = sorted({b if a == tk else a for a, b in pairs if tk in (a, b)})
    add("synthetic_lethal", E, "which genes are synthetic lethal with tktA in the core model?",
        T_SL, [len(partners)], gene_alts(E, partners), False, (), {"partners_of": tk})
    g, lethal = double_ko(S, [sgene("Zwf"), sgene("Pgi")])
    add("synthetic_lethal", S, "Salmonella zwf pgi double mutant: does it grow?", T_SL,
        [] if g < 1e-6 else [g], [], g < 1e-6, (), {"ko_genes": [sgene("Zwf"), sgene("Pgi")],
                                                   "lethal_pair": lethal})

    # ---------------- yield
    ycase("yield", E, "max ethanol yield on glucose (mol/mol), core model, anaerobic", ANA,
          "EX_etoh_e", GLC)
    ycase("yield", J, "theoretical succinate yield of iJO1366 on glucose in g/g", {},
          "EX_succ_e", GLC, unit="g")
    ycase("yield", E, "acetate yield per glucose at maximum acetate production, mol/mol", {},
          "EX_ac_e", GLC)
    gy = growth(E)
    add("yield", E, "biomass yield of e coli core on glucose in gDW per gram glucose?", T_YIELD,
        [gy / (10 * fw(E, "glc__D_e") / 1000)], [], False, (), {"biomass_yield": "gDW/g"})
    atp = opt(E, {"objective": "ATPM"})
    add("yield", E, "ATP yield: how many mol ATP per mol glucose can the core model make at "
        "most (aerobic)?", T_YIELD, [atp / 10], [], False, (), {"objective": "ATPM",
                                                                "per": GLC})
    ycase("yield", S, "L-lactate... sorry, I mean D-lactate, yield from glucose in salmonella "
          "anaerobically, mol per mol", ANA, "EX_lac__D_e", GLC)

    # ---------------- medium
    add("medium", E, "which exchanges are open for uptake in the core model's default medium?",
        T_MED, [], sorted(M(E).medium), False, (), {"medium": "default"})
    add("medium", S, "what oxygen and glucose uptake limits does the salmonella medium use?",
        T_MED, [M(S).medium["EX_o2_e"], M(S).medium[GLC]], [], False, (), {"medium": "default"})
    count_case("medium", J, "how many components are in iJO1366's default medium?",
               len(M(J).medium), T_MED, setup={"medium": "default"})
    add("medium", E, "is succinate in the default medium of e_coli_core? what's its uptake "
        "limit?", T_MED, [0.0], [], False, (), {"medium": "default", "EX_succ_e": "not in medium"})
    add("medium", J, "what's the cobalamin (EX_cbl1_e) uptake allowed in the iJO1366 medium?",
        T_MED, [M(J).medium["EX_cbl1_e"]], [], False, (), {"medium": "default"})

    # ---------------- minimal_medium
    ids, n = min_medium(E, {}, 0.5)
    add("minimal_medium", E, "smallest set of medium components that lets e_coli_core reach "
        "0.5 1/h?", T_MIN, [n], ids, False, (), {"minimal_medium": 0.5,
                                                  "minimize_components": 5})
    ids, n = min_medium(E, ANA, 0.1)
    add("minimal_medium", E, "minimal medium (fewest exchanges) for anaerobic growth of the core "
        "model at 0.1 h-1", T_MIN, [n], ids, False, (), {"anaerobic": True, "minimal_medium": 0.1,
                                                          "minimize_components": 5})

    # ---------------- blocked_reactions
    count_case("blocked_reactions", E, "how many blocked reactions in e_coli_core on its "
               "default medium?", blocked(E, False), T_BLOCK, setup={"open_exchanges": False})
    count_case("blocked_reactions", S, "Number of reactions that can never carry flux in "
               "salmonella even with all exchanges open", blocked(S, True), T_BLOCK,
               setup={"open_exchanges": True})
    count_case("blocked_reactions", J, "iJO1366: count of blocked reactions with every exchange "
               "opened", blocked(J, True), T_BLOCK, setup={"open_exchanges": True})

    # ---------------- validation
    acc, mc, _ = essentiality_scores(E)
    add("validation", E, "compare e_coli_core's predicted essential genes to the glucose M9 "
        "essentiality data: accuracy and MCC?", T_PHEN, [acc, mc], [], False, (),
        {"phenotypes": "essential_genes_glucose_m9.tsv"})
    acc, mc, (tp, fp, _fn, _tn) = essentiality_scores(J)
    add("validation", J, "Validate iJO1366 gene essentiality against the experimental M9 glucose "
        "list. How many true positives / false positives?", T_PHEN, [tp, fp], [], False, (),
        {"phenotypes": "essential_genes_glucose_m9.tsv"})
    add("validation", E, "check the core model for energy-generating cycles: max ATPM with all "
        "uptakes closed?", T_VAL, [max_atpm_closed(E)], [], False, (),
        {"atpm_all_exchanges_closed": True})
    pr = growth(J, {"carbon": {"EX_ac_e": None}})
    add("validation", J, "how does iJO1366's predicted growth on acetate compare with the "
        "measured rate in the growth-rate table?", ["compare_phenotypes", "run_fba",
                                                    "reconcile_phenotypes"],
        [pr, measured_mu("EX_ac_e")], [], False, (), {"carbon": {"EX_ac_e": None}})

    # ---------------- doubling_time
    dt_case("doubling_time", E, "doubling time of e. coli core on default glucose, in minutes",
            minutes=True)
    dt_case("doubling_time", J, "iJO1366 anaerobic: how long to double (hours)?", ANA)
    dt_case("doubling_time", S, "salmonella doubling time on glycerol (sole C), hours",
            {"carbon": {"EX_glyc_e": None}})
    dt_case("doubling_time", E, "how many minutes per generation for the core model on acetate?",
            {"carbon": {"EX_ac_e": None}}, minutes=True)
    dt_case("doubling_time", E, "gen time in hours when glucose uptake is capped at 3?",
            {"uptake": {GLC: 3}})

    # ---------------- percent_change
    pct_case("percent_change", E, "by what percent does growth drop when zwf is knocked out "
             "(core)?", {"ko_genes": [cgene("zwf")]})
    pct_case("percent_change", J, "percentage change of iJO1366 growth going anaerobic", ANA,
             tools=T_FBA)
    pct_case("percent_change", E, "How much (in %) does capping O2 at 10 reduce growth in "
             "e_coli_core?", {"uptake": {"EX_o2_e": 10}}, tools=T_FBA)
    pct_case("percent_change", S, "salmonella sdhA (STM0734) mutant: % change in growth vs wild "
             "type", {"ko_genes": ["STM0734"]})
    pct_case("percent_change", E, "relative growth change (percent) of the ppc knockout "
             "grown on acetate, compared with wild type on acetate",
             {"carbon": {"EX_ac_e": None}, "ko_genes": [cgene("ppc")]},
             {"carbon": {"EX_ac_e": None}})

    # ---------------- comparison
    cmp_case("comparison", E, "which carbon source gives the fastest growth in the core model: "
             "glucose, fructose, or pyruvate (each sole, 10 mmol/gDW/h)?",
             [("glucose", E, {}), ("fructose", E, {"carbon": {"EX_fru_e": None}}),
              ("pyruvate", E, {"carbon": {"EX_pyr_e": None}})], tools=T_CS)
    cmp_case("comparison", E, "rank knockouts pgi, zwf, gnd by growth (core model) - which "
             "grows best?", [(n_, E, {"ko_genes": [cgene(n_)]}) for n_ in ("pgi", "zwf", "gnd")])
    cmp_case("comparison", J, "iJO1366: better growth on succinate or on L-malate (sole "
             "carbon)?", [("succinate", J, {"carbon": {"EX_succ_e": None}}),
                          ("L-malate", J, {"carbon": {"EX_mal__L_e": None}})], tools=T_CS)
    cmp_case("comparison", S, "salmonella aerobic vs anaerobic - growth in each?",
             [("aerobic", S, {}), ("anaerobic", S, ANA)])
    cmp_case("comparison", E, "which of the 3 carbon sources supports the core model best: "
             "acetate, 2-oxoglutarate, fumarate (sole carbon each)?",
             [("acetate", E, {"carbon": {"EX_ac_e": None}}),
              ("2-oxoglutarate", E, {"carbon": {"EX_akg_e": None}}),
              ("fumarate", E, {"carbon": {"EX_fum_e": None}})], tools=T_CS)
    cmp_case("comparison", J, "Among b3236 (mdh), b1612 (fumA) and b0723 (sdhA) deletions in "
             "iJO1366, which one keeps the highest growth?",
             [(b, J, {"ko_genes": [b]}) for b in ("b3236", "b1612", "b0723")])

    # ---------------- cross_model
    cmp_case("cross_model", E, "compare default growth of e_coli_core, iJO1366 and salmonella",
             [("e_coli_core", E, {}), ("iJO1366", J, {}), ("salmonella", S, {})], tools=T_XM)
    cmp_case("cross_model", J, "anaerobic growth: iJO1366 vs the core model",
             [("iJO1366", J, ANA), ("e_coli_core", E, ANA)], tools=T_XM)
    add("cross_model", E, "how many genes does each model have: e_coli_core, iJO1366, "
        "salmonella?", T_INFO, [len(M(E).genes), len(M(J).genes), len(M(S).genes)], [], False,
        (), {"genes": "count"})
    cmp_case("cross_model", S, "pgi knockout in salmonella (STM4221) vs in iJO1366 (b4025): "
             "which keeps more growth?", [("salmonella", S, {"ko_genes": ["STM4221"]}),
                                          ("iJO1366", J, {"ko_genes": ["b4025"]})], tools=T_XM)
    cmp_case("cross_model", J, "on glycerol as sole carbon: who grows faster, iJO1366 or "
             "salmonella?", [("iJO1366", J, {"carbon": {"EX_glyc_e": None}}),
                             ("salmonella", S, {"carbon": {"EX_glyc_e": None}})], tools=T_XM)

    # ---------------- model_info
    m = M(E)
    add("model_info", E, "how many reactions, metabolites and genes in e_coli_core?", T_INFO,
        [len(m.reactions), len(m.metabolites), len(m.genes)])
    count_case("model_info", J, "number of reactions in iJO1366", len(M(J).reactions), T_INFO)
    count_case("model_info", S, "how many metabolites does the salmonella model have?",
               len(M(S).metabolites), T_INFO)
    add("model_info", E, "what's the objective reaction of the textbook model?", T_INFO, [],
        [bio(E)])
    add("model_info", E, "which gene(s) encode GAPD in the core model?", T_INFO, [],
        gene_alts(E, sorted(g.id for g in m.reactions.GAPD.genes)))

    # ---------------- modelseed_lookup
    lookup("ModelSEED compound id of D-glucose?", ids=[ms_of("cpd", "glc__D", "BiGG")])
    lookup("what is cpd00002?", ids=[compounds()["cpd00002"]["name"]])
    lookup("ModelSEED id for the BiGG metabolite pyr", ids=[ms_of("cpd", "pyr", "BiGG")])
    lookup("KEGG id of ModelSEED compound cpd00020", ids=[ext_of("cpd", "cpd00020", "KEGG")])
    lookup("formula of cpd00036 (succinate) in ModelSEED",
           ids=[compounds()["cpd00036"]["formula"]])
    lookup("ModelSEED reaction for BiGG PGI?", ids=[ms_of("rxn", "PGI", "BiGG")])

    # ---------------- modelseed_draft
    d = M(D)
    draft("modelseed_draft", "load the ModelSEED draft and tell me how many reactions and "
          "genes it has", numbers=[len(d.reactions), len(d.genes)])
    draft("modelseed_draft", "can the draft model grow (bio1) on its default medium?",
          no_growth=True, setup={"objective": "bio1"})
    draft("modelseed_draft", "how many exchange reactions does the ModelSEED draft have?",
          numbers=[len(d.exchanges)])
    with d:
        for r in d.exchanges:
            r.lower_bound = -1000.0
        d.objective = "bio1"
        v_open = d.slim_optimize(error_value=0.0)
    assert v_open < 1e-6, v_open
    with d:
        d.objective = "bio1"
        assert d.slim_optimize(error_value=0.0) < 1e-6
    draft("modelseed_draft", "maximise bio1 in the draft with every exchange lower bound set to "
          "-1000: growth?", no_growth=True, setup={"objective": "bio1", "open_exchanges": True})
    draft("modelseed_draft", "what is the objective of the draft ModelSEED model?",
          ids=["ATPM_c0"])

    # ---------------- multi_step
    gcase("multi_step", E, "core model: first go anaerobic, then knock out pflB (b0903), then "
          "report growth", {"anaerobic": True, "ko_genes": ["b0903"]}, tools=T_KO)
    gcase("multi_step", J, "iJO1366, acetate as sole carbon, O2 capped at 12, and delete aceA "
          "(b4015) - growth?", {"carbon": {"EX_ac_e": None}, "uptake": {"EX_o2_e": 12},
                                "ko_genes": ["b4015"]}, tools=T_KO)
    gcase("multi_step", S, "Salmonella: limit glucose to 3, knock out PtsG, run FBA",
          {"uptake": {GLC: 3}, "ko_genes": [sgene("PtsG")]}, tools=T_KO)
    gcase("multi_step", E, "fructose sole carbon + ATPM fixed at 5 + knockout of PFK reaction; "
          "growth in the core model?", {"carbon": {"EX_fru_e": None},
                                        "bounds": {"ATPM": (5, 5)}, "ko_rxns": ["PFK"]},
          tools=T_KO)
    pcase("multi_step", E, "anaerobic, ldhA knocked out, then maximise ethanol at >= 0.05 1/h "
          "growth (core model)", {"anaerobic": True, "ko_genes": [cgene("ldhA")], "floor": 0.05},
          "EX_etoh_e")

    # ---------------- followup
    gcase("followup", E, "and without oxygen?", ANA, turns=["growth of e_coli_core on glucose?"])
    gcase("followup", E, "now also knock out pfkB", {"ko_genes": [cgene("pfkA"), cgene("pfkB")]},
          tools=T_KO, turns=["knock out pfkA in the core model and give me growth"])
    gcase("followup", J, "what if I cap glucose at 5 as well?",
          {"uptake": {GLC: 5, "EX_o2_e": 10}},
          turns=["iJO1366: limit oxygen uptake to 10 and compute growth"])
    gcase("followup", S, "ok put oxygen back to normal and tell me the growth",
          {"ko_genes": ["STM0730"]}, tools=T_KO,
          turns=["salmonella anaerobic growth?", "now delete gltA (STM0730)"])
    dt_case("followup", E, "what doubling time is that in minutes?",
            {"carbon": {"EX_succ_e": None}}, minutes=True, tools=[],
            turns=["core model on succinate as sole carbon source: growth rate?"])
    pcase("followup", E, "and the max acetate secretion under those conditions?",
          {"ko_genes": [cgene("pykF")]}, "EX_ac_e", turns=["knock out pykF in e_coli_core"])
    gcase("followup", E, "undo the knockout, keep it anaerobic", ANA,
          turns=["core model: delete adhE and run anaerobically"])
    count_case("followup", J, "how many genes does it have?", len(M(J).genes), [],
               turns=["load iJO1366 and summarise it"])

    # ---------------- unresolved
    for mo, q in [
        (E, "growth of e_coli_core at 42 degrees C?"),
        (J, "what's iJO1366 growth at pH 5.5?"),
        (E, "simulate ampicillin at 10 ug/mL on the core model"),
        (S, "salmonella growth in 2 g/L glucose"),
        (E, "plot biomass over 12 hours of batch culture, core model"),
        (J, "what is the Km of PGI in iJO1366?"),
        (E, "how much does the core model grow if pgi expression is halved?"),
        (S, "which salmonella genes are virulence factors? knock them all out"),
        (E, "predict the OD600 after overnight growth on glucose"),
        (J, "run dynamic FBA for iJO1366 with 20 mM glucose initially"),
        (E, "what's the intracellular ATP concentration in e_coli_core?"),
        (J, "simulate iJO1366 under osmotic stress (0.5 M NaCl)"),
        (S, "salmonella inside macrophages - growth rate?"),
        (E, "how many hours until glucose runs out in a 1 L flask?"),
        (E, "grow the core model on lactose"),
        (J, "iJO1366 growth with 50% CRISPRi knockdown of gltA"),
        (E, "give me the 13C labelling pattern of pyruvate in the core model"),
        (S, "compare salmonella with the yeast model iMM904"),
        (E, "what's the protein burden of overexpressing GFP?"),
        (J, "Gibbs free energy of the PFK reaction at physiological conditions?"),
        (E, "growth of the mutant?"),
        (E, "does it grow better at high temperature or low?"),
        (J, "knock out the gene"),
        (E, "what's the lag phase duration after switching from glucose to acetate?"),
        (S, "salmonella growth with 5 g/L of casamino acids"),
        (E, "regulatory FBA: apply ArcA/FNR rules and recompute anaerobic growth"),
    ]:
        unresolved(mo, q)
    unresolved(E, "and at 30 degrees?", turns=["growth of e_coli_core on glucose?"])
    unresolved(J, "what about in Bacillus subtilis?", turns=["iJO1366 default growth rate"])
    unresolved(E, "knock out pgi and simulate growth at pH 9", )
    unresolved(S, "maximise acetate, and also tell me the fermentation time in the bioreactor")


# --------------------------------------------------------------------------- output
ORDER = ["id", "category", "query", "model", "model_file", "tools_any", "numbers", "ids",
         "no_growth", "turns", "expect_unresolved", "setup"]


def write(cases):
    for i, case in enumerate(cases, 1):
        case["id"] = f"H5_{i:03d}"
    out = [{k: _plain(case[k]) for k in ORDER if k in case} for case in cases]
    head = ("# fluxagent understanding corpus, fifth blind holdout (all cases held out).\n"
            "# GENERATED by .venv/bin/python eval/understanding/references5.py -- do not edit\n"
            "# by hand.\n"
            "# Format: eval/dev_queries.yaml (extra fields: category, model_file,\n"
            "# expect_unresolved, setup = how the reference was computed, for review only).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
    text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                 default_flow_style=None)
    (HERE / "holdout5.yaml").write_text(text)


def main():
    build_cases()
    write(CASES)
    per_cat: dict[str, int] = defaultdict(int)
    for case in CASES:
        per_cat[case["category"]] += 1
    log(f"cases: {len(CASES)}")
    for k in sorted(per_cat):
        log(f"  {k:22s} {per_cat[k]:3d}")
    for s in SKIPPED:
        log("skipped:", s)


if __name__ == "__main__":
    main()
