#!/usr/bin/env python
"""Reference answers for the twelfth blind held-out corpus (``holdout12.yaml``).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references12.py

It writes ``eval/understanding/holdout12.yaml``; stdout stays empty, a summary goes to stderr.
Two runs give byte-identical files.

What was read: ``eval/understanding/README.md``, lines 1-601 and 1090-end of
``references6.py`` (the helpers and the output writer, copied here and adapted; the tool lists
are restricted to the names printed by ``fluxagent tools list``), ``src/fluxagent/evaluation/``
(loader and scoring), the tool names, the models cobrapy ships, the ModelSEED draft model and
the ModelSEED biochemistry tables. What was NOT read: anything under ``src/fluxagent/llm/`` or
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

Degenerate references are not written: a growth answer within 1 % of the model's default
growth outside ``growth_default``, a 0 FVA bound, a 0 in ``numbers``, two numbers within 1.5 %
in a comparison, cross-model or multi-step case, a lethal or ineffective multi-step step, and a
flux or substrate uptake that is not unique at the optimum (FVA at 100 %) are logged as
``skipped:`` lines on stderr and the case is dropped.
"""
from __future__ import annotations

import csv
import gzip
import itertools
import logging
import math
import random
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
OUT = HERE / "holdout12.yaml"
PREFIX = "H12"

logging.getLogger("cobra").setLevel(logging.ERROR)
cobra.Configuration().solver = "glpk"

# tool lists (generous: several plausible tools; only names `fluxagent tools list` prints)
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
T_CMP = ["run_fba", "compare_media", "set_medium", "knockout_genes", "knockout_reactions",
         "set_bounds"]
T_DRAFT = ["load_model", "model_summary", "run_fba", "get_medium", "set_objective",
           "search_model", "validate_model", "set_medium", "set_bounds"]
T_XM = ["run_fba", "load_model", "set_medium", "compare_media", "set_bounds",
        "knockout_genes"]
T_OBJ = ["set_objective", "run_fba", "set_bounds", "theoretical_yield", "run_fva"]
T_MULTI = ["run_fba", "set_medium", "set_bounds", "knockout_genes", "knockout_reactions",
           "set_objective", "compare_media"]


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


# --------------------------------------------------------------------------- degeneracy checks
def skip(why: str, query: str) -> None:
    SKIPPED.append(f"{why}: {query}")


def near_default(model: str, g: float) -> bool:
    wt = growth(model)
    return abs(g - wt) <= 0.01 * wt


def close_pair(vals) -> bool:
    """Two values within 1.5 % of each other (relative to the larger)."""
    for a, b in itertools.combinations(vals, 2):
        if abs(abs(a) - abs(b)) <= 0.015 * max(abs(a), abs(b)):
            return True
    return False


# --------------------------------------------------------------------------- case builders
def add(cat, model, query, tools, numbers=(), ids=(), no_growth=False, turns=(), setup=None,
        model_file=None, unresolved=False):
    nums = [rnd(float(n)) for n in numbers]
    if any(n == 0.0 for n in nums):
        skip("0 in numbers", query)
        return
    case = {"category": cat, "query": query, "model": DRAFT if model == D else model}
    if model == D or model_file:
        case["model_file"] = DRAFT
    case.update({"tools_any": list(tools), "numbers": nums,
                 "ids": list(ids), "no_growth": bool(no_growth), "turns": list(turns)})
    if unresolved:
        case["expect_unresolved"] = True
    if setup is not None:
        case["setup"] = setup
    CASES.append(case)


def gcase(cat, model, query, spec=None, tools=T_FBA, turns=(), extra=(), prev=None):
    """Growth under ``spec``; ``prev`` (follow-ups): the condition of the previous turn, whose
    answer must differ by more than 1 %."""
    g = growth(model, spec)
    ng = g < 1e-6
    if spec and cat != "growth_default" and not ng and near_default(model, g):
        skip(f"{model} growth {g:.6g} within 1% of default", query)
        return g
    if prev is not None:
        g0 = growth(model, prev)
        if abs(g - g0) <= 0.01 * max(g0, 1e-9):
            skip(f"{model} follow-up does not change the previous answer {g0:.6g}", query)
            return g
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
    if any(abs(x) < 1e-9 for x in nums):
        skip(f"{model} FVA has a 0 bound {nums}", query)
        return
    add(cat, model, query, tools, nums, [], False, turns,
        {**(spec or {}), "fva_of": rxns, "fraction_of_optimum": fraction})


def fcase(cat, model, query, spec, rxns, tools=T_FLUX, turns=()):
    vals = []
    for r in rxns:
        v = unique_flux(model, spec or {}, r)
        if v is None:
            skip(f"{model} {r} flux not unique", query)
            return
        vals.append(v)
    add(cat, model, query, tools, vals, [], False, turns, {**(spec or {}), "fluxes_of": rxns})


def unresolved(model, query, turns=()):
    add("unresolved", model, query, [], [], [], False, turns, None, None, True)


def cmp_case(cat, model, query, options, tools=T_CMP, turns=(), lowest=False):
    """options: list of (label, model, spec). numbers = growth of each; ids = the winner
    (the largest growth, or the smallest with ``lowest``)."""
    vals = [growth(mo, sp) for _, mo, sp in options]
    if close_pair(vals) or min(vals) < 1e-6:
        skip(f"comparison options too close or lethal {[rnd(v) for v in vals]}", query)
        return
    best = min(vals) if lowest else max(vals)
    win = [lab for (lab, _, _), v in zip(options, vals, strict=True) if abs(v - best) <= 1e-9]
    setup = {"compare": {lab: {"model": mo, **sp} for lab, mo, sp in options}}
    if lowest:
        setup["winner"] = "min"
    add(cat, model, query, tools, vals, ["|".join(win)], False, turns, setup)


def dt_case(cat, model, query, spec=None, minutes=False, tools=T_FBA, turns=()):
    g = growth(model, spec)
    if spec and near_default(model, g):
        skip(f"{model} growth {g:.6g} within 1% of default", query)
        return
    t = LN2 / g * (60.0 if minutes else 1.0)
    add(cat, model, query, tools, [t], [], False, turns,
        {**(spec or {}), "doubling_time": "minutes" if minutes else "hours"})


def pct_case(cat, model, query, spec, base=None, tools=T_KO, turns=(), with_growth=False):
    wt = growth(model, base or {})
    g = growth(model, spec)
    p = (g - wt) / wt * 100.0
    if abs(p) < 1.0:
        skip(f"{model} percent change {p:.3g} below 1 %", query)
        return
    add(cat, model, query, tools, [g, p] if with_growth else [p], [], False, turns,
        {**spec, "percent_change_vs": base or "default"})


def multi(model, query, steps, tools=T_MULTI, cat="multi_step"):
    """steps: cumulative condition specs, in question order. A step with an ``objective``
    gives its optimum, the others the growth. Every step must change the answer (>= 1 %) and
    none may be lethal."""
    vals = []
    prev = growth(model)
    for sp in steps:
        v = opt(model, sp) if ("objective" in sp or "demand" in sp) else growth(model, sp)
        if v < 1e-6:
            skip(f"{model} lethal step {sp}", query)
            return
        if "objective" not in sp and abs(v - prev) <= 0.01 * prev:
            skip(f"{model} ineffective step {sp}", query)
            return
        vals.append(v)
        prev = v
    if close_pair(vals):
        skip(f"{model} multi-step values too close {[rnd(v) for v in vals]}", query)
        return
    add(cat, model, query, tools, vals, [], False, (), {"steps": steps})


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


