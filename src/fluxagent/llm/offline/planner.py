"""The offline planner: the embedded default decider (no network, no LLM, no tokens).

Each decision is a pure function of the thread: derive the frame of the current question
(``dialog``), plan its tool calls (``plan``), find the first planned call without an outcome in
this turn and return it; when every call has an outcome, write the answer (``answer``). Tool
errors are answered, not retried blindly: an unknown id with a known alias is retried with the
alias, one with close matches becomes a question to the user, anything else is reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from fluxagent.core.context import Context
from fluxagent.core.events import Event, Thread
from fluxagent.core.state import fold
from fluxagent.core.steps import AskHuman, Done, Step, ToolCall, Usage
from fluxagent.llm.offline import answer as ans
from fluxagent.llm.offline import derived
from fluxagent.llm.offline import interpretation as interp
from fluxagent.llm.offline.dialog import (
    CLARIFY_ENTITY,
    CLARIFY_ID,
    CLARIFY_INTENT,
    Turn,
    frame_of,
    human_replies,
    substitutions,
    turns,
)
from fluxagent.llm.offline.frame import CAPABILITIES, Frame, Slots
from fluxagent.llm.offline.plan import MODEL_FILE, Call, plan, sections_of
from fluxagent.llm.offline.slots import BUNDLED_MODELS
from fluxagent.llm.offline.text import Text, foreign_language

#: Error kinds that mean "no feasible flux" — for growth questions that is the answer.
_NO_FLUX = frozenset({"infeasible"})
_NO_FLUX_INTENTS = frozenset({"growth", "knockout", "production", "pfba", "flux", "fva"})
_QUOTED = re.compile(r"""['"]([^'"]+)['"]""")
NONE_OF_THESE = "none of these (stop)"
_ASK_OPTIONS = {
    "growth": "What is its maximum growth rate?",
    "essential": "Which genes are essential?",
    "knockout": "What happens to growth if it is knocked out?",
    "summary": "How many reactions, metabolites and genes does it have?",
    "medium": "What is in its medium?",
    "fva": "What are its flux ranges (FVA)?",
}


def _signature(name: str, args: dict[str, Any]) -> str:
    return name + json.dumps(args, sort_keys=True, default=str)


def _outcomes(turn: Turn) -> dict[str, ans.Outcome | tuple[str, Event]]:
    """For each call signature of this turn, its latest outcome event."""
    calls: dict[str, tuple[str, dict[str, Any]]] = {}
    latest: dict[str, tuple[str, Event]] = {}
    for ev in turn.events:
        if ev.type == "tool_call" and ev.call_id:
            calls[ev.call_id] = (str(ev.data.get("name")), dict(ev.data.get("args") or {}))
        elif ev.call_id in calls and (ev.type in ("tool_result", "tool_error") or (
                ev.type == "approval_decision" and ev.data.get("decision") == "reject")):
            name, args = calls[ev.call_id]
            latest[_signature(name, args)] = (ev.type, ev)
    return latest  # type: ignore[return-value]


def _outcome(call: Call, kind: str, ev: Event) -> ans.Outcome:
    d = ev.data
    if kind == "tool_result":
        return ans.Outcome(call, True, d.get("data") or {}, str(d.get("summary", "")),
                           d.get("provenance") or {})
    if kind == "approval_decision":
        return ans.Outcome(call, False, kind="rejected", message=str(d.get("comment", "")))
    return ans.Outcome(call, False, d.get("data") or {}, kind=str(d.get("kind", "internal")),
                       message=str(d.get("message", "")), hint=str(d.get("hint", "")))


def _failed_mention(o: ans.Outcome) -> str | None:
    m = _QUOTED.search(o.message)
    return m.group(1) if m else None


def _each_step(frame: Frame, change: Callable[[Slots], Slots]) -> Frame:
    """``change`` applied to the frame's slots and to those of each of its steps."""
    return replace(frame, slots=change(frame.slots),
                   steps=tuple(replace(st, slots=change(st.slots)) for st in frame.steps))


