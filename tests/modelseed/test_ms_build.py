"""build_model_from_genome on the example E. coli genome (numbers from the data README)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mskit import CORE_GROWTH, EXAMPLE_GENOME, ctx, err, load, model_files, run, use

from fluxagent.config import Settings


def test_core_v6_draft_matches_the_verified_numbers(fresh: Settings) -> None:
    c = ctx(fresh)
    res = run("build_model_from_genome", {"genome": str(EXAMPLE_GENOME)}, c)
    d = res.data
    assert (d["reactions"], d["metabolites"], d["genes"]) == (180, 147, 231)
    assert d["growth_rate"] == pytest.approx(CORE_GROWTH, abs=1e-4)
    assert d["template"] == "Core-V6" and d["biomass"] == ["bio1", "bio2"]
    (effect,) = res.effects
    assert effect["op"] == "use_model" and effect["base"].startswith("file:")
    assert effect["model"] == d["model"] == "draft_219790_10_1"
    assert model_files(fresh) == [effect["base"][5:]]
    assert res.provenance.model_hash and res.provenance.versions["modelseedpy"] == "0.4.2"
    # the saved draft is what the model store serves: FBA on it gives the same growth
    fba = run("run_fba", {}, use(c, effect)).data
    assert fba["growth_rate"] == pytest.approx(CORE_GROWTH, abs=1e-4)
    assert fba["objective"] == "bio1"
    model = load(fresh, effect["base"])
    assert model.reactions.bio2.reaction  # ATP hydrolysis of the core biomass recipe
    assert model.slim_optimize() == pytest.approx(CORE_GROWTH, abs=1e-4)


@pytest.mark.parametrize("template", ["Core-V5.2", "CoreModelTemplateV5", "core"])
def test_other_core_templates_give_the_same_draft(fresh: Settings, template: str) -> None:
    d = run("build_model_from_genome", {"genome": str(EXAMPLE_GENOME), "template": template,
                                        "name": "other"}, ctx(fresh)).data
    assert (d["reactions"], d["metabolites"], d["genes"]) == (180, 147, 231)
    assert d["growth_rate"] == pytest.approx(CORE_GROWTH, abs=1e-4)


def test_template_from_a_user_file(fresh: Settings, tmp_path: Path) -> None:
    from fluxagent.tools.modelseed._common import TEMPLATES
    user = tmp_path / "MyTemplate.json"
    user.write_bytes((TEMPLATES / "Core-V6.json").read_bytes())
    d = run("build_model_from_genome", {"genome": str(EXAMPLE_GENOME), "template": str(user)},
            ctx(fresh)).data
    assert d["template"] == "MyTemplate.json" and (d["reactions"], d["genes"]) == (180, 231)
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"reactions": []}')
    e = err("build_model_from_genome", {"genome": str(EXAMPLE_GENOME), "template": str(bogus)},
            ctx(fresh))
    assert e.kind == "bad_arguments" and "not a ModelSEED template" in e.message


def test_feature_function_table_and_inline_functions(fresh: Settings, tmp_path: Path) -> None:
    genome = json.loads(EXAMPLE_GENOME.read_text())
    lines = ["feature_id\tfunction"]
    for f in genome["features"]:
        lines += [f"{f['id']}\t{fn}" for fn in f.get("functions", [])]
    table = tmp_path / "ecoli_functions.tsv"
    table.write_text("\n".join(lines) + "\n")
    d = run("build_model_from_genome", {"genome": str(table)}, ctx(fresh)).data
    assert (d["reactions"], d["metabolites"], d["genes"]) == (180, 147, 231)
    assert d["model"] == "draft_ecoli_functions"
    inline = {f["id"]: f["functions"] for f in genome["features"] if f.get("functions")}
    d2 = run("build_model_from_genome", {"functions": inline, "name": "inline"}, ctx(fresh)).data
    assert (d2["reactions"], d2["genes"]) == (180, 231)


def test_bad_genomes_and_templates_write_nothing(fresh: Settings, tmp_path: Path) -> None:
    c = ctx(fresh)
    empty = tmp_path / "no_functions.json"
    empty.write_text(json.dumps({"id": "x", "features": [{"id": "g1", "functions": []},
                                                         {"id": "g2"}]}))
    e = err("build_model_from_genome", {"genome": str(empty)}, c)
    assert e.kind == "bad_arguments" and "none has a function" in e.message
    assert "annotate_genome" in e.hint
    e = err("build_model_from_genome", {"genome": str(EXAMPLE_GENOME), "template": "Core-V9"}, c)
    assert e.kind == "unknown_id" and "Core-V6" in e.hint
    e = err("build_model_from_genome", {"genome": str(tmp_path / "missing.json")}, c)
    assert e.kind == "bad_arguments" and "not found" in e.message
    broken = tmp_path / "broken.json"
    broken.write_text('{"features": [')
    assert err("build_model_from_genome", {"genome": str(broken)}, c).kind == "bad_arguments"
    e = err("build_model_from_genome", {"genome": str(EXAMPLE_GENOME), "medium": "Nope"}, c)
    assert e.kind == "unknown_id"
    e = err("build_model_from_genome", {"genome": str(EXAMPLE_GENOME),
                                        "template": "universal"}, c)
    assert e.kind == "bad_arguments"
    e = err("build_model_from_genome", {"functions": {"g1": "Hypothetical protein"}}, c)
    assert e.kind == "bad_arguments" and "no reaction" in e.message
    assert model_files(fresh) == []


def test_importing_modelseedpy_keeps_stdout_clean() -> None:
    code = ("from fluxagent.tools.modelseed._common import modelseedpy; "
            "m = modelseedpy(); assert m.MSBuilder")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert "modelseedpy 0.4.2" in out.stderr
