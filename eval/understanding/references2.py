#!/usr/bin/env python
"""Reference answers for the second blind held-out corpus (``holdout2.yaml``).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references2.py

It writes ``eval/understanding/holdout2.yaml`` and refreshes the holdout2 counts block of
README.md; stdout stays empty, a summary goes to stderr. Two runs give byte-identical files.

The questions were written without reading the planner (``src/fluxagent/llm/``) or the
questions of the other corpus files. Every reference number comes from plain cobrapy 0.32.1 with
GLPK, with the helpers and conventions of ``references.py`` (imported from there, unchanged; see
README.md "Conventions used by the references"). No fluxagent code is imported. The whole file
is held out: nobody tunes the agent on it and the agent is not run on it while it is written.
"""

from __future__ import annotations

import contextlib
import io
import math
import sys
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

with contextlib.redirect_stdout(io.StringIO()):
    import references as R

from cobra.flux_analysis import (  # noqa: E402
    find_blocked_reactions,
    flux_variability_analysis,
)
from cobra.medium import minimal_medium  # noqa: E402

M, bio, opt, rnd = R.M, R.bio, R.opt, R.rnd
E, J, S, D = "e_coli_core", "iJO1366", "salmonella", "draft"
LN2 = math.log(2.0)

_base_apply = R.apply


def apply(name, m, spec):
    """``references.apply`` plus ``medium`` (a whole new medium, set before anything else)."""
    if spec.get("medium") is not None:
        m.medium = dict(spec["medium"])
    _base_apply(name, m, spec)


R.apply = apply  # the helpers of references.py look the name up at call time

CASES = R.CASES
SKIPPED = R.SKIPPED
add, gcase, fcase, vcase, pcase = R.add, R.gcase, R.fcase, R.vcase, R.pcase
T_FBA = ["run_fba", "run_pfba", "model_summary", "set_medium", "set_bounds", "compare_media"]
T_KO = ["knockout_genes", "knockout_reactions", "gene_deletion_screen", "run_fba", "run_pfba",
        "set_bounds"]
T_FVA = ["run_fva"]
T_ESSG = ["essential_genes", "gene_deletion_screen", "knockout_genes"]
T_ESSR = ["essential_reactions", "reaction_deletion_screen", "knockout_reactions"]
T_SL = ["synthetic_lethals", "gene_deletion_screen", "reaction_deletion_screen", "knockout_genes",
        "knockout_reactions"]
T_PROD = ["run_fba", "set_objective", "theoretical_yield", "production_envelope", "run_pfba"]
T_INFO = ["model_summary", "load_model", "validate_model", "search_model", "get_medium",
          "subsystem_summary"]
T_MED = ["get_medium", "model_summary", "set_medium", "compare_media"]
T_MIN = ["minimal_medium"]
T_BLK = ["find_blocked_reactions"]
T_LOOK = ["lookup_compound", "lookup_reaction", "translate_ids"]
T_CMP = ["run_fba", "run_pfba", "compare_media", "set_medium", "knockout_genes",
         "knockout_reactions", "load_model", "model_summary"]


def growth(model, spec=None):
    return opt(model, {**(spec or {})})


def pct_change(model, spec, base=None):
    wt = growth(model, base or {})
    return (growth(model, spec) - wt) / wt * 100.0


def yield_case(cat, query, model, spec, product, substrate="EX_glc__D_e", mass=False,
               per="product", tools=T_PROD, turns=()):
    """mol/mol (or g/g) yield at maximal product; skipped when the uptake is not unique."""
    m = M(model)
    s = {**spec, "objective": product}
    with m:
        apply(model, m, s)
        v = m.slim_optimize(error_value=0.0)
        f = flux_variability_analysis(m, reaction_list=[substrate], fraction_of_optimum=1.0)
        lo, hi = float(f.loc[substrate, "minimum"]), float(f.loc[substrate, "maximum"])
        mp = next(iter(m.reactions.get_by_id(product).metabolites)) if per == "product" else None
        ms = next(iter(m.reactions.get_by_id(substrate).metabolites))
    if abs(hi - lo) > 1e-6 or abs(lo) < 1e-9:
        SKIPPED.append(f"{cat}: {query[:60]} (substrate uptake not unique)")
        return
    y = v / abs(lo)
    if mass:
        y *= mp.formula_weight / ms.formula_weight
    add(cat, model, query, tools, [y], (), False, turns,
        {**s, "yield": "g/g" if mass else "mol/mol", "substrate": substrate})


def pct_case(cat, model, query, spec, base=None, tools=T_KO, turns=(), remaining=False):
    wt = growth(model, base or {})
    g = growth(model, spec)
    val = g / wt * 100.0 if remaining else (g - wt) / wt * 100.0
    add(cat, model, query, tools, [val], (), False, turns,
        {**spec, "percent": "remaining" if remaining else "change", "baseline": base or {}})


