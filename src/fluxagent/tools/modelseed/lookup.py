"""lookup_compound / lookup_reaction: ranked search in the ModelSEED biochemistry."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from fluxagent.tools.modelseed._common import versions
from fluxagent.tools.modelseed.index import Kind, get_index
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import Provenance, ToolFailure, ToolResult

BIOCHEMISTRY = "ModelSEEDDatabase dev@a0078653 (tables of 2024-01-23)"
Source = Literal["modelseed", "kegg", "bigg", "metacyc", "chebi", "rhea", "metanetx", "name",
                 "ec", "formula", "inchikey"]


class LookupArgs(BaseModel):
    query: str = Field(..., min_length=1, max_length=500, description="An id (cpd00027, "
                       "rxn00558), name or synonym ('glucose', 'citrate synthase'), alias "
                       "(KEGG C00031, BiGG glc__D or PGI, MetaCyc, ChEBI, Rhea, MetaNetX), "
                       "formula (C6H12O6), InChIKey or EC number (5.3.1.9).")
    source: Source | None = Field(None, description="Only match this kind of identifier.")
    limit: int = Field(10, ge=1, le=50, description="Number of ranked matches to return.")
    include_obsolete: bool = Field(False, description="Also return obsolete entries.")


def _lookup(kind: Kind, tool: str, args: LookupArgs, ctx: ToolContext) -> ToolResult:
    idx = get_index(ctx.settings)
    ranked = idx.search(kind, args.query, source=args.source, limit=args.limit,
                        include_obsolete=args.include_obsolete)
    if not ranked:
        raise ToolFailure("unknown_id", f"no {kind} in the ModelSEED biochemistry matches "
                          f"{args.query!r}" + (f" as {args.source}" if args.source else ""),
                          hint="try a shorter name, a synonym, a KEGG/BiGG/MetaCyc id, "
                          + ("a formula or InChIKey" if kind == "compound" else "an EC number")
                          + (", or drop the source filter" if args.source else ""))
    matches: list[dict[str, Any]] = []
    for hit, row in ranked:
        item = {**hit.as_dict(), "name": row["name"]}
        if kind == "compound":
            item.update(formula=row["formula"], charge=row["charge"], mass=row["mass"])
        else:
            item.update(equation=row["definition"], ec_numbers=[
                e for e in (row["ec_numbers"] or "").split("|") if e])
        if row["is_obsolete"]:
            item["is_obsolete"] = True
        matches.append(item)
    best = idx.record(kind, ranked[0][0].id) or {}
    summary = _summary(kind, args.query, best, matches)
    return ToolResult(tool=tool, summary=summary,
                      data={"query": args.query, "matches": matches, "best": best},
                      provenance=Provenance(parameters=args.model_dump(),
                                            versions={**versions(), "biochemistry": BIOCHEMISTRY}))


def _summary(kind: Kind, query: str, best: dict[str, Any], matches: list[dict[str, Any]]
             ) -> str:
    al = best.get("aliases", {})
    refs = "; ".join(f"{ns.upper() if ns != 'metacyc' else 'MetaCyc'} {', '.join(v[:2])}"
                     for ns, v in al.items() if ns in ("kegg", "bigg", "metacyc"))
    if kind == "compound":
        mass = f", mass {best['mass']} g/mol" if best.get("mass") not in (None, "") else ""
        head = (f"{query!r} -> {best['id']} {best['name']} ({best.get('formula') or '?'}, "
                f"charge {best.get('charge')}{mass}" + (f"; {refs}" if refs else "") + ")")
    else:
        ec = ", ".join(best.get("ec_numbers", [])[:3])
        head = (f"{query!r} -> {best['id']} {best['name']}: {best.get('definition')}"
                + (f" [EC {ec}]" if ec else "") + (f" ({refs})" if refs else ""))
    others = ", ".join(f"{m['id']} {m['name']}" for m in matches[1:5])
    return head + (f". Also: {others}" if others else "") + "."


@REGISTRY.tool("lookup_compound", "Find compounds in the ModelSEED biochemistry (45,706) by id, "
               "name, synonym, KEGG/BiGG/MetaCyc/ChEBI/MetaNetX alias, formula or InChIKey; "
               "ranked fuzzy matches.", LookupArgs)
def lookup_compound(args: LookupArgs, ctx: ToolContext) -> ToolResult:
    return _lookup("compound", "lookup_compound", args, ctx)


@REGISTRY.tool("lookup_reaction", "Find reactions in the ModelSEED biochemistry (56,009) by "
               "id, name, synonym, KEGG/BiGG/MetaCyc/Rhea/MetaNetX alias or EC number; ranked "
               "fuzzy matches with equations.", LookupArgs)
def lookup_reaction(args: LookupArgs, ctx: ToolContext) -> ToolResult:
    return _lookup("reaction", "lookup_reaction", args, ctx)
