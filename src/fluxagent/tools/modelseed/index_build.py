"""Build the biochemistry index: one SQLite file with FTS5, made once from the shipped tables.

Loading the ModelSEED tables into pandas takes seconds and over a gigabyte on every start; the
index is built once (about 15 s), then every process opens it in milliseconds and a lookup
reads a few pages. The file name carries a schema version and a fingerprint of the shipped
tables, so a data update builds a new index instead of reading a stale one.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import json
import logging
import math
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fluxagent.tools.modelseed._common import BIOCHEM, TEMPLATES

log = logging.getLogger(__name__)

SCHEMA = 1
ALIASES = BIOCHEM / "Aliases"
SOURCES = {
    "compounds": BIOCHEM / "compounds_compact.tsv.gz",
    "reactions": BIOCHEM / "reactions_compact.tsv.gz",
    "compound_aliases": ALIASES / "Unique_ModelSEED_Compound_Aliases.txt.gz",
    "compound_names": ALIASES / "Unique_ModelSEED_Compound_Names.txt.gz",
    "reaction_aliases": ALIASES / "Unique_ModelSEED_Reaction_Aliases.txt.gz",
    "reaction_names": ALIASES / "Unique_ModelSEED_Reaction_Names.txt.gz",
    "reaction_ecs": ALIASES / "Unique_ModelSEED_Reaction_ECs.txt.gz",
    "structures": BIOCHEM / "Structures" / "Unique_ModelSEED_Structures.txt.gz",
}

#: Upstream alias sources -> the namespace names tools use.
NAMESPACES = {"kegg": "kegg", "metacyc": "metacyc", "bigg": "bigg", "chebi": "chebi",
              "rhea": "rhea", "metanetx.chemical": "metanetx", "metanetx.reaction": "metanetx"}

MAIN_NS = frozenset(NAMESPACES.values())
_WS = re.compile(r"[\W_]+")


def norm(text: str) -> str:
    """Case-, space- and punctuation-insensitive key: 'D-Glucose' and 'd glucose' meet."""
    return _WS.sub("", text.casefold())


def namespace(source: str) -> str:
    return NAMESPACES.get(source.lower(), source.lower())


def fingerprint() -> str:
    h = hashlib.sha256(f"schema{SCHEMA}".encode())
    files = [*sorted(SOURCES.items()), *((p.name, p) for p in sorted(TEMPLATES.glob("*.json")))]
    for key, path in files:
        h.update(f"{key}:{path.stat().st_size}".encode())
    return h.hexdigest()[:12]


def _rows(path: Path) -> Iterator[list[str]]:
    csv.field_size_limit(1 << 30)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        yield from reader


def _template_reactions() -> set[str]:
    """Reaction ids of the shipped core templates (the canonical central-metabolism set)."""
    ids: set[str] = set()
    for path in TEMPLATES.glob("*.json"):
        with contextlib.suppress(OSError, ValueError):
            for rxn in json.loads(path.read_text()).get("reactions", []):
                ids.add(str(rxn.get("id", "")).split("_")[0])
    return ids


def _num(text: str, default: float | None = None) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return default
    return value if math.isfinite(value) else default


_DDL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE compounds(id TEXT PRIMARY KEY, abbreviation TEXT, name TEXT, formula TEXT,
  charge INTEGER, mass REAL, inchikey TEXT, smiles TEXT, is_core INTEGER, is_obsolete INTEGER,
  linked TEXT, n_reactions INTEGER, popularity REAL);
CREATE TABLE reactions(id TEXT PRIMARY KEY, abbreviation TEXT, name TEXT, equation TEXT,
  definition TEXT, reversibility TEXT, ec_numbers TEXT, is_transport INTEGER, status TEXT,
  is_obsolete INTEGER, linked TEXT, deltag REAL, deltagerr REAL, popularity REAL);
CREATE TABLE xrefs(id INTEGER PRIMARY KEY, kind TEXT, seed_id TEXT, ns TEXT, ext TEXT,
  norm TEXT);
"""
_INDEXES = """
CREATE INDEX xrefs_norm ON xrefs(norm, kind);
CREATE INDEX xrefs_seed ON xrefs(seed_id, ns);
CREATE VIRTUAL TABLE names_fts USING fts5(ext, content='xrefs', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2', detail='none');
CREATE VIRTUAL TABLE names_tri USING fts5(ext, content='xrefs', content_rowid='id',
  tokenize='trigram', detail='none');
CREATE VIRTUAL TABLE names_tri_vocab USING fts5vocab(names_tri, row);
CREATE VIRTUAL TABLE names_fts_vocab USING fts5vocab(names_fts, row);
INSERT INTO names_fts(rowid, ext) SELECT id, ext FROM xrefs WHERE ns = 'name';
INSERT INTO names_tri(rowid, ext) SELECT id, ext FROM xrefs WHERE ns = 'name';
"""


