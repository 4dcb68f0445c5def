"""Planning: from a frame to the tool calls that answer it.

``plan`` is a pure function of the frame, the model in use when the turn began and the tools
on offer. Arguments are built only from what the question said (mentions, numbers) and are
trimmed to what each tool's JSON Schema accepts, so a tool without, say, ``conditions``
still gets a valid call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from fluxagent.llm.offline.constraints import ELEMENT_SOURCE
from fluxagent.llm.offline.frame import Frame, Slots


@dataclass(frozen=True)
class Call:
    name: str
    args: dict[str, Any]
    role: str = "main"          # load | main | wild_type | fluxes
    label: str = ""             # which variant of a comparison
    variant: dict[str, Any] = field(default_factory=dict)


#: Intent -> the tools that can serve it, in order of preference.
TOOLS: dict[str, tuple[str, ...]] = {
    "growth": ("run_fba",),
    "knockout": ("knockout_genes", "run_fba"),
    "essential": ("essential_genes", "essential_reactions"),
    "fva": ("run_fva",),
    "production": ("theoretical_yield", "production_envelope", "run_fba"),
    "minimal_medium": ("minimal_medium",),
    "blocked": ("find_blocked_reactions",),
    "summary": ("model_summary",),
    "medium": ("get_medium",),
    "validation": ("validate_model",),
    "pathway": ("find_pathway",),
    "pfba": ("run_pfba",),
    "flux": ("run_fba",),
    "sampling": ("flux_sampling",),
    "list_models": ("list_models",),
    "auxotrophy": ("find_auxotrophies",),
    "deletion_screen": ("gene_deletion_screen",),
    "build_model": ("build_model_from_genome",),
    "lookup": ("lookup_compound", "lookup_reaction"),
    "translate": ("translate_ids",),
    "phenotypes": ("compare_phenotypes", "reconcile_phenotypes"),
}
_REACTION_QUERY = re.compile(r"\breactions?\b|\brxn\d{5}|\bec\s*\d+\.|^\d+\.\d+\.|ase\b", re.I)

MODEL_FILE = re.compile(r"\.(xml|xml\.gz|sbml|json|ya?ml|mat)$", re.IGNORECASE)


def tool_params(specs: list[dict[str, Any]]) -> dict[str, set[str]]:
    """{tool name: the argument names its schema accepts}."""
    out: dict[str, set[str]] = {}
    for spec in specs:
        params = spec.get("parameters") or spec.get("input_schema") or {}
        out[str(spec.get("name"))] = set((params.get("properties") or {}).keys())
    return out


def conditions(s: Slots, variant: dict[str, Any] | None = None, *,
               with_knockouts: bool = False) -> dict[str, Any]:
    """The per-call Conditions (tools/conditions.py) the slots describe."""
    v = variant or {}
    c: dict[str, Any] = {}
    if v.get("baseline"):  # the model as it is: the reference of "become essential"
        return c
    if s.medium:  # the whole medium first: the conditions below change it further
        c["medium"] = dict(s.medium)
    if s.open_exchanges:  # "open all exchanges and maximise ATPM_c0"
        c["open_exchanges"] = True
    carbon = v.get("carbon_source", s.carbon_source)
    if carbon:
        c["carbon_source"] = carbon
    carbon_uptake = v.get("carbon_uptake", s.carbon_uptake)
    if carbon_uptake is not None:
        c["carbon_uptake"] = carbon_uptake
    oxygen = v.get("oxygen", s.oxygen)
    if oxygen is not None:
        c["oxygen"] = oxygen
    uptakes = {m: u for m, u in s.uptakes}
    if s.oxygen_uptake is not None and oxygen is not False and s.oxygen_uptake > 0:
        uptakes["oxygen"] = s.oxygen_uptake
    uptakes.update(v.get("uptakes", {}))
    if uptakes:
        c["uptakes"] = uptakes
    if s.bounds:
        c["bounds"] = {r: [lo, hi] for r, lo, hi in s.bounds}
    if s.factors:
        c["factors"] = dict(s.factors)
    if s.demands:
        c["demands"] = list(s.demands)
    if with_knockouts:  # "... of the pgi mutant": the knockouts are part of the conditions
        kos = v.get("knockouts", s.knockouts)
        genes = [g for g in s.genes if g in kos]
        rxns = [r for r in s.reactions if r in kos]
        if genes:
            c["knockout_genes"] = genes
        if rxns:
            c["knockout_reactions"] = rxns
    return c


def targets(s: Slots) -> list[str]:
    """Reactions an analysis is about (not those knocked out as a condition)."""
    return [r for r in s.reactions if r not in s.knockouts]


def variants(frame: Frame) -> list[tuple[str, dict[str, Any]]]:
    """The conditions a comparison runs side by side (one unlabelled run otherwise)."""
    s = frame.slots
    if len(s.models) > 1:
        return [(m, {"model": m}) for m in s.models]
    if s.oxygen_both and len(s.carbon_sources) > 1:  # "aerobic vs anaerobic on glucose and
        return [(f"{o} {c}", {"oxygen": o == "aerobic", "carbon_source": c})  # on glycerol"
                for c in s.carbon_sources for o in ("aerobic", "anaerobic")]
    if s.oxygen_both:
        return [("aerobic", {"oxygen": True}), ("anaerobic", {"oxygen": False})]
    if s.uptake_series:  # "O2 uptake limited to 2, 5 and 10": one run per value
        return [(f"{m} uptake {v:g}", {"carbon_uptake": v} if m == s.carbon_source else
                 {"uptakes": {m: v}}) for m, v in s.uptake_series]
    if s.element_sources:  # "sole nitrogen source comparison: L-alanine, L-serine, ..."
        return [(met, {"uptakes": {ELEMENT_SOURCE[el]: 0.0, met: up}})
                for el, met, up in s.element_sources]
    if len(s.carbon_sources) > 1:
        rates = dict(s.carbon_rates)  # "succinate at 10 or malate at 8": each at its own rate
        return [(c, {"carbon_source": c} | ({"carbon_uptake": rates[c]} if c in rates else {}))
                for c in s.carbon_sources]
    if s.ko_alternatives:
        return [(f"without {k}", {"knockouts": (k,)}) for k in s.knockouts]
    if s.versus_default and frame.intent == "essential" and conditions(s, {}, with_knockouts=True):
        # "which genes become essential without oxygen": those conditions against the defaults
        return [("the conditions asked", {}), ("the default conditions", {"baseline": True})]
    return [("", {})]


def _fit(name: str, args: dict[str, Any], params: dict[str, set[str]]) -> dict[str, Any]:
    accepted = params.get(name)
    return {k: v for k, v in args.items()
            if (accepted is None or k in accepted) and v is not None and v != {} and v != []}


def _load(model: str | None, current: str | None) -> list[Call]:
    """Load a named model that is not the session's current one (it becomes current)."""
    if model is None or model == current:
        return []
    args = {"path": model} if MODEL_FILE.search(model) else {"model": model}
    return [Call("load_model", args, role="load")]


