"""The validation report: checks grouped in sections, a score per check and per section.

Scores follow memote's idea (each test's metric is the fraction of the model it flags; its
score is 1 - metric) so a reader who knows memote reads them the same way: a check's score is
1 - (items found / items it looked at), a section's score the mean of its checks', the total
the mean of the sections'. The stated conventions travel with the report.
"""

from __future__ import annotations

from typing import Any

#: (section, title) in report order.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("balance", "Mass and charge balance"),
    ("stoichiometry", "Stoichiometric consistency"),
    ("cycles", "Energy-generating and balanced cycles"),
    ("topology", "Network topology"),
    ("flux", "Flux capacity"),
    ("genes", "Gene-reaction rules"),
    ("sbml", "SBML"),
)


def _item(check: str, title: str, found: list[str], over: int, note: str = "",
          memote: str = "") -> dict[str, Any]:
    score = 1.0 - len(found) / over if over else 1.0
    return {"check": check, "title": title, "count": len(found), "of": over,
            "score": round(max(0.0, score), 4), "items": found, "note": note,
            "memote_test": memote}


def _egc(res: dict[str, Any], label: str) -> dict[str, Any]:
    names = [f"{c['energy']} ({c['metabolite']})" for c in res["cycles"]]
    opened = "; ".join(f"{c['energy']} opened by {', '.join(c['opened_by'])}"
                       for c in res["cycles"] if c["opened_by"])
    note = f"boundaries closed, {label}" + (f"; {opened}" if opened else "")
    return _item(f"energy_cycles_{res['convention']}", f"Energy-generating cycles ({label})",
                 names, len(res["checked"]), note, "test_detect_energy_generating_cycles")


def build_sections(checks: dict[str, Any], n_reactions: int, n_metabolites: int
                   ) -> dict[str, Any]:
    """{"sections": [{section, title, score, checks: [...]}], "score": total} from the raw
    results of ``validate_model`` (only the checks that ran)."""
    by: dict[str, list[dict[str, Any]]] = {s: [] for s, _ in SECTIONS}
    if "mass_balance" in checks:
        mb = checks["mass_balance"]
        conv = ("formula-less metabolites counted unbalanced (memote)"
                if mb["convention"] == "counted" else
                f"formula-less metabolites reported apart: {len(mb['unchecked_no_formula'])} "
                f"reactions not checked for mass, {len(mb['unchecked_no_charge'])} for charge")
        by["balance"] += [
            _item("mass_balance", "Mass-unbalanced reactions",
                  [x["id"] for x in mb["mass_unbalanced"]], mb["internal"], conv,
                  "test_reaction_mass_balance"),
            _item("charge_balance", "Charge-unbalanced reactions",
                  [x["id"] for x in mb["charge_unbalanced"]], mb["internal"], conv,
                  "test_reaction_charge_balance")]
    if "stoichiometric_consistency" in checks:
        sc = checks["stoichiometric_consistency"]
        by["stoichiometry"].append(_item(
            "stoichiometric_consistency", "Unconserved metabolites", sc["unconserved"],
            n_metabolites, "consistent" if sc["consistent"] else "INCONSISTENT",
            "test_stoichiometric_consistency, test_unconserved_metabolites"))
    for key, label in (("energy_cycles", "model's own bounds"),
                       ("energy_cycles_memote", "memote's reset bounds")):
        if key in checks:
            by["cycles"].append(_egc(checks[key], label))
    if "balanced_cycles" in checks:
        by["cycles"].append(_item("balanced_cycles", "Reactions in stoichiometrically "
                                  "balanced cycles", checks["balanced_cycles"]["reactions"],
                                  n_reactions, "memote's reset bounds, boundaries closed",
                                  "test_find_stoichiometrically_balanced_cycles"))
    if "dead_ends" in checks:
        de = checks["dead_ends"]
        by["topology"] += [
            _item("orphan", "Orphan metabolites (only consumed)", de["orphan"], n_metabolites,
                  memote="test_find_orphans"),
            _item("dead_end", "Dead-end metabolites (only produced)", de["dead_end"],
                  n_metabolites, memote="test_find_deadends"),
            _item("disconnected", "Disconnected metabolites", de["disconnected"],
                  n_metabolites, memote="test_find_disconnected")]
    if "blocked_open" in checks:
        by["flux"].append(_item("blocked_open", "Blocked reactions (exchanges open)",
                                checks["blocked_open"]["reactions"], n_reactions,
                                memote="test_blocked_reactions"))
    if "metabolite_flux" in checks:
        mf = checks["metabolite_flux"]
        by["flux"] += [
            _item("not_produced", "Metabolites not produced (exchanges open)",
                  mf["not_produced"], n_metabolites,
                  memote="test_find_metabolites_not_produced_with_open_bounds"),
            _item("not_consumed", "Metabolites not consumed (exchanges open)",
                  mf["not_consumed"], n_metabolites,
                  memote="test_find_metabolites_not_consumed_with_open_bounds")]
    if "unbounded_flux" in checks:
        uf = checks["unbounded_flux"]
        live = n_reactions - len(uf["blocked"])
        by["flux"].append(_item("unbounded_flux", "Reactions with unbounded flux (default "
                                "condition)", uf["unbounded"], live,
                                f"reaching the median bounds {uf['bounds']}; of the {live} "
                                "reactions not blocked in this condition",
                                "test_find_reactions_unbounded_flux_default_condition"))
    if "gpr" in checks:
        by["genes"].append(_item("gpr", "Reactions without a gene rule (not boundary)",
                                 checks["gpr"]["reactions"], checks["gpr"]["tested"],
                                 memote="test_gene_protein_reaction_rule_presence"))
    if "sbml" in checks and checks["sbml"]["ran"]:
        c = checks["sbml"]["counts"]
        errors = [f"{k}: {v}" for k, v in c.items() if v and ("FATAL" in k or "ERROR" in k)]
        by["sbml"].append(_item("sbml", "SBML validator errors", errors, max(1, len(errors)),
                                note="libSBML and cobrapy validators on the exported SBML"))
    sections = []
    for key, title in SECTIONS:
        if by[key]:
            score = sum(i["score"] for i in by[key]) / len(by[key])
            sections.append({"section": key, "title": title, "score": round(score, 4),
                             "checks": by[key]})
    total = sum(s["score"] for s in sections) / len(sections) if sections else 1.0
    return {"sections": sections, "score": round(total, 4)}
