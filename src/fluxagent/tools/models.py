"""The model store: base models (bundled or user files) plus a session's changes, rebuilt on demand.

``ModelStore.build(name, state)`` returns a private model: the cached base model copied once per
distinct change list, then lent out inside a cobra context (``with model:``). When the model is
asked for again and nobody else holds it any more, the context is reset and a fingerprint check
proves the instance is back to its prepared state; otherwise a fresh copy is made. A session's
changes therefore never leak into another session, and repeated tool calls on iJO1366 do not pay
a 1-2 s copy each time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import cobra

from fluxagent.config import Settings, get_settings
from fluxagent.core.state import SessionState
from fluxagent.paths import PathPolicy, safe_name
from fluxagent.tools.gene_rules import set_gene_rule
from fluxagent.tools.linking.index import index as linking_index
from fluxagent.tools.model_cache import ModelCache
from fluxagent.tools.model_files import ModelLimits, detect_format, parse_model_bytes
from fluxagent.tools.results import ToolFailure

__all__ = ["BUNDLED", "BuildInfo", "ModelStore", "apply_change", "build_info",
           "detect_format", "fingerprint", "parse_model_bytes", "solver_name"]

log = logging.getLogger(__name__)

#: Models shipped with cobrapy: canonical name -> (file in cobra.data, aliases, description).
BUNDLED: dict[str, tuple[str, tuple[str, ...], str]] = {
    "e_coli_core": ("textbook.xml.gz", ("textbook", "ecoli_core", "core", "e_coli"),
                    "E. coli core metabolism (Orth et al. 2010), 95 reactions"),
    "iJO1366": ("iJO1366.xml.gz", ("ijo1366", "ijo"),
                "E. coli K-12 MG1655 genome-scale model (Orth et al. 2011), 2583 reactions"),
    "salmonella": ("salmonella.xml.gz", ("stm", "salmonella_typhimurium", "iys1720"),
                   "Salmonella Typhimurium LT2 genome-scale model iYS1720 (Seif et al. "
                   "2018), 3357 reactions"),
}
SOLVERS = {"glpk": "glpk", "highs": "hybrid", "hybrid": "hybrid", "scipy": "scipy"}
FILE_PREFIX = "file:"
_LENT_PER_KEY = 2
_MAX_KEYS = 8


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_ALIASES: dict[str, str] = {}
for _canon, (_file, _aliases, _desc) in BUNDLED.items():
    for _a in (_canon, *_aliases):
        _ALIASES[_norm(_a)] = _canon


@dataclass(frozen=True)
class BuildInfo:
    """What a built model is: attached to it as ``model._fluxagent`` for provenance."""

    name: str
    base: str
    model_hash: str
    changes: tuple[dict[str, Any], ...]
    solver: str
    warnings: tuple[str, ...] = ()


@dataclass
class _Base:
    model: cobra.Model
    sha256: str
    source: str
    warnings: tuple[str, ...] = ()


@dataclass
class _Lent:
    model: cobra.Model
    fingerprint: tuple[Any, ...]
    baseline_refs: int
    in_use: bool = False


@dataclass
class _Pool:
    prepared: cobra.Model
    lent: list[_Lent] = field(default_factory=list)


def build_info(model: Any) -> BuildInfo | None:
    """The BuildInfo of a model made by a ModelStore (None for a foreign model)."""
    info = getattr(model, "_fluxagent", None)
    return info if isinstance(info, BuildInfo) else None


def solver_name(settings: Settings) -> str:
    key = settings.solver.strip().lower()
    if key not in SOLVERS:
        raise ToolFailure("bad_arguments", f"unknown solver {settings.solver!r}",
                          hint=f"FLUXAGENT_SOLVER is one of {', '.join(sorted(SOLVERS))}")
    return SOLVERS[key]


def fingerprint(model: cobra.Model) -> tuple[Any, ...]:
    """A cheap summary of everything a tool could leave changed on a lent model."""
    solver = model.solver
    variables = tuple((v.lb, v.ub) for v in solver.variables)
    constraints = tuple((c.lb, c.ub) for c in solver.constraints)
    dead = tuple(sorted(g.id for g in model.genes if not g.functional))
    return (len(model.reactions), len(model.metabolites), len(model.genes), variables,
            constraints, dead,
            # the objective's terms; printing the expression would cost 0.3 ms (sympy)
            frozenset(solver.objective.expression.as_coefficients_dict().items()),
            solver.objective.direction,
            len(solver.variables), len(solver.constraints), type(solver).__module__,
            model.tolerance)


class ModelStore:
    """Implements the registry's ModelProvider protocol; one per process is enough."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._lock = threading.RLock()
        self._bases: dict[str, _Base] = {}
        self._pools: OrderedDict[tuple[str, str, str], _Pool] = OrderedDict()
        self._cache = ModelCache(self.cache_dir, self.settings)

    # ----------------------------------------------------------------- names and catalog
    @property
    def model_dir(self) -> Path:
        return Path(self.settings.data_dir) / "models"

    @property
    def cache_dir(self) -> Path:
        return Path(self.settings.data_dir) / "cache" / "models"

    def catalog(self) -> list[dict[str, Any]]:
        """Bundled models and user files copied into the data dir."""
        rows: list[dict[str, Any]] = [
            {"name": n, "base": n, "source": "cobrapy", "aliases": list(a), "description": d}
            for n, (_f, a, d) in BUNDLED.items()]
        if self.model_dir.is_dir():
            for p in sorted(self.model_dir.iterdir()):
                if p.is_file():
                    rows.append({"name": p.name, "base": FILE_PREFIX + p.name,
                                 "source": "user file", "aliases": [], "description": ""})
        return rows

    def canonical(self, name: str) -> str | None:
        """Canonical base name of a bundled model or a stored file, None if unknown.

        A ``file:`` reference names a plain file in the model dir; one that leads anywhere
        else (``file:../../x.xml``, a symlink out) is a PathError (bad_arguments)."""
        if name.startswith(FILE_PREFIX):
            return name if self.stored_file(name).is_file() else None
        return _ALIASES.get(_norm(name))

    def stored_file(self, ref: str) -> Path:
        """The file behind ``file:NAME``, inside the model dir and the path policy."""
        target = PathPolicy.from_settings(self.settings).within(
            self.model_dir, ref[len(FILE_PREFIX):], "model reference " + ref)
        return PathPolicy.from_settings(self.settings).resolve(target, "model file")

    @property
    def limits(self) -> ModelLimits:
        return ModelLimits.of(self.settings)

    def known_names(self) -> list[str]:
        return [row["name"] for row in self.catalog()]

    # ----------------------------------------------------------------- base models
    def base(self, base: str) -> _Base:
        """The parsed base model (shared, never handed to a tool)."""
        canon = self.canonical(base)
        if canon is None:
            from difflib import get_close_matches
            close = get_close_matches(base, list(dict.fromkeys(self.known_names())), n=3,
                                      cutoff=0.4)
            raise ToolFailure(
                "model_not_loaded", f"no model named {base!r}",
                hint=("did you mean " + ", ".join(close) + "? " if close else "")
                + "bundled models: " + ", ".join(BUNDLED)
                + "; load a file with load_model(path=...)")
        with self._lock:
            if canon not in self._bases:
                if canon.startswith(FILE_PREFIX):
                    path = self.stored_file(canon)
                else:
                    path = Path(str(resources.files("cobra.data") / BUNDLED[canon][0]))
                self._bases[canon] = self._load_cached(path, user=canon.startswith(FILE_PREFIX))
            return self._bases[canon]

    def base_hash(self, base: str) -> str:
        return self.base(base).sha256

    def _load_cached(self, path: Path, *, user: bool) -> _Base:
        limits = self.limits
        if user:
            self._check_size(path, limits)
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        name = f"{digest}-cobra{cobra.__version__}.pkl"
        cached = self._cache.get(name)
        if (isinstance(cached, tuple) and len(cached) == 2
                and isinstance(cached[0], cobra.Model)):
            model, warnings = cached
            return _Base(model, digest, str(path), tuple(warnings))
        model, warnings = parse_model_bytes(raw, path.name, limits, validate=user)
        self._cache.put(name, (model, list(warnings)))
        return _Base(model, digest, str(path), tuple(warnings))

    @staticmethod
    def _check_size(path: Path, limits: ModelLimits) -> None:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise ToolFailure("bad_arguments", f"model file {path.name} is {size / 1e6:.1f} "
                              f"MB, over the limit of {limits.max_bytes / 1e6:.1f} MB",
                              hint="raise FLUXAGENT_MAX_MODEL_BYTES if this file is trusted")

    def import_file(self, path: str | Path) -> tuple[str, cobra.Model, tuple[str, ...]]:
        """Validate a user model file and copy it into the data dir (by content hash).

        Returns (base key, parsed model, warnings). The copy makes a session reproducible even
        if the user edits the original file later.
        """
        p = PathPolicy.from_settings(self.settings).resolve(path, "model file")
        if not p.is_file():
            raise ToolFailure("bad_arguments", f"model file not found: {path}",
                              hint="give the path of an SBML (.xml, .xml.gz), JSON, YAML or "
                              "MAT file, or a bundled model name: " + ", ".join(BUNDLED))
        limits = self.limits
        self._check_size(p, limits)
        raw = p.read_bytes()
        model, warnings = parse_model_bytes(raw, p.name, limits, validate=True)
        digest = hashlib.sha256(raw).hexdigest()
        suffix = "".join("." + safe_name(s, "", 4) for s in p.suffixes[-2:]
                         if len(s) <= 5 and safe_name(s, "", 4)) or ".model"
        stored = f"{digest[:16]}{suffix}"
        self.model_dir.mkdir(parents=True, exist_ok=True)
        target = self.model_dir / stored
        if not target.exists():
            tmp = target.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(raw)
            tmp.replace(target)
        base = FILE_PREFIX + stored
        with self._lock:
            self._bases.setdefault(base, _Base(model, digest, str(p), warnings))
        return base, model, warnings

    # ----------------------------------------------------------------- building
    def resolve(self, name: str | None, state: SessionState) -> tuple[str, str,
                                                                       tuple[dict[str, Any], ...]]:
        """(session model name, base, changes) for a tool's ``model`` argument."""
        name = name or state.current_model or self.settings.default_model
        if name in state.models:
            ms = state.models[name]
            return name, ms.base, tuple(ms.changes)
        canon = self.canonical(name)
        if canon is not None and canon in state.models:
            ms = state.models[canon]
            return canon, ms.base, tuple(ms.changes)
        for sname, ms in state.models.items():  # a session name given by its base's alias
            if canon is not None and self.canonical(ms.base) == canon:
                return sname, ms.base, tuple(ms.changes)
        if canon is None:
            self.base(name)  # raises model_not_loaded with suggestions
        return canon or name, canon or name, ()

    def build(self, name: str | None, state: SessionState) -> cobra.Model:
        """A private model: the base plus the session's recorded changes, in order."""
        sname, base, changes = self.resolve(name, state)
        solver = solver_name(self.settings)
        key = (self.canonical(base) or base, solver,
               json.dumps(changes, sort_keys=True, default=str))
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                pool = _Pool(self._prepare(sname, base, changes, solver))
                self._pools[key] = pool
                while len(self._pools) > _MAX_KEYS:
                    self._pools.popitem(last=False)
            self._pools.move_to_end(key)
            model = self._lend(pool)
        info = build_info(model)
        if info is not None and info.name != sname:
            model._fluxagent = BuildInfo(sname, info.base, info.model_hash, info.changes,
                                         info.solver, info.warnings)
        return model

    def _prepare(self, name: str, base: str, changes: tuple[dict[str, Any], ...],
                 solver: str) -> cobra.Model:
        b = self.base(base)
        linking_index(b.model)  # built once per base, shared by every copy (cobrapy's copy)
        model = b.model.copy()
        if solver != "glpk":
            model.solver = solver
        for change in changes:
            apply_change(model, change)
        linking_index(model)  # rebuilt only if the changes altered the model's size
        model._fluxagent = BuildInfo(name, self.canonical(base) or base, b.sha256, changes,
                                     solver, b.warnings)
        return model

    def _lend(self, pool: _Pool) -> cobra.Model:
        """Reuse an instance nobody references any more (reset and verified), else copy one."""
        for lent in list(pool.lent):
            # held by: the list entry and getrefcount's argument (``lent`` is the wrapper)
            if not lent.in_use or sys.getrefcount(lent.model) - 1 > lent.baseline_refs:
                continue
            ok = len(lent.model._contexts) == 1
            if ok:
                lent.model.__exit__(None, None, None)
                ok = fingerprint(lent.model) == lent.fingerprint
            if ok:
                lent.in_use = False
            else:  # a tool changed it behind cobra's back: never reuse it
                pool.lent.remove(lent)
        for lent in pool.lent:
            if not lent.in_use:
                lent.in_use = True
                lent.model.__enter__()
                return lent.model
        model = pool.prepared.copy()
        model._fluxagent = pool.prepared._fluxagent
        if len(pool.lent) >= _LENT_PER_KEY:
            pool.lent.pop(0)  # stop tracking the oldest; whoever holds it keeps it
        entry = _Lent(model, fingerprint(model), 0, in_use=True)
        pool.lent.append(entry)
        # internal references (reactions -> model, ...) plus the entry; not our local name
        entry.baseline_refs = sys.getrefcount(model) - 2
        model.__enter__()
        return model


