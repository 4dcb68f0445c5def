"""Lookups worded as a scientist words them: which reactions a gene encodes ("which
reaction(s) does gltA encode", "reactions encoded by pgi", "what does gene pgi do"), with a
lower-case gene name that is also a reaction id in another case (pgi / PGI). Each answer lists
exactly the reactions cobrapy gives for that gene."""

from __future__ import annotations

from typing import Any

import cobra
import pytest


@pytest.mark.parametrize(("question", "model", "gene"), [
    ("Which reaction(s) does gltA encode in iJO1366?", "iJO1366", "b0720"),  # gltA
    ("Which reactions does pgi encode in e_coli_core?", "textbook", "b4025"),  # pgi
    ("List the reactions encoded by zwf in e_coli_core.", "textbook", "b1852"),  # zwf
    ("what does gene pgi do in e_coli_core", "textbook", "b4025"),
    ("Which reactions are catalysed by sdhA in the core model?", "textbook", "b0723"),
])
def test_the_reactions_of_a_gene_are_those_of_cobrapy(agent: Any, question: str, model: str,
                                                      gene: str) -> None:
    m = cobra.io.load_model(model)
    g = m.genes.get_by_id(gene)  # iJO1366 as cobrapy ships it has no gene names
    reply = agent.ask(question, session_id=f"gene{abs(hash(question))}")
    want = sorted(r.id for r in g.reactions)
    assert reply.answer and f"Gene {gene} (" in reply.answer, reply.answer
    assert f"associated with {len(want)} reaction" in reply.answer, reply.answer
    listed = reply.answer.split(":", 1)[1]
    assert all(r in listed for r in want), (want, reply.answer)
    assert "Not understood" not in reply.answer
