"""Answer writing: one template per intent, numbers only from tool results in the thread.

Every number an answer states is read from a tool result (data or provenance) or repeated from
the question; nothing is computed here except rounding (6 significant digits) and percentages
of fractions the tools returned. Each answer names the model, the conditions actually applied
and the solver.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fluxagent.llm.offline.frame import CAPABILITIES, Frame
from fluxagent.llm.offline.lexicon import canonical
from fluxagent.llm.offline.plan import Call

#: Growth below this (1/h) is no growth.
NO_GROWTH = 1e-6
#: Longest list written out in full.
LIST_MAX = 60


@dataclass(frozen=True)
class Outcome:
    call: Call
    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    summary: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)
    kind: str = ""          # error kind, or "rejected"
    message: str = ""
    hint: str = ""


def num(x: Any) -> str:
    """6 significant digits; solver noise shown as 0."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if abs(v) < 1e-9:
        return "0"
    return f"{v:.6g}"


def _about(x: Any) -> str:
    """' (≈ 0.2117)': the 4-digit reading of a 6-digit growth rate, when it differs."""
    short = f"{float(x):.4g}"
    return f" (≈ {short})" if short != num(x) else ""


def pct(fraction: Any) -> str:
    """'91.16%'; solver noise (a lethal mutant's -7.9e-14) shown as 0%."""
    v = 100 * float(fraction)
    return "0%" if abs(v) < 1e-7 else f"{v:.4g}%"


def _items(xs: list[str], limit: int = LIST_MAX) -> str:
    shown = ", ".join(xs[:limit])
    return shown + (" … (the full list is in the tool result)" if len(xs) > limit else "")


# -- conditions and provenance -------------------------------------------------------------
def conditions_phrase(o: Outcome) -> str:
    """'carbon source EX_succ_e (max uptake 10 mmol/gDW/h), aerobic' from what was applied."""
    raw = o.data.get("conditions")
    applied: dict[str, Any] = raw if isinstance(raw, dict) else {}
    requested = (o.call.args.get("conditions") or {}) if isinstance(o.call.args, dict) else {}
    parts: list[str] = []
    carbon = applied.get("carbon_sources") if applied else None
    if requested.get("open_exchanges"):
        parts.append(f"every exchange open (uptake ≤ {num(1000)} mmol/gDW/h)")
        carbon = None
    if isinstance(carbon, dict) and len(carbon) > 6:  # a long list is a table, not a phrase
        carbon = dict(list(carbon.items())[:5]) | {f"… ({len(carbon)} in all)": ""}
    if isinstance(carbon, dict):
        text = ", ".join(f"{k} (max uptake {num(v)} mmol/gDW/h)" if v != "" else k
                         for k, v in carbon.items())
        if not carbon:
            parts.append("no carbon source")
        elif requested.get("carbon_source"):
            parts.append(f"{'sole carbon source' if len(carbon) == 1 else 'carbon sources'} "
                         f"{text}")
        elif requested.get("carbon_uptake") is not None:
            parts.append(f"carbon source {text}")
        elif requested.get("medium"):
            parts.append(f"only the medium given, carbon source {text}")
        else:
            parts.append(f"default medium, carbon source {text}")
    elif requested.get("carbon_source"):
        parts.append(f"carbon source {requested['carbon_source']}")
    oxygen = applied.get("oxygen") if applied else None
    if oxygen == "anaerobic" or requested.get("oxygen") is False:
        parts.append("anaerobic (no O2 uptake)")
    elif oxygen == "aerobic" or requested.get("oxygen") is True:
        parts.append("aerobic")
    for key, label in (("knockout_genes", "genes deleted"),
                       ("knockout_reactions", "reactions blocked")):
        vals = applied.get(key) if applied else None
        if vals:
            parts.append(f"{label}: {', '.join(vals)}")
    uptakes = applied.get("uptakes") if applied else None
    if isinstance(uptakes, dict) and uptakes:
        parts.append("uptakes set: " + ", ".join(
            f"{k} {'closed' if not v else f'≤ {num(v)} mmol/gDW/h'}" for k, v in uptakes.items()))
    bounds = applied.get("bounds") if applied else None
    if isinstance(bounds, dict) and bounds:
        parts.append("bounds " + ", ".join(f"{k} [{num(v[0])}, {num(v[1])}]"
                                           for k, v in bounds.items()))
    floor = applied.get("growth_floor") if applied else None
    if isinstance(floor, dict) and floor:
        parts.append(f"growth ≥ {num(floor.get('value'))} 1/h ({floor.get('reaction')} "
                     "lower bound)")
    return ", ".join(parts)


