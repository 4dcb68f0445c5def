"""Counts, conventions and the one-paragraph summary of ``validate_model`` from its raw check
results (numbers only from the results; ids from the model)."""

from __future__ import annotations

from typing import Any

from fluxagent.tools.toolkit import fmt, listing


def conventions(checks: dict[str, Any]) -> dict[str, str]:
    """The conventions the results depend on, stated in words for the report."""
    out: dict[str, str] = {}
    if "mass_balance" in checks:
        mb = checks["mass_balance"]
        out["formula-less metabolites"] = (
            "counted unbalanced (memote)" if mb["convention"] == "counted" else
            "reported apart (formula_less='counted' counts them unbalanced, as memote)")
    egc = [k for k in ("energy_cycles", "energy_cycles_memote") if k in checks]
    if egc:
        out["energy-generating cycles"] = " and ".join(
            "under the model's own bounds" if k == "energy_cycles" else
            "under memote's reset bounds (every reaction -1..1 or 0..1 by reversibility)"
            for k in egc) + ", every boundary closed"
    if "balanced_cycles" in checks:
        out["balanced cycles"] = "memote's reset bounds, every boundary closed"
    if "dead_ends" in checks:
        out["orphans and dead ends"] = ("memote's: by reaction reversibility; a metabolite of "
                                        "an exchange is neither")
    return out


def count_findings(checks: dict[str, Any]) -> dict[str, int]:
    """{finding: count} over the checks that ran (keys as the flows and the CSV use them)."""
    counts: dict[str, int] = {}
    if "mass_balance" in checks:
        mb = checks["mass_balance"]
        counts |= {"mass_unbalanced": len(mb["mass_unbalanced"]),
                   "charge_unbalanced": len(mb["charge_unbalanced"]),
                   "unchecked_no_formula": len(mb["unchecked_no_formula"]),
                   "unchecked_no_charge": len(mb["unchecked_no_charge"]),
                   "no_formula": len(mb["metabolites_without_formula"])}
    if "stoichiometric_consistency" in checks:
        counts["unconserved_metabolites"] = len(checks["stoichiometric_consistency"]
                                                ["unconserved"])
    if "energy_cycles" in checks:
        counts["energy_generating_cycles"] = len(checks["energy_cycles"]["cycles"])
    if "energy_cycles_memote" in checks:
        counts["energy_generating_cycles_memote"] = len(checks["energy_cycles_memote"]
                                                        ["cycles"])
    if "balanced_cycles" in checks:
        counts["balanced_cycle_reactions"] = len(checks["balanced_cycles"]["reactions"])
    if "dead_ends" in checks:
        de = checks["dead_ends"]
        counts |= {"dead_end": len(de["dead_end"]), "orphan": len(de["orphan"]),
                   "disconnected": len(de["disconnected"])}
    if "gpr" in checks:
        counts["without_gpr"] = len(checks["gpr"]["reactions"])
    if "blocked_open" in checks:
        counts["blocked_open"] = len(checks["blocked_open"]["reactions"])
    if "metabolite_flux" in checks:
        counts |= {"not_produced": len(checks["metabolite_flux"]["not_produced"]),
                   "not_consumed": len(checks["metabolite_flux"]["not_consumed"])}
    if "unbounded_flux" in checks:
        counts["unbounded_flux"] = len(checks["unbounded_flux"]["unbounded"])
    if "sbml" in checks and checks["sbml"]["ran"]:
        c = checks["sbml"]["counts"]
        counts |= {"sbml_errors": sum(v for k, v in c.items() if "FATAL" in k or "ERROR" in k),
                   "sbml_warnings": sum(v for k, v in c.items()
                                        if "WARNING" in k or "CHECK" in k)}
    return counts


def _ids(items: list[str], n: int) -> str:
    return f" ({listing(items, n)})" if items else ""


