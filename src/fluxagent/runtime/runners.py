"""Runner selection (FLUXAGENT_RUNNER): the in-process loop or Temporal workflows.

Both take the same parts and honour the same ``runtime/sessions.py`` functions, so channels do
not know which one drives a session. A wrong choice fails here, when the agent starts.
"""

from __future__ import annotations

from typing import Any

from fluxagent.config import Settings
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.base import StoreError

RUNNERS = ("local", "temporal")


class RunnerError(StoreError):
    """The configured runner cannot run: unknown, or its server does not answer."""


def build_runner(settings: Settings, **parts: Any) -> LocalRunner:
    """The runner ``settings.runner`` names, built from the loop's ``parts``."""
    if settings.runner == "local":
        return LocalRunner(**parts)
    if settings.runner == "temporal":
        from fluxagent.runtime.temporal.runner import TemporalRunner
        return TemporalRunner(**parts, temporal=settings)
    raise RunnerError(f"unknown runner {settings.runner!r} (FLUXAGENT_RUNNER); choose one of: "
                      f"{', '.join(RUNNERS)}")