def model_of(o: Outcome) -> str:
    return str(o.provenance.get("model_id") or o.call.args.get("model") or "the model")


def provenance_line(outcomes: list[Outcome]) -> str:
    ok = [o for o in outcomes if o.ok]
    if not ok:
        return ""
    # a biochemistry lookup or a translation uses no model and no solver: say only the tools
    models = [m for m in dict.fromkeys(model_of(o) for o in ok) if m != "the model"]
    solvers = list(dict.fromkeys(str(o.provenance.get("solver")) for o in ok
                                 if o.provenance.get("solver")))
    tools = list(dict.fromkeys(o.call.name for o in ok))
    line = (f"Model {', '.join(models)}; " if models else "") + f"tools {', '.join(tools)}"
    if solvers:
        line += f"; solver {', '.join(solvers)} (cobrapy)"
    return line[0].upper() + line[1:] + "."


def _where(o: Outcome) -> str:
    cond = conditions_phrase(o)
    return f"{model_of(o)}" + (f" ({cond})" if cond else "")


# -- templates --------------------------------------------------------------------------
def _growth(frame: Frame, main: list[Outcome], question: str) -> str:
    lines = []
    for o in main:
        g = o.data.get("growth_rate", o.data.get("objective_value"))
        label = f"{o.call.label}: " if o.call.label and o.call.label != model_of(o) else ""
        biomass = re.match(r"^(bio\d|biomass|growth)", str(o.call.args.get("objective", "")),
                           re.IGNORECASE)
        if o.call.args.get("objective") and o.data.get("status") == "optimal" and not biomass:
            rid = o.data.get("objective") or o.call.args["objective"]
            lines.append(f"{label}{o.data.get('direction', 'max').capitalize()}imum flux through "
                         f"{rid} in {model_of(o)}: {num(o.data.get('objective_value'))} "
                         f"mmol/gDW/h ({rid} optimised instead of growth). Conditions: "
                         f"{conditions_phrase(o) or 'as in the model'}.")
            continue
        if o.data.get("status") != "optimal" or g is None or float(g) < NO_GROWTH:
            lines.append(f"{label}{model_of(o)} cannot grow under these conditions: growth rate "
                         f"0 1/h (FBA status {o.data.get('status', 'infeasible')}). "
                         f"Conditions: {conditions_phrase(o) or 'as in the model'}.")
        else:
            lines.append(f"{label}{model_of(o)} grows at {num(g)} 1/h{_about(g)}, the maximum "
                         f"growth rate (FBA). Conditions: "
                         f"{conditions_phrase(o) or 'as in the model'}.")
    if len(main) == 1 and _yes_no(question):
        g = main[0].data.get("growth_rate") or 0.0
        lines[0] = ("Yes. " if float(g) >= NO_GROWTH else "No. ") + lines[0]
    return "\n".join(lines)


def _yes_no(question: str) -> bool:
    """'Can it grow ...?' asks yes or no; 'Could you tell me ...' is a polite request."""
    first, *rest = question.strip().lower().split()[:2] or [""]
    return first in ("can", "does", "do", "is", "will", "could", "would") and \
        rest[:1] not in (["you"], ["u"], ["someone"], ["somebody"])