def _already_loaded(frame: Frame, thread: Thread, current: str | None) -> Frame:
    """A model file the question names that is the session's current model (given with the
    question, e.g. ``ask --model draft.json``, or loaded by an earlier turn) is that model:
    loading it again would be a second import, outside the data dir an approval."""
    named = frame.slots.model
    if not named or not MODEL_FILE.search(named):
        return frame
    want = PurePath(named).name
    held: Any = None
    for ev in reversed(list(thread)):
        d = ev.data
        loaded = d.get("data") or {} if ev.type == "tool_result" and d.get("ok") and \
            d.get("tool") == "load_model" else {}
        source = str(loaded.get("source") or "")
        if ev.type == "user_message" and d.get("file") == want:
            held = d.get("model")
        elif source.startswith("file ") and PurePath(source[5:]).name == want:
            held = loaded.get("name")
        if isinstance(held, str):
            break
    name = held
    return _each_step(frame, lambda s: s.set(model=name)) \
        if isinstance(name, str) and name == current else frame


#: "the ModelSEED draft", "my draft model": a model built or loaded, never a bundled one.
_DRAFT = re.compile(r"\b(?:the|my|our|this|that)\s+(?:modelseed\s+)?draft(?:\s+model)?\b",
                    re.IGNORECASE)


#: The phrase asking for the best of several ("which fermentation product ... most").
_BEST_ASKED = re.compile(r"\b(?:which|what)\b[^?.;]{0,80}?\b(?:most|least|best|worst|highest|"
                         r"lowest|fastest|slowest|largest|smallest)\b", re.IGNORECASE)