def glab(model: str, gid: str) -> str:
    """A comparison label: 'name|id' (or the id alone when the gene has no name)."""
    return gene_alts(model, [gid])[0]


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


def draft_opt(spec: dict) -> float:
    """Optimum of the draft (its own objective unless ``objective`` is given)."""
    m = M(D)
    with m:
        if spec.get("open_all"):
            for r in m.exchanges:
                r.bounds = (-1000.0, 1000.0)
        for rid, (lb, ub) in spec.get("bounds", {}).items():
            m.reactions.get_by_id(rid).bounds = (lb, ub)
        if "objective" in spec:
            m.objective = spec["objective"]
        v = m.slim_optimize(error_value=float("nan"))
    return 0.0 if not math.isfinite(v) else v


# --------------------------------------------------------------------------- more builders
def ycase(cat, model, query, spec, product, substrate, unit="mol", tools=T_YIELD, turns=()):
    """Yield of ``product`` (an exchange) on ``substrate`` (an exchange) at maximal product."""
    spec = {**(spec or {}), "objective": product}
    v = opt(model, spec)
    lo, hi = fva(model, spec, [substrate], 1.0)[substrate]
    if abs(hi - lo) > 1e-6:
        skip(f"{model} {substrate} uptake not unique", query)
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


def ess_count(cat, model, query, spec=None, with_ids=False, tools=T_ESSG, turns=()):
    genes = essential_genes(model, spec)
    add(cat, model, query, tools, [len(genes)], gene_alts(model, genes) if with_ids else [],
        False, turns, {**(spec or {}), "essential_genes": "knockout growth < 1% of wild type"})


def essr_count(cat, model, query, spec=None, with_ids=False, exclude_boundary=False,
               tools=T_ESSR, turns=()):
    rx = essential_reactions(model, spec)
    if exclude_boundary:
        rx = [r for r in rx if r not in M(model).reactions or
              (not r.startswith("EX_") and r != bio(model))]
    add(cat, model, query, tools, [len(rx)], rx if with_ids else [], False, turns,
        {**(spec or {}), "essential_reactions": "knockout growth < 1% of wild type",
         "exclude_exchanges_and_biomass": exclude_boundary})


def ess_subset(cat, model, query, rxns, spec=None, tools=T_ESSR + T_KO, turns=()):
    """'Which of these reactions are essential': the essential ones in ids, their count."""
    ess = set(essential_reactions(model, spec))
    hit = [r for r in rxns if r in ess]
    if not hit or len(hit) == len(rxns):
        skip(f"{model} subset all or none essential", query)
        return
    add(cat, model, query, tools, [len(hit)], hit, False, turns,
        {**(spec or {}), "essential_among": rxns})


def ess_gene_subset(cat, model, query, genes, spec=None, tools=T_ESSG + T_KO, turns=()):
    ess = set(essential_genes(model, spec))
    hit = [g for g in genes if g in ess]
    if not hit or len(hit) == len(genes):
        skip(f"{model} gene subset all or none essential", query)
        return
    add(cat, model, query, tools, [len(hit)], gene_alts(model, hit), False, turns,
        {**(spec or {}), "essential_among": genes})


def sl_pair(cat, model, query, genes, spec=None, tools=T_SL, turns=()):
    both, lethal = double_ko(model, genes, spec)
    wt = growth(model, spec or {})
    singles = [growth(model, {**(spec or {}), "ko_genes": [g]}) for g in genes]
    setup = {**(spec or {}), "ko_genes": list(genes), "double_ko": True}
    if both < 1e-6:
        if not all(s >= 0.01 * wt for s in singles):
            skip(f"{model} a single knockout is already lethal", query)
            return
        add(cat, model, query, tools, [], [], True, turns, setup)
    else:
        if abs(both - min(singles)) <= 0.01 * wt and all(abs(s - wt) <= 0.01 * wt
                                                          for s in singles):
            skip(f"{model} pair without any effect", query)
            return
        add(cat, model, query, tools, [both, *singles], [], False, turns, setup)
    return lethal


def sl_partners(cat, model, query, gene, tools=T_SL, turns=()):
    part = sorted({b if a == gene else a for a, b in core_sl_pairs() if gene in (a, b)})
    if not part:
        skip(f"{gene} has no synthetic-lethal partner", query)
        return
    add(cat, model, query, tools, [len(part)], gene_alts(E, part), False, turns,
        {"sl_partners_of": gene, "screen": "e_coli_core gene pairs, default medium"})


def sl_rxn_partners(cat, model, query, rxn, tools=T_SL, turns=()):
    part = sorted({b if a == rxn else a for a, b in core_sl_rxn_pairs() if rxn in (a, b)})
    if not part:
        skip(f"{rxn} has no synthetic-lethal partner", query)
        return
    add(cat, model, query, tools, [len(part)], part, False, turns,
        {"sl_partners_of": rxn, "screen": "e_coli_core reaction pairs, default medium"})


def biomass_yield(cat, model, query, spec=None, tools=T_YIELD, turns=()):
    spec = dict(spec or {})
    g = growth(model, spec)
    lo, hi = fva(model, spec, ["EX_glc__D_e"], 1.0)["EX_glc__D_e"]
    if abs(hi - lo) > 1e-6:
        skip(f"{model} glucose uptake not unique", query)
        return
    y = g / (-lo * fw(model, "glc__D_e") / 1000.0)
    add(cat, model, query, tools, [y], [], False, turns,
        {**spec, "biomass_yield": "growth / (glucose uptake x M(glc__D_e)/1000), gDW/g"})


def atp_yield(cat, model, query, spec=None, tools=T_YIELD, turns=()):
    spec = {**(spec or {}), "objective": "ATPM"}
    v = opt(model, spec)
    lo, hi = fva(model, spec, ["EX_glc__D_e"], 1.0)["EX_glc__D_e"]
    if abs(hi - lo) > 1e-6:
        skip(f"{model} glucose uptake not unique", query)
        return
    add(cat, model, query, tools, [v / -lo], [], False, turns,
        {**spec, "atp_yield": "max ATPM / glucose uptake, mol ATP / mol glucose"})


