#!/usr/bin/env python
"""Reference answers for the third blind held-out corpus (``holdout3.yaml``).

How to run (from the repository root, after ``make setup``)::

    .venv/bin/python eval/understanding/references3.py

It writes ``eval/understanding/holdout3.yaml`` and refreshes the holdout3 counts block of
README.md; stdout stays empty, a summary goes to stderr. Two runs give byte-identical files.

The questions were written without reading the planner (``src/fluxagent/llm/``) or the
questions of the other corpus files (dev, holdout, holdout2, dev_queries, paraphrases). Every
reference number comes from plain cobrapy 0.32.1 with GLPK, through the helpers and conventions
of ``references.py`` and ``references2.py`` (imported, unchanged; README.md "Conventions used
by the references"). No fluxagent code is imported. The whole file is held out: nobody tunes
the agent on it and the agent was not run on it while it was written.
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
    import references2 as R2  # installs its medium-aware ``apply`` into references

M, bio, opt, rnd = R.M, R.bio, R.opt, R.rnd
add, gcase, fcase, vcase = R.add, R.gcase, R.fcase, R.vcase
yield_case, pct_case, dt_case, cmp_case = R2.yield_case, R2.pct_case, R2.dt_case, R2.cmp_case
growth = R2.growth
E, J, S, D = "e_coli_core", "iJO1366", "salmonella", "draft"
LN2 = math.log(2.0)
CASES, SKIPPED = R.CASES, R.SKIPPED

T_FBA, T_KO, T_FVA = R2.T_FBA, R2.T_KO, ["run_fva", "theoretical_yield"]
T_ESSG, T_ESSR, T_SL = R2.T_ESSG, R2.T_ESSR, R2.T_SL
T_PROD, T_INFO = [*R2.T_PROD, "run_fva"], [*R2.T_INFO, "list_models"]
T_MED = [*R2.T_MED, "list_media"]
T_LOOK, T_CMP = R2.T_LOOK, R2.T_CMP
T_FLUX = ["run_fba", "run_pfba", "run_fva"]
T_DRAFT = ["load_model", "model_summary", "run_fba", "get_medium", "set_objective",
           "search_model", "validate_model"]
ANA = {"anaerobic": True}
WT_S_ATPM = (8.39, 1000.0)  # salmonella ships ATPM fixed at 8.39; "maximise ATPM" opens it


def pcase(cat, model, query, spec, product, tools=T_PROD, turns=()):
    """``references.pcase`` (max flux of ``product``) with this file's tool list."""
    return R.pcase(cat, model, query, spec, product, tools, (), turns)


def sgene(name: str) -> str:
    """The one salmonella locus tag whose gene name is ``name``."""
    hits = [g.id for g in M(S).genes if g.name == name]
    assert len(hits) == 1, (name, hits)
    return hits[0]


def ex(model: str, rid: str) -> str:
    assert rid in M(model).reactions, (model, rid)
    return rid


def draft(cat, query, tools=T_DRAFT, numbers=(), ids=(), no_growth=False, turns=(), setup=None):
    add(cat, R.DRAFT, query, tools, numbers, ids, no_growth, turns, setup, R.DRAFT)


def unresolved(model, query, turns=()):
    add("unresolved", model, query, [], [], [], False, turns, None, None, True)


def ess_case(cat, model, query, spec=None, list_ids=False, count=True, only=None, turns=()):
    """Essential genes: the count and/or the ids (id|name); ``only`` restricts to a subset."""
    ess = R.essential_genes(model, spec or {})
    if only is not None:
        ess = [g for g in only if g in ess]
    add(cat, model, query, T_ESSG, [len(ess)] if count else [],
        R.gene_alts(model, ess) if list_ids else [], False, turns,
        {**(spec or {}), "essential": "genes", **({"among": only} if only else {})})


def essr_case(cat, model, query, spec=None, keep=lambda r: True, list_ids=False, turns=()):
    ess = [r for r in R.essential_reactions(model, spec or {}) if keep(r)]
    add(cat, model, query, T_ESSR, [len(ess)], ess if list_ids else [], False, turns,
        {**(spec or {}), "essential": "reactions"})


def double_ko(model, genes, spec=None):
    """Growth of one double gene knockout, and whether it is a synthetic lethal pair."""
    wt = growth(model, spec or {})
    singles = [growth(model, {**(spec or {}), "ko_genes": [g]}) for g in genes]
    both = growth(model, {**(spec or {}), "ko_genes": list(genes)})
    return both, all(s >= 0.01 * wt for s in singles) and both < 0.01 * wt, singles


