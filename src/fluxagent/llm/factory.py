"""``make_decider(settings)``: the decider named by ``FLUXAGENT_LLM``.

``offline`` is the embedded planner (no network, no key). Every other spec (``openai:<model>``,
``ollama:<model>``, ``anthropic:<model>``, ``hybrid:<provider>:<model>``, ``replay:<path>``)
is built by ``llm/providers.py``; it is imported only when asked for, so a missing optional
module gives a clear error instead of breaking the offline default.
"""

from __future__ import annotations

import importlib
from typing import Any

from fluxagent.llm.base import Decider

USAGE = ("offline | openai:<model> | ollama:<model> | anthropic:<model> | "
         "hybrid:<provider>:<model> | replay:<cassette path>")


class DeciderConfigError(ValueError):
    """FLUXAGENT_LLM names a decider that cannot be built (one-line reason)."""


def make_decider(settings: Any) -> Decider:
    spec = str(getattr(settings, "llm", "offline") or "offline").strip()
    if spec.lower() == "offline":
        from fluxagent.llm.offline import OfflinePlanner
        return OfflinePlanner(settings=settings)
    kind = spec.split(":", 1)[0].strip().lower()
    try:
        providers = importlib.import_module("fluxagent.llm.providers")
    except ModuleNotFoundError as exc:
        raise DeciderConfigError(f"FLUXAGENT_LLM={spec!r} needs fluxagent.llm.providers, "
                                 f"which is not installed ({exc}); use offline") from None
    if not providers.is_provider_spec(spec):
        raise DeciderConfigError(f"unknown decider {spec!r} (FLUXAGENT_LLM); use {USAGE}")
    try:
        decider: Decider = providers.make_provider(spec, settings)
    except ModuleNotFoundError as exc:
        raise DeciderConfigError(f"FLUXAGENT_LLM={spec!r}: the {kind} provider is not "
                                 f"available ({exc})") from None
    return decider
