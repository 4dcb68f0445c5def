"""``apply_model_fix`` and ``revert_model_fix``: one proposed model change, approved by a person.

``apply_model_fix`` always waits for approval (``human/approvals.py`` lists it with the tools
whose whole purpose is a person's decision); the approval request shows its arguments, which
hold the ``diff``. The tool recomputes the diff from the changes on the session's model and
refuses a mismatch, so what runs is exactly what the person read. The changes become model
effects in the thread, each tagged with the fix id: every later tool sees them, a replay
rebuilds them, and ``revert_model_fix`` takes one fix back (the model is reset and the other
recorded changes are applied again, in order). A gene-rule edit (``set_gene_rule``) is checked
before anything runs (the reaction and genes exist or are stated as new, the rule parses) and
records the rule it replaces (``tools/gene_rules.py``).
"""

from __future__ import annotations

from typing import Any

import cobra
from pydantic import BaseModel, ConfigDict, Field

from fluxagent.tools.gene_rules import check_rule, normalized
from fluxagent.tools.models import apply_change
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult
from fluxagent.tools.toolkit import ModelArgs

from .fba import model_name
from .phenotypes_fixes import change_diff

OPS = frozenset({"knockout_reactions", "knockout_genes", "set_bounds", "add_reactions",
                 "set_gene_rule"})


class FixArgs(ModelArgs):
    fix: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.:-]+$",
                     description="The proposal id (from reconcile_phenotypes), e.g. P1.")
    title: str = Field(default="", max_length=500, description="What the fix does and why.")
    changes: list[dict[str, Any]] = Field(min_length=1, max_length=20, description="The "
                                          "proposal's changes, as reconcile_phenotypes gave "
                                          "them.")
    diff: list[str] = Field(min_length=1, max_length=200, description="The proposal's diff "
                            "(checked against the changes).")


class RevertArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    fix: str = Field(min_length=1, max_length=40, description="The id of an applied fix.")


@REGISTRY.tool("apply_model_fix", "Apply one proposed model change (from "
               "reconcile_phenotypes) to the session's model; always asks a person first.",
               FixArgs)
def apply_model_fix(args: FixArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    name = model_name(model)
    bad = [str(ch.get("op")) for ch in args.changes if ch.get("op") not in OPS]
    if bad:
        raise ToolFailure("bad_arguments", f"a fix cannot hold {', '.join(bad)} changes",
                          hint=f"allowed: {', '.join(sorted(OPS))}")
    changes = [_with_old_rule(model, args.fix, {**ch, "model": name, "fix": args.fix})
               if ch.get("op") == "set_gene_rule" else {**ch, "model": name, "fix": args.fix}
               for ch in args.changes]
    edited = [str(ch["reaction"]) for ch in changes if ch["op"] == "set_gene_rule"]
    if len(set(edited)) < len(edited):
        raise ToolFailure("bad_arguments", f"fix {args.fix}: one gene rule edit per reaction",
                          hint="write the final rule of each reaction once")
    try:
        diff = change_diff(model, changes)
    except KeyError as exc:
        raise ToolFailure("unknown_id", f"fix {args.fix}: {exc} is not in {name}",
                          hint="propose again with reconcile_phenotypes on this model"
                          ) from None
    if diff != args.diff:
        raise ToolFailure("bad_arguments", f"fix {args.fix}: the diff does not match its "
                          "changes on the session's model (was the model changed since the "
                          "proposal?)", hint="propose again with reconcile_phenotypes",
                          expected=diff)
    with model:
        for ch in changes:
            apply_change(model, ch)  # replayable: fails here, not in a later tool
        status = model.slim_optimize(error_value=float("nan"))
    summary = (f"Applied fix {args.fix} to {name}: {'; '.join(diff)}. Growth now "
               f"{status:.6g} 1/h (default conditions). Undo with revert_model_fix(fix="
               f"{args.fix!r}).")
    return ToolResult(tool="apply_model_fix", summary=summary, effects=changes,
                      data={"fix": args.fix, "model": name, "diff": diff,
                            "title": args.title, "growth_after": status})


def _with_old_rule(model: cobra.Model, fix: str, change: dict[str, Any]) -> dict[str, Any]:
    """A gene rule edit, checked (reaction, genes, parse) and holding the rule it replaces
    (what a revert restores); a stated old rule must be the model's."""
    rid, rule = str(change.get("reaction", "")), change.get("rule")
    if not isinstance(rule, str):
        raise ToolFailure("bad_arguments", f"fix {fix}: the gene rule of {rid} must be text",
                          hint="e.g. 'b0001 and b0002'")
    try:
        check_rule(model, rid, rule, list(change.get("new_genes") or ()))
    except ToolFailure as exc:
        raise ToolFailure(exc.kind, f"fix {fix}: {exc.message}", hint=exc.hint) from None
    now = model.reactions.get_by_id(rid).gene_reaction_rule
    old = change.get("old_rule")
    if old is not None and normalized(str(old)) != now:
        raise ToolFailure("bad_arguments", f"fix {fix}: the gene rule of {rid} is {now!r}, "
                          f"not {old!r} (was the model changed since the proposal?)",
                          hint="propose again with reconcile_phenotypes")
    return {**change, "rule": normalized(rule), "old_rule": now,
            "new_genes": sorted(change.get("new_genes") or ())}


@REGISTRY.tool("revert_model_fix", "Take back one applied model fix (the other session "
               "changes stay).", RevertArgs)
def revert_model_fix(args: RevertArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    name = model_name(model)
    st = ctx.state.models.get(name)
    recorded = list(st.changes) if st else []
    if not any(ch.get("fix") == args.fix for ch in recorded):
        fixes = sorted({str(ch["fix"]) for ch in recorded if ch.get("fix")})
        raise ToolFailure("unknown_id", f"no fix {args.fix!r} applied to {name}",
                          hint=f"applied fixes: {', '.join(fixes) or 'none'}")
    kept = [ch for ch in recorded if ch.get("fix") != args.fix]
    return ToolResult(tool="revert_model_fix", effects=[{"op": "reset_model", "model": name},
                                                         *kept],
                      summary=f"Reverted fix {args.fix} of {name}; {len(kept)} other "
                      "recorded change(s) kept.",
                      data={"fix": args.fix, "model": name, "kept": len(kept)})
