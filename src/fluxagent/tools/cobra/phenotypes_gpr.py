"""Gene-rule edits for a gene the lab finds essential and the model does not.

An isozyme in a rule (``b1 or b2``) keeps the reaction on without b1. Knocking out b2 (what
``rescue_knockout`` proposes) also takes b2 off its other reactions; a modeler edits the one
rule instead, in one of two ways:

- ``gpr_drop_isozyme``: the alternatives that rescue the knockout are dropped from this rule
  only (``b1 or b2`` -> ``b1``; ``b3 and (b1 or b2)`` -> ``b3 and b1``): b2 stays on its
  other reactions;
- ``gpr_isozyme_to_complex``: the alternatives are read as subunits of one complex (each
  ``or`` on the gene's path becomes ``and``: ``b1 or b2`` -> ``b1 and b2``).

Each edit is checked in silico: with it the knockout is lethal (growth below the essentiality
fraction of the wild type), the wild type keeps 99% of its growth, and every other gene of the
edited rules is knocked out again (only their calls can change: a rule depends on its genes
alone); a call that agreed with the data and no longer does is reported as a flip (``flips``),
a changed call of a gene outside the data as ``calls_changed``. A reaction whose edit alone is
not lethal is edited together with the gene's other rescuing reactions, as one proposal.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any

import cobra
from cobra.core.gene import GPR

from fluxagent.tools.models import apply_change

from .phenotypes_data import Item
from .phenotypes_fixes import Change, _grows, _proposal

#: Proposals kept per gene (rescuing reactions x the two kinds of edit).
MAX_PER_GENE = 4
KINDS = ("gpr_drop_isozyme", "gpr_isozyme_to_complex")


def _genes(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _joined(op: ast.boolop, values: list[ast.expr]) -> ast.expr:
    return values[0] if len(values) == 1 else ast.BoolOp(op=op, values=values)


def _drop(node: ast.expr, gene: str) -> ast.expr:
    """``node`` with every alternative that does not need ``gene`` dropped."""
    if not isinstance(node, ast.BoolOp):
        return node
    if isinstance(node.op, ast.Or):
        return _joined(node.op, [_drop(v, gene) for v in node.values if gene in _genes(v)])
    return _joined(node.op, [_drop(v, gene) if gene in _genes(v) else v for v in node.values])


def _complex(node: ast.expr, gene: str) -> ast.expr:
    """``node`` with each ``or`` on the path to ``gene`` turned into ``and``."""
    if not isinstance(node, ast.BoolOp):
        return node
    values = [_complex(v, gene) if gene in _genes(v) else v for v in node.values]
    return _joined(ast.And(), values)


def edited_rule(rule: GPR, gene: str, kind: str) -> str:
    """The rule text after the edit ``kind`` (``KINDS``) for ``gene``."""
    out = rule.copy()
    out.body = (_drop if kind == KINDS[0] else _complex)(rule.body, gene)
    return str(out.to_string())


def _rescuing(model: cobra.Model, gene: cobra.Gene) -> list[cobra.Reaction]:
    """The gene's reactions whose rule still holds without it (and the genes already off)."""
    dead = {g.id for g in model.genes if not g.functional} | {gene.id}
    return sorted((r for r in gene.reactions if r.bounds != (0.0, 0.0) and r.gpr.body
                   is not None and r.gpr.eval(knockouts=dead)), key=lambda r: r.id)


def _knockout_growth(model: cobra.Model, changes: Sequence[Change], gene: str) -> float:
    with model:
        for ch in changes:
            apply_change(model, ch)
        model.genes.get_by_id(gene).knock_out()
        return _grows(model)


def _calls_changed(model: cobra.Model, changes: Sequence[Change], genes: Sequence[str],
                   fraction: float, calls: Mapping[str, str], wild: float,
                   ) -> list[dict[str, Any]]:
    """The other genes of the edited rules whose essentiality call the edit changes."""
    out = []
    for h in genes:
        if h in calls:
            before = calls[h] in ("TP", "FP")
        else:
            with model:
                model.genes.get_by_id(h).knock_out()
                before = not _grows(model) >= fraction * wild
        with model:
            for ch in changes:
                apply_change(model, ch)
            wt = _grows(model)
            after = not _knockout_growth(model, (), h) >= fraction * wt
        if after != before:
            measured = calls[h] in ("TP", "FN") if h in calls else None
            out.append({"gene": h, "essential_before": before, "essential_after": after,
                        "measured_essential": measured})
    return out


def gene_rule_edits(model: cobra.Model, gene: str, wild: float, fraction: float, name: str,
                    calls: Mapping[str, str]) -> list[dict[str, Any]]:
    """Essential in the lab, viable in the model: the rule edits (``KINDS``) that make the
    knockout lethal and keep the wild type at 99%; ``calls``: the data's outcome per gene
    (TP/FP/FN/TN, essential = positive) for the flip check."""
    g = model.genes.get_by_id(gene)
    lethal = fraction * wild
    rescuing = _rescuing(model, g)
    if not rescuing:
        return []
    ko = _knockout_growth(model, (), gene)
    groups = [[r] for r in rescuing if _knocked_with(model, gene, [r]) < lethal]
    if not groups and len(rescuing) > 1 and _knocked_with(model, gene, rescuing) < lethal:
        groups = [rescuing]
    out: list[dict[str, Any]] = []
    for rxns in groups:
        for kind in KINDS:
            changes: list[Change] = [{"op": "set_gene_rule", "model": name, "reaction": r.id,
                                      "rule": edited_rule(r.gpr, gene, kind),
                                      "old_rule": r.gene_reaction_rule, "new_genes": []}
                                     for r in rxns]
            if any(ch["rule"] == ch["old_rule"] for ch in changes):
                continue
            with model:
                for ch in changes:
                    apply_change(model, ch)
                wt_after = _grows(model)
            after = _knockout_growth(model, changes, gene)
            if after >= lethal or wt_after < 0.99 * wild:
                continue
            others = sorted({x.id for r in rxns for x in r.genes} - {gene})
            changed = _calls_changed(model, changes, others, fraction, calls, wild)
            flips = [c["gene"] for c in changed if c["measured_essential"] is not None
                     and c["essential_before"] == c["measured_essential"]]
            edits = "; ".join(f"{ch['reaction']}: {ch['old_rule']} -> {ch['rule']}"
                              for ch in changes)
            what = ("drop the isozymes that rescue it" if kind == KINDS[0] else
                    "read the isozymes as one complex")
            p = _proposal(model, Item(gene, True), "FN", kind, f"gene rule edit ({what}) "
                          f"{edits}: knockout of {gene} {ko:.4g} -> {after:.4g} 1/h, wild "
                          f"type stays {wt_after:.4g}" + (f"; flips the agreed call of "
                                                          f"{', '.join(flips)}" if flips
                                                          else "; no agreed call flips"),
                          changes, {"knockout_growth_before": ko,
                                    "knockout_growth_after": after,
                                    "wild_type_after": wt_after})
            p["flips"], p["calls_changed"] = flips, changed
            out.append(p)
    out.sort(key=lambda p: (len(p["flips"]), len(p["calls_changed"])))
    return out[:MAX_PER_GENE]


def _knocked_with(model: cobra.Model, gene: str, rxns: Sequence[cobra.Reaction]) -> float:
    """Knockout growth once ``rxns`` need ``gene`` (what either edit gives)."""
    with model:
        model.genes.get_by_id(gene).knock_out()
        for r in rxns:
            r.knock_out()
        return _grows(model)
