"""modelseed_gapfill and atp_safety_check on the Core-V6 draft of the example genome."""

from __future__ import annotations

from pathlib import Path

import cobra
import pytest
from mskit import CORE_GROWTH, EXAMPLE_GENOME, ctx, err, load, model_files, run, use

from fluxagent.config import Settings
from fluxagent.tools.modelseed._common import save_model
from fluxagent.tools.registry import ToolContext

REMOVED = ["rxn00199_c0", "rxn00256_c0", "rxn00777_c0"]  # data README's essential three


@pytest.fixture(scope="module")
def draft_file(tmp_path_factory: pytest.TempPathFactory, index: object) -> Path:
    """The Core-V6 draft of the example genome, built once by the tool."""
    import mskit

    s = mskit.settings(tmp_path_factory.mktemp("draft"))
    res = run("build_model_from_genome", {"genome": str(EXAMPLE_GENOME)}, ctx(s))
    return Path(res.data["path"])


def damaged(s: Settings, draft_file: Path) -> ToolContext:
    """A session whose current model is the draft without the three essential reactions."""
    model = cobra.io.load_json_model(draft_file)
    model.remove_reactions(REMOVED)
    assert model.slim_optimize(error_value=0.0) < 1e-9
    base, _path, _ = save_model(model, s)
    return ctx(s, "damaged", {"damaged": base})


def test_gapfill_restores_growth_and_becomes_the_current_model(fresh: Settings,
                                                              draft_file: Path) -> None:
    c = damaged(fresh, draft_file)
    before = model_files(fresh)
    res = run("modelseed_gapfill", {"medium": "glucose_minimal"}, c)
    d = res.data
    assert {a["id"] for a in d["added"]} == set(REMOVED)
    assert d["growth_before"] == 0 and d["growth_after"] == pytest.approx(CORE_GROWTH, abs=1e-4)
    assert d["energy_cycles"] == [] and "no energy-generating cycle" in res.summary
    (effect,) = res.effects
    assert effect["model"] == "damaged" and effect["base"] != c.state.models["damaged"].base
    assert len(model_files(fresh)) == len(before) + 1
    fba = run("run_fba", {}, use(c, effect)).data
    assert fba["growth_rate"] == pytest.approx(CORE_GROWTH, abs=1e-4)
    saved = load(fresh, effect["base"])
    assert all(r in saved.reactions for r in REMOVED)


def test_the_medium_changes_the_solution(fresh: Settings, draft_file: Path) -> None:
    c = damaged(fresh, draft_file)
    def added(medium: object) -> set[str]:
        res = run("modelseed_gapfill", {"medium": medium, "integrate": False}, c)
        assert res.data["growth_after"] >= 0.01 and not res.effects
        return {a["id"] for a in res.data["added"]}
    glucose = added("glucose_minimal")
    complete = added("Complete")
    succinate = added("Carbon-Succinic-Acid")
    assert glucose == set(REMOVED)
    assert complete == {"rxn00777_c0"}  # a rich medium supplies what the TCA cycle made
    assert "EX_cpd00036_e0" in succinate and succinate != glucose  # succinate uptake added
    assert model_files(fresh) == [c.state.models["damaged"].base[5:]]


