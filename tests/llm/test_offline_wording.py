"""Wordings the planner once misread, each mechanism on at least two phrasings: numbers written
as words, misspelt verbs, a knockout named by the wrong kind ("block pfk"), quoted enzyme
names, a named minimal medium as a condition, an element source's rate after "instead of Y" or
a comma, "lacking X", a metabolite's id in parentheses, "an uptake of only N", a bare "core" in
a list of models, "need to double", a biomass yield per gram of substrate, a Salmonella locus
tag naming its model, property lookups of ModelSEED ids, a concentration that is no uptake,
bare follow-ups that keep the mutant, "restore oxygen but cap it", uptake series with "vs", the
best of a list of carbon sources, "objective = R", and one phenotype row asked for by name.
The typed verifier's part: a locant fragment is no reaction, a count a tool summary states is a
count of its noun, and an FBA's optimum is the objective reaction's flux.
"""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from planner_frames import conversation, frame

from fluxagent.llm.offline.text import analyse
from fluxagent.llm.verify import verify_answer


def calls(agent: Any, session_id: str, name: str) -> list[dict[str, Any]]:
    return [e.data["args"] for e in agent.thread(session_id).events
            if e.type == "tool_call" and e.data.get("name") == name]


def growth(model: str, **bounds: tuple[float, float]) -> float:
    m = cobra.io.load_model({"e_coli_core": "textbook"}.get(model, model))
    for rid, b in bounds.items():
        m.reactions.get_by_id(rid).bounds = b
    return float(m.slim_optimize())


# ------------------------------------------------------------------------------ the text
@pytest.mark.parametrize(("question", "want"), [
    ("iJO1366 with oxygen capped at two mmol per gDW per hour", ("oxygen_uptake", 2.0)),
    ("core model, oxygen limited to five.", ("oxygen_uptake", 5.0)),
    ("iJO1366 with the default glucose plus three mmol/gDW/h of succinate",
     ("uptakes", (("succinate", 3.0),))),
])
def test_numbers_written_as_words(question: str, want: tuple[str, Any]) -> None:
    f = frame(question)
    assert getattr(f.slots, want[0]) == want[1] and not f.unresolved


@pytest.mark.parametrize("question", ["which one grows faster", "knock out two genes at once"])
def test_a_number_word_that_is_no_quantity_stays_a_word(question: str) -> None:
    assert analyse(question).raw == question


@pytest.mark.parametrize("question", ["knokc out pgi, growth?", "konck out pgi and report growth"])
def test_a_misspelt_knock_out(question: str) -> None:
    f = frame(question)
    assert f.intent == "knockout" and f.slots.knockouts == ("pgi",)


@pytest.mark.parametrize(("question", "rid"), [
    ("block pfk, growth?", "PFK"),
    ("knock out akgdh in the core model", "AKGDH"),
])
def test_a_knockout_named_by_the_wrong_kind_is_of_that_reaction(agent: Any, question: str,
                                                                rid: str) -> None:
    st = agent.ask(question)
    assert st.status == "done"
    assert calls(agent, st.session_id, "knockout_reactions")[-1]["reactions"] == [rid]
    assert f"{growth('e_coli_core', **{rid: (0.0, 0.0)}):.6g}" in (st.answer or "")


@pytest.mark.parametrize(("question", "enzyme"), [
    ("remove the reaction 'glucose-6-phosphate isomerase' from the core model and rerun FBA",
     "glucose-6-phosphate isomerase"),
    ("delete the reaction \"citrate synthase\" and grow the core model", "citrate synthase"),
])
def test_a_quoted_enzyme_name_is_one_knockout(question: str, enzyme: str) -> None:
    f = frame(question)
    assert f.intent == "knockout" and f.slots.knockouts == (enzyme,)
    assert f.slots.reactions == (enzyme,) and not f.unresolved


@pytest.mark.parametrize("question", [
    "iJO1366: predicted specific growth rate on the standard glucose minimal medium, h^-1",
    "growth of the core model in its usual M9 glucose minimal medium",
])
def test_a_named_minimal_medium_is_a_condition(question: str) -> None:
    assert frame(question).intent == "growth"


def test_asking_for_a_minimal_medium_still_computes_one() -> None:
    assert frame("what is the minimal medium of iJO1366 for growth on glucose?").intent == \
        "minimal_medium"