def build(path: Path) -> Path:
    """Build the index at ``path`` atomically (temp file, then rename)."""
    start = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    con = sqlite3.connect(tmp)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _DDL)
        _load(con)
        con.executescript(_INDEXES)
        con.execute("INSERT INTO meta VALUES ('schema', ?), ('fingerprint', ?), ('built_s', ?)",
                    (str(SCHEMA), fingerprint(), f"{time.perf_counter() - start:.2f}"))
        con.commit()
        con.close()
        os.replace(tmp, path)
    except BaseException:
        con.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    log.info("built the ModelSEED biochemistry index %s in %.1f s", path,
             time.perf_counter() - start)
    return path


def _load(con: sqlite3.Connection) -> None:
    xrefs: list[tuple[str, str, str, str, str]] = []

    def xref(kind: str, sid: str, ns: str, ext: str) -> None:
        ext = ext.strip()
        if ext:
            xrefs.append((kind, sid, ns, ext, norm(ext)))

    smiles: dict[str, str] = {}
    for row in _rows(SOURCES["structures"]):
        if len(row) >= 6 and row[1] == "SMILE":
            smiles.setdefault(row[0], row[5])
    n_rxn: Counter[str] = Counter()
    n_alias: Counter[str] = Counter()
    reactions: list[list[Any]] = []
    for r in _rows(SOURCES["reactions"]):
        rid, abbr, name, eq, definition, rev, ecs, transport, status, obsolete, linked, dg, dge = (
            r + [""] * 13)[:13]
        reactions.append([rid, abbr, name, eq, definition, rev, ecs, int(transport == "1"),
                          status, int(obsolete == "1"), linked, _num(dg), _num(dge), 0.0])
        if obsolete != "1":
            n_rxn.update(set(re.findall(r"cpd\d{5}", eq)))
        if abbr and abbr != rid:
            xref("reaction", rid, "abbreviation", abbr)
    for kind, key in (("compound", "compound_aliases"), ("reaction", "reaction_aliases")):
        for sid, ext, src in _rows(SOURCES[key]):
            ns = namespace(src)
            xref(kind, sid, ns, ext)
            n_alias[sid] += 1 if kind == "compound" or ns in MAIN_NS else 0
    for kind, key in (("compound", "compound_names"), ("reaction", "reaction_names")):
        for sid, ext, _src in _rows(SOURCES[key]):
            xref(kind, sid, "name", ext)
    for sid, ext, _src in _rows(SOURCES["reaction_ecs"]):
        xref("reaction", sid, "ec", ext)
    compounds: list[list[Any]] = []
    for c in _rows(SOURCES["compounds"]):
        cid, abbr, name, formula, charge, mass, inchikey, core, obsolete, linked = (
            c + [""] * 10)[:10]
        charge_num = _num(charge, 0.0)
        compounds.append([cid, abbr, name, formula, int(charge_num or 0), _num(mass), inchikey,
                          smiles.get(cid, ""), int(core == "1"), int(obsolete == "1"), linked,
                          n_rxn[cid], 0.0])
        if abbr and abbr != cid:
            xref("compound", cid, "abbreviation", abbr)
        if formula and formula != "null":
            xref("compound", cid, "formula", formula)
        if inchikey:
            xref("compound", cid, "inchikey", inchikey)
    # popularity in [0, 1]: how connected an entry is (reactions using a compound, aliases)
    top_c = math.log1p(max((n_rxn[row[0]] + n_alias[row[0]] for row in compounds), default=1))
    for crow in compounds:
        crow[-1] = math.log1p(n_rxn[crow[0]] + n_alias[crow[0]]) / top_c
    # reactions: aliases in the main databases, plus membership of a shipped core template
    in_core = _template_reactions()
    top_r = math.log1p(max((n_alias[row[0]] for row in reactions), default=1)) + 1.0
    for rrow in reactions:
        known = math.log1p(n_alias[rrow[0]]) + (1.0 if rrow[0] in in_core else 0.0)
        rrow[-1] = known / top_r * (1.0 if rrow[8] == "OK" else 0.7)
    con.executemany("INSERT INTO compounds VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", compounds)
    con.executemany("INSERT INTO reactions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", reactions)
    con.executemany("INSERT INTO xrefs(kind, seed_id, ns, ext, norm) VALUES (?,?,?,?,?)", xrefs)
