"""The dev set and the paraphrase set through the real agent (offline planner, real tools),
and the ``fluxagent eval`` command."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from fluxagent.evaluation import load_cases, run_cases

ROOT = Path(__file__).resolve().parents[2]
DEV_SET = ROOT / "eval" / "dev_queries.yaml"
PARAPHRASES = ROOT / "eval" / "paraphrases.yaml"


def _failures(result) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(f"{r.case.id}: {r.score.failures} | {r.answer[:200]}"
                     for r in result.runs if not r.score.passed)


def test_dev_set_passes_at_least_90_percent() -> None:
    result = run_cases(load_cases(DEV_SET), decider="offline")
    assert result.pass_rate >= 0.9, _failures(result)
    assert result.seconds < 240  # target: under 2 minutes on a quiet machine


def test_paraphrase_set_passes_at_least_90_percent() -> None:
    result = run_cases(load_cases(PARAPHRASES), decider="offline")
    assert result.pass_rate >= 0.9, _failures(result)


def test_eval_command_prints_table_and_writes_report(tmp_path: Path) -> None:
    from fluxagent.cli import app
    report = tmp_path / "report.json"
    out = CliRunner().invoke(app, ["eval", str(DEV_SET), "--decider", "offline",
                                   "--only", "D02,D04", "--report", str(report)])
    assert out.exit_code == 0, out.output
    assert "passed 2/2" in out.output and "D02" in out.output
    doc = json.loads(report.read_text())
    assert doc["cases"] == 2 and doc["pass_rate"] == 1.0 and doc["decider"] == "offline"
    assert doc["runs"][0]["tools"] and "0.211663" in doc["runs"][0]["answer"]


def test_eval_command_rejects_a_bad_file(tmp_path: Path) -> None:
    from fluxagent.cli import app
    bad = tmp_path / "bad.yaml"
    bad.write_text("not: [a list")
    out = CliRunner().invoke(app, ["eval", str(bad)])
    assert out.exit_code == 1 and "not valid YAML" in out.output
