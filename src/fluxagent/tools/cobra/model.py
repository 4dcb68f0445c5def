"""Model tools: list, load, summarise, search, export and reset models."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Literal

import cobra
from pydantic import Field

from fluxagent.core.state import ModelState
from fluxagent.paths import safe_name
from fluxagent.tools.conditions import describe_medium
from fluxagent.tools.linking import classify
from fluxagent.tools.linking.index import index as linking_index
from fluxagent.tools.models import BUNDLED, InvalidChange, ModelStore, build_info
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult
from fluxagent.tools.toolkit import ModelArgs, listing, objective_reactions


def _store(ctx: ToolContext) -> ModelStore:
    if isinstance(ctx.models, ModelStore):
        return ctx.models
    raise ToolFailure("model_not_loaded", "no model store is configured")


@REGISTRY.tool("list_models", "List the models available (bundled with cobrapy and loaded "
               "files) and which one the session uses.", ModelArgs)
def list_models(args: ModelArgs, ctx: ToolContext) -> ToolResult:
    rows = _store(ctx).catalog() if isinstance(ctx.models, ModelStore) else [
        {"name": n, "base": n, "source": "cobrapy", "aliases": list(a), "description": d}
        for n, (_f, a, d) in BUNDLED.items()]
    session = {name: {"base": ms.base, "changes": len(ms.changes)}
               for name, ms in ctx.state.models.items()}
    current = ctx.state.current_model or ctx.settings.default_model
    lines = [f"{r['name']}: {r['description'] or r['source']}" for r in rows]
    summary = (f"Available models: {'; '.join(lines)}. Current model: {current}"
               + (f"; in this session: {', '.join(session)}" if session else "") + ".")
    return ToolResult(tool="list_models", summary=summary,
                      data={"models": rows, "session_models": session, "current": current})


class LoadModelArgs(ModelArgs):
    model: str | None = Field(default=None, description="A bundled model (e_coli_core, "
                              "textbook, iJO1366, salmonella) or a name for the loaded file.")
    path: str | None = Field(default=None, description="Path of an SBML (.xml, .xml.gz), "
                             "JSON, YAML or MATLAB model file.")


@REGISTRY.tool("load_model", "Load a bundled model or a model file and make it the session's "
               "current model.", LoadModelArgs)
def load_model(args: LoadModelArgs, ctx: ToolContext) -> ToolResult:
    store = _store(ctx)
    warnings: tuple[str, ...] = ()
    if args.path:
        base, parsed, warnings = store.import_file(args.path)
        name = args.model or parsed.id or Path(args.path).name.split(".")[0]
        source = f"file {args.path}"
    else:
        if not args.model:
            raise ToolFailure("bad_arguments", "give a model name or a path",
                              hint="bundled models: " + ", ".join(BUNDLED))
        canon = store.canonical(args.model)
        if canon is None:
            store.base(args.model)  # raises model_not_loaded with suggestions
            raise AssertionError("unreachable")
        base = name = canon
        source = "bundled with cobrapy" if canon in BUNDLED else "stored file"
    effects: list[dict[str, Any]] = [{"op": "use_model", "model": name, "base": base}]
    models = dict(ctx.state.models)
    if name not in models or models[name].base != base:
        models[name] = ModelState(base=base)
    state = ctx.state.model_copy(update={"current_model": name, "models": models})
    dropped = 0
    try:
        model = store.build(name, state)
    except InvalidChange:  # an older version stored a change no replay can use: start over
        dropped = len(models[name].changes)
        models[name] = ModelState(base=base)
        effects.append({"op": "reset_model", "model": name})
        model = store.build(name, state.model_copy(update={"models": models}))
    info = build_info(model)
    objective = objective_reactions(model)
    data: dict[str, Any] = {
        "name": name, "id": model.id, "base": base, "source": source,
        "hash": info.model_hash if info else None,
        "reactions": len(model.reactions), "metabolites": len(model.metabolites),
        "genes": len(model.genes), "objective": objective[0] if len(objective) == 1
        else objective, "warnings": list(warnings or (info.warnings if info else ())),
    }
    summary = (f"Loaded {name} ({source}): {data['reactions']} reactions, "
               f"{data['metabolites']} metabolites, {data['genes']} genes; objective "
               f"{listing(objective) or 'none'}. It is now the current model.")
    if data["warnings"]:
        summary += f" {len(data['warnings'])} SBML warnings (see data.warnings)."
    if dropped:
        data["changes_dropped"] = dropped
        summary += (f" The session's {dropped} earlier changes to {name} held unusable values "
                    "and were undone.")
    return ToolResult(tool="load_model", summary=summary, data=data, effects=effects,
                      provenance=provenance(model, parameters={"path": args.path}))


def biomass_reactions(model: Any) -> list[str]:
    """Reactions that look like biomass reactions, as memote finds them: SBO:0000629, or
    'biomass' in the id or name, or a ModelSEED-style ``bio1`` id."""
    out = []
    for r in model.reactions:
        sbo = str(r.annotation.get("sbo", "")) if r.annotation else ""
        if sbo == "SBO:0000629" or "biomass" in r.id.lower() or \
                "biomass" in (r.name or "").lower() or re.match(r"^bio\d+(_[a-z]\d?)?$", r.id):
            out.append(r.id)
    return out


@REGISTRY.tool("model_summary", "Size, compartments, objective, exchanges and medium of a "
               "model.", ModelArgs)
def model_summary(args: ModelArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    info = build_info(model)
    objective = objective_reactions(model)
    exchanges = sorted(r.id for r in model.exchanges)
    med = describe_medium(model)
    subsystems = sorted({r.subsystem for r in model.reactions if r.subsystem})
    data: dict[str, Any] = {
        "id": model.id, "name": info.name if info else model.id,
        "reactions": len(model.reactions), "metabolites": len(model.metabolites),
        "genes": len(model.genes), "compartments": dict(model.compartments),
        "objective": objective[0] if len(objective) == 1 else objective,
        "objective_direction": model.objective_direction,
        "exchanges": len(exchanges), "exchange_ids": exchanges,
        "boundary": len(model.boundary), "subsystems": len(subsystems),
        "medium": med["medium"], "carbon_sources": med["carbon_sources"],
        "oxygen": med["oxygen"], "changes": list(info.changes) if info else [],
        "biomass_reactions": biomass_reactions(model),
        "reactions_with_gpr": sum(1 for r in model.reactions if r.gene_reaction_rule.strip()),
        "reactions_without_gpr": sum(1 for r in model.reactions
                                     if not r.gene_reaction_rule.strip()),
        "internal_reactions_without_gpr": sum(
            1 for r in model.reactions if not r.gene_reaction_rule.strip() and not r.boundary),
        "sinks": len(model.sinks), "demands": len(model.demands),
    }
    summary = (f"{data['name']} (id {model.id}): {data['reactions']} reactions, "
               f"{data['metabolites']} metabolites, {data['genes']} genes, "
               f"{len(model.compartments)} compartments ({', '.join(model.compartments)}), "
               f"{len(exchanges)} exchanges. Objective: {model.objective_direction}imize "
               f"{listing(objective) or 'none'}. Medium ({len(data['medium'])} uptakes): "
               f"{listing(f'{k} ≤ {v:g}' for k, v in data['medium'].items())} mmol/gDW/h"
               f"{'; ' + str(data['oxygen']) if data['oxygen'] else ''}.")
    if data["changes"]:
        summary += f" Session changes applied: {len(data['changes'])}."
    return ToolResult(tool="model_summary", summary=summary, data=data,
                      provenance=provenance(model))


class SearchArgs(ModelArgs):
    query: str = Field(min_length=1, description="Text to look for in ids and names.")
    kind: Literal["any", "reaction", "metabolite", "gene"] = "any"
    limit: int = Field(default=20, ge=1, le=200)


def _score(query: str, ident: str, name: str) -> int:
    q, i, n = query.lower(), ident.lower(), name.lower()
    if q in (i, n):
        return 0
    if i.startswith(q) or n.startswith(q):
        return 1
    if q in i or q in n:
        return 2
    return 9


@REGISTRY.tool("search_model", "Find reactions, metabolites and genes whose id or name "
               "contains a text.", SearchArgs)
def search_model(args: SearchArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    found: list[tuple[int, dict[str, Any]]] = []
    # what entity linking resolves the query to comes first (locus tags, EC numbers, KEGG ids,
    # synonyms, shipped gene names), then id / name matches
    linked = {("reaction" if k == "exchange" else k, i) for k, i in classify(model, args.query)}
    gene_names = linking_index(model).gene
    if args.kind in ("any", "reaction"):
        for r in model.reactions:
            s = -1 if ("reaction", r.id) in linked else _score(args.query, r.id, r.name or "")
            if s < 9:
                found.append((s, {"kind": "reaction", "id": r.id, "name": r.name,
                                  "equation": r.build_reaction_string(),
                                  "genes": r.gene_reaction_rule,
                                  "gene_count": len(r.genes),
                                  "metabolites": len(r.metabolites),
                                  "lower_bound": r.lower_bound, "upper_bound": r.upper_bound}))
    if args.kind in ("any", "metabolite"):
        for m in model.metabolites:
            s = -1 if ("metabolite", m.id) in linked else _score(args.query, m.id,
                                                                 m.name or "")
            if s < 9:
                found.append((s, {"kind": "metabolite", "id": m.id, "name": m.name,
                                  "formula": m.formula, "compartment": m.compartment}))
    if args.kind in ("any", "gene"):
        for g in model.genes:
            name = gene_names.get(g.id, "") or g.name or ""
            s = -1 if ("gene", g.id) in linked else _score(args.query, g.id, name)
            if s < 9:
                found.append((s, {"kind": "gene", "id": g.id, "name": name,
                                  "reactions": sorted(r.id for r in g.reactions),
                                  "gene_rules": {r.id: r.gene_reaction_rule
                                                 for r in sorted(g.reactions, key=str)[:50]}}))
    found.sort(key=lambda t: (t[0], t[1]["kind"], t[1]["id"]))
    matches = [m for _, m in found[:args.limit]]
    if matches:
        summary = (f"{len(found)} matches for {args.query!r} in {model.id}"
                   f"{' (showing ' + str(len(matches)) + ')' if len(found) > len(matches) else ''}"
                   f": " + "; ".join(f"{m['kind']} {m['id']} ({m['name']})" for m in matches))
    else:
        summary = f"No {args.kind if args.kind != 'any' else 'entity'} matches {args.query!r} " \
                  f"in {model.id}."
    return ToolResult(tool="search_model", summary=summary,
                      data={"query": args.query, "matches": matches, "total": len(found)})


class ExportArgs(ModelArgs):
    format: Literal["sbml", "json", "yaml", "mat"] = "sbml"
    path: str | None = Field(default=None, description="File to write; default: the artifact "
                             "store.")


_MEDIA = {"sbml": ("xml", "application/sbml+xml"), "json": ("json", "application/json"),
          "yaml": ("yml", "application/yaml"), "mat": ("mat", "application/x-matlab-data")}


def _write(model: cobra.Model, fmt: str, path: Path) -> None:
    if fmt == "sbml":
        cobra.io.write_sbml_model(model, str(path))
    elif fmt == "json":
        cobra.io.save_json_model(model, str(path))
    elif fmt == "yaml":
        cobra.io.save_yaml_model(model, str(path))
    else:
        cobra.io.save_matlab_model(model, str(path))


@REGISTRY.tool("export_model", "Write the model, with the session's changes, as SBML, JSON, "
               "YAML or MAT.", ExportArgs, writes=True)
def export_model(args: ExportArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    ext, media = _MEDIA[args.format]
    # the model's id comes from a file: it names the output only through safe_name
    filename = f"{safe_name(model.id)}.{ext}"
    out: Path | None = None
    if args.path:
        out = ctx.paths.resolve(args.path, "export path", write=True)
        if out.is_dir():
            out = out / filename
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / f"model.{ext}"
        try:
            _write(model, args.format, scratch)
        except Exception as exc:
            raise ToolFailure("internal", f"cannot write {args.format}: {exc}") from None
        content = scratch.read_bytes()
    artifacts = []
    target: str | None = None
    if out is not None:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp_out = out.with_name(f".{out.name}.tmp{os.getpid()}")
            tmp_out.write_bytes(content)
            tmp_out.replace(out)
        except OSError as exc:
            raise ToolFailure("bad_arguments", f"cannot write {out}: {exc.strerror}",
                              hint="choose a writable path") from None
        target = str(out.resolve())
    elif ctx.artifacts is not None:
        artifacts.append(ctx.artifacts.put(filename, content, media))
        target = artifacts[0].path
    else:
        out_dir = Path(ctx.settings.data_dir) / "exports"
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / filename
        out.write_bytes(content)
        target = str(out.resolve())
    sha = hashlib.sha256(content).hexdigest()
    return ToolResult(
        tool="export_model", summary=f"Wrote {model.id} as {args.format} ({len(content)} "
        f"bytes) to {target}.", artifacts=artifacts,
        data={"path": target, "format": args.format, "bytes": len(content), "sha256": sha},
        provenance=provenance(model, parameters={"format": args.format}))


@REGISTRY.tool("reset_model", "Undo every change the session made to a model (medium, "
               "bounds, knockouts, objective).", ModelArgs)
def reset_model(args: ModelArgs, ctx: ToolContext) -> ToolResult:
    if isinstance(ctx.models, ModelStore):  # no rebuild: the changes may be unusable
        name, _base, changes = ctx.models.resolve(args.model, ctx.state)
        n = len(changes)
    else:
        model = ctx.model(args.model)
        info = build_info(model)
        name = info.name if info else model.id
        n = len(info.changes) if info else 0
    return ToolResult(tool="reset_model", summary=f"{name} reset to its original state "
                      f"({n} changes undone).", data={"model": name, "undone": n},
                      effects=[{"op": "reset_model", "model": name}])