def dt_case(cat, model, query, spec=None, minutes=False, turns=()):
    g = growth(model, spec or {})
    if g < 1e-6:
        add(cat, model, query, T_FBA, [], (), True, turns, spec or {})
        return
    add(cat, model, query, T_FBA, [LN2 / g * (60.0 if minutes else 1.0)], (), False, turns,
        {**(spec or {}), "doubling_time": "min" if minutes else "h"})


def cmp_case(cat, model, query, options, labels, lowest=False, tools=T_CMP, models=None):
    """Growth of every option (question order); ids = the winner (ties: a|b)."""
    vals = [growth(models[i] if models else model, o) for i, o in enumerate(options)]
    best = min(vals) if lowest else max(vals)
    win = [labels[i] for i, v in enumerate(vals) if abs(v - best) <= 1e-6 * max(1.0, abs(best))]
    add(cat, model, query, tools, vals, ["|".join(win)], False, (),
        {"options": options, "pick": "lowest" if lowest else "highest",
         **({"models": models} if models else {})})


def gene_ids(model, ids):
    return R.gene_alts(model, ids)


_BLOCKED: dict = {}


def blocked(model, open_exchanges):
    key = (model, open_exchanges)
    if key not in _BLOCKED:
        m = M(model)
        with m:
            _BLOCKED[key] = sorted(find_blocked_reactions(m, open_exchanges=open_exchanges,
                                                          processes=1))
    return _BLOCKED[key]


def min_medium(model, spec, growth_value, components):
    m = M(model)
    with m:
        apply(model, m, spec)
        mm = minimal_medium(m, growth_value, minimize_components=components, open_exchanges=False)
    if mm is None:
        return None
    if hasattr(mm, "columns"):  # several alternatives
        return [sorted(mm.index[mm[c] > 1e-9]) for c in mm.columns]
    return [sorted(mm.index[mm > 1e-9])]


