"""The offline planner: the embedded default decider (deterministic, no network, no tokens).

Modules: ``text`` (truncation, tokens, language and injection checks) · ``lexicon`` (model
and metabolite mentions) · ``slots`` (slot extraction) · ``intents`` (scored intent classifier)
· ``dialog`` (the frame of the current question, follow-ups, a person's replies) · ``plan``
(intent -> tool calls) · ``answer`` (templates) · ``planner`` (the ``Decider``).
"""

from fluxagent.llm.offline.planner import OfflinePlanner, make_planner

__all__ = ["OfflinePlanner", "make_planner"]
