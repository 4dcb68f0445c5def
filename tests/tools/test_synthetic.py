"""synthetic_lethals against cobrapy's single and double deletions on e_coli_core."""

from __future__ import annotations

from cobra.flux_analysis import (
    double_gene_deletion,
    double_reaction_deletion,
    single_gene_deletion,
    single_reaction_deletion,
)
from toolctx import err, reference, run


def _cobrapy(kind: str, partner: str | None) -> set[frozenset[str]]:
    model = reference()
    wild = model.slim_optimize()
    single = single_gene_deletion if kind == "gene" else single_reaction_deletion
    double = double_gene_deletion if kind == "gene" else double_reaction_deletion
    alone = {next(iter(ids)) for ids, g in zip(single(model).ids, single(model).growth,
                                                   strict=True) if not g >= 0.01 * wild}
    table = model.genes if kind == "gene" else model.reactions
    viable = [x.id for x in table if x.id not in alone]
    first = [partner] if partner else viable
    res = double(model, first, viable, processes=1)
    return {frozenset(ids) for ids, g in zip(res.ids, res.growth, strict=True)
            if len(ids) == 2 and not g >= 0.01 * wild and not ids & alone}


def test_all_gene_pairs_equal_cobrapy() -> None:
    res = run("synthetic_lethals", {"model": "e_coli_core", "kind": "gene"})
    got = {frozenset(p) for p in res.data["pairs"]}
    assert got == _cobrapy("gene", None) and res.data["count"] == len(got) == 53


def test_partners_of_one_reaction_equal_cobrapy() -> None:
    res = run("synthetic_lethals", {"model": "e_coli_core", "kind": "reaction",
                                    "partner": "PGI"})
    assert {frozenset(("PGI", p)) for p in res.data["partners"]} == _cobrapy("reaction", "PGI")
    assert res.data["count"] == len(res.data["partners"]) == 15


def test_an_essential_partner_is_a_clear_error() -> None:
    e = err("synthetic_lethals", {"model": "e_coli_core", "partner": "gapA"})
    assert e.kind == "bad_arguments" and "lethal on its own" in e.message


def test_one_pair_equals_cobrapys_single_and_double_deletions() -> None:
    """'are pgi and zwf synthetic lethal?': each single and the double deletion, by name."""
    model = reference()
    wild = model.slim_optimize()
    singles = single_gene_deletion(model, ["b4025", "b1852"], processes=1)
    double = double_gene_deletion(model, ["b4025"], ["b1852"], processes=1)
    res = run("synthetic_lethals", {"model": "e_coli_core", "pair": ["pgi", "zwf"]})
    assert res.data["pair"] == ["b4025", "b1852"]
    for ids, g in zip(singles.ids, singles.growth, strict=True):
        assert abs(res.data["single_growth"][next(iter(ids))] - g) < 1e-9
    g2 = double.growth.iloc[0]
    assert res.data["double_growth"] == (0.0 if g2 != g2 else g2)  # infeasible: no growth
    assert res.data["synthetic_lethal"] is (not g2 >= 0.01 * wild)
    assert "synthetic lethal" in res.summary and "b4025 alone" in res.summary


def test_a_pair_with_a_member_lethal_alone_is_not_synthetic_lethal() -> None:
    res = run("synthetic_lethals", {"model": "e_coli_core", "kind": "reaction",
                                    "pair": ["PGK", "PGI"]})
    assert res.data["synthetic_lethal"] is False and res.data["lethal_alone"] == ["PGK"]
    assert "PGK lethal alone" in res.summary
    assert "same" in err("synthetic_lethals", {"pair": ["pgi", "b4025"]}).message