# --------------------------------------------------------------------------- the questions
def build_cases():
    glc_e = "EX_glc__D_e"
    an = {"anaerobic": True}

    # ---------------------------------------------------------------- growth_default
    gcase("growth_default", E,
          "Before I change anything at all: what biomass flux does the E. coli core model give "
          "with its stock bounds?")
    gcase("growth_default", J, "iJO1366 exactly as shipped, no edits. FBA growth rate (h⁻¹)?")
    gcase("growth_default", S,
          "I'm new to the Salmonella reconstruction that comes bundled with cobrapy. Out of "
          "the box, what growth rate does it predict?")
    gcase("growth_default", E,
          "textbook model, default medium, biomass objective -> optimal growth? number only pls")

    # ---------------------------------------------------------------- carbon_source
    gcase("carbon_source", E,
          "Could the core model survive on 2-oxoglutarate (α-ketoglutarate) alone? Take the "
          "glucose away, let akg in at 10 mmol/gDW/h and tell me µ.",
          {"carbon": {"EX_akg_e": 10}})
    gcase("carbon_source", E,
          "glucose out, L-glutamate in as the sole carbon source for e_coli_core. growht rate?",
          {"carbon": {"EX_glu__L_e": None}})
    gcase("carbon_source", J,
          "Report the growth rate of iJO1366 when D-sorbitol (glucitol) is its only carbon "
          "source; the glucose exchange should be closed.", {"carbon": {"EX_sbt__D_e": None}})
    gcase("carbon_source", J,
          "We isolated a strain that does well on chitin breakdown products, so I'm curious: "
          "in iJO1366, with N-acetyl-D-glucosamine as the sole carbon source in place of "
          "glucose, how fast would it grow?", {"carbon": {"EX_acgam_e": None}})
    gcase("carbon_source", J,
          "Aerobically, on citrate and with no glucose whatsoever -- what growth does FBA "
          "predict for iJO1366? (I know real K-12 can't do this, I just want the model's "
          "number.)", {"carbon": {"EX_cit_e": None}})
    gcase("carbon_source", S,
          "Salmonella, unlike K-12, catabolises myo-inositol. Give the salmonella model "
          "inositol as its only carbon source: what growth do you get?",
          {"carbon": {"EX_inost_e": None}})
    gcase("carbon_source", S,
          "If glucose is replaced by L-proline as the sole source of carbon, what growth rate "
          "is predicted by the salmonella model?", {"carbon": {"EX_pro__L_e": None}})

    # ---------------------------------------------------------------- cofeed
    gcase("cofeed", E,
          "Glucose stays at its default 10, but I'd also like e_coli_core to be able to take "
          "up acetate, up to 5 mmol/gDW/h. Does growth go up, and to what?",
          {"uptake": {"EX_ac_e": 5}})
    gcase("cofeed", E,
          "Feed the core model 5 mmol gDW-1 h-1 glucose together with five of succinate (same "
          "units). Predicted growth?", {"uptake": {glc_e: 5, "EX_succ_e": 5}})
    gcase("cofeed", J,
          "I need the iJO1366 growth rate with the normal glucose plus glycerol at up to eight "
          "mmol per gDW per hour.", {"uptake": {"EX_glyc_e": 8}})
    gcase("cofeed", S,
          "On top of the glucose salmonella ships with, let it take up D-galactose as well "
          "(≤ 3 mmol·gDW⁻¹·h⁻¹). Growth?", {"uptake": {"EX_gal_e": 3}})
    gcase("cofeed", J,
          "No glucose this time. iJO1366 is given D-xylose at 6 and L-arabinose at 4 "
          "mmol/gDW/h simultaneously -- what is the growth rate?",
          {"carbon": {"EX_xyl__D_e": 6, "EX_arab__L_e": 4}})

    # ---------------------------------------------------------------- comparison
    cmp_case("comparison", E,
             "Sole-carbon shoot-out in e_coli_core, 10 mmol/gDW/h each: pyruvate vs D-lactate "
             "vs acetaldehyde. Growth on each, and which one wins?",
             [("pyruvate|EX_pyr_e", E, {"carbon": {"EX_pyr_e": 10}}),
              ("D-lactate|lactate|EX_lac__D_e", E, {"carbon": {"EX_lac__D_e": 10}}),
              ("acetaldehyde|EX_acald_e", E, {"carbon": {"EX_acald_e": 10}})])
    cmp_case("comparison", E,
             "Three candidate deletions for the core model -- atpA, nuoG and tpiA. Which one "
             "hurts growth the most? Show all three rates.",
             [(glab(E, g), E, {"ko_genes": [g]}) for g in ("b3734", "b2283", "b3919")],
             tools=T_CMP + T_KO, lowest=True)
    cmp_case("comparison", J,
             "iJO1366, single carbon source at 10 mmol/gDW/h each:\n\n"
             "  galactose | xylose | glycerol\n\n"
             "fill in the growth rates and tell me which is best.",
             [("galactose|EX_gal_e", J, {"carbon": {"EX_gal_e": 10}}),
              ("xylose|EX_xyl__D_e", J, {"carbon": {"EX_xyl__D_e": 10}}),
              ("glycerol|EX_glyc_e", J, {"carbon": {"EX_glyc_e": 10}})])
    cmp_case("comparison", J,
             "Lacking any oxygen, which is the better carbon source for iJO1366: D-glucose, "
             "D-gluconate or D-glucuronate? Growth rates for all three please.",
             [("glucose|EX_glc__D_e", J, {"anaerobic": True}),
              ("gluconate|EX_glcn_e", J, {"anaerobic": True, "carbon": {"EX_glcn_e": None}}),
              ("glucuronate|EX_glcur_e", J,
               {"anaerobic": True, "carbon": {"EX_glcur_e": None}})])
    cmp_case("comparison", S,
             "In salmonella, rank glycerol, D-sorbitol and acetate as single carbon sources "
             "(5 mmol/gDW/h each). Which supports the fastest growth?",
             [("glycerol|EX_glyc_e", S, {"carbon": {"EX_glyc_e": 5}}),
              ("sorbitol|EX_sbt__D_e", S, {"carbon": {"EX_sbt__D_e": 5}}),
              ("acetate|EX_ac_e", S, {"carbon": {"EX_ac_e": 5}})])
    cmp_case("comparison", E,
             "Table please -- e_coli_core growth at O2 caps of 5 / 10 / 15 mmol gDW^-1 h^-1, "
             "and which cap comes out best?",
             [(str(v), E, {"uptake": {"EX_o2_e": v}}) for v in (5, 10, 15)])
    cmp_case("comparison", S,
             "Salmonella knockouts: cyoB (STM0442) vs nuoH (STM2322) vs atpA (STM3867). Which "
             "deletion leaves the lowest growth?",
             [(glab(S, g), S, {"ko_genes": [g]}) for g in ("STM0442", "STM2322", "STM3867")],
             tools=T_CMP + T_KO, lowest=True)

    # ---------------------------------------------------------------- cross_model
    cmp_case("cross_model", E,
             "Default-medium growth for e_coli_core, iJO1366 and salmonella, side by side "
             "please. Which is fastest?",
             [("e_coli_core", E, {}), ("iJO1366", J, {}), ("salmonella", S, {})], tools=T_XM)
    cmp_case("cross_model", E,
             "Anaerobic growth (O2 uptake = 0): the core model versus the genome-scale "
             "iJO1366. Which one predicts more?",
             [("e_coli_core", E, {"anaerobic": True}), ("iJO1366", J, {"anaerobic": True})],
             tools=T_XM)
    cmp_case("cross_model", J,
             "Acetate only (10 mmol/gDW/h), no glucose, for both iJO1366 and salmonella. Who "
             "grows faster on it?",
             [("iJO1366", J, {"carbon": {"EX_ac_e": 10}}),
              ("salmonella", S, {"carbon": {"EX_ac_e": 10}})], tools=T_XM)
    cmp_case("cross_model", E,
             "tpiA deletion across three models -- b3919 in e_coli_core and in iJO1366, "
             "STM4081 (TpiA) in salmonella. Growth in each?",
             [("e_coli_core", E, {"ko_genes": ["b3919"]}),
              ("iJO1366", J, {"ko_genes": ["b3919"]}),
              ("salmonella", S, {"ko_genes": ["STM4081"]})], tools=T_XM)

    # ---------------------------------------------------------------- doubling_time
    dt_case("doubling_time", E,
            "How long does one doubling take for the core model when it is grown without "
            "oxygen? Minutes, please.", an, minutes=True)
    dt_case("doubling_time", J, "Doubling time of iJO1366 on its default medium, in hours.")
    dt_case("doubling_time", S,
            "salmonella on glycerol (sole carbon) - predicted doubling time in h?",
            {"carbon": {"EX_glyc_e": None}})
    dt_case("doubling_time", E,
            "If e_coli_core had to grow on succinate instead of glucose, what would its "
            "doubling time be, in min?", {"carbon": {"EX_succ_e": None}}, minutes=True)

    # ---------------------------------------------------------------- essential_genes
    ess_count("essential_genes", E,
              "How many genes in e_coli_core are essential on the default glucose medium?")
    ess_count("essential_genes", E,
              "Under anaerobic conditions, which e_coli_core genes become essential? List them "
              "and give the count.", an, with_ids=True)
    ess_count("essential_genes", J,
              "Run a single-gene deletion screen on iJO1366 (default medium) and tell me how "
              "many genes are essential, i.e. knockout growth < 1% of wild type.")
    ess_count("essential_genes", S, "Count the essential genes of the salmonella model as "
                                    "shipped.")
    ess_count("essential_genes", E,
              "We're planning a Tn-seq run on acetate. In e_coli_core with acetate as the only "
              "carbon source, how many genes come out essential?", {"carbon": {"EX_ac_e": None}})
    ess_count("essential_genes", J,
              "How many genes are found to be essential when iJO1366 is screened without "
              "oxygen?", an)

    # ---------------------------------------------------------------- essential_reactions
    essr_count("essential_reactions", E,
               "How many reactions are essential in the core model, not counting exchange "
               "reactions or the biomass reaction itself?", exclude_boundary=True)
    essr_count("essential_reactions", E,
               "Total number of essential reactions in e_coli_core on glucose -- every "
               "reaction counts, exchanges included.")
    ess_subset("essential_reactions", E,
               "Of PFK, ENO, CS, PYK, GAPD and TPI, which would be lethal to remove from "
               "e_coli_core?", ["PFK", "ENO", "CS", "PYK", "GAPD", "TPI"])
    essr_count("essential_reactions", J,
               "Reaction deletion screen, iJO1366, default medium: how many reactions are "
               "essential?")
    essr_count("essential_reactions", E,
               "Switch e_coli_core to D-lactate as the sole carbon source; how many reactions "
               "are essential then (exchanges count too)?", {"carbon": {"EX_lac__D_e": None}})

    # ---------------------------------------------------------------- fva
    vcase("fva", E,
          "Report the flux ranges (FVA, 90 % of max growth) of PFK and GAPD in e_coli_core.", {},
          ["PFK", "GAPD"], 0.9)
    vcase("fva", E,
          "At 95 % of max growth, over what range can O2 uptake (EX_o2_e) and CO2 release "
          "(EX_co2_e) vary in the core model?", {}, ["EX_o2_e", "EX_co2_e"], 0.95)
    vcase("fva", J,
          "flux_variability_analysis on iJO1366 with fraction_of_optimum=0.9 -- min/max of "
          "EX_o2_e and EX_co2_e?", {},
          ["EX_o2_e", "EX_co2_e"], 0.9)
    vcase("fva", S,
          "salmonella: how variable are PGI and EX_o2_e if growth only has to be >= 80% of "
          "the optimum?", {}, ["PGI", "EX_o2_e"], 0.8)
    vcase("fva", E,
          "Anaerobic e_coli_core with growth held at 95% of its maximum -- what are the ranges "
          "of ethanol, formate and acetate secretion?", an,
          ["EX_etoh_e", "EX_for_e", "EX_ac_e"], 0.95)
    vcase("fva", E,
          "Give the FVA min/max of ATPS4r and CYTBD in e_coli_core at ninety-nine percent of "
          "optimum.", {}, ["ATPS4r", "CYTBD"], 0.99)

    # ---------------------------------------------------------------- gene_knockout
    gcase("gene_knockout", E,
          "Delete nuoB (b2287) from the core model. How much growth remains?",
          {"ko_genes": ["b2287"]}, tools=T_KO)
    gcase("gene_knockout", E,
          "Our lab has a gdhA deletion strain (no NADP-glutamate dehydrogenase). What growth "
          "rate does the core model predict for it?",
          {"ko_genes": [cgene("gdhA")]}, tools=T_KO)
    gcase("gene_knockout", E,
          "what happens to growth if lpd (b0116) is knocked out in the core model",
          {"ko_genes": ["b0116"]}, tools=T_KO)
    gcase("gene_knockout", E,
          "Core model grown without oxygen, with pntA (b1603) removed. Growth?",
          {"anaerobic": True, "ko_genes": ["b1603"]}, tools=T_KO)
    gcase("gene_knockout", J, "In iJO1366, knock out b3919 and report mu.",
          {"ko_genes": ["b3919"]}, tools=T_KO)
    gcase("gene_knockout", J, "iJO1366 Δb1779 (gapA) -- growth on the default medium?",
          {"ko_genes": ["b1779"]}, tools=T_KO)
    gcase("gene_knockout", S, "Salmonella eno deletion (STM2952): predicted growth?",
          {"ko_genes": ["STM2952"]}, tools=T_KO)
    gcase("gene_knockout", S,
          "What growth is left once the malate dehydrogenase gene mdh has been removed from "
          "the salmonella model?", {"ko_genes": [sgene("Mdh")]}, tools=T_KO)

    # ---------------------------------------------------------------- growth_floor
    pcase("growth_floor", E,
          "Maximise succinate secretion in e_coli_core while keeping growth at >= 0.3 1/h. "
          "What's the max succinate flux?", {"floor": 0.3}, "EX_succ_e")
    pcase("growth_floor", E,
          "At 50% of optimal growth, how much acetate can the core model excrete at most?",
          {"fraction": 0.5}, "EX_ac_e")
    pcase("growth_floor", J,
          "iJO1366, anaerobic, biomass forced to at least 0.1 h^-1: maximum ethanol "
          "production?", {"anaerobic": True, "floor": 0.1}, "EX_etoh_e")
    pcase("growth_floor", S,
          "Salmonella: max acetate secretion when growth must stay at 80% of its optimum.",
          {"fraction": 0.8}, "EX_ac_e")
    pcase("growth_floor", E,
          "No O2, core model, growth not allowed below 0.1 per hour: how much D-lactate can it "
          "make at most?", {"anaerobic": True, "floor": 0.1}, "EX_lac__D_e")
    pcase("growth_floor", J,
          "With iJO1366 growing at no less than 30 % of the optimal rate, what is the highest "
          "succinate export flux possible?", {"fraction": 0.3}, "EX_succ_e")

    # ---------------------------------------------------------------- max_production
    pcase("max_production", E,
          "What's the theoretical maximum succinate secretion in e_coli_core (aerobic, default "
          "glucose), ignoring growth?", {}, "EX_succ_e")
    pcase("max_production", E,
          "Anaerobic core model: max succinate flux, biomass left unconstrained?", an,
          "EX_succ_e")
    pcase("max_production", J,
          "Upper limit of L-lysine export for iJO1366 on the default medium (growth not "
          "required)?", {}, "EX_lys__L_e")
    pcase("max_production", J,
          "Give me the maximum L-tryptophan production rate of iJO1366 in mmol/gDW/h, no "
          "growth requirement.",
          {}, "EX_trp__L_e")
    pcase("max_production", S,
          "How much succinate could the salmonella model secrete at most on its shipped "
          "medium?", {}, "EX_succ_e")
    pcase("max_production", J, "iJO1366: maximize EX_thr__L_e. Value?", {}, "EX_thr__L_e")

    # ---------------------------------------------------------------- medium
    for model, q in ((E, "How many uptake reactions are open in e_coli_core's default medium, "
                         "and what's the oxygen limit?"),
                     (S, "Describe the salmonella default medium briefly: number of components "
                         "and the O2 uptake bound.")):
        med = M(model).medium
        add("medium", model, q, T_MED, [len(med), med["EX_o2_e"]], [], False, (),
            {"medium_size": "len(model.medium)", "o2_limit": "medium['EX_o2_e']"})
    gcase("medium", E,
          "Set the core model's medium to exactly medium = {'EX_glc__D_e': 6, 'EX_o2_e': 12, "
          "'EX_nh4_e': 1000, 'EX_pi_e': 1000, 'EX_h2o_e': 1000, 'EX_h_e': 1000, "
          "'EX_co2_e': 1000} and run FBA.",
          {"medium": {glc_e: 6, "EX_o2_e": 12, "EX_nh4_e": 1000, "EX_pi_e": 1000,
                      "EX_h2o_e": 1000, "EX_h_e": 1000, "EX_co2_e": 1000}}, tools=T_MED)
    med = M(J).medium
    add("medium", J,
        "In iJO1366's stock medium, what are the uptake limits on glucose and on cobalamin "
        "(cbl1)?", T_MED, [med[glc_e], med["EX_cbl1_e"]], [], False, (),
        {"read": ["medium['EX_glc__D_e']", "medium['EX_cbl1_e']"]})

    # ---------------------------------------------------------------- model_info
    m = M(E)
    add("model_info", E, "Size of e_coli_core: reactions, metabolites, genes?", T_INFO,
        [len(m.reactions), len(m.metabolites), len(m.genes)], [], False, (), {"read": "counts"})
    m = M(J)
    add("model_info", J, "How many genes and how many reactions does iJO1366 have?", T_INFO,
        [len(m.genes), len(m.reactions)], [], False, (), {"read": "counts"})
    m = M(S)
    comps = sorted(m.compartments.items())
    add("model_info", S,
        "What compartments does the salmonella model define, and how many are there?", T_INFO,
        [len(comps)], [f"{k}|{v}" for k, v in comps], False, (), {"read": "compartments"})
    rule = M(E).reactions.PFK.genes
    add("model_info", E,
        "Which genes encode phosphofructokinase (PFK) in the core model?", T_INFO, [],
        gene_alts(E, sorted(g.id for g in rule)), False, (), {"read": "PFK.genes"})
    rx = sorted(r.id for r in M(J).genes.b4025.reactions)
    add("model_info", J, "What reaction(s) does b4025 catalyse in iJO1366?", T_INFO, [], rx,
        False, (), {"read": "b4025.reactions"})
    add("model_info", E, "Formula of glucose-6-phosphate (g6p_c) in e_coli_core?", T_INFO, [],
        [M(E).metabolites.g6p_c.formula], False, (), {"read": "g6p_c.formula"})
    add("model_info", S, "How many exchange reactions are there in the salmonella model?",
        T_INFO, [len(M(S).exchanges)], [], False, (), {"read": "len(model.exchanges)"})

    # ---------------------------------------------------------------- modelseed_draft
    d = M(D)
    draft("modelseed_draft",
          "Load the ModelSEED draft tests/data/modelseed/examples/"
          "example_ecoli_modelseed_model.json. How many reactions, metabolites and genes?",
          numbers=[len(d.reactions), len(d.metabolites), len(d.genes)],
          setup={"read": "counts"})
    assert draft_opt({"objective": "bio1"}) < 1e-9
    draft("modelseed_draft",
          "With the draft ModelSEED E. coli model, does biomass (bio1) grow on the medium "
          "saved in the file?", no_growth=True, setup={"objective": "bio1"})
    atp = {"bounds": {"EX_cpd00027_e0": (-10.0, 1000.0)}}
    draft("modelseed_draft",
          "Draft model: allow D-glucose uptake of 10 (EX_cpd00027_e0 lower bound -10) and "
          "maximise ATP maintenance, ATPM_c0. What's the max?",
          numbers=[draft_opt(atp)], setup={**atp, "objective": "ATPM_c0"})
    atp_an = {"bounds": {"EX_cpd00027_e0": (-10.0, 1000.0), "EX_cpd00007_e0": (0.0, 1000.0)}}
    draft("modelseed_draft",
          "ModelSEED draft, anaerobic ATP check: glucose uptake 10 (EX_cpd00027_e0 >= -10), "
          "no oxygen uptake (EX_cpd00007_e0 lower bound 0). Max ATPM_c0 flux?",
          numbers=[draft_opt(atp_an)], setup={**atp_an, "objective": "ATPM_c0"})
    assert draft_opt({"open_all": True, "objective": "bio1"}) < 1e-9
    draft("modelseed_draft",
          "Open every exchange of the ModelSEED draft to +/-1000 and optimise bio1 -- any "
          "growth?", no_growth=True, setup={"open_all": True, "objective": "bio1"})
    r = d.reactions.rxn00459_c0
    draft("modelseed_draft",
          "Which gene(s) are associated with rxn00459_c0 (enolase) in the draft model?",
          ids=sorted(g.id for g in r.genes), setup={"read": "rxn00459_c0.genes"})
    n = sum(1 for r in d.reactions if not r.gene_reaction_rule and r not in d.boundary)
    draft("modelseed_draft",
          "How many reactions of the draft have no gene association, not counting exchanges "
          "and sinks?", numbers=[n], setup={"read": "empty GPR, not in model.boundary"})

    # ---------------------------------------------------------------- modelseed_lookup
    lookup("ModelSEED compound id for shikimate?", ids=[cpd_by_name("Shikimate")],
           setup={"name": "Shikimate"})
    lookup("BiGG metabolite 'pep' -- what's that in ModelSEED?",
           ids=[ms_of("cpd", "pep", "BiGG")], setup={"bigg": "pep"})
    c = compounds()["cpd00020"]
    lookup("formula and charge of cpd00020 in the ModelSEED biochemistry",
           numbers=[int(c["charge"])], ids=[c["formula"]], setup={"compound": "cpd00020"})
    lookup("Give me the KEGG compound id(s) for ModelSEED cpd00027.",
           ids=[ext_of("cpd", "cpd00027", "KEGG")], setup={"compound": "cpd00027"})
    lookup("Which EC number is attached to ModelSEED reaction rxn00148?",
           ids=[ext_of("ec", "rxn00148", "Enzyme Class")], setup={"reaction": "rxn00148"})
    lookup("I need the ModelSEED reaction id that corresponds to the BiGG reaction PFK.",
           ids=[ms_of("rxn", "PFK", "BiGG")], setup={"bigg": "PFK"})
    lookup("KEGG C00122 -> ModelSEED compound?", ids=[ms_of("cpd", "C00122", "KEGG")],
           setup={"kegg": "C00122"})
    c = compounds()["cpd00036"]
    lookup("What is cpd00036 called, and what's its KEGG id?",
           ids=[c["name"], ext_of("cpd", "cpd00036", "KEGG")], setup={"compound": "cpd00036"})

    # ---------------------------------------------------------------- multi_step
    o5 = {"uptake": {"EX_o2_e": 5}}
    multi(E,
          "Core model, three steps, report growth after each: (a) cap O2 uptake at 5 "
          "mmol/gDW/h; (b) then delete pgi; (c) then also allow 2-oxoglutarate uptake up to "
          "3.",
          [o5, {**o5, "ko_genes": ["b4025"]},
           {"uptake": {"EX_o2_e": 5, "EX_akg_e": 3}, "ko_genes": ["b4025"]}])
    gly = {"carbon": {"EX_glyc_e": None}}
    multi(J,
          "iJO1366 please: 1) glycerol as the sole carbon source, 2) then remove oxygen, "
          "3) then raise the glycerol uptake limit to 15 mmol/gDW/h. Growth at each step.",
          [gly, {**gly, "anaerobic": True}, {"carbon": {"EX_glyc_e": 15}, "anaerobic": True}])
    multi(S,
          "salmonella, cumulative: first set the O2 limit to 10; next knock out LpdA (STM0154); "
          "finally allow glucose uptake up to 8 mmol/gDW/h. Give mu after every step.",
          [{"uptake": {"EX_o2_e": 10}},
           {"uptake": {"EX_o2_e": 10}, "ko_genes": ["STM0154"]},
           {"uptake": {"EX_o2_e": 10, glc_e: 8}, "ko_genes": ["STM0154"]}])
    suc = {"carbon": {"EX_succ_e": None}}
    multi(E,
          "e_coli_core, step by step:\n  i. succinate as sole carbon source\n  ii. cap oxygen "
          "at 10 mmol/gDW/h\n  iii. knock out malic enzyme ME2 as well\nWhat's the growth "
          "after each?",
          [suc, {**suc, "uptake": {"EX_o2_e": 10}},
           {**suc, "uptake": {"EX_o2_e": 10}, "ko_rxns": ["ME2"]}])
    g6 = {"uptake": {glc_e: 6}}
    multi(J,
          "Working in iJO1366: (1) cap glucose at 6, (2) knock out b2926 (pgk), (3) with "
          "both of those in place, maximise acetate secretion. Report growth for 1 and 2 and "
          "the max acetate flux for 3.",
          [g6, {**g6, "ko_genes": ["b2926"]},
           {**g6, "ko_genes": ["b2926"], "objective": "EX_ac_e"}])
    multi(E,
          "Anaerobic sequence for the core model -- first no oxygen, then knock out gdhA "
          "(b1761), then additionally supply fumarate at 5 mmol/gDW/h. Growth each time?",
          [an, {**an, "ko_genes": ["b1761"]},
           {**an, "ko_genes": ["b1761"], "uptake": {"EX_fum_e": 5}}])

    # ---------------------------------------------------------------- nutrient_source
    gcase("nutrient_source", E,
          "Replace ammonium with L-glutamine as the only nitrogen source for e_coli_core, "
          "glutamine uptake limited to 2 mmol/gDW/h. Growth?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_gln__L_e": 2}})
    gcase("nutrient_source", E,
          "No NH4+ in the medium; the core model gets its nitrogen from L-glutamate only "
          "(uptake up to 10 mmol/gDW/h). What's mu?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_glu__L_e": 10}})
    gcase("nutrient_source", J,
          "iJO1366 with L-arginine (3 mmol/gDW/h) as sole nitrogen source, ammonium closed. "
          "Predicted growth?", {"close": ["EX_nh4_e"], "uptake": {"EX_arg__L_e": 3}})
    gcase("nutrient_source", J,
          "Phosphate-free medium for iJO1366, but sn-glycerol 3-phosphate available at 2 "
          "mmol/gDW/h as the P source. Can it grow, how fast?",
          {"close": ["EX_pi_e"], "uptake": {"EX_glyc3p_e": 2}})
    gcase("nutrient_source", J,
          "Sulfate removed from iJO1366's medium; taurine is the only sulfur source at only "
          "0.05 mmol/gDW/h. Growth rate?", {"close": ["EX_so4_e"], "uptake": {"EX_taur_e": 0.05}})
    gcase("nutrient_source", S,
          "Salmonella on cytidine as sole N source (2 mmol/(gDW·h), no ammonium) -- growth?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_cytd_e": 2}})
    gcase("nutrient_source", J,
          "Can iJO1366 use urea as its sole nitrogen source? Close ammonium, allow urea at 5 "
          "mmol/gDW/h and check growth.", {"close": ["EX_nh4_e"], "uptake": {"EX_urea_e": 5}})

    # ---------------------------------------------------------------- objective_change
    pcase("objective_change", E,
          "Change the objective of e_coli_core to the ATP maintenance reaction (ATPM) and "
          "maximise it. Optimum?", {}, "ATPM", tools=T_OBJ)
    pcase("objective_change", E,
          "Set NADH16 (NADH dehydrogenase) as the objective in the core model; what's its max "
          "flux on default glucose?", {}, "NADH16", tools=T_OBJ)
    pcase("objective_change", J, "iJO1366: objective = ATPM, maximize. What value comes out?",
          {}, "ATPM", tools=T_OBJ)
    pcase("objective_change", S,
          "In salmonella, open ATPM's upper bound to 1000 and make ATPM the objective. "
          "Maximum ATP maintenance flux?", {"bounds": {"ATPM": (8.39, 1000.0)}}, "ATPM",
          tools=T_OBJ)
    pcase("objective_change", E,
          "Maximise flux through malic enzyme (NAD), ME1, in e_coli_core instead of biomass.",
          {}, "ME1", tools=T_OBJ)
    pcase("objective_change", J,
          "For iJO1366, what's the largest possible flux through the oxidative PPP entry "
          "step G6PDH2r if I make it the objective?", {}, "G6PDH2r", tools=T_OBJ)

    # ---------------------------------------------------------------- bounds_atpm
    gcase("bounds_atpm", E,
          "Fix ATPM at 20 mmol/gDW/h (both bounds) in the core model. Growth?",
          {"bounds": {"ATPM": (20.0, 20.0)}})
    gcase("bounds_atpm", E,
          "Drop the non-growth ATP maintenance requirement of e_coli_core to zero (ATPM lower "
          "bound 0). What's mu now?", {"bounds": {"ATPM": (0.0, 1000.0)}})
    gcase("bounds_atpm", J, "iJO1366: set the ATPM bounds to (10, 10). Growth?",
          {"bounds": {"ATPM": (10.0, 10.0)}})
    gcase("bounds_atpm", S,
          "I think salmonella's ATPM is pinned at 8.39 by default? Pin it at 15 instead and "
          "give me the growth.",
          {"bounds": {"ATPM": (15.0, 15.0)}})
    gcase("bounds_atpm", E,
          "Anaerobic core model with ATP maintenance fixed at 30 mmol/gDW/h -- can it still "
          "grow?", {"anaerobic": True, "bounds": {"ATPM": (30.0, 30.0)}})
    gcase("bounds_atpm", S,
          "Relax salmonella's ATPM to 0 <= v <= 1000. Growth rate?",
          {"bounds": {"ATPM": (0.0, 1000.0)}})

    # ---------------------------------------------------------------- oxygen
    gcase("oxygen", E, "Limit O2 in e_coli_core to 8 mmol/gDW/h (I first typed 80 -- ignore that). "
          "Growth?",
          {"uptake": {"EX_o2_e": 8}})
    gcase("oxygen", E,
          "Microaerobic core model -- only 2 mmol O2 per gDW per hour available. mu?",
          {"uptake": {"EX_o2_e": 2}})
    gcase("oxygen", J, "iJO1366 at an O2 uptake cap of 5 mmol gDW⁻¹ h⁻¹. Growth rate?",
          {"uptake": {"EX_o2_e": 5}})
    gcase("oxygen", J, "How fast does iJO1366 grow anaerobically on glucose?", an)
    gcase("oxygen", S,
          "Grow salmonella with the oxygen exchange closed (nothing else changed) and report "
          "the growth rate.", an)
    gcase("oxygen", S, "salmonella, O2 lowered from 18.5 to 6 mmol/gDW/h: growth?",
          {"uptake": {"EX_o2_e": 6}})
    gcase("oxygen", J, "Limit iJO1366 oxygen uptake to twelve and a half mmol/gDW/h; growth?",
          {"uptake": {"EX_o2_e": 12.5}})

    # ---------------------------------------------------------------- percent_change
    pct_case("percent_change", E,
             "By what percentage does growth of e_coli_core drop when tpiA is deleted?",
             {"ko_genes": ["b3919"]})
    pct_case("percent_change", J,
             "Percent change in iJO1366 growth if O2 uptake is capped at 10 mmol/gDW/h, "
             "relative to the default?", {"uptake": {"EX_o2_e": 10}}, tools=T_FBA)
    pct_case("percent_change", S,
             "Knocking out NuoB (STM2327) in salmonella changes growth by how many percent?",
             {"ko_genes": ["STM2327"]})
    pct_case("percent_change", E,
             "Relative to aerobic growth, how many percent slower is the core model without "
             "oxygen?", an, tools=T_FBA)

    # ---------------------------------------------------------------- reaction_flux
    fcase("reaction_flux", E,
          "At the growth optimum of e_coli_core, how much flux goes through PGI and through "
          "G6PDH2r?", {}, ["PGI", "G6PDH2r"])
    fcase("reaction_flux", E,
          "Report oxygen uptake and CO2 release (EX_o2_e, EX_co2_e) for optimally growing "
          "e_coli_core.", {}, ["EX_o2_e", "EX_co2_e"])
    fcase("reaction_flux", E,
          "Anaerobic core model at max growth: ethanol, formate and acetate secretion fluxes?",
          an, ["EX_etoh_e", "EX_for_e", "EX_ac_e"])
    fcase("reaction_flux", E,
          "What is the citrate synthase (CS) flux at optimal growth in the core model? And "
          "AKGDH?", {}, ["CS", "AKGDH"])
    fcase("reaction_flux", J,
          "How much flux is carried by PGI and by G6PDH2r when iJO1366 grows optimally?", {},
          ["PGI", "G6PDH2r"])
    fcase("reaction_flux", S,
          "salmonella growing optimally -- CS flux and ATP synthase (ATPS4rpp) flux?", {},
          ["CS", "ATPS4rpp"])
    fcase("reaction_flux", E,
          "e_coli_core on acetate (sole carbon): isocitrate lyase (ICL) and malate synthase "
          "(MALS) fluxes at max growth, plus the O2 uptake.",
          {"carbon": {"EX_ac_e": None}}, ["ICL", "MALS", "EX_o2_e"])

    # ---------------------------------------------------------------- reaction_knockout
    gcase("reaction_knockout", E, "Block ATP synthase (ATPS4r) in e_coli_core. Growth?",
          {"ko_rxns": ["ATPS4r"]}, tools=T_KO)
    gcase("reaction_knockout", E,
          "What if pyruvate dehydrogenase is switched off in the core model?",
          {"ko_rxns": [rxn_by_name(E, "pyruvate dehydrogenase")]}, tools=T_KO)
    gcase("reaction_knockout", E,
          "Suppose the cell is no longer able to move CO2 across the membrane (CO2t knocked "
          "out). Growth of e_coli_core?",
          {"ko_rxns": ["CO2t"]}, tools=T_KO)
    gcase("reaction_knockout", E,
          "Knock out both MDH and ME2 in the core model and give me the growth rate.",
          {"ko_rxns": ["MDH", "ME2"]}, tools=T_KO)
    gcase("reaction_knockout", J,
          "iJO1366 without cytochrome bo3 oxidase (reaction CYTBO3_4pp): growth?",
          {"ko_rxns": ["CYTBO3_4pp"]}, tools=T_KO)
    gcase("reaction_knockout", J, "Set fumarase (FUM) bounds to zero in iJO1366; mu?",
          {"ko_rxns": ["FUM"]}, tools=T_KO)
    gcase("reaction_knockout", S, "Salmonella with ATPS4rpp blocked -- growth rate?",
          {"ko_rxns": ["ATPS4rpp"]}, tools=T_KO)

    # ---------------------------------------------------------------- synthetic_lethal
    sl_pair("synthetic_lethal", E,
            "Is pgi + zwf a synthetic lethal pair in e_coli_core?", ["b4025", "b1852"])
    sl_partners("synthetic_lethal", E,
                "Which genes are synthetic lethal with ppc in the core model?", "b3956")
    sl_rxn_partners("synthetic_lethal", E,
                    "List every reaction that is synthetic lethal with pyruvate dehydrogenase "
                    "(PDH) in e_coli_core.",
                    "PDH")
    count_case("synthetic_lethal", E,
               "How many synthetic lethal gene pairs does e_coli_core have on glucose?",
               len(core_sl_pairs()), T_SL,
               setup={"screen": "e_coli_core gene pairs, default medium"})
    sl_pair("synthetic_lethal", J,
            "iJO1366: double deletion of tktA (b2935) and tktB (b2465) -- lethal?",
            ["b2935", "b2465"])
    sl_pair("synthetic_lethal", S,
            "In salmonella, delete PfkA (STM4062) and PfkB (STM1326) together. Synthetic "
            "lethal or not?", ["STM4062", "STM1326"])

    # ---------------------------------------------------------------- uptake_cap
    gcase("uptake_cap", E, "Glucose uptake capped at 4 mmol/gDW/h in e_coli_core -- growth?",
          {"uptake": {glc_e: 4}})
    gcase("uptake_cap", E,
          "core model, glucose limited to six and a half mmol per gram dry weight per hour. "
          "mu?", {"uptake": {glc_e: 6.5}})
    gcase("uptake_cap", J,
          "iJO1366 with glucose at most 2 mmol/gDW/h... actually let's say 3. growth?",
          {"uptake": {glc_e: 3}})
    gcase("uptake_cap", S,
          "If salmonella is only allowed 2.5 mmol glucose gDW^-1 hr^-1, what growth rate "
          "results?",
          {"uptake": {glc_e: 2.5}})
    gcase("uptake_cap", J,
          "Ammonium uptake in iJO1366 restricted to 2 mmol/gDW/h -- growth?",
          {"uptake": {"EX_nh4_e": 2}})
    gcase("uptake_cap", E, "e_coli_core with phosphate uptake capped at 0.5: growth?",
          {"uptake": {"EX_pi_e": 0.5}})
    gcase("uptake_cap", S, "salmonella, NH4 uptake at most 1 mmol/gDW/h. Growth?",
          {"uptake": {"EX_nh4_e": 1}})

    # ---------------------------------------------------------------- yield
    biomass_yield("yield", E, "Biomass yield of e_coli_core on glucose in gDW per g glucose?")
    atp_yield("yield", E,
              "ATP yield on glucose (max ATPM / glucose uptake) for the core model, aerobic?")
    ycase("yield", E, "Anaerobic core model: maximal ethanol yield on glucose in mol/mol?", an,
          "EX_etoh_e", glc_e)
    ycase("yield", J,
          "Theoretical succinate yield on glucose for anaerobic iJO1366, in g/g?", an,
          "EX_succ_e", glc_e, unit="g")
    ycase("yield", J, "Max acetate yield (mol acetate / mol glucose) in iJO1366, aerobic?", {},
          "EX_ac_e", glc_e)
    biomass_yield("yield", S, "salmonella biomass yield, gDW/g glucose, default medium?")
    atp_yield("yield", E,
              "Anaerobic ATP yield per glucose in e_coli_core (max ATPM over glucose uptake)?",
              an)

    # ---------------------------------------------------------------- followup
    gcase("followup", E,
          "OK, now take out both phosphofructokinase genes, pfkA and pfkB. New growth?",
          {"ko_genes": ["b3916", "b1723"]}, tools=T_KO, prev={},
          turns=["What's the growth of e_coli_core as loaded?"])
    dt_case("followup", E, "and what doubling time does that correspond to, in minutes?", an,
            minutes=True, tools=[],
            turns=["Switch off oxygen for the core model and give me the growth rate."])
    gcase("followup", J, "Same again but anaerobic.",
          {"carbon": {"EX_glyc_e": None}, "anaerobic": True}, prev={"carbon": {"EX_glyc_e": None}},
          turns=["Put iJO1366 on glycerol as the sole carbon source. Growth?"])
    gcase("followup", S, "Undo that. Instead delete GapA (STM1290).",
          {"ko_genes": ["STM1290"]}, tools=T_KO, prev={"ko_genes": ["STM0154"]},
          turns=["Remove LpdA (STM0154) from salmonella -- growth?"])
    gcase("followup", E, "What about if oxygen is also limited to 5 mmol/gDW/h?",
          {"ko_rxns": ["ATPS4r"], "uptake": {"EX_o2_e": 5}}, prev={"ko_rxns": ["ATPS4r"]},
          turns=["Block ATP synthase (ATPS4r) in e_coli_core. What's the growth?"])
    gcase("followup", S, "how about fumarate instead?",
          {"carbon": {"EX_fum_e": None}}, prev={"carbon": {"EX_succ_e": None}},
          turns=["salmonella on succinate as the sole carbon source, growth?"])
    pct_case("followup", J, "By what percentage is that lower than wild type?",
             {"ko_genes": ["b2926"]}, tools=[],
             turns=["Knock out b2926 in iJO1366 and tell me the growth rate."])
    gcase("followup", S, "And if glucose is then replaced by glycerol?",
          {"anaerobic": True, "carbon": {"EX_glyc_e": None}}, prev=an,
          turns=["Salmonella anaerobic growth rate?"])
    pcase("followup", E, "Now, what's the maximum succinate secretion under that limit?",
          {"uptake": {glc_e: 5}}, "EX_succ_e",
          turns=["Load e_coli_core.", "Limit glucose uptake to 5 mmol/gDW/h."])
    gcase("followup", J, "Put oxygen back to default and cap glucose at 7 instead.",
          {"uptake": {glc_e: 7}}, prev={"uptake": {"EX_o2_e": 5}},
          turns=["iJO1366 with oxygen capped at 5 mmol/gDW/h -- growth?"])

    # ---------------------------------------------------------------- unresolved
    for model, q in (
        (E, "My shaker is set to 42 degrees C. What growth does the core model predict at "
            "that temperature on glucose?"),
        (E, "Core model, default glucose, but the medium is buffered at pH 5.5 -- growth "
            "rate?"),
        (E, "Add ciprofloxacin at 2 µg/mL and tell me how the e_coli_core growth changes."),
        (E, "Assuming Michaelis-Menten uptake with Km 0.02 mM for the glucose PTS, what's the "
            "growth of the core model when residual glucose is 0.1 mM?"),
        (E, "Give me an OD600 curve over 8 h for e_coli_core in glucose batch culture, one "
            "point every 30 min."),
        (E, "Overexpress pfkA five-fold in the core model and report the new growth rate."),
        (E, "Knock out lacZ (b0344) in e_coli_core, then growth?"),
        (E, "Core model in LB (10 g/L tryptone + 5 g/L yeast extract): how fast?"),
        (E, "How does catabolite repression via CRP-cAMP change the core model's growth on a "
            "glucose + succinate mix?"),
        (E, "Constrain e_coli_core with my proteomics data (total enzyme budget 0.25 g/gDW) and "
            "rerun FBA."),
        (E, "Knock out pgi in the core model and account for the 30 min lag after the shift "
            "-- what's the biomass 2 h later?"),
        (E, "Anaerobic core model, but at 25 °C rather than 37 -- growth?"),
        (J, "iJO1366 colonising the mouse colon: predict its growth inside the host gut."),
        (J, "Cap glucose at 5 mmol/gDW/h in iJO1366 and add kanamycin at 50 µg/mL. Growth?"),
        (J, "With 0.5 M NaCl osmotic stress, what's iJO1366's growth?"),
        (J, "Delete recA in iJO1366 and report growth."),
        (J, "Use Km = 5 uM for O2 on cytochrome bo3 in iJO1366 at 20 % dissolved oxygen -- "
            "growth?"),
        (J, "iJO1366 growth when ArcA represses the TCA cycle under microaerobic conditions?"),
        (J, "iJO1366 in M9 with 4 g/L glucose and 2 g/L casamino acids -- predicted growth?"),
        (S, "Salmonella inside the Salmonella-containing vacuole of a macrophage: growth "
            "rate?"),
        (S, "Salmonella on glycerol at pH 4.5, as in the phagosome -- growth?"),
        (S, "Knock out invA in salmonella; what happens to growth?"),
        (S, "Predict how quickly the salmonella model reaches stationary phase in a 24-h batch "
            "culture."),
        (S, "salmonella: heat shock at 45 °C for 15 minutes, then what growth?"),
        (S, "Salmonella with 10 ug/ml polymyxin B -- growth?"),
    ):
        unresolved(model, q)
    add("unresolved", D,
        "Draft ModelSEED model at 30 °C, with the transcript levels from my RNA-seq applied: "
        "max ATPM_c0?", [], [], [], False, (), None, DRAFT, True)


# --------------------------------------------------------------------------- output
ORDER = ["id", "category", "query", "model", "model_file", "turns", "tools_any", "numbers",
         "ids", "no_growth", "expect_unresolved", "setup"]
SEED = 20260612


def write(cases):
    random.Random(SEED).shuffle(cases)
    for i, case in enumerate(cases, 1):
        case["id"] = f"{PREFIX}_{i:03d}"
    out = [{k: _plain(case[k]) for k in ORDER if k in case} for case in cases]
    head = ("# fluxagent understanding corpus, twelfth blind holdout (all cases held out).\n"
            "# GENERATED by .venv/bin/python eval/understanding/references12.py -- do not edit\n"
            "# by hand.\n"
            "# Format: eval/dev_queries.yaml (extra fields: category, model_file,\n"
            "# expect_unresolved, setup = how the reference was computed, for review only).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
    text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                 default_flow_style=None)
    OUT.write_text(text)


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
