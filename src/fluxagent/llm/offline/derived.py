"""Quantities an answer derives from tool results (doubling time, percent change, percent of
wild type, the best of a list, the set difference of two compared lists) and the line naming
what the answer did not use.

Each is arithmetic on numbers of the thread's tool results, stated with the values it came
from, so the typed verifier (``llm/verify.py``) can check it: ln(2)/µ, 100·(a−b)/b, a/b.
"""

from __future__ import annotations

import math

from fluxagent.llm.evidence import SET_KEYS, item_ids
from fluxagent.llm.offline.answer import NO_GROWTH, Outcome, model_of, num, pct
from fluxagent.llm.offline.frame import Frame


def not_understood(phrases: tuple[str, ...]) -> str:
    """The visible line naming what the answer ignored."""
    quoted = "; ".join(f"'{p}'" for p in phrases)
    return (f"⚠ Not understood, so not applied: {quoted}. The numbers above do not take "
            "it into account; rephrase it (e.g. as an uptake limit, a bound or a knockout) "
            "if it matters.")


def growth_of(o: Outcome) -> float | None:
    g = o.data.get("growth_rate", o.data.get("objective_value"))
    if o.data.get("status") not in (None, "optimal"):
        return 0.0
    return None if g is None else float(g)


def derived(frame: Frame, outcomes: list[Outcome]) -> str:
    """Quantities computed from tool results: doubling time, percent change, the best."""
    s = frame.slots
    main = [o for o in outcomes if o.call.role == "main" and o.ok and
            not o.call.args.get("objective") and o.call.name in (
                "run_fba", "run_pfba", "knockout_genes", "knockout_reactions")]
    lines: list[str] = []
    if s.doubling:
        for o in main:
            g = growth_of(o)
            label = f"{o.call.label}: " if o.call.label else ""
            if g is None or g < NO_GROWTH:
                lines.append(f"{label}Doubling time: none (no growth).")
                continue
            hours = math.log(2) / g
            text = (f"{num(hours * 60)} min" if s.doubling == "min" else
                    f"{num(hours)} h" if s.doubling == "h" else
                    f"{num(hours)} h ({num(hours * 60)} min)")
            lines.append(f"{label}Doubling time ln(2)/µ = {text} at growth rate {num(g)} 1/h.")
    if s.biomass_yield:
        lines.extend(biomass_yield(o) for o in main)
    if s.least_uptake:
        lines.extend(least_uptake(frame, outcomes))
    if s.count_active:
        for o in main:
            if o.data.get("active_reactions") is not None:
                label = f"{o.call.label}: " if o.call.label else ""
                lines.append(f"{label}{o.data['active_reactions']} reactions carry a non-zero "
                             "flux in this FBA solution (other optimal solutions may differ).")
    if s.count_difference:
        lines.extend(count_difference(s.count_difference, outcomes))
    if s.set_difference:
        lines.extend(set_difference(outcomes))
    if s.percent_of:
        lines.extend(percent_of(frame, main, outcomes))
    if s.percent_change:
        wt = next((o for o in outcomes if o.call.role == "wild_type" and o.ok), None)
        ref = growth_of(wt) if wt is not None else None
        if ref is None and main and main[0].data.get("wild_type_growth") is not None:
            ref = float(main[0].data["wild_type_growth"])
        base = next((o for o in main if s.reference and o.call.label == s.reference), main[0]) \
            if main else None
        pairs = [(o, ref) for o in main] if ref else \
            [(o, growth_of(base)) for o in main if o is not base] \
            if len(main) > 1 and base is not None else []
        for o, r in pairs:
            g = growth_of(o)
            if g is None or not r:
                continue
            label = f"{o.call.label}: " if o.call.label else ""
            ref_label = "wild type" if ref else (
                base.call.label or model_of(base) if base is not None else "")
            change = 0.0 if abs(g - r) <= 1e-9 * abs(r) else 100 * (g - r) / r  # solver noise
            lines.append(f"{label}Growth changes by {f'{change:+.4g}' if change else '0'}% against "
                         f"{ref_label} ({num(g)} vs {num(r)} 1/h).")
    if s.best and len(main) > 1:
        scored = [(o, growth_of(o)) for o in main]
        valid = [(o, g) for o, g in scored if g is not None]
        if valid:
            o, g = (max if s.best == "max" else min)(valid, key=lambda t: t[1] or 0.0)
            word = "Fastest" if s.best == "max" else "Slowest"
            tied = [x for x, h in valid if abs((h or 0.0) - (g or 0.0)) <= 1e-9 * max(1.0, g)]
            names = " and ".join(x.call.label or model_of(x) for x in tied)
            lines.append(f"{word} growth: {names} ({num(g)} 1/h" +
                         (", a tie)." if len(tied) > 1 else ")."))
    return "\n".join(lines)