# --------------------------------------------------------------------------- the questions
def build_cases():
    """Every question, in order; the reference of each is computed as it is added."""
    # ------------------------------------------------------------ growth_default
    c = "growth_default"
    gcase(c, E, "quick one - max specific growth rate of e_coli_core on the medium it comes with?")
    gcase(c, J, "iJO1366 wild type, default conditions: mu?")
    gcase(c, S, "Could you tell me how fast the Salmonella Typhimurium LT2 reconstruction grows "
                "on its shipped medium? Just the rate in 1/h is fine.")
    gcase(c, E, "whats the grwoth rate of the ecoli core modle")
    gcase(c, J, "Run plain FBA on iJO1366 and give me the objective value.")
    gcase(c, S, "salmonella, nothing changed, biomass flux at the optimum?")
    # ------------------------------------------------------------ carbon_source
    c = "carbon_source"
    gcase(c, E, "e_coli_core with fructose instead of glucose - growth?",
          {"carbon": {ex(E, "EX_fru_e"): None}})
    gcase(c, E, "Swap the glucose for acetate in the core model. What mu do we get?",
          {"carbon": {ex(E, "EX_ac_e"): None}})
    gcase(c, E, "grow core E. coli on alpha-ketoglutarate as the only carbon source",
          {"carbon": {ex(E, "EX_akg_e"): None}})
    gcase(c, E, "core model on L-malate, 8 mmol/gDW/h uptake, no glucose at all. growth rate?",
          {"carbon": {ex(E, "EX_mal__L_e"): 8.0}})
    gcase(c, J, "iJO1366 on glycerol (sole C). How fast?", {"carbon": {ex(J, "EX_glyc_e"): None}})
    gcase(c, J, "Can iJO1366 grow with sucrose as the sole carbon source?",
          {"carbon": {ex(J, "EX_sucr_e"): None}})
    gcase(c, S, "Salmonella on D-mannitol as its only carbon - what's the growth rate?",
          {"carbon": {ex(S, "EX_mnl_e"): None}})
    gcase(c, S, "growth of salmonella on citrate as sole carbon source",
          {"carbon": {ex(S, "EX_cit_e"): None}})
    # ------------------------------------------------------------ nutrient_source
    c = "nutrient_source"
    gcase(c, J, "Take ammonium out of the iJO1366 medium and give it L-glutamine at 5 mmol/gDW/h "
                "as the nitrogen source instead. Growth?",
          {"close": ["EX_nh4_e"], "uptake": {ex(J, "EX_gln__L_e"): 5.0}})
    gcase(c, J, "iJO1366: urea (3 mmol/gDW/h) as the only N source, NH4 removed. does it grow?",
          {"close": ["EX_nh4_e"], "uptake": {ex(J, "EX_urea_e"): 3.0}})
    gcase(c, J, "phosphate-free medium but with sn-glycerol 3-phosphate at 2 mmol/gDW/h as the "
                "P source, iJO1366 - growth rate?",
          {"close": ["EX_pi_e"], "uptake": {ex(J, "EX_glyc3p_e"): 2.0}})
    gcase(c, J, "sulfur source swap in iJO1366: no sulfate, taurine 1 mmol/gDW/h. mu?",
          {"close": ["EX_so4_e"], "uptake": {ex(J, "EX_taur_e"): 1.0}})
    gcase(c, S, "Salmonella with L-arginine (3 mmol/gDW/h) as sole nitrogen source, ammonium "
                "closed. What growth?",
          {"close": ["EX_nh4_e"], "uptake": {ex(S, "EX_arg__L_e"): 3.0}})
    gcase(c, S, "salmonella, sulfate replaced by L-cysteine at 1 mmol/gDW/h as S source",
          {"close": ["EX_so4_e"], "uptake": {ex(S, "EX_cys__L_e"): 1.0}})
    gcase(c, E, "core model: remove NH4 uptake and supply L-glutamine (3 mmol/gDW/h) as the "
                "only nitrogen. growth?",
          {"close": ["EX_nh4_e"], "uptake": {ex(E, "EX_gln__L_e"): 3.0}})
    # ------------------------------------------------------------ oxygen
    c = "oxygen"
    gcase(c, E, "anaerobic growth of e_coli_core?", ANA)
    gcase(c, J, "iJO1366 without O2 - what's mu?", ANA)
    gcase(c, S, "How fast does the Salmonella model grow under strictly anoxic conditions?", ANA)
    gcase(c, E, "Core E. coli, oxygen uptake limited to 5 mmol/gDW/h. growth?",
          {"uptake": {"EX_o2_e": 5.0}})
    gcase(c, J, "microaerobic iJO1366: O2 capped at 2 mmol/gDW/h, glucose as default",
          {"uptake": {"EX_o2_e": 2.0}})
    gcase(c, S, "salmonella's medium allows 18.5 O2 - what if I raise the oxygen limit to 30?",
          {"uptake": {"EX_o2_e": 30.0}})
    # ------------------------------------------------------------ uptake_cap
    c = "uptake_cap"
    gcase(c, E, "limit glucose uptake to 4 mmol/gDW/h in e_coli_core; growth?",
          {"uptake": {"EX_glc__D_e": 4.0}})
    gcase(c, J, "iJO1366 with the glucose uptake bound at -6.5 - biomass?",
          {"uptake": {"EX_glc__D_e": 6.5}})
    gcase(c, S, "Let salmonella take up 8 mmol/gDW/h glucose instead of 5. New growth rate?",
          {"uptake": {"EX_glc__D_e": 8.0}})
    gcase(c, E, "double the glucose supply of the core model (20 mmol/gDW/h), how fast now?",
          {"uptake": {"EX_glc__D_e": 20.0}})
    gcase(c, E, "nitrogen-limited core model: NH4 uptake max 2 mmol/gDW/h. mu?",
          {"uptake": {"EX_nh4_e": 2.0}})
    gcase(c, J, "phosphate limitation in iJO1366 - cap Pi uptake at 0.5 mmol/gDW/h",
          {"uptake": {"EX_pi_e": 0.5}})
    gcase(c, S, "salmonella with ammonium uptake restricted to 1 mmol/gDW/h, growth?",
          {"uptake": {"EX_nh4_e": 1.0}})
    # ------------------------------------------------------------ medium (contents, +/- nutrients)
    c = "medium"
    add(c, E, "what's in the core model's default medium? list the uptakes and the glucose limit",
        T_MED, [10.0], ["EX_glc__D_e|glucose", "EX_o2_e|oxygen|O2", "EX_nh4_e|ammonium|NH4",
                        "EX_pi_e|phosphate"],
        setup={"medium_of": E})
    add(c, J, "How many exchanges are open for uptake in iJO1366's default medium?", T_MED,
        [len(M(J).medium)], setup={"medium_of": J, "count": "open uptakes"})
    add(c, S, "Salmonella default medium: what are the glucose and the oxygen uptake limits?",
        T_MED, [M(S).medium["EX_glc__D_e"], M(S).medium["EX_o2_e"]], setup={"medium_of": S})
    gcase(c, J, "Drop both iron sources (Fe2+ and Fe3+) from the iJO1366 medium. Still growing?",
          {"close": ["EX_fe2_e", "EX_fe3_e"]})
    gcase(c, S, "remove potassium from the salmonella medium; what does the model say?",
          {"close": ["EX_k_e"]})
    gcase(c, J, "supplement the iJO1366 default medium with L-methionine, 1 mmol/gDW/h. mu?",
          {"uptake": {ex(J, "EX_met__L_e"): 1.0}})
    gcase(c, S, "add L-histidine (2 mmol/gDW/h) on top of salmonella's standard medium - growth?",
          {"uptake": {ex(S, "EX_his__L_e"): 2.0}})
    # ------------------------------------------------------------ cofeed
    c = "cofeed"
    gcase(c, E, "co-feed the core model 5 glucose + 5 acetate (mmol/gDW/h). growth?",
          {"carbon": {"EX_glc__D_e": 5.0, "EX_ac_e": 5.0}})
    gcase(c, E, "keep the default glucose and add fructose at 5 mmol/gDW/h; e_coli_core mu?",
          {"uptake": {"EX_fru_e": 5.0}})
    gcase(c, J, "iJO1366 fed glucose 5 and glycerol 5 mmol/gDW/h together",
          {"carbon": {"EX_glc__D_e": 5.0, "EX_glyc_e": 5.0}})
    gcase(c, J, "glucose at its usual 10 plus 4 mmol/gDW/h succinate for iJO1366 - growth rate?",
          {"uptake": {"EX_succ_e": 4.0}})
    gcase(c, S, "Salmonella: default glucose plus glycerol at 3 mmol/gDW/h. growth?",
          {"uptake": {"EX_glyc_e": 3.0}})
    gcase(c, E, "mixed feed for the core model: 4 glucose and 6 D-lactate. what's the growth?",
          {"carbon": {"EX_glc__D_e": 4.0, "EX_lac__D_e": 6.0}})
    # ------------------------------------------------------------ gene_knockout
    c = "gene_knockout"
    gcase(c, E, "delete pgi in e_coli_core, growth?", {"ko_genes": ["b4025"]}, T_KO)
    gcase(c, E, "knock out both phosphofructokinase genes pfkA and pfkB (b3916, b1723) in the "
                "core model - what is left of growth?", {"ko_genes": ["b3916", "b1723"]}, T_KO)
    gcase(c, E, "tpiA deletion mutant, core model. mu?", {"ko_genes": ["b3919"]}, T_KO)
    gcase(c, E, "What's the growth of a Δzwf Δpgi double mutant in e_coli_core?",
          {"ko_genes": ["b1852", "b4025"]}, T_KO)
    gcase(c, J, "iJO1366 b0720 (gltA) knockout - growth?", {"ko_genes": ["b0720"]}, T_KO)
    gcase(c, J, "remove the enolase gene b2779 from iJO1366. Can it still grow?",
          {"ko_genes": ["b2779"]}, T_KO)
    gcase(c, S, "In the Salmonella model, knock out STM4221 (pgi). Growth?",
          {"ko_genes": [sgene("Pgi")]}, T_KO)
    gcase(c, S, "salmonella zwf deletion - growth rate?", {"ko_genes": [sgene("Zwf")]}, T_KO)
    gcase(c, S, "LT2: ΔsdhA (STM0734), growth on the default medium?",
          {"ko_genes": [sgene("SdhA")]}, T_KO)
    # ------------------------------------------------------------ reaction_knockout
    c = "reaction_knockout"
    gcase(c, E, "block PFK in e_coli_core and re-optimise", {"ko_rxns": ["PFK"]}, T_KO)
    gcase(c, E, "Switch off the pyruvate dehydrogenase reaction (PDH) in the core model. Growth?",
          {"ko_rxns": ["PDH"]}, T_KO)
    gcase(c, E, "core model without citrate synthase (reaction CS) - does it grow?",
          {"ko_rxns": ["CS"]}, T_KO)
    gcase(c, E, "set ATPS4r to zero flux in the textbook model; growth?", {"ko_rxns": ["ATPS4r"]},
          T_KO)
    gcase(c, J, "Delete the fructose-bisphosphate aldolase reaction FBA in iJO1366 (the "
                "reaction, not the analysis) and tell me the growth", {"ko_rxns": ["FBA"]}, T_KO)
    gcase(c, S, "salmonella: knock out the TPI reaction", {"ko_rxns": ["TPI"]}, T_KO)
    gcase(c, S, "In Salmonella, block both PYK and PPC reactions - growth?",
          {"ko_rxns": ["PYK", "PPC"]}, T_KO)
    # ------------------------------------------------------------ bounds_atpm
    c = "bounds_atpm"
    gcase(c, E, "fix ATPM at 15 mmol/gDW/h in e_coli_core; growth?", {"bounds": {"ATPM": (15, 15)}},
          T_FBA)
    gcase(c, E, "no maintenance: set ATPM lower bound to 0 in the core model. mu?",
          {"bounds": {"ATPM": (0.0, 1000.0)}}, T_FBA)
    gcase(c, J, "iJO1366 with non-growth ATP maintenance raised to 10 (fixed). growth rate?",
          {"bounds": {"ATPM": (10.0, 10.0)}}, T_FBA)
    gcase(c, S, "set salmonella's ATPM to 5 mmol/gDW/h (both bounds). growth?",
          {"bounds": {"ATPM": (5.0, 5.0)}}, T_FBA)
    gcase(c, E, "cap PGI at an upper bound of 2 mmol/gDW/h in e_coli_core - growth?",
          {"bounds": {"PGI": (-1000.0, 2.0)}}, T_FBA)
    gcase(c, E, "restrict ATP synthase (ATPS4r) to at most 20 mmol/gDW/h forward; growth?",
          {"bounds": {"ATPS4r": (-1000.0, 20.0)}}, T_FBA)
    # ------------------------------------------------------------ objective_change
    c = "objective_change"
    pcase(c, E, "maximise ATP maintenance (ATPM) instead of biomass in e_coli_core - max flux?", {},
          "ATPM")
    pcase(c, E, "change the objective to succinate export (EX_succ_e), core model. optimum?", {},
          "EX_succ_e")
    pcase(c, J, "iJO1366, objective = ethanol secretion EX_etoh_e. What's the maximum?", {},
          "EX_etoh_e")
    pcase(c, J, "max L-lysine excretion rate iJO1366 (optimise EX_lys__L_e)", {}, "EX_lys__L_e")
    pcase(c, S, "Salmonella: open ATPM's upper bound to 1000 and maximise ATPM. Value?",
          {"bounds": {"ATPM": WT_S_ATPM}}, "ATPM")
    pcase(c, E, "what is the fastest the core model can produce L-glutamate (add a demand "
                "reaction for glu__L_c and maximise it)?", {"demand": "glu__L_c"}, "DM_glu__L_c")
    # ------------------------------------------------------------ growth_floor
    c = "growth_floor"
    pcase(c, E, "maximise acetate secretion while keeping growth >= 0.3 1/h (e_coli_core)",
          {"floor": 0.3}, "EX_ac_e")
    pcase(c, E, "core model: max succinate export at 50% of optimal growth",
          {"fraction": 0.5}, "EX_succ_e")
    pcase(c, J, "iJO1366 - best acetate production rate if growth has to stay at 80 % of max",
          {"fraction": 0.8}, "EX_ac_e")
    pcase(c, S, "Salmonella: maximum acetate export with a biomass floor of 0.2 per hour",
          {"floor": 0.2}, "EX_ac_e")
    pcase(c, J, "iJO1366 formate secretion, maximised, growth held at >= 0.5",
          {"floor": 0.5}, "EX_for_e")
    # ------------------------------------------------------------ reaction_flux
    c = "reaction_flux"
    fcase(c, E, "at the growth optimum of e_coli_core, what are the O2 uptake and CO2 secretion "
                "fluxes?", {}, ["EX_o2_e", "EX_co2_e"], T_FLUX)
    fcase(c, E, "flux through citrate synthase (CS) in the optimal core solution?", {}, ["CS"],
          T_FLUX)
    fcase(c, E, "anaerobic core model: ethanol and formate secretion rates at max growth?", ANA,
          ["EX_etoh_e", "EX_for_e"], T_FLUX)
    fcase(c, J, "glucose uptake flux of iJO1366 at the FBA optimum", {}, ["EX_glc__D_e"], T_FLUX)
    fcase(c, E, "GAPD and ENO fluxes in e_coli_core (wild type, optimal growth)", {},
          ["GAPD", "ENO"], T_FLUX)
    fcase(c, E, "how much acetate does the core model secrete anaerobically (EX_ac_e)?", ANA,
          ["EX_ac_e"], T_FLUX)
    fcase(c, S, "salmonella: oxygen uptake at optimal growth?", {}, ["EX_o2_e"], T_FLUX)
    fcase(c, J, "NH4 uptake rate in iJO1366 at max growth", {}, ["EX_nh4_e"], T_FLUX)
    # ------------------------------------------------------------ fva
    c = "fva"
    vcase(c, E, "FVA for PGI and G6PDH2r at 90% of max growth, e_coli_core", {},
          ["PGI", "G6PDH2r"], 0.9)
    vcase(c, E, "range of acetate secretion (EX_ac_e) when growth is at least 95 % of optimal, "
                "core model", {}, ["EX_ac_e"], 0.95)
    vcase(c, E, "flux variability of ME1 and ME2, 50% optimum, core E. coli", {}, ["ME1", "ME2"],
          0.5)
    vcase(c, J, "iJO1366: min/max O2 uptake at 99 % of the growth optimum", {}, ["EX_o2_e"], 0.99)
    vcase(c, J, "FVA on PGI in iJO1366 at 90% optimality", {}, ["PGI"], 0.9)
    vcase(c, S, "salmonella CO2 exchange range at 95 percent of max biomass", {}, ["EX_co2_e"],
          0.95)
    vcase(c, E, "anaerobic core model: how variable is ethanol secretion at 80 % of optimum?",
          ANA, ["EX_etoh_e"], 0.8)
    # ------------------------------------------------------------ essential_genes
    c = "essential_genes"
    ess_case(c, E, "which genes are essential in e_coli_core on its default medium? give ids",
             list_ids=True)
    ess_case(c, E, "how many essential genes does the core model have anaerobically?", ANA)
    ess_case(c, E, "essential genes of e coli core on acetate - count please",
             {"carbon": {"EX_ac_e": None}})
    ess_case(c, J, "number of essential genes in iJO1366 (glucose minimal, aerobic)")
    ess_case(c, S, "How many genes can't be deleted in the Salmonella model without losing "
                   "growth?")
    ess_case(c, E, "Of pgk, pgi, gapA and zwf, which ones are essential in the core model?",
             only=["b2926", "b4025", "b1779", "b1852"], list_ids=True, count=False)
    # ------------------------------------------------------------ essential_reactions
    c = "essential_reactions"
    essr_case(c, E, "count the essential reactions of e_coli_core - every reaction counts, "
                    "exchanges and the biomass reaction included")
    essr_case(c, E, "anaerobically, how many internal reactions (no exchanges, no biomass) are "
                    "essential in the core model?", ANA,
              keep=lambda r: not r.startswith("EX_") and r != bio(E))
    essr_case(c, E, "which exchange reactions are essential for e_coli_core on glucose?",
              keep=lambda r: r.startswith("EX_"), list_ids=True)
    essr_case(c, J, "iJO1366: how many reactions are essential (count exchanges and biomass too)?")
    essr_case(c, E, "on succinate instead of glucose, how many reactions of the core model are "
                    "essential? (all reactions, incl. exchange + biomass)",
              {"carbon": {"EX_succ_e": None}})
    # ------------------------------------------------------------ synthetic_lethal
    c = "synthetic_lethal"
    pairs = R.synthetic_lethals("genes")
    add(c, E, "how many synthetic lethal gene pairs are there in e_coli_core?", T_SL,
        [len(pairs)], setup={"synthetic_lethal": "genes", "pairs": len(pairs)})
    rpairs = R.synthetic_lethals("reactions")
    add(c, E, "count the synthetic-lethal reaction pairs of the core model (reactions that are "
              "fine alone, lethal together)", T_SL, [len(rpairs)],
        setup={"synthetic_lethal": "reactions", "pairs": len(rpairs)})
    for model, genes, q in [
        (J, ["b4025", "b1852"], "iJO1366: are pgi (b4025) and zwf (b1852) synthetic lethal? give "
                                "the double-mutant growth"),
        (S, [sgene("Pgi"), sgene("Zwf")], "salmonella: is the Pgi/Zwf double deletion "
                                          "(STM4221 + STM1886) lethal?"),
        (E, ["b0118", "b1276"], "acnA/acnB - lethal together in the core model? either one "
                                "alone is fine, right?"),
    ]:
        both, sl, singles = double_ko(model, genes)
        add(c, model, q, [*T_SL, "run_fba"], [] if both < 1e-6 else [both], [], both < 1e-6, (),
            {"ko_genes": genes, "synthetic_lethal": sl, "single_growth": singles})
    partners = sorted({a if b == "b3956" else b for a, b in pairs if "b3956" in (a, b)})
    add(c, E, "list every gene that is synthetic lethal with ppc (b3956) in e_coli_core", T_SL,
        [len(partners)], R.gene_alts(E, partners), setup={"synthetic_lethal": "genes",
                                                          "partners_of": "b3956"})
    # ------------------------------------------------------------ yield
    c = "yield"
    yield_case(c, "maximum acetate yield on glucose for e_coli_core, in mol/mol", E, {},
               "EX_ac_e")
    yield_case(c, "anaerobic core model: theoretical succinate yield in g per g glucose", E, ANA,
               "EX_succ_e", mass=True)
    yield_case(c, "iJO1366 without oxygen - ethanol yield (mol ethanol per mol glucose) at max "
                  "ethanol", J, ANA, "EX_etoh_e")
    yield_case(c, "mass yield of D-lactate from glucose in iJO1366, anaerobic (g/g)", J, ANA,
               "EX_lac__D_e", mass=True)
    yield_case(c, "Salmonella max acetate yield per glucose, mol/mol", S, {}, "EX_ac_e")
    yield_case(c, "ATP yield of e_coli_core: max ATPM per mol glucose taken up", E, {}, "ATPM",
               per="reaction")
    g = growth(E)
    mw = M(E).metabolites.glc__D_e.formula_weight
    add(c, E, "biomass yield of the core model on glucose in gDW per gram glucose?", T_PROD,
        [g / (10.0 * mw / 1000.0)], setup={"yield": "gDW/g", "growth": g, "glucose_uptake": 10.0})
    # ------------------------------------------------------------ max_production
    c = "max_production"
    pcase(c, E, "max formate production of the anaerobic core model, mmol/gDW/h", ANA, "EX_for_e")
    pcase(c, J, "What's the highest succinate secretion iJO1366 can reach?", {}, "EX_succ_e")
    pcase(c, S, "salmonella - maximum ethanol output rate?", {}, "EX_etoh_e")
    pcase(c, E, "how much 2-oxoglutarate can e_coli_core excrete at most?", {}, "EX_akg_e")
    pcase(c, J, "max L-alanine secretion rate (EX_ala__L_e) for iJO1366 on glycerol",
          {"carbon": {"EX_glyc_e": None}}, "EX_ala__L_e")
    # ------------------------------------------------------------ comparison
    c = "comparison"
    cmp_case(c, E, "rank glucose, fructose, pyruvate and succinate as carbon sources for the core "
                   "model - which gives the best growth?",
             [{"carbon": {x: None}} for x in ["EX_glc__D_e", "EX_fru_e", "EX_pyr_e", "EX_succ_e"]],
             ["glucose", "fructose", "pyruvate", "succinate"])
    cmp_case(c, E, "which single knockout hurts e_coli_core most: pgi, zwf, pfkA or ppc?",
             [{"ko_genes": [x]} for x in ["b4025", "b1852", "b3916", "b3956"]],
             ["pgi|b4025", "zwf|b1852", "pfkA|b3916", "ppc|b3956"], lowest=True)
    cmp_case(c, S, "salmonella on glucose vs glycerol vs succinate vs acetate (sole C each): "
                   "growth on each, and which is best?",
             [{"carbon": {x: None}} for x in ["EX_glc__D_e", "EX_glyc_e", "EX_succ_e", "EX_ac_e"]],
             ["glucose", "glycerol", "succinate", "acetate"])
    cmp_case(c, J, "iJO1366 nitrogen sources (5 mmol/gDW/h each, NH4 closed): L-glutamine, "
                   "L-glutamate, L-aspartate. growth on each?",
             [{"close": ["EX_nh4_e"], "uptake": {x: 5.0}}
              for x in ["EX_gln__L_e", "EX_glu__L_e", "EX_asp__L_e"]],
             ["glutamine", "glutamate", "aspartate"])
    cmp_case(c, E, "core model at oxygen uptake limits of 2, 5, 10 and 20 mmol/gDW/h - growth "
                   "for each?", [{"uptake": {"EX_o2_e": v}} for v in (2.0, 5.0, 10.0, 20.0)],
             ["2", "5", "10", "20"])
    cmp_case(c, J, "compare iJO1366 aerobic vs anaerobic on glucose and on glycerol (four runs)",
             [{}, ANA, {"carbon": {"EX_glyc_e": None}},
              {"carbon": {"EX_glyc_e": None}, "anaerobic": True}],
             ["aerobic glucose", "anaerobic glucose", "aerobic glycerol", "anaerobic glycerol"])
    # ------------------------------------------------------------ cross_model
    c = "cross_model"
    cmp_case(c, E, "which grows fastest on its own default medium: e_coli_core, iJO1366 or the "
                   "salmonella model?", [{}, {}, {}], ["e_coli_core", "iJO1366", "salmonella"],
             models=[E, J, S])
    cmp_case(c, E, "anaerobic growth, e_coli_core vs iJO1366 - which is higher?", [ANA, ANA],
             ["e_coli_core", "iJO1366"], models=[E, J])
    cmp_case(c, E, "acetate at 10 mmol/gDW/h as sole carbon: core model vs iJO1366 vs salmonella",
             [{"carbon": {"EX_ac_e": 10.0}}] * 3, ["e_coli_core", "iJO1366", "salmonella"],
             models=[E, J, S])
    add(c, J, "how many more genes does the salmonella model have than iJO1366?", T_INFO,
        [len(M(S).genes) - len(M(J).genes), len(M(S).genes), len(M(J).genes)],
        setup={"genes": {S: len(M(S).genes), J: len(M(J).genes)}})
    # ------------------------------------------------------------ model_info
    c = "model_info"
    m = M(E)
    add(c, E, "size of e_coli_core? reactions / metabolites / genes", T_INFO,
        [len(m.reactions), len(m.metabolites), len(m.genes)], setup={"count": "rxn/met/gene"})
    add(c, S, "How many reactions are in the salmonella reconstruction?", T_INFO,
        [len(M(S).reactions)], setup={"count": "reactions"})
    add(c, J, "what compartments does iJO1366 have?", T_INFO, [],
        ["periplasm|p", "cytosol|cytoplasm", "extracellular"], setup={"compartments": J})
    add(c, S, "which reaction is the objective in the Salmonella model?", T_INFO, [], [bio(S)],
        setup={"objective": bio(S)})
    gpr = [g.id for g in m.reactions.PFK.genes]
    add(c, E, "which genes encode PFK in e_coli_core (GPR)?", [*T_INFO, "search_model"], [],
        R.gene_alts(E, sorted(gpr)),
        setup={"gpr_of": "PFK", "rule": m.reactions.PFK.gene_reaction_rule})
    rx = sorted(r.id for r in M(S).genes.get_by_id(sgene("Pgi")).reactions)
    add(c, S, "what reaction(s) does STM4221 catalyse in the salmonella model?",
        [*T_INFO, "search_model"], [], rx, setup={"reactions_of": sgene("Pgi")})
    # ------------------------------------------------------------ modelseed_lookup
    c = "modelseed_lookup"
    T = T_LOOK
    add(c, E, "ModelSEED compound id for pyruvate?", T, [], ["|".join(R.cpd_by_name("pyruvate"))],
        setup={"lookup": "name->cpd"})
    add(c, E, "KEGG id of cpd00027", T, [], ["|".join(sorted(R.CPD_EXT["cpd00027"]["KEGG"]))],
        setup={"lookup": "cpd->KEGG"})
    add(c, E, "translate the BiGG metabolite akg to a ModelSEED id", T, [],
        ["|".join(R.live_cpd(R.CPD_ALIAS["BiGG"]["akg"]))], setup={"lookup": "BiGG->cpd"})
    add(c, E, "EC number of ModelSEED reaction rxn00148?", T, [],
        ["|".join(sorted(R.RXN_EC["rxn00148"]))], setup={"lookup": "rxn->EC"})
    add(c, E, "which ModelSEED reaction corresponds to BiGG PGI?", T, [],
        ["|".join(R.live_rxn(R.RXN_ALIAS["BiGG"]["PGI"]))], setup={"lookup": "BiGG->rxn"})
    add(c, E, "what's the formula and charge of cpd00002 in the ModelSEED biochemistry?", T,
        [abs(int(R.CPD["cpd00002"]["charge"]))], [R.CPD["cpd00002"]["formula"]],
        setup={"lookup": "cpd->formula"})
    add(c, E, "name a ModelSEED reaction with EC 4.2.1.11", T, [],
        ["|".join(R.live_rxn(k for k, v in R.RXN_EC.items() if "4.2.1.11" in v))],
        setup={"lookup": "EC->rxn"})
    add(c, E, "KEGG reaction id for rxn00459 pls", T, [],
        ["|".join(sorted(R.RXN_EXT["rxn00459"]["KEGG"]))], setup={"lookup": "rxn->KEGG"})
    add(c, E, "MetaCyc id of succinate (cpd00036)?", T, [],
        ["|".join(sorted(R.CPD_EXT["cpd00036"]["MetaCyc"]))], setup={"lookup": "cpd->MetaCyc"})
    # ------------------------------------------------------------ modelseed_draft
    c = "modelseed_draft"
    d = M(D)
    draft(c, f"load {R.DRAFT} and tell me how many reactions, metabolites and genes it has",
          numbers=[len(d.reactions), len(d.metabolites), len(d.genes)],
          setup={"count": "rxn/met/gene"})
    draft(c, "what's the objective of the ModelSEED example draft "
             "(example_ecoli_modelseed_model.json)?", ids=[bio(D)], setup={"objective": bio(D)})
    draft(c, f"in {R.DRAFT}, optimise the biomass reaction bio1 - does it grow?",
          no_growth=opt(D, {"objective": "bio1"}) < 1e-6, setup={"objective": "bio1"})
    cpds = sorted(ex_id[3:-3] for ex_id in d.medium)
    draft(c, "which compounds can the modelseed e. coli draft take up as shipped?",
          T_DRAFT + T_MED, ids=[f"{x}|{R.CPD[x]['name']}" for x in cpds],
          setup={"medium": dict(d.medium)})
    draft(c, f"number of exchange reactions in {R.DRAFT}", numbers=[len(d.exchanges)],
          setup={"count": "exchanges"})
    v = opt(D, {"uptake": {"EX_cpd00027_e0": 10.0}})
    draft(c, "draft model (example_ecoli_modelseed_model.json): allow D-glucose (cpd00027) "
             "uptake at 10 mmol/gDW/h and maximise its objective ATPM_c0. value?",
          T_DRAFT + T_PROD, numbers=[v], setup={"uptake": {"EX_cpd00027_e0": 10.0},
                                                "objective": "ATPM_c0"})
    draft(c, f"does {R.DRAFT} contain the pyruvate kinase reaction rxn00148?",
          T_DRAFT + T_LOOK, ids=[x.id for x in d.reactions if x.id.startswith("rxn00148")],
          setup={"has": "rxn00148"})
    draft(c, "compartments of the ModelSEED draft example model?", ids=sorted(d.compartments),
          setup={"compartments": D})
    # ------------------------------------------------------------ derived
    c = "doubling_time"
    dt_case(c, E, "doubling time of e_coli_core in minutes (default medium)?", minutes=True)
    dt_case(c, J, "how long does iJO1366 take to double anaerobically, in hours?", ANA)
    dt_case(c, S, "Salmonella's predicted doubling time on its own medium (h)")
    dt_case(c, E, "td on acetate for the core model? minutes", {"carbon": {"EX_ac_e": None}},
            minutes=True)
    c = "percent_change"
    pct_case(c, E, "by what percentage does deleting pgi reduce e_coli_core growth?",
             {"ko_genes": ["b4025"]})
    pct_case(c, J, "percent change in iJO1366 growth going from aerobic to anaerobic", ANA,
             tools=T_FBA)
    pct_case(c, S, "halve salmonella's glucose (2.5 mmol/gDW/h): how many % slower?",
             {"uptake": {"EX_glc__D_e": 2.5}}, tools=T_FBA)
    pct_case(c, E, "what fraction (%) of wild-type growth is left after knocking out zwf in the "
                   "core model?", {"ko_genes": ["b1852"]}, remaining=True)
    # ------------------------------------------------------------ multi_step
    c = "multi_step"
    gcase(c, E, "core model: go anaerobic, then delete ldhA and adhE. what's the growth?",
          {"anaerobic": True, "ko_genes": ["b1380", "b1241"]}, T_KO)
    gcase(c, J, "iJO1366 - switch the carbon to glycerol, cap oxygen at 8, and knock out b3916. "
                "Growth?", {"carbon": {"EX_glyc_e": None}, "uptake": {"EX_o2_e": 8.0},
                            "ko_genes": ["b3916"]}, T_KO)
    vcase(c, E, "put e_coli_core on succinate, block PPCK, then FVA of ME1 and ME2 at 90%",
          {"carbon": {"EX_succ_e": None}, "ko_rxns": ["PPCK"]}, ["ME1", "ME2"], 0.9)
    pcase(c, E, "fix ATPM at 12, limit glucose to 8, and then maximise acetate export keeping "
                "half of the max growth (core)",
          {"bounds": {"ATPM": (12.0, 12.0)}, "uptake": {"EX_glc__D_e": 8.0}, "fraction": 0.5},
          "EX_ac_e")
    pcase(c, J, "in iJO1366 knock out ackA (b2296) and pta (b2297), then maximise acetate "
                "secretion - what's the max?", {"ko_genes": ["b2296", "b2297"]}, "EX_ac_e")
    gcase(c, S, "salmonella: anaerobic, glycerol as sole carbon, then growth?",
          {"anaerobic": True, "carbon": {"EX_glyc_e": None}})
    ess_case(c, E, "core model without oxygen and on fructose: how many essential genes?",
             {"anaerobic": True, "carbon": {"EX_fru_e": None}})
    # ------------------------------------------------------------ followup
    c = "followup"
    gcase(c, E, "and if I also knock out pflB?", {"anaerobic": True, "ko_genes": ["b0903"]}, T_KO,
          turns=["Growth of e_coli_core on glucose?", "Now switch off the oxygen."])
    gcase(c, J, "what about with only 5 mmol/gDW/h glucose?", {"uptake": {"EX_glc__D_e": 5.0}},
          turns=["load iJO1366 and tell me its growth rate"])
    gcase(c, S, "and now put it on glycerol instead of glucose",
          {"ko_genes": [sgene("Pgi")], "carbon": {"EX_glyc_e": None}}, T_KO,
          turns=["What's salmonella's growth rate?", "knock out STM4221"])
    ess_case(c, E, "how many genes are essential there?", {"carbon": {"EX_ac_e": None}},
             turns=["Set the core model to grow on acetate as the only carbon source"])
    gcase(c, E, "undo that and knock out gnd instead - growth?", {"ko_genes": ["b2029"]}, T_KO,
          turns=["Knock out zwf in e_coli_core"])
    dt_case(c, J, "ok, and the doubling time in minutes?", ANA, minutes=True,
            turns=["iJO1366 anaerobic growth?"])
    CASES[-1]["tools_any"] = []  # ln 2 / mu of the previous answer needs no new tool call
    pcase(c, E, "and if growth has to stay at least 0.4?", {"floor": 0.4}, "EX_succ_e",
          turns=["maximise succinate secretion in the core model"])
    draft(c, "how many genes does it have?", numbers=[len(d.genes)],
          turns=[f"load {R.DRAFT}"], setup={"count": "genes"})
    CASES[-1]["tools_any"] = []  # loading the file may already have reported its size
    vcase(c, E, "same thing but at 70 % of the optimum", {}, ["PGI"], 0.7,
          turns=["e_coli_core: FVA of PGI at 95% of optimal growth"])
    # ------------------------------------------------------------ unresolved (no FBA meaning)
    for model, q in [
        (E, "what's the growth rate of e_coli_core at 42 °C?"),
        (J, "iJO1366 growth at pH 5.5?"),
        (S, "Salmonella growth in the presence of 10 µg/ml ampicillin"),
        (E, "if the flask has 2 g/L glucose, what OD600 will the core model reach after 6 h?"),
        (J, "with a Km of 0.5 mM for the glucose transporter, predict iJO1366's glucose uptake "
            "at 1 mM glucose"),
        (E, "core model growth under 0.5 M NaCl osmotic stress?"),
        (S, "how fast does salmonella replicate inside macrophages?"),
        (E, "growth after a 30 min heat shock, e coli core"),
        (J, "iJO1366 at 200 rpm shaking vs 100 rpm - growth difference?"),
        (E, "replace the ptsG promoter with one that's half as strong - growth of e_coli_core?"),
        (S, "salmonella growth rate with 3 mM bile salts added"),
        (E, "how long is the lag phase of the core model after a shift to acetate?"),
        (J, "chemostat at D = 0.1 1/h with 5 g/L glucose in the feed: residual glucose "
            "concentration for iJO1366?"),
        (E, "feed the core model 20 g/L glucose and 5 g/L glycerol - growth?"),
        (S, "Salmonella growth rate in the mouse gut lumen"),
        (E, "knock out the gene xyzQ9 in e_coli_core and tell me the growth"),
        (J, "what's iJO1366's growth after 10 Gy of gamma irradiation?"),
        (E, "growth of the core model when iron is at 5 µM"),
        (S, "simulate salmonella over 12 hours in batch and plot the biomass time course"),
    ]:
        unresolved(model, q)


