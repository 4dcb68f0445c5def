"""The compositional interpretation: every condition type, analysis type and entity kind on at
least two phrasings, and phrases the planner cannot represent land in ``unresolved``."""

from __future__ import annotations

from typing import Any

import pytest

from fluxagent.llm.offline.dialog import interpret
from fluxagent.llm.offline.frame import Frame
from fluxagent.llm.offline.interpretation import describe
from fluxagent.llm.offline.plan import sections_of
from fluxagent.llm.offline.text import analyse


def understood(q: str) -> tuple[Frame, dict[str, Any]]:
    f = interpret(analyse(q))
    return f, describe(sections_of(f), f.slots.model)


def conds(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["type"]: c for c in doc["conditions"]}


def analyses(doc: dict[str, Any]) -> list[str]:
    return [a["type"] for a in doc["analyses"]]


CONDITIONS = [
    # (question, condition type, expected fields)
    ("Grow iJO1366 on xylose capped at 3. Growth rate?", "sole_carbon_source",
     {"metabolite": "xylose", "max_uptake": 3.0}),
    ("How fast does e_coli_core grow with succinate as the only carbon source, uptake limited "
     "to 4 mmol/gDW/h?", "sole_carbon_source", {"metabolite": "succinate", "max_uptake": 4.0}),
    ("Growth of e_coli_core with phosphate uptake limited to 0.5?", "uptake_limit",
     {"nutrient": "phosphate", "max_uptake": 0.5}),
    ("What is the growth rate of iJO1366 if ammonium uptake is capped at 2 mmol/gDW/h?",
     "uptake_limit", {"nutrient": "ammonium", "max_uptake": 2.0}),
    ("Raise oxygen uptake to 30 and give the growth of e_coli_core.", "oxygen",
     {"value": "aerobic", "max_uptake": 30.0}),
    ("e_coli_core growth with the O2 uptake limited to 5?", "oxygen",
     {"value": "aerobic", "max_uptake": 5.0}),
    ("How fast does e_coli_core grow without oxygen?", "oxygen", {"value": "anaerobic"}),
    ("Anaerobic growth rate of iJO1366?", "oxygen", {"value": "anaerobic"}),
    ("Feed glycerol and succinate together: growth of iJO1366?", "cofeed",
     {"carbon_sources": ["glycerol", "succinate"]}),
    ("Growth of e_coli_core co-feeding fructose with pyruvate?", "cofeed",
     {"carbon_sources": ["fructose", "pyruvate"]}),
    ("Growth of e_coli_core with glutamine as the sole nitrogen source?", "sole_nitrogen_source",
     {"metabolite": "glutamine"}),
    ("iJO1366 growth when the only nitrogen source is glutamate?", "sole_nitrogen_source",
     {"metabolite": "glutamate"}),
    ("Knock out pgi: growth of e_coli_core?", "knockout_genes", {"genes": ["pgi"]}),
    ("Growth rate of the b4025 b1852 double mutant?", "knockout_genes",
     {"genes": ["b4025", "b1852"]}),
    ("Block TKT1 and report the growth of e_coli_core.", "knockout_reactions",
     {"reactions": ["TKT1"]}),
    ("What is the growth of e_coli_core if reaction PFL is disabled?", "knockout_reactions",
     {"reactions": ["PFL"]}),
    ("e_coli_core growth with ATPM at 20?", "reaction_bounds",
     {"reaction": "ATPM", "lower": 20.0}),
    ("How fast does e_coli_core grow when the ATP maintenance demand is set to 15?",
     "reaction_bounds", {"reaction": "ATPM", "lower": 15.0}),
    ("Growth of e_coli_core if I fix PGI at 2?", "reaction_bounds",
     {"reaction": "PGI", "lower": 2.0, "upper": 2.0}),
    ("Maximise the flux through PGK in e_coli_core.", "objective",
     {"reaction": "PGK", "direction": "max"}),
    ("Set the objective to ME1 and optimise e_coli_core.", "objective", {"reaction": "ME1"}),
    ("Maximum succinate production of e_coli_core requiring at least 0.25 1/h of growth?",
     "growth_floor", {"min_growth": 0.25}),
    ("Max acetate secretion when growth must be at least 50% of the optimum?", "growth_floor",
     {"fraction_of_optimum": 0.5}),
]


@pytest.mark.parametrize(("question", "kind", "fields"), CONDITIONS)
def test_condition_types(question: str, kind: str, fields: dict[str, Any]) -> None:
    frame, doc = understood(question)
    found = conds(doc)
    assert kind in found, (question, doc)
    for k, v in fields.items():
        assert found[kind][k] == v, (question, found[kind])
    assert frame.unresolved == (), (question, frame.unresolved)