@pytest.mark.parametrize(("question", "source"), [
    ("iJO1366 with L-glutamine as the nitrogen source instead of ammonium (5 mmol/gDW/h)",
     "l-glutamine"),
    ("Salmonella with L-alanine as its nitrogen source, 5 mmol/gDW/h, ammonium removed",
     "l-alanine"),
])
def test_an_element_source_rate_after_the_replaced_source_or_a_comma(question: str,
                                                                     source: str) -> None:
    f = frame(question)
    assert dict(f.slots.uptakes) == {"ammonium": 0.0, source: 5.0}
    assert f.slots.carbon_uptake is None and not f.unresolved


@pytest.mark.parametrize("question", ["iJO1366 lacking phosphate in the medium - can it grow?",
                                      "core model growth on a medium devoid of phosphate"])
def test_lacking_a_nutrient_removes_it(question: str) -> None:
    f = frame(question)
    assert dict(f.slots.uptakes) == {"phosphate": 0.0} and not f.unresolved


@pytest.mark.parametrize(("question", "carbon"), [
    ("growth of e_coli_core when 2-oxoglutarate (akg) is the sole carbon source",
     "2-oxoglutarate"),
    ("core model growth on glucose (glc__D) only", "glucose"),
])
def test_a_metabolite_id_in_parentheses_names_the_same_metabolite(question: str,
                                                                  carbon: str) -> None:
    f = frame(question)
    assert f.slots.carbon_source == carbon and not f.unresolved


def test_an_id_in_parentheses_that_is_no_alias_is_still_named() -> None:
    assert "pgi" in frame("core model growth on glucose (pgi) only").unresolved


@pytest.mark.parametrize("question", [
    "growth of iJO1366 at a glucose uptake of only 1 mmol/gDW/h",
    "iJO1366 growth with a glucose uptake of just 1",
])
def test_an_uptake_of_only_n(question: str) -> None:
    f = frame(question)
    assert f.slots.carbon_uptake == 1.0 and f.intent == "growth" and not f.unresolved


@pytest.mark.parametrize("question", [
    "on succinate as the only carbon source, which grows faster: core or iJO1366?",
    "growth of iJO1366 vs core on glucose",
])
def test_a_bare_core_in_a_list_of_models(question: str) -> None:
    assert set(frame(question).slots.models) == {"e_coli_core", "iJO1366"}


def test_core_as_a_word_is_no_model() -> None:
    assert frame("core metabolism of iJO1366: growth?").slots.models == ("iJO1366",)


@pytest.mark.parametrize(("question", "unit"), [
    ("how many minutes does the core model need to double without oxygen?", "min"),
    ("how much time does iJO1366 need to double its biomass?", "any"),
])
def test_need_to_double_is_a_doubling_time(question: str, unit: str) -> None:
    f = frame(question)
    assert f.slots.doubling == unit and not f.unresolved


@pytest.mark.parametrize("question", ["biomass yield of e_coli_core in gDW per g glucose?",
                                      "e_coli_core growth yield, gDW per gram of glucose"])
def test_a_biomass_yield_per_gram_of_substrate(agent: Any, question: str) -> None:
    f = frame(question)
    assert f.slots.biomass_yield and f.slots.product is None
    assert f.slots.carbon_source == "glucose"
    st = agent.ask(question)
    m = cobra.io.load_model("textbook")
    glc = m.metabolites.get_by_id("glc__D_e").formula_weight / 1000.0
    assert f"{m.slim_optimize() / (10.0 * glc):.6g} gDW per g" in (st.answer or "")


@pytest.mark.parametrize("question", [
    "First cap glucose at 3 mmol/gDW/h, then delete STM4221 (pgi). growth?",
    "growth after knocking out STM4081",
])
def test_a_salmonella_locus_tag_names_the_model(question: str) -> None:
    assert frame(question).slots.model == "salmonella"


@pytest.mark.parametrize("question", ["formula and charge of cpd00001",
                                      "molecular weight of cpd00002",
                                      "EC number of rxn00558"])
def test_a_property_of_a_modelseed_id_is_a_lookup(question: str) -> None:
    assert frame(question).intent == "lookup"


def test_a_compound_lookup_states_the_mass(agent: Any) -> None:
    st = agent.ask("molecular mass of cpd00027 in the ModelSEED database?")
    assert "mass 180.0 g/mol" in (st.answer or "") and "Unverified" not in (st.answer or "")


@pytest.mark.parametrize("question", [
    "salmonella on glucose with 0.5% (w/v) bile salts, growth?",
    "core model on glucose with 2.5% NaCl: growth?",
])
def test_a_concentration_is_no_uptake_and_is_named(question: str) -> None:
    f = frame(question)
    assert f.slots.carbon_uptake is None and not f.slots.uptakes and f.unresolved


