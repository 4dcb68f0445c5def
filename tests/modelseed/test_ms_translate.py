"""translate_ids between ModelSEED, BiGG, KEGG and MetaCyc, for ids and whole media."""

from __future__ import annotations

import cobra
from mskit import ctx, err, run

from fluxagent.config import Settings


def test_compound_and_reaction_ids(shared_settings: Settings) -> None:
    c = ctx(shared_settings)
    to_seed = run("translate_ids", {"target": "modelseed", "ids": [
        "glc__D", "glc__D_e", "EX_glc__D_e", "C00031", "PGI", "R00771", "nonsense_x"]},
        c).data["mapping"]
    assert to_seed == {"glc__D": "cpd00027", "glc__D_e": "cpd00027_e0",
                       "EX_glc__D_e": "EX_cpd00027_e0", "C00031": "cpd00027",
                       "PGI": "rxn00558", "R00771": "rxn00558", "nonsense_x": None}
    res = run("translate_ids", {"target": "bigg", "ids": [
        "cpd00027", "cpd00027_e0", "EX_cpd00027_e0", "rxn00558", "rxn00558_c0"]}, c)
    assert res.data["mapping"] == {"cpd00027": "glc__D", "cpd00027_e0": "glc__D_e",
                                   "EX_cpd00027_e0": "EX_glc__D_e", "rxn00558": "PGI",
                                   "rxn00558_c0": "PGI_c"}
    kegg = run("translate_ids", {"target": "kegg", "ids": ["glc__D", "PGI", "cpd00027"]},
               c).data["mapping"]
    assert kegg == {"glc__D": "C00031", "PGI": "R00771", "cpd00027": "C00031"}
    metacyc = run("translate_ids", {"target": "metacyc", "ids": ["cpd00027"]}, c).data
    assert metacyc["mapping"]["cpd00027"] == "Glucopyranose"
    assert err("translate_ids", {"target": "bigg"}, c).kind == "bad_arguments"


def test_ambiguous_ids_prefer_the_models(shared_settings: Settings) -> None:
    # ModelSEED cpd00013 is both BiGG nh3 and nh4; e_coli_core has nh4
    c = ctx(shared_settings)
    res = run("translate_ids", {"target": "bigg", "ids": ["cpd00013_e0"],
                                "model": "e_coli_core"}, c).data["translations"][0]
    assert res["id"] == "nh4_e" and set(res["candidates"]) >= {"nh3", "nh4"}


def test_e_coli_core_medium_round_trip_is_lossless(shared_settings: Settings) -> None:
    c = ctx(shared_settings, "e_coli_core")
    original = c.model("e_coli_core").medium
    seed = run("translate_ids", {"target": "modelseed", "model_medium": True}, c).data
    assert not seed["medium_unmapped"]
    assert seed["medium"]["EX_cpd00027_e0"] == original["EX_glc__D_e"] == 10
    assert len(seed["medium"]) == len(original) == 7
    back = run("translate_ids", {"target": "bigg", "medium": seed["medium"],
                                 "model": "e_coli_core"}, c).data
    assert back["medium"] == original


def test_modelseed_medium_applies_to_a_bigg_model(shared_settings: Settings) -> None:
    c = ctx(shared_settings, "e_coli_core")
    res = run("translate_ids", {"target": "bigg", "medium_name": "glucose_minimal",
                                "model": "e_coli_core", "apply": True}, c)
    medium = res.data["medium"]
    assert medium["EX_glc__D_e"] == 10 and medium["EX_o2_e"] == 20 and medium["EX_nh4_e"] == 100
    assert set(medium) <= {r.id for r in c.model("e_coli_core").exchanges}
    # trace metals have BiGG ids but no exchange in e_coli_core: reported, not dropped silently
    assert "cpd00063" in res.data["not_in_model"]  # Ca2+
    (effect,) = res.effects
    assert effect == {"op": "set_medium", "model": "e_coli_core", "medium": medium}
    after = ctx(shared_settings, "e_coli_core", {"e_coli_core": "e_coli_core"},
                {"e_coli_core": [effect]}, store=c.models)  # type: ignore[arg-type]
    fba = run("run_fba", {}, after).data
    reference = cobra.io.load_model("textbook")
    reference.medium = medium
    assert abs(fba["growth_rate"] - reference.slim_optimize()) < 1e-6
    assert fba["growth_rate"] > 0.5


def test_bridge_for_entity_linking() -> None:
    from fluxagent.tools.modelseed.bridge import bigg_for_seed, seed_for_bigg
    assert seed_for_bigg("glc__D") == ("cpd00027",)
    assert seed_for_bigg("nh4")[0] == "cpd00013" and bigg_for_seed("cpd00013") == ("nh3", "nh4")
    assert seed_for_bigg("PGI", "reaction")[0] == "rxn00558"
    assert bigg_for_seed("rxn00558", "reaction") == ("PGI", "PGI1_1")
    assert seed_for_bigg("not_a_bigg_id") == ()
