#!/usr/bin/env python
"""Reference answers for the seventh blind held-out corpus (``holdout7.yaml``).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references7.py

It writes ``eval/understanding/holdout7.yaml``; stdout stays empty, a summary goes to stderr.
Two runs give byte-identical files.

What was read: ``eval/understanding/README.md``, lines 1-601 (the helpers) and the writer at the
end of ``references6.py`` (copied here unchanged or adapted), ``src/fluxagent/evaluation/``
(loader and scoring), the tool names in ``README.md`` / ``docs/tools.md`` / ``fluxagent tools
list``, and the model files. What was NOT read: anything under ``src/fluxagent/llm/`` or
``tests/llm/``, any question file (``eval/understanding/*.yaml``, ``eval/dev_queries.yaml``,
paraphrase files, ``/work/shared/eval``), ``RESULTS.md`` or the questions of any
``references*.py``; the agent was not run on these questions.

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
    if abs(x) < 1e-9 or not math.isfinite(x):
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
    if "medium" in spec:
        m.medium = dict(spec["medium"])
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
    hits = [g.id for g in M(S).genes if g.name.lower() == name.lower()]
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




def cmp_min(cat, model, query, options, tools=T_CMP, turns=()):
    """Like cmp_case, but the winner is the smallest growth ("which hurts most")."""
    vals = [growth(mo, sp) for _, mo, sp in options]
    low = min(vals)
    win = [lab for (lab, _, _), v in zip(options, vals, strict=True) if abs(v - low) <= 1e-9]
    add(cat, model, query, tools, vals, ["|".join(win)], False, turns,
        {"compare": {lab: {"model": mo, **sp} for lab, mo, sp in options}, "winner": "min"})


def ess_count(cat, model, query, spec=None, with_ids=False, tools=T_ESSG, turns=()):
    genes = essential_genes(model, spec)
    add(cat, model, query, tools, [len(genes)], gene_alts(model, genes) if with_ids else [],
        False, turns, {**(spec or {}), "essential_genes": "knockout growth < 1% of wild type"})


def essr_count(cat, model, query, spec=None, with_ids=False, exclude_boundary=False,
               tools=T_ESSR, turns=()):
    rx = essential_reactions(model, spec)
    if exclude_boundary:
        rx = [r for r in rx if not r.startswith("EX_") and r != bio(model)]
    add(cat, model, query, tools, [len(rx)], rx if with_ids else [], False, turns,
        {**(spec or {}), "essential_reactions": "knockout growth < 1% of wild type",
         "exclude_exchanges_and_biomass": exclude_boundary})


def sl_pair(cat, model, query, genes, spec=None, tools=T_SL, turns=()):
    both, lethal = double_ko(model, genes, spec)
    singles = [growth(model, {**(spec or {}), "ko_genes": [g]}) for g in genes]
    setup = {**(spec or {}), "ko_genes": list(genes), "double_ko": True}
    if both < 1e-6:
        add(cat, model, query, tools, [], [], True, turns, setup)
    else:
        add(cat, model, query, tools, [both, *singles], [], False, turns, setup)
    return lethal


def biomass_yield(cat, model, query, spec=None, tools=T_YIELD, turns=()):
    spec = dict(spec or {})
    g = growth(model, spec)
    lo, hi = fva(model, spec, ["EX_glc__D_e"], 1.0)["EX_glc__D_e"]
    assert abs(hi - lo) < 1e-6
    y = g / (-lo * fw(model, "glc__D_e") / 1000.0)
    add(cat, model, query, tools, [y], [], False, turns,
        {**spec, "biomass_yield": "growth / (glucose uptake x M(glc__D_e)/1000), gDW/g"})


def atp_yield(cat, model, query, spec=None, tools=T_YIELD, turns=()):
    spec = {**(spec or {}), "objective": "ATPM"}
    v = opt(model, spec)
    lo, hi = fva(model, spec, ["EX_glc__D_e"], 1.0)["EX_glc__D_e"]
    assert abs(hi - lo) < 1e-6
    add(cat, model, query, tools, [v / -lo], [], False, turns,
        {**spec, "atp_yield": "max ATPM / glucose uptake, mol ATP / mol glucose"})


# --------------------------------------------------------------------------- the questions
GLC, O2, NH4, PI, SO4 = "EX_glc__D_e", "EX_o2_e", "EX_nh4_e", "EX_pi_e", "EX_so4_e"
AN = {"anaerobic": True}


def multi(cat, model, query, numbers, tools, setup, ids=(), turns=()):
    add(cat, model, query, tools, numbers, ids, False, turns, setup)


def build_cases():
    # ------------------------------------------------------------------ growth_default
    gcase("growth_default", E, "e_coli_core, default medium: growth rate?")
    gcase("growth_default", J, "Hi! I just loaded iJO1366 and didn't touch anything. How fast "
          "does it grow according to FBA?")
    gcase("growth_default", S, "What specific growth rate (h^-1) does the salmonella model "
          "predict on the medium it ships with?")
    gcase("growth_default", E, "Without changing anything in the textbook E. coli core model, "
          "what does model.slim_optimize() return for biomass?")
    gcase("growth_default", S, "salmonela growht rate on its standard medium?")

    # ------------------------------------------------------------------ carbon_source
    gcase("carbon_source", E, "Growth of e_coli_core with fructose as the only carbon source?",
          {"carbon": {"EX_fru_e": None}}, T_CS + T_FBA)
    gcase("carbon_source", E, "Replace glucose by 2-oxoglutarate (akg) in the core model. "
          "Does it still grow, and how fast?", {"carbon": {"EX_akg_e": None}}, T_CS + T_FBA)
    gcase("carbon_source", J, "iJO1366 on glycerol instead of glucose -- what's mu?",
          {"carbon": {"EX_glyc_e": None}}, T_CS + T_FBA)
    gcase("carbon_source", J, "If D-xylose is the sole carbon source for iJO1366, what growth "
          "rate do you get?", {"carbon": {"EX_xyl__D_e": None}}, T_CS + T_FBA)
    gcase("carbon_source", J, "Switch iJO1366 to acetate as its only carbon and energy source "
          "and report the growth rate in 1/h.", {"carbon": {"EX_ac_e": None}}, T_CS + T_FBA)
    gcase("carbon_source", S, "Salmonella growing on galactose (no glucose) -- biomass flux?",
          {"carbon": {"EX_gal_e": None}}, T_CS + T_FBA)
    gcase("carbon_source", S, "For the Salmonella model, swap the carbon source from glucose "
          "to glycerol. Growth?", {"carbon": {"EX_glyc_e": None}}, T_CS + T_FBA)

    # ------------------------------------------------------------------ cofeed
    gcase("cofeed", J, "In iJO1366, keep the default glucose and additionally allow acetate "
          "uptake of up to 3 mmol/gDW/h. What is the growth rate?",
          {"uptake": {"EX_ac_e": 3}}, T_FBA + T_CS)
    gcase("cofeed", S, "salmonella: default glucose + glycerol at 2 mmol/gDW/h, how fast does "
          "it grow?", {"uptake": {"EX_glyc_e": 2}}, T_FBA + T_CS)
    gcase("cofeed", E, "Give e_coli_core six mmol/gDW/h of glucose and four of succinate. "
          "What growth does FBA predict?", {"carbon": {GLC: 6, "EX_succ_e": 4}}, T_FBA + T_CS)
    gcase("cofeed", J, "No glucose for iJO1366; instead xylose 4 and L-arabinose 4 (both "
          "mmol/gDW/h). Growth?", {"carbon": {"EX_xyl__D_e": 4, "EX_arab__L_e": 4}},
          T_FBA + T_CS)
    gcase("cofeed", S, "What if Salmonella gets succinate at 3 mmol/gDW/h on top of its "
          "normal glucose? Report mu.", {"uptake": {"EX_succ_e": 3}}, T_FBA + T_CS)

    # ------------------------------------------------------------------ uptake_cap
    gcase("uptake_cap", E, "Cap glucose uptake in e_coli_core at 6 mmol/gDW/h. Growth rate?",
          {"uptake": {GLC: 6}})
    gcase("uptake_cap", J, "iJO1366 with glucose uptake limited to four and a half "
          "mmol/gDW/h -- what's the growth?", {"uptake": {GLC: 4.5}})
    gcase("uptake_cap", S, "Restrict Salmonella's glucose uptake to 2, no wait, 3 mmol per gDW "
          "per hour; how fast can it grow then?", {"uptake": {GLC: 3}})
    gcase("uptake_cap", E, "what happens to the core model's growth if I let it take up 20 "
          "mmol/gDW/h glucose instead of 10?", {"uptake": {GLC: 20}})
    gcase("uptake_cap", J, "Raise the glucose uptake limit of iJO1366 to 15 mmol/gDW/h and "
          "re-run FBA. Growth rate?", {"uptake": {GLC: 15}})
    gcase("uptake_cap", S, "Salmonella: double the default glucose uptake (so 10 "
          "mmol/gDW/h). Growth?", {"uptake": {GLC: 10}})
    gcase("uptake_cap", E, "In e_coli_core, limit ammonium uptake to 2 mmol/gDW/h (glucose "
          "as default). Whats the growth rate?", {"uptake": {NH4: 2}})

    # ------------------------------------------------------------------ oxygen
    gcase("oxygen", E, "Anaerobic growth of e_coli_core?", AN)
    gcase("oxygen", J, "Turn off oxygen for iJO1366 (no O2 uptake at all). What is the "
          "growth rate now?", AN)
    gcase("oxygen", S, "How fast does salmonella grow without oxygen?", AN)
    gcase("oxygen", E, "Core model under oxygen limitation: O2 uptake max 5 mmol/gDW/h. "
          "Growth?", {"uptake": {O2: 5}})
    gcase("oxygen", J, "microaerobic iJO1366, i.e. oxygen capped at 8 mmol/gDW/h -- mu?",
          {"uptake": {O2: 8}})

    # ------------------------------------------------------------------ nutrient_source
    gcase("nutrient_source", J, "Make L-glutamine the sole nitrogen source of iJO1366 (uptake "
          "5 mmol/gDW/h, no ammonium). Growth rate?",
          {"close": [NH4], "uptake": {"EX_gln__L_e": 5}}, T_FBA)
    gcase("nutrient_source", E, "e_coli_core: remove ammonium and give glutamine at 3 "
          "mmol/gDW/h as the only N source. How fast does it grow?",
          {"close": [NH4], "uptake": {"EX_gln__L_e": 3}}, T_FBA)
    gcase("nutrient_source", J, "Phosphate-free medium for iJO1366, but with sn-glycerol "
          "3-phosphate (glyc3p) at 2 mmol/gDW/h as phosphorus source. Growth?",
          {"close": [PI], "uptake": {"EX_glyc3p_e": 2}}, T_FBA)
    gcase("nutrient_source", J, "Sulfur source swap in iJO1366: no sulfate, taurine at 1 "
          "mmol/gDW/h instead. What's the growth rate?",
          {"close": [SO4], "uptake": {"EX_taur_e": 1}}, T_FBA)
    gcase("nutrient_source", S, "Can Salmonella grow with thiosulfate (2 mmol/gDW/h) as its "
          "only sulfur source? Give the rate.", {"close": [SO4], "uptake": {"EX_tsul_e": 2}},
          T_FBA)
    gcase("nutrient_source", S, "salmonella, nitrogen from L-asparagine only (4 mmol/gDW/h, "
          "ammonium closed) - growth?", {"close": [NH4], "uptake": {"EX_asn__L_e": 4}}, T_FBA)
    gcase("nutrient_source", J, "iJO1366 with putrescine as the sole N source at 2 "
          "mmol/gDW/h (ammonium uptake off). Growth rate?",
          {"close": [NH4], "uptake": {"EX_ptrc_e": 2}}, T_FBA)

    # ------------------------------------------------------------------ medium
    count_case("medium", J, "How many uptakes are open in the default medium of iJO1366?",
               len(M(J).medium), T_MED, setup={"count": "len(model.medium)"})
    add("medium", S, "What's the oxygen uptake limit in Salmonella's default medium, and the "
        "glucose one?", T_MED, [M(S).medium[O2], M(S).medium[GLC]], [], False, (),
        {"medium_of": [O2, GLC]})
    core_min = {GLC: 8, NH4: 10, PI: 5, O2: 15, "EX_h2o_e": 1000, "EX_h_e": 1000,
                "EX_co2_e": 1000}
    gcase("medium", E, "Set the core model's medium to exactly: glucose 8, ammonium 10, "
          "phosphate 5, oxygen 15, and water, protons, CO2 at 1000 (all mmol/gDW/h). Growth?",
          {"medium": core_min}, T_MED)
    gcase("medium", J, "Drop cobalamin (EX_cbl1_e) from the iJO1366 medium -- does growth "
          "change? give the value", {"close": ["EX_cbl1_e"]}, T_MED)
    gcase("medium", S, "remove both iron sources (Fe2+ and Fe3+) from the salmonella medium, "
          "then growth rate?", {"close": ["EX_fe2_e", "EX_fe3_e"]}, T_MED)

    # ------------------------------------------------------------------ gene_knockout
    gcase("gene_knockout", E, "Knock out pgi in e_coli_core. Growth?",
          {"ko_genes": [cgene("pgi")]}, T_KO)
    gcase("gene_knockout", E, "What's the growth rate of the core model after deleting "
          "b0720 (citrate synthase gene)?", {"ko_genes": ["b0720"]}, T_KO)
    gcase("gene_knockout", J, "iJO1366 delta-b4025: growth rate?", {"ko_genes": ["b4025"]},
          T_KO)
    gcase("gene_knockout", J, "Knock out b2778 - sorry, I mean b2779 - in iJO1366 and tell me "
          "what happens to growth.",
          {"ko_genes": ["b2779"]}, T_KO)
    gcase("gene_knockout", S, "Salmonella zwf mutant (STM1886): how fast does it grow?",
          {"ko_genes": ["STM1886"]}, T_KO)
    gcase("gene_knockout", S, "In salmonella delete the gene TpiA, then run FBA. mu?",
          {"ko_genes": [sgene("TpiA")]}, T_KO)
    gcase("gene_knockout", J, "iJO1366: knock out b3916 and b1723 (the two "
          "phosphofructokinase genes). Growth?", {"ko_genes": ["b3916", "b1723"]}, T_KO)

    # ------------------------------------------------------------------ reaction_knockout
    gcase("reaction_knockout", E, "Don't delete any genes, just block the PFK reaction in "
          "e_coli_core. growth?",
          {"ko_rxns": ["PFK"]}, T_KO)
    gcase("reaction_knockout", E, "What if triose-phosphate isomerase (TPI) carries no flux "
          "in the core model? Growth rate please.", {"ko_rxns": ["TPI"]}, T_KO)
    gcase("reaction_knockout", J, "Set the bounds of PGI in iJO1366 to zero (reaction "
          "knockout) -- growth?", {"ko_rxns": ["PGI"]}, T_KO)
    gcase("reaction_knockout", J, "iJO1366 without ATP synthase (ATPS4rpp knocked out): how "
          "fast does it grow?", {"ko_rxns": ["ATPS4rpp"]}, T_KO)
    gcase("reaction_knockout", S, "Disable citrate synthase (reaction CS) in salmonella. "
          "Growth rate?", {"ko_rxns": ["CS"]}, T_KO)
    gcase("reaction_knockout", E, "Knock out both FUM and MDH reactions in e_coli_core; what "
          "is the growth rate?", {"ko_rxns": ["FUM", "MDH"]}, T_KO)
    gcase("reaction_knockout", S, "salmonella, pyruvate dehydrogenase reaction (PDH) off. mu?",
          {"ko_rxns": ["PDH"]}, T_KO)

    # ------------------------------------------------------------------ bounds_atpm
    T_B = ["set_bounds", "run_fba"]
    gcase("bounds_atpm", E, "Fix ATPM at 15 mmol/gDW/h in e_coli_core. Growth rate?",
          {"bounds": {"ATPM": (15, 15)}}, T_B)
    gcase("bounds_atpm", E, "Set the ATP maintenance lower bound to zero in the core model "
          "(upper bound unchanged) and re-optimize: growth?",
          {"bounds": {"ATPM": (0, M(E).reactions.ATPM.upper_bound)}}, T_B)
    gcase("bounds_atpm", J, "iJO1366 with non-growth ATP maintenance fixed to 10 (lb = ub = "
          "10). Growth rate?", {"bounds": {"ATPM": (10, 10)}}, T_B)
    gcase("bounds_atpm", S, "Salmonella has ATPM fixed at 8.39. Change it to 5 (both bounds). "
          "What's the growth now?", {"bounds": {"ATPM": (5, 5)}}, T_B)
    gcase("bounds_atpm", J, "Constrain PGI in iJO1366 to between -5 and 5 mmol/gDW/h. "
          "Growth?", {"bounds": {"PGI": (-5, 5)}}, T_B)

    # ------------------------------------------------------------------ growth_floor
    pcase("growth_floor", E, "Maximum acetate secretion of e_coli_core while keeping growth "
          "at least 0.3 1/h?", {"floor": 0.3}, "EX_ac_e")
    pcase("growth_floor", E, "Anaerobic core model: max ethanol production while growing at "
          "50 % of the maximal (anaerobic) growth rate.", {**AN, "fraction": 0.5}, "EX_etoh_e")
    pcase("growth_floor", J, "For iJO1366 without oxygen, how much succinate can be excreted "
          "if growth must stay at 90% of its optimum?", {**AN, "fraction": 0.9}, "EX_succ_e")
    pcase("growth_floor", S, "Salmonella: biomass >= 0.2 h-1, maximize acetate export. "
          "Value?", {"floor": 0.2}, "EX_ac_e")
    pcase("growth_floor", J, "anaerobic iJO1366, D-lactate max secretion with a growth floor "
          "of thirty percent of optimal growth?", {**AN, "fraction": 0.3}, "EX_lac__D_e")

    # ------------------------------------------------------------------ objective_change
    pcase("objective_change", E, "Change the objective of e_coli_core to ATPM and maximize. "
          "Optimal value?", {}, "ATPM", [*T_PROD, "set_objective"])
    pcase("objective_change", J, "Set the objective to formate secretion (EX_for_e) in iJO1366 "
          "under anaerobic conditions; what's the max?", AN, "EX_for_e", T_PROD)
    pcase("objective_change", S, "In salmonella open ATPM's upper bound to 1000 and make ATPM "
          "the objective. Max ATP maintenance flux?",
          {"bounds": {"ATPM": (8.39, 1000)}}, "ATPM", T_PROD)
    pcase("objective_change", E, "Maximise flux through citrate synthase (CS) instead of "
          "biomass in the core model. What's the value?", {}, "CS", T_PROD)
    pcase("objective_change", J, "iJO1366: objective = ATPM. optimal flux?", {}, "ATPM",
          T_PROD)
    pcase("objective_change", E, "Use the malic enzyme ME1 as objective in e_coli_core "
          "(maximize) -- what flux can it reach?", {}, "ME1", T_PROD)

    # ------------------------------------------------------------------ max_production
    pcase("max_production", E, "What's the max succinate production of e_coli_core "
          "anaerobically?", AN, "EX_succ_e")
    pcase("max_production", E, "Max ethanol secretion rate for the core model with no O2?",
          AN, "EX_etoh_e")
    pcase("max_production", J, "Maximum L-lysine production (as a demand on lys__L_c) in "
          "iJO1366 on the default medium?", {}, "DM:lys__L_c")
    pcase("max_production", S, "Salmonella: how much L-alanine (cytosolic, ala__L_c) can be "
          "made at most? Add a demand reaction and maximize it.", {}, "DM:ala__L_c")
    pcase("max_production", J, "highest acetate excretion rate iJO1366 can achieve? don't put "
          "any constraint on growth.", {}, "EX_ac_e")

    # ------------------------------------------------------------------ yield
    ycase("yield", E, "Theoretical ethanol yield on glucose for anaerobic e_coli_core, in "
          "mol/mol?", AN, "EX_etoh_e", GLC, "mol")
    ycase("yield", E, "Maximum succinate yield from glucose in the core model without oxygen, "
          "in g/g.", AN, "EX_succ_e", GLC, "g")
    ycase("yield", J, "iJO1366 acetate yield on glucose (mol acetate per mol glucose) at "
          "maximal acetate production?", {}, "EX_ac_e", GLC, "mol")
    ycase("yield", J, "What's the max D-lactate yield (g per g glucose) of iJO1366 under "
          "anaerobic conditions?", AN, "EX_lac__D_e", GLC, "g")
    biomass_yield("yield", E, "Biomass yield of e_coli_core on glucose, in gDW per gram "
                  "glucose, at optimal growth?")
    biomass_yield("yield", J, "iJO1366: how many grams of biomass per gram of glucose at max "
                  "growth (default medium)?")
    atp_yield("yield", E, "ATP yield per glucose in the core model -- i.e. max ATPM divided "
              "by glucose uptake, mol/mol.")

    # ------------------------------------------------------------------ fva
    vcase("fva", E, "Run FVA on PGI and G6PDH2r in e_coli_core at 90% of optimal growth.",
          {}, ["PGI", "G6PDH2r"], 0.9)
    vcase("fva", E, "What's the range of acetate secretion (EX_ac_e) in the core model if "
          "growth has to be >= 95 % of max?", {}, ["EX_ac_e"], 0.95)
    vcase("fva", J, "flux variability of EX_o2_e in iJO1366, fraction_of_optimum=0.99",
          {}, ["EX_o2_e"], 0.99)
    vcase("fva", S, "FVA for glucose and oxygen exchange in salmonella at 80 % optimum -- "
          "min and max of each?", {}, [GLC, O2], 0.8)
    vcase("fva", E, "Anaerobic core: min/max ethanol and formate export at 80% of the "
          "optimal growth.", AN, ["EX_etoh_e", "EX_for_e"], 0.8)
    vcase("fva", E, "How variable are ME1 and ME2 in e_coli_core when growth only needs to "
          "be half of the optimum?", {}, ["ME1", "ME2"], 0.5)
    vcase("fva", J, "iJO1366, pgi deleted (b4025): flux range of G6PDH2r at 95% of the "
          "mutant's optimum?", {"ko_genes": ["b4025"]}, ["G6PDH2r"], 0.95)

    # ------------------------------------------------------------------ reaction_flux
    fcase("reaction_flux", E, "In the optimal FBA solution of e_coli_core, what are the "
          "fluxes through PGI and PFK?", {}, ["PGI", "PFK"])
    fcase("reaction_flux", E, "Anaerobic e_coli_core: ethanol and formate secretion fluxes "
          "at optimum?", AN, ["EX_etoh_e", "EX_for_e"])
    fcase("reaction_flux", S, "How much oxygen does salmonella consume at its optimal growth "
          "on the default medium?", {}, [O2])
    fcase("reaction_flux", J, "iJO1366 without oxygen: acetate exchange flux at optimal "
          "growth?", AN, ["EX_ac_e"])
    fcase("reaction_flux", E, "Flux through citrate synthase and the TCA's AKGDH in the core "
          "model's optimal solution?", {}, ["CS", "AKGDH"])
    fcase("reaction_flux", J, "iJO1366 default medium: oxygen uptake at optimal growth?", {},
          [O2])
    fcase("reaction_flux", J, "What flux does iJO1366 put through PGI at max growth?", {},
          ["PGI"])
    fcase("reaction_flux", E, "With glucose capped at 5 in e_coli_core, what's the oxygen "
          "uptake at optimum?", {"uptake": {GLC: 5}}, [O2])

    # ------------------------------------------------------------------ essential_genes
    ess_count("essential_genes", E, "How many essential genes does e_coli_core have on the "
              "default glucose medium?")
    ess_count("essential_genes", E, "List the genes of the core model that are essential "
              "under anaerobic conditions.", AN, with_ids=True)
    ess_count("essential_genes", J, "Number of essential genes in iJO1366 (default medium)?")
    ess_count("essential_genes", E, "Which core-model genes become essential on acetate as "
              "sole carbon source? give the count and the genes",
              {"carbon": {"EX_ac_e": None}}, with_ids=True)
    ess_count("essential_genes", S, "gene essentiality screen for Salmonella on its default "
              "medium -- how many are essential?")

    # ------------------------------------------------------------------ essential_reactions
    essr_count("essential_reactions", E, "How many reactions of e_coli_core are essential "
               "(count exchanges and the biomass reaction too)?")
    essr_count("essential_reactions", E, "Which internal reactions are essential in the core "
               "model? Exclude exchange reactions and biomass.", with_ids=True,
               exclude_boundary=True)
    essr_count("essential_reactions", E, "Anaerobic e_coli_core: number of essential "
               "reactions, exchanges and biomass included?", AN)
    essr_count("essential_reactions", E, "On succinate as sole carbon, how many non-exchange, "
               "non-biomass reactions are essential in e_coli_core?",
               {"carbon": {"EX_succ_e": None}}, exclude_boundary=True)
    essr_count("essential_reactions", E, "essential reactions of the core model with acetate "
               "as carbon source - list them, leave out exchanges/biomass",
               {"carbon": {"EX_ac_e": None}}, with_ids=True, exclude_boundary=True)

    # ------------------------------------------------------------------ synthetic_lethal
    sl_pair("synthetic_lethal", E, "Are pgi and zwf a synthetic lethal pair in e_coli_core?",
            [cgene("pgi"), cgene("zwf")])
    for name, q in [("pykF", "Which genes are synthetic lethal with pykF in the core model?"),
                    ("zwf", "list every synthetic-lethal partner of zwf in e_coli_core")]:
        gid = cgene(name)
        partners = sorted({b if a == gid else a for a, b in core_sl_pairs() if gid in (a, b)})
        if partners:
            add("synthetic_lethal", E, q, T_SL, [len(partners)], gene_alts(E, partners), False,
                (), {"sl_partners_of": gid, "screen": "all e_coli_core gene pairs"})
        else:
            SKIPPED.append(f"{name} has no synthetic lethal partner in e_coli_core: {q}")
    count_case("synthetic_lethal", E, "How many synthetic lethal gene pairs are there in "
               "e_coli_core on glucose (pairs of non-essential genes)?", len(core_sl_pairs()),
               T_SL, setup={"screen": "all pairs of non-essential genes, < 1% of wild type"})
    count_case("synthetic_lethal", E, "Count the synthetic lethal reaction pairs in the core "
               "model (default medium).", len(core_sl_rxn_pairs()), T_SL,
               setup={"screen": "all pairs of non-essential reactions, < 1% of wild type"})
    sl_pair("synthetic_lethal", J, "iJO1366: is the double knockout b4025 + b1852 lethal?",
            ["b4025", "b1852"])
    sl_pair("synthetic_lethal", S, "Salmonella Pgi + Zwf double deletion -- synthetic lethal "
            "or not?", [sgene("Pgi"), sgene("Zwf")])

    # ------------------------------------------------------------------ comparison
    cmp_case("comparison", E, "Which carbon source gives the fastest growth in e_coli_core: "
             "glucose, fructose, succinate or acetate? (each as the sole source)",
             [("glucose", E, {}), ("fructose", E, {"carbon": {"EX_fru_e": None}}),
              ("succinate", E, {"carbon": {"EX_succ_e": None}}),
              ("acetate", E, {"carbon": {"EX_ac_e": None}})], T_CMP + T_CS)
    cmp_case("comparison", J, "iJO1366 on glycerol vs xylose vs galactose, which is best for "
             "growth?", [("glycerol", J, {"carbon": {"EX_glyc_e": None}}),
                         ("xylose", J, {"carbon": {"EX_xyl__D_e": None}}),
                         ("galactose", J, {"carbon": {"EX_gal_e": None}})], T_CMP + T_CS)
    cmp_min("comparison", S, "In Salmonella which single knockout hurts growth most: Pgi, Zwf "
            "or Gnd?", [("Pgi", S, {"ko_genes": ["STM4221"]}),
                        ("Zwf", S, {"ko_genes": ["STM1886"]}),
                        ("Gnd", S, {"ko_genes": [sgene("Gnd")]})])
    cmp_case("comparison", E, "Compare core-model growth at O2 uptake limits of 2, 5 and 10 "
             "mmol/gDW/h; which is highest?",
             [("2", E, {"uptake": {O2: 2}}), ("5", E, {"uptake": {O2: 5}}),
              ("10", E, {"uptake": {O2: 10}})])
    cmp_case("comparison", J, "iJO1366 aerobic vs anaerobic growth, side by side please",
             [("aerobic", J, {}), ("anaerobic", J, AN)])
    cmp_min("comparison", E, "e_coli_core: which deletion is worst for growth -- pgi, zwf or "
            "pfkA?", [("pgi", E, {"ko_genes": [cgene("pgi")]}),
                      ("zwf", E, {"ko_genes": [cgene("zwf")]}),
                      ("pfkA", E, {"ko_genes": [cgene("pfkA")]})])

    # ------------------------------------------------------------------ cross_model
    cmp_case("cross_model", E, "Default-medium growth: e_coli_core vs iJO1366. Which one "
             "predicts faster growth?", [("e_coli_core", E, {}), ("iJO1366", J, {})], T_XM)
    cmp_case("cross_model", J, "Without oxygen, which grows faster, iJO1366 or the salmonella "
             "model?", [("iJO1366", J, AN), ("salmonella", S, AN)], T_XM)
    cmp_case("cross_model", E, "Growth on each model's default medium for e_coli_core, "
             "iJO1366 and salmonella -- rank them", [("e_coli_core", E, {}),
                                                      ("iJO1366", J, {}),
                                                      ("salmonella", S, {})], T_XM)
    cmp_case("cross_model", E, "acetate as the only carbon source: core model or iJO1366, "
             "who grows better?", [("e_coli_core", E, {"carbon": {"EX_ac_e": None}}),
                                   ("iJO1366", J, {"carbon": {"EX_ac_e": None}})], T_XM)

    # ------------------------------------------------------------------ doubling_time
    dt_case("doubling_time", E, "Doubling time of e_coli_core on the default medium, in "
            "minutes?", {}, minutes=True)
    dt_case("doubling_time", J, "How many hours does iJO1366 need to double under anaerobic "
            "conditions?", AN)
    dt_case("doubling_time", S, "salmonella doubling time (h), default conditions", {})
    dt_case("doubling_time", E, "If I knock out pgi in the core model, what's the doubling "
            "time in min?", {"ko_genes": [cgene("pgi")]}, minutes=True, tools=T_KO + T_FBA)

    # ------------------------------------------------------------------ percent_change
    pct_case("percent_change", E, "By what percentage does growth of e_coli_core drop when "
             "zwf is deleted?", {"ko_genes": [cgene("zwf")]})
    pct_case("percent_change", J, "Percent change of iJO1366 growth when glucose uptake goes "
             "from 10 down to 5 mmol/gDW/h?", {"uptake": {GLC: 5}}, tools=T_FBA)
    pct_case("percent_change", S, "How much (in %) does Salmonella's growth rate change if "
             "oxygen is removed?", AN, tools=T_FBA)
    pct_case("percent_change", E, "core model, ATPM fixed at 20 instead of default -- % change "
             "in growth?", {"bounds": {"ATPM": (20, 20)}}, tools=[*T_FBA, "set_bounds"])

    # ------------------------------------------------------------------ multi_step
    a = growth(E)
    b = growth(E, {"ko_genes": [cgene("pgi")]})
    c = growth(E, {"ko_genes": [cgene("pgi")], "uptake": {GLC: 5}})
    multi("multi_step", E, "Three things for e_coli_core: (1) wild-type growth, (2) growth "
          "after knocking out pgi, (3) that pgi mutant with glucose capped at 5 mmol/gDW/h.",
          [a, b, c], T_KO + T_FBA,
          {"steps": [{}, {"ko_genes": ["b4025"]}, {"ko_genes": ["b4025"], "uptake": {GLC: 5}}]})
    g1 = growth(J, {"carbon": {"EX_glyc_e": None}})
    multi("multi_step", J, "iJO1366 on glycerol as sole carbon: give the growth rate and the "
          "doubling time in hours.", [g1, LN2 / g1], T_FBA + T_CS,
          {"carbon": {"EX_glyc_e": None}, "doubling_time": "hours"})
    s1 = growth(S, {"uptake": {GLC: 3}})
    s2 = growth(S, {"uptake": {GLC: 3, O2: 5}})
    multi("multi_step", S, "First cap salmonella's glucose at 3 mmol/gDW/h and get the growth; "
          "then, keeping that cap, limit oxygen to 5 mmol/gDW/h and get growth again.",
          [s1, s2], T_FBA, {"steps": [{"uptake": {GLC: 3}}, {"uptake": {GLC: 3, O2: 5}}]})
    e1 = growth(E, AN)
    e2 = opt(E, {**AN, "objective": "EX_etoh_e"})
    multi("multi_step", E, "For the anaerobic core model I need the growth rate and then the "
          "maximum ethanol secretion (biomass unconstrained).", [e1, e2], T_FBA + T_PROD,
          {"steps": [AN, {**AN, "objective": "EX_etoh_e"}]})
    j1 = growth(J, {"ko_genes": ["b1852"]})
    j2 = growth(J, {"ko_genes": ["b1852", "b2029"]})
    multi("multi_step", J, "iJO1366: delete b1852, report growth; then additionally delete "
          "b2029 and report growth again.", [j1, j2], T_KO,
          {"steps": [{"ko_genes": ["b1852"]}, {"ko_genes": ["b1852", "b2029"]}]})
    f1 = opt(E, {"objective": "ATPM"})
    f2 = opt(E, {"objective": "ATPM", **AN})
    multi("multi_step", E, "max ATPM of e_coli_core aerobically, then the same anaerobically.",
          [f1, f2], T_PROD, {"steps": [{"objective": "ATPM"}, {"objective": "ATPM", **AN}]})

    # ------------------------------------------------------------------ model_info
    count_case("model_info", E, "How many reactions are in e_coli_core?", len(M(E).reactions),
               T_INFO, setup={"count": "reactions"})
    count_case("model_info", J, "gene count of iJO1366?", len(M(J).genes), T_INFO,
               setup={"count": "genes"})
    count_case("model_info", S, "Number of metabolites in the Salmonella model?",
               len(M(S).metabolites), T_INFO, setup={"count": "metabolites"})
    add("model_info", E, "What's the objective reaction of the core model?", T_INFO, [],
        [bio(E)], False, (), {"objective_of": E})
    count_case("model_info", J, "How many exchange reactions does iJO1366 have?",
               len(M(J).exchanges), T_INFO, setup={"count": "model.exchanges"})
    add("model_info", S, "Salmonella model: how many reactions and how many genes?", T_INFO,
        [len(M(S).reactions), len(M(S).genes)], [], False, (), {"count": "reactions, genes"})

    # ------------------------------------------------------------------ modelseed_draft
    d = M(D)
    draft("modelseed_draft", "Load the ModelSEED draft at " + DRAFT + " and tell me how many "
          "reactions, metabolites and genes it has.",
          numbers=[len(d.reactions), len(d.metabolites), len(d.genes)],
          setup={"count": "reactions, metabolites, genes"})
    draft("modelseed_draft", "Does the draft model in " + DRAFT + " grow? Maximize bio1 with "
          "every exchange opened.", no_growth=True,
          setup={"objective": "bio1", "medium": "every exchange open (1000)",
                 "growth": opt(D, {"objective": "bio1",
                                   "medium": {r.id: 1000.0 for r in d.exchanges}})})
    draft("modelseed_draft", "How many exchange reactions are in " + DRAFT + "?",
          numbers=[len(d.exchanges)], setup={"count": "model.exchanges"})
    draft("modelseed_draft", "What's the current objective of the ModelSEED draft (" + DRAFT
          + ") and its optimal value on the file's own medium?", numbers=[opt(D, {})],
          ids=["ATPM_c0"], setup={"objective": "file's own (ATPM_c0)"})
    draft("modelseed_draft", "Open all exchanges of " + DRAFT + " (uptake 1000) and maximize "
          "ATPM_c0 -- value?", numbers=[opt(D, {"medium": {r.id: 1000.0 for r in d.exchanges}})],
          setup={"medium": "every exchange open (1000)", "objective": "ATPM_c0"})
    draft("modelseed_draft", "For " + DRAFT + ": how many compartments, and which?",
          numbers=[len(d.compartments)], ids=sorted(d.compartments),
          setup={"count": "compartments"})
    draft("modelseed_draft", "Biomass growth rate of the draft " + DRAFT + " on its default "
          "medium?", no_growth=True,
          setup={"objective": "bio1", "growth": opt(D, {"objective": "bio1"})})

    # ------------------------------------------------------------------ modelseed_lookup
    lookup("What is the ModelSEED compound id of pyruvate?", ids=[cpd_by_name("Pyruvate")],
           setup={"name": "Pyruvate"})
    lookup("Translate the BiGG metabolite glc__D to ModelSEED.",
           ids=[ms_of("cpd", "glc__D", "BiGG")], setup={"bigg": "glc__D"})
    lookup("KEGG id for ModelSEED cpd00027?", ids=[ext_of("cpd", "cpd00027", "KEGG")],
           setup={"kegg_of": "cpd00027"})
    pk = ms_of("rxn", "PYK", "BiGG")
    lookup("Which ModelSEED reaction(s) correspond to BiGG PYK?", ids=[pk],
           setup={"bigg_rxn": "PYK"})
    lookup("EC number of ModelSEED reaction rxn00148?",
           ids=[ext_of("ec", "rxn00148", "Enzyme Class")], setup={"ec_of": "rxn00148"})
    c = compounds()["cpd00002"]
    lookup("formula and mass of cpd00002 in the ModelSEED database?", [float(c["mass"])],
           [c["formula"]], {"compound": "cpd00002", "fields": ["formula", "mass"]})
    lookup("KEGG C00042 -> ModelSEED compound id?", ids=[ms_of("cpd", "C00042", "KEGG")],
           setup={"kegg": "C00042"})
    cit = cpd_by_name("Citrate")
    lookup("ModelSEED: what is the charge of citrate, and its compound id?",
           [float(compounds()[cit]["charge"])], [cit], {"name": "Citrate", "fields": ["charge"]})

    # ------------------------------------------------------------------ minimal_medium
    ids_mm, n_mm = min_medium(E, {}, 0.5)
    add("minimal_medium", E, "What's the smallest set of uptakes that lets e_coli_core grow at "
        "0.5 1/h? how many components?", T_MIN, [n_mm], ids_mm, False, (),
        {"minimal_medium": {"min_growth": 0.5, "minimize_components": 5}})
    ids_mm2, n_mm2 = min_medium(E, AN, 0.1)
    add("minimal_medium", E, "Anaerobically, minimal medium (fewest components) for the core "
        "model to reach 0.1 h-1?", T_MIN, [n_mm2], ids_mm2, False, (),
        {**AN, "minimal_medium": {"min_growth": 0.1, "minimize_components": 5}})

    # ------------------------------------------------------------------ blocked_reactions
    count_case("blocked_reactions", E, "How many reactions in e_coli_core are blocked on the "
               "default medium?", blocked(E, False), T_BLOCK,
               setup={"find_blocked_reactions": {"open_exchanges": False}})
    count_case("blocked_reactions", E, "Number of blocked reactions in the core model when "
               "all exchanges are open?", blocked(E, True), T_BLOCK,
               setup={"find_blocked_reactions": {"open_exchanges": True}})

    # ------------------------------------------------------------------ validation
    acc, mc, conf = essentiality_scores(E)
    add("validation", E, "Compare e_coli_core's predicted essential genes with the bundled "
        "glucose M9 essentiality data: accuracy and MCC?", T_PHEN, [acc, mc], [], False, (),
        {"phenotypes": "essential_genes_glucose_m9.tsv", "tp_fp_fn_tn": list(conf)})
    ecyc = {"medium": {}, "bounds": {"ATPM": (0, 1000)}, "objective": "ATPM"}
    add("validation", J, "Energy-cycle check for iJO1366: close every uptake, relax ATPM to "
        "0..1000 and maximize it. How much ATP maintenance flux is possible?", T_VAL,
        [opt(J, ecyc)], [], False, (), ecyc)

    # ------------------------------------------------------------------ followup
    gcase("followup", E, "and if I switch off the oxygen?", AN, T_FBA,
          turns=["What's the growth of e_coli_core on the default medium?"])
    g = growth(J, {"ko_genes": ["b4025"]})
    add("followup", J, "What's the growth now, and the doubling time in minutes?", T_KO,
        [g, LN2 / g * 60], [], False, ["Load iJO1366.", "Knock out b4025."],
        {"ko_genes": ["b4025"], "doubling_time": "minutes"})
    gcase("followup", S, "now make it anaerobic as well, growth?", {"uptake": {GLC: 3}, **AN},
          T_FBA, turns=["Set the glucose uptake of salmonella to 3 mmol/gDW/h."])
    gcase("followup", E, "Put pfkB back but keep pfkA out. Growth?",
          {"ko_genes": [cgene("pfkA")]}, T_KO,
          turns=["In e_coli_core knock out pfkA and pfkB. What's the growth rate?"])
    dt_case("followup", E, "what's the doubling time in hours for that?",
            {"carbon": {"EX_succ_e": None}}, tools=[],
            turns=["Growth of e_coli_core with succinate as the sole carbon source?"])
    pcase("followup", J, "Max ethanol secretion under that same condition?", AN, "EX_etoh_e",
          turns=["anaerobic growth rate of iJO1366?"])
    gcase("followup", E, "Undo the ATPM change and instead block the PGI reaction. Growth?",
          {"ko_rxns": ["PGI"]}, T_KO,
          turns=["Fix ATPM in the core model at 20 mmol/gDW/h.", "Growth?"])
    vcase("followup", S, "FVA of acetate exchange at 90% of optimum for that mutant?",
          {"ko_genes": ["STM4081"]}, ["EX_ac_e"], 0.9,
          turns=["For salmonella, knock out TpiA and give me the growth rate."])
    cmp_case("followup", J, "And with oxygen limited to 5 mmol/gDW/h?",
             [("glycerol", J, {"carbon": {"EX_glyc_e": None}, "uptake": {O2: 5}}),
              ("xylose", J, {"carbon": {"EX_xyl__D_e": None}, "uptake": {O2: 5}})],
             T_CMP + T_CS,
             turns=["Which carbon source is better for iJO1366: glycerol or xylose?"])
    ess_count("followup", E, "how many are there under anaerobic conditions instead?", AN,
              turns=["How many essential genes does e_coli_core have?"])

    # ------------------------------------------------------------------ unresolved
    for model, q in [
        (E, "Run FBA on e_coli_core with glucose at 10 mmol/gDW/h, but with the culture held at "
            "42 degrees C, and give me the growth rate."),
        (J, "What's the anaerobic growth of iJO1366 at pH 5.5?"),
        (S, "Salmonella with STM4221 deleted, growing in 50 ug/mL ampicillin: growth rate?"),
        (E, "If the medium contains 4 g/L glucose, how fast does the core model grow?"),
        (J, "Assume the glucose transporter has a Km of 0.1 mM; what growth rate does iJO1366 "
            "reach then?"),
        (S, "Simulate salmonella growing in batch for 12 hours and tell me the final biomass."),
        (E, "core model, FVA on EX_ac_e at 90% optimum under osmotic stress of 0.6 M NaCl"),
        (J, "How does iJO1366 grow inside a macrophage phagosome after 4 h of infection?"),
        (E, "e_coli_core in a shake flask at 200 rpm -- what growth rate?"),
        (J, "how long does it take iJO1366 to reach OD600 of 2 starting from 0.05?"),
        (S, "Knock out TpiA in salmonella and grow it at pH 4 (acid stress). Growth?"),
        (E, "Growth of the core model with dissolved oxygen held at 20 % air saturation?"),
        (J, "Compare iJO1366 growth at 30 versus 37 degrees Celsius on glucose."),
        (E, "What is the max ethanol yield of e_coli_core when the broth already contains 5% "
            "(v/v) ethanol?"),
        (S, "Salmonella growth in presence of 2 mM hydrogen peroxide, default medium otherwise"),
        (J, "iJO1366 on a medium with 20 mM acetate as sole carbon source - growth?"),
        (S, "How fast does salmonella grow as a biofilm on a glass surface, glucose limited to "
            "3 mmol/gDW/h?"),
        (J, "iJO1366 with xylose as sole carbon and 30 ug/ml kanamycin in the medium: mu?"),
        (E, "e_coli_core growth at 2 atm hydrostatic pressure, anaerobic"),
        (J, "After a 3 hour lag phase, what is iJO1366's doubling time on glucose?"),
        (S, "Salmonella under heat shock at 45 C with oxygen at 10 mmol/gDW/h: growth rate?"),
        (E, "Give PFK a Vmax of 5 U/mg protein in the core model and re-run the growth "
            "simulation."),
        (J, "dynamic FBA: glucose starts at 20 g/L and is consumed over 6 h -- growth curve of "
            "iJO1366?"),
        (S, "What growth rate does salmonella reach with 10 ug/ml ciprofloxacin added, rest "
            "default?"),
        (J, "nitrogen-limited iJO1366 with 0.1 g/L ammonium chloride in the feed: growth?"),
    ]:
        unresolved(model, q)
    unresolved(E, "OK, same thing but at pH 6 please.",
               turns=["Growth of e_coli_core on the default medium?"])


ORDER = ["id", "category", "query", "model", "model_file", "tools_any", "numbers", "ids",
         "no_growth", "turns", "expect_unresolved", "setup"]


def write(cases):
    for i, case in enumerate(cases, 1):
        case["id"] = f"H7_{i:03d}"
    out = [{k: _plain(case[k]) for k in ORDER if k in case} for case in cases]
    head = ("# fluxagent understanding corpus, seventh blind holdout (all cases held out).\n"
            "# GENERATED by .venv/bin/python eval/understanding/references7.py -- do not edit\n"
            "# by hand.\n"
            "# Format: eval/dev_queries.yaml (extra fields: category, model_file,\n"
            "# expect_unresolved, setup = how the reference was computed, for review only).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
    text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                 default_flow_style=None)
    (HERE / "holdout7.yaml").write_text(text)


def main():
    build_cases()
    write(CASES)
    per_cat: dict[str, int] = defaultdict(int)
    per_model: dict[str, int] = defaultdict(int)
    for case in CASES:
        per_cat[case["category"]] += 1
        kind = ("ModelSEED draft (file)" if case.get("model_file") else
                "ModelSEED lookup (model field e_coli_core)"
                if case["category"] == "modelseed_lookup" else case["model"])
        per_model[kind] += 1
    log(f"cases: {len(CASES)}")
    log(f"  expect_unresolved {sum(bool(c.get('expect_unresolved')) for c in CASES)}, "
        f"turns {sum(bool(c['turns']) for c in CASES)}, "
        f"no_growth {sum(c['no_growth'] for c in CASES)}")
    for k in sorted(per_cat):
        log(f"  {k:22s} {per_cat[k]:3d}")
    for k in sorted(per_model):
        log(f"  {k:42s} {per_model[k]:3d}")
    for s in SKIPPED:
        log("skipped:", s)


if __name__ == "__main__":
    main()