def _knocked_out(o: Outcome) -> str:
    """'b4025 (pgi), b1852 (zwf)': the ids the tool knocked out, with the names asked for."""
    d = o.data
    raw = d.get("conditions")
    applied: dict[str, Any] = raw if isinstance(raw, dict) else {}
    ids = [str(x) for x in (d.get("knocked_out") or applied.get("knockout_genes") or
                            applied.get("knockout_reactions") or [])]
    asked = [str(x) for x in (o.call.args.get("genes") or o.call.args.get("reactions") or
                              (o.call.args.get("conditions") or {}).get("knockout_genes") or
                              [])]
    if not ids:
        return ", ".join(asked)
    if len(asked) == len(ids):
        return ", ".join(f"{i} ({a})" if a != i else i for i, a in zip(ids, asked, strict=True))
    return ", ".join(ids)


def _knockout(frame: Frame, main: list[Outcome], by_role: dict[str, list[Outcome]],
              question: str) -> str:
    lines = []
    for o in main:
        d = o.data
        wt_o = next((w for w in by_role.get("wild_type", []) if w.call.label == o.call.label),
                    None)
        g = d.get("growth_rate", d.get("objective_value", 0.0)) or 0.0
        wt = d.get("wild_type_growth")
        if wt is None and wt_o is not None:
            wt = wt_o.data.get("growth_rate")
        what = _knocked_out(o)
        label = f"{o.call.label}: " if o.call.label else ""
        cond = conditions_phrase(o)
        head = f"{label}Knocking out {what} in {model_of(o)}"
        if d.get("status") not in (None, "optimal") or float(g) < NO_GROWTH:
            line = (f"{head}: the mutant cannot grow — growth rate 0 1/h (no growth; the "
                    "knockout is lethal under these conditions)")
        else:
            line = f"{head}: growth rate {num(g)} 1/h"
        if wt is not None:
            line += f"; wild type {num(wt)} 1/h"
            rel = d.get("relative")
            if rel is not None and float(g) >= NO_GROWTH:
                line += f" ({pct(rel)} of wild type)"
        line += "."
        disabled = d.get("reactions_disabled") or []
        if disabled:
            line += f" Reactions disabled: {_items([str(r) for r in disabled], 20)}."
        if cond:
            line += f" Conditions: {cond}."
        lines.append(line)
    if "essential" in question.lower() and len(main) == 1:
        g = main[0].data.get("growth_rate") or 0.0
        lines.append("So it is essential here." if float(g) < NO_GROWTH else
                     "So it is not essential here.")
    return "\n".join(lines)


def _essential(frame: Frame, main: list[Outcome]) -> str:
    lines = []
    for o in main:
        d = o.data
        key = "reactions" if "reactions" in d and o.call.name == "essential_reactions" else \
            "genes"
        rows = d.get(key) or []
        if frame.slots.boundary == "exchanges" and o.call.name == "essential_reactions":
            key = "exchange reactions"  # "which exchanges are essential": those alone
            rows = [r for r in rows if isinstance(r, dict) and r.get("type") == "exchange"]
        items = [f"{r.get('id')} ({r.get('name')})" if r.get("name") and r.get("name") !=
                 r.get("id") else str(r.get("id")) for r in rows if isinstance(r, dict)]
        label = f"{o.call.label}: " if o.call.label else ""
        cond = conditions_phrase(o)
        lines.append(f"{label}{len(items)} essential {key} in {model_of(o)}"
                     + (f" ({cond})" if cond else "") + f": {_items(items)}.")
    return "\n".join(lines)


