"""Small focused agents behind a router (factor 10): see ``router.py`` and ``agents.yaml``."""

from fluxagent.agents.router import Router
from fluxagent.agents.specs import AgentBook, AgentSpec, load_book

__all__ = ["AgentBook", "AgentSpec", "Router", "load_book"]
