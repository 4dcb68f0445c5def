"""Structural model checks with memote's definitions: biomass detection, mass and charge
balance, orphan / dead-end / disconnected metabolites, reactions without a gene rule.

The definitions follow memote 0.17 (``memote.support.helpers``, ``consistency``,
``consistency_helpers`` and ``basic``; Apache-2.0, see NOTICE beside this file) so that
``validate_model`` reports the same sets. Where fluxagent's own reading differs it is one
named convention the caller switches (``formula_less``). Pure functions on a ``cobra.Model``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Literal

import cobra

#: How a reaction with a metabolite without formula (or charge) counts: ``counted`` = as
#: unbalanced (memote), ``apart`` = not checked, listed on its own.
FormulaLess = Literal["apart", "counted"]

_NAME_WORDS = (re.compile(r"\bbiomass"), re.compile(r"\bgrowth"), re.compile(r"bof"))


def _sbo(component: cobra.Reaction | cobra.Metabolite, term: str) -> bool:
    return bool(component.annotation.get("sbo", "") == term)


def _name_match(component: cobra.Reaction | cobra.Metabolite,
                words: tuple[re.Pattern[str], ...]) -> bool:
    # memote's filter_match_name: re.match, i.e. at the start of the lower-cased name
    return component.name is not None and any(w.match(component.name.lower()) for w in words)


def find_biomass_reactions(model: cobra.Model) -> list[cobra.Reaction]:
    """memote's find_biomass_reaction: SBO:0000629, else 'biomass'/'growth'/'bof' at the start
    of a name or 'biomass' in an id, else reactions of a biomass metabolite; never boundary."""
    boundary = {r.id for r in model.boundary}

    def keep(found: set[cobra.Reaction]) -> list[cobra.Reaction]:
        return sorted((r for r in found if r.id not in boundary), key=lambda r: r.id)

    steps = [
        {r for r in model.reactions if _sbo(r, "SBO:0000629")},
        {r for r in model.reactions if _name_match(r, _NAME_WORDS) or "biomass" in r.id.lower()},
    ]
    mets = {m for m in model.metabolites
            if _name_match(m, _NAME_WORDS[:1]) or "biomass" in m.id.lower()}
    steps.append({r for m in mets if _sbo(m, "SBO:0000649") for r in m.reactions})
    steps.append({r for m in mets for r in m.reactions})
    for found in steps:
        if keep(found):
            return keep(found)
    return []


def internal_reactions(model: cobra.Model) -> list[cobra.Reaction]:
    """Reactions that should conserve mass: not boundary, not biomass (memote's get_internals),
    in model order."""
    skip = {r.id for r in model.boundary} | {r.id for r in find_biomass_reactions(model)}
    return [r for r in model.reactions if r.id not in skip]


def _element_imbalance(r: cobra.Reaction) -> dict[str, float] | None:
    """Net element balance (memote's is_mass_balanced arithmetic); None: a metabolite has no
    parsable formula."""
    balance: dict[str, float] = defaultdict(float)
    for met, coef in r.metabolites.items():
        if not met.elements:
            return None
        for element, amount in met.elements.items():
            balance[element] += coef * amount
    return {k: v for k, v in balance.items() if v != 0}


def _charge_imbalance(r: cobra.Reaction) -> float | None:
    total = 0.0
    for met, coef in r.metabolites.items():
        if met.charge is None:
            return None
        total += coef * met.charge
    return total


def mass_charge_balance(model: cobra.Model, formula_less: FormulaLess = "apart"
                        ) -> dict[str, Any]:
    """Element and charge imbalance of every internal reaction.

    A reaction with a metabolite without formula (charge) cannot be checked for mass (charge):
    ``apart`` lists it under ``unchecked_no_formula`` (``unchecked_no_charge``), ``counted``
    also puts it among the unbalanced ones, as memote does. Both lists are always returned.
    """
    mass: list[dict[str, Any]] = []
    charge: list[dict[str, Any]] = []
    no_formula_rxn: list[str] = []
    no_charge_rxn: list[str] = []
    reactions = internal_reactions(model)
    for r in reactions:
        elements = _element_imbalance(r)
        if elements is None:
            no_formula_rxn.append(r.id)
        elif elements:
            mass.append({"id": r.id, "imbalance": {k: round(v, 9) for k, v in elements.items()}})
        net = _charge_imbalance(r)
        if net is None:
            no_charge_rxn.append(r.id)
        elif net != 0:
            charge.append({"id": r.id, "imbalance": round(net, 9)})
    if formula_less == "counted":
        mass += [{"id": i, "imbalance": None} for i in no_formula_rxn]
        charge += [{"id": i, "imbalance": None} for i in no_charge_rxn]
        mass.sort(key=lambda x: x["id"])
        charge.sort(key=lambda x: x["id"])
    return {"convention": formula_less, "checked": len(reactions) - len(no_formula_rxn),
            "internal": len(reactions), "mass_unbalanced": mass, "charge_unbalanced": charge,
            "unchecked_no_formula": sorted(no_formula_rxn),
            "unchecked_no_charge": sorted(no_charge_rxn),
            "metabolites_without_formula": sorted(m.id for m in model.metabolites
                                                  if not m.elements),
            "metabolites_without_charge": sorted(m.id for m in model.metabolites
                                                 if m.charge is None)}


def _only_one_way(met: cobra.Metabolite, r: cobra.Reaction, sign: int) -> bool:
    """memote's is_only_substrate (sign -1) / is_only_product (sign +1): an irreversible
    reaction (by its bounds) in which ``met`` only appears on that side of the flux."""
    if r.reversibility:
        return False
    forward = r.lower_bound >= 0.0 and r.upper_bound > 0
    backward = r.lower_bound < 0.0 and r.upper_bound <= 0
    return forward if r.get_coefficient(met) * sign > 0 else backward


def dead_ends(model: cobra.Model) -> dict[str, list[str]]:
    """memote's find_orphans / find_deadends / find_disconnected.

    An orphan is only consumed, a dead end only produced, by every reaction it is in (a
    reversible reaction both makes and uses it; a metabolite of an exchange is never either).
    """
    exchanges = {r.id for r in model.exchanges}

    def every(sign: int) -> list[str]:
        return sorted(m.id for m in model.metabolites if m.reactions and all(
            r.id not in exchanges and _only_one_way(m, r, sign) for r in m.reactions))

    return {"orphan": every(-1), "dead_end": every(+1),
            "disconnected": sorted(m.id for m in model.metabolites if not m.reactions)}


def reactions_without_gpr(model: cobra.Model) -> list[str]:
    """Non-boundary reactions with an empty gene rule (memote's test_gene_protein_reaction_
    rule_presence)."""
    boundary = {r.id for r in model.boundary}
    return sorted(r.id for r in model.reactions
                  if not r.gene_reaction_rule and r.id not in boundary)
