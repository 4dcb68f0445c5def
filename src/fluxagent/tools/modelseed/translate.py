"""translate_ids: ModelSEED <-> BiGG <-> KEGG <-> MetaCyc ids, one by one or a whole medium.

Ids may carry a compartment (glc__D_e, cpd00027_e0) or be exchanges (EX_glc__D_e); both are
kept in the translation (BiGG ``_e`` <-> ModelSEED ``_e0``). An external id can map to several
ModelSEED ids and back (ModelSEED cpd00013 is BiGG nh3 and nh4), so when a model is at hand
the candidate that exists in the model wins: that makes a medium round trip lossless.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from fluxagent.tools.modelseed._common import versions
from fluxagent.tools.modelseed.index import BiochemIndex, Kind, get_index
from fluxagent.tools.modelseed.lookup import BIOCHEMISTRY
from fluxagent.tools.modelseed.media import resolve_medium
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import Provenance, ToolFailure, ToolResult

Namespace = Literal["modelseed", "bigg", "kegg", "metacyc"]
_SEED = {"compound": re.compile(r"^(cpd\d{5})(?:_([a-z])(\d+))?$"),
         "reaction": re.compile(r"^(rxn\d{5})(?:_([a-z])(\d+))?$")}
_KEGG = {"compound": re.compile(r"^[CG]\d{5}$"), "reaction": re.compile(r"^R\d{5}$")}
_BIGG_COMP = re.compile(r"^(.+?)_([a-z])$")


@dataclass
class Translation:
    input: str
    kind: Kind | None = None
    source: str | None = None
    modelseed: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    id: str | None = None  # the best target id, decorated with compartment / EX_ as the input
    in_model: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "input": self.input, "id": self.id, "kind": self.kind, "source": self.source,
            "modelseed": list(self.modelseed), "candidates": list(self.candidates)}
        if self.in_model is not None:
            out["in_model"] = self.in_model
        return out


def _parse(raw: str, kind: str, source: str) -> list[tuple[Kind, str, str, str | None]]:
    """Possible readings of an id: (kind, namespace, base id, compartment letter)."""
    text = raw.strip()
    kinds: list[Kind] = ["compound", "reaction"] if kind == "auto" else [kind]  # type: ignore[list-item]
    if text.startswith("EX_"):
        text, kinds = text[3:], ["compound"]
    out: list[tuple[Kind, str, str, str | None]] = []
    for k in kinds:
        m = _SEED[k].match(text)
        if m and source in ("auto", "modelseed"):
            return [(k, "modelseed", m.group(1), m.group(2))]
        if _KEGG[k].match(text) and source in ("auto", "kegg"):
            return [(k, "kegg", text, None)]
    for k in kinds:
        for ns in (["bigg", "metacyc"] if source == "auto" else [source]):
            if ns in ("modelseed", "kegg"):
                continue
            out.append((k, ns, text, None))
            m = _BIGG_COMP.match(text)
            if ns == "bigg" and m:
                out.append((k, ns, m.group(1), m.group(2)))
    return out


def translate_one(idx: BiochemIndex, raw: str, target: Namespace, *, kind: str = "auto",
                  source: str = "auto", prefer: dict[str, str] | None = None) -> Translation:
    """Translate one id. ``prefer`` maps base ids present in a model to the model's ids
    (exchange ids for an exchange input); its candidates win over the more popular ones."""
    exchange = raw.strip().startswith("EX_")
    for k, ns, base, comp in _parse(raw, kind, source):
        if ns == "modelseed":
            seeds = [base] if idx.exists(k, base) else []
        else:
            seeds = idx.to_seed(k, base, ns)
        if not seeds:
            continue
        if target == "modelseed":
            cands = list(seeds)
        else:
            cands = list(dict.fromkeys(e for s in seeds for e in idx.from_seed(k, s, target)))
        tr = Translation(raw, k, ns, tuple(seeds), tuple(cands))
        if not cands:
            return tr
        best = cands[0]
        if prefer is not None:
            hit = next((c for c in cands if c in prefer), None)
            tr.in_model = hit is not None
            if hit is not None and exchange and prefer[hit].startswith("EX_"):
                tr.id = prefer[hit]  # the model's own exchange id
                return tr
            best = hit or best
        tr.id = _decorate(best, target, comp, exchange)
        return tr
    return Translation(raw)


def _decorate(base: str, target: str, comp: str | None, exchange: bool) -> str:
    if target not in ("modelseed", "bigg"):
        return base
    comp = comp or ("e" if exchange else None)
    out = base if comp is None else (f"{base}_{comp}0" if target == "modelseed"
                                     else f"{base}_{comp}")
    return f"EX_{out}" if exchange else out


def model_namespace(model: Any) -> str:
    ids = [m.id for m in model.metabolites[:200]]
    seed = sum(1 for i in ids if re.match(r"^cpd\d{5}_", i))
    return "modelseed" if ids and seed * 2 >= len(ids) else "bigg"


def model_ids(model: Any, kind: Kind, exchange: bool) -> dict[str, str]:
    """Base id -> model id for the model's metabolites, reactions or exchange reactions."""
    strip = re.compile(r"_[a-z]\d*$")
    if exchange:
        out: dict[str, str] = {}
        for rxn in model.exchanges:
            if len(rxn.metabolites) == 1:
                out.setdefault(strip.sub("", next(iter(rxn.metabolites)).id), rxn.id)
        return out
    items = model.metabolites if kind == "compound" else model.reactions
    res: dict[str, str] = {}
    for item in items:
        res.setdefault(strip.sub("", item.id), item.id)
    return res


