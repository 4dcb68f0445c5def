"""The router: hands each turn to a small focused agent, or to the turn's flow (factor 10).

Everything it decides is a function of the thread, so a replay makes the same choices:

- a turn that starts a flow (its user message carries ``flow_def``) runs the ``FlowDecider``;
- otherwise the question's keywords pick an agent, recorded as an ``agent_handoff`` event;
- before the agent's first decision, deterministic pre-fetch runs the agent's ``prefetch``
  tools (model summary, medium) unless the thread already has them for the model as it is now;
- the inner decider (offline planner or LLM) then sees the agent's prompt and only its tools;
  a call to a tool the agent lacks is handed off to the agent that owns it (another event);
- after the agent's ``max_steps`` tool calls the router asks a person how to go on;
- for an inner decider that sends tool schemas (``sends_schemas``: the LLM deciders), only
  the few schemas the step needs are sent (``schemas.py``), and they count toward the context
  budget: the schema set is narrowed first, then the context is rebuilt with room for them
  (and for the agent's prompt). What was sent is recorded on the decision event.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from fluxagent.agents import schemas
from fluxagent.agents.specs import AgentBook, AgentSpec, load_book
from fluxagent.context.render import ContextError
from fluxagent.context.tokens import count_messages
from fluxagent.core.context import Context
from fluxagent.core.events import Event, Thread
from fluxagent.core.steps import AskHuman, Step, ToolCall
from fluxagent.flows.decider import FlowDecider, turn_flow
from fluxagent.llm.base import Decider

PREFETCH = "prefetch"
ROUTER = "router"


def current_agent(thread: Thread) -> Event | None:
    """The last hand-off of the current turn."""
    handoffs = [ev for ev in thread.since_last_question() if ev.type == "agent_handoff"]
    return handoffs[-1] if handoffs else None


def _changed_since(thread: Thread, seq: int) -> bool:
    """Did anything change the model after event ``seq`` (effects, a new model)?"""
    for ev in thread.events[seq + 1:]:
        if ev.type == "tool_result" and ev.data.get("effects"):
            return True
        if ev.type == "user_message" and ev.data.get("model"):
            return True
    return False


def mentioned_model(question: str, current: str | None, known: list[str]) -> str | None:
    """The model a question is about: one it names (a session model or a bundled one, by
    name or alias), else the session's current model, else None (the default)."""
    from fluxagent.tools.models import BUNDLED
    words = {w.lower() for w in re.findall(r"[A-Za-z0-9_.-]+", question)}
    for name in known:
        if name.lower() in words:
            return name
    for canon, (_file, aliases, _desc) in BUNDLED.items():
        if any(a.lower() in words for a in (canon, *aliases) if len(a) > 3):
            return canon
    return current


def _model_of(ev: Event) -> str | None:
    prov = ev.data.get("provenance")
    if isinstance(prov, dict) and prov.get("model_id"):
        return str(prov["model_id"])
    data = ev.data.get("data")
    return str(data["id"]) if isinstance(data, dict) and data.get("id") else None


def prefetch_needed(thread: Thread, tools: tuple[str, ...], available: set[str],
                    model: str | None) -> str | None:
    """The next pre-fetch tool to run, or None when the thread already has fresh facts about
    ``model`` (None: the session's current or default model)."""
    turn = thread.since_last_question()
    start = turn[0].seq if turn else 0
    for name in tools:
        if name not in available:
            continue
        tried = [ev for ev in turn if ev.type == "tool_call" and ev.data.get("name") == name
                 and ev.data.get("by") == PREFETCH]
        if tried:
            continue  # once per turn at most, whatever happened
        fresh = [ev for ev in thread.events[:start] if ev.type == "tool_result"
                 and ev.data.get("tool") == name and not _changed_since(thread, ev.seq)
                 and (model is None or _model_of(ev) in (model, None))]
        fresh += [ev for ev in turn if ev.type == "tool_result" and ev.data.get("tool") == name
                  and (model is None or _model_of(ev) in (model, None))]
        if not fresh:
            return name
    return None


