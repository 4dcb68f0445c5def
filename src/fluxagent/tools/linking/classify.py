"""What kind of entity a token is in a model, without running a tool (for the planner).

``classify(model, "STM4085")`` -> ``[("gene", "STM4085")]``; ``classify(model, "pgi")`` on
e_coli_core -> ``[("gene", "b4025"), ("reaction", "PGI")]``; a metabolite name gives its
metabolites in every compartment and its exchange. Same stages as ``link`` (so a token that
classifies also links, unless it is ambiguous within its kind), without the reaction ->
exchange fallback and without the ModelSEED names table (``link`` tries it last, for a name only
the biochemistry knows; reading it costs about a second once per process). Answers are cached
on the model's linking index: a warm call is one dict lookup. ``mentions`` scans a whole
question for the longest spans that name something ('glucose-6-phosphate isomerase').

Case is ignored, so an English word can name a gene ('many' is manY in e_coli_core): the caller
removes its filler words first (``skip``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Mention:
    """A span of a question that names something in the model."""

    start: int  # character offsets in the text
    end: int
    text: str
    matches: tuple[tuple[Kind, str], ...]


_WORD = re.compile(r"\S+")
_EDGE = "\"'“”‘’()[]{}<>,;:!?"


def _words(text: str) -> list[tuple[int, int]]:
    """Word spans without surrounding punctuation ('(pgi),' -> 'pgi'; a final '.' goes, an
    inner one stays: '2.7.1.11')."""
    spans = []
    for m in _WORD.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and (text[end - 1] in _EDGE or text[end - 1] == "."):
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def mentions(model: Any, text: str, *, max_words: int = 5,
             skip: Iterable[str] = ()) -> list[Mention]:
    """The spans of ``text`` that name entities of ``model``, longest first and without
    overlap ('glucose-6-phosphate isomerase' is one mention, not two). Words in ``skip``
    (lower case: the planner's filler words) never start or end a mention."""
    stop = {w.lower() for w in skip}
    spans = _words(text)
    out: list[Mention] = []
    i = 0
    while i < len(spans):
        found = None
        for n in range(min(max_words, len(spans) - i), 0, -1):
            first, last = spans[i], spans[i + n - 1]
            if text[first[0]:first[1]].lower() in stop or text[last[0]:last[1]].lower() in stop:
                continue
            phrase = text[first[0]:last[1]]
            hits = classify(model, phrase)
            if hits:
                found = Mention(first[0], last[1], phrase, tuple(hits))
                i += n
                break
        if found is None:
            i += 1
        else:
            out.append(found)
    return out