def _fva(frame: Frame, main: list[Outcome]) -> str:
    lines = []
    for o in main:
        d = o.data
        if not o.ok:  # infeasible: e.g. a growth floor above the most the model can grow
            floor = (o.call.args.get("conditions") or {}).get("growth_floor")
            lines.append(f"{o.call.label + ': ' if o.call.label else ''}No flux state of "
                         f"{frame.slots.model or model_of(o)} meets these conditions "
                         f"({o.message.rstrip('.')}), so there are no flux ranges"
                         + (f" (it cannot grow at {num(floor)} 1/h)." if floor else "."))
            continue
        rows = d.get("ranges") or []
        frac = d.get("fraction_of_optimum")
        floored = (o.call.args.get("conditions") or {}).get("growth_floor") is not None
        head = (f"Flux variability in {_where(o)} at {pct(frac)} of the optimal objective "
                f"({num(d.get('objective_value'))})" if frac is not None and not floored else
                f"Flux variability in {_where(o)}, over every flux state that meets it")
        parts = [f"{r.get('id')}" + (f" ({r.get('name')})" if r.get("name") else "")
                 + f": {num(r.get('minimum'))} to {num(r.get('maximum'))} mmol/gDW/h"
                 for r in rows[:25] if isinstance(r, dict)]
        more = " … (the full table is in the tool result)" if len(rows) > 25 else ""
        label = f"{o.call.label}: " if o.call.label else ""
        lines.append(f"{label}{head}:\n" + "\n".join(f"- {p}" for p in parts) + more)
    return "\n".join(lines)


def _production(frame: Frame, main: list[Outcome]) -> str:
    lines = []
    for o in main:
        d = o.data
        value = d.get("maximum", d.get("objective_value"))
        product = d.get("product") or d.get("objective") or frame.slots.product
        label = f"{o.call.label}: " if o.call.label else ""
        floor = d.get("min_growth", o.call.args.get("min_growth"))
        if d.get("status") == "infeasible" or not o.ok:
            lines.append(f"{label}No flux state of {_where(o)} meets these conditions"
                         + (f" (it cannot grow at {num(floor)} 1/h)" if floor else "")
                         + f", so {frame.slots.product or 'the product'} has no maximum "
                         "here (infeasible).")
            continue
        line = (f"{label}Maximum {frame.slots.product or 'product'} production ({product}) in "
                f"{_where(o)}: {num(value)} mmol/gDW/h")
        if floor:
            line += f", with growth of at least {num(floor)} 1/h"
        else:
            line += " (growth not required)"
        if d.get("growth_rate") is not None and o.call.name != "run_fba":
            line += f"; growth at that point {num(d['growth_rate'])} 1/h"
        for key, unit in (("yield", "mol/mol carbon source"), ("carbon_yield", "C-mol/C-mol"),
                          ("mass_yield", "g/g")):
            if d.get(key) is not None:
                line += f"; yield {num(d[key])} {unit}"
        lines.append(line + ".")
    return "\n".join(lines)


def _uptakes(med: dict[str, Any], names: dict[str, str], bound: str) -> list[str]:
    """Exchange ids with their metabolite names and uptake values, as answers list them."""
    return [f"{k}" + (f" ({names[k]})" if names.get(k) else "") + f" {bound}{num(v)}"
            for k, v in med.items()]


def _minimal_medium(frame: Frame, main: list[Outcome]) -> str:
    o = main[0]
    d = o.data
    med = d.get("medium") or {}
    names = d.get("names") or {}
    items = _uptakes(med, names, "")
    how = "fewest components" if d.get("minimize", "components") == "components" else \
        "lowest total uptake"
    line = (f"Minimal medium of {model_of(o)} ({how}) for growth of at least "
            f"{num(d.get('min_growth'))} 1/h: {d.get('components', len(med))} components — "
            f"{_items(items)} (uptake, mmol/gDW/h)")
    line += (f"; total uptake {num(d['total_uptake'])} mmol/gDW/h." if
             d.get("total_uptake") is not None else ".")
    if d.get("growth_on_medium") is not None:
        line += f" Growth with exactly these uptakes: {num(d['growth_on_medium'])} 1/h."
    cond = conditions_phrase(o)
    return line + (f" Chosen from: {cond}." if cond else "")


