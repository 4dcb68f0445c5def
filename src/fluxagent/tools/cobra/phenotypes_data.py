"""Phenotype data sets: the bundled E. coli ones and a user's CSV/TSV file, as typed items.

A data set is one ``kind`` of measurement, each item one row:

- ``essentiality``: ``gene`` (model gene id), ``essential`` (true/false);
- ``growth``: ``exchange`` (exchange reaction id) or ``compound`` (BiGG id, read as
  ``EX_<id>_e``), ``growth`` (true/false, ``++``/``+``/``--``/``-``), optional ``uptake``
  (mmol/gDW/h opened on the exchange, default 10);
- ``rates``: ``exchange``, ``rate`` (measured growth, 1/h), optional ``uptake`` (default 10),
  optional ``oxygen`` (``aerobic``/``anaerobic``).

These are memote's experimental-data columns (``gene``/``essential``, ``exchange``/``uptake``/
``growth``) plus a rate column. A growth or rate experiment replaces the medium's own source of
the nutrient: ``close`` lists the exchanges shut first (the bundled sets carry their own, e.g.
glucose for carbon sources). The bundled files and their attribution live in
``fluxagent/data/phenotypes`` (README there).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from fluxagent.tools.results import ToolFailure

Kind = Literal["essentiality", "growth", "rates"]
Bundled = Literal["ecoli_essentiality", "ecoli_biolog_carbon", "ecoli_biolog_nitrogen",
                  "ecoli_biolog_phosphorus", "ecoli_biolog_sulfur", "ecoli_growth_rates"]
DEFAULT_UPTAKE = 10.0
MAX_ROWS = 20_000
TRUE = frozenset({"true", "yes", "1", "e", "essential", "+", "++", "growth", "grows"})
FALSE = frozenset({"false", "no", "0", "ne", "non-essential", "nonessential", "-", "--",
                   "no_growth", "none"})


@dataclass(frozen=True)
class Item:
    """One measurement: the id scored (gene or exchange), the observation, its medium."""

    id: str
    observed: float | bool
    label: str = ""
    uptake: float = DEFAULT_UPTAKE
    anaerobic: bool = False


def item_key(it: Item) -> str:
    """An item's key: its id, marked when anaerobic (the rates measure glucose both ways)."""
    return it.id + (" (anaerobic)" if it.anaerobic else "")


@dataclass(frozen=True)
class Dataset:
    name: str
    kind: Kind
    items: tuple[Item, ...]
    close: tuple[str, ...] = ()
    #: essentiality: every model gene not listed is non-essential (the bundled list).
    rest_non_essential: bool = False
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


_BIOLOG_CLOSE = {"carbon": ("EX_glc__D_e", "EX_lac__L_e"), "nitrogen": ("EX_nh4_e",),
                 "phosphorus": ("EX_pi_e",), "sulfur": ("EX_so4_e",)}
_SOURCE = {"essentiality": "CarveMe benchmark (Machado et al. 2018), Apache-2.0",
           "biolog": "CarveMe benchmark Biolog data (Machado et al. 2018), Apache-2.0",
           "rates": "Adadi et al. 2012 Table S3 and Monk et al. 2016, via AutoPACMEN, "
                    "Apache-2.0"}


def _bundled_text(name: str) -> str:
    return (resources.files("fluxagent") / "data" / "phenotypes" / "ecoli" / name).read_text(
        encoding="utf-8")


