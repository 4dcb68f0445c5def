"""Read an annotated genome: RAST genome JSON, a feature -> function table, or a dict.

Accepted shapes (all give feature id -> list of RAST function strings):
* JSON ``{"id", "features": [{"id", "functions": [...]}]}`` (the RAST/template-ontology
  example), or KBase-style features with ``function`` (one string, roles joined by " / ");
* a TSV/CSV table with a feature column and a function column (a header row is optional;
  several rows per feature, or roles joined by " / ", " @ " or "; ", are fine);
* ``{feature: function or [functions]}`` given inline.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fluxagent.paths import PathPolicy
from fluxagent.tools.results import ToolFailure

_FEATURE_COLS = ("feature", "feature_id", "id", "gene", "gene_id", "locus_tag", "fid")
_FUNCTION_COLS = ("function", "functions", "annotation", "rast_function", "role", "product")


@dataclass(frozen=True)
class Annotated:
    """Feature -> functions, plus where it came from."""

    genome_id: str
    functions: dict[str, list[str]]
    features_total: int
    source: str

    @property
    def annotated(self) -> int:
        return sum(1 for f in self.functions.values() if f)

    def msgenome(self) -> Any:
        """The genome as a modelseedpy MSGenome with RAST ontology terms."""
        from fluxagent.tools.modelseed._common import modelseedpy

        msp = modelseedpy()
        feature_cls = msp.core.msgenome.MSFeature
        genome = msp.MSGenome()
        feats = []
        for fid, fns in self.functions.items():
            ft = feature_cls(fid, "")
            for fn in fns:
                ft.add_ontology_term("RAST", fn)
            feats.append(ft)
        genome.add_features(feats)
        return genome


def read_genome(path: str | None, inline: dict[str, Any] | None, max_bytes: int,
                paths: PathPolicy | None = None) -> Annotated:
    if inline is not None:
        funcs = {str(k): _as_list(v) for k, v in inline.items()}
        return _checked(Annotated("genome", funcs, len(funcs), "inline"))
    if not path:
        raise ToolFailure("bad_arguments", "no genome given",
                          hint="pass genome=<path of a RAST genome JSON or a feature/function "
                          "table> or functions={feature: function}")
    p = paths.resolve(path, "genome file") if paths is not None else Path(path).expanduser()
    if not p.is_file():
        raise ToolFailure("bad_arguments", f"genome file not found: {path}",
                          hint="give the path of a RAST-annotated genome JSON or a TSV/CSV of "
                          "feature -> function")
    if p.stat().st_size > max_bytes:
        raise ToolFailure("bad_arguments", f"genome file {p.name} is larger than "
                          f"{max_bytes / 1e6:.0f} MB", hint="raise FLUXAGENT_MAX_MODEL_BYTES "
                          "if this file is trusted")
    raw = p.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    if text.lstrip().startswith(("{", "[")):
        return _checked(_from_json(text, p.name))
    return _checked(_from_table(text, p.name))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if str(v).strip()]


def _from_json(text: str, label: str) -> Annotated:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ToolFailure("bad_arguments", f"{label} is not valid JSON: {exc}",
                          hint="a RAST genome JSON has a 'features' list") from None
    feats = data.get("features") if isinstance(data, dict) else data
    if not isinstance(feats, list):
        raise ToolFailure("bad_arguments", f"{label} has no 'features' list",
                          hint="expected {\"features\": [{\"id\": ..., \"functions\": [...]}]}")
    funcs: dict[str, list[str]] = {}
    for i, f in enumerate(feats):
        if not isinstance(f, dict):
            continue
        fid = str(f.get("id") or f"feature_{i}")
        fns = _as_list(f.get("functions")) or _as_list(f.get("function"))
        funcs.setdefault(fid, []).extend(fns)
    gid = str(data.get("id", Path(label).stem)) if isinstance(data, dict) else Path(label).stem
    return Annotated(gid, funcs, len(funcs), label)


def _from_table(text: str, label: str) -> Annotated:
    sample = text[:4096]
    delim = "\t" if "\t" in sample else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delim) if r and any(r)]
    if not rows:
        raise ToolFailure("bad_arguments", f"{label} is empty",
                          hint="a table needs a feature column and a function column")
    head = [c.strip().lower() for c in rows[0]]
    fcol, ncol = 0, 1
    if any(c in _FEATURE_COLS or c in _FUNCTION_COLS for c in head):
        fcol = next((i for i, c in enumerate(head) if c in _FEATURE_COLS), 0)
        ncol = next((i for i, c in enumerate(head) if c in _FUNCTION_COLS), 1)
        rows = rows[1:]
    if ncol == fcol or all(len(r) <= max(fcol, ncol) for r in rows):
        raise ToolFailure("bad_arguments", f"{label} has no function column",
                          hint="expected two columns: feature id and RAST function")
    funcs: dict[str, list[str]] = {}
    for r in rows:
        if len(r) <= max(fcol, ncol):
            funcs.setdefault(r[fcol].strip(), [])
            continue
        funcs.setdefault(r[fcol].strip(), []).extend(_as_list(r[ncol]))
    return Annotated(Path(label).stem, funcs, len(funcs), label)


def _checked(genome: Annotated) -> Annotated:
    if genome.features_total == 0:
        raise ToolFailure("bad_arguments", f"{genome.source} has no features",
                          hint="a genome lists features (genes) with their RAST functions")
    if genome.annotated == 0:
        raise ToolFailure("bad_arguments", f"{genome.source} has {genome.features_total} "
                          "features but none has a function, so no reaction can be assigned",
                          hint="annotate it first: annotate_genome (needs FLUXAGENT_RAST_URL) "
                          "or RAST (rast.nmpdr.org), then build from the annotated file")
    return genome