def _blocked(frame: Frame, main: list[Outcome]) -> str:
    o = main[0]
    rxns = o.data.get("reactions") or []
    ids = [r if isinstance(r, str) else str(r.get("id")) for r in rxns]
    return f"{len(ids)} blocked reactions in {_where(o)}: {_items(ids, 200)}."


def _summary(frame: Frame, main: list[Outcome]) -> str:
    lines = []
    for o in main:
        d = o.data
        comps = d.get("compartments")
        n_comp = len(comps) if isinstance(comps, (dict, list)) else comps
        names = ", ".join(f"{c} ({comps[c]})" if isinstance(comps, dict) and comps[c] and
                          comps[c] != c else str(c) for c in comps) \
            if isinstance(comps, (dict, list)) else ""  # "c (cytosol), e (extracellular)"
        lines.append(f"{d.get('name') or d.get('id')} (id {d.get('id')}) has "
                     f"{d.get('reactions')} reactions, {d.get('metabolites')} metabolites and "
                     f"{d.get('genes')} genes ({n_comp} compartments"
                     + (f": {names}" if names else "") + f"; {d.get('exchanges')} exchange "
                     f"reactions; objective {d.get('objective')}).")
        if d.get("reactions_with_gpr") is not None:
            bio = d.get("biomass_reactions") or []
            none = (f", {d['reactions_without_gpr']} have none (among them "
                    f"{d['internal_reactions_without_gpr']} internal reactions, the rest "
                    "boundary)" if d.get("reactions_without_gpr") is not None else "")
            lines.append(f"{d['reactions_with_gpr']} reactions have a gene association "
                         f"(GPR){none}; {d.get('sinks')} sink and {d.get('demands')} demand "
                         f"reactions; biomass reaction(s): {_items(bio) if bio else 'none'}.")
    return "\n".join(lines)


def _medium(frame: Frame, main: list[Outcome]) -> str:
    o = main[0]
    d = o.data
    med = d.get("medium") or {}
    names = d.get("names") or {}
    items = _uptakes(med, names, "≤ ")
    carbon = ", ".join(d.get("carbon_sources") or []) or "none"
    text = (f"The medium of {model_of(o)} has {len(items)} open uptakes (max uptake, "
            f"mmol/gDW/h): {_items(items)}. Carbon sources: {carbon}; "
            f"{d.get('oxygen') or 'no oxygen exchange'}.")
    for nutrient in frame.slots.nutrients:  # "is succinate in the default medium?"
        key = canonical(nutrient)
        hit = next((ex for ex, name in names.items() if canonical(str(name)) == key or
                    ex.lower() in (f"ex_{key}_e", f"ex_{key}(e)")), None)
        text += (f"\n{nutrient}: in the medium ({hit} ≤ {num(med[hit])} mmol/gDW/h)."
                 if hit in med else
                 f"\n{nutrient}: not in the medium (its uptake limit is 0 mmol/gDW/h).")
    return text


def _pfba(frame: Frame, main: list[Outcome]) -> str:
    lines = []
    for o in main:
        d = o.data
        label = f"{o.call.label}: " if o.call.label else ""
        if d.get("status") != "optimal":
            lines.append(f"{label}{_where(o)}: infeasible — the model cannot grow here, so "
                         "there is no parsimonious flux distribution.")
            continue
        lines.append(f"{label}Parsimonious FBA of {_where(o)}: total flux (sum of |flux|) "
                     f"{num(d.get('total_flux'))} mmol/gDW/h at growth rate "
                     f"{num(d.get('growth_rate', d.get('objective_value')))} 1/h.")
    return "\n".join(lines)


