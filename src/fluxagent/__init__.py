"""fluxagent: a 12-factor AI agent for genome-scale metabolic modeling."""

from typing import Any

__version__ = "0.1.0"
__all__ = ["Agent", "__version__"]


def __getattr__(name: str) -> Any:  # keep `import fluxagent` light (no cobra, no SQLAlchemy)
    if name == "Agent":
        from fluxagent.agent import Agent
        return Agent
    raise AttributeError(name)
