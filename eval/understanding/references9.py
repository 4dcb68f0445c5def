#!/usr/bin/env python
"""Reference answers for the ninth blind held-out corpus (``holdout9.yaml``).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references9.py

It writes ``eval/understanding/holdout9.yaml``; stdout stays empty, a summary goes to stderr.
Two runs give byte-identical files.

What was read: ``eval/understanding/README.md``, lines 1-601 and 1090-end of
``references6.py`` (the helpers and the output writer, copied here and adapted),
``src/fluxagent/evaluation/`` (loader and scoring), the tool names (``fluxagent tools list``),
and the model files. What was NOT read: anything under ``src/fluxagent/llm/`` or
``tests/llm/``, any question file (``eval/**/*.yaml``, ``/work/shared/eval``), ``RESULTS.md``,
the other ``references*.py`` files or the git log; the agent was not run on these questions.

This script is self-contained: it imports neither fluxagent nor ``references*.py``. Every
reference number comes from plain cobrapy (0.32.1, GLPK) on the models cobrapy ships
(``textbook`` = e_coli_core, ``iJO1366``, ``salmonella``), the ModelSEED draft
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
T_VAL = ["validate_model", "atp_safety_check", "find_blocked_reactions", "model_summary"]
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
T_MIN = ["minimal_medium", "get_medium", "set_medium"]
T_XM = ["run_fba", "load_model", "set_medium", "compare_media"]
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
def msteps(cat, model, query, steps, tools=T_KO, turns=()):
    """A multi-step question: ``steps`` are the cumulative condition specs, in question order;
    numbers = the growth (or the optimum, for a step with an objective) after every step."""
    nums = []
    for sp in steps:
        v = opt(model, sp) if ("objective" in sp or "demand" in sp) else growth(model, sp)
        if v < 1e-6:
            SKIPPED.append(f"{model} multi-step with a zero step: {query}")
            return
        nums.append(v)
    add(cat, model, query, tools, nums, [], False, turns, {"steps": steps})


def gene_rxns(model: str, gid: str) -> list[str]:
    return sorted(r.id for r in M(model).genes.get_by_id(gid).reactions)


def gpr_genes(model: str, rid: str) -> list[str]:
    return sorted(g.id for g in M(model).reactions.get_by_id(rid).genes)


def info(cat, model, query, numbers=(), ids=(), tools=T_INFO, turns=(), setup=None):
    add(cat, model, query, tools, numbers, ids, False, turns, setup or {"lookup": True})


GLC, O2, NH4, PI, SO4, AC = "EX_glc__D_e", "EX_o2_e", "EX_nh4_e", "EX_pi_e", "EX_so4_e", "EX_ac_e"
ANA = {"anaerobic": True}


def build_cases():
    # ------------------------------------------------------------------ growth_default (4)
    gcase("growth_default", E, "Before I change anything: what specific growth rate does the "
          "E. coli core model reach straight out of the box? Units of h^-1 please.")
    gcase("growth_default", J, "iJO1366, shipped medium, shipped objective. Optimal biomass "
          "flux = ?")
    gcase("growth_default", S, "For the Salmonella reconstruction that comes with cobrapy, "
          "how fast is it predicted to grow if I leave every bound alone?")
    gcase("growth_default", E, "quick sanity check: textbook model, default everything, "
          "what's the FBA objective value")

    # ------------------------------------------------------------------ uptake_cap (7)
    gcase("uptake_cap", E, "If glucose uptake is held to six mmol per gram dry weight per "
          "hour, what growth does e_coli_core predict?", {"uptake": {GLC: 6}})
    gcase("uptake_cap", J, "Cap EX_glc__D_e at -3.5 in iJO1366 and re-optimise; what's µ?",
          {"uptake": {GLC: 3.5}})
    gcase("uptake_cap", S, "Salmonella normally gets 5 mmol/gDW/h of glucose. Suppose it "
          "only gets 2 -- predicted growth rate?", {"uptake": {GLC: 2}})
    gcase("uptake_cap", E, "Restrict ammonium uptake in the core E. coli model to 2 "
          "mmol gDW⁻¹ h⁻¹ (glucose stays at its default). What happens to the growth rate?",
          {"uptake": {NH4: 2}})
    gcase("uptake_cap", J, "In iJO1366 let phosphate in at no more than 0.3 mmol/gDW/h. "
          "Growth under that phosphate limitation?", {"uptake": {PI: 0.3}})
    gcase("uptake_cap", E, "Double the glucose allowance of e_coli_core (twenty instead of "
          "ten). New growth rate?", {"uptake": {GLC: 20}})
    gcase("uptake_cap", S, "raise the glucose limit of the salmonella model to 12 mmol/gDW/h "
          "and tell me the biomass flux", {"uptake": {GLC: 12}})

    # ------------------------------------------------------------------ carbon_source (7)
    gcase("carbon_source", E, "Take glucose away from the core model and give it acetate "
          "instead (same 10 mmol/gDW/h). How well does it grow?", {"carbon": {AC: None}})
    gcase("carbon_source", J, "iJO1366 on glycerol (sole carbon soruce, usual uptake "
          "limit) -- growth?", {"carbon": {"EX_glyc_e": None}})
    gcase("carbon_source", S, "Salmonella on L-arabinose in place of glucose: growth rate?",
          {"carbon": {"EX_arab__L_e": None}})
    gcase("carbon_source", E, "Can E. coli core live on 2-oxoglutarate (alpha-ketoglutarate) "
          "alone as carbon? If so, how fast?", {"carbon": {"EX_akg_e": None}})
    gcase("carbon_source", J, "D-xylose as the only C source for iJO1366, uptake capped at "
          "8 mmol/gDW/h -- µ?", {"carbon": {"EX_xyl__D_e": 8}})
    gcase("carbon_source", S, "Growth of the salmonella model with succinate as sole carbon "
          "source, succinate uptake 5 mmol/gDW/h?", {"carbon": {"EX_succ_e": 5}})
    gcase("carbon_source", J, "Swap glucose for maltose in iJO1366 (maltose at the usual "
          "uptake limit). Biomass?", {"carbon": {"EX_malt_e": None}})

    # ------------------------------------------------------------------ cofeed (5)
    gcase("cofeed", E, "Feed the core model glucose (10) and acetate (5 mmol/gDW/h) at the "
          "same time. Growth?", {"carbon": {GLC: 10, AC: 5}})
    gcase("cofeed", J, "iJO1366 co-fed with 5 mmol/gDW/h glucose plus 5 mmol/gDW/h glycerol "
          "-- predicted growth rate?", {"carbon": {GLC: 5, "EX_glyc_e": 5}})
    gcase("cofeed", S, "On top of the default glucose, let Salmonella take up L-serine at "
          "2 mmol/gDW/h. What growth do you get?", {"uptake": {"EX_ser__L_e": 2}})
    gcase("cofeed", E, "glucose 4 + succinate 6 (both mmol/gDW/h), e_coli_core: mu?",
          {"carbon": {GLC: 4, "EX_succ_e": 6}})
    gcase("cofeed", J, "No glucose, but galactose and fructose at 3 mmol/gDW/h each for "
          "iJO1366. Growth rate?", {"carbon": {"EX_gal_e": 3, "EX_fru_e": 3}})

    # ------------------------------------------------------------------ nutrient_source (7)
    gcase("nutrient_source", J, "Replace ammonium with L-glutamine (5 mmol/gDW/h) as the "
          "only nitrogen source in iJO1366. Growth?",
          {"close": [NH4], "uptake": {"EX_gln__L_e": 5}})
    gcase("nutrient_source", J, "Phosphorus from glycerol-3-phosphate only (2 mmol/gDW/h; "
          "inorganic phosphate exchange closed) -- how does iJO1366 grow?",
          {"close": [PI], "uptake": {"EX_glyc3p_e": 2}})
    gcase("nutrient_source", J, "Sulfate out, taurine in (1 mmol/gDW/h) as the sole sulfur "
          "source for iJO1366. µ?", {"close": [SO4], "uptake": {"EX_taur_e": 1}})
    gcase("nutrient_source", S, "Salmonella with L-arginine (3 mmol/gDW/h) as its only "
          "N-source, NH4 exchange shut: growth rate?",
          {"close": [NH4], "uptake": {"EX_arg__L_e": 3}})
    gcase("nutrient_source", S, "What if salmonella must get its sulfur from thiosulfate "
          "(1 mmol/gDW/h) rather than sulfate?", {"close": [SO4], "uptake": {"EX_tsul_e": 1}})
    gcase("nutrient_source", E, "In the core model, close the ammonium exchange and offer "
          "L-glutamate at 5 mmol/gDW/h as the nitrogen source. Growth?",
          {"close": [NH4], "uptake": {"EX_glu__L_e": 5}})
    gcase("nutrient_source", J, "iJO1366 using nitrate as sole nitrogen source (5 "
          "mmol/gDW/h, aerobic, NH4+ off). Predicted growth?",
          {"close": [NH4], "uptake": {"EX_no3_e": 5}})

    # ------------------------------------------------------------------ oxygen (7)
    gcase("oxygen", E, "No oxygen at all for e_coli_core - what's the anaerobic growth "
          "rate?", ANA)
    gcase("oxygen", J, "Run iJO1366 anaerobicaly (O2 uptake = 0). Growth?", ANA)
    gcase("oxygen", S, "Anaerobic Salmonella: how fast, per the model?", ANA)
    gcase("oxygen", E, "Microaerobic: oxygen uptake limited to 5 mmol/gDW/h in the core "
          "model. mu = ?", {"uptake": {O2: 5}})
    gcase("oxygen", J, "iJO1366 with O2 capped at 8 mmol gDW-1 h-1 -- growth?",
          {"uptake": {O2: 8}})
    gcase("oxygen", S, "Tighten Salmonella's oxygen supply from 18.5 down to 10 mmol/gDW/h. "
          "Resulting growth?", {"uptake": {O2: 10}})
    gcase("oxygen", E, "I'd like the growth of E. coli core when oxygen can enter at 12.5 "
          "mmol/gDW/h at most.", {"uptake": {O2: 12.5}})

    # ------------------------------------------------------------------ medium (4)
    med = sorted(M(E).medium)
    add("medium", E, "Which exchange reactions are open for uptake in the default medium of "
        "the E. coli core model, and how many are there?", T_MED, [len(med)], med, False, (),
        {"medium_of": E})
    add("medium", S, "What uptake limits does the salmonella model ship with for glucose and "
        "for O2? (two numbers)", T_MED, [M(S).medium[GLC], M(S).medium[O2]], [], False, (),
        {"medium_of": S})
    add("medium", J, "How many different compounds can iJO1366 take up on its default "
        "medium? And how much cobalamin is allowed in?", T_MED,
        [len(M(J).medium), M(J).medium["EX_cbl1_e"]], [], False, (), {"medium_of": J})
    gcase("medium", E, "Remove phosphate from the core model's medium entirely. Does it "
          "still grow?", {"close": [PI]}, tools=T_MED)

    # ------------------------------------------------------------------ gene_knockout (8)
    gcase("gene_knockout", E, "Delete tpiA from e_coli_core. What growth is left?",
          {"ko_genes": [cgene("tpiA")]}, tools=T_KO)
    gcase("gene_knockout", E, "b3956 knockout in the core model -> growth rate?",
          {"ko_genes": ["b3956"]}, tools=T_KO)
    gcase("gene_knockout", J, "iJO1366: knock out b4025 (phosphoglucose isomerase) and give "
          "me the new optimum.", {"ko_genes": ["b4025"]}, tools=T_KO)
    gcase("gene_knockout", J, "What does iJO1366 predict for a b2779 deletion mutant on "
          "glucose minimal medium?", {"ko_genes": ["b2779"]}, tools=T_KO)
    gcase("gene_knockout", S, "In Salmonella, remove the gene STM4221. Growth?",
          {"ko_genes": ["STM4221"]}, tools=T_KO)
    gcase("gene_knockout", S, "Salmonella ΔnuoA (NADH dehydrogenase I subunit) — what µ "
          "does FBA give?", {"ko_genes": [sgene("NuoA")]}, tools=T_KO)
    gcase("gene_knockout", E, "Take out the ATP synthase subunit atpA (b3734) in the core "
          "model: growth?", {"ko_genes": ["b3734"]}, tools=T_KO)
    gcase("gene_knockout", S, "salmonella pgk mutant (locus STM3069), default medium -- "
          "growth rate please", {"ko_genes": ["STM3069"]}, tools=T_KO)

    # ------------------------------------------------------------------ reaction_knockout (7)
    gcase("reaction_knockout", E, "Block the phosphofructokinase reaction (PFK) in E. coli "
          "core. Growth afterwards?", {"ko_rxns": ["PFK"]}, tools=T_KO)
    gcase("reaction_knockout", E, "What if citrate synthase (CS) carries no flux in "
          "e_coli_core?", {"ko_rxns": ["CS"]}, tools=T_KO)
    gcase("reaction_knockout", J, "Knock out the reaction ICDHyr in iJO1366; growth rate?",
          {"ko_rxns": ["ICDHyr"]}, tools=T_KO)
    gcase("reaction_knockout", S, "Disable the cytochrome bo3 oxidase reaction (CYTBO3_4pp) "
          "in the Salmonella model and re-run FBA.", {"ko_rxns": ["CYTBO3_4pp"]}, tools=T_KO)
    gcase("reaction_knockout", E, "fumarase (FUM) removed from the core network -> mu?",
          {"ko_rxns": ["FUM"]}, tools=T_KO)
    gcase("reaction_knockout", J, "Shut the PTS glucose uptake reaction GLCptspp in iJO1366. "
          "How much does growth change - what's the new value?", {"ko_rxns": ["GLCptspp"]},
          tools=T_KO)
    gcase("reaction_knockout", E, "Set both bounds of PYK to zero in the textbook model and "
          "report the growth.", {"ko_rxns": ["PYK"]}, tools=[*T_KO, "set_bounds"])

    # ------------------------------------------------------------------ bounds_atpm (6)
    T_B = ["set_bounds", "run_fba", "run_pfba"]
    gcase("bounds_atpm", E, "Fix the non-growth ATP maintenance (ATPM) of e_coli_core at 20 "
          "mmol/gDW/h. Growth?", {"bounds": {"ATPM": (20, 20)}}, tools=T_B)
    gcase("bounds_atpm", J, "iJO1366 with its ATPM lower bound relaxed to 0: what's the "
          "maximum growth?", {"bounds": {"ATPM": (0, 1000)}}, tools=T_B)
    gcase("bounds_atpm", S, "Salmonella's ATPM is pinned at 8.39; pin it at 15 instead. "
          "Growth?", {"bounds": {"ATPM": (15, 15)}}, tools=T_B)
    gcase("bounds_atpm", E, "Zero maintenance: set ATPM to (0, 0) in the core model - mu?",
          {"bounds": {"ATPM": (0, 0)}}, tools=T_B)
    gcase("bounds_atpm", E, "Constrain PGI to at most 2 mmol/gDW/h in the forward direction "
          "(reverse left open), e_coli_core. Growth rate?",
          {"bounds": {"PGI": (-1000, 2)}}, tools=T_B)
    gcase("bounds_atpm", E, "Give the core model the same ATPM lower bound iJO1366 uses "
          "(3.15 mmol/gDW/h). What growth results?", {"bounds": {"ATPM": (3.15, 1000)}},
          tools=T_B)

    # ------------------------------------------------------------------ objective_change (6)
    T_O = ["set_objective", "run_fba", "run_pfba", "theoretical_yield"]
    pcase("objective_change", E, "Change the objective of the core model to ATPM and "
          "maximise it. Optimal value?", {}, "ATPM", tools=T_O)
    pcase("objective_change", J, "Maximise acetate secretion (EX_ac_e) in iJO1366 instead of "
          "growth. What flux?", {}, AC, tools=T_O)
    pcase("objective_change", S, "salmonella: open ATPM's upper bound to 1000 and make it "
          "the objective. max?", {"bounds": {"ATPM": (8.39, 1000)}}, "ATPM", tools=T_O)
    pcase("objective_change", E, "What is the highest succinate export flux (EX_succ_e) the "
          "E. coli core model can reach when succinate export is the objective?", {},
          "EX_succ_e", tools=T_O)
    pcase("objective_change", J, "Anaerobic iJO1366, objective = ethanol exchange. "
          "Maximum?", ANA, "EX_etoh_e", tools=T_O)
    pcase("objective_change", E, "Maximise flux through malic enzyme ME1 (NAD) in "
          "e_coli_core. How high can it go?", {}, "ME1", tools=T_O)

    # ------------------------------------------------------------------ max_production (6)
    pcase("max_production", E, "I'm sketching a lactate producer. Without oxygen, what's "
          "the max D-lactate production of the core model?",
          ANA, "EX_lac__D_e")
    pcase("max_production", J, "Theoretical maximum of L-lysine excretion for iJO1366 on the "
          "standard glucose medium (mmol/gDW/h)?", {}, "EX_lys__L_e")
    pcase("max_production", S, "How much pyruvate could Salmonela secrete, at most?", {},
          "EX_pyr_e")
    pcase("max_production", E, "maximum formate output, e_coli_core, anaerobic", ANA,
          "EX_for_e")
    pcase("max_production", J, "Add a demand reaction for cytosolic L-tryptophan (trp__L_c) "
          "in iJO1366 and maximise it. Value?", {}, "DM:trp__L_c")
    pcase("max_production", E, "Upper limit on 2-oxoglutarate secretion for the core model "
          "on glucose?", {}, "EX_akg_e")

    # ------------------------------------------------------------------ growth_floor (6)
    pcase("growth_floor", E, "Maximise acetate secretion of e_coli_core while keeping growth "
          "at or above 0.5 h-1.", {"floor": 0.5}, AC)
    pcase("growth_floor", E, "Best succinate export at 80% of the maximal growth rate "
          "(core model)?", {"fraction": 0.8}, "EX_succ_e")
    pcase("growth_floor", J, "Anaerobic iJO1366: how much ethanol at most if the cells must "
          "keep half of their anaerobic optimum growth?", {**ANA, "fraction": 0.5},
          "EX_etoh_e")
    pcase("growth_floor", S, "With biomass forced to be >= 0.2 1/h, what is Salmonella's "
          "maximum acetate excretion?", {"floor": 0.2}, AC)
    pcase("growth_floor", J, "L-lysine export maximum for iJO1366 when growth is held at "
          "30 % of its optimum.", {"fraction": 0.3}, "EX_lys__L_e")
    pcase("growth_floor", E, "Lactate (D) production in anaerobic E. coli core, subject to "
          "growth of at least 0.1 per hour: the maximum?", {**ANA, "floor": 0.1},
          "EX_lac__D_e")

    # ------------------------------------------------------------------ reaction_flux (7)
    fcase("reaction_flux", E, "At the growth optimum of the core model, what flux do PFK "
          "and CS carry?", {}, ["PFK", "CS"])
    fcase("reaction_flux", E, "Anaerobic e_coli_core at max growth: ethanol and formate "
          "secretion rates?", ANA, ["EX_etoh_e", "EX_for_e"])
    fcase("reaction_flux", E, "With glucose limited to 5, how much O2 does the core model "
          "take up at optimal growth?", {"uptake": {GLC: 5}}, [O2])
    fcase("reaction_flux", E, "Growing on acetate (sole carbon, 10 mmol/gDW/h), how much "
          "flux goes through isocitrate lyase (ICL) in e_coli_core?", {"carbon": {AC: None}},
          ["ICL"])
    fcase("reaction_flux", S, "What is the acetate exchange flux of salmonella under "
          "anaerobic conditions, at the optimum?", ANA, [AC])
    fcase("reaction_flux", E, "Give me the flux of G6PDH2r (glucose-6-phosphate "
          "dehydrogenase) in the wild-type core model optimum.", {}, ["G6PDH2r"])
    fcase("reaction_flux", J, "iJO1366 without oxygen: what does the ethanol exchange carry "
          "at max growth?", ANA, ["EX_etoh_e"])

    # ------------------------------------------------------------------ fva (6)
    vcase("fva", E, "Flux variability of PGI and of the oxygen exchange at 95 % of optimal "
          "growth, core model: min and max of each?", {}, ["PGI", O2], 0.95)
    vcase("fva", J, "Range of O2 uptake (EX_o2_e) in iJO1366 when growth must stay within "
          "99% of the optimum?", {}, [O2], 0.99)
    vcase("fva", S, "FVA on PGI for salmonella at 90% of max growth.", {}, ["PGI"], 0.9)
    vcase("fva", E, "Anaerobic core model, fraction_of_optimum=0.9: what's the feasible "
          "range of ethanol secretion?", ANA, ["EX_etoh_e"], 0.9)
    vcase("fva", E, "How much can citrate synthase and malate dehydrogenase (MDH) vary if "
          "the core model only needs 80 percent of max growth?", {}, ["CS", "MDH"], 0.8)
    vcase("fva", J, "iJO1366 PGI: minimum and maximum flux at ninety-five percent of the "
          "optimal biomass.", {}, ["PGI"], 0.95)

    # ------------------------------------------------------------------ essential_genes (6)
    ess_count("essential_genes", E, "How many genes of e_coli_core are essental on its "
              "default glucose medium?")
    ess_count("essential_genes", E, "List the essential genes of the core E. coli model "
              "(aerobic glucose).", with_ids=True)
    ess_count("essential_genes", J, "Number of essential genes in iJO1366 on the default "
              "medium (knockout growth below 1% of wild type)?")
    ess_count("essential_genes", S, "How many single-gene deletions are lethal in the "
              "Salmonella model under default conditions?")
    ess_count("essential_genes", E, "Under anaerobic conditions, how many genes does the "
              "core model depend on absolutely?", ANA)
    ess_count("essential_genes", E, "Which genes become indispensable when e_coli_core grows "
              "on acetate as sole carbon source? Count and names.", {"carbon": {AC: None}},
              with_ids=True)

    # ------------------------------------------------------------------ essential_reactions (5)
    essr_count("essential_reactions", E, "How many reactions of e_coli_core are essential "
               "on glucose, counting exchanges and the biomass reaction too?")
    essr_count("essential_reactions", E, "Essential internal reactions of the core model "
               "(leave out exchanges and the biomass reaction) -- list them.", with_ids=True,
               exclude_boundary=True)
    essr_count("essential_reactions", E, "Anaerobically, how many non-exchange, non-biomass "
               "reactions in the core model are essential?", ANA, exclude_boundary=True)
    essr_count("essential_reactions", E, "Count the essential reactions (exchanges and "
               "biomass included) of e_coli_core when succinate is the sole carbon source.",
               {"carbon": {"EX_succ_e": None}})
    essr_count("essential_reactions", E, "On acetate, which internal reactions of the core "
               "model can't be removed? (ignore EX_ reactions and biomass)",
               {"carbon": {AC: None}}, with_ids=True, exclude_boundary=True)

    # ------------------------------------------------------------------ synthetic_lethal (6)
    pairs = core_sl_pairs()
    add("synthetic_lethal", E, "How many synthetic lethal gene pairs does the core E. coli "
        "model have on glucose (pairs of non-essential genes)?", T_SL, [len(pairs)], [],
        False, (), {"sl_pairs": "full e_coli_core gene-pair screen"})
    rpairs = core_sl_rxn_pairs()
    add("synthetic_lethal", E, "Count the synthetic lethal reaction pairs in e_coli_core "
        "(double reaction knockouts, default medium).", T_SL, [len(rpairs)], [], False, (),
        {"sl_rxn_pairs": "full e_coli_core reaction-pair screen"})
    partner = cgene("pgl")
    part = sorted({b if a == partner else a for a, b in pairs if partner in (a, b)})
    if part:
        add("synthetic_lethal", E, "Which genes are synthetic lethal with pgl in the core "
            "model?", T_SL, [len(part)], gene_alts(E, part), False, (),
            {"sl_partners_of": partner})
    else:
        SKIPPED.append("pgl has no synthetic lethal partner")
    sl_pair("synthetic_lethal", J, "Is the tktA/tktB pair (b2935, b2465) synthetic lethal in "
            "iJO1366?", ["b2935", "b2465"])
    sl_pair("synthetic_lethal", S, "In Salmonella, knock out both Pgi (STM4221) and Zwf "
            "(STM1886): do they form a synthetic lethal pair?", ["STM4221", "STM1886"])
    sl_pair("synthetic_lethal", E, "e_coli_core: what happens when sucA and sdhA are deleted "
            "together — synthetic lethality or not?", [cgene("sucA"), cgene("sdhA")])

    # ------------------------------------------------------------------ yield (7)
    biomass_yield("yield", E, "Biomass yield of the core model on glucose, in grams dry "
                  "weight per gram glucose?")
    atp_yield("yield", E, "Maximum ATP yield per glucose (mol/mol) for e_coli_core?")
    ycase("yield", E, "Anaerobic ethanol yield on glucose (mol per mol) at maximal ethanol "
          "production in the core model?", ANA, "EX_etoh_e", GLC)
    ycase("yield", J, "Max succinate yield, mol succinate per mol glucose, anaerobic "
          "iJO1366?", ANA, "EX_succ_e", GLC)
    ycase("yield", S, "Acetate yield of the Salmonella model in g/g glucose (at maximal "
          "acetate output)?", {}, AC, GLC, unit="g")
    ycase("yield", E, "What's the g/g yield of D-lactate from glucose for the anaerobic "
          "core model?", ANA, "EX_lac__D_e", GLC, unit="g")
    biomass_yield("yield", J, "gDW biomass per gram of glucose for iJO1366 at optimal "
                  "growth?")

    # ------------------------------------------------------------------ comparison (7)
    cmp_case("comparison", E, "Rank glucose, fructose, acetate and succinate as sole carbon "
             "sources for e_coli_core (10 mmol/gDW/h each): which one gives the highest "
             "growth, and what are the four rates?",
             [("glucose", E, {}), ("fructose", E, {"carbon": {"EX_fru_e": None}}),
              ("acetate", E, {"carbon": {AC: None}}),
              ("succinate", E, {"carbon": {"EX_succ_e": None}})], tools=T_CS)
    cmp_case("comparison", J, "For iJO1366, compare glycerol, D-xylose, D-galactose and "
             "maltose as the single carbon source at 10 mmol/gDW/h. Best one?",
             [("glycerol", J, {"carbon": {"EX_glyc_e": None}}),
              ("D-xylose", J, {"carbon": {"EX_xyl__D_e": None}}),
              ("D-galactose", J, {"carbon": {"EX_gal_e": None}}),
              ("maltose", J, {"carbon": {"EX_malt_e": None}})], tools=T_CS)
    cmp_min("comparison", S, "Which single knockout costs Salmonella the most growth: Pgi, "
            "TpiA or Zwf? Give the growth of each mutant.",
            [("Pgi", S, {"ko_genes": [sgene("Pgi")]}), ("TpiA", S, {"ko_genes": [sgene("TpiA")]}),
             ("Zwf", S, {"ko_genes": [sgene("Zwf")]})], tools=T_KO)
    cmp_case("comparison", E, "Core model at three oxygen caps -- 2, 5 and 10 mmol/gDW/h. "
             "Growth at each?",
             [("2", E, {"uptake": {O2: 2}}), ("5", E, {"uptake": {O2: 5}}),
              ("10", E, {"uptake": {O2: 10}})])
    cmp_min("comparison", J, "b3916, b1723, b4025: which deletion hurts iJO1366 most? "
            "(growth of each, please)",
            [("b3916", J, {"ko_genes": ["b3916"]}), ("b1723", J, {"ko_genes": ["b1723"]}),
             ("b4025", J, {"ko_genes": ["b4025"]})], tools=T_KO)
    cmp_case("comparison", E, "Nitrogen sources for e_coli_core: ammonium vs L-glutamine vs "
             "L-glutamate, each at 5 mmol/gDW/h with the other N exchanges closed. Which "
             "supports the fastest growth?",
             [("ammonium", E, {"uptake": {NH4: 5}}),
              ("L-glutamine", E, {"close": [NH4], "uptake": {"EX_gln__L_e": 5}}),
              ("L-glutamate", E, {"close": [NH4], "uptake": {"EX_glu__L_e": 5}})], tools=T_CS)
    cmp_case("comparison", S, "Salmonella: glucose vs glycerol vs L-arabinose vs D-mannitol "
             "(sole carbon, 5 mmol/gDW/h each). Winner and the numbers.",
             [("glucose", S, {}), ("glycerol", S, {"carbon": {"EX_glyc_e": 5}}),
              ("L-arabinose", S, {"carbon": {"EX_arab__L_e": 5}}),
              ("D-mannitol", S, {"carbon": {"EX_mnl_e": 5}})], tools=T_CS)

    # ------------------------------------------------------------------ cross_model (4)
    cmp_case("cross_model", E, "Which grows faster on its own default medium, e_coli_core or "
             "iJO1366?", [("e_coli_core", E, {}), ("iJO1366", J, {})], tools=T_XM)
    cmp_case("cross_model", E, "Anaerobic growth for all three bundled models (core, "
             "iJO1366, salmonella) -- which is highest?",
             [("e_coli_core", E, ANA), ("iJO1366", J, ANA), ("salmonella", S, ANA)],
             tools=T_XM)
    cmp_case("cross_model", J, "Acetate as sole carbon source: iJO1366 at 10 versus "
             "Salmonella at 5 mmol/gDW/h. Growth of each, and which is better?",
             [("iJO1366", J, {"carbon": {AC: None}}), ("salmonella", S, {"carbon": {AC: None}})],
             tools=T_XM)
    cmp_case("cross_model", E, "Knock out pgi (b4025) in both E. coli models, the core one "
             "and iJO1366; which mutant retains more growth?",
             [("e_coli_core", E, {"ko_genes": ["b4025"]}),
              ("iJO1366", J, {"ko_genes": ["b4025"]})], tools=[*T_XM, "knockout_genes"])

    # ------------------------------------------------------------------ model_info (7)
    info("model_info", E, "Size of the E. coli core model: reactions, metabolites, genes?",
         [len(M(E).reactions), len(M(E).metabolites), len(M(E).genes)])
    info("model_info", J, "how many genes does iJO1366 have", [len(M(J).genes)])
    info("model_info", S, "Number of reactions & of metabolites in the salmonella "
         "model?",
         [len(M(S).reactions), len(M(S).metabolites)])
    info("model_info", E, "Which reaction(s) does b3916 encode in e_coli_core, and what is "
         "that reaction's gene rule?", [], gene_rxns(E, "b3916") + gpr_genes(E, "PFK"))
    info("model_info", E, "acnB -- which reactions is it associated with in the core model?",
         [], gene_rxns(E, cgene("acnB")))
    info("model_info", S, "In the Salmonella model, which genes are in the GPR of the "
         "transaldolase reaction TALA?", [], gene_alts(S, gpr_genes(S, "TALA")))
    met = M(E).metabolites.get_by_id("g3p_c")
    info("model_info", E, "What metabolite is g3p_c in the core model, and what's its "
         "formula?", [], [met.name, met.formula])

    # ------------------------------------------------------------------ modelseed_lookup (8)
    lookup("ModelSEED compound id for BiGG glc__D?", ids=[ms_of("cpd", "glc__D", "BiGG")])
    lookup("what is cpd00020?", ids=[compounds()["cpd00020"]["name"]])
    lookup("Translate KEGG C00022 into a ModelSEED compound ID.",
           ids=[ms_of("cpd", "C00022", "KEGG")])
    lookup("EC number(s) of ModelSEED reaction rxn00148?",
           ids=[ext_of("ec", "rxn00148", "Enzyme Class")])
    lookup("Molecular formula of ModelSEED cpd00036, please.",
           ids=[compounds()["cpd00036"]["formula"]])
    lookup("The BiGG reaction PGI -- which ModelSEED reaction is it?",
           ids=[ms_of("rxn", "PGI", "BiGG")])
    lookup("Look up L-Glutamate in the ModelSEED biochemistry: its cpd id?",
           ids=[cpd_by_name("L-Glutamate")])
    atp = compounds()["cpd00002"]
    lookup("ModelSEED ATP (cpd00002): charge and mass as listed in the database?",
           numbers=[float(atp["charge"]), float(atp["mass"])])

    # ------------------------------------------------------------------ modelseed_draft (7)
    dm = M(D)
    draft("modelseed_draft", "This ModelSEED draft I've loaded -- how many reactions, "
          "metabolites and genes does it contain?",
          numbers=[len(dm.reactions), len(dm.metabolites), len(dm.genes)],
          setup={"lookup": True})
    with dm:
        for r in dm.exchanges:
            r.bounds = (-1000.0, 1000.0)
        dm.objective = "bio1"
        v = dm.slim_optimize(error_value=0.0)
    assert v < 1e-6, v
    draft("modelseed_draft", "Open every exchange of the draft to +/-1000 and maximise the "
          "biomass reaction bio1. Any growth?", no_growth=True,
          setup={"open_all_exchanges": True, "objective": "bio1"})
    draft("modelseed_draft", "how many exchange reactions are in the draft model?",
          numbers=[len(dm.exchanges)], setup={"lookup": True})
    with dm:
        dm.reactions.EX_cpd00027_e0.lower_bound = -5.0
        atp5 = dm.slim_optimize(error_value=0.0)
    draft("modelseed_draft", "Let the draft take up D-glucose (EX_cpd00027_e0) at 5 "
          "mmol/gDW/h and keep its ATPM_c0 objective: what is the maximal ATPM flux?",
          numbers=[atp5], setup={"uptake": {"EX_cpd00027_e0": 5}, "objective": "ATPM_c0"})
    draft("modelseed_draft", "In the draft, which reactions is gene 562.55864_2618 linked "
          "to?", ids=gene_rxns(D, "562.55864_2618"), setup={"lookup": True})
    draft("modelseed_draft", "Gene-protein-reaction rule of rxn00351_c0 in the loaded draft?",
          ids=gpr_genes(D, "rxn00351_c0"), setup={"lookup": True})
    draft("modelseed_draft", "What's the O2 uptake limit in the draft's own medium "
          "(EX_cpd00007_e0)?", tools=[*T_DRAFT, *T_MED], numbers=[dm.medium["EX_cpd00007_e0"]],
          setup={"medium_of": "draft"})

    # ------------------------------------------------------------------ doubling_time (4)
    dt_case("doubling_time", E, "Doubling time of e_coli_core at its optimum, in minutes?",
            minutes=True)
    dt_case("doubling_time", J, "If iJO1366 grows anaerobically, how many hours per "
            "doubling?", ANA)
    dt_case("doubling_time", S, "td for the salmonella model (default medium), hours.")
    dt_case("doubling_time", E, "On succinate (sole C, 10 mmol/gDW/h), what's the core "
            "model's doubling time in min?", {"carbon": {"EX_succ_e": None}}, minutes=True)

    # ------------------------------------------------------------------ percent_change (4)
    pct_case("percent_change", E, "By how many percent does deleting gnd change the growth "
             "of the core model relative to wild type?", {"ko_genes": [cgene("gnd")]})
    pct_case("percent_change", J, "Going anaerobic: percentage change in iJO1366 growth "
             "versus the aerobic default?", ANA, tools=T_FBA)
    pct_case("percent_change", S, "Relative growth loss (in %) of a Salmonella tpiA "
             "mutant compared with wild type?", {"ko_genes": [sgene("TpiA")]})
    pct_case("percent_change", E, "Fixing ATPM at 15 instead of the default -- what % "
             "change in growth is that for e_coli_core?", {"bounds": {"ATPM": (15, 15)}},
             tools=["set_bounds", "run_fba"])

    # ------------------------------------------------------------------ multi_step (6)
    msteps("multi_step", E, "First knock out pgi in the core model and report growth; then "
           "additionally delete sdhA and report again.",
           [{"ko_genes": [cgene("pgi")]}, {"ko_genes": [cgene("pgi"), cgene("sdhA")]}])
    msteps("multi_step", J, "iJO1366: (1) switch the carbon source to glycerol, growth? (2) "
           "now also remove oxygen, growth?",
           [{"carbon": {"EX_glyc_e": None}}, {"carbon": {"EX_glyc_e": None}, **ANA}],
           tools=T_FBA)
    msteps("multi_step", S, "Cap Salmonella's glucose at 3 and get µ. After that knock out "
           "TpiA on top and get µ again.",
           [{"uptake": {GLC: 3}}, {"uptake": {GLC: 3}, "ko_genes": [sgene("TpiA")]}])
    msteps("multi_step", E, "Go anaerobic with e_coli_core and note the growth rate; next, "
           "maximise D-lactate secretion under the same conditions.",
           [ANA, {**ANA, "objective": "EX_lac__D_e"}], tools=T_PROD)
    msteps("multi_step", E, "Step one: ATPM = 0 (both bounds), growth? Step two: keep that "
           "and delete atpA. Growth now?",
           [{"bounds": {"ATPM": (0, 0)}},
            {"bounds": {"ATPM": (0, 0)}, "ko_genes": [cgene("atpA")]}])
    msteps("multi_step", J, "Limit iJO1366's oxygen to 5 mmol/gDW/h, report growth; then "
           "lower glucose to 5 as well and report growth once more.",
           [{"uptake": {O2: 5}}, {"uptake": {O2: 5, GLC: 5}}], tools=T_FBA)

    # ------------------------------------------------------------------ followup (10)
    F = "followup"
    gcase(F, E, "Now do the same thing without oxygen.", ANA,
          turns=["Load the E. coli core model and run FBA."])
    gcase(F, J, "and if b1723 goes as well?", {"ko_genes": ["b3916", "b1723"]}, tools=T_KO,
          turns=["Knock out b3916 in iJO1366 - what's the growth?"])
    dt_case(F, S, "What's that as a doubling time, in minutes?", minutes=True, tools=[],
            turns=["Maximal growth of the salmonella model on its default medium?"])
    ess_count(F, E, "Which genes are essential there? Just the number is fine.",
              {"carbon": {AC: None}},
              turns=["Switch e_coli_core to acetate as the only carbon source (10 mmol/gDW/h)."])
    vcase(F, E, "ok -- now an FVA of PGI at 90% of the optimum under that condition.",
          {"uptake": {GLC: 5}}, ["PGI"], 0.9,
          turns=["Set the glucose uptake of the core model to 5 mmol/gDW/h."])
    pcase(F, J, "What's the maximum ethanol secretion in that state?", ANA, "EX_etoh_e",
          turns=["Use iJO1366 and make it anaerobic."])
    gcase(F, E, "Knock it out and tell me the growth.", {"ko_genes": ["b1852"]}, tools=T_KO,
          turns=["What does gene b1852 encode in e_coli_core?"])
    gcase(F, S, "Undo that knockout, and cap oxygen at 5 mmol/gDW/h instead. Growth?",
          {"uptake": {O2: 5}}, tools=[*T_FBA, "reset_model"],
          turns=["Use the salmonella model and knock out STM4221.", "What's the growth now?"])
    gcase(F, E, "Switch the objective back to biomass and fix ATPM at 30. Growth?",
          {"bounds": {"ATPM": (30, 30)}}, tools=["set_objective", "set_bounds", "run_fba"],
          turns=["Maximise ATPM in e_coli_core."])
    pct_case(F, E, "What percent change vs. the wild type is that?", {"ko_rxns": ["PFK"]},
             turns=["Knock out the reaction PFK in the core model and run FBA."])

    # ------------------------------------------------------------------ unresolved (26)
    U = unresolved
    U(E, "What growth rate does the E. coli core model predict at 42 °C?")
    U(E, "Simulate e_coli_core growth in medium buffered at pH 5.5, please.")
    U(J, "iJO1366 with 100 µg/mL ampicillin added to the medium: predicted growth?")
    U(E, "If the medium contains 20 g/L glucose, what's the growth rate of the core model?")
    U(E, "Load the Bacillus subtilis model and compute its growth on glucose.")
    U(E, "Knock out lacZ in e_coli_core and give me the growth.")
    U(E, "Run FBA for yeast (iMM904) on glucose minimal medium.")
    U(S, "How does Salmonella growth change under osmotic stress with 0.5 M NaCl?")
    U(E, "How much biomass (g/L) will the core model have after 8 hours of batch culture?")
    U(E, "What is the Km of glucokinase for glucose in the core model?")
    U(E, "Overexpress ptsG three-fold in e_coli_core and report the new growth rate.")
    U(S, "Predict biofilm formation of the salmonella model on a plastic surface.")
    U(S, "Salmonella inside a macrophage vacuole: what growth does the model give?")
    U(S, "Delete STM9999 from the salmonella model; growth?")
    U(E, "Growth of e_coli_core under constant blue light illumination?")
    U(E, "With an enzyme-capacity (GECKO-style) proteome limit of 0.3 g/gDW, what's the "
      "core model's growth?")
    U(J, "How long is the lag phase of iJO1366 after a shift from glucose to acetate?")
    U(J, "Load iML1515 and compare its growth with iJO1366.")
    U(J, "Knock out gene b9999 in iJO1366 and rerun FBA.")
    U(E, "Predict the growth of the core model after 500 generations of adaptive laboratory "
      "evolution on lactate.")
    U(E, "What fraction of the e_coli_core population become persisters under ciprofloxacin?")
    U(J, "Cold shock: iJO1366 growth at 15 degrees C vs 37?")
    U(E, "Simulate e_coli_core in co-culture with Bacteroides thetaiotaomicron in the gut.")
    U(E, "What's the intracellular ATP concentration in mM predicted by the core model?")
    U(E, "Delete the arcA regulator from e_coli_core and report the growth rate.")
    U(D, "Grow the ModelSEED draft at 30 °C and at 37 °C and compare.")


# --------------------------------------------------------------------------- writer
KEYS = ["id", "category", "query", "model", "model_file", "tools_any", "numbers", "ids",
        "no_growth", "turns", "expect_unresolved", "setup"]


def write(cases):
    for i, case in enumerate(cases, 1):
        case["id"] = f"H9_{i:03d}"
    out = [{k: _plain(case[k]) for k in KEYS if k in case} for case in cases]
    head = ("# fluxagent understanding corpus, ninth blind holdout (all cases held out).\n"
            "# GENERATED by .venv/bin/python eval/understanding/references9.py -- do not edit\n"
            "# by hand.\n"
            "# Format: eval/dev_queries.yaml (extra fields: category, model_file,\n"
            "# expect_unresolved, setup = how the reference was computed, for review only).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
    text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                 default_flow_style=None)
    (HERE / "holdout9.yaml").write_text(text)


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
