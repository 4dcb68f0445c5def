"""Every kind of proposal reconcile_phenotypes makes on iJO1366 is a valid fix: applied by plain
cobrapy (no fluxagent code) to a freshly loaded iJO1366, it moves its item's prediction the
expected way — gap filling from the BiGG universe (a phosphorus source the model misses) and
from a ModelSEED template (a gene the model wrongly calls essential), isozymes and alternative
routes that rescue a knockout the lab finds lethal (and gene-rule edits, checked in
test_phenotypes_gene_rules.py), a transporter cap for an overestimated
growth rate (blocking a transporter that carries a source the lab finds unusable is checked in
test_phenotypes_reconcile.py, on the proposals of the approval test). Each kind of data is
cross-validated: held-out MCC, or held-out Pearson correlation for rates, before and after."""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from toolctx import ctx, phenotype_reference, run, state

IJO = state("iJO1366", {"iJO1366": []})
#: (data set, the disagreements examined, extra arguments)
CASES = {
    "essentiality": ("ecoli_essentiality", ["b0002", "b0243", "b2752"],
                     {"universe": "modelseed"}),
    "phosphorus": ("ecoli_biolog_phosphorus", ["EX_2pg_e"], {"universe": "bigg"}),
    "rates": ("ecoli_growth_rates", ["EX_gal_e", "EX_tre_e"], {}),
}


REF = phenotype_reference()


@pytest.fixture(scope="module")
def proposed() -> dict[str, dict[str, Any]]:
    out = {}
    for name, (dataset, items, extra) in CASES.items():
        res = run("reconcile_phenotypes", {"dataset": dataset, "items": items,
                                           "max_items": len(items), **extra}, ctx(IJO))
        out[name] = res.data | {"summary": res.summary}
    return out


def apply_plain(model: cobra.Model, changes: list[dict[str, Any]]) -> None:
    """A proposal's changes with cobrapy's own API (inside the caller's ``with model:``).
    Added reactions go in without gene rules: their genes are not the model's, and a new
    gene cannot be taken back by cobrapy's context."""
    for ch in changes:
        if ch["op"] == "knockout_reactions":
            for rid in ch["reactions"]:
                model.reactions.get_by_id(rid).knock_out()
        elif ch["op"] == "knockout_genes":
            for gid in ch["genes"]:
                model.genes.get_by_id(gid).knock_out()
        elif ch["op"] == "set_gene_rule":
            model.reactions.get_by_id(ch["reaction"]).gene_reaction_rule = ch["rule"]
        elif ch["op"] == "set_bounds":
            model.reactions.get_by_id(ch["reaction"]).bounds = (ch["lower"], ch["upper"])
        else:
            assert ch["op"] == "add_reactions"
            for spec in ch["reactions"]:
                rxn = cobra.Reaction(spec["id"], spec["name"], lower_bound=spec["lower_bound"],
                                     upper_bound=spec["upper_bound"])
                rxn.add_metabolites({
                    model.metabolites.get_by_id(m) if m in model.metabolites else
                    cobra.Metabolite(m, compartment=m.rsplit("_", 1)[1]): c
                    for m, c in spec["metabolites"].items()})
                model.add_reactions([rxn])


def knockout_growth(model: cobra.Model, gene: str) -> tuple[float, float]:
    """(wild-type growth, growth with ``gene`` knocked out)."""
    wild = model.slim_optimize(error_value=0.0)
    with model:
        model.genes.get_by_id(gene).knock_out()
        return wild, model.slim_optimize(error_value=0.0)


def _of(proposals: list[dict[str, Any]], item: str) -> list[dict[str, Any]]:
    return [p for p in proposals if p["item"] == item]


def test_isozymes_and_alternative_routes_make_a_lab_lethal_knockout_lethal(
        proposed: dict[str, dict[str, Any]], plain_ijo1366: cobra.Model) -> None:
    props = proposed["essentiality"]["proposals"]
    kinds = {p["kind"] for p in props if p["disagreement"] == "FN"}
    assert kinds == {"constrain_isozyme", "block_alternative_route", "gpr_drop_isozyme",
                     "gpr_isozyme_to_complex"}  # rule edits: test_phenotypes_gene_rules.py
    for p in props:
        if p["disagreement"] != "FN":
            continue
        wild, before = knockout_growth(plain_ijo1366, p["item"])
        assert before >= 0.1 * wild  # viable in the model, lethal in the lab
        with plain_ijo1366:
            apply_plain(plain_ijo1366, p["changes"])
            wild_after, after = knockout_growth(plain_ijo1366, p["item"])
        assert after < 0.1 * wild_after and wild_after >= 0.99 * wild, p["title"]
        assert after == pytest.approx(p["check"]["knockout_growth_after"], abs=1e-6)
    isozyme = next(p for p in props if p["kind"] == "constrain_isozyme")
    assert isozyme["changes"][0]["op"] == "knockout_genes" and "rule:" in isozyme["title"]


