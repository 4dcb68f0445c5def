"""Regenerate src/fluxagent/data/ecoli_gene_names.tsv (run by hand, never at test time).

iJO1366's SBML as cobrapy bundles it carries no gene names, so names like 'poxB' are linked to
b-numbers through this table. Sources: the gene names of cobrapy's e_coli_core (textbook.xml.gz)
and the gene names of the published Escher map "iJO1366.Central metabolism" (MIT licence).

    .venv/bin/python scripts/make_ecoli_gene_names.py PATH/TO/iJO1366.central_metabolism.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cobra

OUT = Path(__file__).resolve().parents[1] / "src" / "fluxagent" / "data" / "ecoli_gene_names.tsv"
HEADER = """\
# E. coli K-12 gene names by b-number, for E. coli models whose SBML carries no gene names
# (iJO1366 as bundled with cobrapy). Made by scripts/make_ecoli_gene_names.py from:
#  core   - the gene names of cobrapy's e_coli_core (textbook.xml.gz; Orth, Fleming & Palsson
#           2010, EcoSal Plus; BiGG Models);
#  escher - the Escher map "iJO1366.Central metabolism" (escher/escher.github.io, 1-0-0/6/maps,
#           commit aac17a18b7a76a314fa3450c191c5709ca60d4fe; MIT licence, Copyright (c) 2019
#           The Regents of the University of California; King et al. 2015, PLoS Comput Biol).
# Only genes of central metabolism are covered: other iJO1366 genes link by b-number only.
b_number\tname\tsource
"""


def main(escher_map: str) -> None:
    names: dict[str, tuple[str, str]] = {}
    for g in cobra.io.load_model("textbook").genes:
        if g.id.startswith("b") and g.name and g.name != g.id:
            names[g.id] = (g.name, "core")
    body = json.loads(Path(escher_map).read_text())[1]
    for rxn in body["reactions"].values():
        for g in rxn.get("genes", []):
            ident, name = g.get("bigg_id", ""), g.get("name", "")
            if ident.startswith("b") and name and ident not in names:
                names[ident] = (name, "escher")
    rows = "".join(f"{i}\t{n}\t{s}\n" for i, (n, s) in sorted(names.items()))
    OUT.write_text(HEADER + rows)
    print(f"{len(names)} names -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
