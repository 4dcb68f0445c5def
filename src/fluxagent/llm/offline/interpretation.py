"""The interpretation of a question in machine-readable form (``ask --json``'s
``interpretation``) and in one readable line: the model, the ordered conditions and the
ordered analyses the answer used."""

from __future__ import annotations

from typing import Any

from fluxagent.llm.offline.frame import Frame, Slots


def conditions(s: Slots) -> list[dict[str, Any]]:
    """Typed conditions, in the order a model is changed (medium first, bounds last)."""
    out: list[dict[str, Any]] = []
    if s.medium:
        out.append({"type": "medium", "uptakes": dict(s.medium)})
    if s.cofeed:
        out.append({"type": "cofeed", "carbon_sources": list(s.cofeed),
                    "max_uptake": s.carbon_uptake})
    elif len(s.carbon_sources) > 1:
        out.append({"type": "compare_carbon_sources", "carbon_sources": list(s.carbon_sources),
                    "max_uptake": s.carbon_uptake} |
                   ({"max_uptakes": dict(s.carbon_rates)} if s.carbon_rates else {}))
    elif s.carbon_source:
        out.append({"type": "sole_carbon_source", "metabolite": s.carbon_source,
                    "max_uptake": s.carbon_uptake})
    elif s.carbon_uptake is not None:
        out.append({"type": "carbon_uptake", "max_uptake": s.carbon_uptake})
    for element, met in s.sole_element:
        out.append({"type": f"sole_{element}_source", "metabolite": met})
    cofed = set(s.cofeed)
    sole = {m for _, m in s.sole_element} | {src for _, src in s.sole_element}
    for met, value in s.uptakes:
        if met in cofed or met in sole:
            continue
        out.append({"type": "uptake_removed" if value == 0 else "uptake_limit",
                    "nutrient": met, "max_uptake": value})
    if s.oxygen_both:
        out.append({"type": "oxygen", "value": "aerobic and anaerobic (compared)"})
    elif s.oxygen is not None or s.oxygen_uptake is not None:
        out.append({"type": "oxygen", "value": "aerobic" if s.oxygen is not False else
                    "anaerobic", "max_uptake": s.oxygen_uptake})
    kos = set(s.knockouts)
    genes = [g for g in s.genes if g in kos]
    rxns = [r for r in s.reactions if r in kos]
    if genes:
        out.append({"type": "knockout_genes", "genes": genes})
    if rxns:
        out.append({"type": "knockout_reactions", "reactions": rxns})
    for rid, lo, hi in s.bounds:
        out.append({"type": "reaction_bounds", "reaction": rid, "lower": lo, "upper": hi})
    for name, factor in s.factors:
        out.append({"type": "limit_factor", "target": name, "factor": factor})
    for met in s.demands:
        out.append({"type": "demand", "metabolite": met, "reaction": f"DM_{met}"})
    if s.objective:
        out.append({"type": "objective", "reaction": s.objective, "direction": s.direction})
    if s.growth_floor is not None:
        out.append({"type": "growth_floor", "min_growth": s.growth_floor})
    if s.floor_fraction is not None:
        out.append({"type": "growth_floor", "fraction_of_optimum": s.floor_fraction})
    if len(s.models) > 1:
        out.append({"type": "compare_models", "models": list(s.models)})
    if s.element_sources:
        out.append({"type": "compare_element_sources", "element": s.element_sources[0][0],
                    "metabolites": [m for _, m, _ in s.element_sources],
                    "max_uptake": s.element_sources[0][2]})
    if s.uptake_series:
        out.append({"type": "compare_uptakes", "nutrient": s.uptake_series[0][0],
                    "values": [v for _, v in s.uptake_series]})
    if s.open_exchanges:
        out.append({"type": "open_exchanges"})
    return out