# -------------------------------------------------------------------------- follow-ups
@pytest.mark.parametrize("bare", ["what's the growth?", "growth?"])
def test_a_bare_follow_up_keeps_the_mutant(bare: str) -> None:
    f = conversation("knock out STM4081 in salmonella", bare)
    assert f.intent == "growth" and f.slots.knockouts == ("STM4081",)
    f = conversation("knock out STM4081 in salmonella", bare, "and anaerobically?")
    assert f.slots.knockouts == ("STM4081",) and f.slots.oxygen is False


@pytest.mark.parametrize("follow_up", ["ok, and if I restore oxygen but cap it at 5?",
                                       "and if we bring back oxygen, limited to 5?"])
def test_restore_oxygen_and_cap_it(follow_up: str) -> None:
    f = conversation("iJO1366 anaerobic growth please", follow_up)
    assert f.slots.oxygen is True and f.slots.oxygen_uptake == 5.0 and not f.unresolved


# ------------------------------------------------------------------------ comparisons
@pytest.mark.parametrize("question", ["iJO1366 growth at O2 uptake 5 vs 10 vs 15 mmol/gDW/h",
                                      "iJO1366 growth, oxygen uptake of 5 or 10 or 15"])
def test_an_uptake_series_with_vs(question: str) -> None:
    f = frame(question)
    assert f.slots.uptake_series == (("oxygen", 5.0), ("oxygen", 10.0), ("oxygen", 15.0))
    assert not f.unresolved