class InvalidChange(ToolFailure):
    """A recorded change that cannot be replayed as stored (e.g. a bound stored as null by an
    older version that accepted Infinity); reset_model clears it, load_model starts over."""


def _finite(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def check_change(change: dict[str, Any]) -> None:
    """InvalidChange if a recorded change holds a value no replay can use."""
    op, bad = change.get("op"), ""
    if op == "set_bounds":
        bad = ", ".join(f"{k}={change.get(k)!r}" for k in ("lower", "upper")
                        if not _finite(change.get(k)))
    elif op == "set_medium":
        medium = change.get("medium")
        bad = ("medium is not a mapping" if not isinstance(medium, dict) else
               ", ".join(f"{k}={v!r}" for k, v in medium.items() if not _finite(v)))
    elif op == "set_objective" and isinstance(change.get("objective"), dict):
        bad = ", ".join(f"{k}={v!r}" for k, v in change["objective"].items() if not _finite(v))
    if bad:
        name = change.get("model")
        raise InvalidChange("bad_arguments", f"the session's recorded {op} change of {name} "
                            f"holds an unusable value ({bad[:200]})",
                            hint=f"reset_model(model={name!r}) undoes the session's changes "
                            "to it; then set the bounds or medium again with finite numbers")


def apply_change(model: cobra.Model, change: dict[str, Any]) -> None:
    """Apply one recorded effect (vocabulary in tools/results.py) to a model in place."""
    op = change.get("op")
    check_change(change)
    try:
        if op == "set_medium":
            model.medium = {k: float(v) for k, v in dict(change["medium"]).items()}
        elif op == "set_bounds":
            rxn = model.reactions.get_by_id(change["reaction"])
            rxn.bounds = (float(change["lower"]), float(change["upper"]))
        elif op == "knockout_genes":
            for gid in change["genes"]:
                model.genes.get_by_id(gid).knock_out()
        elif op == "knockout_reactions":
            for rid in change["reactions"]:
                model.reactions.get_by_id(rid).knock_out()
        elif op == "set_objective":
            obj = change["objective"]
            model.objective = ({model.reactions.get_by_id(k): float(v) for k, v in obj.items()}
                               if isinstance(obj, dict) else model.reactions.get_by_id(obj))
            model.objective_direction = change.get("direction", "max")
        elif op == "add_reactions":
            _add_reactions(model, change["reactions"])
        elif op == "set_gene_rule":
            set_gene_rule(model, change)
        else:
            raise ToolFailure("internal", f"unknown model change {op!r} in the session",
                              hint="this session was recorded by a newer fluxagent")
    except KeyError as exc:
        raise ToolFailure("internal", f"cannot replay change {op}: {exc} is not in the model",
                          hint="the base model changed since the session recorded this change"
                          ) from None


def _add_reactions(model: cobra.Model, specs: list[dict[str, Any]]) -> None:
    """Add reactions described as {id, name, metabolites: {id: coef}, lower_bound, ...}."""
    new = []
    for spec in specs:
        if spec["id"] in model.reactions:
            continue
        rxn = cobra.Reaction(spec["id"], name=spec.get("name", ""),
                             lower_bound=float(spec.get("lower_bound", 0.0)),
                             upper_bound=float(spec.get("upper_bound", 1000.0)))
        mets = {}
        for mid, coef in dict(spec["metabolites"]).items():
            if mid in model.metabolites:
                met = model.metabolites.get_by_id(mid)
            else:
                met = cobra.Metabolite(mid, compartment=mid.rsplit("_", 1)[-1])
            mets[met] = float(coef)
        rxn.add_metabolites(mets)
        if spec.get("gene_reaction_rule"):
            rxn.gene_reaction_rule = spec["gene_reaction_rule"]
        new.append(rxn)
    model.add_reactions(new)
