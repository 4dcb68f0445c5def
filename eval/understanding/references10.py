#!/usr/bin/env python
"""Reference answers for the tenth blind held-out corpus (``holdout10.yaml``).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references10.py

It writes ``eval/understanding/holdout10.yaml``; stdout stays empty, a short summary goes to
stderr. Two runs give byte-identical files.

What was read: ``eval/understanding/README.md``, lines 1-601 and 1090-end of
``references6.py`` (the helpers and the YAML writer, copied here and adapted),
``src/fluxagent/evaluation/`` (loader and scoring), the tool names (``fluxagent tools list``),
the model files, the ModelSEED biochemistry tables and the ModelSEED draft model. What was NOT
read: anything under ``src/fluxagent/llm/`` or ``tests/llm/``, any question file
(``eval/**/*.yaml``, ``/work/shared/eval``), ``RESULTS.md``, the other ``references*.py`` files
or the git log; the agent was not run on these questions.

This script is self-contained: it imports neither fluxagent nor ``references*.py``. Every
reference number comes from plain cobrapy (0.32.1, GLPK) on the models cobrapy ships
(``textbook`` = e_coli_core, ``iJO1366``, ``salmonella`` = iYS1720), the ModelSEED draft
``tests/data/modelseed/examples/example_ecoli_modelseed_model.json`` read with
``cobra.io.load_json_model`` and the ModelSEED biochemistry tables under
``src/fluxagent/data/modelseed/biochemistry/`` (gzip + csv). Conventions: README.md
("Conventions used by the references" and those of the later holdouts); numbers are rounded
to 6 significant digits.
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


# --------------------------------------------------------------------------- extra helpers
T_XM = ["run_fba", "load_model", "compare_media", "set_medium"]
T_CS = ["compare_media", "run_fba", "set_medium"]


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
T_DT = ["run_fba", "run_pfba", "set_medium", "set_bounds", "knockout_genes"]
DEFAULT_EQ: list[str] = []


def merge(a: dict, b: dict) -> dict:
    """Accumulate condition b on top of a (multi-step questions, follow-ups)."""
    out = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
           for k, v in a.items()}
    for k, v in b.items():
        if k in ("ko_genes", "ko_rxns", "close"):
            out[k] = out.get(k, []) + list(v)
        elif k in ("uptake", "bounds"):
            out[k] = {**out.get(k, {}), **v}
        else:
            out[k] = v
    return out


def mcase(model, query, steps, tools=T_FBA):
    """Multi-step: the conditions accumulate; numbers = growth (or optimum) of every step."""
    spec: dict = {}
    nums = []
    for st in steps:
        spec = merge(spec, {k: v for k, v in st.items() if k not in ("objective", "demand")})
        if "objective" in st or "demand" in st:
            v = opt(model, {**spec, **{k: st[k] for k in ("objective", "demand") if k in st}})
        else:
            v = growth(model, spec)
        if v < 1e-6:
            SKIPPED.append(f"WARNING lethal step in multi-step: {query}")
        nums.append(v)
    add("multi_step", model, query, tools, nums, [], False, (), {"steps": steps})


def check_default(cat, model, query, spec, value):
    if cat in ("growth_default", "doubling_time"):
        return
    if abs(value - growth(model)) < 1e-7:
        DEFAULT_EQ.append(f"{model} {cat}: {query[:70]}")


def g(cat, model, query, spec=None, tools=T_FBA, turns=()):
    v = gcase(cat, model, query, spec, tools, turns)
    check_default(cat, model, query, spec, v)
    return v


def v_(cat, model, query, spec, rxns, fraction, tools=T_FVA, turns=()):
    res = fva(model, spec or {}, rxns, fraction)
    if any(abs(x) < 1e-9 for r in rxns for x in res[r]):
        SKIPPED.append(f"WARNING zero FVA bound: {query[:70]} {res}")
    vcase(cat, model, query, spec, rxns, fraction, tools, turns)


def draft_opt(spec: dict, objective: str | None = None) -> float:
    m = M(D)
    with m:
        apply(m, D, spec)
        if objective:
            m.objective = objective
        v = m.slim_optimize(error_value=float("nan"))
    return 0.0 if not math.isfinite(v) else v


def draft_all_open(objective: str) -> float:
    m = M(D)
    with m:
        for r in m.exchanges:
            r.bounds = (-1000.0, 1000.0)
        m.objective = objective
        v = m.slim_optimize(error_value=float("nan"))
    return 0.0 if not math.isfinite(v) else v


# --------------------------------------------------------------------------- the questions
GLC, O2, NH4, PI, SO4 = "EX_glc__D_e", "EX_o2_e", "EX_nh4_e", "EX_pi_e", "EX_so4_e"


def q_growth_default():
    c = "growth_default"
    g(c, E, "e_coli_core, stock medium, nothing changed. Max growth rate?")
    g(c, J, "Could you load iJO1366 and tell me the predicted specific growth rate on the medium "
            "it ships with? Units of 1/h please.")
    g(c, S, "I'm starting a project on Salmonella Typhimurium LT2 with the iYS1720 "
            "reconstruction that comes with cobrapy. Before I change anything, what growth rate "
            "does it predict out of the box?")
    g(c, E, "whats the optimal value of the biomass objective in the textbook model (the small "
            "E. coli core one) if i dont touch any bounds")


def q_carbon():
    c = "carbon_source"
    g(c, E, "Could the core model live on alpha-ketoglutarate? Take glucose away and offer "
            "2-oxoglutarate (akg) as the only carbon source at up to 10 mmol/gDW/h. What growth "
            "rate comes out?", {"carbon": {"EX_akg_e": 10}})
    g(c, E, "Core model. Sole carbon source D-lactate, max uptake eight mmol gDW^-1 h^-1, "
            "glucose exchange closed, aerobic as usual. What's mu?",
      {"carbon": {"EX_lac__D_e": 8}})
    g(c, J, "iJO1366 on glycerol, glucose gone entirely -- glycerol uptake limited to 8, no "
            "wait, 10 mmol/gDW/h. What growth rate does FBA give?",
      {"carbon": {"EX_glyc_e": 10}})
    g(c, J, "Swap the carbon source of iJO1366 to N-acetyl-D-glucosamine (EX_acgam_e), allowing "
            "the same 10 mmol/gDW/h that glucose had, and report the growth.",
      {"carbon": {"EX_acgam_e": 10}})
    g(c, S, "We're testing our Typhimurium strain on arabinose plates. In iYS1720, with "
            "L-arabinose as the sole carbon source (uptake at most 5 mmol gDW⁻¹ h⁻¹, glucose "
            "exchange shut), what's the predicted growth rate?",
      {"carbon": {"EX_arab__L_e": 5}})
    g(c, S, "In iYS1720, what growth does D-sorbitol support when it is the only carbon "
            "source? Let it take up 5 mmol per gDW per hour.", {"carbon": {"EX_sbt__D_e": 5}})
    g(c, J, "trehalose only, 6 mmol/gDW/h, iJO1366 -- growth?", {"carbon": {"EX_tre_e": 6}})


def q_uptake():
    c = "uptake_cap"
    g(c, E, "What growth would e_coli_core manage if its glucose uptake were throttled to "
            "four and a half mmol/gDW/h?", {"uptake": {GLC: 4.5}})
    g(c, E, "If I set the lower bound of EX_glc__D_e to -3 in the core model, what's the "
            "growth rate?", {"uptake": {GLC: 3}})
    g(c, J, "iJO1366 with glucose uptake restricted to 7.25 mmol gDW-1 h-1: max growth?",
      {"uptake": {GLC: 7.25}})
    g(c, S, "Salmonella's default glucose limit is 5. Raise it to 8 mmol/gDW/h and leave "
            "oxygen and everything else as shipped. New growth rate?", {"uptake": {GLC: 8}})
    g(c, E, "Suppose only 2 mmol/gDW/h of ammonium is available (NH4 uptake capped there, "
            "glucose stays at its usual 10). e_coli_core growth?", {"uptake": {NH4: 2}})
    g(c, J, "Limit phosphate uptake in iJO1366 to half a mmol/gDW/h, everything else default. "
            "Growth?", {"uptake": {PI: 0.5}})
    g(c, S, "iYS1720 with sulfate uptake capped at 0.05 mmol/gDW/h: what's the growth rate",
      {"uptake": {SO4: 0.05}})


def q_oxygen():
    c = "oxygen"
    g(c, E, "What is e_coli_core's growth rate anaerobically (no O2 uptake), default glucose?",
      {"anaerobic": True})
    g(c, E, "Oxygen-limited core model: O2 may enter at five mmol per gram dry weight per "
            "hour, not more. Growth?", {"uptake": {O2: 5}})
    g(c, J, "iJO1366 without any oxygen -- growth rate?", {"anaerobic": True})
    g(c, J, "microaerobic iJO1366: allow oxygen uptake of only 2.5 mmol/gDW/h. what mu?",
      {"uptake": {O2: 2.5}})
    g(c, S, "salmonella, anaerobic (EX_o2_e lower bound 0). growth?", {"anaerobic": True})
    g(c, S, "The salmonella model ships with O2 limited to 18.5 mmol/gDW/h. Tighten that "
            "to 9: what growth rate do you get now?", {"uptake": {O2: 9}})
    g(c, E, "Restrict EX_o2_e to twelve mmol/gDW/h in e_coli_core; what growth rate do you "
            "get?", {"uptake": {O2: 12}})


def q_nutrient():
    c = "nutrient_source"
    g(c, E, "e_coli_core: replace ammonium with L-glutamine as the nitrogen source (NH4 exchange "
            "closed, glutamine uptake up to 5 mmol/gDW/h, glucose as usual). Growth?",
      {"close": [NH4], "uptake": {"EX_gln__L_e": 5}})
    g(c, E, "Nitrogen from L-glutamate only: glutamate uptake <= 10 mmol/gDW/h, no ammonium "
            "at all. Core model growth rate?", {"close": [NH4], "uptake": {"EX_glu__L_e": 10}})
    g(c, J, "iJO1366 with urea as its sole nitrogen source -- 5 mmol/gDW/h of urea, ammonium "
            "exchange closed. How fast?", {"close": [NH4], "uptake": {"EX_urea_e": 5}})
    g(c, J, "For iJO1366, take phosphate away and give sn-glycerol 3-phosphate (EX_glyc3p_e) at "
            "1 mmol/gDW/h as the only P source. Growth?",
      {"close": [PI], "uptake": {"EX_glyc3p_e": 1}})
    g(c, J, "Sulfur source swap in iJO1366: no sulfate, taurine at 1 mmol gDW^-1 h^-1 "
            "instead. What's the growth rate?", {"close": [SO4], "uptake": {"EX_taur_e": 1}})
    g(c, S, "Salmonella: L-arginine as the only nitrogen source (2 mmol/gDW/h; NH4 closed). "
            "Growth rate?", {"close": [NH4], "uptake": {"EX_arg__L_e": 2}})
    g(c, S, "iYS1720 with L-cysteine replacing sulfate as the sulfur source, cysteine uptake "
            "0.5 mmol/gDW/h. mu?", {"close": [SO4], "uptake": {"EX_cys__L_e": 0.5}})


def q_cofeed():
    c = "cofeed"
    g(c, E, "Glucose as usual (10) and, on top of it, acetate up to 5 mmol/gDW/h for the "
            "core model. What does that do to growth?", {"uptake": {"EX_ac_e": 5}})
    g(c, E, "Core model co-fed with glucose and succinate, 5 mmol/gDW/h each. Growth rate?",
      {"uptake": {GLC: 5, "EX_succ_e": 5}})
    g(c, J, "iJO1366: keep glucose at its default 10 and additionally allow glycerol uptake of "
            "up to 4 mmol/gDW/h. growth?", {"uptake": {"EX_glyc_e": 4}})
    g(c, S, "Salmonella on its default 5 glucose plus L-malate at 3 mmol/gDW/h -- what's the "
            "growth?", {"uptake": {"EX_mal__L_e": 3}})
    g(c, J, "iJO1366 co-fed glucose six and D-xylose six (mmol/gDW/h each). mu?",
      {"uptake": {GLC: 6, "EX_xyl__D_e": 6}})


def q_medium():
    c = "medium"
    g(c, E, "Set the core model's medium to exactly this and nothing else: EX_glc__D_e 8, "
            "EX_o2_e 15, EX_nh4_e 1000, EX_pi_e 1000, EX_h2o_e 1000, EX_h_e 1000 (so no CO2 "
            "uptake). Growth?",
      {"medium": {GLC: 8, O2: 15, NH4: 1000, PI: 1000, "EX_h2o_e": 1000, "EX_h_e": 1000}},
      tools=T_MED)
    g(c, E, "Medium for e_coli_core = glucose at 10, plus ammonium, phosphate, water and "
            "protons at 1000 -- and that's it, no oxygen, no CO2. Growth rate?",
      {"medium": {GLC: 10, NH4: 1000, PI: 1000, "EX_h2o_e": 1000, "EX_h_e": 1000}},
      tools=T_MED)
    g(c, J, "iJO1366: take both iron exchanges (Fe2+ and Fe3+) out of the medium. Can it still "
            "grow?", {"close": ["EX_fe2_e", "EX_fe3_e"]}, tools=T_MED)
    base = dict(M(S).medium)
    base.pop("EX_23dhb_e")
    base.pop("EX_cbl1_e")
    base[GLC] = 10
    base[O2] = 20
    g(c, S, "Start from salmonella's shipped medium, drop 2,3-dihydroxybenzoate and cobalamin, "
            "and set glucose to 10 and oxygen to 20 mmol/gDW/h. Growth?",
      {"medium": base}, tools=T_MED)


def q_gene_ko():
    c = "gene_knockout"
    g(c, E, "Delete both phosphofructokinase genes, pfkA and pfkB, in e_coli_core. Growth?",
      {"ko_genes": [cgene("pfkA"), cgene("pfkB")]}, tools=T_KO)
    g(c, E, "lpd (b0116) is shared by pyruvate dehydrogenase and 2-oxoglutarate "
            "dehydrogenase. Knock it out in e_coli_core: growth rate?",
      {"ko_genes": ["b0116"]}, tools=T_KO)
    g(c, E, "zwf deletion (the glucose-6-phosphate dehydrogenase gene): growth of the mutant, "
            "core model?", {"ko_genes": [cgene("zwf")]}, tools=T_KO)
    g(c, J, "iJO1366 delta-b0432 (a cytochrome bo3 subunit). Growth?",
      {"ko_genes": ["b0432"]}, tools=T_KO)
    g(c, J, "double mutant b3919 b4025 (tpiA, pgi) in iJO1366 -- mu?",
      {"ko_genes": ["b3919", "b4025"]}, tools=T_KO)
    g(c, S, "Salmonella tpiA mutant (STM4081): growth rate?", {"ko_genes": ["STM4081"]},
      tools=T_KO)
    g(c, S, "iYS1720: delete atpA. How much growth is left?",
      {"ko_genes": [sgene("AtpA")]}, tools=T_KO)
    g(c, J, "b2926 knockot, iJO1366, default medium", {"ko_genes": ["b2926"]}, tools=T_KO)


def q_rxn_ko():
    c = "reaction_knockout"
    g(c, E, "Block the glucose-6-phosphate isomerase reaction (PGI) in e_coli_core. Growth?",
      {"ko_rxns": ["PGI"]}, tools=T_KO)
    g(c, E, "e_coli_core with CYTBD (cytochrome oxidase bd) switched off: growth?",
      {"ko_rxns": ["CYTBD"]}, tools=T_KO)
    g(c, E, "Knock out the ATP synthase reaction ATPS4r (just the reaction, not the genes). "
            "Growth rate?", {"ko_rxns": ["ATPS4r"]}, tools=T_KO)
    g(c, J, "In iJO1366 remove the ribose-5-phosphate isomerase reaction (the reaction "
            "itself, not its genes). What's the grwoth?",
      {"ko_rxns": [rxn_by_name(J, "Ribose-5-phosphate isomerase")]}, tools=T_KO)
    g(c, J, "iJO1366: fumarase (FUM) reaction knocked out -- new mu?", {"ko_rxns": ["FUM"]},
      tools=T_KO)
    g(c, S, "Salmonela, reaction knockout of PFK (phosphofructokinase). growth?",
      {"ko_rxns": ["PFK"]}, tools=T_KO)
    g(c, S, "salmonella: zero both bounds of RPI. growth rate?", {"ko_rxns": ["RPI"]},
      tools=T_KO)


def q_atpm():
    c = "bounds_atpm"
    g(c, E, "Fix ATPM at 20 mmol/gDW/h in e_coli_core (lower = upper = 20). Growth?",
      {"bounds": {"ATPM": (20, 20)}})
    g(c, E, "What if there were no non-growth maintenance at all, i.e. ATPM lower bound 0, in "
            "the core model?", {"bounds": {"ATPM": (0, 1000)}})
    g(c, J, "iJO1366 with the ATP maintenance forced to exactly 10. Growth rate?",
      {"bounds": {"ATPM": (10, 10)}})
    g(c, S, "Salmonella has ATPM pinned at 8.39; change it to 4 (both bounds) and rerun. mu?",
      {"bounds": {"ATPM": (4, 4)}})
    g(c, E, "ATPM = 5 exactly and oxygen capped at 10 mmol/gDW/h, core model: growth?",
      {"bounds": {"ATPM": (5, 5)}, "uptake": {O2: 10}})
    g(c, J, "Set ATPM's lower bound in iJO1366 to 0 (upper stays 1000). Growth?",
      {"bounds": {"ATPM": (0, 1000)}})


def q_floor():
    c = "growth_floor"
    pcase(c, E, "Keeping the cells growing at 0.2 1/h or faster, how much succinate "
                "(EX_succ_e) can e_coli_core push out at most?", {"floor": 0.2}, "EX_succ_e")
    pcase(c, E, "Max acetate production at 50% of the optimal growth rate, core model, default "
                "medium.", {"fraction": 0.5}, "EX_ac_e")
    pcase(c, J, "iJO1366 anaerobic: what's the most ethanol it can secrete if growth must stay "
                ">= 0.1 per hour?", {"anaerobic": True, "floor": 0.1}, "EX_etoh_e")
    pcase(c, J, "iJO1366, default aerobic medium: D-lactate export maximum (EX_lac__D_e) when "
                "growth is held at 30 % of its maximum.", {"fraction": 0.3}, "EX_lac__D_e")
    pcase(c, S, "Salmonella: maximise acetate excretion subject to growth >= 0.25 1/h.",
          {"floor": 0.25}, "EX_ac_e")
    pcase(c, E, "How much ATPM flux can the core model sustain if growth is held at no less "
                "than 0.5 h^-1?", {"floor": 0.5}, "ATPM")


def q_maxprod():
    c = "max_production"
    pcase(c, E, "Anaerobic core model: maximum ethanol secretion rate if biomass doesn't "
                "matter?", {"anaerobic": True}, "EX_etoh_e")
    pcase(c, E, "theoretical max formate excretion in e_coli_core on the default medium?", {},
          "EX_for_e")
    pcase(c, J, "iJO1366, aerobic, glucose 10: maximum succinate production rate?", {},
          "EX_succ_e")
    pcase(c, J, "Max L-lysine secretion (EX_lys__L_e) for iJO1366, no growth requirement.", {},
          "EX_lys__L_e")
    pcase(c, S, "Salmonella: what is the highest pyruvate secretion flux it can reach?", {},
          "EX_pyr_e")
    pcase(c, E, "Add a demand reaction for L-glutamine (gln__L_c) to the core model and "
                "maximise it. What flux?", {}, "DM:gln__L_c")


def q_objective():
    c = "objective_change"
    pcase(c, E, "Forget biomass for a second: if e_coli_core only had to make maintenance "
                "ATP (objective = ATPM, maximised), how high could that flux go?", {}, "ATPM")
    pcase(c, E, "Set the objective to the CO2 exchange (maximise EX_co2_e) in the core model; "
                "optimum?", {}, "EX_co2_e")
    pcase(c, J, "iJO1366: maximise ATP maintenance instead of biomass. Number in "
                "mmol/gDW/h?", {}, "ATPM")
    pcase(c, S, "Open salmonella's ATPM upper bound to 1000 and make ATPM the objective. Max?",
          {"bounds": {"ATPM": (8.39, 1000)}}, "ATPM")
    pcase(c, J, "maximise the flux through ATPS4rpp in iJO1366 -- value?", {}, "ATPS4rpp")
    pcase(c, E, "Objective = malic enzyme ME1 (maximise), core model. What's the max flux?", {},
          "ME1")


def q_flux():
    c = "reaction_flux"
    fcase(c, E, "At the growth optimum of the core model, how much flux goes through citrate "
                "synthase?", {}, ["CS"])
    fcase(c, E, "e_coli_core at max growth, default medium: O2 uptake and CO2 release rates?",
          {}, [O2, "EX_co2_e"])
    fcase(c, E, "No oxygen for the core model. At the anaerobic growth optimum, what are the "
                "ethanol, acetate and formate secretion fluxes?", {"anaerobic": True},
          ["EX_etoh_e", "EX_ac_e", "EX_for_e"])
    fcase(c, J, "iJO1366 on its default medium -- what is the CO2 exchange flux (EX_co2_e) in "
                "the optimal solution?", {}, ["EX_co2_e"])
    fcase(c, S, "Salmonella (iYS1720), default conditions, at optimal growth: how much oxygen "
                "does it actually take up, and what's the flux through citrate synthase (CS)?",
          {}, [O2, "CS"])
    fcase(c, E, "Where does glucose-6-phosphate go at the optimum? Give me the PGI flux and the "
                "G6PDH2r (glucose 6-phosphate dehydrogenase) flux, core model.", {},
          ["PGI", "G6PDH2r"])
    fcase(c, J, "ammonium uptake rate of iJO1366 at max growth? (mmol/gDW/h)", {}, [NH4])


def q_fva():
    c = "fva"
    v_(c, E, "Flux variability for PGI and ENO in e_coli_core, requiring at least 90% of the "
             "optimal growth. Min and max of each please.", {}, ["PGI", "ENO"], 0.9)
    v_(c, E, "With growth kept >= 95 % of maximum, what range can the O2 exchange EX_o2_e take "
             "in the core model?", {}, [O2], 0.95)
    v_(c, J, "run FVA on iJO1366 (default medium) at 99% of optimum for EX_co2_e and EX_nh4_e",
       {}, ["EX_co2_e", NH4], 0.99)
    v_(c, S, "For the Salmonella model, how far can CO2 output (EX_co2_e) vary while growth "
             "stays within 5 % of the optimum?", {}, ["EX_co2_e"], 0.95)
    v_(c, E, "Anaerobic e_coli_core, fraction of optimum 0.8: min/max of ethanol exchange "
             "(EX_etoh_e) and of pyruvate kinase (PYK)?", {"anaerobic": True},
       ["EX_etoh_e", "PYK"], 0.8)
    v_(c, J, "iJO1366: what are the feasible ranges of citrate synthase (CS) and isocitrate "
             "dehydrogenase (ICDHyr) at 90 percent of max growth?", {}, ["CS", "ICDHyr"], 0.9)


def q_yield():
    c = "yield"
    ycase(c, E, "What's the maximum theoretical acetate yield on glucose for e_coli_core, in "
                "mol acetate per mol glucose (default medium, growth not required)?", {},
          "EX_ac_e", GLC)
    biomass_yield(c, E, "Biomass yield of the core model on glucose in gDW per gram of glucose, "
                        "at the default optimum?")
    atp_yield(c, J, "How many ATP per glucose can iJO1366 make at most? (max ATPM flux divided by "
                    "the glucose uptake, default medium)")
    ycase(c, J, "iJO1366 under anaerobic conditions: max succinate yield on glucose, expressed "
                "in grams per gram?", {"anaerobic": True}, "EX_succ_e", GLC, unit="g")
    ycase(c, S, "Salmonella without oxygen: ethanol yield (mol/mol glucose) when ethanol "
                "secretion is maximised?", {"anaerobic": True}, "EX_etoh_e", GLC)
    atp_yield(c, E, "e_coli_core, anaerobic: mol ATP per mol glucose at maximal ATPM?",
              {"anaerobic": True})
    biomass_yield(c, S, "What's the biomass yield, g dry weight per g glucose, of iYS1720 on "
                        "its default medium?")


def q_ess():
    c = "essential_genes"
    ess_count(c, E, "How many genes of e_coli_core are essential on the default glucose "
                    "medium?")
    ess_count(c, E, "Under anaerobic conditions, which genes of the core model become "
                    "essential? List them and give the count.", {"anaerobic": True},
              with_ids=True)
    ess_count(c, J, "Number of essential genes in iJO1366 (default medium, essential = KO "
                    "growth below 1% of wild type)?")
    ess_count(c, S, "run a single-gene deletion screen on salmonella and tell me how many "
                    "genes are lethal when deleted")
    ess_count(c, E, "If e_coli_core lives on acetate alone (uptake 10 mmol/gDW/h, no glucose), "
                    "how many of its genes are essential?", {"carbon": {"EX_ac_e": 10}})
    ess_count(c, J, "iJO1366 anaerobically: essential gene count?", {"anaerobic": True})


def q_essr():
    c = "essential_reactions"
    essr_count(c, E, "How many reactions of the core model are essential on the default "
                     "medium? Count every reaction, exchanges and the biomass reaction "
                     "included.")
    essr_count(c, E, "List the essential reactions of e_coli_core, but leave out exchange "
                     "reactions and the biomass reaction -- how many are there?",
               with_ids=True, exclude_boundary=True)
    essr_count(c, E, "anaerobic core model: number of essential reactions (exchanges + biomass "
                     "count too)", {"anaerobic": True})
    essr_count(c, E, "Acetate as sole carbon source for the core model (10 mmol/gDW/h): how "
                     "many internal reactions are essential? Don't count exchanges or the "
                     "biomass reaction.", {"carbon": {"EX_ac_e": 10}}, exclude_boundary=True)
    essr_count(c, J, "reaction deletion screen of iJO1366 -- how many of its reactions are "
                     "essential, including exchange reactions and biomass?")


def q_sl():
    c = "synthetic_lethal"
    pairs = core_sl_pairs()
    count_case(c, E, "How many synthetic lethal gene pairs does e_coli_core have on the default "
                     "medium? (pairs of non-essential genes whose double KO kills growth)",
               len(pairs), T_SL,
               setup={"synthetic_lethal_gene_pairs": "full e_coli_core screen"})
    pgi = cgene("pgi")
    partners = sorted({a if b == pgi else b for a, b in pairs if pgi in (a, b)})
    add(c, E, "Which genes are synthetic lethal with pgi in the core model? I want the full "
              "list and how many there are.", T_SL, [len(partners)], gene_alts(E, partners),
        False, (), {"synthetic_lethal_partners_of": pgi})
    sl_pair(c, E, "is zwf + pgi a synthetic lethal pair in e_coli_core?", [cgene("zwf"), pgi])
    sl_pair(c, J, "iJO1366: do b0118 and b1276 (the two aconitases) form a synthetic lethal "
                  "pair? What's the growth of the double mutant?", ["b0118", "b1276"])
    sl_pair(c, S, "Salmonella: knock out fabF and fabB at the same time. Does it still grow?",
            [sgene("FabF"), sgene("FabB")])
    rp = core_sl_rxn_pairs()
    count_case(c, E, "Count the synthetic lethal reaction pairs in e_coli_core -- screen all "
                     "reactions, exchanges included, default medium.", len(rp), T_SL,
               setup={"synthetic_lethal_reaction_pairs": "full e_coli_core screen, all "
                      "non-essential reactions incl. exchanges"})



def q_compare():
    c = "comparison"
    cmp_case(c, E, "Which of these gives e_coli_core the fastest growth as its only carbon "
                   "source, each at 10 mmol/gDW/h: succinate, pyruvate or 2-oxoglutarate? Give "
                   "me all three growth rates.",
             [("succinate|EX_succ_e", E, {"carbon": {"EX_succ_e": 10}}),
              ("pyruvate|EX_pyr_e", E, {"carbon": {"EX_pyr_e": 10}}),
              ("2-oxoglutarate|akg|alpha-ketoglutarate|EX_akg_e", E,
               {"carbon": {"EX_akg_e": 10}})])
    cmp_min(c, E, "Of sdhA, sucA and mdh, which single deletion costs the core model the most "
                  "growth? Growth of each mutant please.",
            [("sdhA|b0723", E, {"ko_genes": ["b0723"]}),
             ("sucA|b0726", E, {"ko_genes": ["b0726"]}),
             ("mdh|b3236", E, {"ko_genes": ["b3236"]})], tools=T_KO)
    cmp_case(c, J, "iJO1366, one sugar at a time as sole carbon source, 5 mmol/gDW/h each: "
                   "lactose vs D-galactose vs glycerol. Rank them by growth.",
             [("lactose|EX_lcts_e", J, {"carbon": {"EX_lcts_e": 5}}),
              ("galactose|EX_gal_e", J, {"carbon": {"EX_gal_e": 5}}),
              ("glycerol|EX_glyc_e", J, {"carbon": {"EX_glyc_e": 5}})])
    cmp_case(c, S, "For salmonella, what helps growth more: raising the glucose limit from 5 to "
                   "7 mmol/gDW/h, or raising the oxygen limit from 18.5 to 25? Show both growth "
                   "rates.",
             [("glucose|EX_glc__D_e", S, {"uptake": {GLC: 7}}),
              ("oxygen|EX_o2_e", S, {"uptake": {O2: 25}})])
    cmp_min(c, E, "What's worse for the core model: losing oxygen completely or losing the "
                  "ATP synthase reaction (ATPS4r)? Numbers for both.",
            [("oxygen|anaerobic|anoxic", E, {"anaerobic": True}),
             ("ATPS4r|ATP synthase", E, {"ko_rxns": ["ATPS4r"]})], tools=T_KO)
    cmp_case(c, J, "Nitrogen source comparison in iJO1366 (ammonium exchange closed unless it "
                   "is the option): ammonium, L-glutamine or L-alanine, each at 5 "
                   "mmol/gDW/h. Which gives the highest growth?",
             [("ammonium|NH4|EX_nh4_e", J, {"uptake": {NH4: 5}}),
              ("L-glutamine|glutamine|gln__L|EX_gln__L_e", J,
               {"close": [NH4], "uptake": {"EX_gln__L_e": 5}}),
              ("L-alanine|alanine|ala__L|EX_ala__L_e", J,
               {"close": [NH4], "uptake": {"EX_ala__L_e": 5}})])
    cmp_min(c, S, "Salmonella single knockouts: Pgi, TpiA, Eno. Which one hurts growth most?",
            [("Pgi|STM4221", S, {"ko_genes": [sgene("Pgi")]}),
             ("TpiA|STM4081", S, {"ko_genes": [sgene("TpiA")]}),
             ("Eno|STM2952", S, {"ko_genes": [sgene("Eno")]})], tools=T_KO)


def q_cross():
    c = "cross_model"
    cmp_case(c, E, "Which predicts faster growth on its own default medium, e_coli_core or "
                   "iJO1366? Give both rates.",
             [("e_coli_core", E, {}), ("iJO1366", J, {})], tools=T_XM)
    cmp_case(c, J, "Anaerobic growth, iJO1366 versus the Salmonella model (each on its default "
                   "medium with O2 closed). Who wins?",
             [("iJO1366", J, {"anaerobic": True}),
              ("salmonella|iYS1720", S, {"anaerobic": True})], tools=T_XM)
    cmp_case(c, E, "Put e_coli_core and iJO1366 both on acetate as the only carbon source (10 "
                   "mmol/gDW/h each). Growth of each, and which is higher?",
             [("e_coli_core", E, {"carbon": {"EX_ac_e": 10}}),
              ("iJO1366", J, {"carbon": {"EX_ac_e": 10}})], tools=T_XM)
    cmp_case(c, E, "Same glucose budget for both: e_coli_core with glucose uptake capped at 5 "
                   "mmol/gDW/h versus salmonella on its default medium (which already has 5). "
                   "Which grows faster?",
             [("e_coli_core", E, {"uptake": {GLC: 5}}), ("salmonella|iYS1720", S, {})],
             tools=T_XM)


def q_multi():
    mcase(E, "Three steps on e_coli_core please: (1) growth on the default medium; (2) then "
             "cap glucose at 6 mmol/gDW/h; (3) then, keeping that cap, knock out gnd (b2029). "
             "Growth after each step.",
          [{}, {"uptake": {GLC: 6}}, {"ko_genes": ["b2029"]}])
    mcase(J, "iJO1366 step by step: first make it anaerobic and report growth; next let it "
             "take up nitrate (EX_no3_e) at up to 10 mmol/gDW/h as an electron acceptor; "
             "finally delete b2926 as well. What's the growth at each stage?",
          [{"anaerobic": True}, {"uptake": {"EX_no3_e": 10}}, {"ko_genes": ["b2926"]}])
    mcase(S, "Salmonella:\n1. glycerol as the only carbon source, 5 mmol/gDW/h\n2. on top of "
             "that, oxygen uptake limited to 5 mmol/gDW/h\n3. then knock out tpiA "
             "(STM4081)\nGive the growth rate after every step.",
          [{"carbon": {"EX_glyc_e": 5}}, {"uptake": {O2: 5}},
           {"ko_genes": [sgene("TpiA")]}])
    mcase(E, "Core model. Fix ATPM at 15 and tell me the growth. Then additionally cap O2 at "
             "8 mmol/gDW/h -- growth? Under those same two constraints, what's the maximum "
             "ethanol secretion (biomass free)?",
          [{"bounds": {"ATPM": (15, 15)}}, {"uptake": {O2: 8}}, {"objective": "EX_etoh_e"}])
    mcase(J, "For iJO1366: glucose uptake limited to 5 mmol/gDW/h -> growth? Then also delete "
             "b0432 -> growth? Then also remove oxygen -> growth?",
          [{"uptake": {GLC: 5}}, {"ko_genes": ["b0432"]}, {"anaerobic": True}])
    mcase(S, "salmonella, cumulative changes: a) ATPM fixed at 12 instead of 8.39; b) then "
             "oxygen capped at 8 mmol per gDW per h; c) then the Pgi gene knocked out. mu "
             "after a, b and c?",
          [{"bounds": {"ATPM": (12, 12)}}, {"uptake": {O2: 8}},
           {"ko_genes": [sgene("Pgi")]}])


def q_dt():
    c = "doubling_time"
    dt_case(c, E, "How long does one doubling take for e_coli_core on the default medium? "
                  "Minutes please.", minutes=True)
    dt_case(c, J, "iJO1366 grown without oxygen -- doubling time in hours?",
            {"anaerobic": True})
    dt_case(c, S, "What doubling time (h) does the salmonella model predict on its default "
                  "medium?")
    dt_case(c, E, "core model on acetate only (10 mmol/gDW/h acetate, glucose off): how many "
                  "hours per doubling?", {"carbon": {"EX_ac_e": 10}})


def q_pct():
    c = "percent_change"
    pct_case(c, E, "By what percentage does deleting gnd (b2029) change the growth of the "
                   "core model?", {"ko_genes": ["b2029"]})
    pct_case(c, J, "Going from aerobic to anaerobic: percent change in iJO1366 growth rate?",
             {"anaerobic": True}, tools=T_FBA)
    pct_case(c, S, "SucA deletion in salmonella -- how many % growth do we lose relative to "
                   "the wild type?", {"ko_genes": [sgene("SucA")]})
    pct_case(c, E, "e_coli_core: cap O2 uptake at 10 mmol/gDW/h. Percent change of growth vs "
                   "the unconstrained default?", {"uptake": {O2: 10}}, tools=T_FBA)


def q_info():
    c = "model_info"
    m = M(E)
    add(c, E, "How big is e_coli_core? Number of reactions, metabolites and genes.", T_INFO,
        [len(m.reactions), len(m.metabolites), len(m.genes)], [], False, (),
        {"model_info": "len(reactions), len(metabolites), len(genes)"})
    count_case(c, J, "gene count of iJO1366?", len(M(J).genes), T_INFO,
               setup={"model_info": "len(genes)"})
    count_case(c, S, "How many reactions are in iYS1720 (the salmonella model)? And how many "
                     "metabolites?", len(M(S).reactions), T_INFO,
               setup={"model_info": "len(reactions), len(metabolites)"})
    CASES[-1]["numbers"].append(rnd(len(M(S).metabolites)))
    nadh = m.reactions.get_by_id("NADH16")
    count_case(c, E, "How many genes are in the gene-reaction rule of NADH16 (NADH "
                     "dehydrogenase) in the core model?", len(nadh.genes), T_INFO,
               setup={"model_info": "len(NADH16.genes)"})
    count_case(c, J, "How many exchange reactions does iJO1366 have?", len(M(J).exchanges),
               T_INFO, setup={"model_info": "len(model.exchanges)"})
    names = M(S).compartments
    count_case(c, S, "which compartments are defined in the salmonella model, and how many?",
               len(names), T_INFO, ids=[f"{k}|{v}" for k, v in sorted(names.items())],
               setup={"model_info": "model.compartments"})
    rx = sorted(r.id for r in m.genes.get_by_id("b0720").reactions)
    assert rx == ["CS"], rx
    add(c, E, "b0720 -- what reaction does that gene catalyse in e_coli_core?", T_INFO, [],
        ["CS|citrate synthase"], False, (), {"model_info": "gene b0720 reactions"})


def q_draft():
    c = "modelseed_draft"
    m = M(D)
    draft(c, "I've got a ModelSEED draft of E. coli at "
             "tests/data/modelseed/examples/example_ecoli_modelseed_model.json. Load it: how "
             "many reactions, metabolites and genes does it have?",
          numbers=[len(m.reactions), len(m.metabolites), len(m.genes)],
          setup={"model_info": "len(reactions), len(metabolites), len(genes)"})
    v = draft_opt({}, "bio1")
    assert v < 1e-9
    draft(c, "With the ModelSEED draft (tests/data/modelseed/examples/"
             "example_ecoli_modelseed_model.json) loaded, what biomass flux (bio1) can it "
             "reach on the medium stored in the file?", no_growth=True,
          setup={"objective": "bio1"})
    v = draft_opt({"uptake": {"EX_cpd00027_e0": 10}})
    draft(c, "Draft model tests/data/modelseed/examples/example_ecoli_modelseed_model.json: "
             "allow D-glucose uptake (EX_cpd00027_e0) of 10 mmol/gDW/h and maximise the "
             "file's own objective, ATPM_c0. What value?", numbers=[v],
          setup={"uptake": {"EX_cpd00027_e0": 10}, "objective": "ATPM_c0"})
    v = draft_all_open("bio1")
    assert v < 1e-9
    draft(c, "open every exchange of the ModelSEED draft "
             "(tests/data/modelseed/examples/example_ecoli_modelseed_model.json) to -1000..1000 "
             "and maximise bio1. does it grow at all?", no_growth=True,
          setup={"all_exchanges": [-1000, 1000], "objective": "bio1"})
    draft(c, "How many exchange reactions are there in the draft model "
             "tests/data/modelseed/examples/example_ecoli_modelseed_model.json?",
          numbers=[len(m.exchanges)], setup={"model_info": "len(model.exchanges)"})
    gs = sorted(gg.id for gg in m.reactions.get_by_id("rxn00351_c0").genes)
    draft(c, "In tests/data/modelseed/examples/example_ecoli_modelseed_model.json, which "
             "gene(s) are associated with reaction rxn00351_c0 (the glutathione synthetase "
             "step)?", ids=gs, setup={"model_info": "rxn00351_c0 genes"})
    n = sum(1 for r in m.reactions if not r.gene_reaction_rule)
    draft(c, "ModelSEED draft at tests/data/modelseed/examples/"
             "example_ecoli_modelseed_model.json -- how many of its reactions have no gene "
             "association (empty GPR)?", numbers=[n],
          setup={"model_info": "reactions with empty gene_reaction_rule"})


def q_lookup():
    cid = cpd_by_name("Pyruvate")
    lookup("ModelSEED compound id for pyruvate?", ids=[cid],
           setup={"lookup": "compound primary name Pyruvate"})
    lookup("I have the BiGG metabolite id 'akg'. What's the corresponding ModelSEED compound?",
           ids=[ms_of("cpd", "akg", "BiGG")], setup={"lookup": "BiGG akg -> ModelSEED"})
    lookup("KEGG C00022 -> ModelSEED id?", ids=[ms_of("cpd", "C00022", "KEGG")],
           setup={"lookup": "KEGG C00022 -> ModelSEED"})
    lookup("What EC number(s) does ModelSEED give for rxn00148?",
           ids=[ext_of("ec", "rxn00148", "Enzyme Class")],
           setup={"lookup": "rxn00148 EC numbers"})
    lookup("translate the BiGG reaction PGI into ModelSEED reaction id(s)",
           ids=[ms_of("rxn", "PGI", "BiGG")], setup={"lookup": "BiGG PGI -> ModelSEED"})
    lookup("what compound is cpd00009 in the ModelSEED biochemistry?",
           ids=[compounds()["cpd00009"]["name"]], setup={"lookup": "cpd00009 name"})
    lookup("Formula and charge of ModelSEED cpd00002, please.",
           numbers=[int(compounds()["cpd00002"]["charge"])],
           ids=[f"{compounds()['cpd00002']['formula']}"],
           setup={"lookup": "cpd00002 formula, charge"})
    lookup("Which KEGG compound id corresponds to cpd00024?",
           ids=[ext_of("cpd", "cpd00024", "KEGG")], setup={"lookup": "cpd00024 -> KEGG"})



def q_followup():
    c = "followup"
    g(c, E, "ok, and once you shut the oxygen exchange?", {"anaerobic": True},
      turns=["How fast does e_coli_core grow on its default medium?"])
    g(c, E, "Now put pgi back (undo that knockout) but keep the glucose cap. Growth?",
      {"uptake": {GLC: 6}},
      turns=["Knock out pgi (b4025) in the core model and give me the growth rate.",
             "Also cap the glucose uptake at 6 mmol/gDW/h. Growth now?"], tools=T_KO)
    dt_case(c, J, "What's its doubling time on the default medium, in minutes?", minutes=True,
            turns=["Load iJO1366 please."])
    dt_case(c, S, "what doubling time does that correspond to, in hours?",
            {"anaerobic": True}, tools=[],
            turns=["Make the salmonella model anaerobic and report the growth rate."])
    ess_count(c, E, "On that medium, how many genes are essential?",
              {"carbon": {"EX_succ_e": 10}},
              turns=["Set succinate as the sole carbon source of the core model at 10 "
                     "mmol/gDW/h and report growth."])
    g(c, J, "and knock out b0432 on top of it?", {"ko_genes": ["b2926", "b0432"]},
      turns=["In iJO1366 knock out b2926 -- growth?"], tools=T_KO)
    pcase(c, E, "Same thing but demand at least 0.6 1/h of growth.",
          {"floor": 0.6}, "EX_ac_e",
          turns=["Maximise acetate secretion in e_coli_core with biomass at least 0.3 1/h."])
    fcase(c, S, "At that optimum, what's the CO2 secretion flux?", {"uptake": {O2: 10}},
          ["EX_co2_e"],
          turns=["For salmonella, limit oxygen uptake to 10 mmol/gDW/h. Growth?"])
    v_(c, E, "Now the same at 70 %.", {}, [O2], 0.7,
       turns=["FVA on e_coli_core for EX_o2_e at 90% of the optimum, please."])
    g(c, J, "and anaerobically?", {"carbon": {"EX_lac__L_e": 10}, "anaerobic": True},
      turns=["iJO1366 on L-lactate as the only carbon source (10 mmol/gDW/h): growth?"])


def q_unresolved():
    for model, q in [
        (E, "Simulate e_coli_core at 42 °C instead of 37 °C -- how much does growth drop?"),
        (E, "What's the growth rate of the core model at pH 5.5?"),
        (E, "Glucose at 4 g/L in the medium: what growth rate does e_coli_core predict?"),
        (E, "Give me a time course of biomass for the core model over a 10 h batch culture "
            "starting at OD 0.05."),
        (E, "Use Michaelis-Menten glucose uptake (Km 0.015 mM) with 2 mM glucose in the "
            "flask. Growth of e_coli_core?"),
        (E, "Add 1 mM IPTG to induce the lac operon in the core model and rerun FBA."),
        (E, "Knock out pgi in e_coli_core and grow it with 2 ug/mL chloramphenicol in the "
            "medium. mu?"),
        (E, "How does ArcA-mediated repression of the TCA cycle under microaerobic conditions "
            "change the growth of the core model?"),
        (E, "Double the enzyme level of PFK (2x expression) in the core model. Growth?"),
        (E, "fed-batch with a 20 g/L glucose feed: what acetate titer does e_coli_core reach "
            "after 24 h?"),
        (E, "e_coli_core in a chemostat at dilution rate 0.2 h^-1 -- what's the residual "
            "glucose concentration in the vessel?"),
        (E, "Grow the core model with dissolved oxygen held at 30% air saturation and tell me "
            "the growth rate."),
        (E, "Add 0.4 M NaCl (osmotic stress) to the core model's medium; growth?"),
        (E, "The core model carrying a 50-copy plasmid: how big is the burden on growth?"),
        (E, "Growth of e_coli_core with 5 % (v/v) ethanol in the medium?"),
        (E, "How long is the lag phase when e_coli_core is shifted from glucose to acetate?"),
        (J, "iJO1366 at 30 °C: doubling time?"),
        (J, "Include allosteric inhibition of PFK by PEP (Ki = 0.1 mM) in iJO1366 and predict "
            "the growth rate."),
        (J, "iJO1366 with ampicillin at 100 ug/ml added -- growth rate?"),
        (J, "Put ppc under a promoter three times stronger in iJO1366. New max succinate "
            "production?"),
        (J, "iJO1366 under 10 mM H2O2 oxidative stress: how much slower does it grow?"),
        (S, "Salmonella inside a macrophage vacuole at pH 4.5: growth rate?"),
        (S, "salmonella model at 25 degrees C -- doubling time?"),
        (S, "iYS1720 with phosphate at 1 mg/L in the medium: growth?"),
        (S, "How does activation of the PhoP/PhoQ two-component system change salmonella's "
            "glycolytic flux?"),
    ]:
        unresolved(model, q)
    add("unresolved", D, "Load the ModelSEED draft tests/data/modelseed/examples/"
                         "example_ecoli_modelseed_model.json and compare its ATPM_c0 optimum on "
                         "glucose at pH 7 and at pH 6.", [], [], [], False, (), None, DRAFT,
        True)


ORDER = ["id", "category", "query", "model", "model_file", "tools_any", "numbers", "ids",
         "no_growth", "turns", "expect_unresolved", "setup"]


def build_cases():
    q_growth_default()
    q_carbon()
    q_uptake()
    q_oxygen()
    q_nutrient()
    q_cofeed()
    q_medium()
    q_gene_ko()
    q_rxn_ko()
    q_atpm()
    q_floor()
    q_maxprod()
    q_objective()
    q_flux()
    q_fva()
    q_yield()
    q_ess()
    q_essr()
    q_sl()
    q_compare()
    q_cross()
    q_multi()
    q_dt()
    q_pct()
    q_info()
    q_draft()
    q_lookup()
    q_followup()
    q_unresolved()


def write(cases):
    for i, case in enumerate(cases, 1):
        case["id"] = f"H10_{i:03d}"
    out = [{k: _plain(case[k]) for k in ORDER if k in case} for case in cases]
    head = ("# fluxagent understanding corpus, tenth blind holdout (all cases held out).\n"
            "# GENERATED by .venv/bin/python eval/understanding/references10.py -- do not edit\n"
            "# by hand.\n"
            "# Format: eval/dev_queries.yaml (extra fields: category, model_file,\n"
            "# expect_unresolved, setup = how the reference was computed, for review only).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
    text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                 default_flow_style=None)
    (HERE / "holdout10.yaml").write_text(text)


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
    for s in DEFAULT_EQ:
        log("equals default growth:", s)


if __name__ == "__main__":
    main()
