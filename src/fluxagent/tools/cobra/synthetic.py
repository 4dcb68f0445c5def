"""Synthetic lethality: pairs whose double deletion is lethal while neither single one is.

cobrapy's recipe (``single_*_deletion`` then ``double_*_deletion``, a pair is synthetic lethal
when its growth is below ``threshold_fraction`` of the wild type and both members are viable on
their own), run on the deletion engine (``deletion_engine.py``: single and double deletions of
reactions idle in the wild-type optimum need no LP, the others are warm-started). With
``partner`` the screen is that one gene (reaction) against every other; without, all pairs of
the non-essential ones.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from fluxagent.tools.conditions import apply_conditions, conditions_text
from fluxagent.tools.linking import link
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    fmt,
    listing,
    require_feasible,
    require_objective,
)

from .deletion import MAX_PAIRS, screen
from .fba import model_name


class SyntheticLethalArgs(AnalysisArgs):
    kind: Literal["gene", "reaction"] = "gene"
    partner: str | None = Field(default=None, description="Only pairs with this gene "
                                "(reaction); default: every pair.")
    threshold_fraction: float = Field(default=0.01, gt=0, lt=1, description="Lethal below "
                                      "this fraction of wild-type growth.")
    pair: list[str] | None = Field(default=None, min_length=2, max_length=2, description="Test "
                                   "this one pair: each single and the double deletion.")
    processes: int | None = Field(default=None, ge=1, le=64)


@REGISTRY.tool("synthetic_lethals", "Pairs of genes (or reactions) lethal together but not "
               "alone.", SyntheticLethalArgs, long_running=True)
def synthetic_lethals(args: SyntheticLethalArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    with model:
        applied = apply_conditions(model, args.conditions)
        require_objective(model)
        wild = require_feasible(model, "synthetic lethality")
        lethal = args.threshold_fraction * wild
        if args.pair:
            return _pair(args, ctx, model, applied, wild, lethal)
        table = model.genes if args.kind == "gene" else model.reactions
        ids = [x.id for x in table]
        singles = screen(model, args.kind, [(i,) for i in ids], ctx, args.processes,
                         f"single {args.kind} deletion")
        alone = {i for i, (g, status) in zip(ids, singles, strict=True)
                 if status != "optimal" or not g >= lethal}
        viable = [i for i in ids if i not in alone]
        partner = link(model, args.partner, args.kind) if args.partner else None
        if partner is not None and partner in alone:
            raise ToolFailure("bad_arguments", f"{partner} is lethal on its own, so it has no "
                              "synthetic lethal partners", hint="ask for essential "
                              f"{args.kind}s instead")
        pairs: list[tuple[str, ...]] = (
            [(partner, i) for i in viable if i != partner] if partner else
            [(a, b) for n, a in enumerate(viable) for b in viable[n + 1:]])
        if len(pairs) > MAX_PAIRS:
            raise ToolFailure("bad_arguments", f"{len(pairs)} pairs is too many (limit "
                              f"{MAX_PAIRS})", hint="give a partner to screen one "
                              f"{args.kind} against all others")
        doubles = screen(model, args.kind, pairs, ctx, args.processes,
                         f"double {args.kind} deletion")
        prov = provenance(model, applied=applied, parameters=args.model_dump(
            exclude_none=True, exclude={"model", "conditions"}))
    found = [list(p) for p, (g, status) in zip(pairs, doubles, strict=True)
             if status != "optimal" or not g >= lethal]
    partners = sorted(b for _, b in found) if partner else []
    name = model_name(model)
    what = f"with {partner}" if partner else "pairs"
    shown = partners if partner else ["+".join(p) for p in found]
    summary = (f"{len(found)} synthetic lethal {args.kind} {what} in {name} "
               f"({conditions_text(applied)}; lethal < {fmt(lethal)} 1/h, "
               f"{len(alone)} {args.kind}s lethal alone): {listing(shown, 60) or 'none'}.")
    return ToolResult(tool="synthetic_lethals", summary=summary, provenance=prov,
                      data={"kind": args.kind, "partner": partner, "pairs": found,
                            "partners": partners, f"{args.kind}s": partners,
                            "count": len(found),
                            "lethal_alone": sorted(alone), "wild_type_growth": wild,
                            "threshold": lethal, "conditions": applied})


def _pair(args: SyntheticLethalArgs, ctx: ToolContext, model: object, applied: dict[str, Any],
          wild: float, lethal: float) -> ToolResult:
    """One pair: are A and B synthetic lethal? The growth of each single and of the double
    deletion, as cobrapy's single/double deletion gives them."""
    a, b = (link(model, x, args.kind) for x in args.pair or ())
    if a == b:
        raise ToolFailure("bad_arguments", f"{args.pair} name the same {args.kind} ({a})")
    (ga, sa), (gb, sb), (gab, sab) = screen(model, args.kind, [(a,), (b,), (a, b)], ctx,
                                            args.processes, f"{args.kind} pair deletion")

    def grown(g: float, status: str) -> float:
        return float(g) if status == "optimal" else 0.0

    single = {a: grown(ga, sa), b: grown(gb, sb)}
    double = grown(gab, sab)
    alone = [x for x, g in single.items() if not g >= lethal]
    verdict = (f"not synthetic lethal: {' and '.join(alone)} lethal alone" if alone else
               "synthetic lethal" if not double >= lethal else "not synthetic lethal")
    prov = provenance(model, applied=applied, parameters=args.model_dump(
        exclude_none=True, exclude={"model", "conditions"}))
    summary = (f"{a} + {b} in {model_name(model)} ({conditions_text(applied)}): double "
               f"deletion grows at {fmt(double)} 1/h; {a} alone {fmt(single[a])}, {b} alone "
               f"{fmt(single[b])}, wild type {fmt(wild)} 1/h; {verdict} (lethal < "
               f"{fmt(lethal)} 1/h).")
    return ToolResult(tool="synthetic_lethals", summary=summary, provenance=prov,
                      data={"kind": args.kind, "pair": [a, b], "double_growth": double,
                            "single_growth": single, "synthetic_lethal": not alone and
                            not double >= lethal, "lethal_alone": sorted(alone),
                            "wild_type_growth": wild, "threshold": lethal,
                            "conditions": applied})
