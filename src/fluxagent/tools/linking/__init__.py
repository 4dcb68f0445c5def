"""Entity linking: turn what a person or an LLM wrote into the model's own ids, or fail precisely.

Every tool that takes reaction, exchange, metabolite or gene ids calls ``link`` / ``link_many``
(knockout lists: ``link_knockouts``, which keeps what resolves and reports the rest). Matching
is driven by each model's own ids, names, annotations (locus tags, synonyms, EC numbers,
cross-references) and formulas, plus chemistry nicknames, shipped E. coli gene names and the
ModelSEED biochemistry as a bridge between namespaces. A unique match resolves; no match or
several matches raise ``ToolFailure("unknown_id")`` with candidates, so a wrong id is never
silently replaced by a guess. ``classify`` / ``is_known`` answer "what is this token in this
model" without running a tool.

Modules: ``text`` (normalisation), ``index`` (the per-model tables), ``resolve`` (stages and
failures), ``partial`` (knockout lists, the unresolved report), ``classify``, ``gene_names``.
"""

from fluxagent.tools.linking.classify import Mention, classify, is_known, mentions
from fluxagent.tools.linking.partial import (
    Knockouts,
    collecting,
    link_knockouts,
    link_partial,
    not_found_text,
    with_unresolved,
)
from fluxagent.tools.linking.resolve import (
    KINDS,
    Kind,
    describe,
    exchange_ids,
    link,
    link_each,
    link_many,
    reactions_of_genes,
)
from fluxagent.tools.linking.text import SYNONYMS, bare_name, met_base, norm

__all__ = ["KINDS", "SYNONYMS", "Kind", "Knockouts", "Mention", "bare_name", "classify",
           "collecting", "describe", "exchange_ids", "is_known", "link", "link_each",
           "link_knockouts", "link_many", "link_partial", "mentions", "met_base", "norm",
           "not_found_text", "reactions_of_genes", "with_unresolved"]