def _short(text: str, n: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _subject(s: Slots) -> str | None:
    """What an unclear question is about, if it names anything of the domain."""
    if s.model or s.genes or s.carbon_source or s.product:
        return s.model or (s.genes[0] if s.genes else None) or s.carbon_source or s.product
    if s.oxygen is not None or s.carbon_uptake is not None:
        return "the model under those conditions"
    return None


def _substitute(s: Slots, subs: dict[str, str]) -> Slots:
    if not subs:
        return s

    def sub(x: str | None) -> str | None:
        return subs.get(x, x) if x is not None else None

    return s.set(genes=tuple(subs.get(g, g) for g in s.genes),
                 reactions=tuple(subs.get(r, r) for r in s.reactions),
                 knockouts=tuple(subs.get(k, k) for k in s.knockouts),
                 carbon_source=sub(s.carbon_source),
                 carbon_sources=tuple(subs.get(c, c) for c in s.carbon_sources),
                 product=sub(s.product), source=sub(s.source), sink=sub(s.sink))


def _swap_kinds(s: Slots, kinds: dict[str, list[list[str]]]) -> Slots:
    """'block pfk': no gene pfk, but the reaction PFK, so the knockout is of that reaction
    (and a reaction mention that is only a gene, the other way round)."""
    def only(mention: str, kind: str) -> str | None:
        ids = [i for k, i in kinds.get(mention, []) if k == kind]
        return ids[0] if len(ids) == 1 else None

    genes, reactions, kos = list(s.genes), list(s.reactions), list(s.knockouts)
    for mention in [g for g in s.genes if only(g, "reaction")]:
        rid = only(mention, "reaction")
        genes.remove(mention)
        reactions.append(str(rid))
        kos = [str(rid) if k == mention else k for k in kos]
    for mention in [r for r in s.reactions if only(r, "gene") and not only(r, "reaction")]:
        gid = only(mention, "gene")
        reactions.remove(mention)
        genes.append(str(gid))
        kos = [str(gid) if k == mention else k for k in kos]
    if (genes, reactions) == (list(s.genes), list(s.reactions)):
        return s
    return s.set(genes=tuple(genes), reactions=tuple(reactions), knockouts=tuple(kos),
                 target="reactions" if reactions and not genes else s.target)


class OfflinePlanner:
    """``Decider`` with ``name = "offline"``; see the module docstring."""

    name = "offline"

    def __init__(self, settings: Any = None) -> None:
        self.default_model = str(getattr(settings, "default_model", None) or "e_coli_core")

    # -- hybrid mode ----------------------------------------------------------------------
    def confidence(self, context: Context) -> float:
        """How well the current question is understood (1: a plan exists; 0: no idea)."""
        frame, text = frame_of(context.thread)
        if text.empty or foreign_language(text):
            return 0.0
        if frame.intent == "help":
            return 1.0
        if frame.intent == "unknown":
            return 0.0
        return frame.confidence

    # -- the decision ---------------------------------------------------------------------
    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        thread = context.thread
        all_turns = turns(thread)
        if not all_turns:
            return self._done("There is no question to answer yet.", "no question")
        turn = all_turns[-1]
        frame, text = frame_of(thread)
        frame = _already_loaded(frame, thread, fold(thread.prefix(turn.start + 1)).current_model)
        early = self._gate(frame, text)
        if early is not None:
            return early
        if any(CLARIFY_ID in why and reply.strip() == NONE_OF_THESE
               for why, reply in human_replies(turn)):
            return self._done("Stopped: none of the suggested ids was meant. Ask again with "
                              "the model's exact id (search_model finds ids by name).",
                              "no id chosen")
        missing = self._missing_slot(frame) or self._no_draft(frame, text, fold(
            thread.prefix(turn.start + 1)).current_model)
        if missing is not None:
            return missing
        outcomes = _outcomes(turn)
        frame = self._resolve_aliases(frame, turn, outcomes, tools, thread)
        sections: list[tuple[Frame, list[ans.Outcome]]] = []
        for part in sections_of(frame):
            done: list[ans.Outcome] = []
            for call in self._plan(part, thread, turn, tools):
                found = outcomes.get(_signature(call.name, call.args))
                if found is None:
                    return ToolCall(name=call.name, args=call.args, usage=Usage(),
                                    rationale=self._rationale(part, call))
                kind, ev = found  # type: ignore[misc]
                o = _outcome(call, kind, ev)
                if not o.ok:
                    step = self._react(part, o)
                    if step is not None:
                        return step
                done.append(o)
            sections.append((part, done))
        current = fold(thread.prefix(turn.start + 1)).current_model
        return self._finish(frame, sections, text, turn.question, current)

    # -- pieces ---------------------------------------------------------------------------
    def _gate(self, frame: Frame, text: Text) -> Step | None:
        """Questions answered without tools: injected, empty, foreign, unclear, help."""
        if text.injection and (text.empty or frame.intent == "unknown"):
            return self._done(
                "I cannot do that: I answer metabolic modeling questions only with numbers "
                "computed by my tools, and I do not follow instructions to skip them or to "
                "state a given number. " + ans.capabilities(), "prompt injection refused")
        if text.empty:
            return self._done("The question is empty. " + ans.capabilities(), "empty question")
        if foreign_language(text):
            return self._done("I can only read questions in English, so I did not run any "
                              "analysis. Please ask again in English. " + ans.capabilities(),
                              "not English")
        if frame.intent == "help":
            return self._done(ans.capabilities(), "help")
        if frame.intent == "unknown":
            subject = _subject(frame.slots)
            if subject:
                known = interp.conditions(frame.slots)
                what = "; ".join(interp.cond_text(c) for c in known)
                understood = (frame.slots.model or "the model") + (f" with {what}" if what else "")
                return AskHuman(question=f"I understood {understood}, but not which analysis "
                                f"\"{_short(text.raw)}\" asks for. Which one do you want?",
                                options=list(_ASK_OPTIONS.values()), usage=Usage(),
                                rationale=f"offline: unclear question; {CLARIFY_INTENT}")
            return Done(answer="I did not understand the question as a metabolic modeling "
                        "question, so I ran no analysis. " + ans.capabilities(), usage=Usage(),
                        rationale="offline: outside what I can do",
                        data={"interpretation": None, "unresolved": [_short(text.raw)]})
        return None

    def _missing_slot(self, frame: Frame) -> Step | None:
        """Ask for what an analysis cannot run without (what to knock out, which product)."""
        s = frame.slots
        if frame.intent == "knockout" and not (s.genes or s.reactions):
            return AskHuman(question="Which gene(s) or reaction(s) should I knock out?",
                            usage=Usage(), rationale=f"offline: nothing to knock out; "
                            f"{CLARIFY_ENTITY}")
        if frame.intent == "production" and not s.product:
            return AskHuman(question="Which product should I maximise (e.g. acetate, ethanol, "
                            "succinate)?", usage=Usage(),
                            rationale=f"offline: no product named; {CLARIFY_INTENT}")
        if frame.intent == "build_model" and not s.genome:
            return AskHuman(question="Which annotated genome file should I build the draft "
                            "from (a RAST genome JSON or a feature -> function table)?",
                            usage=Usage(), rationale=f"offline: no genome file; "
                            f"{CLARIFY_INTENT}")
        if frame.intent == "lookup" and not s.query:
            return AskHuman(question="Which compound or reaction should I look up?",
                            usage=Usage(), rationale=f"offline: nothing to look up; "
                            f"{CLARIFY_INTENT}")
        if frame.intent == "translate" and not (s.ids and s.namespace):
            return AskHuman(question="Which ids should I translate, and into which namespace "
                            "(ModelSEED, BiGG, KEGG or MetaCyc)?", usage=Usage(),
                            rationale=f"offline: ids or namespace missing; {CLARIFY_INTENT}")
        if frame.intent == "pathway" and not (s.source and s.sink):
            return AskHuman(question="Between which two metabolites should I look for a "
                            "pathway (from ... to ...)?", usage=Usage(),
                            rationale=f"offline: pathway ends missing; {CLARIFY_INTENT}")
        return None

    @staticmethod
    def _no_draft(frame: Frame, text: Text, current: str | None) -> Step | None:
        """"The ModelSEED draft" when none is loaded: which file, rather than a bundled model
        answering in its place."""
        if frame.intent == "build_model" or not _DRAFT.search(text.raw) or \
                (frame.slots.model or current or "e_coli_core") not in BUNDLED_MODELS:
            return None
        return AskHuman(question="Which draft model do you mean? No draft is loaded in this "
                        "session: give its file (e.g. `ask --model draft.json`) or the genome "
                        "to build it from.", usage=Usage(),
                        rationale=f"offline: no draft model loaded; {CLARIFY_ENTITY}")

    def _resolve_aliases(self, frame: Frame, turn: Turn, outcomes: dict[str, Any],
                         tools: list[dict[str, Any]], thread: Thread) -> Frame:
        """Apply a person's id choices, then retry failed mentions with their aliases."""
        aliases = dict(frame.slots.aliases)
        failed: set[str] = set()
        kinds: dict[str, list[list[str]]] = {}
        for kind, ev in outcomes.values():
            if kind == "tool_error" and ev.data.get("kind") == "unknown_id":
                m = _QUOTED.search(str(ev.data.get("message", "")))
                if m:
                    failed.add(m.group(1))
                kinds |= (ev.data.get("data") or {}).get("other_kinds") or {}
            elif kind == "tool_result":  # partly resolved: "PTS" of "PTS (GLCpts) and PGI"
                failed.update(str(u) for u in ev.data.get("data", {}).get("unresolved") or [])
        subs = {m: aliases[m] for m in failed if m in aliases and aliases[m] not in failed}
        chosen = substitutions(turn)
        return _each_step(frame, lambda s: _swap_kinds(_substitute(_substitute(s, chosen),
                                                                   subs), kinds))

    def _plan(self, frame: Frame, thread: Thread, turn: Turn,
              tools: list[dict[str, Any]]) -> list[Call]:
        current = fold(thread.prefix(turn.start + 1)).current_model
        missing = frozenset(str(ev.data.get("tool")) for ev in turn.events
                            if ev.type == "tool_error" and ev.data.get("kind") == "unknown_tool")
        return plan(frame, current_model=current, specs=tools, missing=missing)

    def _react(self, frame: Frame, o: ans.Outcome) -> Step | None:
        """What to do about a failed call (None: treat it as an answer, e.g. no growth)."""
        if o.kind in _NO_FLUX and frame.intent in _NO_FLUX_INTENTS:
            return None
        if o.kind == "rejected":
            return self._done(f"A person rejected the {o.call.name} call"
                              + (f" ({o.message})" if o.message else "")
                              + ", so I cannot answer this question.", "call rejected")
        mention = _failed_mention(o)
        candidates = [str(c) for c in (o.data.get("candidates") or [])]
        carbon = {frame.slots.carbon_source, *frame.slots.carbon_sources} - {None}
        if o.kind == "unknown_id" and mention in carbon and not candidates:
            where = re.search(r" in ([\w.-]+)$", o.message)
            model = o.call.args.get("model") or (where.group(1) if where else "The model")
            return self._done(f"{model} has no exchange reaction for {mention}, so it cannot "
                              f"take up {mention}: no growth on {mention} as the carbon source "
                              f"in this model ({o.message}). Hint: {o.hint}\n"
                              f"⚠ Not modelled: {model} does not contain {mention}, so 'no growth' "
                              "reflects the model's scope, not the organism.",
                              "carbon source not in the model")
        if o.kind == "unknown_id" and mention and candidates:
            return AskHuman(question=f"{o.message}. Which one did you mean?",
                            options=[*candidates[:6], NONE_OF_THESE], usage=Usage(),
                            rationale=f"offline: unknown id; {CLARIFY_ID}{mention}")
        hint = f" Hint: {o.hint}" if o.hint else ""
        return self._done(f"I could not complete {o.call.name}: {o.message}.{hint}\n"
                          f"⚠ Not answered: the {o.call.name} step failed ({o.kind}), so this "
                          "question has no result.", f"tool error ({o.kind})")

    def _finish(self, whole: Frame, sections: list[tuple[Frame, list[ans.Outcome]]],
                text: Text, question: str, current: str | None) -> Done:
        frame = sections[0][0]
        everything = [o for _, os in sections for o in os]
        choices = whole.choices if len(whole.choices) == len(sections) else ()
        if whole.steps:  # each step's result, then what is derived from that step
            body = "\n".join((f"'{choices[i - 1]}': " if choices else f"Step {i}: ") + "\n".join(
                x for x in (ans.write(f, o, question, provenance=False), derived.derived(f, o))
                if x) for i, (f, o) in enumerate(sections, 1))
            extra = derived.best_choice(choices, [o for _, o in sections], whole.choose)
        else:
            body = "\n".join(ans.write(f, o, question, provenance=False) for f, o in sections)
            extra = derived.derived(frame, everything)
        prov = ans.provenance_line(everything)
        body = "\n".join(x for x in (body, extra, prov) if x)
        model = frame.slots.model or current or self.default_model
        doc = interp.describe([f for f, _ in sections], model)
        if whole.steps:
            doc["steps"] = [interp.describe([f], f.slots.model or model) for f, _ in sections]
            frame = whole
        # names a tool could not link (a knockout list with one unknown gene) are named too
        unlinked = tuple(dict.fromkeys(str(x) for o in everything for x in
                                       (o.data.get("unresolved") or []) if o.ok))
        compared = sum(1 for o in everything if o.call.role == "main" and o.ok)
        best = _BEST_ASKED.search(text.raw) if frame.slots.best and not choices and \
            compared <= 1 else None  # "which product is secreted most": nothing to rank
        missing = tuple(dict.fromkeys((*frame.unresolved, *unlinked,
                                       *((best.group(0),) if best else ()))))
        for c in doc["conditions"]:  # what no tool could link is not part of what was used
            for key in ("genes", "reactions"):
                if key in c:
                    c[key] = [x for x in c[key] if x not in unlinked]
        notes = []
        if missing:
            notes.append(derived.not_understood(missing))
        notes.append(interp.line(doc))
        if "truncated" in frame.notes or text.truncated:
            notes.append("Note: the question was very long; I analysed only its beginning.")
        if "injection" in frame.notes or text.injection:
            notes.append("Note: I ignored instructions in the question that asked me to skip "
                         "my tools or state a given number; every number above comes from a "
                         "tool result.")
        return Done(answer="\n".join([body, *notes]), usage=Usage(),
                    rationale=f"offline: answer ({frame.intent})",
                    data={"interpretation": doc, "unresolved": list(missing)})

    def _rationale(self, frame: Frame, call: Call) -> str:
        filled = {k: v for k, v in frame.slots.filled().items()
                  if k not in ("models", "carbon_sources", "target")}
        what = ", ".join(f"{k}={v}" for k, v in filled.items())
        return f"offline: {frame.intent} -> {call.name}" + (f" ({what})" if what else "")

    @staticmethod
    def _done(answer: str, why: str) -> Done:
        return Done(answer=answer, usage=Usage(), rationale=f"offline: {why}")


def make_planner(settings: Any = None) -> OfflinePlanner:
    return OfflinePlanner(settings=settings)


__all__ = ["CAPABILITIES", "OfflinePlanner", "make_planner"]