def _flux(frame: Frame, main: list[Outcome], by_role: dict[str, list[Outcome]]) -> str:
    lines = []
    for o in main:
        d = o.data
        fluxes = d.get("fluxes") or {}
        ranges = next((f.data.get("ranges") or [] for f in by_role.get("fluxes", [])
                       if f.call.label == o.call.label), [])
        label = f"{o.call.label}: " if o.call.label else ""
        if d.get("status") != "optimal":
            lines.append(f"{label}{_where(o)}: infeasible, no flux distribution (no growth).")
            continue
        if ranges:
            parts = [f"{r['id']}" + (f" ({r['name']})" if r.get("name") else "")
                     + f" carries {num(fluxes.get(r['id'], 0.0))} mmol/gDW/h in the FBA solution"
                     f" (range at the optimum: {num(r.get('minimum'))} to "
                     f"{num(r.get('maximum'))})" for r in ranges if isinstance(r, dict)]
            lines.append(f"{label}In {_where(o)} at growth {num(d.get('growth_rate'))} 1/h: "
                         + "; ".join(parts) + ".")
        else:
            ex = d.get("exchanges") or {}
            up = [f"{k} {num(-v)}" for k, v in sorted(ex.items(), key=lambda t: t[1]) if v < 0]
            out = [f"{k} {num(v)}" for k, v in sorted(ex.items(), key=lambda t: -t[1]) if v > 0]
            lines.append(f"{label}Exchange fluxes of {_where(o)} at growth "
                         f"{num(d.get('growth_rate'))} 1/h (mmol/gDW/h): uptake "
                         f"{', '.join(up) or 'none'}; secretion {', '.join(out) or 'none'}.")
    return "\n".join(lines)


def _synthetic_lethal(frame: Frame, main: list[Outcome]) -> str:
    lines = []
    for o in main:
        d = o.data
        kind = d.get("kind", "gene")
        if d.get("pair"):
            a, b = d["pair"]
            single = d.get("single_growth") or {}
            verdict = ("are synthetic lethal" if d.get("synthetic_lethal") else
                       "are not synthetic lethal (" + " and ".join(d["lethal_alone"]) +
                       " lethal alone)" if d.get("lethal_alone") else "are not synthetic lethal")
            lines.append(f"{a} and {b} {verdict} in {_where(o)}: the double deletion grows at "
                         f"{num(d.get('double_growth'))} 1/h; {a} alone "
                         f"{num(single.get(a))}, {b} alone {num(single.get(b))}, wild type "
                         f"{num(d.get('wild_type_growth'))} 1/h.")
        elif d.get("partner"):
            lines.append(f"{d.get('count')} {kind}s are synthetic lethal with {d['partner']} "
                         f"in {_where(o)} (lethal together, neither alone): "
                         f"{_items([str(p) for p in d.get('partners') or []])}.")
        else:
            pairs = ["+".join(p) for p in d.get("pairs") or []]
            lines.append(f"{d.get('count')} synthetic lethal {kind} pairs in {_where(o)} "
                         f"(lethal together, neither alone): {_items(pairs)}.")
    return "\n".join(lines)


def _screen(frame: Frame, main: list[Outcome]) -> str:
    lines = []
    for o in main:
        rows = o.data.get("results") or []
        lethal = [r for r in rows if r.get("effect") == "lethal"]
        kind = "reaction" if o.call.name.startswith("reaction") else "gene"
        def show(r: dict[str, Any]) -> str:
            ids, names = r.get("ids") or [], r.get("names") or []
            return "+".join(f"{i} ({n})" if n and n != i else i for i, n in zip(ids, names,
                                                                                 strict=False))
        line = (f"{len(lethal)} of {len(rows)} single {kind} deletions are lethal (essential: "
                f"growth below the screen's lethal threshold) in {_where(o)}"
                + (f": {_items([show(r) for r in lethal])}" if lethal else "") + ".")
        if len(rows) <= LIST_MAX:
            rest = [show(r) for r in rows if r.get("effect") != "lethal"]
            if rest:
                line += f" Not essential: {_items(rest)}."
        lines.append(line)
    return "\n".join(lines)


def _gene_count(row: dict[str, Any]) -> str:
    """"13 in its rule: " before a rule of several genes (how many, not only which)."""
    n = row.get("gene_count")
    return f"{n} in its rule: " if isinstance(n, int) and n > 1 else ""