# --------------------------------------------------------------------------- the questions
def build_cases():
    # ---- growth on the default medium
    c = "growth_default"
    gcase(c, E, "whats the max growth rate of e coli core on its default medium?")
    gcase(c, J, "iJO1366 growth rate under standard conditions, in h-1 please")
    gcase(c, S, "How fast can the Salmonella model grow on the medium it ships with?")
    gcase(c, E, "Run FBA on the E. coli core model and tell me the biomass flux.")
    gcase(c, S, "salmonela default growht rate??")
    gcase(c, J, "Predicted specific growth rate (1/h) of the genome-scale reconstruction iJO1366, "
                "nothing changed?")

    # ---- sole carbon sources
    c = "carbon_source"
    gcase(c, E, "Swap glucose for acetate in e_coli_core. growth?", {"carbon": {"EX_ac_e": None}})
    gcase(c, E, "Can the core model grow with D-fructose as the sole carbon source "
                "(10 mmol/gDW/h)?", {"carbon": {"EX_fru_e": 10}})
    gcase(c, E, "grow the core model on ethanol only, uptake 10", {"carbon": {"EX_etoh_e": 10}})
    gcase(c, E, "What if 2-oxoglutarate is the only carbon source for e_coli_core?",
          {"carbon": {"EX_akg_e": None}})
    gcase(c, J, "iJO1366 on glycerol as the sole carbon source - growth rate?",
          {"carbon": {"EX_glyc_e": None}})
    gcase(c, J, "Growth of iJO1366 on D-xylose instead of glucose",
          {"carbon": {"EX_xyl__D_e": None}})
    gcase(c, S, "Salmonella with succinate as the only carbon source: what growth rate?",
          {"carbon": {"EX_succ_e": None}})

    # ---- uptake caps / raises (carbon, oxygen, non-carbon)
    c = "uptake_cap"
    gcase(c, E, "Limit glucose uptake to 4 mmol/gDW/h in e_coli_core; what's mu?",
          {"uptake": {"EX_glc__D_e": 4}})
    gcase(c, E, "What happens to growth of the core model if I double glucose uptake to 20?",
          {"uptake": {"EX_glc__D_e": 20}})
    gcase(c, J, "cap oxygen uptake at 8 mmol/gDW/h in iJO1366, growth rate?",
          {"uptake": {"EX_o2_e": 8}})
    gcase(c, E, "restrict ammonium uptake in the core model to 2 mmol/gDW/h - how fast can it "
                "grow now?", {"uptake": {"EX_nh4_e": 2}})
    gcase(c, S, "Salmonella with the glucose uptake raised to 10 mmol/gDW/h (default is 5)?",
          {"uptake": {"EX_glc__D_e": 10}})
    gcase(c, J, "iJO1366: phosphate uptake capped at 0.5 mmol/gDW/h. What's the growth rate",
          {"uptake": {"EX_pi_e": 0.5}})
    gcase(c, E, "core model, glucose at 6 mmol/gDW/h and O2 at most 12. growth?",
          {"uptake": {"EX_glc__D_e": 6, "EX_o2_e": 12}})

    # ---- oxygen / anaerobic
    c = "oxygen"
    gcase(c, E, "anaerobic growth rate of e_coli_core?", {"anaerobic": True})
    gcase(c, J, "How fast does iJO1366 grow on glucose without any oxygen?", {"anaerobic": True})
    gcase(c, S, "salmonella anaerobically, default medium otherwise", {"anaerobic": True})
    gcase(c, E, "Can the core model grow on acetate under anaerobic conditions?",
          {"carbon": {"EX_ac_e": None}, "anaerobic": True})
    gcase(c, J, "iJO1366 under microaerobic conditions (O2 uptake limited to 2 mmol/gDW/h)",
          {"uptake": {"EX_o2_e": 2}})

    # ---- co-feeding
    c = "cofeed"
    gcase(c, E, "Feed the core model glucose (default 10) plus acetate at 5 mmol/gDW/h. Growth?",
          {"uptake": {"EX_ac_e": 5}})
    gcase(c, E, "co-feed glucose 5 and fructose 5 mmol/gDW/h to e_coli_core",
          {"carbon": {"EX_glc__D_e": 5, "EX_fru_e": 5}})
    gcase(c, J, "iJO1366 on a mix of glycerol (5) and succinate (5), no glucose",
          {"carbon": {"EX_glyc_e": 5, "EX_succ_e": 5}})
    gcase(c, S, "salmonella: add 3 mmol/gDW/h acetate on top of the default glucose",
          {"uptake": {"EX_ac_e": 3}})
    gcase(c, J, "In iJO1366 keep the default glucose and also allow L-lactate uptake at 5. "
                "Growth?", {"uptake": {"EX_lac__L_e": 5}})

    # ---- sole N / P / S sources
    c = "nutrient_source"
    gcase(c, E, "glutamine as the sole nitrogen source for the core model (uptake 5), growth?",
          {"close": ["EX_nh4_e"], "uptake": {"EX_gln__L_e": 5}})
    gcase(c, J, "replace ammonium with L-alanine as the N source in iJO1366 (alanine uptake "
                "5 mmol/gDW/h)", {"close": ["EX_nh4_e"], "uptake": {"EX_ala__L_e": 5}})
    gcase(c, J, "Can iJO1366 use taurine as its only sulfur source? allow 1 mmol/gDW/h",
          {"close": ["EX_so4_e"], "uptake": {"EX_taur_e": 1}})
    gcase(c, J, "Sole phosphorus source sn-glycerol 3-phosphate (uptake 1) for iJO1366: growth?",
          {"close": ["EX_pi_e"], "uptake": {"EX_glyc3p_e": 1}})
    gcase(c, S, "salmonella with thiosulfate as the only S source at 2 mmol/gDW/h",
          {"close": ["EX_so4_e"], "uptake": {"EX_tsul_e": 2}})

    # ---- gene knockouts
    c = "gene_knockout"
    gcase(c, E, "Knock out pgi (b4025) in e_coli_core. growth?", {"ko_genes": ["b4025"]}, T_KO)
    gcase(c, E, "delete gltA - growth of the core model?", {"ko_genes": ["b0720"]}, T_KO)
    gcase(c, J, "iJO1366 ΔsucA (b0726): growth rate?", {"ko_genes": ["b0726"]}, T_KO)
    gcase(c, J, "knock out b0116 and b0726 together in iJO1366", {"ko_genes": ["b0116", "b0726"]},
          T_KO)
    gcase(c, S, "Knock out STM4221 in the salmonella model, what growth remains?",
          {"ko_genes": ["STM4221"]}, T_KO)
    gcase(c, S, "Salmonella lacking Zwf (STM1886) and Gnd (STM2081) — growth rate?",
          {"ko_genes": ["STM1886", "STM2081"]}, T_KO)
    gcase(c, E, "growth of e_coli_core when both pfkA and pfkB are deleted",
          {"ko_genes": ["b3916", "b1723"]}, T_KO)
    gcase(c, E, "knokout of ptsG in the core model, anaerobic", {"ko_genes": ["b1101"],
                                                                 "anaerobic": True}, T_KO)

    # ---- reaction knockouts / blocks / bounds
    c = "reaction_knockout"
    gcase(c, E, "block PFK in the core model, growth?", {"ko_rxns": ["PFK"]}, T_KO)
    gcase(c, E, "Set the flux through pyruvate kinase (PYK) to zero and re-run FBA on e_coli_core",
          {"ko_rxns": ["PYK"]}, T_KO)
    gcase(c, J, "What does blocking CYTBO3_4pp do to iJO1366 growth?", {"ko_rxns": ["CYTBO3_4pp"]},
          T_KO)
    gcase(c, E, "core: block both PPC and PPCK, then growth", {"ko_rxns": ["PPC", "PPCK"]}, T_KO)
    gcase(c, S, "salmonella: knock out the reaction TPI. Growth?", {"ko_rxns": ["TPI"]}, T_KO)
    c = "bounds_atpm"
    gcase(c, E, "Constrain citrate synthase (CS) to at most 2 mmol/gDW/h in e_coli_core. growth?",
          {"bounds": {"CS": (0.0, 2.0)}}, T_KO)
    gcase(c, E, "Raise the ATP maintenance requirement in the core model: ATPM lower bound 20 "
                "mmol/gDW/h. Growth?", {"bounds": {"ATPM": (20.0, 1000.0)}}, T_KO)
    gcase(c, E, "What if there were no maintenance cost at all (ATPM fixed at 0) in e_coli_core?",
          {"bounds": {"ATPM": (0.0, 0.0)}}, T_KO)
    gcase(c, J, "fix ATPM at 10 in iJO1366 and give me mu", {"bounds": {"ATPM": (10.0, 10.0)}},
          T_KO)
    gcase(c, S, "salmonella with ATPM fixed at 5 instead of 8.39 - growth?",
          {"bounds": {"ATPM": (5.0, 5.0)}}, T_KO)

    # ---- objective changes
    c = "objective_change"
    pcase(c, E, "Maximise the ATP maintenance flux (ATPM) in e_coli_core instead of growth", {},
          "ATPM")
    pcase(c, S, "salmonella: open ATPM's upper bound to 1000 and maximise ATPM",
          {"bounds": {"ATPM": (8.39, 1000.0)}}, "ATPM")
    pcase(c, E, "Set the objective to malic enzyme ME1 and maximize it. What flux?", {}, "ME1")
    pcase(c, E, "what is the max flux through citrate synthase (CS) when you optimise for it "
                "in the core model?", {}, "CS")
    pcase(c, J, "maximize NADH dehydrogenase NADH16pp flux in iJO1366", {}, "NADH16pp")

    # ---- maximal production (with and without growth floors)
    c = "max_production"
    pcase(c, E, "max acetate secretion for e coli core (growth unconstrained)?", {}, "EX_ac_e")
    pcase(c, E, "maximum succinate production in the core model while keeping growth at least "
                "0.1 1/h", {"floor": 0.1}, "EX_succ_e")
    pcase(c, E, "Maximal ethanol production of e_coli_core anaerobically, no growth requirement",
          {"anaerobic": True}, "EX_etoh_e")
    pcase(c, J, "iJO1366: max L-lysine export at 50% of optimal growth", {"fraction": 0.5},
          "EX_lys__L_e")
    pcase(c, S, "salmonella - maximum acetate secretion with a growth floor of 0.2 h-1",
          {"floor": 0.2}, "EX_ac_e")
    pcase(c, E, "maximum 2-oxoglutarate excretion (EX_akg_e) in the core model at 30 % of max "
                "growth", {"fraction": 0.3}, "EX_akg_e")

    # ---- yields (mol/mol, g/g)
    c = "yield"
    yield_case(c, "theoretical maximum yield of succinate on glucose in mol/mol for e_coli_core",
               E, {}, "EX_succ_e")
    yield_case(c, "ethanol yield in g per g glucose, anaerobic, core model (theoretical max)",
               E, {"anaerobic": True}, "EX_etoh_e", mass=True)
    yield_case(c, "Max acetate yield from glucose in iJO1366 (mol acetate per mol glucose)",
               J, {}, "EX_ac_e")
    yield_case(c, "theoretical L-lysine yield on glucose, grams per gram, iJO1366", J, {},
               "EX_lys__L_e", mass=True)
    yield_case(c, "What's the maximum ATP yield per glucose in the core model "
                  "(mol ATP / mol glucose, via ATPM)?", E, {}, "ATPM", per="none")
    g = growth(S)
    mg = next(iter(M(S).reactions.EX_glc__D_e.metabolites)).formula_weight
    add(c, S, "biomass yield of the salmonella model on glucose in gDW per gram glucose?", T_FBA,
        [g / (R.GLC[S] * mg / 1000.0)], (), False, (), {"yield": "gDW/g", "uptake_glc": R.GLC[S]})

    # ---- FVA
    c = "fva"
    vcase(c, E, "FVA at 90% of the optimum for PGI and PFK in e_coli_core", {}, ["PGI", "PFK"], 0.9)
    vcase(c, E, "range of flux through ME1 and ME2 at 95% of max growth, core model", {},
          ["ME1", "ME2"], 0.95)
    vcase(c, J, "flux variability of PGI in iJO1366 at 99% of optimal growth", {}, ["PGI"], 0.99)
    vcase(c, S, "At 80% of optimal growth, what range can the oxygen exchange EX_o2_e take in "
                "salmonella?", {}, ["EX_o2_e"], 0.8)
    vcase(c, E, "anaerobic core model: min and max of EX_for_e and EX_etoh_e at 90% of optimum",
          {"anaerobic": True}, ["EX_for_e", "EX_etoh_e"], 0.9)
    vcase(c, E, "On acetate, min/max citrate synthase flux at 95 percent of the optimum (core)",
          {"carbon": {"EX_ac_e": None}}, ["CS"], 0.95)

    # ---- essential genes
    c = "essential_genes"
    ess = R.essential_genes(E)
    add(c, E, "how many essential genes does e_coli_core have on glucose?", T_ESSG, [len(ess)],
        (), False, (), {"essential_genes": "count"})
    add(c, E, "list the essential genes of the core model (aerobic glucose)", T_ESSG, [],
        gene_ids(E, ess), False, (), {"essential_genes": "ids"})
    ess_an = R.essential_genes(E, {"anaerobic": True})
    add(c, E, "Essential genes under anaerobic conditions - how many in the core model?", T_ESSG,
        [len(ess_an)], (), False, (), {"anaerobic": True, "essential_genes": "count"})
    ess_ac = R.essential_genes(E, {"carbon": {"EX_ac_e": None}})
    new = sorted(set(ess_ac) - set(ess))
    add(c, E, "On acetate, which genes become essential in e_coli_core that aren't essential on "
              "glucose?", T_ESSG, [], gene_ids(E, new), False, (),
        {"carbon": {"EX_ac_e": None}, "essential_genes": "new vs glucose"})
    ess_j = R.essential_genes(J)
    add(c, J, "number of essential genes in iJO1366 on its default medium", T_ESSG, [len(ess_j)],
        (), False, (), {"essential_genes": "count"})

    # ---- essential reactions
    c = "essential_reactions"
    er = R.essential_reactions(E)
    add(c, E, "how many reactions are essential in e_coli_core (count exchanges and the biomass "
              "reaction too)?", T_ESSR, [len(er)], (), False, (), {"essential_reactions": "count"})
    er_an = R.essential_reactions(E, {"anaerobic": True})
    internal = [r for r in er_an if not r.startswith("EX_") and r != bio(E)]
    add(c, E, "essential reactions of the core model growing anaerobically, not counting exchanges "
              "or the biomass reaction: which ones?", T_ESSR, [], internal, False, (),
        {"anaerobic": True, "essential_reactions": "internal ids"})
    er_ac = R.essential_reactions(E, {"carbon": {"EX_ac_e": None}})
    newr = sorted(set(er_ac) - set(er))
    add(c, E, "which reactions are essential on acetate but not on glucose (core model)?", T_ESSR,
        [], newr, False, (), {"carbon": {"EX_ac_e": None},
                                       "essential_reactions": "new vs glucose"})
    er_fru = R.essential_reactions(E, {"carbon": {"EX_fru_e": None}})
    add(c, E, "Essential reactions of e_coli_core on fructose as sole carbon source - count "
              "(incl. exchanges and biomass)?", T_ESSR, [len(er_fru)], (), False, (),
        {"carbon": {"EX_fru_e": None}, "essential_reactions": "count"})
    er_j = R.essential_reactions(J)
    add(c, J, "number of essential reactions in iJO1366 on glucose, including exchange reactions "
              "and the biomass", T_ESSR, [len(er_j)], (), False, (),
        {"essential_reactions": "count"})

    # ---- synthetic lethality
    c = "synthetic_lethal"
    slg = R.synthetic_lethals("genes")
    add(c, E, "how many synthetic lethal gene pairs are there in e_coli_core (pairs of "
              "non-essential genes)?", T_SL, [len(slg)], (), False, (), {"sl": "gene pairs count"})
    partners = sorted({b if a == "b4025" else a for a, b in slg if "b4025" in (a, b)})
    if partners:
        add(c, E, "give me a gene that is synthetic lethal with pgi (b4025) in the core model",
            T_SL, [], ["|".join(p for g in partners for p in gene_ids(E, [g])[0].split("|"))],
            False, (), {"sl": "partners of b4025", "partners": partners})
    slr = R.synthetic_lethals("reactions")
    add(c, E, "count the synthetic lethal reaction pairs of e_coli_core (non-essential reactions "
              "only)", T_SL, [len(slr)], (), False, (), {"sl": "reaction pairs count"})
    rp = sorted({b if a == "PGI" else a for a, b in slr if "PGI" in (a, b)})
    if rp:
        add(c, E, "Which reaction forms a synthetic lethal pair with PGI in e_coli_core?", T_SL, [],
            ["|".join(rp)], False, (), {"sl": "partners of PGI", "partners": rp})
    gcase(c, J, "double knockout of b3916 (pfkA) and b1723 (pfkB) in iJO1366 - is that lethal? "
                "growth?", {"ko_genes": ["b3916", "b1723"]}, [*T_SL, "run_fba"])

    # ---- doubling time
    c = "doubling_time"
    dt_case(c, E, "doubling time of e_coli_core on the default medium, in minutes", minutes=True)
    dt_case(c, J, "iJO1366 doubling time in hours on glycerol (sole carbon)",
            {"carbon": {"EX_glyc_e": None}})
    dt_case(c, S, "what's the doubling time of the salmonella model (h)?")
    dt_case(c, E, "If the core model grows anaerobically, how long does it take to double "
                  "(minutes)?", {"anaerobic": True}, minutes=True)

    # ---- percent change vs wild type
    c = "percent_change"
    pct_case(c, E, "By what percentage does growth drop when sdhA (b0723) is deleted in the core "
                   "model?", {"ko_genes": ["b0723"]})
    pct_case(c, J, "percent change of iJO1366 growth anaerobic vs aerobic", {"anaerobic": True},
             tools=T_FBA)
    pct_case(c, E, "How much, in %, does capping O2 uptake at 5 mmol/gDW/h reduce the growth of "
                   "e_coli_core?", {"uptake": {"EX_o2_e": 5}}, tools=T_FBA)
    pct_case(c, E, "relative to wild type, what % of growth is left after blocking PGI in the core "
                   "model?", {"ko_rxns": ["PGI"]}, remaining=True)

    # ---- comparisons
    c = "comparison"
    cmp_case(c, E, "Which carbon source gives the fastest growth in the core model: glucose, "
                   "fructose or acetate (each at 10)?",
             [{}, {"carbon": {"EX_fru_e": None}}, {"carbon": {"EX_ac_e": None}}],
             ["glucose", "fructose", "acetate"])
    cmp_case(c, E, "compare single knockouts of pgi, zwf and gnd in e coli core - which one hurts "
                   "growth the most?",
             [{"ko_genes": ["b4025"]}, {"ko_genes": ["b1852"]}, {"ko_genes": ["b2029"]}],
             ["pgi|b4025", "zwf|b1852", "gnd|b2029"], lowest=True)
    cmp_case(c, J, "Is iJO1366 faster on glycerol or on succinate (sole carbon, 10 each)?",
             [{"carbon": {"EX_glyc_e": None}}, {"carbon": {"EX_succ_e": None}}],
             ["glycerol", "succinate"])
    cmp_case(c, E, "Which grows fastest on its default medium: e_coli_core, iJO1366 or the "
                   "salmonella model?", [{}, {}, {}], ["e_coli_core", "iJO1366", "salmonella"],
             models=[E, J, S])
    cmp_case(c, S, "salmonella: which single knockout is worse, STM4221 (pgi) or STM4081 (tpiA)?",
             [{"ko_genes": ["STM4221"]}, {"ko_genes": ["STM4081"]}],
             ["STM4221|pgi", "STM4081|tpiA"], lowest=True)

    # ---- model info
    c = "model_info"
    me = M(E)
    add(c, E, "how many reactions, metabolites and genes does e_coli_core have?", T_INFO,
        [len(me.reactions), len(me.metabolites), len(me.genes)])
    add(c, J, "number of genes in iJO1366?", T_INFO, [len(M(J).genes)])
    add(c, S, "How many reactions are in the Salmonella model?", T_INFO, [len(M(S).reactions)])
    atps = sorted(g.id for g in me.reactions.ATPS4r.genes)
    add(c, E, "What's the GPR rule of ATP synthase (ATPS4r) in the core model?", T_INFO, [],
        gene_ids(E, atps))
    add(c, E, "bounds on ATPM in e_coli_core?", T_INFO, list(me.reactions.ATPM.bounds))
    pfk = me.reactions.PFK
    add(c, E, "show me the equation of PFK in the core model", T_INFO, [],
        sorted(m.id for m in pfk.metabolites))
    add(c, J, "what is the biomass reaction of iJO1366 called?", T_INFO, [], [bio(J)])
    spgi = sorted(g.id for g in M(S).reactions.PGI.genes)
    add(c, S, "Which gene(s) encode the PGI reaction in the salmonella model?", T_INFO, [],
        gene_ids(S, spgi))

    # ---- medium
    c = "medium"
    med = M(E).medium
    add(c, E, "what's in the default medium of the core model?", T_MED, [med["EX_glc__D_e"]],
        sorted(med))
    add(c, S, "what's the oxygen uptake limit in salmonella's default medium?", T_MED,
        [M(S).medium["EX_o2_e"]])
    add(c, S, "How many compounds does the salmonella model's default medium contain?", T_MED,
        [len(M(S).medium)])
    mm = {"EX_glc__D_e": 5.0, "EX_nh4_e": 1000.0, "EX_pi_e": 1000.0, "EX_o2_e": 1000.0,
          "EX_h2o_e": 1000.0, "EX_h_e": 1000.0}
    gcase(c, E, "Give the core model a medium with only glucose (5), NH4, phosphate, O2, water "
                "and protons (1000 each) and nothing else. growth?", {"medium": mm},
          [*T_MED, "run_fba"])

    # ---- minimal medium
    c = "minimal_medium"
    for model, q, spec, gv in [
        (E, "Smallest set of nutrients (fewest uptakes) that lets e_coli_core grow at 0.5 1/h?",
         {}, 0.5),
        (E, "minimal medium of the core model without oxygen, fewest components, for 0.1 h-1",
         {"anaerobic": True}, 0.1),
        (E, "For the core model on fructose instead of glucose: which exchanges are the minimum "
            "needed to reach 0.3 1/h?", {"carbon": {"EX_fru_e": None}}, 0.3),
    ]:
        alts = min_medium(model, spec, gv, 5)
        if alts:
            size = min(len(a) for a in alts)
            alts = [a for a in alts if len(a) == size]
        if not alts:
            SKIPPED.append(f"{c}: {q[:60]} (minimal_medium failed)")
            continue
        common = sorted(set.intersection(*(set(a) for a in alts)))
        add(c, model, q, T_MIN, [], common, False, (),
            {**spec, "min_growth": gv, "minimize_components": True,
             "alternatives": len(alts)})

    # ---- blocked reactions
    c = "blocked_reactions"
    b0 = blocked(E, False)
    add(c, E, "how many blocked reactions does e_coli_core have on its default medium?", T_BLK,
        [len(b0)], (), False, (), {"open_exchanges": False})
    b1 = blocked(E, True)
    add(c, E, "How many reactions of the core model are blocked when every exchange is opened? "
              "Name them if there are any.", T_BLK, [len(b1)], b1, False, (),
        {"open_exchanges": True})
    bj = blocked(J, False)
    add(c, J, "count the blocked reactions in iJO1366 (default medium)", T_BLK, [len(bj)], (),
        False, (), {"open_exchanges": False})

    # ---- ModelSEED lookups / translations
    c = "modelseed_lookup"
    for q, name in [("What's the ModelSEED compound id for pyruvate?", "pyruvate"),
                    ("modelseed id of L-glutamate", "L-glutamate"),
                    ("Look up D-fructose 6-phosphate in the ModelSEED database - its cpd id?",
                     "D-fructose-6-phosphate")]:
        ids = R.cpd_by_name(name)
        if len(ids) != 1:
            SKIPPED.append(f"{c}: {q} ({len(ids)} compounds named {name})")
            continue
        add(c, E, q, T_LOOK, [], ids, False, (), {"name": name})
    akg = R.live_cpd(R.CPD_ALIAS["BiGG"]["akg"])
    add(c, E, "translate the BiGG metabolite id akg into ModelSEED", T_LOOK, [], ["|".join(akg)],
        False, (), {"bigg": "akg"})
    kg = R.live_cpd(R.CPD_ALIAS["KEGG"]["C00022"])
    add(c, E, "KEGG compound C00022 - what is it in ModelSEED terms?", T_LOOK, [],
        ["|".join(kg)], False, (), {"kegg": "C00022"})
    pgi = R.live_rxn(R.RXN_ALIAS["BiGG"]["PGI"])
    add(c, E, "Which ModelSEED reaction corresponds to BiGG's PGI (glucose-6-phosphate "
              "isomerase)?", T_LOOK, [], ["|".join(pgi)], False, (), {"bigg_rxn": "PGI"})

    # ---- the ModelSEED draft
    c = "modelseed_draft"
    d = M(D)
    add(c, R.DRAFT, "load tests/data/modelseed/examples/example_ecoli_modelseed_model.json - how "
                    "many reactions and genes does it have?", T_INFO, [len(d.reactions),
                                                                      len(d.genes)],
        model_file=R.DRAFT)
    add(c, R.DRAFT, "Does the ModelSEED draft (example_ecoli_modelseed_model.json) grow when you "
                    "maximise its biomass reaction bio1?", [*T_FBA, "set_objective"], [], (),
        opt(D, {"objective": "bio1"}) < 1e-6, (), {"objective": "bio1"}, R.DRAFT)
    add(c, R.DRAFT, "what objective does the modelseed example draft model "
                    "(example_ecoli_modelseed_model.json) optimise by default?", T_INFO, [],
        [R.bio(D)], model_file=R.DRAFT)

    # ---- follow-ups (conditions accumulate)
    c = "followup"
    gcase(c, E, "ok now switch off the oxygen", {"anaerobic": True},
          turns=["What's the growth rate of e_coli_core?"])
    gcase(c, E, "and what's growth if I also knock out aceA (b4015)?",
          {"carbon": {"EX_ac_e": None}, "ko_genes": ["b4015"]}, T_KO,
          turns=["Put the core model on acetate as its sole carbon source, growth?"])
    gcase(c, J, "and with the glycerol uptake doubled to 20?", {"carbon": {"EX_glyc_e": 20}},
          turns=["iJO1366 growth on glycerol as the only carbon source?"])
    gcase(c, E, "now also remove zwf (b1852)", {"ko_genes": ["b4025", "b1852"]}, T_KO,
          turns=["knock out pgi in the core model", "what's the growth now?"])
    gcase(c, E, "undo that and block PPC instead. growth?", {"ko_rxns": ["PPC"]}, T_KO,
          turns=["Block PYK in e_coli_core and report growth."])

    # ---- conditions no flux-balance tool can represent, or requests outside the tools
    c = "unresolved"
    for model, q in [
        (E, "What's the growth rate of e_coli_core at 42 °C?"),
        (J, "iJO1366 on glucose at pH 5.5 - how fast does it grow?"),
        (E, "simulate the core model in a fed-batch reactor with an exponential feed and give "
            "me the acetate titre at 12 h"),
        (S, "how does salmonella's growth change when the PhoP/PhoQ regulon is switched on?"),
        (E, "Give me the Km of glucokinase for glucose in the core model"),
        (J, "What growth does iJO1366 reach with 300 mM NaCl in the medium?"),
        (E, "plot the growth curve of e_coli_core over 24 h on LB"),
        (S, "Predict the salmonella growth rate inside macrophages at 37C"),
        (E, "knock out pgi and tell me the transcript levels of the pentose phosphate genes"),
        (J, "what is the lag phase duration of iJO1366 after a shift from glucose to acetate?"),
        (E, "growth of the core model with 5 µg/mL ampicillin?"),
        (S, "How does salmonella's growth rate respond to a 15 minute heat shock at 48 °C?"),
        (E, "how many ribosomes per cell does e_coli_core predict at max growth"),
        (J, "iJO1366 growth in a glucose-limited chemostat when the residual glucose is "
            "0.02 g/L?"),
        (E, "simulate a diauxic shift glucose->acetate for the core model, time course please"),
        (S, "what's the growth rate of salmonella under high osmolarity (0.5 M sucrose) "
            "conditions?"),
        (E, "Use Michaelis-Menten kinetics for glucose uptake (Vmax 10, Km 0.01 mM) at 0.05 mM "
            "glucose and give me growth"),
        (J, "catabolite repression by glucose: how much is lac operon expression reduced in "
            "iJO1366?"),
        (E, "Design CRISPR guide RNAs to delete pfkA in E. coli"),
        (S, "what's salmonella's growth at a dissolved oxygen of 30% air saturation?"),
        (E, "core model: growth when the culture is at OD600 2.5 in a shake flask at 200 rpm?"),
        (J, "growth of iJO1366 under ethanol stress, 5% (v/v) ethanol in the medium?"),
        (E, "predict the 3D structure of the PFK enzyme"),
        (S, "grow salmonella at 25 degrees on glycerol, what rate?"),
    ]:
        add(c, model, q, [], [], [], False, (), None, None, True)