@pytest.mark.parametrize("question", [
    "acetate, glycerol or L-lactate - which carbon source is best for iJO1366?",
    "for iJO1366, what is the best substrate: acetate, glycerol or L-lactate?",
])
def test_the_best_of_a_list_of_carbon_sources(agent: Any, question: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.best == "max"
    assert set(f.slots.carbon_sources) == {"acetate", "glycerol", "l-lactate"}
    st = agent.ask(question)
    assert "Fastest growth: glycerol" in (st.answer or "")


@pytest.mark.parametrize(("question", "rid"), [
    ("objective = EX_ac_e (maximise acetate excretion), iJO1366", "EX_ac_e"),
    ("core model, objective: EX_ac_e. what flux?", "EX_ac_e"),
    ("change the objective of iJO1366 to ATPM, max value?", "ATPM"),
    ("set the objective of the model to ATPM", "ATPM"),
])
def test_objective_equals_a_reaction_is_an_fba_with_it(question: str, rid: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.objective == rid and not f.unresolved


def test_the_objective_restated_as_biomass_changes_nothing() -> None:
    f = frame("the objective is biomass, what flux through PFK?")
    assert f.slots.objective is None and f.slots.reactions == ("PFK",) and not f.unresolved


@pytest.mark.parametrize(("question", "row"), [
    ("predicted vs measured growth of iJO1366 on glycerol (aerobic)?",
     "Glycerol (aerobic) (EX_glyc_e): measured 0.47, predicted 0.56279 1/h"),
    ("how does iJO1366's predicted growth on acetate compare with the measured rate in the "
     "growth-rate table?", "Acetate (aerobic) (EX_ac_e): measured 0.29, predicted 0.247199"),
])
def test_one_phenotype_row_asked_for_by_name(agent: Any, question: str, row: str) -> None:
    st = agent.ask(question)
    assert calls(agent, st.session_id, "compare_phenotypes")[-1]["items"]
    assert row in (st.answer or "") and "Not understood" not in (st.answer or "")


# ---------------------------------------------------------------------------- verifier
def test_verifier_reads_a_locant_fragment_as_no_reaction(agent: Any) -> None:
    st = agent.ask("phosphorus source = glycerol-3-phosphate (2 mmol/gDW/h), no phosphate. "
                   "how fast does iJO1366 grow?")
    assert "Unverified" not in (st.answer or "")
    answer = "Understood: iJO1366; glycerol 3-phosphate uptake ≤ 7."
    assert "7" in verify_answer(agent.thread(st.session_id), answer).untraceable


def test_verifier_takes_a_summary_count_as_a_count_of_its_noun(agent: Any) -> None:
    st = agent.ask("energy-generating cycle check on the core model: max ATPM flux with every "
                   "uptake closed?")
    thread = agent.thread(st.session_id)
    assert "Unverified" not in (st.answer or "")
    ok = verify_answer(thread, "12 metabolites cannot be produced; 6 of 75 non-boundary "
                       "reactions have no gene rule.")
    assert not ok.untraceable
    bad = verify_answer(thread, "13 metabolites cannot be produced; 6 of 76 non-boundary "
                        "reactions have no gene rule.")
    assert {"13", "76"} <= set(bad.untraceable)


def test_verifier_takes_the_optimum_as_the_objective_reactions_flux(agent: Any) -> None:
    st = agent.ask("e_coli_core without glucose: maximise ATPM, what flux?")
    thread = agent.thread(st.session_id)
    fba = [e for e in thread.events if e.type == "tool_result"
           and e.data.get("tool") == "run_fba"][-1].data["data"]
    assert fba["objective"] == "ATPM"
    value = fba["objective_value"]
    assert not verify_answer(thread, f"Maximum flux through ATPM: {value:.6g} "
                             "mmol/gDW/h.").untraceable
    assert verify_answer(thread, f"Maximum flux through ATPM: {value + 3:.6g} "
                         "mmol/gDW/h.").untraceable


# ------------------------------------------------------------------ set differences
@pytest.mark.parametrize(("question", "line"), [
    ("Which e_coli_core genes are essential anaerobically but not aerobically (glucose)?",
     "3 genes essential in anaerobic but not in aerobic: b4025, b3956, b3919."),
    ("Which reactions become essential in e_coli_core on acetate (sole carbon) compared with "
     "glucose?", "2 reactions essential in glucose but not in acetate: GLCpts, EX_glc__D_e."),
    ("how many exchanges are open in iJO1366's default medium but not in the core model's?",
     "0 exchanges open in e_coli_core but not in iJO1366: none."),
])
def test_a_set_difference_of_two_compared_lists(agent: Any, question: str, line: str) -> None:
    f = frame(question)
    assert f.slots.set_difference and not f.unresolved
    st = agent.ask(question)
    answer = st.answer or ""
    assert line in answer and "Unverified" not in answer


def test_a_set_difference_count_is_verified_against_both_lists(agent: Any) -> None:
    st = agent.ask("Which e_coli_core genes are essential anaerobically but not aerobically?")
    thread = agent.thread(st.session_id)
    aerobic = {g["id"] for g in next(e for e in thread.events if e.type == "tool_result" and
                                 e.data.get("tool") == "essential_genes").data["data"]["genes"]}
    m = cobra.io.load_model("textbook")
    with m:
        m.reactions.EX_o2_e.lower_bound = 0
        wt = m.slim_optimize()
        ko = cobra.flux_analysis.single_gene_deletion(m)
    anaerobic = {next(iter(ids)) for ids, g in zip(ko["ids"], ko["growth"], strict=True)
                 if not g > 0.01 * wt}
    n = len(anaerobic - aerobic)
    assert not verify_answer(thread, f"{n} genes are essential anaerobically only.").untraceable
    assert verify_answer(thread, f"{n + 1} genes are essential anaerobically only.").untraceable


# --------------------------------------------------------------- lookups and yields
@pytest.mark.parametrize(("question", "ids", "target", "answer"), [
    ("KEGG id of ModelSEED compound cpd00020", ("cpd00020",), "kegg", "cpd00020 -> C00022"),
    ("ModelSEED reaction for BiGG PGI?", ("PGI",), "modelseed", "PGI -> rxn00558"),
    ("KEGG reaction id for rxn00459 pls", ("rxn00459",), "kegg", "rxn00459 -> R00658"),
])
def test_an_id_asked_in_another_namespace_is_translated(agent: Any, question: str,
                                                        ids: tuple[str, ...], target: str,
                                                        answer: str) -> None:
    f = frame(question)
    assert f.intent == "translate" and f.slots.ids == ids and f.slots.namespace == target
    assert answer in (agent.ask(question).answer or "")


@pytest.mark.parametrize("question", [
    "what reaction(s) does STM4221 catalyse in the salmonella model?",
    "which reactions are catalysed by b4025 in iJO1366?",
])
def test_the_reactions_of_a_gene(agent: Any, question: str) -> None:
    assert frame(question).intent == "info"
    assert "PGI" in (agent.ask(question).answer or "")


@pytest.mark.parametrize(("question", "model"), [
    ("ATP yield: how many mol ATP per mol glucose can the core model make at most (aerobic)?",
     "textbook"),
    ("maximum ATP yield per glucose of iJO1366", "iJO1366"),
])
def test_the_atp_yield_is_the_most_atpm_per_substrate(agent: Any, question: str,
                                                      model: str) -> None:
    assert frame(question).slots.product == "ATPM"
    m = cobra.io.load_model(model)
    m.objective = "ATPM"
    m.reactions.ATPM.upper_bound = 1000
    most = m.slim_optimize()
    answer = agent.ask(question).answer or ""
    assert f"yield {most / 10:.6g} mol/mol" in answer
    assert "C-mol" not in answer and "g/g" not in answer  # ATPM makes no one metabolite


@pytest.mark.parametrize(("question", "line"), [
    ("is succinate in the default medium of e_coli_core? what's its uptake limit?",
     "succinate: not in the medium (its uptake limit is 0 mmol/gDW/h)."),
    ("does the iJO1366 medium contain glucose?",
     "glucose: in the medium (EX_glc__D_e ≤ 10 mmol/gDW/h)."),
])
def test_a_nutrient_in_or_not_in_the_medium(agent: Any, question: str, line: str) -> None:
    assert line in (agent.ask(question).answer or "")


@pytest.mark.parametrize(("question", "kept"), [
    ("L-lactate... sorry, I mean D-lactate, yield from glucose in salmonella anaerobically",
     "D-lactate, yield from glucose in salmonella anaerobically"),
    ("Use a demand reaction for glycogen? no - for L-glutamate (glu__L_c) in iJO1366",
     "Use a demand reaction for L-glutamate (glu__L_c) in iJO1366"),
    ("knock out pfkA, I meant pfkB", "knock out pfkB"),
])
def test_a_correction_replaces_what_it_corrects(question: str, kept: str) -> None:
    assert analyse(question).raw == kept


@pytest.mark.parametrize("question", ["sorry to bother you, what is the growth of iJO1366?",
                                      "is there no growth without oxygen? no - really"])
def test_a_word_like_sorry_or_no_is_no_correction(question: str) -> None:
    assert analyse(question).raw == question


@pytest.mark.parametrize("question", [
    "iJO1366 nitrogen sources (5 mmol/gDW/h each, NH4 closed): L-glutamine, L-glutamate, "
    "L-aspartate. growth on each?",
    "compare these nitrogen sources for iJO1366, each at 5: L-glutamine, L-glutamate and "
    "L-aspartate",
])
def test_a_list_of_element_sources_after_the_element(question: str) -> None:
    f = frame(question)
    assert f.slots.element_sources == (("nitrogen", "l-glutamine", 5.0),
                                       ("nitrogen", "l-glutamate", 5.0),
                                       ("nitrogen", "l-aspartate", 5.0))
    assert not f.unresolved


@pytest.mark.parametrize("question", [
    "compare iJO1366 aerobic vs anaerobic on glucose and on glycerol (four runs)",
    "iJO1366 on glucose and on glycerol, each with and without oxygen: growth?",
])
def test_oxygen_both_ways_on_each_of_several_carbon_sources(agent: Any, question: str) -> None:
    st = agent.ask(question)
    answer = st.answer or ""
    m = cobra.io.load_model("iJO1366")
    for carbon, ex in (("glycerol", "EX_glyc_e"), ("glucose", "EX_glc__D_e")):
        with m:
            m.reactions.EX_glc__D_e.lower_bound = 0
            m.reactions.get_by_id(ex).lower_bound = -10
            m.reactions.EX_o2_e.lower_bound = 0
            assert f"anaerobic {carbon}: iJO1366 grows at {m.slim_optimize():.6g}" in answer
    assert "Not understood" not in answer


@pytest.mark.parametrize("question", [
    "relative growth change (percent) of the ppc knockout grown on acetate, compared with wild "
    "type on acetate",
    "growth of the pgi knockout grown anaerobically in the core model",
])
def test_a_word_after_a_postfix_knockout_is_no_gene(question: str) -> None:
    f = frame(question)
    assert f.intent == "knockout" and len(f.slots.knockouts) == 1 and not f.unresolved


def test_a_percent_change_within_solver_noise_is_zero(agent: Any) -> None:
    m = cobra.io.load_model("textbook")
    m.reactions.EX_glc__D_e.lower_bound, m.reactions.EX_ac_e.lower_bound = 0, -10
    wild = m.slim_optimize()
    with m:
        m.genes.b3956.knock_out()
        assert m.slim_optimize() == pytest.approx(wild, abs=1e-9)  # ppc is not needed on acetate
    answer = agent.ask("percent change in growth of the ppc knockout in e_coli_core on acetate "
                       "vs wild type on acetate", session_id="noise").answer
    assert "changes by 0% against wild type" in answer and "e-" not in answer, answer