def test_modelseed_template_rescues_a_gene_the_model_calls_essential(
        proposed: dict[str, dict[str, Any]], plain_ijo1366: cobra.Model) -> None:
    d = proposed["essentiality"]
    assert d["universe"]["template"] == "Core-V6" and d["universe"]["translated"] > 0
    (fill,) = _of(d["proposals"], "b2752")
    assert fill["kind"] == "gapfill" and fill["universe"] == "modelseed"
    added = [s["id"] for ch in fill["changes"] for s in ch["reactions"]]
    assert added and all(r.startswith("rxn") and r not in plain_ijo1366.reactions
                         for r in added)
    wild, before = knockout_growth(plain_ijo1366, "b2752")
    assert before < 0.1 * wild  # essential in the model, not in the lab
    with plain_ijo1366:
        apply_plain(plain_ijo1366, fill["changes"])
        wild_after, after = knockout_growth(plain_ijo1366, "b2752")
    assert after >= 0.1 * wild_after


def test_bigg_gapfill_lets_the_model_grow_on_a_lab_source(
        proposed: dict[str, dict[str, Any]], plain_ijo1366: cobra.Model) -> None:
    (fill,) = _of(proposed["phosphorus"]["proposals"], "EX_2pg_e")
    assert fill["kind"] == "gapfill" and fill["universe"] == "bigg"
    assert "EX_2pg_e" not in plain_ijo1366.reactions  # no growth before: no exchange
    with plain_ijo1366:
        apply_plain(plain_ijo1366, fill["changes"])
        after = REF.grow(plain_ijo1366, "EX_2pg_e", ["EX_pi_e"])
    assert after > 0.01 and after == pytest.approx(fill["check"]["growth_after"], abs=1e-6)


def test_a_transporter_cap_brings_an_overestimated_rate_to_the_measurement(
        proposed: dict[str, dict[str, Any]], plain_ijo1366: cobra.Model) -> None:
    measured = {r["exchange"]: float(r["mu_measured_per_h"])
                for r in REF.rows("growth_rates.tsv") if r["oxygen"] == "aerobic"}
    props = proposed["rates"]["proposals"]
    assert {p["item"] for p in props} == {"EX_gal_e", "EX_tre_e"}
    for p in props:
        assert p["kind"] == "cap_transport" and p["changes"][0]["op"] == "set_bounds"
        before = REF.grow(plain_ijo1366, p["item"], ["EX_glc__D_e"])
        with plain_ijo1366:
            apply_plain(plain_ijo1366, p["changes"])
            after = REF.grow(plain_ijo1366, p["item"], ["EX_glc__D_e"])
        assert before > 1.25 * measured[p["item"]]
        assert after == pytest.approx(measured[p["item"]], rel=1e-4)


def test_every_kind_of_data_is_cross_validated(proposed: dict[str, dict[str, Any]]) -> None:
    for name, d in proposed.items():
        cv = d["cross_validation"]
        assert cv["k"] == 3 and len(cv["folds"]) == 3
        kept = {k for f in cv["folds"] for k in f["kept"]}
        by_id = {p["id"]: p["item"] for p in d["proposals"]}
        for f in cv["folds"]:  # a fold never keeps a fix proposed for its own items
            assert f["test_after"] is not None and f["test_before"] is not None
            assert f["train"] + f["test"] == (d["scores"]["n"])
        assert kept <= set(by_id)
        if name == "rates":
            assert cv["metric"] == "pearson"
            # pooled over the folds, before any fix: the whole data set's correlation (equal
            # to plain cobrapy's, test_phenotypes.py)
            assert cv["held_out_before"] == pytest.approx(d["scores"]["pearson"], abs=1e-12)
            assert "held-out Pearson 0.286 before" in d["summary"]
        else:
            assert cv["metric"] == "mcc"
            assert cv["held_out_mcc_before"] == pytest.approx(d["scores"]["mcc"], abs=1e-12)
            assert f"held-out MCC {d['scores']['mcc']:.3f}"[:-1] in d["summary"]
        assert isinstance(cv["held_out_after"], float)
        for p in d["proposals"]:
            assert p["effect_all_data"]["metric"] == cv["metric"]
