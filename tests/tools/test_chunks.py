"""Fixed chunks from one starting basis: the same floats in one process, over several, and
fanned out (tools/chunks.py; the Temporal side is tests/runtime/temporal/
test_fanout_identical.py).

The fan-out modes are exercised here in this process, as a Temporal worker runs them: the
tool run in ``plan`` mode, once per share in ``solve`` mode (the values through JSON, as
through the workflow history), and once in ``merge`` mode.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from toolctx import ctx, run

from fluxagent.runtime.temporal import fanout
from fluxagent.tools.chunks import CHUNK_TASKS, chunk_plan, share
from fluxagent.tools.registry import REGISTRY


def test_the_plan_depends_on_the_job_only_and_shares_keep_order() -> None:
    assert chunk_plan(0) == []
    plan = chunk_plan(3 * CHUNK_TASKS + 5)
    assert plan[0] == (0, CHUNK_TASKS) and plan[-1] == (3 * CHUNK_TASKS, 3 * CHUNK_TASKS + 5)
    for parts in (1, 2, 3, 7):
        runs = share(plan, parts)
        assert [c for run in runs for c in run] == plan  # every chunk once, in order
        assert len(runs) == min(parts, len(plan))


def _data(name: str, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    res = run(name, args)
    return res.data, res.summary


CASES = [("run_fva", {"model": "e_coli_core", "fraction_of_optimum": 0.9}),
         ("gene_deletion_screen", {"model": "e_coli_core", "double": True})]


def _fanned_out(name: str, args: dict[str, Any]) -> tuple[dict[str, Any], str]:
    shares = fanout.plan(REGISTRY, name, args, ctx(), 2, 0)
    assert shares is not None and len(shares) == 2
    values = [v for part in shares
              for v in json.loads(json.dumps(fanout.block(REGISTRY, name, args, ctx(), part)))]
    with fanout.merging(values):
        return _data(name, args)


@pytest.mark.parametrize(("name", "args"), CASES)
def test_one_and_two_processes_and_a_fan_out_give_the_same_floats(
        name: str, args: dict[str, Any]) -> None:
    one = _data(name, args | {"processes": 1})
    assert _data(name, args | {"processes": 2}) == one
    assert _data(name, args | {"processes": 1}) == one  # after other work on the model
    assert _fanned_out(name, args) == one


def test_a_production_envelope_fanned_out_is_the_one_of_one_process() -> None:
    args = {"model": "e_coli_core", "product": "acetate", "points": 40}  # 80 LPs: 2 chunks
    one = _data("production_envelope", args)
    assert _data("run_fva", {"model": "e_coli_core"}) and _data(
        "production_envelope", args) == one  # after other work on the model
    assert _fanned_out("production_envelope", args) == one


def test_small_or_unsplittable_jobs_run_whole() -> None:
    args = {"model": "e_coli_core"}
    assert fanout.plan(REGISTRY, "run_fva", args, ctx(), 2, 300_000) is None  # too small
    assert fanout.plan(REGISTRY, "run_fva", args, ctx(), 1, 0) is None  # one part
    assert fanout.plan(REGISTRY, "run_fba", args, ctx(), 2, 0) is None  # not chunked
    assert fanout.plan(REGISTRY, "run_fva", args | {"model": "no_such_model"}, ctx(), 2,
                       0) is None  # fails before its job: the whole run reports it


def test_flux_sampling_fanned_out_draws_the_samples_of_one_process() -> None:
    """Sampling's chunks are its chains: the samples (the CSV of all of them) are the same."""
    args = {"model": "e_coli_core", "n": 150, "seed": 9}  # 3 chains of up to 64
    one = run("flux_sampling", args | {"processes": 1})
    shares = fanout.plan(REGISTRY, "flux_sampling", args, ctx(), 2, 0)
    assert shares == [[[0, 64], [64, 128]], [[128, 150]]]  # about equal numbers of samples
    values = [v for part in shares for v in json.loads(json.dumps(
        fanout.block(REGISTRY, "flux_sampling", args, ctx(), part)))]
    assert len(values) == 150 and len(values[0]) == 95  # one flux per reaction per sample
    with fanout.merging(values):
        fanned = run("flux_sampling", args)
    assert (fanned.data, fanned.summary) == (one.data, one.summary)
    assert fanned.artifacts[0].sha256 == one.artifacts[0].sha256
    # values past Temporal's payload budget: the whole job on one worker
    assert fanout.plan(REGISTRY, "flux_sampling", args | {"n": 700}, ctx(), 2, 0) is None
