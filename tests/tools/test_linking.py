"""Entity linking: ids, names, synonyms, gene names; ambiguity and unknowns fail precisely."""

from __future__ import annotations

import cobra
import pytest
from toolctx import STORE, reference, state

from fluxagent.tools.linking import link, link_many, met_base, reactions_of_genes
from fluxagent.tools.results import ToolFailure


@pytest.fixture(scope="module")
def core():  # type: ignore[no-untyped-def]
    return reference()


@pytest.mark.parametrize(("text", "kind", "expected"), [
    ("EX_glc__D_e", "exchange", "EX_glc__D_e"),
    ("ex_glc__d_e", "exchange", "EX_glc__D_e"),
    ("glucose", "exchange", "EX_glc__D_e"),
    ("D-glucose", "exchange", "EX_glc__D_e"),
    ("D-Glucose", "exchange", "EX_glc__D_e"),
    ("glc__D", "exchange", "EX_glc__D_e"),
    ("glc__D_e", "exchange", "EX_glc__D_e"),
    ("oxygen", "exchange", "EX_o2_e"),
    ("O2", "exchange", "EX_o2_e"),
    ("acetate", "exchange", "EX_ac_e"),
    ("succinate", "exchange", "EX_succ_e"),
    ("succ", "exchange", "EX_succ_e"),
    ("alpha-ketoglutarate", "exchange", "EX_akg_e"),
    ("2-oxoglutarate", "exchange", "EX_akg_e"),
    ("akg", "exchange", "EX_akg_e"),
    ("fumarate", "exchange", "EX_fum_e"),
    ("lactate", "exchange", "EX_lac__D_e"),
    ("D-lactate", "exchange", "EX_lac__D_e"),
    ("ethanol", "exchange", "EX_etoh_e"),
    ("formate", "exchange", "EX_for_e"),
    ("ammonium", "exchange", "EX_nh4_e"),
    ("Acetate exchange", "reaction", "EX_ac_e"),
    ("PFK", "reaction", "PFK"),
    ("pfk", "reaction", "PFK"),
    ("R_PFK", "reaction", "PFK"),
    ("phosphofructokinase", "reaction", "PFK"),
    ("pgi", "gene", "b4025"),
    ("PGI", "gene", "b4025"),
    ("b4025", "gene", "b4025"),
    ("sdhA", "gene", "b0723"),
    ("gapA", "gene", "b1779"),
    ("pyr_c", "metabolite", "pyr_c"),
])
def test_unique_matches(core, text: str, kind: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert link(core, text, kind) == expected  # type: ignore[arg-type]


def test_ambiguous_and_unknown_fail_with_hints(core) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ToolFailure) as exc:
        link(core, "acetate", "metabolite")
    assert exc.value.kind == "unknown_id" and "ac_c" in exc.value.hint \
        and "ac_e" in exc.value.hint and "ambiguous" in exc.value.message
    assert link(core, "acetate", "metabolite", compartment="c") == "ac_c"
    with pytest.raises(ToolFailure) as exc:
        link(core, "EX_glc", "exchange")
    assert "EX_glc__D_e" in exc.value.hint and exc.value.data["candidates"][0] == "EX_glc__D_e"
    with pytest.raises(ToolFailure) as exc:
        link(core, "pgii", "gene")
    assert "b4025 (pgi)" in exc.value.hint
    with pytest.raises(ToolFailure) as exc:
        link(core, "unobtainium", "exchange")
    assert exc.value.kind == "unknown_id"
    with pytest.raises(ToolFailure) as exc:
        link_many(core, ["pgi", "nope1", "nope2"], "gene")
    assert "nope1" in exc.value.message and "nope2" in exc.value.message
    with pytest.raises(ToolFailure) as exc:
        link(core, "  ", "gene")
    assert exc.value.kind == "bad_arguments"


def test_genome_scale_lactate_is_ambiguous_but_d_lactate_is_not() -> None:
    big = STORE.build("iJO1366", state())
    with pytest.raises(ToolFailure) as exc:
        link(big, "lactate", "exchange")
    assert "EX_lac__D_e" in exc.value.hint and "EX_lac__L_e" in exc.value.hint
    assert link(big, "D-lactate", "exchange") == "EX_lac__D_e"
    assert link(big, "L-lactate", "exchange") == "EX_lac__L_e"
    assert link(big, "glucose", "exchange") == "EX_glc__D_e"
    assert link(big, "pykF", "gene") == "b1676"
    assert link(big, "succinate", "exchange") == "EX_succ_e"


def test_helpers(core) -> None:  # type: ignore[no-untyped-def]
    assert met_base("glc__D_e") == "glc__D" and met_base("h2o") == "h2o"
    assert reactions_of_genes(core, ["b4025"]) == ["PGI"]
    assert reactions_of_genes(core, ["b1723"]) == []  # isozyme left: nothing disabled
    assert set(reactions_of_genes(core, ["b1723", "b3916"])) == {"PFK"}


def test_index_sees_a_reaction_swapped_inside_with_blocks() -> None:
    """Two items tested one after the other, each adding its own exchange in a ``with model:``
    block, leave the model the same size: the index must not keep the first one's exchange."""
    from fluxagent.tools.linking.resolve import exchange_ids

    m = reference()
    for rid in ("EX_first_e", "EX_second_e"):
        with m:
            met = cobra.Metabolite(rid[3:], compartment="e")
            m.add_boundary(met, type="exchange", reaction_id=rid)
            ids = exchange_ids(m)
            assert rid in ids and not {"EX_first_e", "EX_second_e"} - {rid} & set(ids)
    assert not {"EX_first_e", "EX_second_e"} & set(exchange_ids(m))
