"""`fluxagent tools list|run` through typer's CliRunner on the sub-app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluxagent.cli.tools import app
from fluxagent.config import get_settings


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from toolctx import DATA_DIR

    monkeypatch.setenv("FLUXAGENT_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    cache = tmp_path / "cache"
    cache.parent.mkdir(parents=True, exist_ok=True)
    if (DATA_DIR / "cache").is_dir():  # reuse parsed models (keyed by content hash)
        cache.symlink_to(DATA_DIR / "cache")
    yield CliRunner()
    get_settings.cache_clear()


def test_list(runner: CliRunner) -> None:
    res = runner.invoke(app, ["list"])
    assert res.exit_code == 0
    for name in ("run_fba", "essential_genes", "run_fva", "flux_sampling", "load_model"):
        assert name in res.stdout
    specs = json.loads(runner.invoke(app, ["list", "--json"]).stdout)
    fba = next(s for s in specs if s["name"] == "run_fba")
    assert "conditions" in fba["parameters"]["properties"]


def test_run_essential_genes_table_and_csv(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(app, ["run", "essential_genes", "--args", '{"model": "e_coli_core"}'])
    assert res.exit_code == 0, res.output
    for gene in ("b0720", "gltA", "b2926", "pgk"):
        assert gene in res.stdout
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("artifact:"))
    path = Path(line.split("→", 1)[1].strip())
    assert path.is_file() and str(path).startswith(str(tmp_path))
    assert path.read_text().startswith("id,name,growth")


def test_run_json_and_model_option(runner: CliRunner) -> None:
    res = runner.invoke(app, ["run", "run_fba", "--json", "--model", "textbook",
                              "--args", '{"conditions": {"oxygen": false}}'])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["ok"] is True and round(doc["data"]["growth_rate"], 6) == 0.211663
    assert doc["provenance"]["model_id"] == "e_coli_core"


def test_errors_exit_non_zero_with_one_line(runner: CliRunner) -> None:
    bad = runner.invoke(app, ["run", "run_fba", "--args", "{not json"])
    assert bad.exit_code == 1 and "not valid JSON" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    arr = runner.invoke(app, ["run", "run_fba", "--args", "[1]"])
    assert arr.exit_code == 1 and "JSON object" in arr.output
    unknown = runner.invoke(app, ["run", "knockout_genes", "--args", '{"genes": ["pgii"]}'])
    assert unknown.exit_code == 1 and "unknown_id" in unknown.output and "b4025" in unknown.output
    assert len(unknown.output.strip().splitlines()) == 1
    tool = runner.invoke(app, ["run", "no_such_tool"])
    assert tool.exit_code == 1 and "unknown_tool" in tool.output
    typed = runner.invoke(app, ["run", "run_fva", "--args", '{"fraction_of_optimum": "x"}'])
    assert typed.exit_code == 1 and "bad_arguments" in typed.output
