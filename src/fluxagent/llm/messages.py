"""Provider-neutral preparation of ``Context.messages`` for a chat API, and reply helpers.

``Context.messages`` comes from the context manager: roles system/user/assistant/tool, an
assistant message may carry ``tool_call`` {id, name, args}, a tool message ``tool_call_id``.
Chat APIs are strict about pairing: every assistant tool call must be answered by exactly one
tool message with its id, and a tool message must answer a call. A thread does not always
look like that (a decider error has no call, a rejected call has no result), so ``normalize``
repairs the sequence: an orphan tool message becomes a user message, an unanswered call gets
a short synthetic result. Both provider modules translate the normalized list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step, Usage
from fluxagent.llm.base import DeciderError
from fluxagent.llm.http import extract_usage

NOT_RUN = "(no result: this call was not run)"


class ReplyError(DeciderError):
    """A reply that cannot become a step (bad arguments, empty, malformed), with the tokens it
    cost: the request was billed even though no step came of it."""

    def __init__(self, message: str, *, kind: str = "provider_error", retryable: bool = True,
                 usage: Usage | None = None) -> None:
        super().__init__(message, kind=kind, retryable=retryable, usage=usage)


def with_usage(exc: DeciderError, usage: Usage) -> ReplyError:
    return ReplyError(str(exc), kind=exc.kind, retryable=exc.retryable, usage=usage)


@dataclass(frozen=True)
class Msg:
    """One normalized message."""

    role: str  # system | user | assistant | tool
    content: str = ""
    call_id: str = ""  # assistant: the call it makes; tool: the call it answers
    name: str = ""  # assistant/tool: the tool's name
    args: dict[str, Any] | None = None  # assistant: the call's arguments


def _text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts from a richer context manager
        return "\n".join(str(p.get("text", "")) if isinstance(p, dict) else str(p)
                         for p in content)
    return str(content)


def _auto_rendered(content: str, name: str) -> bool:
    """The renderer writes ``call name({...})`` for a call; a chat API wants just the call."""
    return content.strip().startswith(f"call {name}(")


def normalize(messages: list[dict[str, Any]]) -> list[Msg]:
    """Pair calls with results; turn orphans into text. Deterministic for the same input."""
    out: list[Msg] = []
    open_call: Msg | None = None
    n_calls = 0
    for m in messages:
        role = str(m.get("role", "user"))
        content = _text(m.get("content"))
        if role == "tool":
            cid = m.get("tool_call_id")
            if open_call is not None and (cid is None or cid == open_call.call_id):
                out.append(Msg("tool", content or "(empty result)", open_call.call_id,
                               open_call.name))
                open_call = None
            else:
                out.append(Msg("user", content))
            continue
        if open_call is not None:  # the previous call got no result
            out.append(Msg("tool", NOT_RUN, open_call.call_id, open_call.name))
            open_call = None
        call = m.get("tool_call")
        if role == "assistant" and isinstance(call, dict) and call.get("name"):
            n_calls += 1
            name = str(call["name"])
            cid = str(call.get("id") or f"call_{n_calls}")
            args = call.get("args")
            text = "" if _auto_rendered(content, name) else content
            open_call = Msg("assistant", text, cid, name,
                            dict(args) if isinstance(args, dict) else {})
            out.append(open_call)
        elif role in ("system", "user", "assistant"):
            out.append(Msg(role, content))
        else:  # an unknown role from a future context manager: keep its text
            out.append(Msg("user", content))
    if open_call is not None:
        out.append(Msg("tool", NOT_RUN, open_call.call_id, open_call.name))
    return out


def parse_arguments(raw: Any, tool: str) -> dict[str, Any]:
    """A tool call's arguments as a dict, or ``DeciderError(kind="bad_arguments")``.

    Unparsable JSON cannot become a ``ToolCall`` (an arguments model whose fields are all
    optional would accept ``{}`` and run with defaults the model never chose). The error is
    recorded by the runner as a ``tool_error`` event that the model reads on its next turn,
    with the raw text, so it can correct itself. Arguments that parse but do not fit the
    tool's schema are returned as they are; the registry's validation turns them into a
    ``bad_arguments`` error tied to the call.
    """
    if raw is None or raw == "":
        return {}
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DeciderError(
                f"the arguments of your call to {tool} are not valid JSON ({exc.msg} at "
                f"character {exc.pos}): {raw[:300]!r}. Call {tool} again with a JSON object "
                "that fits its schema", kind="bad_arguments", retryable=False) from None
        if isinstance(parsed, dict):
            return parsed
        raw = parsed
    raise DeciderError(f"the arguments of your call to {tool} must be a JSON object, not "
                       f"{type(raw).__name__}: {str(raw)[:200]!r}", kind="bad_arguments",
                       retryable=False)


def tool_names(context: Context, tools: list[dict[str, Any]]) -> set[str]:
    """The tools a reply may call: those offered plus the router's selection (more_tools)."""
    return {str(t["name"]) for t in [*tools, *context.meta.get("schemas", ())]}


def call_in_text(content: str, tool_names: set[str]) -> tuple[str, Any] | None:
    """A tool call a small local model wrote as JSON text instead of a native call.

    Only a reply that is entirely one JSON object naming a known tool counts.
    """
    text = content.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(obj, dict) or obj.get("name") not in tool_names:
        return None
    args = obj.get("arguments", obj.get("parameters", {}))
    return str(obj["name"]), args


def refusal(provider: str, text: str, usage: Usage) -> Done:
    """A model's refusal ends the turn with a plain statement, never a made-up result.

    Asking a person instead would stall the session on a question the person cannot fix; the
    user can rephrase and ask again in the same session.
    """
    reason = text.strip() or "no reason given"
    return Done(answer=f"The language model declined to answer this request ({provider} "
                       f"refusal): {reason}", data={"refusal": True, "provider": provider},
                usage=usage, rationale="refusal")


class ReplyParser:
    """What the wire-format deciders share: a reply that yields no step still carries its token
    cost, and some servers answer errors with HTTP 200 and an ``error`` body."""

    name: str

    def _parse(self, reply: dict[str, Any], tool_names: set[str], usage: Usage) -> Step:
        raise NotImplementedError

    def parse(self, reply: dict[str, Any], tool_names: set[str]) -> Step:
        usage = extract_usage(reply)
        try:
            if isinstance(reply.get("error"), dict | str):
                err = reply["error"]
                text = err.get("message", err) if isinstance(err, dict) else err
                raise DeciderError(f"{self.name}: {text}", retryable=False)
            return self._parse(reply, tool_names, usage)
        except DeciderError as exc:
            raise with_usage(exc, usage) from None
