"""Entity linking from each model's own annotations, partial knockouts and ``classify``, on the
real bundled models (e_coli_core, iJO1366, salmonella) and a ModelSEED draft; knockout growth
is compared with plain cobrapy on the same genes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cobra
import pytest
from toolctx import STORE, ctx, err, execute, reference, run, state

from fluxagent.tools.linking import classify, is_known, link, mentions
from fluxagent.tools.linking.index import index
from fluxagent.tools.results import ToolFailure, ToolResult

DRAFT = Path(__file__).resolve().parents[1] / "data" / "modelseed" / "examples" / \
    "example_ecoli_modelseed_model.json"
TOL = 1e-6


@pytest.fixture(scope="module")
def core() -> cobra.Model:
    return reference("textbook")


@pytest.fixture(scope="module")
def ijo() -> cobra.Model:
    return STORE.build("iJO1366", state())


@pytest.fixture(scope="module")
def stm() -> cobra.Model:
    return STORE.build("salmonella", state())


@pytest.fixture(scope="module")
def draft() -> cobra.Model:
    return cobra.io.load_json_model(str(DRAFT))


def fails(model: cobra.Model, text: str, kind: str) -> ToolFailure:
    with pytest.raises(ToolFailure) as exc:
        link(model, text, kind)  # type: ignore[arg-type]
    assert exc.value.kind == "unknown_id"
    return exc.value


def plain_cobrapy_growth(name: str, genes: list[str] = (), reactions: list[str] = (),  # type: ignore[assignment]
                         ) -> float:
    m = reference(name)
    for g in genes:
        m.genes.get_by_id(g).knock_out()
    for r in reactions:
        m.reactions.get_by_id(r).knock_out()
    return float(m.slim_optimize(error_value=0.0))


# ----------------------------------------------------------------------------- genes
def test_salmonella_genes_by_locus_tag_and_name(stm, core, ijo) -> None:  # type: ignore[no-untyped-def]
    for text in ("STM3468", "stm3468", "STM_3468", "stm_3468", "STM-3468", "ArgD", "argD"):
        assert link(stm, text, "gene") == "STM3468", text
    for text in ("STM4085", "stm4085", "STM_4085", "GlpX"):
        assert link(stm, text, "gene") == "STM4085", text
    # a refseq synonym (annotation) of one of salmonella's E. coli genes
    assert link(stm, "JW2007", "gene") == "b2025"
    # the primary name wins over an annotated name of another gene: HisF is STM2077, while
    # b2025's refseq_name is also hisF
    assert link(stm, "hisF", "gene") == "STM2077"
    # argD is salmonella's own: neither E. coli model knows it
    for other in (core, ijo):
        fails(other, "argD", "gene")
        fails(other, "STM3468", "gene")


def test_ijo1366_gene_names_beyond_e_coli_core(ijo, core) -> None:  # type: ignore[no-untyped-def]
    assert not any(g.name for g in ijo.genes if g.id != "s0001"), "iJO1366 grew gene names"
    assert link(ijo, "poxB", "gene") == "b0871"  # pyruvate oxidase: not in e_coli_core
    assert link(ijo, "POXB", "gene") == "b0871"
    fails(core, "poxB", "gene")
    assert link(ijo, "pgi", "gene") == "b4025" and link(ijo, "pykF", "gene") == "b1676"
    assert link(ijo, "b0871", "gene") == "b0871" and link(ijo, "B0871", "gene") == "b0871"
    # accessions the model annotates (ncbigi with its prefix, uniprot) are ids of one gene
    assert link(ijo, "gi:16129338", "gene") == "b1377"
    assert link(ijo, "P0AFL6", "gene") == "b2502"


def test_no_gene_name_is_borrowed_into_a_model_that_lacks_the_gene(draft) -> None:  # type: ignore[no-untyped-def]
    for text in ("pgi", "poxB", "b4025"):
        fails(draft, text, "gene")
    some = draft.genes[0].id
    assert link(draft, some, "gene") == some


# ----------------------------------------------------------------------------- reactions
def test_reaction_names_and_ec_numbers(core, ijo, stm, draft) -> None:  # type: ignore[no-untyped-def]
    # e_coli_core carries no EC numbers: the ModelSEED biochemistry bridges EC -> PGI
    assert link(core, "5.3.1.9", "reaction") == "PGI"
    assert link(core, "EC 4.1.1.49", "reaction") == "PPCK"
    assert link(core, "phosphofructokinase", "reaction") == "PFK"
    assert link(core, "R00771", "reaction") == "PGI"  # KEGG, through the biochemistry
    # iJO1366 and salmonella: their own ec-code annotations
    assert ijo.reactions.PGI.annotation["ec-code"] == "5.3.1.9"
    for model in (ijo, stm):
        assert link(model, "5.3.1.9", "reaction") == "PGI"
        assert link(model, "ec:4.1.1.49", "reaction") == "PPCK"
        assert link(model, "glucose-6-phosphate isomerase", "reaction") == "PGI"
        assert link(model, "pyruvate kinase", "reaction") == "PYK"
    e = fails(ijo, "2.7.1.11", "reaction")  # three PFK reactions: no guess
    assert {"PFK", "PFK_2", "PFK_3"} <= set(e.data["candidates"]) and "ambiguous" in e.message
    e = fails(ijo, "phosphofructokinase", "reaction")
    assert set(e.data["candidates"]) == {"PFK", "PFK_2"}
    # a ModelSEED draft: rxn..._c0 ids, ModelSEED names, EC and BiGG/KEGG ids through the bridge
    for text in ("5.3.1.9", "PGI", "R00771", "glucose-6-phosphate isomerase", "rxn00558"):
        assert link(draft, text, "reaction") == "rxn00558_c0", text
    assert link(draft, "phosphofructokinase", "reaction") == "rxn00545_c0"


def test_metabolite_cross_references_and_formulas(core, ijo, draft) -> None:  # type: ignore[no-untyped-def]
    assert link(core, "C00031", "metabolite") == "glc__D_e"  # KEGG, the model's annotation
    assert link(ijo, "C00031", "metabolite", compartment="c") == "glc__D_c"
    assert set(fails(ijo, "C00031", "metabolite").data["candidates"]) == {
        "glc__D_c", "glc__D_e", "glc__D_p"}
    assert link(ijo, "MNXM41", "exchange") == "EX_glc__D_e"
    assert link(draft, "C00031", "exchange") == "EX_cpd00027_e0"  # via the biochemistry
    # a formula names a metabolite only when one compound has it
    e = fails(core, "C6H12O6", "metabolite")
    assert {"glc__D_e", "fru_e"} <= set(e.data["candidates"])
    assert link(core, "C3H3O3", "metabolite", compartment="c") == "pyr_c"


# ----------------------------------------------------------------------------- classify
def test_classify_answers_the_kind_without_a_tool(core, stm, ijo) -> None:  # type: ignore[no-untyped-def]
    assert classify(stm, "STM4085") == [("gene", "STM4085")]
    assert classify(stm, "stm_4085") == [("gene", "STM4085")]
    assert classify(core, "pgi") == [("gene", "b4025"), ("reaction", "PGI")]
    assert ("exchange", "EX_glc__D_e") in classify(core, "glucose")
    assert ("metabolite", "glc__D_e") in classify(core, "glucose")
    assert classify(ijo, "poxB") == [("gene", "b0871")]
    assert ("reaction", "PGI") in classify(ijo, "5.3.1.9")
    for word in ("what", "grow", "the", "with", "0.5", "", "  "):
        assert classify(core, word) == [] and not is_known(core, word), word
    assert is_known(ijo, "EX_o2_e") and not is_known(ijo, "STM4085")
    assert "poxB" in index(ijo).classified  # cached on the model's index


def test_mentions_are_the_longest_spans_that_name_something(core) -> None:  # type: ignore[no-untyped-def]
    q = "Knock out pgi and glucose-6-phosphate isomerase (EC 2.7.1.11) on D-glucose, please."
    got = [(m.text, m.matches[0]) for m in mentions(core, q, skip=["knock", "out", "and", "on"])]
    assert got == [("pgi", ("gene", "b4025")),
                   ("glucose-6-phosphate isomerase", ("reaction", "PGI")),
                   ("EC 2.7.1.11", ("reaction", "PFK")),
                   ("D-glucose", ("metabolite", "glc__D_e"))]
    first = mentions(core, q)[0]
    assert q[first.start:first.end] == first.text
    # e_coli_core annotates EX_for_e with bigg.reaction 'for': not a reason to call 'for' a
    # reaction (it is formate's base id, so it stays a metabolite and an exchange)
    assert ("reaction", "EX_for_e") not in classify(core, "for")


def test_a_wrong_kind_gets_a_hint_naming_the_right_one(stm) -> None:  # type: ignore[no-untyped-def]
    e = fails(stm, "STM4085", "reaction")
    assert "gene (STM4085)" in e.hint


# ----------------------------------------------------------------------------- partial
def _ok(out: Any) -> ToolResult:
    assert isinstance(out, ToolResult), out
    return out


def test_mixed_knockout_list_uses_what_resolves_and_reports_the_rest() -> None:
    res = run("knockout_genes", {"genes": ["pgi", "notagene", "b1852"]})
    assert res.data["genes"] == ["b4025", "b1852"]
    assert res.data["unresolved"] == ["notagene"]
    assert res.data["unresolved_detail"][0]["kind"] == "gene"
    assert "not found: notagene (gene)" in res.summary and "b4025 (pgi)" in res.summary
    assert res.data["growth_rate"] == pytest.approx(
        plain_cobrapy_growth("textbook", ["b4025", "b1852"]), abs=TOL)
    # pgi alone is not lethal, pgi + zwf is: both knockouts were applied
    assert res.data["growth_rate"] < 1e-9


def test_mixed_knockout_lists_on_genome_scale_models_equal_cobrapy() -> None:
    big = run("knockout_genes", {"model": "iJO1366", "genes": ["b0002", "notagene", "poxB"]})
    assert big.data["genes"] == ["b0002", "b0871"] and big.data["unresolved"] == ["notagene"]
    assert big.data["growth_rate"] == pytest.approx(
        plain_cobrapy_growth("iJO1366", ["b0002", "b0871"]), abs=TOL)
    sal = run("knockout_genes", {"model": "salmonella",
                                 "genes": ["STM_4085", "stm4086", "notagene", "PfkA"]})
    assert sal.data["genes"] == ["STM4085", "STM4086", "STM4062"]
    assert sal.data["unresolved"] == ["notagene"]
    assert sal.data["growth_rate"] == pytest.approx(
        plain_cobrapy_growth("salmonella", ["STM4085", "STM4086", "STM4062"]), abs=TOL)


def test_nothing_resolvable_stays_unknown_id_with_candidates() -> None:
    e = err("knockout_genes", {"genes": ["notagene", "pgii"]})
    assert e.kind == "unknown_id" and "notagene" in e.message and "pgii" in e.message
    assert "b4025" in e.data["candidates"]
    e = err("run_fba", {"conditions": {"knockout_genes": ["pgii"]}})
    assert e.kind == "unknown_id" and "b4025" in e.data["candidates"]
    e = err("knockout_reactions", {"reactions": ["PFKK"]})
    assert e.kind == "unknown_id" and "PFK" in e.data["candidates"]


def test_an_ambiguous_knockout_is_never_guessed() -> None:
    e = err("knockout_reactions", {"model": "iJO1366",
                                   "reactions": ["phosphofructokinase", "PGI"]})
    assert e.kind == "unknown_id" and "ambiguous" in e.message
    assert set(e.data["candidates"]) >= {"PFK", "PFK_2"}


def test_partial_knockouts_in_conditions_and_other_tools() -> None:
    fba = run("run_fba", {"conditions": {"knockout_genes": ["pgi", "notagene"]}})
    assert fba.data["unresolved"] == ["notagene"]
    assert "not found: notagene (gene)" in fba.summary
    assert fba.data["growth_rate"] == pytest.approx(plain_cobrapy_growth("textbook", ["b4025"]),
                                                    abs=TOL)
    rxn = run("knockout_reactions", {"reactions": ["PFK", "NOTAREACTION"]})
    assert rxn.data["reactions"] == ["PFK"] and rxn.data["unresolved"] == ["NOTAREACTION"]
    assert rxn.data["growth_rate"] == pytest.approx(
        plain_cobrapy_growth("textbook", reactions=["PFK"]), abs=TOL)
    both = run("knockout_genes", {"genes": ["zwf", "nogene"], "conditions": {
        "knockout_reactions": ["PGI", "NORXN"]}})
    assert both.data["unresolved"] == ["nogene", "NORXN"]
    assert both.data["knocked_out"] == ["b1852", "PGI"]
    screen = run("gene_deletion_screen", {"genes": ["pgi", "nope"]})
    assert [r["ids"] for r in screen.data["results"]] == [["b4025"]]
    assert screen.data["unresolved"] == ["nope"] and "not found: nope (gene)" in screen.summary
    moma = _ok(execute("run_moma", {"genes": ["pgi", "nope"]}))
    assert moma.data["unresolved"] == ["nope"]


def test_a_persisted_partial_knockout_keeps_only_what_resolved() -> None:
    res = run("knockout_genes", {"genes": ["pgi", "notagene"], "persist": True})
    assert res.effects == [{"op": "knockout_genes", "model": "e_coli_core",
                            "genes": ["b4025"]}]
    after = run("run_fba", {}, ctx(state("e_coli_core", {"e_coli_core": res.effects})))
    assert after.data["growth_rate"] == pytest.approx(res.data["growth_rate"], abs=TOL)
    assert "unresolved" not in after.data


def test_search_model_puts_what_links_first() -> None:
    hit = run("search_model", {"model": "iJO1366", "query": "poxB"}).data["matches"][0]
    assert (hit["kind"], hit["id"], hit["name"]) == ("gene", "b0871", "poxB")
    assert run("search_model", {"query": "5.3.1.9"}).data["matches"][0]["id"] == "PGI"
    stm = run("search_model", {"model": "salmonella", "query": "stm_4085"}).data["matches"]
    assert stm[0]["id"] == "STM4085"
