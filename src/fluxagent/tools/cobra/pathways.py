"""Routes and subsystems: ``find_pathway`` and ``subsystem_summary``.

A route is searched in the metabolite graph of the model with currency metabolites removed
(water, protons, ATP/ADP, redox carriers, CoA, ...). Within a reaction, a substrate is linked
only to the products whose carbon count is closest to its own (an approximation of reactant
pairs), so glucose goes to glucose 6-phosphate in the PTS, not to pyruvate. Directions follow
the current bounds: a knocked-out or irreversible reaction is never walked backwards.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

import cobra
from cobra.core.solution import get_solution
from cobra.flux_analysis import pfba
from pydantic import Field

from fluxagent.tools.cobra.validation import biomass_reactions
from fluxagent.tools.conditions import apply_conditions, conditions_text
from fluxagent.tools.linking import link, link_many
from fluxagent.tools.models import build_info
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    fmt,
    infeasible_hint,
    optimize,
    put_table,
    require_objective,
)

#: Currency metabolites (BiGG base ids, ModelSEED compound ids), never a step of a route.
CURRENCY_BASES: frozenset[str] = frozenset({
    "h", "h2o", "atp", "adp", "amp", "gtp", "gdp", "gmp", "ctp", "cdp", "cmp", "utp", "udp",
    "ump", "itp", "idp", "nad", "nadh", "nadp", "nadph", "fad", "fadh2", "fmn", "fmnh2",
    "q8", "q8h2", "mqn8", "mql8", "2dmmq8", "2dmmql8", "co2", "hco3", "pi", "ppi", "coa",
    "o2", "h2o2", "nh4", "nh3", "so4", "so3", "h2s", "na1", "k", "fe2", "fe3", "ACP", "trdox",
    "trdrd", "gthox", "gthrd", "o2s", "no", "no2", "no3", "cl", "ca2", "mg2", "mn2", "zn2",
    "cu2", "cobalt2", "mobd", "ni2",
    # ModelSEED: H2O, H+, ATP, ADP, Pi, PPi, NAD, NADH, NADP, NADPH, CO2, CoA, O2, NH3, AMP
    "cpd00001", "cpd00067", "cpd00002", "cpd00008", "cpd00009", "cpd00012", "cpd00003",
    "cpd00004", "cpd00006", "cpd00005", "cpd00011", "cpd00010", "cpd00007", "cpd00013",
    "cpd00018",
})

_COMPARTMENT = re.compile(r"^(.*?)(?:_[a-z][a-z0-9]{0,2})$")


def base_id(met_id: str) -> str:
    """``atp_c`` -> ``atp``; ``cpd00002_c0`` -> ``cpd00002``; ids without a suffix unchanged."""
    m = _COMPARTMENT.match(met_id)
    return m.group(1) if m else met_id


def currency_metabolites(model: cobra.Model, extra_share: float = 0.05) -> set[str]:
    """Known currency metabolites plus any metabolite in more than ``extra_share`` of all
    reactions (at least 20): in a foreign namespace that still catches water and protons."""
    cutoff = max(20, int(extra_share * len(model.reactions)))
    return {m.id for m in model.metabolites
            if base_id(m.id) in CURRENCY_BASES or len(m.reactions) > cutoff}


def _carbons(met: cobra.Metabolite) -> int | None:
    try:
        return int(met.elements.get("C", 0)) if met.formula else None
    except (ValueError, TypeError):
        return None


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, base_id(a), base_id(b)).ratio()


def _pairs(subs: list[cobra.Metabolite], prods: list[cobra.Metabolite]) -> list[tuple[str, str]]:
    """Substrate -> product links of one reaction direction.

    Each substrate goes to the products with the closest carbon count. In a two-by-two
    reaction (a group transfer such as the PTS or a transamination) the one-to-one pairing
    with the smaller carbon difference, then the more similar ids, wins when it is clearly
    better, so ``dha + pep -> dhap + pyr`` links dha to dhap and pep to pyr.
    """
    if len(subs) == 2 and len(prods) == 2:
        options = []
        for p0, p1 in ((prods[0], prods[1]), (prods[1], prods[0])):
            pairing = ((subs[0], p0), (subs[1], p1))
            dc = sum(_cdiff(s, p) for s, p in pairing)
            sim = sum(_similarity(s.id, p.id) for s, p in pairing)
            options.append((dc, -sim, pairing))
        options.sort(key=lambda o: (o[0], o[1]))
        (dc0, sim0, best), (dc1, sim1, _) = options
        if dc0 < dc1 or (dc0 == dc1 and sim1 - sim0 > 0.3):
            return [(s.id, p.id) for s, p in best]
    out: list[tuple[str, str]] = []
    for s in subs:
        scored = [(_cdiff(s, p), p.id) for p in prods]
        if not scored:
            continue
        best_d = min(d for d, _ in scored)
        out.extend((s.id, pid) for d, pid in scored if d == best_d)
    return out


def _cdiff(s: cobra.Metabolite, p: cobra.Metabolite) -> int:
    cs, cp = _carbons(s), _carbons(p)
    return abs(cs - cp) if cs and cp is not None else 0


@dataclass(frozen=True)
class Edge:
    reaction: str
    direction: str  # "forward" or "reverse"
    cosubstrates: int = 0  # other non-currency substrates the step needs


def metabolite_graph(model: cobra.Model, currency: set[str], carbon_pairs: bool = True,
                     skip: set[str] | None = None) -> dict[str, dict[str, list[Edge]]]:
    """Directed graph metabolite -> metabolite -> the reaction steps that connect them."""
    graph: dict[str, dict[str, list[Edge]]] = {}
    for r in model.reactions:
        if skip and r.id in skip:
            continue
        subs = [m for m, c in r.metabolites.items() if c < 0 and m.id not in currency]
        prods = [m for m, c in r.metabolites.items() if c > 0 and m.id not in currency]
        steps = []
        if r.upper_bound > 0:
            steps.append((subs, prods, "forward"))
        if r.lower_bound < 0:
            steps.append((prods, subs, "reverse"))
        for a, b, direction in steps:
            links = _pairs(a, b) if carbon_pairs else [(x.id, y.id) for x in a for y in b]
            for x, y in links:
                graph.setdefault(x, {}).setdefault(y, []).append(
                    Edge(r.id, direction, len(a) - 1))
    return graph


def shortest_route(model: cobra.Model, source: str, target: str, *,
                   ignore: set[str] | None = None, keep: set[str] | None = None,
                   carbon_pairs: bool = True, max_steps: int = 40) -> dict[str, Any]:
    """Breadth-first search for the route with the fewest reactions from source to target.

    Biomass reactions are never steps, and a step may not undo the one before it through the
    same reaction (``fum -> argsuc -> arg`` via ARGSL both ways is not a route).
    """
    currency = (currency_metabolites(model) | (ignore or set())) - (keep or set())
    currency -= {source, target}
    skip = {r.id for r in biomass_reactions(model)}
    graph = metabolite_graph(model, currency, carbon_pairs, skip)
    State = tuple[str, str]  # (metabolite, reaction used to reach it)
    start: State = (source, "")
    prev: dict[State, tuple[State, Edge] | None] = {start: None}
    seen_mets = {source}
    queue: deque[tuple[State, int]] = deque([(start, 0)])
    goal: State | None = None
    while queue and goal is None:
        state, depth = queue.popleft()
        if depth >= max_steps:
            continue
        for nxt, edges in sorted(graph.get(state[0], {}).items()):
            for e in sorted(edges, key=lambda e: (e.cosubstrates, e.reaction)):
                if e.reaction == state[1]:
                    continue
                key: State = (nxt, e.reaction)
                if key in prev:
                    continue
                prev[key] = (state, e)
                seen_mets.add(nxt)
                if nxt == target:
                    goal = key
                    break
                queue.append((key, depth + 1))
            if goal is not None:
                break
    result: dict[str, Any] = {"source": source, "target": target, "found": goal is not None,
                              "currency_ignored": sorted(currency), "reached": len(seen_mets)}
    if goal is None:
        return {**result, "reactions": [], "metabolites": [], "steps": 0}
    mets, edges = [goal[0]], []
    cur: State = goal
    while (link := prev[cur]) is not None:
        cur, edge = link
        mets.append(cur[0])
        edges.append(edge)
    mets.reverse()
    edges.reverse()
    reactions = []
    for e in edges:
        r = model.reactions.get_by_id(e.reaction)
        reactions.append({"id": r.id, "name": r.name,
                          "equation": equation(r, reverse=e.direction == "reverse"),
                          "direction": e.direction, "subsystem": r.subsystem or ""})
    return {**result, "reactions": reactions, "metabolites": mets, "steps": len(edges)}


def equation(r: cobra.Reaction, reverse: bool = False) -> str:
    """The reaction as walked: ``a + 2 b --> c`` (reversed when used backwards)."""
    def side(sign: int) -> str:
        return " + ".join(f"{'' if abs(c) == 1 else f'{abs(c):g} '}{m.id}"
                          for m, c in r.metabolites.items() if c * sign > 0)
    left, right = side(-1), side(1)
    return f"{right} --> {left}" if reverse else f"{left} --> {right}"


def subsystem_table(model: cobra.Model, subsystems: dict[str, str],
                    fluxes: dict[str, float] | None = None) -> list[dict[str, Any]]:
    """Reactions per subsystem and, given fluxes, active reactions and total |flux|."""
    rows: dict[str, dict[str, Any]] = {}
    for r in model.reactions:
        name = subsystems.get(r.id) or "(none)"
        row = rows.setdefault(name, {"subsystem": name, "reactions": 0})
        row["reactions"] += 1
        if fluxes is not None:
            v = abs(fluxes.get(r.id, 0.0))
            active = v > 1e-6
            row["active"] = row.get("active", 0) + int(active)
            row["total_flux"] = row.get("total_flux", 0.0) + (v if active else 0.0)
    out = list(rows.values())
    for row in out:
        if "total_flux" in row:
            row["total_flux"] = round(row["total_flux"], 6)
    if fluxes is not None:
        return sorted(out, key=lambda x: (-x["total_flux"], x["subsystem"]))
    return sorted(out, key=lambda x: (-x["reactions"], x["subsystem"]))


#: Subsystems of E. coli core reactions (after BiGG e_coli_core, Orth et al. 2010); used when a
#: model has no subsystem annotations of its own (cobrapy's bundled textbook model has none).
CORE_SUBSYSTEMS: dict[str, tuple[str, ...]] = {
    "Glycolysis/Gluconeogenesis": ("PGI", "PFK", "FBP", "FBA", "TPI", "GAPD", "PGK", "PGM",
                                   "ENO", "PYK", "PPS", "PDH"),
    "Pentose Phosphate Pathway": ("G6PDH2r", "PGL", "GND", "RPI", "RPE", "TKT1", "TKT2",
                                  "TALA"),
    "Citric Acid Cycle": ("CS", "ACONTa", "ACONTb", "ICDHyr", "AKGDH", "SUCOAS", "SUCDi",
                          "FUM", "MDH"),
    "Anaplerotic reactions": ("ICL", "MALS", "ME1", "ME2", "PPC", "PPCK"),
    "Pyruvate Metabolism": ("PFL", "PTAr", "ACKr", "ACALD", "ALCD2x", "LDH_D"),
    "Glutamate Metabolism": ("GLNS", "GLUDy", "GLUN", "GLUSy"),
    "Oxidative Phosphorylation": ("ATPS4r", "CYTBD", "NADH16", "NADTRHD", "THD2", "FRD7",
                                  "ADK1"),
    "Biomass and maintenance functions": ("Biomass_Ecoli_core", "ATPM"),
    "Inorganic Ion Transport and Metabolism": ("NH4t", "PIt2r"),
    "Transport, Extracellular": ("ACALDt", "ACt2r", "AKGt2r", "CO2t", "D_LACt2", "ETOHt2r",
                                 "FORt2", "FORti", "FRUpts2", "FUMt2_2", "GLCpts", "GLNabc",
                                 "GLUt2r", "H2Ot", "MALt2_2", "O2t", "PYRt2", "SUCCt2_2",
                                 "SUCCt3"),
}
_CORE_LOOKUP = {rid: sub for sub, ids in CORE_SUBSYSTEMS.items() for rid in ids}


def subsystems_of(model: cobra.Model) -> tuple[dict[str, str], str]:
    """{reaction id: subsystem} and where it came from ('model' or the core map)."""
    own = {r.id: r.subsystem for r in model.reactions if r.subsystem}
    if own:
        return own, "model"
    exchange_ids = {r.id for r in model.exchanges}
    mapped = {r.id: _CORE_LOOKUP.get(r.id, "Extracellular exchange" if r.id in exchange_ids
                                     else "") for r in model.reactions}
    if sum(1 for v in mapped.values() if v) >= 0.5 * max(len(mapped), 1):
        return {k: v for k, v in mapped.items() if v}, "E. coli core map (after BiGG)"
    return {}, "none"


# --------------------------------------------------------------------------- tools
def _name(model: cobra.Model) -> str:
    info = build_info(model)
    return info.name if info else model.id


def link_metabolite(model: cobra.Model, text: str, compartment: str | None) -> str:
    """A metabolite id; a name found in several compartments picks the cytosol (then the
    extracellular space) unless ``compartment`` says otherwise. Other ambiguity fails."""
    try:
        return link(model, text, "metabolite", compartment=compartment or "c")
    except ToolFailure as exc:
        if compartment is None and exc.kind == "unknown_id" and exc.data.get("candidates"):
            try:
                return link(model, text, "metabolite", compartment="e")
            except ToolFailure:
                pass
        raise


class PathwayArgs(AnalysisArgs):
    source: str = Field(description="Start metabolite: id (glc__D_e) or name (glucose).")
    target: str = Field(description="End metabolite: id or name.")
    compartment: str | None = Field(default=None, description="Compartment for names found "
                                    "in several (default: c, then e).")
    max_steps: int = Field(default=40, ge=1, le=200, description="Longest route searched "
                           "(reactions).")
    ignore: list[str] = Field(default_factory=list, description="Further metabolites to "
                              "treat as currency (never a step).")
    keep: list[str] = Field(default_factory=list, description="Currency metabolites to allow "
                            "as steps after all.")
    carbon_pairs: bool = Field(default=True, description="Link substrates only to products "
                               "of similar carbon count (biochemically meaningful routes).")


@REGISTRY.tool("find_pathway", "Shortest biochemically meaningful route (fewest reactions) "
               "between two metabolites, ignoring currency metabolites and respecting "
               "reaction directions.", PathwayArgs)
def find_pathway(args: PathwayArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    with model:
        applied = apply_conditions(model, args.conditions)
        src = link_metabolite(model, args.source, args.compartment)
        dst = link_metabolite(model, args.target, args.compartment)
        ignore = set(link_many(model, args.ignore, "metabolite")) if args.ignore else set()
        keep = set(link_many(model, args.keep, "metabolite")) if args.keep else set()
        if src == dst:
            raise ToolFailure("bad_arguments", f"source and target are the same metabolite "
                              f"({src})", hint="give two different metabolites")
        route = shortest_route(model, src, dst, ignore=ignore, keep=keep,
                               carbon_pairs=args.carbon_pairs, max_steps=args.max_steps)
        prov = provenance(model, parameters=args.model_dump(
            exclude_none=True, exclude={"model", "conditions"}), applied=applied)
        names = {m: model.metabolites.get_by_id(m).name for m in (src, dst)}
    label = {m: f"{m} ({names[m]})" if names[m] else m for m in names}
    if route["found"]:
        steps = ", ".join(r["id"] + (" (reverse)" if r["direction"] == "reverse" else "")
                          for r in route["reactions"])
        summary = (f"Shortest route in {_name(model)} from {label[src]} to {label[dst]}: "
                   f"{route['steps']} reactions: {steps}. Metabolites: "
                   f"{' → '.join(route['metabolites'])}. Currency metabolites (h2o, atp, "
                   f"nad(p)h, co2, ...) are ignored; other routes of the same length may "
                   f"exist.")
    else:
        summary = (f"No route in {_name(model)} from {label[src]} to {label[dst]} within "
                   f"{args.max_steps} reactions (respecting reaction directions, currency "
                   f"metabolites ignored); {route['reached']} metabolites are reachable from "
                   f"{src}.")
    data = route | {"conditions": applied, "names": names}
    data["currency_ignored"] = route["currency_ignored"]
    rows = [{"step": i + 1, **r} for i, r in enumerate(route["reactions"])]
    return ToolResult(tool="find_pathway", summary=summary, data=data, provenance=prov,
                      artifacts=put_table(ctx, "pathway", rows, ["step", "id", "name",
                                                                 "equation", "direction",
                                                                 "subsystem"]))


class SubsystemArgs(AnalysisArgs):
    flux: Literal["none", "fba", "pfba"] = Field(default="none", description="Also sum "
                                                 "|flux| per subsystem from an FBA or "
                                                 "parsimonious FBA solution.")


@REGISTRY.tool("subsystem_summary", "Reactions per subsystem (pathway) and, optionally, the "
               "active reactions and total flux per subsystem.", SubsystemArgs)
def subsystem_summary(args: SubsystemArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    subsystems, source = subsystems_of(model)
    fluxes: dict[str, float] | None = None
    objective_value: float | None = None
    with model:
        applied = apply_conditions(model, args.conditions)
        if args.flux != "none":
            require_objective(model)
            status, objective_value = optimize(model, cold=True)
            if status != "optimal":
                raise ToolFailure("infeasible", "no feasible flux under these conditions, so "
                                  "there is no flux per subsystem", hint=infeasible_hint(model))
            sol = pfba(model) if args.flux == "pfba" else get_solution(model)
            fluxes = sol.fluxes.to_dict()
        prov = provenance(model, parameters={"flux": args.flux}, applied=applied)
    rows = subsystem_table(model, subsystems, fluxes)
    n_sub = sum(1 for r in rows if r["subsystem"] != "(none)")
    if fluxes is None:
        top = ", ".join(f"{r['subsystem']} {r['reactions']}" for r in rows[:12])
        summary = (f"{_name(model)}: {len(model.reactions)} reactions in {n_sub} subsystems "
                   f"(source: {source}). Reactions per subsystem: {top}"
                   + (" …" if len(rows) > 12 else "") + ".")
    else:
        top = ", ".join(f"{r['subsystem']} {fmt(r['total_flux'], 4)} ({r['active']}/"
                        f"{r['reactions']} active)" for r in rows[:12] if r["total_flux"] > 0)
        summary = (f"{_name(model)} ({conditions_text(applied)}), {args.flux.upper()} "
                   f"objective {fmt(objective_value)}: total |flux| per subsystem "
                   f"(mmol/gDW/h): {top}. Subsystem source: {source}.")
    data = {"subsystems": rows, "source": source, "flux": args.flux,
            "objective_value": objective_value, "conditions": applied}
    cols = ["subsystem", "reactions"] + (["active", "total_flux"] if fluxes is not None else [])
    return ToolResult(tool="subsystem_summary", summary=summary, data=data, provenance=prov,
                      artifacts=put_table(ctx, "subsystems", rows, cols))
