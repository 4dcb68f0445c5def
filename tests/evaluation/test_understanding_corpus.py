"""The understanding corpus (eval/understanding): its shape, and a stratified sample of its dev
split through the real agent — no silent wrong answer, and the pass rate it had when measured."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from fluxagent.evaluation import load_cases, run_cases

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "eval" / "understanding"


def test_corpus_shape() -> None:
    dev, hold = load_cases(CORPUS / "dev.yaml"), load_cases(CORPUS / "holdout.yaml")
    assert len(dev) + len(hold) >= 300
    assert not {c.id for c in dev} & {c.id for c in hold}
    assert all(c.category for c in (*dev, *hold))
    per_dev, per_hold = Counter(c.category for c in dev), Counter(c.category for c in hold)
    assert set(per_dev) == set(per_hold) and len(per_dev) >= 25  # every category in both
    assert 0.25 <= len(hold) / (len(dev) + len(hold)) <= 0.4
    assert (CORPUS / "references.py").is_file()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Every fifth dev case, in id order (deterministic, all categories represented)."""
    cases = sorted(load_cases(CORPUS / "dev.yaml"), key=lambda c: c.id)[::5]
    return run_cases(cases, decider="offline", source="understanding sample")


def test_sample_has_no_silent_wrong_answer(sample) -> None:  # type: ignore[no-untyped-def]
    silent = [f"{r.case.id}: {r.score.failures} | {r.answer[:160]}" for r in sample.runs
              if r.outcome == "silent_wrong"]
    assert not silent, "\n".join(silent)


def test_sample_pass_rate(sample) -> None:  # type: ignore[no-untyped-def]
    failed = [f"{r.case.id} ({r.outcome}): {r.score.failures}" for r in sample.runs
              if r.outcome != "pass"]
    assert sample.pass_rate >= 0.85, "\n".join(failed)
