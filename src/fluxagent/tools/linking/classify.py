"""What kind of entity a token is in a model, without running a tool (for the planner).

``classify(model, "STM4085")`` -> ``[("gene", "STM4085")]``; ``classify(model, "pgi")`` on
e_coli_core -> ``[("gene", "b4025"), ("reaction", "PGI")]``; a metabolite name gives its
metabolites in every compartment and its exchange. Same stages as ``link`` (so a token that
classifies also links, unless it is ambiguous within its kind), without the reaction ->
exchange fallback and without the ModelSEED names table (``link`` tries it last, for a name only
the biochemistry knows; reading it costs about a second once per process). Answers are cached
on the model's linking index: a warm call is one dict lookup.
"""

from __future__ import annotations

from typing import Any

from fluxagent.tools.linking.index import index
from fluxagent.tools.linking.resolve import KINDS, Kind, candidates

#: Cached answers per model before the cache is cleared (a question has tens of tokens).
_MAX_CACHED = 50_000


def classify(model: Any, token: str) -> list[tuple[Kind, str]]:
    """Every (kind, id) ``token`` names in ``model``; kinds: gene, reaction, metabolite,
    exchange. Empty when the token names nothing in the model."""
    key = token.strip() if isinstance(token, str) else ""
    if not key:
        return []
    ix = index(model)
    hit = ix.classified.get(key)
    if hit is None:
        hit = tuple((kind, ident) for kind in KINDS
                    for ident in candidates(ix, key, kind, exchange_fallback=False,
                                            deep=False))
        if len(ix.classified) >= _MAX_CACHED:
            ix.classified.clear()
        ix.classified[key] = hit
    return list(hit)  # type: ignore[arg-type]


def is_known(model: Any, token: str) -> bool:
    """Does ``token`` name anything (gene, reaction, metabolite, exchange) in ``model``?"""
    return bool(classify(model, token))
