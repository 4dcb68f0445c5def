"""A reaction's gene rule (GPR) as a recorded model change: ``set_gene_rule``.

A modeler who finds that an isozyme rescues a knockout the lab finds lethal edits one term of
one rule ("b1 or b2" -> "b1 and b2", or "b1" with b2 kept on its other reactions); knocking out
whole genes would say more than the evidence does. The change is {model, reaction, rule,
old_rule, new_genes}: the rule must parse with cobrapy's GPR parser (cobrapy only warns on a
malformed rule and leaves it empty, which would silently switch the reaction on for good), its
genes must be the model's or be listed in ``new_genes``, and ``old_rule`` (the rule it
replaces) must be what the model holds, so a replay on a changed base model fails loudly
rather than editing something else. A revert is the session's reset-and-replay.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Sequence
from typing import Any

import cobra
from cobra.core.gene import GPR

from fluxagent.tools.results import ToolFailure

_COBRA_GENE_LOG = logging.getLogger("cobra.core.gene")
_QUIET = threading.Lock()


def parse_rule(rule: str) -> GPR:
    """The rule parsed by cobrapy, or ToolFailure(bad_arguments) when it does not parse (cobrapy
    itself warns, logs a traceback and returns an empty rule)."""
    if not isinstance(rule, str):
        raise ToolFailure("bad_arguments", f"a gene rule is text, not {type(rule).__name__}")
    with _QUIET, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        was, _COBRA_GENE_LOG.disabled = _COBRA_GENE_LOG.disabled, True
        try:
            gpr = GPR.from_string(rule)
        except (TypeError, ValueError) as exc:
            gpr, why = None, str(exc)
        else:
            why = "malformed"
        finally:
            _COBRA_GENE_LOG.disabled = was
    if gpr is None or (gpr.body is None and rule.strip()):
        raise ToolFailure("bad_arguments", f"gene rule {rule[:200]!r} does not parse ({why})",
                          hint="genes joined by 'and' / 'or' with balanced parentheses, e.g. "
                          "'b0001 and (b0002 or b0003)'; '' for no rule")
    return gpr


def normalized(rule: str) -> str:
    """The rule as cobrapy writes it back (so equal rules compare equal)."""
    return str(parse_rule(rule).to_string())


def check_rule(model: cobra.Model, reaction: str, rule: str,
               new_genes: Sequence[str] = ()) -> GPR:
    """The parsed rule for ``reaction``; ToolFailure when the reaction or a gene is unknown."""
    if reaction not in model.reactions:
        raise ToolFailure("unknown_id", f"reaction {reaction!r} is not in the model",
                          hint="a reaction id of the model, e.g. from search_reactions")
    gpr = parse_rule(rule)
    genes = set(gpr.genes)
    unknown = sorted(genes - {g.id for g in model.genes} - set(new_genes))
    if unknown:
        raise ToolFailure("unknown_id", f"gene rule of {reaction}: {', '.join(unknown[:20])} "
                          "not in the model", hint="use the model's gene ids, or list a "
                          "gene the model should gain in new_genes")
    stale = sorted(set(new_genes) & {g.id for g in model.genes})
    unused = sorted(set(new_genes) - genes)
    if stale or unused:
        raise ToolFailure("bad_arguments", f"new_genes of {reaction}: "
                          + "; ".join(([f"{', '.join(stale)} already in the model"]
                                       if stale else [])
                                      + ([f"{', '.join(unused)} not in the rule"]
                                         if unused else [])),
                          hint="new_genes lists only genes of the rule the model lacks")
    return gpr


def set_gene_rule(model: cobra.Model, change: dict[str, Any]) -> None:
    """Apply one ``set_gene_rule`` change in place (undone by an enclosing ``with model:``).
    A rule that fails with the genes already knocked out switches the reaction off, as
    cobrapy's ``knock_out`` would have had the rule been there before."""
    rid, rule = str(change["reaction"]), str(change["rule"])
    check_rule(model, rid, rule, list(change.get("new_genes") or ()))
    rxn = model.reactions.get_by_id(rid)
    old = change.get("old_rule")
    if old is not None and normalized(str(old)) != rxn.gene_reaction_rule:
        raise ToolFailure("internal", f"cannot set the gene rule of {rid}: it is "
                          f"{rxn.gene_reaction_rule!r}, the change expected {old!r}",
                          hint="the base model changed since the session recorded this "
                          "change; reset_model undoes the session's changes")
    rxn.gene_reaction_rule = rule
    if not rxn.functional:
        rxn.knock_out()


def rule_diff(model: cobra.Model, change: dict[str, Any]) -> str:
    """One diff line: the reaction's rule now -> the new rule (and the genes it adds)."""
    r = model.reactions.get_by_id(str(change["reaction"]))
    new = ", ".join(change.get("new_genes") or ())
    return (f"~ {r.id} ({r.name}): gene rule {_shown(r.gene_reaction_rule)} -> "
            f"{_shown(normalized(str(change['rule'])))}" + (f"  new genes: {new}" if new
                                                            else ""))


def _shown(rule: str) -> str:
    return f'"{rule}"' if rule else "none"