#: Analyses a question can ask for besides its main one ("... and the flux through R").
_SECONDARY = ("flux", "fva", "essential", "production")
#: Main analyses that other analyses can follow.
_CHAINABLE = frozenset({"growth", "knockout", "pfba", "flux", "production"})


def sections_of(frame: Frame) -> list[Frame]:
    """The analyses of one question, in order: the main one, then the others it names (for
    a question of several steps, those of each step)."""
    if frame.steps:
        return [part for step in frame.steps for part in sections_of(step)]
    if frame.intent == "flux" and targets(frame.slots) and frame.slots.growth_floor is not None:
        frame = replace(frame, intent="fva")  # "max CS flux with growth at least 0.5": a range
    if frame.intent not in _CHAINABLE:
        return [frame]
    out = [frame]
    if frame.intent == "production" and frame.scores.get("growth", 0.0) >= 2.0 and \
            (frame.slots.floor_fraction is not None or frame.slots.growth_floor is not None
             or frame.slots.fraction is not None):
        # "find the max growth, then maximise acetate at 90% of it": growth comes first
        out = [replace(frame, intent="growth"), frame]
    for intent in _SECONDARY:
        if intent == frame.intent or frame.scores.get(intent, 0.0) < 3.0:
            continue
        if intent in ("flux", "fva") and (not targets(frame.slots) or
                                          frame.intent == "production"):
            continue  # "max acetate secretion": the product's exchange is the production
        if intent == "essential" and ((frame.intent == "knockout" and not frame.slots.screen_after)
                                      or frame.scores.get(intent, 0.0) < 5.0):
            continue  # "is the pgi zwf mutant lethal" is the knockout's own answer
        if intent == "production" and (frame.slots.product is None or
                                       frame.scores.get(intent, 0.0) < 5.0):
            continue
        out.append(replace(frame, intent=intent))  # type: ignore[arg-type]
    return out