def _cycles(res: dict[str, Any], label: str) -> str:
    found = ", ".join(f"{c['energy']} (max {fmt(c['max_flux'], 4)}"
                      + (f"; opened by {listing(c['opened_by'], 8)}" if c["opened_by"] else "")
                      + ")" for c in res["cycles"]) or "none"
    tested = ", ".join(c["energy"] for c in res["checked"]) or "nothing"
    return f"energy-generating cycles with all exchanges closed, {label}: {found} " \
           f"(tested {tested})"


def summary_parts(checks: dict[str, Any], counts: dict[str, int]) -> list[str]:
    """One clause per check, in the order they ran."""
    parts: list[str] = []
    if "mass_balance" in checks:
        mb = checks["mass_balance"]
        how = ("counting reactions with formula-less metabolites as unbalanced (memote)"
               if mb["convention"] == "counted" else
               f"{counts['unchecked_no_formula']} with formula-less metabolites not checked")
        parts.append(f"mass balance: {counts['mass_unbalanced']} of {mb['internal']} internal "
                     f"reactions unbalanced in mass"
                     + _ids([x["id"] for x in mb["mass_unbalanced"]], 8)
                     + f", {counts['charge_unbalanced']} in charge"
                     + _ids([x["id"] for x in mb["charge_unbalanced"]], 8) + f" ({how})"
                     + (f"; {counts['no_formula']} metabolites lack a formula"
                        if counts["no_formula"] else ""))
    if "stoichiometric_consistency" in checks:
        sc = checks["stoichiometric_consistency"]
        parts.append("stoichiometrically consistent" if sc["consistent"] else
                     "consistency check failed to solve" if sc["consistent"] is None else
                     f"stoichiometrically INCONSISTENT: {len(sc['unconserved'])} metabolites "
                     f"cannot get a positive mass ({listing(sc['unconserved'], 8)})")
    if "energy_cycles" in checks:
        parts.append(_cycles(checks["energy_cycles"], "model's bounds"))
    if "energy_cycles_memote" in checks:
        parts.append(_cycles(checks["energy_cycles_memote"], "memote's reset bounds"))
    if "balanced_cycles" in checks:
        parts.append(f"{counts['balanced_cycle_reactions']} reactions in stoichiometrically "
                     "balanced cycles" + _ids(checks["balanced_cycles"]["reactions"], 8))
    if "dead_ends" in checks:
        de = checks["dead_ends"]
        parts.append(f"dead-end metabolites (only produced) {counts['dead_end']}"
                     + _ids(de["dead_end"], 6)
                     + f", orphans (only consumed) {counts['orphan']}" + _ids(de["orphan"], 6)
                     + f", disconnected {counts['disconnected']}")
    if "gpr" in checks:
        parts.append(f"{counts['without_gpr']} of {checks['gpr']['tested']} non-boundary "
                     "reactions without a gene rule")
    if "blocked_open" in checks:
        und = checks["blocked_open"].get("undecided", [])
        parts.append(f"{counts['blocked_open']} reactions blocked with every exchange open"
                     + (f" ({len(und)} undecided: no optimum within the solver limits"
                        f"{_ids(und, 6)})" if und else ""))
    if "metabolite_flux" in checks:
        und_m = checks["metabolite_flux"].get("undecided", {})
        n_und = sum(len(v) for v in und_m.values())
        parts.append(f"with every exchange open {counts['not_produced']} metabolites cannot "
                     f"be produced, {counts['not_consumed']} cannot be consumed"
                     + (f" ({n_und} tests undecided: no optimum within the solver limits)"
                        if n_und else ""))
    if "unbounded_flux" in checks:
        uf = checks["unbounded_flux"]
        parts.append(f"{counts['unbounded_flux']} reactions reach the median bounds in the "
                     f"default condition ({uf['fraction']:.1%} of those not blocked)")
    if "sbml" in checks:
        sb = checks["sbml"]
        if sb["ran"]:
            parts.append(f"SBML export: {counts['sbml_errors']} errors, "
                         f"{counts['sbml_warnings']} warnings")
        else:
            parts.append("SBML validation skipped (large model; sbml='yes' runs it)")
        if sb["load_warnings"]:
            parts.append(f"{len(sb['load_warnings'])} warnings when the file was loaded")
    return parts