def _info(frame: Frame, main: list[Outcome]) -> str:
    lines = []
    for o in main:
        rows = o.data.get("matches") or []
        query = str(o.call.args.get("query", "")).lower()
        exact = [r for r in rows if str(r.get("id", "")).lower() == query or
                 str(r.get("name", "")).lower() == query] or rows[:1]
        for r in exact:
            if r.get("kind") == "reaction":
                n = f" ({r['metabolites']} metabolites)" if r.get("metabolites") else ""
                lines.append(f"Reaction {r['id']} ({r.get('name') or 'no name'}) in "
                             f"{model_of(o)}: {r.get('equation')}{n}; bounds "
                             f"[{num(r.get('lower_bound'))}, {num(r.get('upper_bound'))}] "
                             f"mmol/gDW/h; genes: {_gene_count(r)}{r.get('genes') or 'none'}.")
            elif r.get("kind") == "gene":
                rx = r.get("reactions") or []
                rules = r.get("gene_rules") or {}
                shown = [f"{x} (gene rule: {rules[x]})" for x in rx if rules.get(x)] \
                    if len(rx) <= 10 and rules else rx
                lines.append(f"Gene {r['id']} ({r.get('name') or 'no name'}) in {model_of(o)} "
                             f"is associated with {len(rx)} reaction"
                             f"{'s' if len(rx) != 1 else ''}: {_items(shown)}.")
            elif r.get("kind") == "metabolite":
                lines.append(f"Metabolite {r.get('id')} ({r.get('name') or 'no name'}) in "
                             f"{model_of(o)}: formula {r.get('formula') or 'not given'}, "
                             f"compartment {r.get('compartment')}.")
            else:
                lines.append(f"{r.get('kind', 'entity').capitalize()} {r.get('id')} "
                             f"({r.get('name')}) in {model_of(o)}.")
        if not exact:
            lines.append(o.summary)
    return "\n".join(lines)


def _from_summaries(frame: Frame, main: list[Outcome]) -> str:
    lines = [o.summary for o in main if o.summary]
    unmapped = [str(u) for o in main for u in o.data.get("unmapped") or []]
    if unmapped:  # "pep -> ?" is not an answer: say it was not found
        lines.append(f"⚠ Not found: no {main[0].data.get('target', 'target')} id for "
                     f"{', '.join(repr(u) for u in unmapped)} in the bundled biochemistry; check "
                     "the id or its namespace.")
    return "\n".join(lines)


def write(frame: Frame, outcomes: list[Outcome], question: str, *,
          provenance: bool = True) -> str:
    """The final answer for a frame whose planned calls all have outcomes."""
    by_role: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_role.setdefault(o.call.role, []).append(o)
    main = by_role.get("main", [])
    if not main:
        return "I found nothing to report."
    templates: dict[str, Callable[[], str]] = {
        "growth": lambda: _growth(frame, main, question),
        "knockout": lambda: _knockout(frame, main, by_role, question),
        "essential": lambda: _essential(frame, main),
        "fva": lambda: _fva(frame, main),
        "production": lambda: _production(frame, main),
        "minimal_medium": lambda: _minimal_medium(frame, main),
        "blocked": lambda: _blocked(frame, main),
        "summary": lambda: _summary(frame, main),
        "medium": lambda: _medium(frame, main),
        "pfba": lambda: _pfba(frame, main),
        "flux": lambda: _flux(frame, main, by_role),
        "synthetic_lethal": lambda: _synthetic_lethal(frame, main),
        "info": lambda: _info(frame, main),
        "deletion_screen": lambda: _screen(frame, main),
    }
    body = templates.get(frame.intent, lambda: _from_summaries(frame, main))()
    prov = provenance_line(outcomes) if provenance else ""
    return body + (f"\n{prov}" if prov else "")


def capabilities() -> str:
    return "I can answer questions about:\n" + "\n".join(f"- {v}" for v in CAPABILITIES.values())