def plan(frame: Frame, *, current_model: str | None, specs: list[dict[str, Any]],
         missing: frozenset[str] = frozenset()) -> list[Call]:
    """The tool calls that answer ``frame``, in order."""
    params = tool_params(specs)
    available = set(params)
    s = frame.slots
    intent = frame.intent
    runs = variants(frame)
    many_models = len(s.models) > 1
    calls: list[Call] = [] if many_models else _load(s.model, current_model)

    def need(*names: str) -> str:
        """The first of ``names`` on offer, else the first not known to be missing: a router
        may offer a focused subset and hands a call to another tool over to its owner; a tool
        that does not exist comes back as an ``unknown_tool`` error and the next is tried."""
        for n in names:
            if n in available and n not in missing:
                return n
        return next((n for n in names if n not in missing), names[-1])

    def model_arg(v: dict[str, Any]) -> str | None:
        m = v.get("model", s.model)
        return None if m is not None and MODEL_FILE.search(m) else m

    if intent not in _CONDITIONED:  # no conditions to vary; several models still compare
        per_model = many_models and intent in ("summary", "medium", "validation")
        runs = [(m, {"model": m}) for m in s.models] if per_model else [("", {})]
    for label, v in runs:
        base: dict[str, Any] = {"model": model_arg(v), "conditions": conditions(
            s, v, with_knockouts=intent not in ("knockout", "synthetic_lethal"))}
        if intent in ("growth", "flux"):
            if s.objective:
                base = base | {"objective": s.objective, "direction": s.direction}
            calls.append(Call(need("run_fba"), base, label=label, variant=v))
            if (s.percent_change or s.percent_of) and len(runs) == 1 and base["conditions"] \
                    and intent == "growth":
                calls.append(Call(need("run_fba"), base | {"conditions": {}}, role="wild_type",
                                  label=label, variant=v))
            if intent == "flux" and targets(s):
                calls.append(Call(need("run_fva"), base | {"reactions": targets(s),
                                                           "fraction_of_optimum": 1.0},
                                  role="fluxes", label=label, variant=v))
        elif intent == "pfba":
            calls.append(Call(need("run_pfba"), base, label=label, variant=v))
        elif intent == "knockout":
            ks = s.set(knockouts=v["knockouts"]) if "knockouts" in v else s
            calls.extend(_knockout_calls(ks, base, label, v, need))
        elif intent == "info":
            entity = next(iter((*s.reactions, *s.genes, *s.ids)), None)
            if entity:
                kind = "gene" if entity in s.genes else "metabolite" if entity in s.ids and \
                    re.fullmatch(r"[a-z0-9]+(?:__[A-Za-z])?_[a-z]\d?", entity) else "reaction"
                calls.append(Call(need("search_model"), {"model": model_arg(v), "query": entity,
                                                         "kind": kind}))
            break
        elif intent == "synthetic_lethal":
            calls.extend(_synthetic_lethal_calls(s, base, need))
        elif intent == "essential":
            tool = need("essential_reactions" if s.target == "reactions" else "essential_genes")
            extra = {} if tool != "essential_reactions" or not s.boundary else {
                "include_boundary": True,
                "include_objective": s.boundary in ("with", "without_exchanges")} | (
                {"include_exchanges": False} if s.boundary == "without_exchanges" else {})
            if s.boundary == "exchanges" and tool == "essential_genes":
                tool, extra = need("essential_reactions"), {"include_boundary": True,
                                                            "include_objective": False}
            calls.append(Call(tool, base | extra, label=label, variant=v))
        elif intent == "fva":
            fraction = s.fraction if s.fraction is not None else s.floor_fraction
            if fraction is None and s.growth_floor is not None:
                # the floor is the constraint: every flux state growing at least that fast
                base["conditions"] = base["conditions"] | {"growth_floor": s.growth_floor}
                fraction = 0.0
            args = base | {"reactions": targets(s) or None, "fraction_of_optimum": fraction}
            calls.append(Call(need("run_fva"), args, label=label, variant=v))
        elif intent == "production":
            calls.append(_production_call(s, base, label, v, params, missing))
        elif intent == "minimal_medium":
            args = base | {"min_growth": s.growth_floor, "minimize": s.minimize,
                           "growth_fraction": s.floor_fraction}
            calls.append(Call(need("minimal_medium"), args, label=label, variant=v))
        elif intent == "sampling":
            calls.append(Call(need("flux_sampling"), base, label=label, variant=v))
        elif intent == "deletion_screen":
            reactions = (bool(s.reactions) and not s.genes) or (s.target == "reactions" and \
                not s.genes)
            tool = need("reaction_deletion_screen" if reactions else "gene_deletion_screen")
            listed = {"reactions": list(s.reactions)} if reactions and s.reactions else \
                {"genes": list(s.genes)} if s.genes else {}
            calls.append(Call(tool, base | listed, label=label, variant=v))
        elif intent in ("blocked", "auxotrophy"):
            opened = {"open_exchanges": True} if s.open_exchanges and intent == "blocked" else {}
            calls.append(Call(need(*TOOLS[intent]), base | opened, label=label, variant=v))
        elif intent in ("summary", "medium", "validation"):
            calls.append(Call(need(*TOOLS[intent]), {"model": model_arg(v)}, label=label,
                              variant=v))
        elif intent == "phenotypes":
            args = {"model": model_arg(v),
                    "dataset": s.phenotype_data or "ecoli_essentiality"}
            named = list(s.genes) if args["dataset"] == "ecoli_essentiality" else \
                list(s.carbon_sources or ([s.carbon_source] if s.carbon_source else []))
            if named and not s.propose_fixes:  # "predicted vs measured growth on glycerol"
                args["items"] = named
            calls.append(Call(need("reconcile_phenotypes" if s.propose_fixes
                                   else "compare_phenotypes"), args, label=label, variant=v))
        elif intent == "pathway":
            args = {"model": model_arg(v), "source": s.source, "target": s.sink}
            calls.append(Call(need("find_pathway"), args, label=label, variant=v))
        elif intent == "list_models":
            calls.append(Call(need("list_models"), {}))
            break
        elif intent in ("build_model", "lookup", "translate"):
            calls.extend(_modelseed_calls(frame, need))
            break
    out: list[Call] = []
    seen: set[str] = set()
    for c in calls:
        fitted = Call(c.name, _fit(c.name, c.args, params), c.role, c.label, c.variant)
        key = c.name + repr(sorted(fitted.args.items()))
        if key not in seen:
            seen.add(key)
            out.append(fitted)
    return out


