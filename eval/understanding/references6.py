#!/usr/bin/env python
"""Reference answers for the sixth blind held-out corpus (``holdout6.yaml``).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references6.py

It writes ``eval/understanding/holdout6.yaml``; stdout stays empty, a summary goes to stderr.
Two runs give byte-identical files.

What was read: ``eval/understanding/README.md``, lines 1-538 and the writer at the end of
``references5.py`` (the helpers and the output writer, copied here and adapted),
``src/fluxagent/evaluation/`` (loader and scoring), the tool names in ``README.md`` /
``docs/tools.md`` / ``fluxagent tools list``, and the model and phenotype files. What was NOT
read: anything under ``src/fluxagent/llm/`` or ``tests/llm/``, any question file
(``eval/understanding/*.yaml``, ``eval/dev_queries.yaml``, paraphrase files, ``/work/shared/eval``)
or the questions of any ``references*.py``; the agent was not run on these questions.

This script is self-contained: it imports neither fluxagent nor ``references*.py``. Every
reference number comes from plain cobrapy (0.32.1, GLPK) on the models cobrapy ships
(``textbook`` = e_coli_core, ``iJO1366``, ``salmonella``), the ModelSEED draft
``tests/data/modelseed/examples/example_ecoli_modelseed_model.json`` read with
``cobra.io.load_json_model``, the ModelSEED biochemistry tables under
``src/fluxagent/data/modelseed/biochemistry/`` (gzip + csv) and the phenotype tables under
``src/fluxagent/data/phenotypes/ecoli/``. Conventions: README.md ("Conventions used by the
references" and those of the later holdouts); numbers are rounded to 6 significant digits.
The condition spec has one more key than in references5.py, ``medium``: a whole medium
(``model.medium = ...``) set before the rest.
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
def build_cases():
    pgi, zwf, gnd = cgene("pgi"), cgene("zwf"), cgene("gnd")
    acka, pta, ppc, atpa = cgene("ackA"), cgene("pta"), cgene("ppc"), cgene("atpA")
    pgk = cgene("pgk")
    s_pgi, s_tpi, s_zwf = sgene("pgi"), sgene("tpiA"), sgene("zwf")
    s_pta, s_ack = sgene("pta"), sgene("ackA")
    AN = {"anaerobic": True}

    # ---------------------------------------------------------------- growth_default
    gcase("growth_default", E, "whats the max growth rate of e coli core on its default medium?")
    gcase("growth_default", J, "iJO1366: predicted specific growth rate on the standard "
          "glucose minimal medium, in h^-1 please")
    gcase("growth_default", S, "How fast does the Salmonella model grow as shipped?")
    gcase("growth_default", S, "salmonella iYS1720 biomass flux with the default bounds? "
          "(1/h)")

    # ---------------------------------------------------------------- carbon_source
    gcase("carbon_source", E, "Can e_coli_core grow on succinate as the only carbon source? "
          "How fast?", {"carbon": {"EX_succ_e": None}})
    gcase("carbon_source", E, "growth on acetate instead of glucose, core model",
          {"carbon": {"EX_ac_e": None}})
    gcase("carbon_source", J, "iJO1366 on glycerol (sole carbon source), growth rate?",
          {"carbon": {"EX_glyc_e": None}})
    gcase("carbon_source", J, "If I replace glucose by D-galactose in iJO1366, how fast does "
          "it grow?", {"carbon": {"EX_gal_e": None}})
    gcase("carbon_source", S, "salmonella on L-arabinose as the carbon source?",
          {"carbon": {"EX_arab__L_e": None}})
    gcase("carbon_source", J, "iJO1366 growing on D-xylose with 8 mmol gDW-1 h-1 uptake "
          "(no glucose at all)", {"carbon": {"EX_xyl__D_e": 8}})
    gcase("carbon_source", E, "growth of e_coli_core when 2-oxoglutarate (akg) is the sole "
          "carbon source", {"carbon": {"EX_akg_e": None}})

    # ---------------------------------------------------------------- cofeed
    gcase("cofeed", E, "glucose 10 plus acetate 5 mmol/gDW/h in the core model, growth?",
          {"uptake": {"EX_ac_e": 5}})
    gcase("cofeed", J, "iJO1366 with the default glucose plus three mmol/gDW/h of succinate",
          {"uptake": {"EX_succ_e": 3}})
    gcase("cofeed", J, "iJO1366: glycerol 6 and xylose 4 mmol/gDW/h as carbon sources, no "
          "glucose. mu?", {"carbon": {"EX_glyc_e": 6, "EX_xyl__D_e": 4}})
    gcase("cofeed", S, "Salmonella: keep the default glucose and add glycerol at 2 mmol per "
          "gDW per hour. How fast?", {"uptake": {"EX_glyc_e": 2}})
    gcase("cofeed", E, "growth on D-lactate and pyruvate together (5 each), glucose switched "
          "off", {"carbon": {"EX_lac__D_e": 5, "EX_pyr_e": 5}})

    # ---------------------------------------------------------------- oxygen
    gcase("oxygen", E, "Without oxygen, how fast does e. coli core grow?", AN)
    gcase("oxygen", J, "ijo1366 anaerobicaly on glucose. growth rate?", AN)
    gcase("oxygen", S, "anaerobic growth of the salmonella model", AN)
    gcase("oxygen", E, "limit O2 uptake to 5 mmol/gDW/h. what growth does e_coli_core get?",
          {"uptake": {"EX_o2_e": 5}})
    gcase("oxygen", J, "iJO1366 with oxygen capped at two mmol per gDW per hour",
          {"uptake": {"EX_o2_e": 2}})
    gcase("oxygen", E, "Does the core model grow on succinate with no oxygen at all?",
          {"carbon": {"EX_succ_e": None}, "anaerobic": True})

    # ---------------------------------------------------------------- uptake_cap
    gcase("uptake_cap", E, "what if the max glucose uptake is 20 instead of 10?",
          {"uptake": {"EX_glc__D_e": 20}})
    gcase("uptake_cap", J, "iJO1366, cap glc uptake at 6.5 mmol gDW-1 h-1 -> mu?",
          {"uptake": {"EX_glc__D_e": 6.5}})
    gcase("uptake_cap", S, "Raise the salmonella glucose uptake limit to 10 mmol/gDW/h; "
          "growth?", {"uptake": {"EX_glc__D_e": 10}})
    gcase("uptake_cap", J, "growth of iJO1366 at a glucose uptake of only 1 mmol/gDW/h",
          {"uptake": {"EX_glc__D_e": 1}})
    gcase("uptake_cap", E, "ammonium uptake limited to 1 mmol/gDW/h (glucose default) - "
          "growth?", {"uptake": {"EX_nh4_e": 1}})
    gcase("uptake_cap", S, "salmonella growth with max glucose uptake 2.5 mmol per gram dry "
          "weight per hour", {"uptake": {"EX_glc__D_e": 2.5}})

    # ---------------------------------------------------------------- nutrient_source
    gcase("nutrient_source", J, "iJO1366 with L-glutamine as the nitrogen source instead of "
          "ammonium (5 mmol/gDW/h)", {"close": ["EX_nh4_e"], "uptake": {"EX_gln__L_e": 5}})
    gcase("nutrient_source", E, "e_coli_core with glutamate as the only N source, uptake 10. "
          "growth?", {"close": ["EX_nh4_e"], "uptake": {"EX_glu__L_e": 10}})
    gcase("nutrient_source", J, "sulfur from taurine at 1 mmol/gDW/h instead of sulfate, "
          "iJO1366 growth?", {"close": ["EX_so4_e"], "uptake": {"EX_taur_e": 1}})
    gcase("nutrient_source", J, "phosphorus source = glycerol-3-phosphate (2 mmol/gDW/h), no "
          "phosphate. how fast does iJO1366 grow?",
          {"close": ["EX_pi_e"], "uptake": {"EX_glyc3p_e": 2}})
    gcase("nutrient_source", S, "Salmonella with L-alanine as its nitrogen source, 5 mmol/"
          "gDW/h, ammonium removed", {"close": ["EX_nh4_e"], "uptake": {"EX_ala__L_e": 5}})
    gcase("nutrient_source", E, "what happens to e_coli_core growth without any nitrogen "
          "source (no ammonium)?", {"close": ["EX_nh4_e"]})
    gcase("nutrient_source", J, "iJO1366 lacking phosphate in the medium - can it grow?",
          {"close": ["EX_pi_e"]})

    # ---------------------------------------------------------------- gene_knockout
    gcase("gene_knockout", E, "knokc out pgi, growth?", {"ko_genes": [pgi]}, T_KO)
    gcase("gene_knockout", E, "delete zwf and gnd together in the core model, what's the "
          "growth rate", {"ko_genes": [zwf, gnd]}, T_KO)
    gcase("gene_knockout", J, "iJO1366 b4025 knockout, growth?", {"ko_genes": ["b4025"]}, T_KO)
    gcase("gene_knockout", J, "Delete b2276 (nuoN) in iJO1366 and report growth",
          {"ko_genes": ["b2276"]}, T_KO)
    gcase("gene_knockout", J, "knock out ptsG (b1101) in iJO1366 - growth?",
          {"ko_genes": ["b1101"]}, T_KO)
    gcase("gene_knockout", S, "knock out STM4221 in salmonella", {"ko_genes": [s_pgi]}, T_KO)
    gcase("gene_knockout", S, "tpiA deletion in the Salmonella model: how much growth is "
          "left?", {"ko_genes": [s_tpi]}, T_KO)
    gcase("gene_knockout", E, "growth of an atpA mutant of e coli core", {"ko_genes": [atpa]},
          T_KO)
    gcase("gene_knockout", E, "knock out b2926 (pgk) in e_coli_core - does it still grow?",
          {"ko_genes": [pgk]}, T_KO)

    # ---------------------------------------------------------------- reaction_knockout
    gcase("reaction_knockout", E, "block pfk, growth?", {"ko_rxns": ["PFK"]}, T_KO)
    gcase("reaction_knockout", E, "remove the reaction 'glucose-6-phosphate isomerase' from "
          "the core model and rerun FBA", {"ko_rxns": [rxn_by_name(E, "glucose-6-phosphate "
                                                                   "isomerase")]}, T_KO)
    gcase("reaction_knockout", J, "knock out reaction TPI in iJO1366", {"ko_rxns": ["TPI"]},
          T_KO)
    gcase("reaction_knockout", J, "block both FUM and MDH in iJO1366, growth rate?",
          {"ko_rxns": ["FUM", "MDH"]}, T_KO)
    gcase("reaction_knockout", S, "salmonella: block the PGI reaction, what's mu",
          {"ko_rxns": ["PGI"]}, T_KO)
    gcase("reaction_knockout", E, "what's the growth without citrate synthase (CS)?",
          {"ko_rxns": ["CS"]}, T_KO)

    # ---------------------------------------------------------------- bounds_atpm
    T_B = ["set_bounds", "run_fba"]
    gcase("bounds_atpm", E, "fix ATPM at 15 mmol/gDW/h and give me the growth",
          {"bounds": {"ATPM": (15.0, 15.0)}}, T_B)
    gcase("bounds_atpm", E, "what's the growth if the non-growth ATP maintenance is set to "
          "zero (ATPM fixed at 0)?", {"bounds": {"ATPM": (0.0, 0.0)}}, T_B)
    gcase("bounds_atpm", J, "set the ATPM lower bound to 10 in iJO1366 (upper stays 1000). "
          "Growth?", {"bounds": {"ATPM": (10.0, 1000.0)}}, T_B)
    gcase("bounds_atpm", S, "salmonella with ATPM fixed at 5 instead of 8.39 - growth?",
          {"bounds": {"ATPM": (5.0, 5.0)}}, T_B)

    # ---------------------------------------------------------------- growth_floor
    pcase("growth_floor", E, "maximise acetate secretion while keeping growth at least 0.5 "
          "1/h", {"floor": 0.5}, "EX_ac_e")
    pcase("growth_floor", E, "max succinate export at 50% of the optimal growth rate, core "
          "model", {"fraction": 0.5}, "EX_succ_e")
    pcase("growth_floor", J, "iJO1366 anaerobic: maximum ethanol production with growth >= "
          "0.1 per hour", {"anaerobic": True, "floor": 0.1}, "EX_etoh_e")
    pcase("growth_floor", S, "salmonella, what's the highest acetate excretion if it must "
          "still grow at 0.2 h-1?", {"floor": 0.2}, "EX_ac_e")
    pcase("growth_floor", E, "minimum growth 0.8 /h - how much D-lactate can it make at most?",
          {"floor": 0.8}, "EX_lac__D_e")

    # ---------------------------------------------------------------- max_production
    pcase("max_production", E, "max ethanol production in e_coli_core, anaerobic", AN,
          "EX_etoh_e")
    pcase("max_production", J, "Hi! I'm working on succinate production - what's the "
          "theoretical max succinate production in iJO1366 on glucose?", {}, "EX_succ_e")
    pcase("max_production", J, "how much L-lysine can iJO1366 secrete at most (mmol/gDW/h)?",
          {}, "EX_lys__L_e")
    pcase("max_production", S, "maximal L-threonine export by the Salmonella model", {},
          "EX_thr__L_e")
    pcase("max_production", E, "add a demand reaction for L-glutamate (glu__L_c) and maximise "
          "it", {}, "DM:glu__L_c")

    # ---------------------------------------------------------------- objective_change
    T_OBJ = ["set_objective", "run_fba"]
    pcase("objective_change", E, "set the objective to ATPM and maximise it", {}, "ATPM", T_OBJ)
    pcase("objective_change", J, "change the objective of iJO1366 to ATPM, max value?", {},
          "ATPM", T_OBJ)
    pcase("objective_change", S, "salmonella: open the ATPM upper bound to 1000 and maximise "
          "ATPM", {"bounds": {"ATPM": (8.39, 1000.0)}}, "ATPM", T_OBJ)
    pcase("objective_change", E, "maximise the flux through pyruvate kinase (PYK)", {}, "PYK",
          T_OBJ)
    pcase("objective_change", J, "objective = EX_ac_e (maximise acetate excretion), iJO1366",
          {}, "EX_ac_e", T_OBJ)

    # ---------------------------------------------------------------- reaction_flux
    fcase("reaction_flux", E, "what's the flux through PFK at the optimum?", {}, ["PFK"])
    fcase("reaction_flux", E, "citrate synthase flux and the O2 uptake rate at max growth "
          "(core)", {}, ["CS", "EX_o2_e"])
    fcase("reaction_flux", E, "anaerobic core model: ethanol and acetate secretion fluxes?",
          AN, ["EX_etoh_e", "EX_ac_e"])
    fcase("reaction_flux", S, "salmonella: glucose uptake flux in the optimal solution", {},
          ["EX_glc__D_e"])
    fcase("reaction_flux", E, "with pgi knocked out, what flux goes through G6PDH2r?",
          {"ko_genes": [pgi]}, ["G6PDH2r"])

    # ---------------------------------------------------------------- fva
    vcase("fva", E, "FVA on PFK and PGI at 90% of optimum", {}, ["PFK", "PGI"], 0.9)
    vcase("fva", J, "iJO1366: FVA for EX_o2_e at 99 percent optimum", {}, ["EX_o2_e"], 0.99)
    vcase("fva", J, "min/max flux of EX_ac_e and EX_etoh_e, fraction 0.9, anaerobic iJO1366",
          AN, ["EX_ac_e", "EX_etoh_e"], 0.9)
    vcase("fva", S, "salmonella flux variability of PGI at 90% of max growth", {}, ["PGI"], 0.9)
    vcase("fva", E, "flux variability of ME1 and ME2 (malic enzymes) at 80% optimum", {},
          ["ME1", "ME2"], 0.8)
    vcase("fva", E, "what range can citrate synthase take if growth doesn't matter (FVA at 0% "
          "of optimum)?", {}, ["CS"], 0.0)

    # ---------------------------------------------------------------- essential_genes
    ess_count("essential_genes", E, "which genes are esential in e_coli_core?", None, True)
    ess_count("essential_genes", E, "how many essential genes does the core model have "
              "anaerobically?", AN)
    ess_count("essential_genes", E, "list the essential genes on acetate (core model)",
              {"carbon": {"EX_ac_e": None}}, True)
    ess_count("essential_genes", J, "number of essential genes in iJO1366 on glucose minimal "
              "medium?", None)
    ess_count("essential_genes", S, "how many genes are essential in the Salmonella model?",
              None)

    # ---------------------------------------------------------------- essential_reactions
    essr_count("essential_reactions", E, "how many reactions are essential in e_coli_core? "
               "count exchange and biomass reactions too")
    essr_count("essential_reactions", E, "list the essential reactions of the core model, "
               "leaving out exchanges and the biomass reaction", None, True, True)
    essr_count("essential_reactions", E, "on succinate, which internal reactions (not "
               "exchanges, not biomass) are essential?", {"carbon": {"EX_succ_e": None}}, True,
               True)
    essr_count("essential_reactions", E, "in the pgi knockout, how many reactions become "
               "essential? (count everything incl. exchanges/biomass)", {"ko_genes": [pgi]})

    # ---------------------------------------------------------------- synthetic_lethal
    pairs = core_sl_pairs()
    count_case("synthetic_lethal", E, "how many synthetic lethal gene pairs are there in "
               "e_coli_core?", len(pairs), T_SL, setup={"sl_pairs": "full screen"})
    partners = sorted({b if a == pgi else a for a, b in pairs if pgi in (a, b)})
    add("synthetic_lethal", E, "genes synthetic lethal with pgi (b4025)?", T_SL,
        [len(partners)], gene_alts(E, partners), False, (),
        {"sl_partners_of": pgi, "screen": "full pair screen"})
    sl_pair("synthetic_lethal", J, "in iJO1366, are pykF (b1676) and pykA (b1854) synthetic "
            "lethal?", ["b1676", "b1854"])
    sl_pair("synthetic_lethal", S, "salmonella: double knockout of pta and ackA - growth?",
            [s_pta, s_ack])
    rpairs = core_sl_rxn_pairs()
    count_case("synthetic_lethal", E, "count the synthetic lethal reaction pairs in the core "
               "model", len(rpairs), T_SL, setup={"sl_rxn_pairs": "full screen"})

    # ---------------------------------------------------------------- comparison
    cmp_case("comparison", E, "which gives faster growth in e_coli_core: glucose, fructose or "
             "succinate?", [("glucose", E, {}), ("fructose", E, {"carbon": {"EX_fru_e": None}}),
                            ("succinate", E, {"carbon": {"EX_succ_e": None}})])
    cmp_case("comparison", J, "acetate, glycerol or L-lactate - which carbon source is best "
             "for iJO1366?", [("acetate", J, {"carbon": {"EX_ac_e": None}}),
                              ("glycerol", J, {"carbon": {"EX_glyc_e": None}}),
                              ("L-lactate", J, {"carbon": {"EX_lac__L_e": None}})])
    cmp_min("comparison", S, "salmonella: which knockout hurts growth more, pgi or zwf?",
            [("pgi", S, {"ko_genes": [s_pgi]}), ("zwf", S, {"ko_genes": [s_zwf]})], T_KO)
    cmp_case("comparison", J, "iJO1366 growth at O2 uptake 5 vs 10 vs 15 mmol/gDW/h",
             [(str(v), J, {"uptake": {"EX_o2_e": v}}) for v in (5, 10, 15)])
    cmp_min("comparison", E, "Of the single knockouts pfkA, pykF and ppc, which one reduces "
            "core-model growth the most?",
            [("pfkA", E, {"ko_genes": [cgene("pfkA")]}),
             ("pykF", E, {"ko_genes": [cgene("pykF")]}),
             ("ppc", E, {"ko_genes": [ppc]})], T_KO)

    # ---------------------------------------------------------------- cross_model
    cmp_case("cross_model", E, "compare the default growth of e_coli_core and iJO1366",
             [("e_coli_core", E, {}), ("iJO1366", J, {})], T_XM)
    cmp_case("cross_model", J, "anaerobic growth: iJO1366 vs the salmonella model, which is "
             "higher?", [("iJO1366", J, AN), ("salmonella", S, AN)], T_XM)
    cmp_case("cross_model", E, "on succinate as the only carbon source, which grows faster: "
             "core or iJO1366?", [("e_coli_core", E, {"carbon": {"EX_succ_e": None}}),
                                  ("iJO1366", J, {"carbon": {"EX_succ_e": None}})], T_XM)
    cmp_case("cross_model", E, "pgi knockout in e_coli_core vs iJO1366 - growth of each",
             [("e_coli_core", E, {"ko_genes": [pgi]}), ("iJO1366", J, {"ko_genes": ["b4025"]})],
             T_XM)

    # ---------------------------------------------------------------- doubling_time
    dt_case("doubling_time", E, "doubling time of e_coli_core on glucose, in hours?")
    dt_case("doubling_time", E, "how many minutes does the core model need to double without "
            "oxygen?", AN, minutes=True)
    dt_case("doubling_time", J, "iJO1366 doubling time in minutes, default conditions", None,
            minutes=True)
    dt_case("doubling_time", S, "Salmonella model: what doubling time (h) does the predicted "
            "growth correspond to?")
    dt_case("doubling_time", J, "doubling time of iJO1366 on acetate (sole carbon), hours",
            {"carbon": {"EX_ac_e": None}})

    # ---------------------------------------------------------------- percent_change
    pct_case("percent_change", E, "by what percent does growth drop when pgi is knocked out?",
             {"ko_genes": [pgi]})
    pct_case("percent_change", J, "percent change in iJO1366 growth going from aerobic to "
             "anaerobic", AN, tools=T_FBA)
    pct_case("percent_change", S, "salmonella tpiA (STM4081) knockout: % change in growth vs "
             "wild type", {"ko_genes": [s_tpi]})
    pct_case("percent_change", E, "halving the glucose uptake from 10 to 5 changes growth by "
             "how many percent?", {"uptake": {"EX_glc__D_e": 5}}, tools=T_FBA)

    # ---------------------------------------------------------------- medium
    med_e = sorted(M(E).medium)
    add("medium", E, "what's in the default medium of the core model? how many components?",
        T_MED, [len(med_e)], med_e, False, (), {"medium_of": "default"})
    count_case("medium", J, "how many exchanges are open for uptake in iJO1366's default "
               "medium?", len(M(J).medium), T_MED, setup={"medium_of": "default"})
    add("medium", S, "what are the glucose and oxygen uptake limits in the salmonella medium?",
        T_MED, [M(S).medium["EX_glc__D_e"], M(S).medium["EX_o2_e"]], [], False, (),
        {"medium_of": "default", "values_of": ["EX_glc__D_e", "EX_o2_e"]})
    gcase("medium", E, "use a medium with only glucose (10), ammonium, phosphate, water and "
          "oxygen (1000 each) and give me the growth",
          {"medium": {"EX_glc__D_e": 10, "EX_nh4_e": 1000, "EX_pi_e": 1000,
                      "EX_h2o_e": 1000, "EX_o2_e": 1000}}, T_MED)
    add("medium", J, "what's the cobalamin (vitamin B12, cbl1) uptake limit in iJO1366?", T_MED,
        [M(J).medium["EX_cbl1_e"]], [], False, (), {"values_of": ["EX_cbl1_e"]})
    gcase("medium", S, "remove iron (both Fe2+ and Fe3+) from the salmonella medium. growth?",
          {"close": ["EX_fe2_e", "EX_fe3_e"]}, T_MED)

    # ---------------------------------------------------------------- minimal_medium
    for q, spec, mu in [
        ("minimal medium for e_coli_core to reach 0.5 1/h - how many components, and which "
         "ones?", {}, 0.5),
        ("smallest set of nutrients the core model needs for a growth of 0.1 h-1 without "
         "oxygen", AN, 0.1),
    ]:
        common, size = min_medium(E, spec, mu)
        add("minimal_medium", E, q, T_MIN, [size], common, False, (),
            {**spec, "minimal_medium": {"min_growth": mu, "minimize_components": 5}})

    # ---------------------------------------------------------------- blocked_reactions
    count_case("blocked_reactions", E, "how many blocked reactions does e_coli_core have on "
               "its default medium?", blocked(E, False), T_BLOCK,
               setup={"open_exchanges": False})
    count_case("blocked_reactions", E, "number of blocked reactions with all exchanges open "
               "(core)", blocked(E, True), T_BLOCK, setup={"open_exchanges": True})
    count_case("blocked_reactions", J, "iJO1366: how many reactions can't carry flux when "
               "every exchange is opened?", blocked(J, True), T_BLOCK,
               setup={"open_exchanges": True})

    # ---------------------------------------------------------------- model_info
    def size(mo):
        m = M(mo)
        return [len(m.reactions), len(m.metabolites), len(m.genes)]
    add("model_info", E, "quick one: how many reactions, metabolites and genes are in "
        "e_coli_core?", T_INFO, size(E), [], False, (), {"info": "size"})
    add("model_info", J, "size of iJO1366 (rxns / mets / genes)", T_INFO, size(J), [], False,
        (), {"info": "size"})
    add("model_info", S, "How many genes does the salmonella model contain?", T_INFO,
        [len(M(S).genes)], [], False, (), {"info": "genes"})
    add("model_info", J, "what's the objective reaction of iJO1366?", T_INFO, [],
        [bio(J)], False, (), {"info": "objective"})
    comps = sorted(M(S).compartments)
    add("model_info", S, "which compartments are in the Salmonella model?", T_INFO,
        [len(comps)], comps, False, (), {"info": "compartments"})

    # ---------------------------------------------------------------- yield
    ycase("yield", E, "max ethanol yield on glucose without oxygen (mol/mol)?", AN, "EX_etoh_e",
          "EX_glc__D_e")
    ycase("yield", E, "acetate yield in g/g glucose, core model, aerobic", {}, "EX_ac_e",
          "EX_glc__D_e", unit="g")
    ycase("yield", J, "iJO1366 anaerobic: succinate yield on glucose, mol per mol", AN,
          "EX_succ_e", "EX_glc__D_e")
    biomass_yield("yield", E, "biomass yield of e_coli_core in gDW per g glucose?")
    atp_yield("yield", E, "ATP yield per glucose (max ATPM divided by glucose uptake)?")
    ycase("yield", S, "maximal acetate yield of salmonella on glucose, mol/mol", {}, "EX_ac_e",
          "EX_glc__D_e")

    # ---------------------------------------------------------------- multi_step
    gcase("multi_step", E, "first knock out pgi, then run FBA anaerobically and report the "
          "growth", {"ko_genes": [pgi], "anaerobic": True}, T_KO)
    pcase("multi_step", E, "Knock out ackA and pta, then maximise ethanol secretion",
          {"ko_genes": [acka, pta]}, "EX_etoh_e")
    gj = growth(J, {"uptake": {"EX_glc__D_e": 5}, "anaerobic": True})
    gcase("multi_step", J, "set glucose to 5, remove oxygen, then tell me growth and the "
          "doubling time in hours (iJO1366)", {"uptake": {"EX_glc__D_e": 5}, "anaerobic": True},
          extra=[LN2 / gj])
    gcase("multi_step", S, "First cap glucose at 3 mmol/gDW/h, then delete STM4221 (pgi). "
          "growth?", {"uptake": {"EX_glc__D_e": 3}, "ko_genes": [s_pgi]}, T_KO)
    vcase("multi_step", E, "Switch the carbon source to succinate, block ME1, then FVA on ME2 "
          "at 95%", {"carbon": {"EX_succ_e": None}, "ko_rxns": ["ME1"]}, ["ME2"], 0.95)
    gcase("multi_step", J, "Make iJO1366 anaerobic, knock out b3956 (ppc) and compute growth",
          {"anaerobic": True, "ko_genes": ["b3956"]}, T_KO)
    fcase("multi_step", E, "fix ATPM at 20, then compute growth and the CO2 secretion flux",
          {"bounds": {"ATPM": (20.0, 20.0)}}, [bio(E), "EX_co2_e"])

    # ---------------------------------------------------------------- followup
    gcase("followup", E, "and without oxygen?", AN, turns=["Growth of e_coli_core on glucose?"])
    gcase("followup", E, "now also knock out zwf - does it still grow?",
          {"ko_genes": [pgi, zwf]}, T_KO, turns=["knock out pgi in e_coli_core"])
    gcase("followup", J, "Now put it on acetate instead.", {"carbon": {"EX_ac_e": None}},
          turns=["Load iJO1366 and give me the growth rate."])
    gcase("followup", S, "what about with glucose uptake limited to 2?",
          {"uptake": {"EX_glc__D_e": 2}}, turns=["What's the growth of the Salmonella model?"])
    gf = growth(E, {"carbon": {"EX_fru_e": None}})
    gcase("followup", E, "how fast does it grow? doubling time in minutes too",
          {"carbon": {"EX_fru_e": None}}, extra=[LN2 / gf * 60.0],
          turns=["Set the carbon source to fructose in e_coli_core."])
    gcase("followup", J, "ok, and if I restore oxygen but cap it at 5?",
          {"uptake": {"EX_o2_e": 5}}, turns=["iJO1366 anaerobic growth please"])
    pcase("followup", E, "what is it if growth has to be at least 0.3?",
          {"floor": 0.3}, "EX_ac_e", turns=["maximise acetate secretion in e_coli_core"])
    gcase("followup", S, "and anaerobically?", {"ko_genes": [s_tpi], "anaerobic": True}, T_KO,
          turns=["knock out STM4081 in salmonella", "what's the growth?"])
    ess_count("followup", E, "and how many of them are essential under anaerobic conditions?",
              AN, turns=["Essential genes of e_coli_core?"])

    # ---------------------------------------------------------------- validation
    acc, mc, _ = essentiality_scores(E)
    add("validation", E, "compare e_coli_core's essential gene predictions with the bundled "
        "glucose M9 essentiality data: accuracy and MCC?", T_PHEN, [acc, mc], [], False, (),
        {"phenotypes": "essential_genes_glucose_m9.tsv"})
    acc, mc, _ = essentiality_scores(J)
    add("validation", J, "how well does iJO1366 predict gene essentiality (glucose M9 "
        "dataset)? give accuracy + MCC", T_PHEN, [acc, mc], [], False, (),
        {"phenotypes": "essential_genes_glucose_m9.tsv"})
    add("validation", E, "energy-generating cycle check on the core model: max ATPM flux with "
        "every uptake closed?", T_VAL, [max_atpm_closed(E)], [], False, (),
        {"energy_cycle": "max ATPM, all exchange lower bounds 0"})
    pg = growth(J, {"carbon": {"EX_glyc_e": None}})
    add("validation", J, "predicted vs measured growth of iJO1366 on glycerol (aerobic)?",
        T_PHEN + T_FBA, [pg, measured_mu("EX_glyc_e")], [], False, (),
        {"carbon": {"EX_glyc_e": None}, "measured": "growth_rates.tsv aerobic"})

    # ---------------------------------------------------------------- modelseed_draft
    d = M(D)
    draft("modelseed_draft", "how many reactions, metabolites and genes does this draft have?",
          numbers=[len(d.reactions), len(d.metabolites), len(d.genes)], setup={"info": "size"})
    draft("modelseed_draft", "can this draft model grow? maximise the biomass reaction bio1",
          no_growth=True, setup={"objective": "bio1"})
    draft("modelseed_draft", "what's the objective of the loaded draft?", ids=["ATPM_c0"],
          setup={"info": "objective"})
    with d:
        atp = d.slim_optimize(error_value=float("nan"))
    if math.isfinite(atp):
        draft("modelseed_draft", "maximise the draft's own objective (ATPM_c0) on its medium - "
              "what flux?", numbers=[atp], setup={"objective": "ATPM_c0"})
    else:
        SKIPPED.append("draft ATPM_c0 optimum not finite")
    draft("modelseed_draft", "how many exchange reactions does the draft have?",
          numbers=[len(d.exchanges)], setup={"info": "exchanges"})
    dcomps = sorted(d.compartments)
    draft("modelseed_draft", "compartments of this ModelSEED draft?", numbers=[len(dcomps)],
          ids=dcomps, setup={"info": "compartments"})

    # ---------------------------------------------------------------- modelseed_lookup
    lookup("ModelSEED id of oxaloacetate?", ids=[cpd_by_name("Oxaloacetate")],
           setup={"compound_name": "Oxaloacetate"})
    lookup("what is cpd00002?", ids=[compounds()["cpd00002"]["name"]],
           setup={"compound": "cpd00002"})
    lookup("BiGG pyr -> ModelSEED compound id", ids=[ms_of("cpd", "pyr", "BiGG")],
           setup={"bigg": "pyr"})
    lookup("KEGG id of cpd00020?", ids=[ext_of("cpd", "cpd00020", "KEGG")],
           setup={"kegg_of": "cpd00020"})
    lookup("EC number(s) of rxn00148", ids=[ext_of("ec", "rxn00148", "Enzyme Class")],
           setup={"ec_of": "rxn00148"})
    lookup("which ModelSEED reaction corresponds to BiGG PGI?",
           ids=[ms_of("rxn", "PGI", "BiGG")], setup={"bigg_rxn": "PGI"})
    c = compounds()["cpd00001"]
    lookup("formula and charge of cpd00001", numbers=[float(c["charge"])], ids=[c["formula"]],
           setup={"compound": "cpd00001", "fields": ["formula", "charge"]})
    lookup("molecular mass of cpd00027 in the ModelSEED database?",
           numbers=[float(compounds()["cpd00027"]["mass"])], setup={"compound": "cpd00027"})
    lookup("look up L-Glutamate in modelseed - id?", ids=[cpd_by_name("L-Glutamate")],
           setup={"compound_name": "L-Glutamate"})
    lookup("Which ModelSEED reaction is KEGG R00200?", ids=[ms_of("rxn", "R00200", "KEGG")],
           setup={"kegg_rxn": "R00200"})

    # ---------------------------------------------------------------- unresolved
    for model, q in UNRESOLVED:
        unresolved(model, q)
    unresolved(E, "and at 25 degrees celsius?", turns=["growth of e_coli_core?"])
    unresolved(J, "now after 6 hours of batch culture?",
               turns=["iJO1366 growth on glucose please"])
    add("unresolved", D, "what's the growth of this draft at pH 6?", [], [], [], False, (),
        None, DRAFT, True)


UNRESOLVED = [
    (E, "growth of e_coli_core at 42 °C?"),
    (E, "whats the growth rate at pH 5.5"),
    (J, "iJO1366 growth with 2 g/L glucose in the medium"),
    (S, "salmonella growth in the presence of 100 ug/ml ampicillin"),
    (E, "knock out reaction XYZ123 and report growth"),
    (E, "biomass concentration after 5 hours of batch culture starting at 0.05 g/L?"),
    (J, "what's the Km of pgi for glucose-6-phosphate in iJO1366"),
    (E, "growth of the core model under 2 atm pressure"),
    (S, "how fast does salmonella grow inside macrophages?"),
    (E, "How much glucose is left in the flask after 10 hours?"),
    (J, "growth of iJO1366 under 0.5 M NaCl osmotic stress"),
    (E, "what's the growth if I knock out gene qwrtz1"),
    (E, "transcript levels of pfkA in anaerobic conditions?"),
    (J, "iJO1366 growth in LB at 30 degrees"),
    (S, "run dynamic FBA of salmonella over 12 h and give the final OD"),
    (E, "maximize growth with glucose at 5 mM"),
    (J, "iJO1366 growth under blue light illumination"),
    (E, "what's the Gibbs free energy of PGI at 37C in the core model"),
    (S, "salmonella on glucose with 0.5% (w/v) bile salts, growth?"),
    (J, "length of the lag phase of iJO1366 after a shift to acetate"),
    (S, "what's the MIC of ciprofloxacin for the salmonella model"),
    (E, "block EX_unobtainium_e and tell me the growth"),
    (E, "growth after inducing with 10 µM IPTG"),
    (E, "flux through reaction PGX99 in e_coli_core?"),
    (S, "salmonella growth in a 10 L bioreactor stirred at 300 rpm"),
    (J, "how many ribosomes per cell does iJO1366 predict at max growth?"),
    (E, "growth rate of e_coli_core when glucose is fed at 3 g per hour"),
]


# --------------------------------------------------------------------------- output
ORDER = ["id", "category", "query", "model", "model_file", "tools_any", "numbers", "ids",
         "no_growth", "turns", "expect_unresolved", "setup"]


def write(cases):
    for i, case in enumerate(cases, 1):
        case["id"] = f"H6_{i:03d}"
    out = [{k: _plain(case[k]) for k in ORDER if k in case} for case in cases]
    head = ("# fluxagent understanding corpus, sixth blind holdout (all cases held out).\n"
            "# GENERATED by .venv/bin/python eval/understanding/references6.py -- do not edit\n"
            "# by hand.\n"
            "# Format: eval/dev_queries.yaml (extra fields: category, model_file,\n"
            "# expect_unresolved, setup = how the reference was computed, for review only).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
    text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                 default_flow_style=None)
    (HERE / "holdout6.yaml").write_text(text)


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