class Router:
    """The default decider: flows, focused agents, pre-fetch, hand-offs, step limits."""

    name = ROUTER

    def __init__(self, inner: Decider, *, book: AgentBook | None = None,
                 prompts: Any = None) -> None:
        self.inner = inner
        self.book = book or load_book()
        self.prompts = prompts
        self._prompt_cache: dict[str, str] = {}

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        thread = context.thread
        flow = turn_flow(thread)
        if flow is not None:
            return FlowDecider(flow, self.inner).next_step(context, tools)
        records: list[dict[str, Any]] = []
        last = current_agent(thread)
        if last is None:
            name, why = self.book.route(context.question)
            records.append(self._handoff(None, name, why))
        else:
            name = str(last.data.get("to"))
            if name not in self.book.agents:
                name = self.book.default
        spec = self.book.agents[name]
        available = {str(t.get("name")) for t in tools}
        state = context.state
        model = mentioned_model(context.question, state.current_model, list(state.models))
        pre = prefetch_needed(thread, spec.prefetch, available, model)
        if pre is not None:
            args = {"model": model} if model and model != state.current_model else {}
            return ToolCall(name=pre, args=args, by=PREFETCH, records=tuple(records),
                            rationale=f"pre-fetch for the {name} agent")
        since = self._steps_since(thread, last)
        if since >= spec.max_steps:
            return AskHuman(question=f"The {name} agent used its {spec.max_steps} steps "
                            "without an answer. Should I go on, narrow the question, or stop?",
                            urgency="high", by=ROUTER, records=tuple(records))
        allowed = self.book.tools_of(name)
        focused = self._focus(context, spec, allowed)
        sent: dict[str, Any] = {}
        if getattr(self.inner, "sends_schemas", False):
            focused, sent, compacted = self._with_schemas(context, focused, spec, allowed, tools)
            records.extend(compacted)
        step = self.inner.next_step(focused, [t for t in tools if t.get("name") in allowed])
        if sent:
            step = step.model_copy(update={"sent": {**sent, **step.sent}})
        if isinstance(step, ToolCall) and step.name not in allowed \
                and step.name != schemas.MORE_TOOLS:
            owner = self.book.owner(step.name) or "general"
            records.append(self._handoff(name, owner, f"needs tool {step.name}"))
        return step.model_copy(update={"records": tuple(records),
                                       "by": step.by or self.inner.name})

    def _with_schemas(self, context: Context, focused: Context, spec: AgentSpec,
                      allowed: list[str], tools: list[dict[str, Any]]
                      ) -> tuple[Context, dict[str, Any], list[dict[str, Any]]]:
        """The focused context with ``meta["schemas"]`` (what the LLM is sent), what was sent
        (for the decision event) and the compaction records of a rebuild."""
        budget = context.budget
        names = [str(t.get("name")) for t in tools]
        chosen = schemas.select(context.question, context.thread, spec.tools, allowed, tools)
        keep = set(schemas.requested(context.thread)) | set(schemas.ALWAYS)
        others = [*(n for n in allowed if n not in chosen),
                  *(n for n in names if n not in allowed)]

        def measure(ctx: Context) -> tuple[list[dict[str, Any]], int, int]:
            sent_tools = schemas.request_tools(chosen, tools, others)
            return sent_tools, count_messages(ctx.messages), schemas.schema_tokens(sent_tools)

        sent_tools, msg_tokens, schema_tokens = measure(focused)
        narrowed: list[str] = []
        while budget and msg_tokens + schema_tokens > budget:
            drop = [n for n in chosen if n not in keep]
            if len(drop) <= schemas.MIN_SELECTED:
                break
            chosen.remove(drop[-1])
            narrowed.append(drop[-1])
            others.insert(0, drop[-1])
            sent_tools, msg_tokens, schema_tokens = measure(focused)
        records: list[dict[str, Any]] = []
        rebuild = context.meta.get("rebuild")
        refit = False
        if budget and msg_tokens + schema_tokens > budget and callable(rebuild):
            reserve = (msg_tokens - context.tokens) + schema_tokens
            try:
                rebuilt = rebuild(reserve)
            except ContextError:
                rebuilt = None
            if rebuilt is not None:
                focused = self._focus(rebuilt, spec, allowed)
                sent_tools, msg_tokens, schema_tokens = measure(focused)
                records = _new_compactions(context, rebuilt)
                refit = True
        sent = {"tokens": msg_tokens, "schema_tokens": schema_tokens,
                "total": msg_tokens + schema_tokens,
                "schemas": [str(t["name"]) for t in sent_tools]}
        if narrowed:
            sent["narrowed"] = narrowed
        if refit:
            sent["refit"] = True
        if budget and msg_tokens + schema_tokens > budget:
            sent["over_budget"] = True
        meta = {**focused.meta, "schemas": sent_tools}
        return dataclasses.replace(focused, meta=meta, tokens=msg_tokens), sent, records

    def _handoff(self, src: str | None, dst: str, why: str) -> dict[str, Any]:
        data: dict[str, Any] = {"from": src or ROUTER, "to": dst, "reason": why}
        if dst in self.book.agents:
            spec = self.book.agents[dst]
            data.update(prompt=spec.prompt, tools=self.book.tools_of(dst),
                        max_steps=spec.max_steps)
        return {"type": "agent_handoff", "data": data}

    def _steps_since(self, thread: Thread, handoff: Event | None) -> int:
        """Tool calls the current agent made since it took over (or a person last spoke)."""
        start = handoff.seq if handoff is not None else -1
        count = 0
        for ev in thread.since_last_question():
            if ev.seq <= start:
                continue
            if ev.type == "human_response":
                count = 0
            elif ev.type == "tool_call" and ev.data.get("by") not in (PREFETCH, "retry"):
                count += 1
        return count

    def _prompt(self, spec: AgentSpec, allowed: list[str]) -> str:
        key = spec.name
        if key not in self._prompt_cache:
            if self.prompts is None:
                from fluxagent.prompts import PromptManager
                self.prompts = PromptManager()
            self._prompt_cache[key] = self.prompts.get_prompt(
                spec.prompt, tools=", ".join(allowed), max_steps=spec.max_steps)
        return self._prompt_cache[key]

    def _focus(self, context: Context, spec: AgentSpec, allowed: list[str]) -> Context:
        """The context with the agent's prompt added to the system message."""
        text = self._prompt(spec, allowed)
        messages = list(context.messages)
        if messages and messages[0].get("role") == "system":
            messages[0] = {**messages[0], "content": f"{messages[0]['content']}\n\n{text}"}
        else:
            messages.insert(0, {"role": "system", "content": text})
        return dataclasses.replace(context, messages=messages,
                                   meta={**context.meta, "agent": spec.name,
                                         "allowed_tools": allowed})


def _new_compactions(before: Context, after: Context) -> list[dict[str, Any]]:
    """The ``context_compacted`` records of a rebuild, minus what ``before`` records already."""
    seen: set[int] = set()
    for ev in before.meta.get("events", ()):
        if ev.type == "context_compacted":
            seen.update(int(s) for s in [*ev.data.get("dropped", []), *ev.data.get("brief", [])])
    out: list[dict[str, Any]] = []
    for ev in after.meta.get("events", ()):
        if ev.type != "context_compacted":
            continue
        dropped = [s for s in ev.data.get("dropped", []) if int(s) not in seen]
        brief = [s for s in ev.data.get("brief", []) if int(s) not in seen]
        if dropped or brief:
            out.append({"type": "context_compacted",
                        "data": {**ev.data, "dropped": dropped, "brief": brief}})
    return out