# --------------------------------------------------------------------------- output
ORDER = ["id", "category", "query", "model", "model_file", "tools_any", "numbers", "ids",
         "no_growth", "turns", "expect_unresolved", "setup"]


def _plain(v):
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, float):
        return rnd(v)
    return v


def write(cases):
    for i, c in enumerate(cases, 1):
        c["id"] = f"H2_{i:03d}"
    out = [{k: _plain(c[k]) for k in ORDER if k in c} for c in cases]
    head = ("# fluxagent understanding corpus, second blind holdout (all cases held out).\n"
            "# GENERATED by .venv/bin/python eval/understanding/references2.py -- do not edit\n"
            "# by hand.\n"
            "# Format: eval/dev_queries.yaml (extra fields: category, model_file,\n"
            "# expect_unresolved, setup = how the reference was computed, for review only).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
    text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                 default_flow_style=None)
    (HERE / "holdout2.yaml").write_text(text)


def write_counts(cases):
    readme = HERE / "README.md"
    start, end = "<!-- holdout2-counts:start -->", "<!-- holdout2-counts:end -->"
    text = readme.read_text() if readme.exists() else ""
    if start not in text or end not in text:
        return
    per_cat = defaultdict(int)
    for c in cases:
        per_cat[c["category"]] += 1
    lines = [start, "", f"Total: **{len(cases)}** cases"
             f" ({sum(1 for c in cases if c.get('expect_unresolved'))} with expect_unresolved,"
             f" {sum(1 for c in cases if c['turns'])} follow-ups with turns,"
             f" {sum(1 for c in cases if c['no_growth'])} no_growth).", "",
             "| category | cases |", "|---|---:|"]
    lines += [f"| {k} | {per_cat[k]} |" for k in sorted(per_cat)]
    per_model = defaultdict(int)
    for c in cases:
        mk = "ModelSEED draft (file)" if c.get("model_file") else c["model"]
        if c["category"] == "modelseed_lookup":
            mk = "none (ModelSEED biochemistry lookup; model field e_coli_core)"
        per_model[mk] += 1
    lines += ["", "| model | cases |", "|---|---:|"]
    lines += [f"| {k} | {per_model[k]} |" for k in sorted(per_model)]
    lines += ["", end]
    i, j = text.index(start), text.index(end) + len(end)
    readme.write_text(text[:i] + "\n".join(lines) + text[j:])


def main():
    with contextlib.redirect_stdout(io.StringIO()):
        build_cases()
    write(CASES)
    write_counts(CASES)
    per_cat = defaultdict(int)
    for c in CASES:
        per_cat[c["category"]] += 1
    R.log(f"cases: {len(CASES)}")
    for k in sorted(per_cat):
        R.log(f"  {k:22s} {per_cat[k]:3d}")
    for s in SKIPPED:
        R.log("skipped:", s)


if __name__ == "__main__":
    main()