# ---------------------------------------------------------------------------------- the tool
class TranslateArgs(BaseModel):
    target: Namespace = Field(..., description="Namespace to translate into.")
    ids: list[str] = Field(default_factory=list, max_length=1000, description="Compound or "
                           "reaction ids: cpd00027, glc__D, glc__D_e, EX_glc__D_e, C00031, "
                           "rxn00558, PGI, R00771, a MetaCyc id.")
    medium: dict[str, float] | None = Field(None, description="A medium to translate: "
                                            "{exchange or compound id: max uptake}.")
    medium_name: str | None = Field(None, description="A ModelSEED library medium (e.g. "
                                    "'Carbon-D-Glucose') or the preset 'glucose_minimal'.")
    model_medium: bool = Field(False, description="Translate the medium currently set on the "
                               "model.")
    source: Literal["auto", "modelseed", "bigg", "kegg", "metacyc"] = "auto"
    kind: Literal["auto", "compound", "reaction"] = "auto"
    model: str | None = Field(None, description="Model whose ids are preferred (default: the "
                              "session's current model when it uses the target namespace).")
    apply: bool = Field(False, description="Set the translated medium on the model "
                        "(a set_medium change).")


@REGISTRY.tool("translate_ids", "Translate compound and reaction ids, or a whole medium, between "
               "ModelSEED, BiGG, KEGG and MetaCyc (e.g. apply a ModelSEED medium to a BiGG "
               "model).", TranslateArgs)