# --------------------------------------------------------------------------- output
ORDER = ["id", "category", "query", "model", "model_file", "tools_any", "numbers", "ids",
         "no_growth", "turns", "expect_unresolved", "setup"]


def write(cases):
    for i, case in enumerate(cases, 1):
        case["id"] = f"H3_{i:03d}"
    out = [{k: R2._plain(case[k]) for k in ORDER if k in case} for case in cases]
    head = ("# fluxagent understanding corpus, third blind holdout (all cases held out).\n"
            "# GENERATED by .venv/bin/python eval/understanding/references3.py -- do not edit\n"
            "# by hand.\n"
            "# Format: eval/dev_queries.yaml (extra fields: category, model_file,\n"
            "# expect_unresolved, setup = how the reference was computed, for review only).\n"
            "# Reference numbers: cobrapy 0.32.1 + GLPK, rounded to 6 significant digits.\n")
    text = head + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100,
                                 default_flow_style=None)
    (HERE / "holdout3.yaml").write_text(text)


def write_counts(cases):
    readme = HERE / "README.md"
    start, end = "<!-- holdout3-counts:start -->", "<!-- holdout3-counts:end -->"
    text = readme.read_text() if readme.exists() else ""
    if start not in text or end not in text:
        return
    per_cat: dict[str, int] = defaultdict(int)
    per_model: dict[str, int] = defaultdict(int)
    for case in cases:
        per_cat[case["category"]] += 1
        mk = "ModelSEED draft (file)" if case.get("model_file") else case["model"]
        if case["category"] == "modelseed_lookup":
            mk = "none (ModelSEED biochemistry lookup; model field e_coli_core)"
        per_model[mk] += 1
    lines = [start, "", f"Total: **{len(cases)}** cases"
             f" ({sum(1 for x in cases if x.get('expect_unresolved'))} with expect_unresolved,"
             f" {sum(1 for x in cases if x['turns'])} follow-ups with turns,"
             f" {sum(1 for x in cases if x['no_growth'])} no_growth).", "",
             "| category | cases |", "|---|---:|"]
    lines += [f"| {k} | {per_cat[k]} |" for k in sorted(per_cat)]
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
    per_cat: dict[str, int] = defaultdict(int)
    for case in CASES:
        per_cat[case["category"]] += 1
    R.log(f"cases: {len(CASES)}")
    for k in sorted(per_cat):
        R.log(f"  {k:22s} {per_cat[k]:3d}")
    for s in SKIPPED:
        R.log("skipped:", s)


if __name__ == "__main__":
    main()