#: Intents whose tools take per-call conditions (and so can compare conditions).
_CONDITIONED = frozenset({"growth", "flux", "pfba", "knockout", "essential", "fva",
                          "production", "minimal_medium", "sampling", "blocked", "auxotrophy",
                          "deletion_screen", "synthetic_lethal"})


def _synthetic_lethal_calls(s: Slots, base: dict[str, Any], need: Any) -> list[Call]:
    """All synthetic lethal pairs, or the partners of the one gene/reaction named."""
    reactions = s.target == "reactions" or (bool(s.reactions) and not s.genes)
    named = s.reactions if reactions else s.genes
    same = {b: a for a, b in s.aliases} | dict(s.aliases)
    distinct: list[str] = []
    for x in named:  # "pgi (b4025) and zwf (b1852)": two genes, each said twice
        if x not in distinct and same.get(x) not in distinct:
            distinct.append(x)
    kind = {"kind": "reaction" if reactions else "gene"}
    if len(distinct) == 2:  # "are pgi and zwf synthetic lethal?": that one pair
        return [Call(need("synthetic_lethals"), base | kind | {"pair": distinct})]
    return [Call(need("synthetic_lethals"), base | kind | {
        "partner": distinct[0] if distinct else None})]


def _modelseed_calls(frame: Frame, need: Any) -> list[Call]:
    """Draft building, biochemistry lookups and id translation (no conditions)."""
    s = frame.slots
    if frame.intent == "build_model" and s.genome:
        return [Call(need("build_model_from_genome"), {"genome": s.genome})]
    if frame.intent == "lookup" and s.query:
        reaction = s.target == "reactions" or _REACTION_QUERY.search(s.query)
        tool = "lookup_reaction" if reaction else "lookup_compound"
        query = re.sub(r"^(ec|reactions?)\s+", "", s.query, flags=re.I)
        return [Call(need(tool), {"query": query})]
    if frame.intent == "translate" and s.namespace:
        if any(i.lower() in ("medium", "media") for i in s.ids):
            return [Call(need("translate_ids"), {"target": s.namespace, "model_medium": True})]
        if s.ids:
            return [Call(need("translate_ids"), {"target": ns, "ids": list(s.ids)})
                    for ns in (s.namespaces or (s.namespace,))]
    return []