def translate_ids(args: TranslateArgs, ctx: ToolContext) -> ToolResult:
    medium_in = _medium_input(args, ctx)
    if not args.ids and medium_in is None:
        raise ToolFailure("bad_arguments", "nothing to translate",
                          hint="give ids, medium, medium_name or model_medium=true")
    idx = get_index(ctx.settings)
    model, model_name = _fit_model(args, ctx)
    if args.apply and (model is None or medium_in is None):
        raise ToolFailure("bad_arguments", "apply=true needs a medium and a model in the "
                          "target namespace", hint=f"pass model=... with target={args.target}")
    data: dict[str, Any] = {"target": args.target, "model": model_name}
    effects: list[dict[str, Any]] = []
    parts = []
    if args.ids:
        trs = [translate_one(idx, i, args.target, kind=args.kind, source=args.source,
                             prefer=model_ids(model, _kind_of(i, args.kind), i.startswith("EX_"))
                             if model is not None else None) for i in args.ids]
        data["translations"] = [t.as_dict() for t in trs]
        data["mapping"] = {t.input: t.id for t in trs}
        data["unmapped"] = [t.input for t in trs if t.id is None]
        parts.append(", ".join(f"{t.input} -> {t.id or '?'}" for t in trs[:20])
                     + (", ..." if len(trs) > 20 else ""))
    if medium_in is not None:
        label, uptakes = medium_in
        prefer = model_ids(model, "compound", True) if model is not None else None
        out: dict[str, float] = {}
        unmapped: list[str] = []
        missing: list[str] = []
        rows: list[dict[str, Any]] = []
        for key, value in uptakes.items():
            ex_key = key if key.startswith("EX_") else f"EX_{key}"
            tr = translate_one(idx, ex_key, args.target, kind="compound", source=args.source,
                               prefer=prefer)
            rows.append({**tr.as_dict(), "input": key, "max_uptake": value})
            if tr.id is None:
                unmapped.append(key)
            elif tr.in_model is False:  # translated, but the model has no such exchange
                missing.append(key)
            else:
                out[tr.id] = max(value, out.get(tr.id, 0.0))
        data.update(medium=out, medium_source=label, medium_rows=rows,
                    medium_unmapped=unmapped, not_in_model=missing)
        parts.append(f"medium {label} ({len(uptakes)} compounds) -> {len(out)} "
                     f"{args.target} ids" + (f" in model {model_name}" if model_name else "")
                     + (f"; no {args.target} id for {', '.join(unmapped[:8])}"
                        if unmapped else "")
                     + (f"; no exchange in the model for {', '.join(missing[:8])}"
                        if missing else ""))
        if args.apply and model_name:
            effects.append({"op": "set_medium", "model": model_name, "medium": out})
            parts.append(f"set as the medium of {model_name}")
    return ToolResult(tool="translate_ids", summary="; ".join(parts) + ".", data=data,
                      effects=effects,
                      provenance=Provenance(model_id=model_name, parameters=args.model_dump(),
                                            versions={**versions(),
                                                      "biochemistry": BIOCHEMISTRY}))


def _kind_of(raw: str, kind: str) -> Kind:
    if kind != "auto":
        return kind  # type: ignore[return-value]
    return "reaction" if re.match(r"^(rxn\d{5}|R\d{5})", raw) else "compound"


def _medium_input(args: TranslateArgs, ctx: ToolContext) -> tuple[str, dict[str, float]] | None:
    if args.medium is not None:
        return "given", dict(args.medium)
    if args.medium_name:
        med = resolve_medium(args.medium_name)
        return med.name, dict(med.uptake)
    if args.model_medium:
        model = ctx.model(args.model)
        return f"of {getattr(model, 'id', 'model')}", {k: float(v)
                                                        for k, v in model.medium.items()}
    return None


def _fit_model(args: TranslateArgs, ctx: ToolContext) -> tuple[Any | None, str | None]:
    """The model whose ids to prefer: explicit, else the session's if in the target namespace."""
    if args.target not in ("modelseed", "bigg") or ctx.models is None:
        if args.model and ctx.models is None:
            ctx.model(args.model)  # raises model_not_loaded
        return None, None
    name = args.model or ctx.state.current_model or ctx.settings.default_model
    try:
        model = ctx.model(name)
    except ToolFailure:
        if args.model:
            raise
        return None, None
    if model_namespace(model) != args.target:
        if args.model and args.apply:
            raise ToolFailure("bad_arguments", f"model {name} does not use {args.target} ids",
                              hint=f"translate into {model_namespace(model)} to apply it")
        return None, None
    info = getattr(model, "_fluxagent", None)
    return model, getattr(info, "name", None) or name
