"""Queries on the biochemistry index: ranked fuzzy search, records and id translation.

A search tries, in order: a ModelSEED id, an exact (normalised) match on any name, synonym,
alias, EC number, formula or InChIKey, then full-text words, then trigram fuzzy matching for
typos. Each candidate scores by how it matched plus how connected it is in the biochemistry
(D-glucose, used by hundreds of reactions, beats an obscure duplicate also called "glucose").
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Literal

from fluxagent.config import Settings
from fluxagent.tools.modelseed import index_build
from fluxagent.tools.modelseed._common import cache_dir
from fluxagent.tools.modelseed.index_build import namespace, norm

Kind = Literal["compound", "reaction"]
MAIN_NS = ("kegg", "bigg", "metacyc", "chebi", "rhea", "metanetx")
_TABLE = {"compound": "compounds", "reaction": "reactions"}
_ID = {"compound": re.compile(r"cpd\d{5}"), "reaction": re.compile(r"rxn\d{5}")}
_SUFFIX = re.compile(r"(?:_[a-z]\d*|\[[a-z]\d*\])$")  # glc__D_e, cpd00027_e0, cpd00027[c0]
_PREFIX = re.compile(r"^(ec|kegg|bigg|metacyc|chebi|rhea|metanetx|mnx|inchikey|formula)"
                     r"\s*[:= ]\s*(.+)$", re.I)
_EC = re.compile(r"^\d+\.(?:\d+|-)\.(?:\d+|-)\.(?:n?\d+|-)$")
_INCHIKEY = re.compile(r"^[A-Z]{14}(?:-[A-Z]{10}-[A-Z])?$")
_SCORE = {"id": 2.0, "exact": 1.0, "stripped": 0.95, "inchikey_block": 0.9}


@dataclass
class Hit:
    id: str
    score: float
    match: str  # id | name | <namespace> | fulltext | fuzzy
    matched: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": round(self.score, 3), "match": self.match,
                "matched": self.matched}


class BiochemIndex:
    """Read-only access to one index file; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._con.row_factory = sqlite3.Row
        self._lock = threading.Lock()

    def _q(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._con.execute(sql, params).fetchall()

    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self._q("SELECT key, value FROM meta")}

    # ------------------------------------------------------------------ records
    def exists(self, kind: Kind, sid: str) -> bool:
        return bool(self._q(f"SELECT 1 FROM {_TABLE[kind]} WHERE id = ?", (sid,)))

    def rows(self, kind: Kind, ids: list[str]) -> dict[str, sqlite3.Row]:
        out: dict[str, sqlite3.Row] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._q(f"SELECT * FROM {_TABLE[kind]} WHERE id IN ({marks})", tuple(chunk)):
                out[r["id"]] = r
        return out

    def record(self, kind: Kind, sid: str, *, synonyms: int = 12) -> dict[str, Any] | None:
        """Everything shown about one compound or reaction."""
        row = self.rows(kind, [sid]).get(sid)
        if row is None:
            return None
        rec: dict[str, Any] = {k: row[k] for k in row.keys() if k != "popularity"}  # noqa: SIM118
        rec["is_obsolete"] = bool(rec["is_obsolete"])
        aliases: dict[str, list[str]] = {}
        others: dict[str, int] = {}
        names: list[str] = []
        for r in self._q("SELECT ns, ext FROM xrefs WHERE seed_id = ? ORDER BY ns, ext", (sid,)):
            ns, ext = r["ns"], r["ext"]
            if ns in MAIN_NS:
                aliases.setdefault(ns, []).append(ext)
            elif ns == "name":
                names.append(ext)
            elif ns not in ("abbreviation", "formula", "inchikey", "ec"):
                others[ns] = others.get(ns, 0) + 1
        rec["aliases"] = aliases
        rec["other_aliases"] = others
        rec["synonyms"] = [n for n in dict.fromkeys(names) if n != rec["name"]][:synonyms]
        if kind == "reaction":
            rec["ec_numbers"] = [e for e in (rec["ec_numbers"] or "").split("|") if e]
            rec["is_transport"] = bool(rec["is_transport"])
        return rec

    # ------------------------------------------------------------------ search
    def search(self, kind: Kind, query: str, *, source: str | None = None, limit: int = 10,
               include_obsolete: bool = False) -> list[tuple[Hit, sqlite3.Row]]:
        """Ranked matches for a free-text query (see the module docstring)."""
        q = query.strip()
        if not q:
            return []
        ns = namespace(source) if source else None
        m = _PREFIX.match(q)
        if m and ns is None:
            ns, q = namespace(m.group(1)), m.group(2).strip()
            ns = {"mnx": "metanetx"}.get(ns, ns)
        if ns is None and _EC.match(q):
            ns = "ec"
        hits: dict[str, Hit] = {}

        def add(sid: str, score: float, match: str, matched: str) -> None:
            old = hits.get(sid)
            if old is None or old.score < score or (
                    old.score == score and match == "name" and old.match != "id"):
                hits[sid] = Hit(sid, score, match, matched)

        base = _SUFFIX.sub("", q)
        if ns in (None, "modelseed") and _ID[kind].fullmatch(base) and self.exists(kind, base):
            add(base, _SCORE["id"], "id", q)
        for text, weight in ((q, _SCORE["exact"]), (base, _SCORE["stripped"])):
            if (hits and weight < _SCORE["exact"]) or (text == q and weight < _SCORE["exact"]):
                break
            for r in self._exact(kind, text, ns):
                add(r["seed_id"], weight, r["ns"], r["ext"])
        if ns in (None, "inchikey") and _INCHIKEY.match(q):
            for r in self._inchikey_block(q[:14]):
                add(r["seed_id"], _SCORE["inchikey_block"], "inchikey", r["ext"])
        textual = ns in (None, "name") and re.search(r"[A-Za-z]", q) is not None
        if textual and len(hits) < 2 * limit:
            self._rescore(q, self._fulltext(kind, q), 0.4, "fulltext", add, 4 * limit)
        if textual and not hits and len(norm(q)) >= 4:
            self._rescore(q, self._trigram(kind, q), 0.2, "fuzzy", add, 4 * limit)
        rows = self.rows(kind, list(hits))
        ranked: list[tuple[Hit, sqlite3.Row]] = []
        for sid, hit in hits.items():
            row = rows.get(sid)
            if row is None or (row["is_obsolete"] and not include_obsolete and hit.match != "id"):
                continue
            hit.score += 0.3 * float(row["popularity"] or 0.0)
            if row["is_obsolete"]:
                hit.score -= 0.5
            if norm(row["name"] or "") == norm(hit.matched):
                hit.score += 0.02  # the primary name
            ranked.append((hit, row))
        ranked.sort(key=lambda hr: (-hr[0].score, hr[0].id))
        return ranked[:limit]

    @staticmethod
    def _rescore(q: str, rows: list[sqlite3.Row], base: float, how: str,
                 add: Any, keep: int) -> None:
        """Score full-text candidates by similarity to the query. They come closest in length
        first; only the first ``keep`` distinct entries are scored (difflib is the cost)."""
        seen: set[str] = set()
        key = norm(q)
        for r in rows:
            if r["seed_id"] not in seen:
                if len(seen) >= keep:
                    break
                seen.add(r["seed_id"])
            add(r["seed_id"], base + 0.5 * SequenceMatcher(None, key, norm(r["ext"])).ratio(),
                how, r["ext"])

    def _exact(self, kind: Kind, text: str, ns: str | None) -> list[sqlite3.Row]:
        key = norm(text)
        if not key:
            return []
        sql = "SELECT seed_id, ns, ext FROM xrefs WHERE norm = ? AND kind = ?"
        params: tuple[Any, ...] = (key, kind)
        if ns:
            sql += " AND ns = ?"
            params += (ns,)
        rows = self._q(sql + " LIMIT 500", params)
        exact = [r for r in rows if r["ext"] == text]  # prefer case-exact when both exist
        return exact if exact and ns in MAIN_NS else rows

    def _inchikey_block(self, block: str) -> list[sqlite3.Row]:
        lo = block.lower()
        hi = lo[:-1] + chr(ord(lo[-1]) + 1)
        return self._q("SELECT seed_id, ns, ext FROM xrefs WHERE norm >= ? AND norm < ? "
                       "AND kind = 'compound' AND ns = 'inchikey' LIMIT 100", (lo, hi))

    def _fulltext(self, kind: Kind, q: str) -> list[sqlite3.Row]:
        words = re.findall(r"[^\W_]+", q.casefold())
        if len(words) > 1:  # one-letter words ("D" of D-glucose) only slow the search down
            words = [w for w in words if len(w) > 1] or words
        if not words:
            return []
        star = "*" if len(words[-1]) >= 3 else ""  # a 1-2 letter prefix matches half the table
        expr = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"{star}'
        return self._fts("names_fts", kind, expr, len(q))

    def _trigram(self, kind: Kind, q: str) -> list[sqlite3.Row]:
        """Typo-tolerant candidates: one typo breaks at most three consecutive trigrams, so
        matching any one third of the query's trigrams (all of them) finds the intended name."""
        key = q.casefold()
        grams = list(dict.fromkeys(key[i:i + 3] for i in range(len(key) - 2)
                                   if '"' not in key[i:i + 3]))
        if not grams:
            return []
        size = max(2, -(-len(grams) // 3))
        chunks = [grams[i:i + size] for i in range(0, len(grams), size)]
        if len(chunks) > 1 and len(chunks[-1]) < 2:
            last = chunks.pop()
            chunks[-1] = chunks[-1] + last
        expr = " OR ".join("(" + " ".join(f'"{g}"' for g in c) + ")" for c in chunks)
        return self._fts("names_tri", kind, expr, len(q))

    def _fts(self, table: str, kind: Kind, expr: str, length: int) -> list[sqlite3.Row]:
        """Full-text candidates, names closest in length first (bm25 ranking costs 10x)."""
        sql = (f"SELECT x.seed_id, x.ns, x.ext FROM {table} f JOIN xrefs x ON x.id = f.rowid "
               f"WHERE {table} MATCH ? AND x.kind = ? ORDER BY abs(length(x.ext) - ?) "
               "LIMIT 150")
        try:
            return self._q(sql, (expr, kind, length))
        except sqlite3.OperationalError:  # an FTS syntax corner case: no full-text hits
            return []

    # ------------------------------------------------------------------ translation
    def to_seed(self, kind: Kind, ext: str, ns: str | None = None) -> list[str]:
        """ModelSEED ids for an external id, best first (exact case first, then popular)."""
        rows = self._exact(kind, ext, ns)
        if ns is None:
            rows = [r for r in rows if r["ns"] in MAIN_NS] or rows
        ids = list(dict.fromkeys(r["seed_id"] for r in rows))
        info = self.rows(kind, ids)
        def rank(sid: str) -> tuple[int, float, str]:
            r = info.get(sid)
            return (int(r["is_obsolete"]) if r else 1,
                    -float(r["popularity"]) if r else 0.0, sid)
        return sorted((i for i in ids if i in info), key=rank)

    def from_seed(self, kind: Kind, sid: str, ns: str) -> list[str]:
        """External ids of one namespace for a ModelSEED id, most specific first."""
        exts = [r["ext"] for r in self._q(
            "SELECT DISTINCT ext FROM xrefs WHERE seed_id = ? AND ns = ?", (sid, ns))]
        fanout = {e: len(self.to_seed(kind, e, ns)) for e in exts}
        return sorted(exts, key=lambda e: (fanout[e], len(e), e))


_OPEN: dict[Path, BiochemIndex] = {}
_GUARD = threading.Lock()


def index_path(settings: Settings) -> Path:
    return cache_dir(settings) / f"biochem-v{index_build.SCHEMA}-{index_build.fingerprint()}.sqlite"


def get_index(settings: Settings) -> BiochemIndex:
    """The index for these settings, built on first use (once per data dir)."""
    path = index_path(settings).resolve()
    with _GUARD:
        idx = _OPEN.get(path)
        if idx is not None:
            return idx
        if not path.is_file():
            _build_locked(path)
        idx = _OPEN[path] = BiochemIndex(path)
        return idx


def _build_locked(path: Path) -> None:
    """Build under a file lock so parallel processes build it once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_suffix(".lock")
    with open(lock, "w") as fh:
        try:
            import fcntl
            fcntl.flock(fh, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - non-POSIX: race-safe anyway (atomic rename)
            pass
        if not path.is_file():
            index_build.build(path)
    with contextlib.suppress(OSError):
        lock.unlink()
