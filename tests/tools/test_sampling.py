"""flux_sampling: fixed chains of cobrapy's samplers; the same samples with any process count;
valid samples that mix like cobrapy's OptGP; limits."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cobra.flux_analysis import flux_variability_analysis
from cobra.sampling import ACHRSampler, OptGPSampler
from cobra.util import create_stoichiometric_matrix
from toolctx import SETTINGS, ctx, err, reference, run

from fluxagent.tools.cobra.sampling_engine import (
    CHAIN_SAMPLES,
    ChainSampler,
    achr_chain,
    optgp_chain,
    sample_fluxes,
)


@pytest.mark.parametrize("method", ["optgp", "achr"])
def test_a_chain_is_cobrapys_chain(method: str) -> None:
    """Given cobrapy's random stream, one chain is bit for bit cobrapy's sampler in one
    process: the chain code is cobrapy's hit-and-run, only the random source moved."""
    m = reference()
    m.slim_optimize()  # the tool's canonical starting state: one solve from a fresh basis
    ref = (OptGPSampler(m, thinning=100, processes=1, seed=11) if method == "optgp"
           else ACHRSampler(m, thinning=100, seed=11)).sample(30)
    sampler = ChainSampler(m, thinning=100, method="optgp" if method == "optgp" else "achr",
                           seed=11)
    sampler.warm_up()
    chain = optgp_chain if method == "optgp" else achr_chain
    points = chain(sampler, 30, np.random.RandomState(11))
    assert np.array_equal(points[:, sampler.fwd_idx] - points[:, sampler.rev_idx],
                          ref.to_numpy())


def _csv(path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(Path(path).read_text())))


def test_samples_are_the_same_with_any_number_of_processes() -> None:
    progress: list[tuple[float, str]] = []
    n = 2 * CHAIN_SAMPLES + 22  # three chains, the last one short
    one = run("flux_sampling", {"n": n, "seed": 3, "processes": 1}, ctx(progress=progress))
    two = run("flux_sampling", {"n": n, "seed": 3, "processes": 2})
    assert two.provenance.parameters["processes"] == 2
    assert one.artifacts[0].sha256 == two.artifacts[0].sha256
    assert one.data == two.data and one.summary == two.summary
    assert one.data["chains"] == 3 and one.provenance.parameters["chain_samples"] == 64
    assert "in 3 chains of up to 64" in one.summary
    assert one.data["valid_fraction"] == 1.0 and one.data["n"] == n
    rows = _csv(one.artifacts[0].path)
    assert len(rows) == n and "PFK" in rows[0]
    assert progress[-1][0] == 1.0 and any(msg == f"sampling: 64/{n}" for _, msg in progress)
    other = run("flux_sampling", {"n": n, "seed": 4, "processes": 1})
    # seeds do not share chains (cobrapy's seed + k would make seed 4's chain 0 seed 3's 1)
    assert not any(row in _csv(other.artifacts[0].path) for row in rows)
    achr = run("flux_sampling", {"n": 40, "method": "achr", "seed": 7,
                                 "reactions": ["PFK", "EX_ac_e"]})
    assert list(achr.data["reactions"]) == ["PFK", "EX_ac_e"] and achr.data["chains"] == 1
    unseeded = run("flux_sampling", {"n": 5})
    assert isinstance(unseeded.provenance.parameters["seed"], int)


def test_chained_samples_are_feasible_and_mix_like_cobrapys_optgp() -> None:
    """1000 samples in 16 chains: S·v = 0 and the bounds hold to 1e-9, and every reaction's
    mean is within 10 % of its flux range of cobrapy's OptGP mean (1000 samples, another
    seed; two cobrapy seeds differ by up to 7 % on e_coli_core, FRD7), 2 % on average."""
    m = reference()
    m.slim_optimize()
    mine, sampler = sample_fluxes(m, 1000, seed=1, processes=2)
    assert (sampler.validate(mine.to_numpy()) == "v").all()
    v = mine.to_numpy()
    assert np.abs(create_stoichiometric_matrix(m) @ v.T).max() < 1e-9
    lb = np.array([r.lower_bound for r in m.reactions])
    ub = np.array([r.upper_bound for r in m.reactions])
    assert (v >= lb - 1e-9).all() and (v <= ub + 1e-9).all()
    ref = OptGPSampler(m, thinning=100, processes=2, seed=2).sample(1000)
    fva = flux_variability_analysis(m, fraction_of_optimum=0.0)
    width = fva.maximum - fva.minimum
    moving = width > 1e-6
    off = ((mine.mean() - ref.mean()).abs() / width)[moving]
    assert off.max() < 0.10, off.sort_values().tail()
    assert off.mean() < 0.02
    assert isinstance(mine, pd.DataFrame) and len(mine) == 1000


def test_sampling_errors() -> None:
    slow = SETTINGS.model_copy(update={"tool_time_limit_s": 0.0})
    e = err("flux_sampling", {"n": 10}, ctx(settings=slow))
    assert e.kind == "timeout" and "fewer samples" in e.hint
    assert err("flux_sampling", {"n": 0}).kind == "bad_arguments"
    assert err("flux_sampling", {"method": "gibbs"}).kind == "bad_arguments"
    assert err("flux_sampling", {"reactions": ["nope"]}).kind == "unknown_id"
    assert err("flux_sampling", {"conditions": {"carbon_source": "acetate",
                                                "oxygen": False}}).kind == "infeasible"
