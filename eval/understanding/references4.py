#!/usr/bin/env python
"""Reference answers for the fourth blind held-out corpus (``holdout4.yaml``).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references4.py

It writes ``eval/understanding/holdout4.yaml``; stdout stays empty, a summary goes to stderr.
Two runs give byte-identical files.

The questions were written without reading the planner (``src/fluxagent/llm/``) or the questions
of the other corpus files (dev, holdout, holdout2, dev_queries, paraphrases, shared eval); only
the README of this folder, ``references3.py`` (for the case format) and the loader/scoring rules
were read. This script is self-contained: it does not import ``references.py`` or any fluxagent
code. Every reference number comes from plain cobrapy (0.32.1, GLPK) on the models cobrapy ships
(``textbook`` = e_coli_core, ``iJO1366``, ``salmonella``), the ModelSEED draft
``tests/data/modelseed/examples/example_ecoli_modelseed_model.json`` read with
``cobra.io.load_json_model``, the ModelSEED biochemistry tables under
``src/fluxagent/data/modelseed/biochemistry/`` (gzip + csv) and the phenotype tables under
``src/fluxagent/data/phenotypes/ecoli/``. The conventions are those of README.md ("Conventions
used by the references"); numbers are rounded to 6 significant digits.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import logging
import math
import sys
from collections import defaultdict
from functools import lru_cache
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


@lru_cache(maxsize=None)
def M(name: str) -> cobra.Model:
    if name == D:
        return load_json_model(str(ROOT / DRAFT))
    m = load_model("textbook" if name == E else name)
    m.solver = "glpk"
    return m


def bio(model: str) -> str:
    return {E: "Biomass_Ecoli_core", J: "BIOMASS_Ec_iJO1366_core_53p95M",
            S: "BIOMASS_iRR1083_1", D: "bio1"}[model]


@lru_cache(maxsize=None)
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


@lru_cache(maxsize=None)
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
    win = [lab for (lab, _, _), v in zip(options, vals) if abs(v - best) <= 1e-9]
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
@lru_cache(maxsize=None)
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


@lru_cache(maxsize=None)
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


@lru_cache(maxsize=None)
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


@lru_cache(maxsize=None)
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


@lru_cache(maxsize=None)
def compounds() -> dict:
    return {r["id"]: r for r in _tsv(BIOCHEM / "compounds_compact.tsv.gz")}


@lru_cache(maxsize=None)
def reactions_ms() -> dict:
    return {r["id"]: r for r in _tsv(BIOCHEM / "reactions_compact.tsv.gz")}


@lru_cache(maxsize=None)
def aliases(kind: str) -> list:
    f = {"cpd": "Unique_ModelSEED_Compound_Aliases.txt.gz",
         "rxn": "Unique_ModelSEED_Reaction_Aliases.txt.gz",
         "ec": "Unique_ModelSEED_Reaction_ECs.txt.gz"}[kind]
    return [(r["ModelSEED ID"], r["External ID"], r["Source"]) for r in _tsv(BIOCHEM / "Aliases" / f)]


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


# --------------------------------------------------------------------------- the questions
def build_cases():
    ANA = {"anaerobic": True}
    # ------------------------------------------------------------ growth_default
    c = "growth_default"
    gcase(c, E, "hey, what growth rate does FBA give for e_coli_core out of the box?")
    gcase(c, J, "For my thesis I need the predicted wild-type growth of iJO1366 on its standard "
                "medium, in h^-1 please.")
    gcase(c, S, "predicted mu for the salmonella LT2 model with nothing changed")
    # ------------------------------------------------------------ carbon_source
    c = "carbon_source"
    gcase(c, E, "growth of the core model if the only carbon it gets is pyruvate?",
          {"carbon": {ex(E, "EX_pyr_e"): None}})
    gcase(c, E, "core E. coli on ethanol (sole C source) - can it grow, and how fast?",
          {"carbon": {ex(E, "EX_etoh_e"): None}})
    gcase(c, E, "replace glc with succinate at 12 mmol/gDW/h in e_coli_core, mu?",
          {"carbon": {ex(E, "EX_succ_e"): 12.0}})
    gcase(c, E, "e_coli_core on L-glutamate as sole carbon, 10 mmol/gDW/h",
          {"carbon": {ex(E, "EX_glu__L_e"): 10.0}})
    gcase(c, J, "iJO1366 with D-galactose as the sole carbon source: growth rate?",
          {"carbon": {ex(J, "EX_gal_e"): None}})
    gcase(c, J, "how well does iJO1366 grow on L-arabinose instead of glucose?",
          {"carbon": {ex(J, "EX_arab__L_e"): None}})
    gcase(c, S, "Salmonella growth with L-rhamnose as its sole carbon source?",
          {"carbon": {ex(S, "EX_rmn_e"): None}})
    gcase(c, S, "salmonella on fumarate only - growth?", {"carbon": {ex(S, "EX_fum_e"): None}})
    # ------------------------------------------------------------ nutrient_source
    c = "nutrient_source"
    gcase(c, J, "iJO1366: no ammonium, but L-asparagine at 4 mmol/gDW/h as N source. growth?",
          {"close": ["EX_nh4_e"], "uptake": {ex(J, "EX_asn__L_e"): 4.0}})
    gcase(c, J, "can iJO1366 use cytidine (2 mmol/gDW/h) as its sole nitrogen source when NH4 "
                "is taken away?",
          {"close": ["EX_nh4_e"], "uptake": {ex(J, "EX_cytd_e"): 2.0}})
    gcase(c, J, "phosphorus source test on iJO1366: Pi closed, glucose-6-phosphate at 1 "
                "mmol/gDW/h",
          {"close": ["EX_pi_e"], "uptake": {ex(J, "EX_g6p_e"): 1.0}})
    gcase(c, J, "iJO1366 with thiosulfate (1 mmol/gDW/h) as sulfur source instead of sulfate",
          {"close": ["EX_so4_e"], "uptake": {ex(J, "EX_tsul_e"): 1.0}})
    gcase(c, S, "Salmonella, ammonium out, L-serine 5 mmol/gDW/h as the only nitrogen source. mu?",
          {"close": ["EX_nh4_e"], "uptake": {ex(S, "EX_ser__L_e"): 5.0}})
    gcase(c, S, "LT2 model: swap sulfate for L-methionine (0.5 mmol/gDW/h) as S source",
          {"close": ["EX_so4_e"], "uptake": {ex(S, "EX_met__L_e"): 0.5}})
    # ------------------------------------------------------------ oxygen
    c = "oxygen"
    gcase(c, E, "e_coli_core with O2 uptake fixed to zero - growth?", ANA)
    gcase(c, J, "anaerobic iJO1366 on glucose, what mu do you get?", ANA)
    gcase(c, S, "salmonella in the absence of oxygen: growth rate?", ANA)
    gcase(c, E, "microaerobic core model, 2 mmol/gDW/h O2 max", {"uptake": {"EX_o2_e": 2.0}})
    gcase(c, J, "iJO1366, oxygen uptake capped at 8 mmol/gDW/h", {"uptake": {"EX_o2_e": 8.0}})
    gcase(c, S, "salmonella with oxygen lowered to 5 mmol/gDW/h (from 18.5) - growth?",
          {"uptake": {"EX_o2_e": 5.0}})
    # ------------------------------------------------------------ uptake_cap
    c = "uptake_cap"
    gcase(c, E, "glucose uptake limited to 3 mmol/gDW/h in the core model - mu?",
          {"uptake": {"EX_glc__D_e": 3.0}})
    gcase(c, J, "iJO1366 at half the default glucose uptake (5 mmol/gDW/h). growth?",
          {"uptake": {"EX_glc__D_e": 5.0}})
    gcase(c, J, "iJO1366: allow 18 mmol/gDW/h glucose - how fast does it grow then?",
          {"uptake": {"EX_glc__D_e": 18.0}})
    gcase(c, E, "core model, phosphate capped at 0.3 mmol/gDW/h", {"uptake": {"EX_pi_e": 0.3}})
    gcase(c, S, "salmonella with glucose at 10 and O2 at 25 mmol/gDW/h - growth?",
          {"uptake": {"EX_glc__D_e": 10.0, "EX_o2_e": 25.0}})
    # ------------------------------------------------------------ medium
    c = "medium"
    add(c, E, "which exchanges can e_coli_core take up on its default medium? just the ids",
        T_MED, [], [f"{r}" for r in sorted(M(E).medium)], setup={"medium_of": E})
    add(c, S, "how many components are in salmonella's default medium (open uptakes)?", T_MED,
        [len(M(S).medium)], setup={"medium_of": S, "count": "open uptakes"})
    gcase(c, J, "take zinc out of the iJO1366 medium. does it still grow?", {"close": ["EX_zn2_e"]})
    gcase(c, E, "core model medium minus phosphate - what happens to growth?",
          {"close": ["EX_pi_e"]})
    gcase(c, J, "add L-leucine at 2 mmol/gDW/h to the iJO1366 standard medium; new mu?",
          {"uptake": {ex(J, "EX_leu__L_e"): 2.0}})
    # ------------------------------------------------------------ cofeed
    c = "cofeed"
    gcase(c, E, "default glucose plus 3 mmol/gDW/h acetate, e_coli_core - mu?",
          {"uptake": {"EX_ac_e": 3.0}})
    gcase(c, J, "iJO1366 co-utilising glucose (5) and xylose (5 mmol/gDW/h)",
          {"carbon": {"EX_glc__D_e": 5.0, "EX_xyl__D_e": 5.0}})
    gcase(c, J, "keep glucose at 10 and add 2 mmol/gDW/h L-lactate for iJO1366",
          {"uptake": {"EX_lac__L_e": 2.0}})
    gcase(c, S, "salmonella: default glucose + 2 mmol/gDW/h succinate co-feed, growth rate?",
          {"uptake": {"EX_succ_e": 2.0}})
    gcase(c, E, "anaerobic core model with glucose 10 and fructose 5 - growth?",
          {"anaerobic": True, "uptake": {"EX_fru_e": 5.0}})
    # ------------------------------------------------------------ gene_knockout
    c = "gene_knockout"
    gcase(c, E, "KO gnd in e_coli_core, growth?", {"ko_genes": [cgene("gnd")]}, T_KO)
    gcase(c, E, "what's the growth of the core model lacking b2926?", {"ko_genes": ["b2926"]}, T_KO)
    gcase(c, E, "delete sucA (b0726) from the core model - mu?", {"ko_genes": ["b0726"]}, T_KO)
    gcase(c, E, "e_coli_core ΔatpA: growth rate?", {"ko_genes": [cgene("atpA")]}, T_KO)
    gcase(c, E, "core model, anaerobic, with adhE deleted. growth?",
          {"anaerobic": True, "ko_genes": [cgene("adhE")]}, T_KO)
    gcase(c, J, "iJO1366 knockout of b1136 (icd) - growth?", {"ko_genes": ["b1136"]}, T_KO)
    gcase(c, J, "remove b3731 (atpC) from iJO1366, what's left of growth?",
          {"ko_genes": ["b3731"]}, T_KO)
    gcase(c, S, "salmonella STM0736 knocked out - growth?", {"ko_genes": ["STM0736"]}, T_KO)
    gcase(c, S, "delete gltA in the salmonella model", {"ko_genes": [sgene("GltA")]}, T_KO)
    gcase(c, S, "LT2 Δeno - can it still grow?", {"ko_genes": [sgene("Eno")]}, T_KO)
    # ------------------------------------------------------------ reaction_knockout
    c = "reaction_knockout"
    gcase(c, E, "remove the reaction ENO from e_coli_core. growth?", {"ko_rxns": ["ENO"]}, T_KO)
    gcase(c, E, "block the transaldolase reaction in the core model - mu?",
          {"ko_rxns": [rxn_by_name(E, "transaldolase")]}, T_KO)
    gcase(c, E, "shut off both the glucose PTS (GLCpts) and PGI in e_coli_core",
          {"ko_rxns": ["GLCpts", "PGI"]}, T_KO)
    gcase(c, J, "iJO1366 with reaction PGK deleted - growth?", {"ko_rxns": ["PGK"]}, T_KO)
    gcase(c, J, "knock out the isocitrate dehydrogenase reaction (ICDHyr) in iJO1366",
          {"ko_rxns": ["ICDHyr"]}, T_KO)
    gcase(c, S, "block fumarase (FUM) in the salmonella model - does growth change?",
          {"ko_rxns": ["FUM"]}, T_KO)
    # ------------------------------------------------------------ bounds_atpm
    c = "bounds_atpm"
    gcase(c, E, "set ATP maintenance to 20 mmol/gDW/h (fixed) in e_coli_core, growth?",
          {"bounds": {"ATPM": (20.0, 20.0)}})
    gcase(c, E, "ATPM = 3 in the core model, both bounds. mu?", {"bounds": {"ATPM": (3.0, 3.0)}})
    gcase(c, J, "iJO1366 with ATPM forced to 0 - how fast?", {"bounds": {"ATPM": (0.0, 0.0)}})
    gcase(c, S, "salmonella, ATPM raised from 8.39 to 12 mmol/gDW/h (fixed) - growth?",
          {"bounds": {"ATPM": (12.0, 12.0)}})
    gcase(c, E, "constrain PDH to at most 5 mmol/gDW/h in e_coli_core, growth?",
          {"bounds": {"PDH": (0.0, 5.0)}})
    gcase(c, J, "iJO1366: cap citrate synthase CS at 3 mmol/gDW/h - growth?",
          {"bounds": {"CS": (0.0, 3.0)}})
    # ------------------------------------------------------------ objective_change
    c = "objective_change"
    pcase(c, E, "change the objective of e_coli_core to ATPM and maximise it - value?", {}, "ATPM")
    pcase(c, E, "maximise ethanol secretion (EX_etoh_e) in the core model, anaerobic",
          ANA, "EX_etoh_e")
    pcase(c, E, "make EX_lac__D_e the objective in e_coli_core; max flux?", {}, "EX_lac__D_e")
    pcase(c, J, "maximise succinate export in iJO1366 anaerobically", ANA, "EX_succ_e")
    pcase(c, S, "salmonella: open ATPM's upper bound to 1000 and maximise ATPM",
          {"bounds": {"ATPM": (8.39, 1000.0)}}, "ATPM")
    # ------------------------------------------------------------ growth_floor
    c = "growth_floor"
    pcase(c, E, "max acetate secretion in the core model while growth stays >= 0.5 1/h",
          {"floor": 0.5}, "EX_ac_e")
    pcase(c, E, "maximise formate production in e_coli_core with biomass held at 80% of its "
                "optimum", {"fraction": 0.8}, "EX_for_e")
    pcase(c, E, "anaerobic e_coli_core: max ethanol with growth at least 0.1 per hour",
          {"anaerobic": True, "floor": 0.1}, "EX_etoh_e")
    pcase(c, J, "iJO1366, growth no lower than 50% of max - maximum acetate flux?",
          {"fraction": 0.5}, "EX_ac_e")
    pcase(c, J, "iJO1366 max ATPM at a fixed growth floor of 0.6 1/h", {"floor": 0.6}, "ATPM")
    pcase(c, S, "salmonella: maximise acetate export with growth at >= 90 % of optimum",
          {"fraction": 0.9}, "EX_ac_e")
    # ------------------------------------------------------------ reaction_flux
    c = "reaction_flux"
    for model, q, spec, rx in [
        (E, "at the FBA optimum of e_coli_core, what's the O2 uptake flux?", {}, ["EX_o2_e"]),
        (E, "CO2 production rate of the core model at max growth (mmol/gDW/h)?", {}, ["EX_co2_e"]),
        (E, "anaerobic core model: how much ethanol and formate does it secrete at max growth?",
         ANA, ["EX_etoh_e", "EX_for_e"]),
        (J, "iJO1366 at optimal growth - ammonium uptake rate?", {}, ["EX_nh4_e"]),
        (S, "salmonella optimum: what's the CO2 secretion flux?", {}, ["EX_co2_e"]),
        (J, "anaerobic iJO1366: acetate secretion at max growth?", ANA, ["EX_ac_e"]),
    ]:
        fcase(c, model, q, spec, rx)
    # ------------------------------------------------------------ fva
    c = "fva"
    vcase(c, E, "FVA on PGI and PFK in e_coli_core at 90% of optimal growth", {}, ["PGI", "PFK"], 0.9)
    vcase(c, E, "flux range of the acetate exchange when growth must be >= 95 % of max",
          {}, ["EX_ac_e"], 0.95)
    vcase(c, E, "anaerobic core model, FVA (fraction 0.9) for EX_etoh_e", ANA, ["EX_etoh_e"], 0.9)
    vcase(c, E, "min and max flux through ME1 at 80% of optimum, e_coli_core", {}, ["ME1"], 0.8)
    vcase(c, J, "iJO1366: FVA of EX_o2_e and EX_co2_e at 95 % of the optimum", {},
          ["EX_o2_e", "EX_co2_e"], 0.95)
    vcase(c, S, "salmonella, FVA on EX_ac_e at 90% of max growth", {}, ["EX_ac_e"], 0.9)
    # ------------------------------------------------------------ essential_genes
    c = "essential_genes"
    ess = essential_genes(E)
    add(c, E, "how many essential genes does e_coli_core have on the default medium?", T_ESSG,
        [len(ess)], [], False, (), {"essential": "genes"})
    add(c, E, "list the essential genes of the core model (glucose, aerobic)", T_ESSG, [],
        gene_alts(E, ess), False, (), {"essential": "genes"})
    e_ana = essential_genes(E, ANA)
    add(c, E, "number of essential genes in anaerobic e_coli_core?", T_ESSG, [len(e_ana)], [],
        False, (), {**ANA, "essential": "genes"})
    e_ac = essential_genes(E, {"carbon": {"EX_ac_e": None}})
    add(c, E, "core model on acetate only: which genes become essential that aren't essential on "
              "glucose?", T_ESSG, [], gene_alts(E, sorted(set(e_ac) - set(ess))), False, (),
        {"carbon": {"EX_ac_e": None}, "essential": "genes", "minus": "default"})
    ej = essential_genes(J)
    add(c, J, "gene essentiality screen on iJO1366 (default medium): how many are essential?",
        T_ESSG, [len(ej)], [], False, (), {"essential": "genes"})
    add(c, J, "in iJO1366, which of these are essential: b0720, b4025, b2779, b1136?", T_ESSG, [],
        [x for x in gene_alts(J, [g for g in ["b0720", "b4025", "b2779", "b1136"] if g in ej])],
        False, (), {"essential": "genes", "among": ["b0720", "b4025", "b2779", "b1136"]})
    es = essential_genes(S)
    add(c, S, "count the essential genes of the salmonella model", T_ESSG, [len(es)], [], False,
        (), {"essential": "genes"})
    g = cgene("pgk")
    add(c, E, "is pgk essential in e_coli_core? what growth does the KO give?", T_ESSG + T_KO,
        [], [], g in ess, (), {"ko_genes": [g]})
    if g not in ess:
        CASES[-1]["numbers"] = [rnd(growth(E, {"ko_genes": [g]}))]
    # ------------------------------------------------------------ essential_reactions
    c = "essential_reactions"
    er = essential_reactions(E)
    add(c, E, "how many reactions are essential in e_coli_core (counting exchanges and biomass)?",
        T_ESSR, [len(er)], [], False, (), {"essential": "reactions"})
    internal = [r for r in er if not r.startswith("EX_") and not r.startswith("Biomass")]
    add(c, E, "essential reactions of the core model, excluding exchange and biomass reactions "
              "- list them", T_ESSR, [len(internal)], internal, False, (),
        {"essential": "reactions", "exclude": "exchanges, biomass"})
    er_ana = essential_reactions(E, ANA)
    add(c, E, "anaerobically, how many reactions of e_coli_core are essential (all reactions "
              "counted)?", T_ESSR, [len(er_ana)], [], False, (), {**ANA, "essential": "reactions"})
    add(c, E, "which exchange reactions are essential for the core model on default medium?",
        T_ESSR, [], [r for r in er if r.startswith("EX_")], False, (),
        {"essential": "reactions", "only": "exchanges"})
    # ------------------------------------------------------------ synthetic_lethal
    c = "synthetic_lethal"
    sl = core_sl_pairs()
    add(c, E, "how many synthetic lethal gene pairs are there in e_coli_core (default medium)?",
        T_SL, [len(sl)], [], False, (), {"synthetic_lethal": "gene pairs"})
    partners = sorted({b if a == cgene("pgi") else a for a, b in sl if cgene("pgi") in (a, b)})
    add(c, E, "which genes are synthetic lethal with pgi in the core model?", T_SL,
        [len(partners)], gene_alts(E, partners), False, (),
        {"synthetic_lethal": "partners of b4025"})
    slr = core_sl_rxn_pairs()
    add(c, E, "count the synthetic lethal reaction pairs of e_coli_core", T_SL, [len(slr)], [],
        False, (), {"synthetic_lethal": "reaction pairs"})
    for model, q, genes in [
        (E, "are gltA and ppc... no wait, are tktA and tktB a synthetic lethal pair in "
            "e_coli_core?", [cgene("tktA"), cgene("tktB")]),
        (J, "iJO1366: do b3916 (pfkA) and b1723 (pfkB) together make a lethal double KO?",
         ["b3916", "b1723"]),
        (S, "salmonella: double knockout of Zwf and Pgi - growth?", [sgene("Zwf"), sgene("Pgi")]),
    ]:
        both, is_sl = double_ko(model, genes)
        add(c, model, q, T_SL, [] if both < 1e-6 else [both], [], both < 1e-6, (),
            {"ko_genes": genes, "synthetic_lethal": is_sl})
    # ------------------------------------------------------------ yield
    c = "yield"
    for model, q, spec, prod, sub, unit in [
        (E, "max theoretical yield of acetate on glucose in e_coli_core, mol/mol", {},
         "EX_ac_e", "EX_glc__D_e", "mol"),
        (E, "anaerobic ethanol yield on glucose for the core model (mol/mol, maximal)", ANA,
         "EX_etoh_e", "EX_glc__D_e", "mol"),
        (E, "g/g yield of succinate from glucose in e_coli_core (max)", {}, "EX_succ_e",
         "EX_glc__D_e", "g"),
        (J, "what's the max ethanol yield (g per g glucose) for anaerobic iJO1366?", ANA,
         "EX_etoh_e", "EX_glc__D_e", "g"),
        (S, "salmonella: maximum acetate yield on glucose in mol/mol", {}, "EX_ac_e",
         "EX_glc__D_e", "mol"),
    ]:
        sp = {**spec, "objective": prod}
        v = opt(model, sp)
        upt = fva(model, sp, [sub], 1.0)[sub]
        if abs(upt[0] - upt[1]) > 1e-6:
            SKIPPED.append(f"uptake not unique: {q}")
            continue
        y = v / -upt[0]
        if unit == "g":
            m = M(model)
            pm = list(m.reactions.get_by_id(prod).metabolites)[0].id
            sm = list(m.reactions.get_by_id(sub).metabolites)[0].id
            y *= fw(model, pm) / fw(model, sm)
        add(c, model, q, T_YIELD, [y], [], False, (), {**sp, "yield": f"{unit}/{unit}"})
    for model, q in [(E, "biomass yield of e_coli_core on glucose in gDW per g glucose?")]:
        g = growth(model)
        y = g / (glc_default(model) * fw(model, "glc__D_e") / 1000.0)
        add(c, model, q, T_YIELD + T_FBA, [y], [], False, (), {"yield": "gDW/g glucose"})
    v = opt(E, {"objective": "ATPM"})
    add(c, E, "ATP yield per glucose of the core model (max ATPM / glucose uptake)?", T_YIELD,
        [v / glc_default(E)], [], False, (), {"objective": "ATPM", "yield": "mol ATP/mol glc"})
    # ------------------------------------------------------------ max_production
    c = "max_production"
    pcase(c, E, "what's the highest succinate production rate the core model can reach "
                "aerobically?", {}, "EX_succ_e")
    pcase(c, E, "max 2-oxoglutarate export for e_coli_core (mmol/gDW/h)?", {}, "EX_akg_e")
    pcase(c, J, "iJO1366: maximum L-lysine production (demand on lys__L_c)", {}, "DM:lys__L_c")
    pcase(c, S, "salmonella - max formate production rate?", {}, "EX_for_e")
    pcase(c, E, "anaerobic core model, max D-lactate output", ANA, "EX_lac__D_e")
    # ------------------------------------------------------------ comparison
    c = "comparison"
    cmp_case(c, E, "which carbon source gives e_coli_core the fastest growth: glucose, fructose "
                   "or pyruvate (10 mmol/gDW/h each)?",
             [("glucose", E, {}), ("fructose", E, {"carbon": {"EX_fru_e": None}}),
              ("pyruvate", E, {"carbon": {"EX_pyr_e": None}})])
    cmp_case(c, J, "rank glycerol, acetate and succinate as sole C sources for iJO1366 - which "
                   "is best?",
             [("glycerol", J, {"carbon": {"EX_glyc_e": None}}),
              ("acetate", J, {"carbon": {"EX_ac_e": None}}),
              ("succinate", J, {"carbon": {"EX_succ_e": None}})])
    cmp_case(c, E, "core model: which single KO hurts growth most - pgi, zwf or pfkA?",
             [(f"{n}|{cgene(n)}", E, {"ko_genes": [cgene(n)]}) for n in ["pgi", "zwf", "pfkA"]],
             T_CMP + T_KO)
    # the winner for "hurts most" is the smallest growth: fix ids accordingly
    last = CASES[-1]
    vals = last["numbers"]
    labs = [f"{n}|{cgene(n)}" for n in ["pgi", "zwf", "pfkA"]]
    worst = min(vals)
    last["ids"] = ["|".join(lab for lab, v in zip(labs, vals) if v == worst)]
    cmp_case(c, S, "salmonella: aerobic vs anaerobic growth - give both",
             [("aerobic", S, {}), ("anaerobic", S, ANA)])
    cmp_case(c, J, "iJO1366 growth with O2 at 5, 10 and 20 mmol/gDW/h - which is highest?",
             [(f"{v}", J, {"uptake": {"EX_o2_e": float(v)}}) for v in (5, 10, 20)])
    cmp_case(c, E, "e_coli_core on malate vs fumarate vs 2-oxoglutarate - fastest?",
             [("malate", E, {"carbon": {"EX_mal__L_e": None}}),
              ("fumarate", E, {"carbon": {"EX_fum_e": None}}),
              ("2-oxoglutarate|akg|alpha-ketoglutarate", E, {"carbon": {"EX_akg_e": None}})])
    # ------------------------------------------------------------ cross_model
    c = "cross_model"
    cmp_case(c, J, "which grows faster on the default medium, iJO1366 or salmonella?",
             [("iJO1366", J, {}), ("salmonella|Salmonella", S, {})])
    cmp_case(c, E, "anaerobic growth: e_coli_core vs iJO1366, give both numbers",
             [("e_coli_core", E, ANA), ("iJO1366", J, ANA)])
    cmp_case(c, J, "glycerol as sole carbon (10 mmol/gDW/h): iJO1366 vs salmonella",
             [("iJO1366", J, {"carbon": {"EX_glyc_e": None}}),
              ("salmonella|Salmonella", S, {"carbon": {"EX_glyc_e": 10.0}})])
    add(c, E, "how many more reactions does iJO1366 have than e_coli_core?", T_INFO,
        [len(M(J).reactions) - len(M(E).reactions)], [], False, (),
        {"count": "reactions iJO1366 - e_coli_core"})
    # ------------------------------------------------------------ model_info
    c = "model_info"
    add(c, E, "how many reactions, metabolites and genes in e_coli_core?", T_INFO,
        [len(M(E).reactions), len(M(E).metabolites), len(M(E).genes)], [], False, (),
        {"count": "reactions, metabolites, genes"})
    add(c, J, "gene count of iJO1366?", T_INFO, [len(M(J).genes)], [], False, (),
        {"count": "genes"})
    add(c, J, "what's the objective reaction of iJO1366?", T_INFO, [], [bio(J)], False, (),
        {"objective_of": J})
    add(c, E, "which genes are associated with the PFK reaction in the core model?", T_INFO, [],
        gene_alts(E, sorted(g.id for g in M(E).reactions.PFK.genes)), False, (),
        {"genes_of": "PFK"})
    add(c, S, "how many compartments does the salmonella reconstruction have, and which?",
        T_INFO, [len(M(S).compartments)], sorted(M(S).compartments), False, (),
        {"count": "compartments"})
    pfk_name = M(E).reactions.get_by_id(rxn_by_name(E, "fumarase")).id
    add(c, E, "what's the BiGG id of fumarase in e_coli_core?", T_INFO + T_LOOK, [], [pfk_name],
        False, (), {"reaction_named": "fumarase"})
    # ------------------------------------------------------------ modelseed_lookup
    c = "modelseed_lookup"
    lookup("ModelSEED id for BiGG glc__D?", ids=[ms_of("cpd", "glc__D", "BiGG")],
           setup={"bigg_to_seed": "glc__D"})
    lookup("translate BiGG 'akg' to a ModelSEED compound", ids=[ms_of("cpd", "akg", "BiGG")],
           setup={"bigg_to_seed": "akg"})
    lookup("KEGG id of cpd00020?", ids=[ext_of("cpd", "cpd00020", "KEGG")],
           setup={"seed_to_kegg": "cpd00020"})
    lookup("what is KEGG C00022 in ModelSEED?", ids=[ms_of("cpd", "C00022", "KEGG")],
           setup={"kegg_to_seed": "C00022"})
    lookup("formula and charge of ModelSEED cpd00002?",
           numbers=[abs(int(compounds()["cpd00002"]["charge"]))],
           ids=[compounds()["cpd00002"]["formula"]], setup={"compound": "cpd00002"})
    lookup("what's the name of cpd00036 in the ModelSEED biochemistry?",
           ids=[compounds()["cpd00036"]["name"]], setup={"compound": "cpd00036"})
    lookup("EC number of ModelSEED reaction rxn00148?",
           ids=[reactions_ms()["rxn00148"]["ec_numbers"].replace(";", "|")],
           setup={"reaction": "rxn00148"})
    lookup("ModelSEED compound id of L-Glutamate", ids=[cpd_by_name("L-Glutamate")],
           setup={"name": "L-Glutamate"})
    lookup("BiGG reaction PGI -> ModelSEED reaction id?", ids=[ms_of("rxn", "PGI", "BiGG")],
           setup={"bigg_to_seed_rxn": "PGI"})
    # ------------------------------------------------------------ modelseed_draft
    c = "modelseed_draft"
    d = M(D)
    draft(c, "load the example ModelSEED E. coli draft and tell me reactions/metabolites/genes",
          numbers=[len(d.reactions), len(d.metabolites), len(d.genes)],
          setup={"count": "reactions, metabolites, genes"})
    draft(c, "can the ModelSEED draft produce biomass (bio1) on its own medium?", no_growth=True,
          setup={"objective": "bio1"})
    draft(c, "what's the objective of the ModelSEED draft model, and its value?",
          ids=[str(list(d.objective.variables)[0].name)], numbers=[opt(D, {})] if opt(D, {}) > 1e-9 else [],
          setup={"objective_of": "draft"})
    draft(c, "which compounds does the draft's default medium allow in?",
          tools=T_DRAFT + T_MED, ids=sorted(d.medium), setup={"medium_of": "draft"})
    draft(c, "set bio1 as the objective of the ModelSEED draft and open every exchange - "
             "growth?", tools=T_DRAFT + T_MED, no_growth=True,
          setup={"objective": "bio1", "open_exchanges": True})
    # ------------------------------------------------------------ doubling_time
    c = "doubling_time"
    dt_case(c, E, "doubling time of e_coli_core in minutes on the default medium?", minutes=True)
    dt_case(c, J, "iJO1366 td (hours) under anaerobic conditions?", ANA)
    dt_case(c, S, "how long does salmonella take to double, per the model, in min?", minutes=True)
    dt_case(c, E, "core model on acetate as sole carbon: doubling time in hours",
            {"carbon": {"EX_ac_e": None}})
    # ------------------------------------------------------------ percent_change
    c = "percent_change"
    pct_case(c, E, "by how many percent does growth drop when zwf is deleted in e_coli_core?",
             {"ko_genes": [cgene("zwf")]})
    pct_case(c, E, "percent change in core model growth going anaerobic", ANA, tools=T_FBA)
    pct_case(c, J, "iJO1366: % reduction of growth when glucose uptake is halved to 5",
             {"uptake": {"EX_glc__D_e": 5.0}}, tools=T_FBA)
    pct_case(c, S, "salmonella ΔPgi vs wild type, relative change in mu (%)",
             {"ko_genes": [sgene("Pgi")]})
    # ------------------------------------------------------------ validation / phenotypes
    c = "validation"
    acc, mc, (tp, fp, fn, tn) = essentiality_scores(J)
    add(c, J, "score iJO1366 against the E. coli gene essentiality data set - accuracy and MCC?",
        T_PHEN, [acc, mc], [], False, (),
        {"phenotypes": "ecoli_essentiality", "tp_fp_fn_tn": [tp, fp, fn, tn]})
    add(c, J, "how many false positive essential genes does iJO1366 predict compared with the "
              "experimental glucose M9 essentiality list?", T_PHEN, [fp], [], False, (),
        {"phenotypes": "ecoli_essentiality", "tp_fp_fn_tn": [tp, fp, fn, tn]})
    acc_e, mc_e, cnt_e = essentiality_scores(E)
    add(c, E, "compare e_coli_core's predicted essential genes with the experimental "
              "essentiality data: MCC?", T_PHEN, [mc_e], [], False, (),
        {"phenotypes": "ecoli_essentiality", "tp_fp_fn_tn": list(cnt_e)})
    m = M(E)
    with m:
        for r in m.exchanges:
            r.lower_bound = 0.0
        m.reactions.ATPM.lower_bound = 0.0
        m.objective = "ATPM"
        v = m.slim_optimize(error_value=0.0)
    add(c, E, "energy-generating cycle check: with all uptakes closed, can e_coli_core still "
              "make ATP (max ATPM)?", T_VAL + ["run_fba", "set_objective"], [v], [], False, (),
        {"close": "all uptakes", "bounds": {"ATPM": [0.0, 1000.0]}, "objective": "ATPM"})
    blocked = cobra.flux_analysis.find_blocked_reactions(M(E))
    add(c, E, "how many blocked reactions does the core model have on its default medium?",
        T_BLOCK, [len(blocked)], sorted(blocked), False, (), {"blocked": "default medium"})
    # ------------------------------------------------------------ multi_step
    c = "multi_step"
    gcase(c, E, "take the core model, put it on fructose only, remove O2 and knock out pfkA - "
                "growth?", {"carbon": {"EX_fru_e": None}, "anaerobic": True,
                             "ko_genes": [cgene("pfkA")]}, T_KO)
    pcase(c, J, "iJO1366, anaerobic, knock out ldhA (b1380), then maximise succinate secretion",
          {"anaerobic": True, "ko_genes": ["b1380"]}, "EX_succ_e")
    gcase(c, E, "e_coli_core: glucose 5, O2 max 10, ATPM fixed 10 - growth?",
          {"uptake": {"EX_glc__D_e": 5.0, "EX_o2_e": 10.0}, "bounds": {"ATPM": (10.0, 10.0)}})
    vcase(c, E, "anaerobic core model on glucose: FVA of EX_ac_e and EX_for_e at 90%", ANA,
          ["EX_ac_e", "EX_for_e"], 0.9)
    e_ko = essential_genes(E, {"ko_genes": [cgene("pgi")]})
    add(c, E, "after deleting pgi from e_coli_core, how many genes are essential?", T_ESSG,
        [len(e_ko)], [], False, (), {"ko_genes": [cgene("pgi")], "essential": "genes"})
    gcase(c, S, "salmonella on glycerol (5 mmol/gDW/h, no glucose) with Pgi knocked out - mu?",
          {"carbon": {"EX_glyc_e": None}, "ko_genes": [sgene("Pgi")]}, T_KO)
    # ------------------------------------------------------------ followup
    c = "followup"
    gcase(c, E, "and if I then also delete ackA?",
          {"ko_genes": [cgene("pta"), cgene("ackA")]}, T_KO,
          turns=["knock out pta in e_coli_core and give me the growth"])
    gcase(c, J, "now without oxygen?", {"carbon": {"EX_glyc_e": None}, "anaerobic": True},
          turns=["iJO1366 on glycerol as sole carbon - growth?"])
    gcase(c, S, "raise the glucose to 10 mmol/gDW/h, please", {"uptake": {"EX_glc__D_e": 10.0}},
          turns=["What's the default growth of the salmonella model?"])
    vcase(c, E, "and what's its range at 90% of optimal growth?", {}, ["EX_ac_e"], 0.9,
          turns=["what's the acetate secretion of e_coli_core at max growth?"])
    dt_case(c, E, "what doubling time does that correspond to (minutes)?", ANA, minutes=True,
            turns=["anaerobic growth of e_coli_core?"])
    CASES[-1]["tools_any"] = []
    gcase(c, E, "ok, put glucose back to default and just cap O2 at 5",
          {"uptake": {"EX_o2_e": 5.0}},
          turns=["e_coli_core with glucose at 2 mmol/gDW/h - growth?"])
    pcase(c, J, "same, but maximise acetate instead of growth", {"ko_genes": ["b1380"]},
          "EX_ac_e", turns=["knock out b1380 in iJO1366, growth?"])
    add(c, E, "and how many of those are exchange reactions?", [],
        [len([r for r in er if r.startswith("EX_")])], [], False,
        ["list the essential reactions of e_coli_core"],
        {"essential": "reactions", "only": "exchanges"})
    # ------------------------------------------------------------ unresolved
    for model, q in [
        (E, "growth of e_coli_core at 25 degrees instead of 37?"),
        (J, "iJO1366 growth in LB with 50 µg/mL kanamycin"),
        (S, "salmonella growth rate at pH 4 in the stomach"),
        (E, "core model fed 4 g/L glucose, what's the final biomass in g/L after 10 h?"),
        (J, "iJO1366 growth under 5 % CO2 atmosphere and 2 bar pressure"),
        (E, "grow the core model on unobtainium as sole carbon source"),
        (S, "how fast does salmonella grow on moon dust?"),
        (E, "knock out gene qwerty42 in e_coli_core - growth?"),
        (J, "what's the transcription level of lacZ in iJO1366 on lactose?"),
        (E, "predict the mutation rate of e_coli_core under UV"),
        (J, "simulate a fed-batch of iJO1366 for 48 h with an exponential feed"),
        (S, "salmonella intracellular growth in HeLa cells?"),
        (E, "give e_coli_core 3 mM glucose - growth rate?"),
        (J, "iJO1366 growth with 1 mM IPTG induction of a GFP plasmid"),
        (E, "growth of the core model in microgravity on the ISS"),
        (J, "what Vmax does iJO1366 predict for hexokinase?"),
        (S, "salmonella biofilm thickness after 3 days"),
        (E, "what is the protein cost of the glycolytic enzymes in e_coli_core in mg?"),
        (J, "growth of iJO1366 at an ionic strength of 0.3 M"),
        (E, "core model growth with 5 % (v/v) butanol toxicity"),
        (S, "salmonella virulence score when ssrB is deleted"),
        (E, "how long until e_coli_core runs out of glucose in a 1 L flask?"),
        (J, "iJO1366 on sugar"),
        (E, "e_coli_core under blue light illumination, growth?"),
        (S, "salmonella growth with 2 % bile and 37 °C, 10 h lag"),
        (J, "knock out gene b9999 in iJO1366 and give me the growth"),
        (E, "maximise production of zorbitol in the core model"),
        (J, "growth of iJO1366 with 0.5 g/L yeast extract added"),
        (E, "what's the Km of PFK in e_coli_core?"),
        (S, "phage P22 burst size in the salmonella model?"),
    ]:
        unresolved(model, q)


# --------------------------------------------------------------------------- output
ORDER = ["id", "category", "query", "model", "model_file", "tools_any", "numbers", "ids",
         "no_growth", "turns", "expect_unresolved", "setup"]


def write(cases):
    for i, case in enumerate(cases, 1):
        case["id"] = f"H4_{i:03d}"
    out = [{k: _plain(case[k]) for k in ORDER if k in case} for case in cases]
    head = ("# fluxagent understanding corpus, fourth blind holdout (all cases held out).\n"
            "# GENERATED by .venv/bin/python eval/understanding/references4.py -- do not edit\n"
            "# by hand.\n"
            "# Format: eval/dev_queries.yaml (extra fields: category, model_file,\n"
            "# expect_unresolved, setup = how the reference was computed, for review only).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
    text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                 default_flow_style=None)
    (HERE / "holdout4.yaml").write_text(text)


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
