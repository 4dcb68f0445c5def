"""Candidate model changes for each disagreement between a model and measured phenotypes.

What a modeler would look at first, each checked in silico before it is proposed:

- grows in the lab, not in the model: gap filling on that source (cobrapy's GapFiller over the
  universal set of the bundled models, ``gapfill.py``); a source the model has no exchange for
  brings its exchange from the first bundled model that has one;
- grows in the model, not in the lab: the reactions that carry the source's flux (its
  transporters first) — blocking one stops growth on the source and keeps wild-type growth;
- essential in the lab, not in the model: what rescues the knockout in silico — an isozyme in
  a gene rule (``b1 or b2``) keeps the reaction on, or an alternative route carries the flux;
  constraining it makes the knockout lethal and keeps the wild type growing;
- essential in the model, not in the lab: gap filling with the gene knocked out;
- a growth rate the model overestimates: a cap on the transporter that carries the source, at
  the flux that gives the measured rate (the smallest flux reaching it, one LP).

Gap filling draws on the universal BiGG set of ``gapfill.py`` or a ModelSEED template in the
model's ids (``universe_modelseed.py``).

A proposal is data: the changes (the effect vocabulary of ``tools/results.py``) and the diff a
person approves (``change_diff``), both derived here from the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import cobra

from fluxagent.tools.gene_rules import rule_diff
from fluxagent.tools.models import apply_change
from fluxagent.tools.results import ToolFailure
from fluxagent.tools.solver import optimize
from fluxagent.tools.toolkit import clean

from .gapfill import candidate_universe, reaction_spec, run_gapfill
from .pathways import equation
from .phenotypes_data import Item
from .phenotypes_score import set_uptake, source_growth

Change = dict[str, Any]
#: Candidate reactions tried per disagreement (each costs one or two LPs).
MAX_TRIES = 12
FLUX_EPS = 1e-7


def change_diff(model: cobra.Model, changes: Sequence[Change]) -> list[str]:
    """The model diff of ``changes``, one line per reaction, bound or gene touched."""
    lines: list[str] = []
    for ch in changes:
        op = ch.get("op")
        if op == "knockout_reactions":
            for rid in ch["reactions"]:
                r = model.reactions.get_by_id(rid)
                lines.append(f"~ {rid} ({r.name}): bounds [{r.lower_bound:g}, "
                             f"{r.upper_bound:g}] -> [0, 0]  {equation(r)}")
        elif op == "knockout_genes":
            for gid in ch["genes"]:
                g = model.genes.get_by_id(gid)
                off = sorted(r.id for r in g.reactions)
                lines.append(f"~ gene {gid} ({g.name}) off: reactions {', '.join(off)} "
                             "lose it from their gene rule")
        elif op == "set_bounds":
            r = model.reactions.get_by_id(ch["reaction"])
            lines.append(f"~ {r.id} ({r.name}): bounds [{r.lower_bound:g}, {r.upper_bound:g}]"
                         f" -> [{float(ch['lower']):g}, {float(ch['upper']):g}]")
        elif op == "add_reactions":
            for spec in ch["reactions"]:
                left = " + ".join(f"{-c:g} {m}" for m, c in spec["metabolites"].items() if c < 0)
                right = " + ".join(f"{c:g} {m}" for m, c in spec["metabolites"].items() if c > 0)
                arrow = "<=>" if spec["lower_bound"] < 0 else "-->"
                lines.append(f"+ {spec['id']} ({spec.get('name', '')}): {left} {arrow} {right}"
                             f"  [{spec['lower_bound']:g}, {spec['upper_bound']:g}]"
                             f"  gene rule: {spec.get('gene_reaction_rule') or 'none'}")
        elif op == "set_gene_rule":
            lines.append(rule_diff(model, ch))
        else:
            raise ToolFailure("bad_arguments", f"a fix cannot hold a {op!r} change",
                              hint="knockout_reactions, knockout_genes, set_bounds, "
                              "add_reactions, set_gene_rule")
    return lines


def _proposal(model: cobra.Model, item: Item, disagreement: str, kind: str, title: str,
              changes: list[Change], check: dict[str, float]) -> dict[str, Any]:
    return {"item": item.id, "label": item.label, "disagreement": disagreement, "kind": kind,
            "title": title, "changes": changes, "diff": change_diff(model, changes),
            "check": {k: round(v, 9) for k, v in check.items()}}


def _grows(model: cobra.Model) -> float:
    """The optimum, 0 when there is none (a search step: candidates are checked again)."""
    value = model.slim_optimize(error_value=0.0)
    return clean(float(value)) if math.isfinite(value) else 0.0


def _net_fluxes(model: cobra.Model) -> dict[str, float]:
    """Net fluxes of an optimal solution (non-zero only); {} when the model cannot grow.
    One FBA, not pFBA: restoring the objective after pFBA costs seconds on a large model."""
    status, _ = optimize(model)
    if status != "optimal":
        return {}
    primal = model.solver.primal_values
    net = {r.id: primal[r.id] - primal[r.reverse_id] for r in model.reactions}
    return {k: float(v) for k, v in net.items() if abs(v) > FLUX_EPS}


def _base_id(met_id: str) -> str:
    return met_id.rsplit("_", 1)[0]


def _close(model: cobra.Model, close: Sequence[str]) -> None:
    """Shut the other sources of the data set (those the model has)."""
    for c in close:
        if c in model.reactions:
            set_uptake(model, c, 0.0)


def restrict_source(model: cobra.Model, item: Item, close: Sequence[str], threshold: float,
                    wild: float, name: str) -> list[dict[str, Any]]:
    """Grows in the model, not in the lab: reactions carrying the source whose block stops
    growth on it and keeps wild-type growth (inside the caller's ``with model:``)."""
    ex = model.reactions.get_by_id(item.id)
    bases = {_base_id(m.id) for m in ex.metabolites}
    with model:
        _close(model, close)
        set_uptake(model, item.id, item.uptake)
        before = _grows(model)
        fluxes = _net_fluxes(model)
    order = {"e": 0, "p": 1, "c": 2}
    cands = sorted(
        (model.reactions.get_by_id(r) for r in fluxes if r != item.id),
        key=lambda r: min(order.get(m.compartment or "", 3) for m in r.metabolites))
    cands = [r for r in cands if not r.boundary and any(
        _base_id(m.id) in bases for m in r.metabolites)][:MAX_TRIES]
    out: list[dict[str, Any]] = []
    for r in cands:
        with model:
            r.knock_out()
            wt_after = _grows(model)
            if wt_after < wild * (1 - 1e-6):
                continue
            after = clean(source_growth(model, item, close))
        if after <= threshold:
            out.append(_proposal(model, item, "FP", "restrict_transport" if len(
                r.compartments) > 1 else "restrict_reaction", f"block {r.id} ({r.name}): "
                f"it carries {item.label or item.id} in the model; growth on it "
                f"{before:.4g} -> {after:.4g} 1/h, wild type stays {wt_after:.4g}",
                [{"op": "knockout_reactions", "model": name, "reactions": [r.id]}],
                {"growth_before": before, "growth_after": after, "wild_type_after": wt_after}))
            if len(out) >= 2:
                break
    return out


def _source_exchange(item: Item, sources: Sequence[cobra.Model]) -> cobra.Reaction | None:
    return next((m.reactions.get_by_id(item.id) for m in sources if item.id in m.reactions),
                None)


def fill_growth(model: cobra.Model, item: Item, close: Sequence[str], universe: cobra.Model,
                sources: Sequence[cobra.Model], name: str, min_growth: float,
                time_limit_s: float, setup: Callable[[cobra.Model], None] | None = None,
                ) -> list[dict[str, Any]]:
    """Grows in the lab, not in the model (or a gene the lab finds dispensable): the fewest
    universal reactions that restore growth (inside the caller's ``with model:``)."""
    added: list[Change] = []
    with model:
        if setup is not None:
            setup(model)
        else:
            _close(model, close)
            if item.id not in model.reactions:
                ex = _source_exchange(item, sources)
                if ex is None:
                    return []
                spec = reaction_spec(ex)
                spec["lower_bound"] = -item.uptake
                added.append({"op": "add_reactions", "model": name, "reactions": [spec]})
                model.add_reactions([ex.copy()])
            set_uptake(model, item.id, item.uptake)  # a borrowed exchange keeps its bounds
        before = _grows(model)
        cands = candidate_universe(model, universe)
        try:
            solution = run_gapfill(model, cands, min_growth=min_growth,
                                   time_limit_s=time_limit_s)[0]
        except ToolFailure:
            return []
        with model:
            model.add_reactions([r.copy() for r in solution])
            after = _grows(model)
    specs = [reaction_spec(r, universe) for r in solution]
    if not specs and not added:
        return []
    if added:
        added[0]["reactions"][0]["lower_bound"] = 0.0  # uptake comes from the medium
        added[0]["reactions"][0]["upper_bound"] = 1000.0
    changes = added + ([{"op": "add_reactions", "model": name, "reactions": specs}]
                       if specs else [])
    what = ", ".join([*(s["id"] for c in added for s in c["reactions"]),
                      *(s["id"] for s in specs)])
    return [_proposal(model, item, "FN" if setup is None else "FP", "gapfill",
                      f"add {what}: growth {before:.4g} -> {after:.4g} 1/h", changes,
                      {"growth_before": before, "growth_after": after})]


def rescue_knockout(model: cobra.Model, gene: str, wild: float, fraction: float,
                    name: str) -> list[dict[str, Any]]:
    """Essential in the lab, not in the model: the isozymes (gene-rule terms) or alternative
    route that keep the knockout growing, as changes that make it lethal."""
    item = Item(gene, True)
    g = model.genes.get_by_id(gene)
    lethal = fraction * wild
    out: list[dict[str, Any]] = []
    with model:
        g.knock_out()
        ko = _grows(model)
        still_on = [r for r in g.reactions if r.bounds != (0.0, 0.0)]
        ko_fluxes = _net_fluxes(model) if not still_on else {}
    for r in still_on:  # gene rule: another gene keeps r on
        others = sorted(x.id for x in r.genes if x.id != gene)
        with model:
            g.knock_out()
            r.knock_out()
            after = _grows(model)
        if after < lethal:
            out.append(_proposal(
                model, item, "FN", "constrain_isozyme", f"{r.id} stays on without {gene} "
                f"through {' / '.join(others) or 'its rule'} (rule: {r.gene_reaction_rule});"
                f" taking those genes off makes {gene} essential (knockout growth "
                f"{ko:.4g} -> {after:.4g} 1/h)",
                [{"op": "knockout_genes", "model": name, "genes": others}],
                {"knockout_growth_before": ko, "knockout_growth_after": after}))
    if still_on:
        return _checked(model, out, wild)
    wt_fluxes = _net_fluxes(model)
    bypass = sorted((rid for rid in ko_fluxes if rid not in wt_fluxes
                     and not model.reactions.get_by_id(rid).boundary),
                    key=lambda rid: -abs(ko_fluxes[rid]))[:MAX_TRIES]
    for rid in bypass:
        r = model.reactions.get_by_id(rid)
        with model:
            g.knock_out()
            r.knock_out()
            after = _grows(model)
        if after < lethal:
            out.append(_proposal(
                model, item, "FN", "block_alternative_route", f"without {gene} the flux goes "
                f"through {rid} ({r.name}), idle in the wild type; blocking it makes {gene} "
                f"essential (knockout growth {ko:.4g} -> {after:.4g} 1/h)",
                [{"op": "knockout_reactions", "model": name, "reactions": [rid]}],
                {"knockout_growth_before": ko, "knockout_growth_after": after}))
            if len(out) >= 2:
                break
    return _checked(model, out, wild)


def _checked(model: cobra.Model, props: list[dict[str, Any]], wild: float,
             ) -> list[dict[str, Any]]:
    """Only proposals that keep the wild type growing (at 99% of its optimum)."""
    kept = []
    for p in props:
        with model:
            for ch in p["changes"]:
                apply_change(model, ch)
            after = _grows(model)
        if after >= 0.99 * wild:
            p["check"]["wild_type_after"] = round(after, 9)
            kept.append(p)
    return kept[:2]


def cap_uptake(model: cobra.Model, item: Item, close: Sequence[str], wild: float, name: str,
               key: str, tolerance: float = 0.25) -> list[dict[str, Any]]:
    """A growth rate the model overestimates (by more than ``tolerance``, relative): the
    transporters carrying the source, capped at the smallest flux that gives the measured rate
    (inside the caller's ``with model:``); the wild type must keep growing."""
    measured = float(item.observed)
    ex = model.reactions.get_by_id(item.id)
    bases = {_base_id(m.id) for m in ex.metabolites}
    with model:
        _close(model, close)
        if item.anaerobic and "EX_o2_e" in model.reactions:
            set_uptake(model, "EX_o2_e", 0.0)
        set_uptake(model, item.id, item.uptake)
        before = _grows(model)
        if before <= measured * (1 + tolerance):
            return []
        fluxes = _net_fluxes(model)
        cands = [model.reactions.get_by_id(r) for r in fluxes if r != item.id]
        cands = [r for r in cands if not r.boundary and len(r.compartments) > 1 and any(
            _base_id(m.id) in bases for m in r.metabolites)][:MAX_TRIES]
        biomass = next(r for r in model.reactions if r.objective_coefficient != 0)
        caps: list[tuple[cobra.Reaction, float]] = []
        for r in cands:
            with model:
                biomass.lower_bound = measured
                model.objective = {r: 1.0}
                model.objective_direction = "min" if fluxes[r.id] > 0 else "max"
                status, value = optimize(model)
            if status == "optimal" and math.isfinite(value) and abs(value) > FLUX_EPS:
                caps.append((r, abs(float(value))))
    out: list[dict[str, Any]] = []
    for r, cap in caps:
        lower, upper = (r.lower_bound, cap) if fluxes[r.id] > 0 else (-cap, r.upper_bound)
        change = {"op": "set_bounds", "model": name, "reaction": r.id, "lower": lower,
                  "upper": upper}
        with model:
            apply_change(model, change)
            wt_after = _grows(model)
            after = clean(source_growth(model, item, close))
        if wt_after < wild * 0.99 or abs(after - measured) >= abs(before - measured):
            continue
        out.append(_proposal(model, item, "overestimated", "cap_transport", f"cap {r.id} "
                             f"({r.name}) at {cap:.4g} mmol/gDW/h: it carries "
                             f"{item.label or item.id}; growth {before:.4g} -> {after:.4g} 1/h "
                             f"(measured {measured:g}), wild type stays {wt_after:.4g}",
                             [change], {"growth_before": before, "growth_after": after,
                                        "measured": measured, "wild_type_after": wt_after}))
        out[-1]["item"] = key
        break
    return out