ANALYSES = [
    ("How fast does iJO1366 grow on glucose?", ["growth"]),
    ("Maximal growth rate of salmonella?", ["growth"]),
    ("What is the flux through PFK in the optimal solution of e_coli_core?", ["flux"]),
    ("Flux of CS in e_coli_core at the optimum?", ["flux"]),
    ("FVA of PFK at 90% of optimal growth", ["fva"]),
    ("Minimum and maximum flux through ENO when growth is kept at 80% of the optimum?",
     ["fva"]),
    ("Which genes are essential in e_coli_core?", ["essential"]),
    ("How many genes are essential in iJO1366?", ["essential"]),
    ("Maximum ethanol production of e_coli_core without oxygen?", ["production"]),
    ("What is the yield of acetate on glucose in e_coli_core?", ["production"]),
    ("Which of glucose, fructose and xylose gives the fastest growth of iJO1366?",
     ["growth", "best_of"]),
    ("Compare growth of e_coli_core on succinate vs acetate, which is highest?",
     ["growth", "best_of"]),
    ("Doubling time of e_coli_core in minutes?", ["growth", "doubling_time"]),
    ("What is the doubling time of iJO1366 on glucose, in hours?",
     ["growth", "doubling_time"]),
    ("By what percent does growth drop when oxygen is removed in e_coli_core?",
     ["growth", "percent_change"]),
    ("Percent change in growth of e_coli_core if pgi is knocked out?",
     ["knockout", "percent_change"]),
    ("Knock out pgi, then report growth and the flux through G6PDH2r.", ["knockout", "flux"]),
    ("Delete zwf in e_coli_core and give the growth rate and the flux of PGI.",
     ["knockout", "flux"]),
    ("What is the ModelSEED id of pyruvate?", ["lookup"]),
    ("What is the EC number of rxn00558?", ["lookup"]),
    ("Translate the BiGG id glc__D to ModelSEED and KEGG", ["translate"]),
    ("Convert succ to ModelSEED ids", ["translate"]),
]


@pytest.mark.parametrize(("question", "expected"), ANALYSES)
def test_analysis_types(question: str, expected: list[str]) -> None:
    frame, doc = understood(question)
    assert analyses(doc) == expected, (question, doc)
    assert frame.unresolved == (), (question, frame.unresolved)


def test_multi_namespace_translation_plans_one_call_per_namespace() -> None:
    from fluxagent.llm.offline.plan import plan
    frame, _ = understood("Translate the BiGG id glc__D to ModelSEED and KEGG")
    calls = plan(frame, current_model=None, specs=[])
    assert [(c.name, c.args["target"]) for c in calls] == [("translate_ids", "modelseed"),
                                                          ("translate_ids", "kegg")]


ENTITIES = [
    ("Knock out STM4085 in salmonella: growth?", "genes", "STM4085"),
    ("Is stm_1234 essential in salmonella?", "genes", "stm_1234"),
    ("Knock out b0720 in e_coli_core", "genes", "b0720"),
    ("What happens to iJO1366 if pfkA is deleted?", "genes", "pfkA"),
    ("Block reaction GAPD in e_coli_core", "reactions", "GAPD"),
    ("Flux through the acetate exchange of e_coli_core", "reactions", "acetate exchange"),
    ("Growth of iJO1366 on xylose", "carbon_source", "xylose"),
    ("e_coli_core grown on D-fructose", "carbon_source", "fructose"),
]


@pytest.mark.parametrize(("question", "slot", "value"), ENTITIES)
def test_entity_kinds(question: str, slot: str, value: str) -> None:
    frame, _ = understood(question)
    got = getattr(frame.slots, slot)
    assert value in (got if isinstance(got, tuple) else (got,)) or \
        any(value in str(g) for g in (got if isinstance(got, tuple) else (got,))), \
        (question, frame.slots.filled())


UNPARSEABLE = [
    ("What is the growth rate of e_coli_core at 42 degrees C?", "42 degrees"),
    ("How fast does iJO1366 grow at pH 5?", "pH"),
    ("Growth of e_coli_core in the presence of ampicillin?", "ampicillin"),
    ("Growth of e_coli_core with 5 mM glucose?", "5 mM"),
    ("Growth of e_coli_core after 3 hours?", "after 3 hours"),
    ("Growth of e_coli_core when PFK expression is halved by regulation?", "regulation"),
    ("Top 7 fluxes of e_coli_core growing on glucose?", "7"),
    ("Growth of e_coli_core with foobarase turned down to 12?", "12"),
]


@pytest.mark.parametrize(("question", "phrase"), UNPARSEABLE)
def test_unparseable_phrases_are_unresolved(question: str, phrase: str) -> None:
    frame, _ = understood(question)
    assert any(phrase.lower() in u.lower() for u in frame.unresolved), \
        (question, frame.unresolved)
    assert frame.confidence < 0.8  # hybrid mode hands such questions to the LLM


def test_a_fully_understood_question_has_confidence_one() -> None:
    frame, _ = understood("Grow iJO1366 on xylose capped at 3. Growth rate?")
    assert frame.unresolved == () and frame.confidence == 1.0


def test_a_knockout_list_with_an_unknown_name_uses_the_rest_and_names_it(tmp_path) -> None:
    """The valid genes are knocked out (growth equals cobrapy's), the unknown one is listed in
    ``unresolved`` and in a visible line — never silently dropped, never aborting the rest."""
    import cobra

    from fluxagent.evaluation.runner import make_eval_agent
    from fluxagent.runtime.interpretation import interpretation

    agent = make_eval_agent("offline", data_dir=tmp_path)
    st = agent.ask("knock out pgi, notagene and zwf in e_coli_core")
    understood, unresolved = interpretation(agent.thread(st.session_id))
    assert st.status == "done" and unresolved == ["notagene"]
    assert "⚠ Not understood" in st.answer and "notagene" in st.answer
    ko = next(c for c in understood["conditions"] if c["type"] == "knockout_genes")
    assert ko["genes"] == ["pgi", "zwf"]
    model = cobra.io.load_model("textbook")
    for g in ("b4025", "b1852"):
        model.genes.get_by_id(g).knock_out()
    assert (model.slim_optimize(error_value=0.0) or 0.0) < 1e-6 and "cannot grow" in st.answer
