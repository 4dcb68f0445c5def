"""Remote, replayed and hybrid deciders from a ``FLUXAGENT_LLM`` string.

``llm/factory.py`` handles ``offline`` itself and hands every other spec here:

    openai:<model>            any OpenAI-compatible server (FLUXAGENT_LLM_BASE_URL, default
                              https://api.openai.com/v1; key FLUXAGENT_LLM_API_KEY or
                              OPENAI_API_KEY)
    ollama:<model>            the same, base URL defaulting to http://localhost:11434/v1
    anthropic:<model>         the Messages API (key FLUXAGENT_LLM_API_KEY or ANTHROPIC_API_KEY)
    replay:<cassette path>    replays a recorded cassette; no network
    hybrid:<provider spec>    offline planner first, e.g. hybrid:openai:gpt-4o-mini

With ``FLUXAGENT_LLM_RECORD=<path>`` the decider built here records every exchange to that
cassette. Model names may contain colons (``ollama:llama3.1:8b``): only the first colon splits.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from fluxagent.llm.base import Decider

OLLAMA_BASE_URL = "http://localhost:11434/v1"
PREFIXES = ("openai", "ollama", "anthropic", "replay", "hybrid")
USAGE = ("openai:<model> | ollama:<model> | anthropic:<model> | replay:<cassette path> | "
         "hybrid:<provider>:<model>")


def is_provider_spec(spec: str) -> bool:
    """Whether ``make_provider`` handles this ``FLUXAGENT_LLM`` value."""
    return spec.split(":", 1)[0].strip().lower() in PREFIXES


def _default_planner(settings: Any) -> Decider:
    """The offline planner of ``llm/offline`` (its builder's name may vary; try the known ones)."""
    mod = importlib.import_module("fluxagent.llm.offline")
    for builder in ("make_planner", "make_offline", "build"):
        fn = getattr(mod, builder, None)
        if callable(fn):
            return fn(settings)
    for cls_name in ("OfflinePlanner", "OfflineDecider", "Planner"):
        cls = getattr(mod, cls_name, None)
        if cls is not None:
            try:
                return cls(settings=settings)
            except TypeError:
                return cls()
    raise ValueError("fluxagent.llm.offline exposes no planner for hybrid mode")


def _build(spec: str, settings: Any, planner: Decider | None) -> Decider:
    kind, _, rest = spec.partition(":")
    kind, rest = kind.strip().lower(), rest.strip()
    if kind not in PREFIXES:
        raise ValueError(f"unknown decider {spec!r}; use offline | {USAGE}")
    if not rest:
        raise ValueError(f"{kind}: needs a {'cassette path' if kind == 'replay' else 'model'} "
                         f"after the colon, e.g. {kind}:{_example(kind)}")
    if kind == "openai":
        from fluxagent.llm import openai
        return openai.make(rest, settings)
    if kind == "ollama":
        from fluxagent.llm.openai import OpenAIDecider
        return OpenAIDecider(rest, settings.llm_base_url or OLLAMA_BASE_URL,
                             settings.llm_api_key, settings.llm_timeout_s,
                             settings.llm_max_retries, name="ollama")
    if kind == "anthropic":
        from fluxagent.llm import anthropic
        return anthropic.make(rest, settings)
    if kind == "replay":
        from fluxagent.llm.replay import ReplayDecider
        return ReplayDecider(os.path.expanduser(rest))
    from fluxagent.llm.hybrid import HybridDecider
    if rest.split(":", 1)[0].lower() in ("hybrid", "replay"):
        raise ValueError(f"hybrid: wraps a provider (openai, ollama, anthropic), not {rest!r}")
    return HybridDecider(planner or _default_planner(settings), _build(rest, settings, None))


def _example(kind: str) -> str:
    return {"openai": "gpt-4o-mini", "ollama": "llama3.1:8b",
            "anthropic": "claude-sonnet-4-5", "replay": "tests/cassettes/session.jsonl",
            "hybrid": "openai:gpt-4o-mini"}[kind]


def make_provider(spec: str, settings: Any, *, planner: Decider | None = None) -> Decider:
    """The decider for ``spec``; ``planner`` overrides the offline planner of hybrid mode."""
    decider = _build(spec, settings, planner)
    record = getattr(settings, "llm_record", None)
    if record and not spec.lower().startswith("replay:"):
        from fluxagent.llm.replay import RecordingDecider
        decider = RecordingDecider(decider, record)
    return decider