def best_choice(choices: tuple[str, ...], results: list[list[Outcome]],
                choose: str | None) -> str:
    """"More growth: raising the glucose limit ... (0.69886 1/h)": the alternative that wins,
    from each alternative's own growth result."""
    grown: list[tuple[str, float]] = []
    for label, outcomes in zip(choices, results, strict=False):
        main = next((o for o in outcomes if o.call.role == "main" and o.ok and o.call.name in (
            "run_fba", "run_pfba", "knockout_genes", "knockout_reactions")), None)
        g = growth_of(main) if main is not None else None
        if g is None:
            return ""
        grown.append((label, g))
    if len(grown) < 2 or choose not in ("max", "min"):
        return ""
    label, g = (max if choose == "max" else min)(grown, key=lambda t: t[1])
    tied = [x for x, h in grown if abs(h - g) <= 1e-9 * max(1.0, abs(g))]
    word = "More growth" if choose == "max" else "Less growth"
    return (f"{word}: {' and '.join(repr(x) for x in tied)} ({num(g)} 1/h" +
            (", a tie)." if len(tied) > 1 else ")."))


def least_uptake(frame: Frame, outcomes: list[Outcome]) -> list[str]:
    """'the least glucose uptake for 0.5 1/h': the upper end of the exchange's range at that
    growth floor (an uptake is a negative exchange flux)."""
    floor = frame.slots.growth_floor
    out = []
    for o in outcomes:
        if not (o.ok and o.call.name == "run_fva"):
            continue
        label = f"{o.call.label}: " if o.call.label else ""
        for row in o.data.get("ranges", []):
            top = row.get("maximum")
            if str(row.get("id", "")).startswith("EX_") and isinstance(top, (int, float)):
                need = max(0.0, -float(top))
                out.append(f"{label}Least uptake of {row['id']} that still allows growth "
                           f"{'≥ ' + num(floor) + ' 1/h' if floor is not None else 'asked'}: "
                           f"{num(need)} mmol/gDW/h (its flux can be at most {num(top)}).")
    return out


def biomass_yield(o: Outcome) -> str:
    """The yield run_fba reports: growth over the uptake of the one substrate."""
    label = f"{o.call.label}: " if o.call.label else ""
    by = o.data.get("biomass_yield")
    if not by:
        return f"{label}Biomass yield: not defined (no single carbon source is taken up)."
    grams = f"{num(by['gdw_per_g'])} gDW per g and " if by.get("gdw_per_g") is not None \
        else ""
    return (f"{label}Biomass yield: {grams}{num(by['gdw_per_mmol'])} gDW per mmol of substrate "
            f"(growth {num(growth_of(o) or 0.0)} 1/h over the uptake of {by['substrate']}, "
            f"{num(by['uptake'])} mmol/gDW/h).")


def percent_of(frame: Frame, main: list[Outcome], outcomes: list[Outcome]) -> list[str]:
    wt = next((o for o in outcomes if o.call.role == "wild_type" and o.ok), None)
    ref = growth_of(wt) if wt is not None else None
    if ref is None and main and main[0].data.get("wild_type_growth") is not None:
        ref = float(main[0].data["wild_type_growth"])
    out = []
    for o in main:
        g = growth_of(o)
        if g is not None and ref:
            out.append(f"Growth is {pct(g / ref)} of the wild type's ({num(g)} of "
                       f"{num(ref)} 1/h).")
    return out


def count_difference(what: str, outcomes: list[Outcome]) -> list[str]:
    """'how many more genes does A have than B': A's count minus B's, from two summaries."""
    summaries = [o for o in outcomes if o.ok and o.call.name == "model_summary"
                 and isinstance(o.data.get(what), int)]
    if len(summaries) != 2:
        return []
    (a, na), (b, nb) = ((model_of(o), int(o.data[what])) for o in summaries)
    more = "more" if na >= nb else "fewer"
    return [f"{a} has {abs(na - nb)} {more} {what} than {b} ({na} vs {nb})."]


_WHAT = {"essential_genes": "essential", "essential_reactions": "essential",
         "get_medium": "open"}


def set_difference(outcomes: list[Outcome]) -> list[str]:
    """'essential anaerobically but not aerobically': of two compared results of the same
    tool, what each has and the other has not (both ways, each with its count)."""
    pairs = [(o, item_ids(o.data, SET_KEYS[o.call.name][0])) for o in outcomes
             if o.ok and o.call.role == "main" and o.call.name in SET_KEYS]
    if len(pairs) != 2 or pairs[0][0].call.name != pairs[1][0].call.name:
        return []
    tool = pairs[0][0].call.name
    noun = f"{SET_KEYS[tool][1]} {_WHAT[tool]}"
    lines = []
    for (a, xs), (b, ys) in (pairs, pairs[::-1]):
        only = [x for x in xs if x not in ys]
        la, lb = (o.call.label or model_of(o) for o in (a, b))
        lines.append(f"{len(only)} {noun} in {la} but not in {lb}: "
                     f"{', '.join(only) if only else 'none'}.")
    return lines

