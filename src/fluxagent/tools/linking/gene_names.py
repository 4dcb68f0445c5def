"""E. coli gene names shipped with fluxagent, for E. coli models whose SBML has none (iJO1366).

cobrapy's iJO1366 carries b-numbers and database accessions but no gene names, so 'poxB' could
not be linked from the model alone. ``data/ecoli_gene_names.tsv`` (made by
``scripts/make_ecoli_gene_names.py`` from e_coli_core and the Escher iJO1366 central-metabolism
map, with attribution in its header) fills that gap for central metabolism. The table is used
only for gene ids that are in the model and only when the model's own names do not match.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from importlib import resources

from fluxagent.tools.linking.text import norm


@lru_cache(maxsize=1)
def ecoli_names() -> dict[str, str]:
    """b-number -> gene name."""
    path = resources.files("fluxagent") / "data" / "ecoli_gene_names.tsv"
    out: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith(("#", "b_number")):
            ident, name = line.split("\t")[:2]
            out[ident] = name
    return out


@lru_cache(maxsize=1)
def ecoli_ids_by_name() -> dict[str, tuple[str, ...]]:
    """norm(gene name) -> b-numbers."""
    out: dict[str, list[str]] = defaultdict(list)
    for ident, name in ecoli_names().items():
        out[norm(name)].append(ident)
    return {k: tuple(v) for k, v in out.items()}
