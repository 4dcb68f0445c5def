#!/usr/bin/env python
"""Reference answers for the eighth blind held-out corpus (``holdout8.yaml``).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references8.py

It writes ``eval/understanding/holdout8.yaml``; stdout stays empty, a summary goes to stderr.
Two runs give byte-identical files.

What was read: ``eval/understanding/README.md``, lines 1-601 (the helpers, copied here
unchanged) and the writer/main at the end of ``references6.py``, ``src/fluxagent/evaluation/``
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
Multi-step questions accumulate the conditions of their steps (``setup.steps``) and list the
growth of every step in question order.
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


# --------------------------------------------------------------------------- helpers (new)
ORDER = ["id", "category", "query", "model", "model_file", "tools_any", "numbers", "ids",
         "no_growth", "turns", "expect_unresolved", "setup"]


def merge(a: dict, b: dict) -> dict:
    """Accumulate condition spec ``b`` on top of ``a`` (lists extended, dicts updated)."""
    out = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
           for k, v in a.items()}
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k].update(v)
        elif isinstance(v, list) and isinstance(out.get(k), list):
            out[k] = out[k] + [x for x in v if x not in out[k]]
        else:
            out[k] = v
    return out


def steps_case(cat, model, query, steps, tools=T_FBA, turns=()):
    """Every step adds conditions to the previous ones; numbers = growth after each step."""
    spec: dict = {}
    vals, seen = [], []
    for st in steps:
        spec = merge(spec, st)
        vals.append(growth(model, spec))
        seen.append(spec)
    assert all(v > 1e-6 for v in vals), (query, vals)
    add(cat, model, query, tools, vals, [], False, turns, {"steps": seen})


def info_case(cat, model, query, numbers=(), ids=(), tools=T_INFO, turns=(), setup=None):
    add(cat, model, query, tools, numbers, ids, False, turns, setup)


def draft_opt(spec: dict, open_all: bool = False) -> float:
    m = M(D)
    with m:
        if open_all:
            for r in m.exchanges:
                r.bounds = (-1000.0, 1000.0)
        if "objective" in spec:
            m.objective = spec["objective"]
        v = m.slim_optimize(error_value=float("nan"))
    return 0.0 if not math.isfinite(v) else v


def sl_partners(gene: str) -> list[str]:
    return sorted({b if a == gene else a for a, b in core_sl_pairs() if gene in (a, b)})


# --------------------------------------------------------------------------- the questions
G = "EX_glc__D_e"
O2 = "EX_o2_e"


def build_cases():
    # ---------------------------------------------------------------- growth_default (4)
    gcase("growth_default", E, "e_coli_core, untouched. growth?")
    gcase("growth_default", J, "I've just opened iJO1366 and haven't changed a thing yet - "
          "what specific growth rate does it predict on the medium it comes with?")
    gcase("growth_default", S, "Salmonella model (iYS1720), stock conditions: max biomass "
          "flux in per hour please")
    gcase("growth_default", E, "equivalent of model.slim_optimize() on textbook with its "
          "shipped bounds -> value?")

    # ---------------------------------------------------------------- carbon_source (7)
    gcase("carbon_source", E, "Swap the glucose out for fumarate (only carbon) in the core "
          "E. coli model. How fast does it grow then?", {"carbon": {"EX_fum_e": None}})
    gcase("carbon_source", E, "core model: L-malate is the one and only carbon source, "
          "uptake eight mmol/gDW/h. mu?", {"carbon": {"EX_mal__L_e": 8}})
    gcase("carbon_source", J, "iJO1366 growing purely on glycerol (same uptake limit glucose "
          "would have had) - growth rate?", {"carbon": {"EX_glyc_e": None}})
    gcase("carbon_source", J, "what if iJO1366 only gets acetate as C source? growht rate pls",
          {"carbon": {"EX_ac_e": None}})
    gcase("carbon_source", S, "For Salmonella: no glucose at all, D-galactose instead as the "
          "sole carbon. What's the predicted growth?", {"carbon": {"EX_gal_e": None}})
    gcase("carbon_source", J, "Xylose (D-xylose) as the sole carbon for iJO1366 at 6 "
          "mmol gDW-1 h-1, everything else default. Growth rate?",
          {"carbon": {"EX_xyl__D_e": 6}})
    gcase("carbon_source", E, "Running e_coli_core on 2-oxoglutarate alone (no glucose), "
          "uptake capped at 10 - what growth do you get?", {"carbon": {"EX_akg_e": 10}})

    # ---------------------------------------------------------------- cofeed (5)
    gcase("cofeed", E, "co-feed in e_coli_core: glucose 5 plus fructose 3 mmol/gDW/h. "
          "growth?", {"uptake": {G: 5, "EX_fru_e": 3}})
    gcase("cofeed", J, "Keep the default glucose for iJO1366 but also let it take up acetate "
          "at up to 3 mmol/gDW/h. What does growth become?", {"uptake": {"EX_ac_e": 3}})
    gcase("cofeed", S, "salmonella with its usual glucose and, on top of that, glycerol "
          "at 2 -> growth rate?", {"uptake": {"EX_glyc_e": 2}})
    gcase("cofeed", E, "Mixed feed for the core model - glc 6, succinate 4 (both mmol per "
          "gDW per h). Predicted mu?", {"uptake": {G: 6, "EX_succ_e": 4}})
    gcase("cofeed", J, "iJO1366, glucose switched off; instead glycerol 5 and D-lactate 5 "
          "together. How fast?", {"carbon": {"EX_glyc_e": 5, "EX_lac__D_e": 5}})

    # ---------------------------------------------------------------- uptake_cap (7)
    gcase("uptake_cap", E, "limit glucose uptake of e_coli_core to four and a half "
          "mmol/gDW/h; growth?", {"uptake": {G: 4.5}})
    gcase("uptake_cap", J, "If the glucose exchange of iJO1366 gets a lower bound of -6, "
          "what's the growth rate?", {"uptake": {G: 6}})
    gcase("uptake_cap", S, "Salmonella but glucose restricted to 3 mmol per gram dry weight "
          "per hour - growth?", {"uptake": {G: 3}})
    gcase("uptake_cap", E, "Let's be generous with sugar: raise the core model's glucose "
          "limit to 15. Growth rate now?", {"uptake": {G: 15}})
    gcase("uptake_cap", J, "iJO1366 given 20 mmol/gDW/h glucose instead of the usual "
          "amount. mu = ?", {"uptake": {G: 20}})
    gcase("uptake_cap", S, "how does the salmonella model grow when I allow glucose "
          "uptake of 8 (oxygen stays as it is)?", {"uptake": {G: 8}})
    gcase("uptake_cap", E, "e_coli_core, glucose capped at 2, no wait, make that 3 "
          "mmol/gDW/h. What's the growth?", {"uptake": {G: 3}})

    # ---------------------------------------------------------------- oxygen (6)
    gcase("oxygen", E, "no O2 at all for the core model - growth rate?", {"anaerobic": True})
    gcase("oxygen", J, "Anaerobic iJO1366 on the standard glucose: how fast does it grow?",
          {"anaerobic": True})
    gcase("oxygen", S, "What happens to Salmonella growth if you take away oxygen "
          "completely?", {"anaerobic": True})
    gcase("oxygen", E, "microaerobic textbook run: oxygen uptake limited to 5 mmol/gDW/h. "
          "growth?", {"uptake": {O2: 5}})
    gcase("oxygen", J, "Cap EX_o2_e at 8 (uptake) in iJO1366 and tell me the growth rate.",
          {"uptake": {O2: 8}})
    gcase("oxygen", S, "The salmonella medium allows 18.5 O2; squeeze that down to 6 "
          "mmol/gDW/h. New growth rate?", {"uptake": {O2: 6}})

    # ---------------------------------------------------------------- nutrient_source (7)
    gcase("nutrient_source", E, "Core model with ammonium removed, L-glutamine as the only "
          "nitrogen source (uptake 5). Does it grow, and how fast?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_gln__L_e": 5}})
    gcase("nutrient_source", E, "nitrogen from glutamate only (10 mmol/gDW/h), no NH4 - "
          "growth of e_coli_core?", {"close": ["EX_nh4_e"], "uptake": {"EX_glu__L_e": 10}})
    gcase("nutrient_source", J, "iJO1366: replace ammonia with L-alanine at 5 as sole N "
          "source. Growth?", {"close": ["EX_nh4_e"], "uptake": {"EX_ala__L_e": 5}})
    gcase("nutrient_source", J, "Phosphate is gone from the medium; glycerol-3-phosphate "
          "(2 mmol/gDW/h) is the only P source for iJO1366. What growth rate?",
          {"close": ["EX_pi_e"], "uptake": {"EX_glyc3p_e": 2}})
    gcase("nutrient_source", J, "sulfur: no sulfate, taurine at 1 mmol/gDW/h is the sole "
          "S source. iJO1366 growth?", {"close": ["EX_so4_e"], "uptake": {"EX_taur_e": 1}})
    gcase("nutrient_source", S, "For the Salmonella model, make L-aspartate (uptake 5) the "
          "sole nitrogen source and report growth", {"close": ["EX_nh4_e"],
                                                     "uptake": {"EX_asp__L_e": 5}})
    gcase("nutrient_source", S, "salmonella, sulfate closed, thiosulfate 2 mmol/gDW/h as "
          "the only sulphur source: mu?", {"close": ["EX_so4_e"], "uptake": {"EX_tsul_e": 2}})

    # ---------------------------------------------------------------- medium (5)
    med1 = {G: 8, O2: 15, "EX_nh4_e": 10, "EX_pi_e": 10, "EX_h2o_e": 1000, "EX_h_e": 1000}
    gcase("medium", E, "Set the core model's medium to exactly this and nothing else: "
          "glucose 8, O2 15, NH4 10, phosphate 10, water 1000, H+ 1000. Growth?",
          {"medium": med1}, T_MED)
    med2 = {"EX_fru_e": 7, O2: 1000, "EX_nh4_e": 1000, "EX_pi_e": 1000, "EX_h2o_e": 1000,
            "EX_h_e": 1000, "EX_co2_e": 1000}
    gcase("medium", E, "medium = {EX_fru_e: 7, EX_o2_e: 1000, EX_nh4_e: 1000, EX_pi_e: "
          "1000, EX_h2o_e: 1000, EX_h_e: 1000, EX_co2_e: 1000} on e_coli_core -> growth",
          {"medium": med2}, T_MED)
    med3 = {G: 10, "EX_nh4_e": 10, "EX_pi_e": 10, "EX_h2o_e": 1000, "EX_h_e": 1000}
    gcase("medium", E, "Give e_coli_core a medium of only glucose (10), ammonium (10), "
          "phosphate (10), water and protons - note there's no oxygen in that list. "
          "What growth rate results?", {"medium": med3}, T_MED)
    mE = M(E).medium
    info_case("medium", E, "How many uptakes are open in the textbook model's default "
              "medium, and which exchanges are they?", [len(mE)], sorted(mE), T_MED,
              setup={"medium_of": "default"})
    mS = M(S).medium
    info_case("medium", S, "salmonella default medium: how many components does it have, "
              "and what's the oxygen limit in it?", [len(mS), mS[O2]], [], T_MED,
              setup={"medium_of": "default"})

    # ---------------------------------------------------------------- comparison (6)
    cmp_case("comparison", E, "Which sole carbon source gives e_coli_core the fastest "
             "growth: glucose, fructose, pyruvate or succinate? (default uptake each)",
             [("glucose|EX_glc__D_e", E, {}),
              ("fructose|EX_fru_e", E, {"carbon": {"EX_fru_e": None}}),
              ("pyruvate|EX_pyr_e", E, {"carbon": {"EX_pyr_e": None}}),
              ("succinate|EX_succ_e", E, {"carbon": {"EX_succ_e": None}})], T_CS)
    cmp_case("comparison", J, "iJO1366: compare growth on acetate vs glycerol vs glucose, "
             "each alone at 10 mmol/gDW/h. Best one?",
             [("acetate|EX_ac_e", J, {"carbon": {"EX_ac_e": 10}}),
              ("glycerol|EX_glyc_e", J, {"carbon": {"EX_glyc_e": 10}}),
              ("glucose|EX_glc__D_e", J, {"carbon": {G: 10}})], T_CS)
    cmp_case("comparison", S, "salmonella on glucose or on glycerol (sole C, usual limit) "
             "- which is better for growth and by how much?",
             [("glucose|EX_glc__D_e", S, {}),
              ("glycerol|EX_glyc_e", S, {"carbon": {"EX_glyc_e": None}})], T_CS)
    cmp_min("comparison", E, "Of these single knockouts in the core model - pgi, zwf, "
            "sdhA, pta - which one hurts growth the most? growth for each please",
            [("pgi|b4025", E, {"ko_genes": ["b4025"]}),
             ("zwf|b1852", E, {"ko_genes": ["b1852"]}),
             ("sdhA|b0723", E, {"ko_genes": ["b0723"]}),
             ("pta|b2297", E, {"ko_genes": ["b2297"]})], T_KO)
    cmp_case("comparison", J, "O2 uptake caps of 5, 10 and 15 mmol/gDW/h for iJO1366: "
             "growth at each, and which is highest?",
             [("15", J, {"uptake": {O2: 15}}), ("10", J, {"uptake": {O2: 10}}),
              ("5", J, {"uptake": {O2: 5}})][::-1])
    cmp_min("comparison", S, "Salmonella: knock out PtsG, Pgi or Zwf (one at a time). Which "
            "costs the most growth?",
            [("PtsG|STM1203", S, {"ko_genes": [sgene("PtsG")]}),
             ("Pgi|STM4221", S, {"ko_genes": [sgene("Pgi")]}),
             ("Zwf|STM1886", S, {"ko_genes": [sgene("Zwf")]})], T_KO)

    # ---------------------------------------------------------------- cross_model (4)
    cmp_case("cross_model", E, "Default growth of e_coli_core vs iJO1366 - which model "
             "predicts faster growth?",
             [("e_coli_core", E, {}), ("iJO1366", J, {})], T_XM)
    cmp_case("cross_model", J, "glycerol as the only carbon (each model's usual uptake "
             "limit): iJO1366 against salmonella, who grows faster?",
             [("iJO1366", J, {"carbon": {"EX_glyc_e": None}}),
              ("salmonella|iYS1720", S, {"carbon": {"EX_glyc_e": None}})], T_XM)
    cmp_case("cross_model", E, "Anaerobic growth in all three: e_coli_core, iJO1366 and "
             "the salmonella model. Rank them.",
             [("e_coli_core", E, {"anaerobic": True}), ("iJO1366", J, {"anaerobic": True}),
              ("salmonella|iYS1720", S, {"anaerobic": True})], T_XM)
    cmp_case("cross_model", S, "acetate-only (uptake 10 for both): salmonella vs "
             "iJO1366 growth?",
             [("salmonella|iYS1720", S, {"carbon": {"EX_ac_e": 10}}),
              ("iJO1366", J, {"carbon": {"EX_ac_e": 10}})], T_XM)

    # ---------------------------------------------------------------- doubling_time (4)
    dt_case("doubling_time", E, "doubling time of the core model in minutes, default "
            "everything", minutes=True)
    dt_case("doubling_time", J, "How many hours does iJO1366 need to double when it lives "
            "on glycerol alone?", {"carbon": {"EX_glyc_e": None}})
    dt_case("doubling_time", S, "Salmonella generation time (min) on its default medium?",
            minutes=True)
    dt_case("doubling_time", E, "e_coli_core without oxygen: td in h?", {"anaerobic": True})

    # ---------------------------------------------------------------- percent_change (4)
    pct_case("percent_change", E, "By what percentage does growth of e_coli_core fall when "
             "zwf is deleted?", {"ko_genes": ["b1852"]})
    pct_case("percent_change", J, "iJO1366 b4025 knockout: % change in growth rate "
             "relative to wild type?", {"ko_genes": ["b4025"]})
    pct_case("percent_change", S, "If salmonella's glucose is cut to 3 mmol/gDW/h, how many "
             "percent lower is its growth than with the normal 5?", {"uptake": {G: 3}},
             tools=T_FBA)
    pct_case("percent_change", E, "percent drop in core-model growth going from aerobic "
             "to anaerobic", {"anaerobic": True}, tools=T_FBA)

    # ---------------------------------------------------------------- gene_knockout (7)
    gcase("gene_knockout", E, "Delete zwf in the core model. Growth?",
          {"ko_genes": [cgene("zwf")]}, T_KO)
    gcase("gene_knockout", E, "pyruvate kinase double mutant (pykF and pykA both gone), "
          "e_coli_core: what growth?", {"ko_genes": [cgene("pykF"), cgene("pykA")]}, T_KO)
    gcase("gene_knockout", J, "iJO1366 with b3916 and b1723 both knocked out - can it still "
          "grow?", {"ko_genes": ["b3916", "b1723"]}, T_KO)
    gcase("gene_knockout", J, "knock out b0116 (lpd) in iJO1366, then growth rate?",
          {"ko_genes": ["b0116"]}, T_KO)
    gcase("gene_knockout", S, "Salmonella STM4221 deletion mutant - growth rate?",
          {"ko_genes": ["STM4221"]}, T_KO)
    gcase("gene_knockout", S, "What's the growth of a tpiA (STM4081) knockout of the "
          "salmonella model?", {"ko_genes": [sgene("TpiA")]}, T_KO)
    gcase("gene_knockout", E, "e_coli_core: remove the gene pgk (b2926). Does it survive?",
          {"ko_genes": ["b2926"]}, T_KO)

    # ---------------------------------------------------------------- reaction_knockout (7)
    gcase("reaction_knockout", E, "block PGI (set its bounds to zero) in e_coli_core -> "
          "growth", {"ko_rxns": ["PGI"]}, T_KO)
    gcase("reaction_knockout", E, "What if citrate synthase (CS) carries no flux in the core "
          "model?", {"ko_rxns": ["CS"]}, T_KO)
    gcase("reaction_knockout", J, "iJO1366 without oxygen and with PFL blocked. Growth "
          "rate?", {"anaerobic": True, "ko_rxns": ["PFL"]}, T_KO)
    gcase("reaction_knockout", S, "Knock out the reaction glucose-6-phosphate isomerase in "
          "salmonella. New growth?", {"ko_rxns": [rxn_by_name(S, "glucose-6-phosphate "
                                                                   "isomerase")]}, T_KO)
    gcase("reaction_knockout", E, "Turn off both THD2 and PPC in textbook; growth?",
          {"ko_rxns": ["THD2", "PPC"]}, T_KO)
    gcase("reaction_knockout", J, "iJO1366, fumarase reaction FUM removed - mu?",
          {"ko_rxns": ["FUM"]}, T_KO)
    gcase("reaction_knockout", E, "if the ATP synthase reaction of the core model is "
          "knocked out, what growth is left?",
          {"ko_rxns": [rxn_by_name(E, "ATP synthase (four protons for one ATP)")]}, T_KO)

    # ---------------------------------------------------------------- essential_genes (5)
    ess_count("essential_genes", E, "List the essential genes of e_coli_core on its default "
              "medium (and how many there are).", with_ids=True)
    ess_count("essential_genes", E, "how many genes become essential in the core model once "
              "oxygen is removed?", {"anaerobic": True})
    ess_count("essential_genes", J, "Number of essential genes in iJO1366 under standard "
              "conditions (KO growth below 1% of WT)?")
    ess_count("essential_genes", S, "salmonella - count of genes whose single deletion is "
              "lethal on the default medium")
    ess_count("essential_genes", E, "e_coli_core on acetate as sole carbon: how many genes "
              "are essential?", {"carbon": {"EX_ac_e": None}})

    # ---------------------------------------------------------------- essential_reactions (5)
    essr_count("essential_reactions", E, "How many reactions of e_coli_core are essential, "
               "counting exchanges and the biomass reaction too?")
    essr_count("essential_reactions", E, "essential reactions in the core model, but leave "
               "out exchange reactions and the biomass reaction: which and how many?",
               with_ids=True, exclude_boundary=True)
    essr_count("essential_reactions", E, "Anaerobically, which internal reactions (no "
               "exchanges, no biomass) of e_coli_core are indispensable? count them too",
               {"anaerobic": True}, with_ids=True, exclude_boundary=True)
    essr_count("essential_reactions", E, "On succinate alone, how many reactions does the "
               "core model strictly need (exchanges and biomass included in the count)?",
               {"carbon": {"EX_succ_e": None}})
    essr_count("essential_reactions", E, "core model growing on fructose only: number of "
               "essential reactions, not counting EX_ reactions or biomass",
               {"carbon": {"EX_fru_e": None}}, exclude_boundary=True)

    # ---------------------------------------------------------------- synthetic_lethal (6)
    count_case("synthetic_lethal", E, "Run a full double-gene-deletion screen on e_coli_core: "
               "how many synthetic lethal pairs of non-essential genes are there?",
               len(core_sl_pairs()), T_SL, setup={"sl_pairs": "full e_coli_core gene pair "
                                                  "screen, default medium"})
    sl_pair("synthetic_lethal", E, "Are pykF and pykA synthetic lethal in the core model?",
            [cgene("pykF"), cgene("pykA")])
    sl_pair("synthetic_lethal", E, "is the combination pgi + zwf synthetic lethal in "
            "e_coli_core?", [cgene("pgi"), cgene("zwf")])
    sl_pair("synthetic_lethal", J, "iJO1366: check whether b4025 and b1852 together form a "
            "synthetic lethal pair.", ["b4025", "b1852"])
    part_gene = None
    for gname in ["ppc", "pgi", "zwf", "tpiA", "sdhA", "pta", "ackA", "fbp", "pck", "gnd"]:
        ps = sl_partners(cgene(gname))
        if 1 <= len(ps) <= 4:
            part_gene = gname
            break
    ps = sl_partners(cgene(part_gene))
    count_case("synthetic_lethal", E, f"Which genes are synthetic lethal with {part_gene} "
               "in e_coli_core, and how many partners does it have?", len(ps), T_SL,
               ids=gene_alts(E, ps), setup={"sl_partners_of": cgene(part_gene)})
    count_case("synthetic_lethal", E, "how many synthetic-lethal REACTION pairs does the "
               "core model have (both reactions non-essential on their own)?",
               len(core_sl_rxn_pairs()), T_SL,
               setup={"sl_rxn_pairs": "full e_coli_core reaction pair screen"})

    # ---------------------------------------------------------------- fva (6)
    vcase("fva", E, "FVA at 90% of optimal growth for PFK and PGI in e_coli_core: min and "
          "max of each?", {}, ["PFK", "PGI"], 0.9)
    vcase("fva", E, "Range of the CO2 exchange in the core model when growth must stay at "
          "95 % of max?", {}, ["EX_co2_e"], 0.95)
    vcase("fva", J, "flux variability of EX_o2_e in iJO1366 at fraction_of_optimum=0.99",
          {}, [O2], 0.99)
    vcase("fva", S, "Salmonella: min/max CO2 release (EX_co2_e) while keeping 90 percent "
          "of the optimal growth?", {}, ["EX_co2_e"], 0.9)
    vcase("fva", E, "anaerobic core model, 80% optimum: variability of EX_etoh_e and "
          "ENO", {"anaerobic": True}, ["EX_etoh_e", "ENO"], 0.8)
    vcase("fva", J, "iJO1366 on glycerol (sole C). At 95% of max growth, what range can "
          "citrate synthase CS take?", {"carbon": {"EX_glyc_e": None}}, ["CS"], 0.95)

    # ---------------------------------------------------------------- reaction_flux (6)
    fcase("reaction_flux", E, "At the growth optimum of e_coli_core, how much O2 does it "
          "take up?", {}, [O2])
    fcase("reaction_flux", E, "Give me CO2 secretion and oxygen uptake fluxes of the core "
          "model at max growth.", {}, ["EX_co2_e", O2])
    fcase("reaction_flux", S, "salmonella at its optimum: glucose uptake flux and "
          "oxygen uptake flux?", {}, [G, O2])
    fcase("reaction_flux", E, "Anaerobic e_coli_core: formate, acetate and ethanol "
          "secretion at the optimum (in that order)", {"anaerobic": True},
          ["EX_for_e", "EX_ac_e", "EX_etoh_e"])
    fcase("reaction_flux", E, "With ATPM fixed at 15, what flux goes through citrate "
          "synthase in the core model at optimal growth?", {"bounds": {"ATPM": (15, 15)}},
          ["CS"])
    fcase("reaction_flux", E, "core model under O2 limitation (uptake 5): what's the acetate "
          "secretion at max growth?", {"uptake": {O2: 5}}, ["EX_ac_e"])

    # ---------------------------------------------------------------- bounds_atpm (6)
    gcase("bounds_atpm", E, "Set ATPM to 0 (both bounds) in e_coli_core. Growth?",
          {"bounds": {"ATPM": (0, 0)}})
    gcase("bounds_atpm", E, "non-growth maintenance raised: ATPM lower bound 20, upper 1000, "
          "textbook. mu?", {"bounds": {"ATPM": (20, 1000)}})
    gcase("bounds_atpm", J, "Fix the ATP maintenance of iJO1366 at ten mmol/gDW/h exactly - "
          "what's the growth?", {"bounds": {"ATPM": (10, 10)}})
    gcase("bounds_atpm", S, "salmonella has ATPM pinned at 8.39; re-pin it at 5 (lb=ub=5) "
          "and give growth", {"bounds": {"ATPM": (5, 5)}})
    gcase("bounds_atpm", E, "core model, ATPM bounds (10, 12): growth rate?",
          {"bounds": {"ATPM": (10, 12)}})
    gcase("bounds_atpm", J, "drop the ATPM requirement of iJO1366 to zero (lb 0) - how much "
          "faster does it grow? just give the new rate", {"bounds": {"ATPM": (0, 1000)}})

    # ---------------------------------------------------------------- growth_floor (5)
    pcase("growth_floor", E, "Maximise acetate secretion in e_coli_core while growth is at "
          "least 0.2 1/h.", {"floor": 0.2}, "EX_ac_e")
    pcase("growth_floor", J, "In iJO1366, what is the highest succinate export possible "
          "while keeping 50% of the optimal growth?", {"fraction": 0.5}, "EX_succ_e")
    pcase("growth_floor", S, "salmonella: max ethanol output with biomass >= 0.1 per h?",
          {"floor": 0.1}, "EX_etoh_e")
    pcase("growth_floor", E, "anaerobic core model, growth constrained to at least 30 % of "
          "its (anaerobic) optimum: maximal D-lactate secretion?",
          {"anaerobic": True, "fraction": 0.3}, "EX_lac__D_e")
    pcase("growth_floor", E, "Without oxygen, how much formate can e_coli_core make if it "
          "still has to grow at 0.1 h^-1 or more?", {"anaerobic": True, "floor": 0.1},
          "EX_for_e")

    # ---------------------------------------------------------------- max_production (6)
    pcase("max_production", E, "Max ethanol flux from e_coli_core under anaerobic "
          "conditions (growth not required)?", {"anaerobic": True}, "EX_etoh_e")
    pcase("max_production", J, "theoretical max succinate secretion of iJO1366 on default "
          "glucose, no growth constraint", {}, "EX_succ_e")
    pcase("max_production", S, "How much acetate could the salmonella model excrete at "
          "most?", {}, "EX_ac_e")
    pcase("max_production", J, "iJO1366 max L-lysine export (mmol/gDW/h)?", {},
          "EX_lys__L_e")
    pcase("max_production", E, "What's the ceiling on 2-oxoglutarate secretion for the core "
          "model?", {}, "EX_akg_e")
    pcase("max_production", J, "putrescine: maximal production rate in iJO1366, aerobic "
          "default glucose", {}, "EX_ptrc_e")

    # ---------------------------------------------------------------- objective_change (6)
    pcase("objective_change", E, "change the objective of e_coli_core to ATPM and "
          "maximise it - value?", {}, "ATPM", T_PROD)
    pcase("objective_change", E, "Objective = EX_succ_e (maximise), anaerobic core model. "
          "Optimum?", {"anaerobic": True}, "EX_succ_e", T_PROD)
    pcase("objective_change", J, "iJO1366 with ATPM as the objective instead of biomass: "
          "what's the max?", {}, "ATPM", T_PROD)
    pcase("objective_change", S, "In salmonella open ATPM's upper bound to 1000 and make it "
          "the objective. Max ATP maintenance flux?", {"bounds": {"ATPM": (8.39, 1000)}},
          "ATPM", T_PROD)
    pcase("objective_change", E, "Set the objective to the citrate synthase flux (CS, max) "
          "in e_coli_core. Optimal value?", {}, "CS", T_PROD)
    pcase("objective_change", J, "anaerobic iJO1366, objective switched to ethanol export "
          "EX_etoh_e: optimum?", {"anaerobic": True}, "EX_etoh_e", T_PROD)

    # ---------------------------------------------------------------- yield (7)
    ycase("yield", E, "Anaerobic ethanol yield on glucose for the core model, mol/mol, at "
          "maximal ethanol production?", {"anaerobic": True}, "EX_etoh_e", G)
    ycase("yield", E, "acetate yield in grams per gram of glucose (e_coli_core, max "
          "acetate)", {}, "EX_ac_e", G, "g")
    ycase("yield", J, "What's the max succinate yield of iJO1366 in mol per mol glucose?",
          {}, "EX_succ_e", G)
    biomass_yield("yield", E, "Biomass yield of e_coli_core on glucose in gDW per g?")
    biomass_yield("yield", J, "iJO1366 biomass yield, grams dry weight per gram glucose, "
                  "default medium")
    atp_yield("yield", E, "How many ATP per glucose can the core model make at most (max "
              "ATPM / glucose uptake)?")
    ycase("yield", J, "Anaerobic iJO1366: D-lactate yield on glucose in g/g at maximum "
          "lactate?", {"anaerobic": True}, "EX_lac__D_e", G, "g")

    # ---------------------------------------------------------------- model_info (6)
    mE_ = M(E)
    info_case("model_info", E, "size of e_coli_core? reactions / metabolites / genes",
              [len(mE_.reactions), len(mE_.metabolites), len(mE_.genes)])
    info_case("model_info", J, "How many genes does iJO1366 contain?", [len(M(J).genes)])
    info_case("model_info", S, "Number of reactions and number of metabolites in the "
              "Salmonella model?", [len(M(S).reactions), len(M(S).metabolites)])
    info_case("model_info", E, "how many exchange reactions does the core model have?",
              [len(mE_.exchanges)])
    info_case("model_info", J, "What's the objective reaction of iJO1366 (id)?", [],
              [bio(J)])
    rx = sorted(r.id for r in mE_.genes.get_by_id(cgene("gltA")).reactions)
    info_case("model_info", E, "Which reaction(s) in e_coli_core does gltA encode?", [], rx,
              setup={"reactions_of_gene": cgene("gltA")})

    # ---------------------------------------------------------------- minimal_medium (2)
    common, size = min_medium(E, {}, 0.1)
    add("minimal_medium", E, "Smallest set of uptakes that still lets e_coli_core reach "
        "0.1 1/h - how many, and which are always in it?", T_MIN, [size], common, False, (),
        {"minimal_medium": "minimize_components=5", "min_growth": 0.1})
    common2, size2 = min_medium(E, {}, 0.5)
    add("minimal_medium", E, "Minimal medium (fewest components) for the core model to grow "
        "at 0.5 per hour: size and the exchanges it must contain?", T_MIN, [size2], common2,
        False, (), {"minimal_medium": "minimize_components=5", "min_growth": 0.5})

    # ---------------------------------------------------------------- blocked_reactions (2)
    count_case("blocked_reactions", E, "How many reactions of the core model cannot carry "
               "flux on its default medium?", blocked(E, False), T_BLOCK,
               setup={"find_blocked_reactions": "default medium"})
    from cobra.flux_analysis import find_blocked_reactions
    m = M(E)
    with m:
        apply(m, E, {"anaerobic": True})
        n_anaer = len(find_blocked_reactions(m, processes=1))
    count_case("blocked_reactions", E, "number of blocked reactions in e_coli_core once the "
               "oxygen uptake is shut", n_anaer, T_BLOCK,
               setup={"anaerobic": True, "find_blocked_reactions": "current medium"})

    # ---------------------------------------------------------------- validation (2)
    acc, mccv, conf = essentiality_scores(J)
    add("validation", J, "Validate iJO1366's gene essentiality predictions against the "
        "bundled glucose M9 essentiality data: accuracy and MCC?", T_PHEN, [acc, mccv],
        [], False, (), {"phenotypes": "essential_genes_glucose_m9.tsv",
                        "confusion_tp_fp_fn_tn": list(conf)})
    _accE, mccE, confE = essentiality_scores(E)
    add("validation", E, "how well does e_coli_core predict essential genes vs the E. coli "
        "glucose-M9 essentiality table? give the MCC", T_PHEN, [mccE], [], False, (),
        {"phenotypes": "essential_genes_glucose_m9.tsv", "confusion_tp_fp_fn_tn": list(confE)})

    # ---------------------------------------------------------------- modelseed_draft (7)
    d = M(D)
    draft("modelseed_draft", "Load the ModelSEED draft json and tell me how many reactions, "
          "metabolites and genes it has.", numbers=[len(d.reactions), len(d.metabolites),
                                                   len(d.genes)])
    assert draft_opt({"objective": "bio1"}) < 1e-9
    draft("modelseed_draft", "Does this draft model grow? Use bio1 as objective.",
          no_growth=True, setup={"objective": "bio1"})
    assert draft_opt({"objective": "bio1"}, open_all=True) < 1e-9
    draft("modelseed_draft", "draft model, every exchange opened to -1000..1000, maximise "
          "biomass (bio1) - growth?", no_growth=True,
          setup={"objective": "bio1", "open_all_exchanges": True})
    draft("modelseed_draft", "How many exchange reactions are in the ModelSEED draft?",
          numbers=[len(d.exchanges)])
    draft("modelseed_draft", "What is the objective of the draft file, and how many "
          "compartments does the model use?", numbers=[len(d.compartments)], ids=["ATPM_c0"])
    nogpr = sum(1 for r in d.reactions if not r.gene_reaction_rule.strip())
    draft("modelseed_draft", "In the draft model, how many reactions have no gene "
          "association (empty GPR)?", numbers=[nogpr], setup={"count": "empty GPR"})
    atp_open = draft_opt({"objective": "ATPM_c0"}, open_all=True)
    draft("modelseed_draft", "Open all the exchanges of the draft model and maximise its "
          "own objective (ATPM_c0). Value?", numbers=[atp_open],
          setup={"objective": "ATPM_c0", "open_all_exchanges": True})

    # ---------------------------------------------------------------- modelseed_lookup (8)
    lookup("ModelSEED compound id for pyruvate?", ids=[cpd_by_name("Pyruvate")],
           setup={"name": "Pyruvate"})
    lookup("BiGG akg -> ModelSEED id", ids=[ms_of("cpd", "akg", "BiGG")],
           setup={"bigg": "akg"})
    lookup("what's the KEGG compound id of cpd00027?", ids=[ext_of("cpd", "cpd00027", "KEGG")],
           setup={"modelseed": "cpd00027", "to": "KEGG"})
    lookup("Translate the BiGG reaction PGI into a ModelSEED reaction id.",
           ids=[ms_of("rxn", "PGI", "BiGG")], setup={"bigg_rxn": "PGI"})
    lookup("EC number(s) of ModelSEED reaction rxn00148?",
           ids=[ext_of("ec", "rxn00148", "Enzyme Class")], setup={"ec_of": "rxn00148"})
    c23 = compounds()["cpd00023"]
    lookup("cpd00023 - name, formula and charge please", numbers=[int(c23["charge"])] if
           int(c23["charge"]) else [], ids=[c23["formula"]], setup={"compound": "cpd00023"})
    c106 = compounds()[cpd_by_name("Fumarate")]
    lookup("what mass does ModelSEED list for fumarate?", numbers=[float(c106["mass"])],
           ids=[c106["id"]], setup={"compound": c106["id"], "field": "mass"})
    lookup("KEGG C00022 is which ModelSEED compound?", ids=[ms_of("cpd", "C00022", "KEGG")],
           setup={"kegg": "C00022"})

    # ---------------------------------------------------------------- multi_step (6)
    steps_case("multi_step", E, "Step by step on e_coli_core: (1) plain growth, (2) then "
               "remove oxygen, (3) then additionally cap glucose at 6. Growth after each.",
               [{}, {"anaerobic": True}, {"uptake": {G: 6}}])
    steps_case("multi_step", J, "iJO1366 - first cap glucose at 5, then also delete b4025, "
               "and finally take the oxygen away. report mu at every stage",
               [{"uptake": {G: 5}}, {"ko_genes": ["b4025"]}, {"anaerobic": True}])
    steps_case("multi_step", S, "Salmonella: glucose up to 8 first; after that limit O2 "
               "to 10 too. What's growth after step 1 and after step 2?",
               [{"uptake": {G: 8}}, {"uptake": {O2: 10}}])
    steps_case("multi_step", E, "1. fix ATPM at 20 in the core model  2. then lower the "
               "glucose limit to 5  -> growth at 1 and at 2",
               [{"bounds": {"ATPM": (20, 20)}}, {"uptake": {G: 5}}])
    steps_case("multi_step", J, "first put iJO1366 on glycerol as sole carbon, then swap "
               "ammonium for glutamine (5) as the N source; growth at both points?",
               [{"carbon": {"EX_glyc_e": None}},
                {"close": ["EX_nh4_e"], "uptake": {"EX_gln__L_e": 5}}])
    steps_case("multi_step", E, "For e_coli_core do this in order: block PGI, then also "
               "block G6PDH2r... no, I meant SUCDi instead. Growth after each of the two "
               "steps?", [{"ko_rxns": ["PGI"]}, {"ko_rxns": ["SUCDi"]}], T_KO)

    # ---------------------------------------------------------------- followup (10)
    gcase("followup", E, "and without oxygen?", {"anaerobic": True},
          turns=["what's the growth rate of e_coli_core?"])
    gcase("followup", J, "now knock out b1852 as well", {"ko_genes": ["b1852"]}, T_KO,
          turns=["load iJO1366 and tell me its growth"])
    dt_case("followup", S, "what doubling time is that, in minutes?", minutes=True, tools=[],
            turns=["growth of the salmonella model on its default medium?"])
    gcase("followup", E, "switch the carbon to fructose at the same rate instead",
          {"carbon": {"EX_fru_e": 5}},
          turns=["cap glucose uptake of e_coli_core at 5 and give me the growth"])
    gcase("followup", E, "ok undo that, back to aerobic, but cap glucose at 7",
          {"uptake": {G: 7}}, turns=["e_coli_core anaerobic growth?"])
    pct_case("followup", J, "how many percent lower is that than the wild type?",
             {"ko_genes": ["b0116"]}, tools=T_KO + T_FBA,
             turns=["iJO1366: growth after knocking out b0116?"])
    ycase("followup", E, "and what yield on glucose is that in mol/mol?",
          {"anaerobic": True}, "EX_etoh_e", G,
          turns=["maximum anaerobic ethanol production of e_coli_core?"])
    draft("followup", "does bio1 carry any flux if I maximise it?", no_growth=True,
          turns=["load the ModelSEED draft file and count its reactions"],
          setup={"objective": "bio1"})
    gcase("followup", E, "add a pykA knockout on top", {"ko_genes": [cgene("pykF"),
                                                                    cgene("pykA")]}, T_KO,
          turns=["knock out pykF in the core model; growth?"])
    gcase("followup", S, "and now raise glucose to 10", {"anaerobic": True,
                                                         "uptake": {G: 10}},
          turns=["salmonella without oxygen, growth?"])

    # ---------------------------------------------------------------- unresolved (26)
    U = [
        (E, "What's the growth of e_coli_core at 42 degrees C on the default glucose?"),
        (J, "iJO1366 on glucose, but the culture is held at pH 5.5 - predicted growth rate?"),
        (S, "Growth of the salmonella model with 50 ug/mL ampicillin in the medium?"),
        (E, "core model, glucose at 20 g/L in the flask instead of the usual uptake limit: "
            "growth?"),
        (J, "Assume the glucose transporter has a Km of 0.01 mM; what growth does iJO1366 "
            "reach?"),
        (E, "Simulate a 10 hour batch culture of e_coli_core and tell me the biomass "
            "concentration at the end"),
        (S, "For salmonella in 0.5 M NaCl (osmotic stress), what's mu with default glucose?"),
        (J, "knock out b1852 in iJO1366 and tell me growth after the cells have adapted for "
            "three days"),
        (E, "e_coli_core anaerobic, at an OD600 of 2.0, what is the ethanol secretion?"),
        (J, "Growth of iJO1366 on glucose under 2 mM hydrogen peroxide?"),
        (S, "If salmonella is grown in a 2 L bioreactor stirred at 800 rpm, how fast does it "
            "grow?"),
        (E, "What's the maximal acetate production of the core model when pgi is only 30% "
            "expressed?"),
        (J, "iJO1366 growth during stationary phase on the default medium?"),
        (E, "At 25 °C and otherwise standard conditions, what doubling time does "
            "e_coli_core have?"),
        (S, "Predict salmonella growth inside macrophages with its default glucose uptake"),
        (J, "how does growth of iJO1366 change when the medium contains 5 g/L of acetate "
            "and 2 g/L glucose?"),
        (E, "Max ethanol of e_coli_core if the culture is exposed to UV light for an hour?"),
        (J, "essential genes of iJO1366 under heat shock at 46 C?"),
        (S, "salmonella FVA of EX_co2_e at 90% optimum, with the pressure at 3 bar"),
        (E, "How fast does the core model grow after the enzyme PFK has been inhibited by "
            "1 mM of an inhibitor?"),
        (J, "Growth rate of iJO1366 in a biofilm on default medium?"),
        (E, "give me the succinate yield of e_coli_core over the first 30 minutes after "
            "switching off oxygen"),
        (S, "Salmonella growth with glucose at 5 mmol/gDW/h and the medium buffered at pH 8"),
        (J, "iJO1366 growth at 10^9 cells per mL with the default medium?"),
        (E, "e_coli_core with a 2x overexpression of zwf: new growth rate?"),
    ]
    for mo, q in U:
        unresolved(mo, q)
    unresolved(E, "and what if the temperature is 30 °C instead?",
               turns=["growth rate of e_coli_core on default glucose?"])


def write(cases):
    for i, case in enumerate(cases, 1):
        case["id"] = f"H8_{i:03d}"
    out = [{k: _plain(case[k]) for k in ORDER if k in case} for case in cases]
    head = ("# fluxagent understanding corpus, eighth blind holdout (all cases held out).\n"
            "# GENERATED by .venv/bin/python eval/understanding/references8.py -- do not edit\n"
            "# by hand.\n"
            "# Format: eval/dev_queries.yaml (extra fields: category, model_file,\n"
            "# expect_unresolved, setup = how the reference was computed, for review only).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
    text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                 default_flow_style=None)
    (HERE / "holdout8.yaml").write_text(text)


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
