"""A ModelSEED template as a universal reaction set in BiGG ids, for gap filling BiGG models.

``gapfill.py``'s universe is the union of the bundled BiGG models. A modeler may prefer the
ModelSEED templates (the shipped core templates, ``data/modelseed/templates``): this reads a
template's JSON (no modelseedpy needed) and rewrites each reaction in the target model's
namespace through the ModelSEED -> BiGG alias table (``modelseed/bridge.py``). Rules, so a
person can read what a proposal adds:

- a compound with several BiGG ids takes the one the model has (``cpd00013`` -> ``nh4`` in
  iJO1366), else the first; a reaction with a compound that has no BiGG id is left out;
- template compartments ``c`` and ``e`` become the model's ``c`` and ``e`` (a template
  transporter moves a compound straight from ``e`` to ``c``);
- a reaction the model already has — one of its BiGG ids, or the same stoichiometry — is left
  out; the others keep the template's id (``rxn00994_c``), name and direction.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import cobra

from fluxagent.tools.modelseed._common import TEMPLATES
from fluxagent.tools.modelseed.bridge import bigg_for_seed
from fluxagent.tools.modelseed.templates import CORE
from fluxagent.tools.results import ToolFailure

COMPARTMENTS = {"c": "c", "e": "e"}
_lock = threading.Lock()
_CACHE: dict[tuple[str, frozenset[str]], tuple[cobra.Model, dict[str, Any]]] = {}


def _template(name: str) -> dict[str, Any]:
    if name not in CORE:
        raise ToolFailure("unknown_id", f"no shipped ModelSEED template {name!r}",
                          hint=f"shipped: {', '.join(CORE)}")
    data: dict[str, Any] = json.loads((TEMPLATES / CORE[name][0]).read_text())
    return data


def _bigg_metabolite(cpd: str, comp: str, have: set[str]) -> str | None:
    """BiGG id of a template compound in a compartment, the model's own first."""
    ids = [f"{b}_{COMPARTMENTS[comp]}" for b in bigg_for_seed(cpd)]
    return next((i for i in ids if i in have), ids[0] if ids else None)


def _signature(stoich: dict[str, float]) -> frozenset[tuple[str, float]]:
    """Stoichiometry up to direction (a reaction written backwards is the same reaction)."""
    key = frozenset((m, round(c, 6)) for m, c in stoich.items())
    flipped = frozenset((m, round(-c, 6)) for m, c in stoich.items())
    return min(key, flipped, key=sorted)


def template_universe(name: str, model: cobra.Model) -> tuple[cobra.Model, dict[str, Any]]:
    """The reactions of template ``name`` that ``model`` lacks, in its ids, and a report
    (how many were translated, left out for lack of a BiGG id, already in the model)."""
    have_mets = {m.id for m in model.metabolites}
    key = (name, frozenset(r.id for r in model.reactions) | frozenset(have_mets))
    with _lock:
        if key in _CACHE:
            return _CACHE[key]
    data = _template(name)
    have_rxns = {r.id for r in model.reactions}
    known = {_signature({m.id: c for m, c in r.metabolites.items()}) for r in model.reactions}
    comps = {c["id"]: c for c in data["compcompounds"]}
    formulas = {c["id"]: c.get("formula") for c in data["compounds"]}
    names = {c["id"]: c.get("name") for c in data["compounds"]}
    universe = cobra.Model(f"modelseed_{name}")
    mets: dict[str, cobra.Metabolite] = {}
    report: dict[str, Any] = {"template": name, "reactions": len(data["reactions"]),
                              "untranslatable": [], "in_model": [], "translated": 0}
    new: list[cobra.Reaction] = []
    for r in data["reactions"]:
        stoich: dict[str, float] = {}
        ok = True
        for reagent in r["templateReactionReagents"]:
            cc = comps[reagent["templatecompcompound_ref"].rsplit("/", 1)[-1]]
            cpd = cc["templatecompound_ref"].rsplit("/", 1)[-1]
            comp = cc["templatecompartment_ref"].rsplit("/", 1)[-1]
            mid = _bigg_metabolite(cpd, comp, have_mets) if comp in COMPARTMENTS else None
            if mid is None:
                ok = False
                break
            stoich[mid] = stoich.get(mid, 0.0) + float(reagent["coefficient"])
            if mid not in mets:
                mets[mid] = cobra.Metabolite(mid, formulas.get(cpd), names.get(cpd),
                                             compartment=mid.rsplit("_", 1)[-1])
        stoich = {m: c for m, c in stoich.items() if abs(c) > 1e-12}
        if not ok or not stoich:
            report["untranslatable"].append(r["id"])
            continue
        base = r["id"].rsplit("_", 1)[0]
        if any(b in have_rxns for b in bigg_for_seed(base, "reaction")) or \
                _signature(stoich) in known:
            report["in_model"].append(r["id"])
            continue
        d = r.get("direction", "=")
        rxn = cobra.Reaction(r["id"], r.get("name", ""), "ModelSEED " + name,
                             -1000.0 if d in "=<" else 0.0, 1000.0 if d in "=>" else 0.0)
        rxn.add_metabolites({mets[m]: c for m, c in stoich.items()})
        new.append(rxn)
    universe.add_reactions(new)
    report["translated"] = len(new)
    with _lock:
        _CACHE[key] = (universe, report)
    return universe, report
