"""The runner's telemetry hooks: each updates the metrics, the trace and the log context.

A runner calls them around what it does (``runtime/local.py``; the Temporal activities can
call the same ones):

- ``session(session_id)`` around a run: the ``invoke_agent`` span, the session id bound
  for the logs; ``step(action)`` inside it opens one span per loop step (the previous step's
  span ends), so decider and tool spans are children of the step that made them;
- ``decision(decider, prompt)`` around a decider call: the ``chat`` span with the GenAI
  usage attributes, the latency histogram, tokens by prompt version;
- ``tool(name, call_id)`` around a tool execution: the ``execute_tool`` span, latency;
- ``appended(session_id, events)`` after each append: events, errors by kind, ends.

Names and attributes follow the OpenTelemetry GenAI semantic conventions
(``gen_ai.operation.name``, ``gen_ai.request.model``, ``gen_ai.usage.input_tokens``, ...).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from fluxagent.observability import logs, metrics, tracing

log = logging.getLogger("fluxagent.session")
AGENT = "fluxagent"


@dataclass
class _Steps:
    session_id: str
    count: int = 0
    span: Span | None = None
    token: object | None = None

    def close(self, exc: BaseException | None = None) -> None:
        if self.span is None:
            return
        if exc is not None:
            self.span.record_exception(exc)
            self.span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
        otel_context.detach(self.token)  # type: ignore[arg-type]
        self.span.end()
        self.span = self.token = None


_steps: ContextVar[_Steps | None] = ContextVar("fluxagent_steps", default=None)


@contextmanager
def session(session_id: str) -> Iterator[None]:
    """One run of the loop on ``session_id`` (re-entrant: a nested run is a child span)."""
    attrs = {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": AGENT,
             "gen_ai.conversation.id": session_id}
    with logs.bound(session_id=session_id), tracing.tracer().start_as_current_span(
            f"invoke_agent {AGENT}", kind=SpanKind.INTERNAL, attributes=attrs):
        steps = _Steps(session_id)
        token = _steps.set(steps)
        try:
            yield
        except BaseException as exc:
            steps.close(exc)
            raise
        finally:
            steps.close()
            _steps.reset(token)


def step(action: str) -> None:
    """The loop starts its next step (``decide``, ``execute``, ``request_approval``)."""
    metrics.STEPS.labels(action).inc()
    steps = _steps.get()
    if steps is None:
        return
    steps.close()
    steps.count += 1
    steps.span = tracing.tracer().start_span(
        f"step {action}", attributes={"fluxagent.step.action": action,
                                      "fluxagent.step.index": steps.count,
                                      "gen_ai.conversation.id": steps.session_id})
    steps.token = otel_context.attach(trace.set_span_in_context(steps.span))


def _provider(decider: str) -> str:
    head = decider.split(":", 1)[0]
    return head if head in ("openai", "anthropic") else AGENT


@contextmanager
def decision(decider: str, prompt: dict[str, Any] | None = None
             ) -> Iterator[Callable[[Any], None]]:
    """Around ``decider.next_step``; call the yielded ``note(step)`` with its step."""
    prompt = prompt or {}
    name, version = str(prompt.get("name", "")), str(prompt.get("version", ""))
    attrs = {"gen_ai.operation.name": "chat", "gen_ai.request.model": decider,
             "gen_ai.provider.name": _provider(decider)}
    if name:
        attrs.update({"fluxagent.prompt.name": name, "fluxagent.prompt.version": version})
    outcome = ["error", decider]  # outcome, and who decided (a router names its decider)
    started = time.perf_counter()
    with tracing.tracer().start_as_current_span(f"chat {decider}", kind=SpanKind.CLIENT,
                                                attributes=attrs) as span:
        def usage(used: Any) -> None:
            prompt_tokens = int(getattr(used, "prompt_tokens", 0) or 0)
            completion_tokens = int(getattr(used, "completion_tokens", 0) or 0)
            span.set_attribute("gen_ai.usage.input_tokens", prompt_tokens)
            span.set_attribute("gen_ai.usage.output_tokens", completion_tokens)
            metrics.TOKENS.labels(name, version, "input").inc(prompt_tokens)
            metrics.TOKENS.labels(name, version, "output").inc(completion_tokens)

        def note(made: Any) -> None:
            outcome[:] = ["ok", str(made.by or decider)]
            usage(made.usage)
            span.set_attribute("gen_ai.response.model", outcome[1])
            span.set_attribute("fluxagent.step.kind", type(made).__name__)
            if getattr(made, "name", None) and type(made).__name__ == "ToolCall":
                span.set_attribute("gen_ai.tool.name", str(made.name))

        try:
            yield note
        except Exception as exc:
            kind = str(getattr(exc, "kind", "") or type(exc).__name__)
            span.set_attribute("error.type", kind)
            if getattr(exc, "usage", None) is not None:
                usage(exc.usage)  # type: ignore[attr-defined]
            raise
        finally:
            metrics.DECIDER_SECONDS.labels(outcome[1], outcome[0]).observe(
                time.perf_counter() - started)


@contextmanager
def tool(name: str, call_id: str | None) -> Iterator[Callable[[Any], None]]:
    """Around one tool execution; call the yielded ``note(outcome)`` with its
    ToolResult or ToolError."""
    attrs = {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name,
             "gen_ai.tool.type": "function"}
    if call_id:
        attrs["gen_ai.tool.call.id"] = call_id
    outcome = ["error"]
    started = time.perf_counter()
    with tracing.tracer().start_as_current_span(f"execute_tool {name}",
                                                kind=SpanKind.INTERNAL,
                                                attributes=attrs) as span:
        def note(result: Any) -> None:
            if getattr(result, "ok", False):
                outcome[0] = "ok"
                return
            kind = str(getattr(result, "kind", "internal"))
            span.set_attribute("error.type", kind)
            span.set_status(Status(StatusCode.ERROR, kind))

        try:
            yield note
        finally:
            metrics.TOOL_SECONDS.labels(name, outcome[0]).observe(
                time.perf_counter() - started)


def _source(tool_name: str) -> str:
    if tool_name.startswith("decider:"):
        return "decider"
    return "context" if tool_name == "context" else "tool"


def appended(session_id: str, events: Sequence[Any]) -> None:
    """Count what was stored, and log one structured line per event."""
    for ev in events:
        metrics.EVENTS.labels(ev.type).inc()
        fields: dict[str, Any] = {"event_type": ev.type, "seq": ev.seq}
        if ev.call_id:
            fields["call_id"] = ev.call_id
        if ev.type == "tool_error":
            kind = str(ev.data.get("kind", "internal"))
            metrics.ERRORS.labels(kind, _source(str(ev.data.get("tool", "")))).inc()
            fields["error_kind"] = kind
        elif ev.type == "final_answer":
            metrics.SESSIONS_ENDED.labels("done").inc()
        elif ev.type == "session_failed":
            metrics.SESSIONS_ENDED.labels("failed").inc()
        if ev.type in ("tool_call", "tool_result", "tool_error"):
            fields["tool"] = str(ev.data.get("name") or ev.data.get("tool") or "")
        with logs.bound(session_id=session_id):
            log.info("%s #%d", ev.type, ev.seq, extra=fields)
