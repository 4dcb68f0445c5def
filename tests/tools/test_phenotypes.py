"""compare_phenotypes reproduces plain cobrapy's confusion matrices and correlations on iJO1366
(eval/phenotypes/reference.py, no fluxagent code); a user file with unknown ids, duplicate rows
or bad values is refused with the offending rows named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cobra
import pytest
from toolctx import ctx, err, phenotype_reference, run, state

GROWTH_SETS = ("carbon", "nitrogen", "phosphorus", "sulfur")


@pytest.fixture(scope="module")
def plain(plain_ijo1366: cobra.Model) -> dict[str, Any]:
    """The reference figures computed by plain cobrapy on a freshly loaded iJO1366."""
    ref = phenotype_reference()
    out: dict[str, Any] = {f"ecoli_biolog_{n}": ref.biolog(plain_ijo1366, n)
                           for n in GROWTH_SETS}
    out["ecoli_growth_rates"] = ref.rates(plain_ijo1366)
    out["ecoli_essentiality"] = ref.essentiality(plain_ijo1366)
    return out


IJO = state("iJO1366", {"iJO1366": []})


@pytest.mark.parametrize("nutrient", GROWTH_SETS)
def test_biolog_confusion_equals_plain_cobrapy(plain: dict[str, Any], nutrient: str) -> None:
    name = f"ecoli_biolog_{nutrient}"
    res = run("compare_phenotypes", {"dataset": name}, ctx(IJO))
    d = res.data
    assert d["scores"]["confusion"] == plain[name]["confusion"]
    assert d["scores"]["mcc"] == pytest.approx(plain[name]["mcc"], abs=1e-12)
    assert len(d["predictions"]) == sum(plain[name]["confusion"].values())
    if nutrient == "carbon":  # the figures
        assert round(d["scores"]["accuracy"], 2) == 0.76 and round(d["scores"]["mcc"], 2) == 0.56
        assert len(d["not_in_model"]) == 31
        assert "accuracy 0.762, MCC 0.556" in res.summary
        fp = {r["id"] for r in d["predictions"] if r["outcome"] == "FP"}
        assert fp == set(d["disagreements"]["FP"]) and len(fp) == 24
        svg = next(a for a in res.artifacts if a.name.endswith(".svg"))
        text = Path(svg.path).read_text() if svg.path else ""
        assert "TP" in text and "54" in text  # the confusion-matrix figure holds the counts


def test_essentiality_equals_plain_cobrapy(plain: dict[str, Any]) -> None:
    res = run("compare_phenotypes", {"dataset": "ecoli_essentiality"}, ctx(IJO))
    s = res.data["scores"]
    assert s["confusion"] == plain["ecoli_essentiality"]["confusion"] == \
        {"TP": 170, "FP": 38, "FN": 83, "TN": 1076}
    assert round(s["accuracy"], 3) == 0.911 and round(s["mcc"], 2) == 0.69
    assert len(res.data["not_in_model"]) == plain["ecoli_essentiality"]["not_in_model"] == 180
    assert "MCC 0.69" in res.summary and "180 listed genes are not in the model" in res.summary


def test_growth_rates_equal_plain_cobrapy(plain: dict[str, Any]) -> None:
    res = run("compare_phenotypes", {"dataset": "ecoli_growth_rates"}, ctx(IJO))
    d = res.data
    pred = [r["predicted"] for r in d["predictions"]]
    assert pred == pytest.approx(plain["ecoli_growth_rates"]["predicted"], abs=1e-8)
    assert d["scores"]["pearson"] == pytest.approx(plain["ecoli_growth_rates"]["pearson"],
                                                   abs=1e-8)
    assert d["scores"]["spearman"] == pytest.approx(plain["ecoli_growth_rates"]["spearman"],
                                                    abs=1e-8)
    assert round(d["scores"]["pearson"], 2) == 0.29 and d["scores"]["n"] == 25
    assert any(a.name.endswith(".svg") for a in res.artifacts)  # the scatter


def _write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_user_file_scored_like_cobrapy(tmp_path: Path) -> None:
    f = _write(tmp_path, "core.csv", "exchange,growth,uptake\nEX_glc__D_e,true,10\n"
               "EX_ac_e,yes,10\nEX_succ_e,--,10\nEX_fru_e,0,5\n")
    res = run("compare_phenotypes", {"file": f, "kind": "growth", "close": ["EX_glc__D_e"]})
    m = cobra.io.load_model("textbook")
    want = {}
    for ex, up in (("EX_glc__D_e", 10), ("EX_ac_e", 10), ("EX_succ_e", 10), ("EX_fru_e", 5)):
        with m:
            medium = dict(m.medium)
            medium.pop("EX_glc__D_e")
            medium[ex] = up
            m.medium = medium
            want[ex] = m.slim_optimize(error_value=0.0)
    got = {r["id"]: r["growth"] for r in res.data["predictions"]}
    assert got == pytest.approx(want, abs=1e-9)
    assert res.data["scores"]["confusion"] == {"TP": 2, "FP": 2, "FN": 0, "TN": 0}


def test_user_file_errors_name_the_rows(tmp_path: Path) -> None:
    unknown = _write(tmp_path, "unknown.tsv", "gene\tessential\nb1779\ttrue\nb9999\tfalse\n"
                     "bXXXX\ttrue\n")
    e = err("compare_phenotypes", {"file": unknown, "kind": "essentiality"})
    assert e.kind == "unknown_id" and "b9999" in e.message and "bXXXX" in e.message
    assert "2 gene id(s)" in e.message and "unknown_ids='skip'" in e.hint
    dup = _write(tmp_path, "dup.csv", "exchange,growth\nEX_ac_e,true\nEX_ac_e,false\n")
    e = err("compare_phenotypes", {"file": dup, "kind": "growth"})
    assert e.kind == "bad_arguments" and "duplicate rows for EX_ac_e" in e.message
    bad = _write(tmp_path, "bad.csv", "exchange,rate,oxygen\nEX_ac_e,fast,aerobic\n"
                 "EX_glc__D_e,-1,aerobic\nEX_succ_e,0.3,sometimes\n")
    e = err("compare_phenotypes", {"file": bad, "kind": "rates"})
    assert e.kind == "bad_arguments" and "3 bad value(s)" in e.message
    assert "line 2: rate='fast'" in e.message and "line 3: rate='-1'" in e.message
    assert "line 4: oxygen='sometimes'" in e.message
    cols = _write(tmp_path, "cols.csv", "id,value\nEX_ac_e,1\n")
    e = err("compare_phenotypes", {"file": cols, "kind": "growth"})
    assert "needs the columns exchange or compound and growth" in e.message
    assert err("compare_phenotypes", {"file": cols}).kind == "bad_arguments"  # no kind
    assert err("compare_phenotypes", {"file": "/etc/passwd", "kind": "growth"}).kind == \
        "bad_arguments"  # outside every workspace
    ok = run("compare_phenotypes", {"file": unknown, "kind": "essentiality",
                                    "unknown_ids": "skip"})
    assert ok.data["not_in_model"] == ["b9999", "bXXXX"] and len(ok.data["predictions"]) == 1
