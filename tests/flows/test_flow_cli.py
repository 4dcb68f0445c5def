"""``fluxagent flows ...`` and ``sessions export --format md`` through the real CLI app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluxagent.cli import app
from fluxagent.config import get_settings

BROKEN = Path(__file__).parent / "broken"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("FLUXAGENT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def sessions_count(cli: CliRunner) -> int:
    res = cli.invoke(app, ["sessions", "list"])
    return sum(1 for line in res.stdout.splitlines() if "│" in line and "session" not in line)


def test_list_show_validate_graph(cli: CliRunner, tmp_path: Path) -> None:
    res = cli.invoke(app, ["flows", "list"])
    assert res.exit_code == 0
    for name in ["metabolic_analysis", "model_validation", "pathway_discovery",
                 "media_optimization", "knockout_study"]:
        assert name in res.stdout
    res = cli.invoke(app, ["flows", "show", "knockout_study"])
    assert res.exit_code == 0 and "knockout_genes" in res.stdout
    res = cli.invoke(app, ["flows", "validate", "metabolic_analysis", "model_validation",
                           "pathway_discovery", "media_optimization", "knockout_study"])
    assert res.exit_code == 0, res.output
    assert res.stdout.count("✓") == 5
    res = cli.invoke(app, ["flows", "graph", "model_validation"])
    assert res.exit_code == 0 and res.stdout.startswith("flowchart TD")
    out = tmp_path / "mv.svg"
    res = cli.invoke(app, ["flows", "graph", "model_validation", "--format", "svg", "-o",
                           str(out)])
    assert res.exit_code == 0 and out.read_text().startswith("<svg")


def test_broken_flow_files_give_clear_errors_and_run_nothing(cli: CliRunner) -> None:
    res = cli.invoke(app, ["flows", "validate", str(BROKEN / "yaml_error.yaml"),
                           str(BROKEN / "unknown_tool.yaml"), str(BROKEN / "cycle.yaml")])
    assert res.exit_code == 1
    text = " ".join(res.output.split())
    assert "YAML error at line 7" in text
    assert "[unknown_tool] state a: no tool named 'grwo'" in text
    assert "[cycle_no_exit]" in text and "never reaches an end state" in text
    for name in ["yaml_error", "unknown_tool", "cycle"]:
        res = cli.invoke(app, ["flows", "run", str(BROKEN / f"{name}.yaml")])
        assert res.exit_code == 1 and "error:" in res.output
        assert "Traceback" not in res.output
    res = cli.invoke(app, ["flows", "run", "no_such_flow"])
    assert res.exit_code == 1 and "no flow named 'no_such_flow'" in res.output
    res = cli.invoke(app, ["flows", "run", "knockout_study"])  # a required input is missing
    assert res.exit_code == 1 and "input 'genes' is required" in " ".join(res.output.split())
    assert sessions_count(cli) == 0


def test_run_replay_rollback_and_markdown_export(cli: CliRunner, tmp_path: Path) -> None:
    res = cli.invoke(app, ["flows", "run", "knockout_study", "-i", "genes=[pgi]", "-i",
                           "moma=false", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    sid = doc["session_id"]
    assert doc["status"] == "done" and "Knocking out b4025" in doc["answer"]
    res = cli.invoke(app, ["flows", "replay", sid])
    assert res.exit_code == 0 and ", 0 differ" in res.stdout
    res = cli.invoke(app, ["flows", "rollback", sid, "knockout"])
    assert res.exit_code == 0 and "rolled back into new session" in res.stdout
    res = cli.invoke(app, ["sessions", "export", sid, "--format", "md", "-o", "-"])
    assert res.exit_code == 0
    md = res.stdout
    assert md.startswith(f"# Session `{sid}`")  # ids are code spans in Markdown (escaping)
    assert "_flow knockout_study: start → **wild_type**_" in md
    assert "**→ knockout_genes**" in md and "### Answer" in md
    out = tmp_path / "t.md"
    res = cli.invoke(app, ["sessions", "export", sid, "--format", "md", "-o", str(out)])
    assert res.exit_code == 0 and out.read_text() == md
    res = cli.invoke(app, ["sessions", "export", sid, "--format", "pdf"])
    assert res.exit_code == 1 and "--format must be json or md" in res.output
