"""BiGG <-> ModelSEED id bridge for entity linking, without the SQLite index.

Entity linking resolves "glucose" to BiGG ``glc__D``; on a ModelSEED model it must then find
``cpd00027``. This reads only the BiGG rows of the shipped alias tables (a fraction of a
second, once per process), so the hot linking path never waits for the biochemistry index.
Candidates are ordered by ModelSEED id (the older, canonical entry first): callers keep the
ones present in their model.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from functools import lru_cache

from fluxagent.tools.modelseed._common import BIOCHEM

_FILES = {"compound": BIOCHEM / "Aliases" / "Unique_ModelSEED_Compound_Aliases.txt.gz",
          "reaction": BIOCHEM / "Aliases" / "Unique_ModelSEED_Reaction_Aliases.txt.gz"}


@lru_cache(maxsize=2)
def _maps(kind: str) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    to_seed: dict[str, set[str]] = defaultdict(set)
    to_bigg: dict[str, set[str]] = defaultdict(set)
    with gzip.open(_FILES[kind], "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        next(reader, None)
        for row in reader:
            if len(row) >= 3 and row[2] == "BiGG":
                to_seed[row[1]].add(row[0])
                to_bigg[row[0]].add(row[1])
    return ({k: tuple(sorted(v)) for k, v in to_seed.items()},
            {k: tuple(sorted(v)) for k, v in to_bigg.items()})


def seed_for_bigg(bigg_id: str, kind: str = "compound", *,
                  ignore_case: bool = False) -> tuple[str, ...]:
    """ModelSEED ids of a BiGG base id: 'glc__D' -> ('cpd00027',); 'PGI' -> ('rxn00558',).

    ignore_case: also for ids a question lower-cased ('glc__d'); several BiGG ids that differ
    only in case give all their ModelSEED ids, for the caller to report as ambiguous.
    """
    found = _maps(kind)[0].get(bigg_id, ())
    if found or not ignore_case:
        return found
    return _folded(kind).get(bigg_id.lower(), ())


@lru_cache(maxsize=2)
def _folded(kind: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = defaultdict(set)
    for bigg, seeds in _maps(kind)[0].items():
        out[bigg.lower()].update(seeds)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def bigg_for_seed(seed_id: str, kind: str = "compound") -> tuple[str, ...]:
    """BiGG base ids of a ModelSEED id: 'cpd00013' -> ('nh3', 'nh4')."""
    return _maps(kind)[1].get(seed_id, ())
