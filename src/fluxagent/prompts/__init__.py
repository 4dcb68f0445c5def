"""Prompts as versioned, tested template files (factor 2): see ``manager.py``."""

from fluxagent.prompts.manager import PromptError, PromptManager, PromptTemplate

__all__ = ["PromptError", "PromptManager", "PromptTemplate"]