def _rows(text: str, delimiter: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    return [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            for row in reader]


def bundled(name: Bundled) -> Dataset:
    """One of the bundled E. coli K-12 MG1655 data sets (BiGG ids)."""
    if name == "ecoli_essentiality":
        rows = _rows(_bundled_text("essential_genes_glucose_m9.tsv"), "\t")
        items = tuple(Item(r["bigg_id"], r["phenotype"] == "E") for r in rows)
        return Dataset(name, "essentiality", items, rest_non_essential=True,
                       source=_SOURCE["essentiality"])
    if name == "ecoli_growth_rates":
        rows = _rows(_bundled_text("growth_rates.tsv"), "\t")
        items = tuple(Item(r["exchange"], float(r["mu_measured_per_h"]),
                           label=f"{r['carbon_source']} ({r['oxygen']})",
                           anaerobic=r["oxygen"] == "anaerobic") for r in rows)
        return Dataset(name, "rates", items, close=("EX_glc__D_e",), source=_SOURCE["rates"])
    nutrient = name.rsplit("_", 1)[-1]
    rows = _rows(_bundled_text(f"biolog_{nutrient}.tsv"), "\t")
    items = tuple(Item(f"EX_{r['bigg_id']}_e", r["growth"] in ("+", "++"),
                       label=r["compound"]) for r in rows)
    return Dataset(name, "growth", items, close=_BIOLOG_CLOSE[nutrient],
                   source=_SOURCE["biolog"])


def _flag(value: str) -> bool | None:
    v = value.strip().lower()
    return True if v in TRUE else False if v in FALSE else None


def _number(value: str) -> float | None:
    try:
        x = float(value)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def parse_table(text: str, kind: Kind, name: str, *, delimiter: str | None = None,
                close: tuple[str, ...] = ()) -> Dataset:
    """A user's table as a Dataset; every bad row is named in one ToolFailure."""
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first else ";" if first.count(";") > first.count(",") \
            else ","
    rows = _rows(text, delimiter)
    if not rows:
        raise ToolFailure("bad_arguments", f"{name}: no data rows",
                          hint=f"the first line names the columns; see {_FORMAT[kind]}")
    if len(rows) > MAX_ROWS:
        raise ToolFailure("bad_arguments", f"{name}: {len(rows)} rows, more than {MAX_ROWS}")
    id_col = {"essentiality": ("gene",), "growth": ("exchange", "compound"),
              "rates": ("exchange", "compound")}[kind]
    value_col = {"essentiality": "essential", "growth": "growth", "rates": "rate"}[kind]
    cols = set(rows[0])
    key = next((c for c in id_col if c in cols), None)
    if key is None or value_col not in cols:
        raise ToolFailure("bad_arguments", f"{name}: a {kind} table needs the columns "
                          f"{' or '.join(id_col)} and {value_col}; found "
                          f"{', '.join(sorted(cols)) or 'none'}", hint=_FORMAT[kind])
    bad: list[str] = []
    items: list[Item] = []
    for line, r in enumerate(rows, start=2):
        ident = r.get(key, "")
        if key == "compound" and ident:
            ident = f"EX_{ident}_e"
        if not ident:
            bad.append(f"line {line}: empty {key}")
            continue
        raw = r.get(value_col, "")
        observed: float | bool | None = _number(raw) if kind == "rates" else _flag(raw)
        if observed is None or (kind == "rates" and float(observed) < 0):
            bad.append(f"line {line}: {value_col}={raw!r}")
            continue
        uptake = _number(r["uptake"]) if r.get("uptake") else DEFAULT_UPTAKE
        if uptake is None or uptake <= 0:
            bad.append(f"line {line}: uptake={r.get('uptake')!r}")
            continue
        oxygen = r.get("oxygen", "aerobic").lower() or "aerobic"
        if oxygen not in ("aerobic", "anaerobic"):
            bad.append(f"line {line}: oxygen={r.get('oxygen')!r}")
            continue
        items.append(Item(ident, observed, label=r.get("label", ""), uptake=uptake,
                          anaerobic=oxygen == "anaerobic"))
    if bad:
        raise ToolFailure("bad_arguments", f"{name}: {len(bad)} bad value(s): "
                          f"{'; '.join(bad[:20])}" + (" …" if len(bad) > 20 else ""),
                          hint=_FORMAT[kind], bad=bad)
    seen: dict[tuple[str, bool, float], int] = {}
    dups = []
    for it in items:
        k = (it.id, it.anaerobic, it.uptake)
        seen[k] = seen.get(k, 0) + 1
        if seen[k] == 2:
            dups.append(it.id)
    if dups:
        raise ToolFailure("bad_arguments", f"{name}: duplicate rows for {', '.join(dups[:20])}",
                          hint="give each gene or condition once (a repeated measurement: "
                          "average it first)", duplicates=dups)
    return Dataset(name, kind, tuple(items), close=close, source=f"user file {name}")


_FORMAT: dict[Kind, str] = {
    "essentiality": "columns: gene, essential (true/false)",
    "growth": "columns: exchange (or compound), growth (true/false or ++/+/--), "
              "optional uptake (mmol/gDW/h, default 10)",
    "rates": "columns: exchange (or compound), rate (1/h), optional uptake (default 10), "
             "optional oxygen (aerobic/anaerobic)",
}


def read_file(path: Path, kind: Kind, close: tuple[str, ...] = ()) -> Dataset:
    """A user file (``.tsv`` is tab-separated, otherwise the delimiter is sniffed)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ToolFailure("bad_arguments", f"cannot read {path.name}: {exc}",
                          hint="a UTF-8 CSV or TSV file") from None
    return parse_table(text, kind, path.name, close=close,
                       delimiter="\t" if path.suffix.lower() == ".tsv" else None)
