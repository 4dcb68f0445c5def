"""Hybrid decider: the offline planner takes what it understands, an LLM the rest.

At the first decision of each question (turn) the planner rates how well it understood it,
``planner.confidence(context)`` in [0, 1] (the ``Confident`` protocol below, implemented by the
offline planner), and the turn gets one of three modes, kept until the turn ends:

- ``offline`` (confidence ≥ ``threshold``): the planner makes every decision; no LLM call.
- ``prefetch`` (``floor`` ≤ confidence < ``threshold``): the planner runs its tool plan (the
  data an LLM would ask for anyway, factor 13), and instead of answering, hands its draft
  answer to the LLM, which checks it against the question and the results in its context and
  answers or calls more tools.
- ``llm`` (confidence < ``floor``, or the planner failed): the LLM decides.

The mode is written into each step's ``rationale`` (``hybrid:offline``, ``hybrid:prefetch``,
``hybrid:llm``), so it lives in the thread: a resumed session continues in the same mode and
``hybrid_stats`` counts the decisions that needed no LLM call. Each step's ``by`` names the
decider that actually made it (the planner's name or the LLM's), so the planner recognises its
own earlier steps in a hybrid session.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, Literal, Protocol, runtime_checkable

from fluxagent.core.context import Context
from fluxagent.core.events import Thread
from fluxagent.core.steps import Done, Step, Usage
from fluxagent.llm.base import Decider, DeciderError

log = logging.getLogger(__name__)

Mode = Literal["offline", "prefetch", "llm"]
MARK = "hybrid:"
DECISIONS = ("tool_call", "human_request", "final_answer")


@runtime_checkable
class Confident(Protocol):
    """A decider that can say how well it understood the current question."""

    name: str

    def confidence(self, context: Context) -> float:
        """1.0: fully understood (every entity linked, a plan exists); 0.0: no idea."""
        ...

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step: ...


def _mode_of(rationale: Any) -> Mode | None:
    if isinstance(rationale, str) and rationale.startswith(MARK):
        word = rationale[len(MARK):].split(" ", 1)[0].split(":", 1)[0]
        if word in ("offline", "prefetch", "llm"):
            return word  # type: ignore[return-value]
    return None


def turn_mode(thread: Thread) -> Mode | None:
    """The mode of the current turn: that of its latest hybrid decision, if any."""
    mode: Mode | None = None
    for ev in thread.since_last_question():
        if ev.type in DECISIONS:
            mode = _mode_of(ev.data.get("rationale")) or mode
    return mode


def hybrid_stats(thread: Thread) -> dict[str, int]:
    """How many decisions and questions of a session needed no LLM call."""
    stats = {"decisions": 0, "decisions_without_llm": 0, "questions": 0,
             "questions_without_llm": 0}
    turn_llm: bool | None = None

    def close() -> None:
        if turn_llm is not None:
            stats["questions"] += 1
            stats["questions_without_llm"] += int(not turn_llm)

    for ev in thread:
        if ev.type == "user_message":
            close()
            turn_llm = False
        elif ev.type in DECISIONS and (mode := _mode_of(ev.data.get("rationale"))):
            stats["decisions"] += 1
            if mode == "llm":
                turn_llm = True
            else:
                stats["decisions_without_llm"] += 1
    close()
    return stats


def _mark(step: Step, mode: Mode, note: str, by: str) -> Step:
    """Write the mode into the rationale and the real decider into ``by``."""
    text = f"{MARK}{mode} {note}".strip()
    if step.rationale:
        text += f"; {step.rationale}"
    return step.model_copy(update={"rationale": text, "by": step.by or by})


class HybridDecider:
    """``HybridDecider(planner, llm)``; see the module docstring for the three modes."""

    name = "hybrid"

    def __init__(self, planner: Decider, llm: Decider, *, threshold: float = 0.8,
                 floor: float = 0.4) -> None:
        self.planner, self.llm = planner, llm
        self.threshold, self.floor = threshold, floor
        if not isinstance(planner, Confident):
            log.warning("planner %s has no confidence(context); every question goes to the "
                        "LLM", getattr(planner, "name", planner))

    @property
    def sends_schemas(self) -> bool:
        """Its LLM does: the router selects and counts the schemas for it."""
        return bool(getattr(self.llm, "sends_schemas", False))

    def confidence(self, context: Context) -> float:
        if not isinstance(self.planner, Confident):
            return 0.0
        try:
            return max(0.0, min(1.0, float(self.planner.confidence(context))))
        except Exception as exc:  # a planner bug must not end the session: ask the LLM
            log.warning("planner confidence failed: %s", exc)
            return 0.0

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        mode = turn_mode(context.thread)
        note = ""
        if mode is None:
            conf = self.confidence(context)
            mode = ("offline" if conf >= self.threshold else
                    "prefetch" if conf >= self.floor else "llm")
            note = f"(planner confidence {conf:.2f})"
        if mode != "llm":
            try:
                step = self.planner.next_step(context, tools)
            except DeciderError as exc:
                log.info("planner failed (%s); the LLM takes this question", exc)
                return self._llm(context, tools, f"after the planner failed: {exc}")
            if mode == "prefetch" and isinstance(step, Done):
                return self._llm(self._with_draft(context, step), tools,
                                 "checked the planner's draft")
            return _mark(step.model_copy(update={"usage": Usage()}), mode, note,
                         self.planner.name)
        return self._llm(context, tools, note)

    def _llm(self, context: Context, tools: list[dict[str, Any]], note: str) -> Step:
        return _mark(self.llm.next_step(context, tools), "llm", note, self.llm.name)

    @staticmethod
    def _with_draft(context: Context, draft: Done) -> Context:
        """The context plus the planner's draft answer, offered as pre-fetched work."""
        text = ("An offline planner ran the tool calls above for this question and drafted "
                f"the answer below. Check it against the question and the tool results; "
                "correct it or call more tools if it misses what was asked, then give the "
                "final answer. Use only numbers from the tool results.\n\nDraft answer:\n"
                f"{draft.answer}")
        return dataclasses.replace(context, messages=[*context.messages,
                                                      {"role": "system", "content": text}])