def _knockout_calls(s: Slots, base: dict[str, Any], label: str, v: dict[str, Any],
                    need: Any) -> list[Call]:
    if s.knockouts:  # "knock out pgi and report the flux through G6PDH2r": only pgi goes
        s = s.set(genes=tuple(g for g in s.genes if g in s.knockouts),
                  reactions=tuple(r for r in s.reactions if r in s.knockouts))
    if s.genes and not s.reactions:
        return [Call(need("knockout_genes"), base | {"genes": list(s.genes)}, label=label,
                     variant=v)]
    if s.reactions and not s.genes:
        return [Call(need("knockout_reactions"), base | {"reactions": list(s.reactions)},
                     label=label, variant=v)]
    cond = dict(base["conditions"]) | {"knockout_genes": list(s.genes),
                                       "knockout_reactions": list(s.reactions)}
    return [Call(need("run_fba"), base, role="wild_type", label=label, variant=v),
            Call(need("run_fba"), base | {"conditions": cond}, label=label, variant=v)]


def _production_call(s: Slots, base: dict[str, Any], label: str, v: dict[str, Any],
                     params: dict[str, set[str]], missing: frozenset[str]) -> Call:
    if s.floor_fraction is None and s.growth_floor is None and s.fraction is not None:
        s = s.set(floor_fraction=s.fraction)  # "maximise ethanol at 50% of that growth"
    floors = s.growth_floor is not None or s.floor_fraction is not None
    # theoretical_yield also gives the molar yield; run_fba (no growth floor) is the fallback
    tool = next((t for t in TOOLS["production"][: 2 if floors else 3] if t not in missing),
                "run_fba")
    product = s.product or ""
    if tool == "run_fba":
        return Call(tool, base | {"objective": product, "direction": "max"}, label=label,
                    variant=v)
    accepted = params.get(tool, set())
    key = next((k for k in ("product", "reaction", "target") if k in accepted), "product")
    args = base | {key: product}
    if s.growth_floor is not None:
        floor_key = next((k for k in ("min_growth", "growth_floor", "min_biomass")
                          if k in accepted), "min_growth")
        args[floor_key] = s.growth_floor
    if s.floor_fraction is not None:
        key2 = next((k for k in ("growth_fraction", "min_growth_fraction", "fraction_of_optimum")
                     if k in accepted), "growth_fraction")
        args[key2] = s.floor_fraction
    return Call(tool, args, label=label, variant=v)
