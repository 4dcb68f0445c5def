"""Hit-and-run flux sampling in fixed chains, so the samples depend only on the job and the seed.

cobrapy's OptGP runs one chain per process (``n / processes`` samples each, chain ``k`` seeded
with ``seed + k``) and draws from numpy's global random state, so its samples change with the
process count and with whatever else draws random numbers in the process. Here a job of ``n``
samples is cut into chains of ``CHAIN_SAMPLES`` (``tools/chunks.py``'s plan with that chunk
size), and chain ``k`` is a complete OptGP (or ACHR) chain of its own with its own random
stream, ``chain_rng(seed, k)``, drawn from ``SeedSequence([seed, k])``. Every chain starts from
the same FVA warm-up points (2 LPs per reaction from a fresh copy of the model, as cobrapy
computes them: the same on every worker), so a chain's samples are the same whichever process
or Temporal worker runs it, and the job's samples are its chains' in order.

A chain is cobrapy's own: ``step`` and the chains below are ``cobra.sampling``'s ``step``,
``_sample_chain`` (OptGP) and ``ACHRSampler.sample`` with the random draws taken from the
chain's stream; given ``np.random.RandomState(s)`` a chain gives exactly the samples cobrapy
gives for seed ``s`` in one process (tests/tools/test_sampling.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import cobra
import numpy as np
import pandas as pd
from cobra.sampling.core import MAX_TRIES
from cobra.sampling.hr_sampler import HRSampler

from fluxagent.tools.batch import run_plan
from fluxagent.tools.chunks import Chunk
from fluxagent.tools.registry import Progress
from fluxagent.tools.toolkit import Deadline

#: Samples per chain: a chain is a chunk of the job, the unit of fan-out and of progress.
CHAIN_SAMPLES = 64

Method = Literal["optgp", "achr"]


def chain_rng(seed: int, k: int) -> np.random.RandomState:
    """Chain ``k``'s random stream: independent of every other chain and of other seeds
    (cobrapy's ``seed + k`` makes seed 5's chain 1 seed 6's chain 0)."""
    return np.random.RandomState(np.random.MT19937(np.random.SeedSequence([seed, k])))


class ChainSampler(HRSampler):
    """cobrapy's sampling problem of a model (a copy of it: matrices, nullspace) with its FVA
    warm-up points computed on first use; ``sample`` draws in fixed chains."""

    def __init__(self, model: cobra.Model, thinning: int = 100, method: Method = "optgp",
                 seed: int = 0) -> None:
        super().__init__(model, thinning, seed=seed)
        self.method: Method = method
        self.seed = seed

    def warm_up(self) -> None:
        if self.warmup is None:
            self.generate_fva_warmup()
            self.center = np.asarray(self.warmup).mean(axis=0)

    def chain(self, k: int, n: int) -> np.ndarray:
        """Chain ``k`` of the job: ``n`` flux samples (rows), reactions in model order."""
        self.warm_up()
        run = optgp_chain if self.method == "optgp" else achr_chain
        points = run(self, n, chain_rng(self.seed, k))
        return np.asarray(points[:, self.fwd_idx] - points[:, self.rev_idx])

    def solve_chunk(self, _model: cobra.Model, chunk: Chunk) -> list[tuple[float, ...]]:
        """A chunk of the job as rows of plain floats (what a fanned-out chunk returns)."""
        a, b = chunk
        return [tuple(map(float, row)) for row in self.chain(a // CHAIN_SAMPLES, b - a)]

    def sample(self, n: int, fluxes: bool = True) -> pd.DataFrame:
        if not fluxes:
            raise ValueError("chain samples are fluxes")
        return frame(self.model, [row for k, a in enumerate(range(0, n, CHAIN_SAMPLES))
                                  for row in self.chain(k, min(n, a + CHAIN_SAMPLES) - a)])


def frame(model: cobra.Model, rows: list[tuple[float, ...]] | list[np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame(np.asarray(rows, dtype=float).reshape(len(rows), len(model.reactions)),
                        columns=[r.id for r in model.reactions])


def sample_fluxes(model: cobra.Model, n: int, *, method: Method = "optgp",
                  thinning: int = 100, seed: int = 0, processes: int = 1,
                  progress: Progress = lambda f, m: None,
                  deadline: Deadline | None = None) -> tuple[pd.DataFrame, ChainSampler]:
    """``n`` flux samples of ``model`` in ``ceil(n / CHAIN_SAMPLES)`` chains (the same for
    any ``processes``), with the sampler (for ``validate``). In a fanned-out tool run
    (``tools/chunks.py``) this plans, solves some chains, or merges their samples."""
    made: list[ChainSampler] = []

    def make_solve() -> Callable[[cobra.Model, Chunk], list[tuple[float, ...]]]:
        sampler = ChainSampler(model, thinning, method, seed)
        progress(0.0, f"sampling: warm-up on {len(model.reactions)} reactions")
        sampler.warm_up()  # before any fork: the workers inherit the warm-up points
        if deadline is not None:
            deadline.check()
        made.append(sampler)
        return sampler.solve_chunk

    rows = run_plan(model, make_solve, n, processes=processes, progress=progress,
                    deadline=deadline if deadline is not None else _NO_DEADLINE,
                    label="sampling", chunk_tasks=CHAIN_SAMPLES,
                    values_per_task=len(model.reactions))
    sampler = made[0] if made else ChainSampler(model, thinning, method, seed)
    return frame(model, rows), sampler


class _Unlimited(Deadline):
    def __init__(self) -> None:
        self.limit, self.start, self.what, self.hint = float("inf"), 0.0, "sampling", ""


_NO_DEADLINE = _Unlimited()


def step(sampler: HRSampler, x: np.ndarray, delta: np.ndarray, rng: np.random.RandomState,
         center: np.ndarray, fraction: float | None = None, tries: int = 0) -> np.ndarray:
    """``cobra.sampling.core.step`` with the chain's random stream (``center``: where a
    stuck step restarts, the sampler's center at the time)."""
    prob = sampler.problem
    valid = (np.abs(delta) > sampler.feasibility_tol) & np.logical_not(prob.variable_fixed)
    valphas = ((1.0 - sampler.bounds_tol) * prob.variable_bounds - x)[:, valid]
    valphas = (valphas / delta[valid]).flatten()
    if prob.bounds.shape[0] > 0:
        ineqs = prob.inequalities.dot(delta)
        valid = np.abs(ineqs) > sampler.feasibility_tol
        balphas = ((1.0 - sampler.bounds_tol) * prob.bounds
                   - prob.inequalities.dot(x))[:, valid]
        alphas = np.hstack([valphas, (balphas / ineqs[valid]).flatten()])
    else:
        alphas = valphas
    pos, neg = alphas[alphas > 0.0], alphas[alphas <= 0.0]
    alpha_range = np.array([neg.max() if len(neg) > 0 else 0,
                            pos.min() if len(pos) > 0 else 0])
    if fraction:
        alpha = alpha_range[0] + fraction * (alpha_range[1] - alpha_range[0])
    else:
        alpha = rng.uniform(alpha_range[0], alpha_range[1])
    p = x + alpha * delta
    if (np.any(sampler._bounds_dist(p) < -sampler.bounds_tol)
            or np.abs(np.abs(alpha_range).max() * delta).max() < sampler.bounds_tol):
        if tries > MAX_TRIES:
            raise RuntimeError("cannot escape the sampling region: the model seems to be "
                               "numerically unstable")
        newdir = sampler.warmup[rng.randint(sampler.n_warmup)]
        sampler.retries += 1
        return step(sampler, center, newdir - center, rng, center, None, tries + 1)
    return p


def reproject(sampler: HRSampler, p: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """``HRSampler._reproject`` with the chain's random stream."""
    nulls, prob = sampler.problem.nullspace, sampler.problem
    new = p
    if not np.allclose(prob.equalities.dot(p), prob.b, rtol=0, atol=sampler.feasibility_tol):
        new = nulls.dot(nulls.T.dot(p))
    if any(new != p):
        size = int(min(2, np.ceil(np.sqrt(sampler.n_warmup))))
        new = sampler.warmup[rng.randint(sampler.n_warmup, size=size), :].mean(axis=0)
    return np.asarray(new)


def optgp_chain(sampler: ChainSampler, n: int, rng: np.random.RandomState) -> np.ndarray:
    """One OptGP chain (``cobra.sampling.optgp._sample_chain``): from a warm-up point pulled
    towards the center, ``n`` points (solver variables), one every ``thinning`` steps."""
    center = fixed = sampler.center
    prev = step(sampler, center, sampler.warmup[rng.randint(sampler.n_warmup), :] - center,
                rng, fixed, 0.95)
    samples = np.zeros((n, center.shape[0]))
    for i in range(1, sampler.thinning * n + 1):
        n_samples = i  # the warm-up center counts as one sample, as in cobrapy
        delta = sampler.warmup[rng.randint(sampler.n_warmup), :] - center
        prev = step(sampler, prev, delta, rng, fixed)
        if sampler.problem.homogeneous and n_samples * sampler.thinning % sampler.nproj == 0:
            prev, center = reproject(sampler, prev, rng), reproject(sampler, center, rng)
        if i % sampler.thinning == 0:
            samples[i // sampler.thinning - 1, :] = prev
        center = (n_samples * center) / (n_samples + 1) + prev / (n_samples + 1)
    return samples


def achr_chain(sampler: ChainSampler, n: int, rng: np.random.RandomState) -> np.ndarray:
    """One ACHR chain (``ACHRSampler.sample`` on a fresh sampler): from the center, ``n``
    points (solver variables), one every ``thinning`` steps."""
    prev = center = sampler.center
    samples = np.zeros((n, center.shape[0]))
    for i in range(1, sampler.thinning * n + 1):
        n_samples = i - 1
        delta = sampler.warmup[rng.randint(sampler.n_warmup), :] - center
        prev = step(sampler, prev, delta, rng, center)
        if sampler.problem.homogeneous and n_samples * sampler.thinning % sampler.nproj == 0:
            prev, center = reproject(sampler, prev, rng), reproject(sampler, center, rng)
        center = (n_samples * center) / (n_samples + 1) + prev / (n_samples + 1)
        if i % sampler.thinning == 0:
            samples[i // sampler.thinning - 1, :] = prev
    return samples