def test_infeasible_media_say_why_and_write_nothing(fresh: Settings, draft_file: Path) -> None:
    c = damaged(fresh, draft_file)
    before = model_files(fresh)
    no_p = {"cpd00027": 10, "cpd00007": 20, "cpd00013": 100, "cpd00048": 100,
            "cpd00001": 100, "cpd00067": 100}
    e = err("modelseed_gapfill", {"medium": no_p}, c)
    assert e.kind == "infeasible" and e.data["missing_elements"] == ["P"]
    assert "phosphorus (P)" in e.hint and "phosphate cpd00009" in e.hint
    assert "cpd00002_c0" in e.data["unproducible_precursors"]  # ATP needs phosphate
    e = err("modelseed_gapfill", {"medium": "Carbon-L-Malic-Acid"}, c)
    assert e.kind == "infeasible" and e.data["missing_elements"] == []
    assert e.data["unusable_sources"]["C"] == ["cpd00130 (L-Malate)"]
    assert "cannot be taken up" in e.hint
    e = err("modelseed_gapfill", {"medium": "Carbon-D-Glucos"}, c)
    assert e.kind == "unknown_id" and "Carbon-D-Glucose" in e.hint
    e = err("modelseed_gapfill", {"template": "Core-V9"}, c)
    assert e.kind == "unknown_id" and "universal" in e.hint
    e = err("modelseed_gapfill", {"target": "bio9"}, c)
    assert e.kind == "unknown_id" and "bio1" in e.hint
    assert model_files(fresh) == before


def test_time_limit(fresh: Settings, draft_file: Path) -> None:
    c = damaged(fresh, draft_file)
    before = model_files(fresh)
    c.settings = fresh.model_copy(update={"tool_time_limit_s": 0.5})
    e = err("modelseed_gapfill", {}, c)
    assert e.kind == "timeout" and "FLUXAGENT_TOOL_TIME_LIMIT_S" in e.hint
    assert model_files(fresh) == before


def test_growing_models_and_bigg_models(fresh: Settings, draft_file: Path,
                                        shared_settings: Settings) -> None:
    model = cobra.io.load_json_model(draft_file)
    base, _, _ = save_model(model, fresh)
    res = run("modelseed_gapfill", {}, ctx(fresh, "draft", {"draft": base}))
    assert res.data["added"] == [] and not res.effects and "nothing to gapfill" in res.summary
    e = err("modelseed_gapfill", {"model": "e_coli_core"}, ctx(shared_settings))
    assert e.kind == "bad_arguments" and "ModelSEED ids" in e.message


def test_atp_safe_gapfilling(fresh: Settings, draft_file: Path) -> None:
    res = run("modelseed_gapfill", {"atp_safe": True, "integrate": False},
              damaged(fresh, draft_file))
    assert res.data["growth_after"] > 1.0 and res.data["atp_safe"] is True
    assert res.data["energy_cycles"] == []


def test_atp_safety_check_flags_an_energy_cycle(fresh: Settings, draft_file: Path) -> None:
    model = cobra.io.load_json_model(draft_file)
    base, _, _ = save_model(model, fresh)
    c = ctx(fresh, "draft", {"draft": base})
    ok = run("atp_safety_check", {}, c).data
    assert ok["safe"] is True and ok["energy_cycles"] == [] and ok["unsafe_reactions"] == []
    assert len(ok["selected_media"]) >= 20 and ok["atp_tests"]["empty"] < 1e-3
    # a free ATP synthase (no proton motive force) makes ATP from ADP and phosphate: a cycle
    free = cobra.Reaction("FREE_ATP", "ATP from nothing", "", 0, 1000)
    m = model.metabolites
    free.add_metabolites({m.cpd00008_c0: -1, m.cpd00009_c0: -1, m.cpd00067_c0: -1,
                          m.cpd00002_c0: 1, m.cpd00001_c0: 1})
    model.add_reactions([free])
    base2, _, _ = save_model(model, fresh)
    bad = run("atp_safety_check", {"full": False}, ctx(fresh, "bad", {"bad": base2}))
    assert bad.data["safe"] is False and "UNSAFE" in bad.summary
    atp = next(x for x in bad.data["energy_cycles"] if x["carrier"] == "ATP")
    assert "FREE_ATP" in atp["reactions"]


def test_atp_safety_check_on_a_bigg_model(shared_settings: Settings) -> None:
    res = run("atp_safety_check", {"model": "e_coli_core"}, ctx(shared_settings))
    assert res.data["safe"] is True and res.data["namespace"] == "bigg"
    assert "skipped" in res.summary
