"""flux_sampling: identical to cobrapy's samplers for the same seed; valid samples; limits."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
from cobra.sampling import ACHRSampler, OptGPSampler
from toolctx import SETTINGS, ctx, err, reference, run

from fluxagent.tools.cobra.sampling import batches


def cobra_samples(sampler_cls: type, n: int, seed: int) -> pd.DataFrame:
    m = reference()
    m.slim_optimize()  # the tool's canonical starting state: one solve from a fresh basis
    kwargs = {"processes": 1} if sampler_cls is OptGPSampler else {}
    s = sampler_cls(m, thinning=100, seed=seed, **kwargs)
    return pd.concat([s.sample(k) for k in batches(n)], ignore_index=True)


def test_achr_same_seed_same_samples_as_cobrapy() -> None:
    res = run("flux_sampling", {"n": 40, "method": "achr", "seed": 7,
                                "reactions": ["PFK", "EX_ac_e"]})
    ref = cobra_samples(ACHRSampler, 40, 7)
    for rid in ("PFK", "EX_ac_e"):
        assert abs(res.data["reactions"][rid]["mean"] - ref[rid].mean()) < 1e-6
        assert abs(res.data["reactions"][rid]["q95"] - np.quantile(ref[rid], 0.95)) < 1e-6
    assert res.provenance.parameters["seed"] == 7


def test_optgp_samples_are_valid_and_reproducible() -> None:
    progress: list[tuple[float, str]] = []
    res = run("flux_sampling", {"n": 30, "seed": 3, "processes": 1}, ctx(progress=progress))
    assert res.data["valid_fraction"] == 1.0 and res.data["n"] == 30
    ref = cobra_samples(OptGPSampler, 30, 3)
    assert abs(res.data["reactions"]["PFK"]["mean"] - ref["PFK"].mean()) < 1e-6
    rows = list(csv.DictReader(io.StringIO(Path(res.artifacts[0].path).read_text())))
    assert len(rows) == 30 and "PFK" in rows[0]
    m = reference()
    for row in rows[:5]:
        for r in m.reactions:
            assert r.lower_bound - 1e-6 <= float(row[r.id]) <= r.upper_bound + 1e-6
    assert progress[-1][0] == 1.0
    again = run("flux_sampling", {"n": 30, "seed": 3, "processes": 1})
    assert again.data["reactions"] == res.data["reactions"]
    unseeded = run("flux_sampling", {"n": 5})
    assert isinstance(unseeded.provenance.parameters["seed"], int)


def test_sampling_errors() -> None:
    slow = SETTINGS.model_copy(update={"tool_time_limit_s": 0.0})
    e = err("flux_sampling", {"n": 10}, ctx(settings=slow))
    assert e.kind == "timeout" and "fewer samples" in e.hint
    assert err("flux_sampling", {"n": 0}).kind == "bad_arguments"
    assert err("flux_sampling", {"method": "gibbs"}).kind == "bad_arguments"
    assert err("flux_sampling", {"reactions": ["nope"]}).kind == "unknown_id"
    assert err("flux_sampling", {"conditions": {"carbon_source": "acetate",
                                                "oxygen": False}}).kind == "infeasible"