def analyses(frames: list[Frame]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for f in frames:
        s = f.slots
        a: dict[str, Any] = {"type": f.intent}
        targets = [r for r in s.reactions if r not in s.knockouts]
        if f.intent in ("flux", "fva") and targets:
            a["reactions"] = targets
        if f.intent == "knockout":
            a["genes"] = list(s.genes)
            a["reactions"] = list(s.reactions)
        if f.intent == "fva" and (s.fraction is not None or s.floor_fraction is not None):
            a["fraction_of_optimum"] = s.fraction if s.fraction is not None else \
                s.floor_fraction
        if f.intent == "production" and s.product:
            a["product"] = s.product
        if f.intent == "essential":
            a["target"] = s.target
        if f.intent == "phenotypes":
            a["dataset"] = s.phenotype_data or "ecoli_essentiality"
            a["propose_fixes"] = s.propose_fixes
        if f.intent in ("lookup",) and s.query:
            a["query"] = s.query
        if f.intent == "translate":
            a["ids"] = list(s.ids)
            a["namespaces"] = list(s.namespaces or ((s.namespace,) if s.namespace else ()))
        out.append(a)
    s = frames[0].slots
    if s.doubling:
        out.append({"type": "doubling_time", "unit": s.doubling})
    if s.percent_change:
        out.append({"type": "percent_change"})
    if s.best:
        out.append({"type": "best_of", "direction": s.best})
    if s.biomass_yield:
        out.append({"type": "biomass_yield"})
    return out


def describe(frames: list[Frame], model: str | None) -> dict[str, Any]:
    return {"model": model, "conditions": conditions(frames[0].slots),
            "analyses": analyses(frames)}


def cond_text(c: dict[str, Any]) -> str:
    t = c["type"]
    up = f" (max uptake {c['max_uptake']:g})" if c.get("max_uptake") is not None else ""
    if t == "sole_carbon_source":
        return f"{c['metabolite']} as sole carbon source{up}"
    if t == "medium":
        return "medium exactly: " + ", ".join(f"{k} ≤ {v:g}" for k, v in c["uptakes"].items())
    if t == "cofeed":  # each source has its own uptake: the tool call's arguments say which
        return " + ".join(c["carbon_sources"]) + " fed together"
    if t == "compare_carbon_sources":
        return "carbon sources compared: " + ", ".join(c["carbon_sources"])
    if t == "uptake_limit":
        return f"{c['nutrient']} uptake ≤ {c['max_uptake']:g}"
    if t == "uptake_removed":
        return f"no {c['nutrient']}"
    if t.startswith("sole_"):
        return f"{c['metabolite']} as {t[5:].replace('_', ' ')}"
    if t == "oxygen":
        return str(c["value"]) + up
    if t == "knockout_genes":
        return "genes knocked out: " + ", ".join(c["genes"])
    if t == "knockout_reactions":
        return "reactions blocked: " + ", ".join(c["reactions"])
    if t == "reaction_bounds":
        lo = "" if c["lower"] is None else f"{c['lower']:g}"
        hi = "" if c["upper"] is None else f"{c['upper']:g}"
        return f"{c['reaction']} bounds [{lo or 'model'}, {hi or 'model'}]"
    if t == "limit_factor":
        return f"{c['target']} limits ×{c['factor']:g}"
    if t == "demand":
        return f"demand reaction {c['reaction']} added"
    if t == "objective":
        return f"objective: {c['direction']}imise {c['reaction']}"
    if t == "growth_floor":
        return ("growth ≥ " + (f"{c['min_growth']:g} 1/h" if "min_growth" in c else
                               f"{100 * c['fraction_of_optimum']:g}% of the optimum"))
    if t == "compare_models":
        return "models compared: " + ", ".join(c["models"])
    if t == "compare_element_sources":
        return f"{c['element']} sources compared: " + ", ".join(c["metabolites"]) + up
    if t == "compare_uptakes":
        return f"{c['nutrient']} uptake compared at " + ", ".join(f"{v:g}" for v in c["values"])
    if t == "open_exchanges":
        return "every exchange open"
    return t


def line(doc: dict[str, Any]) -> str:
    """'Understood: iJO1366; xylose as sole carbon source (max uptake 3) → growth.'"""
    model = doc.get("model") or "the session's model"
    if doc.get("steps"):  # "Understood: salmonella; step 1: ... → growth; step 2: ..."
        return f"Understood: {model}; " + "; ".join(
            f"step {i}: " + _what(step) for i, step in enumerate(doc["steps"], 1)) + "."
    conds = "; ".join(cond_text(c) for c in doc["conditions"])
    return f"Understood: {model}" + (f"; {conds}" if conds else "") + f" → {_analyses(doc)}."


def _analyses(doc: dict[str, Any]) -> str:
    return ", ".join(a["type"].replace("_", " ") for a in doc["analyses"])


def _what(doc: dict[str, Any]) -> str:
    conds = "; ".join(cond_text(c) for c in doc["conditions"])
    return f"{conds} → {_analyses(doc)}" if conds else _analyses(doc)
