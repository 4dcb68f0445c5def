"""Any OpenAI-compatible chat-completions server as a decider (OpenAI, Ollama, vLLM, llama.cpp).

One request per decision with native tool calling. The reply becomes a ``Step``:
- a tool call → ``ToolCall(name, args)``; arguments that are not JSON raise
  ``DeciderError(kind="bad_arguments")``, which the runner records as an error event the model
  reads next turn; arguments of the wrong shape go to the registry, whose validation error is
  tied to the call (see ``messages.parse_arguments``);
- plain text → ``Done(answer)``;
- a refusal (``message.refusal`` or ``finish_reason == "content_filter"``) → ``Done`` with a
  plain statement that the model declined (``messages.refusal``).
Token usage of the request is attached to the step.
"""

from __future__ import annotations

import json
import os
from typing import Any

from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step, ToolCall, Usage
from fluxagent.llm.base import DeciderError
from fluxagent.llm.http import Transport
from fluxagent.llm.messages import (
    Msg,
    ReplyParser,
    call_in_text,
    normalize,
    parse_arguments,
    refusal,
    tool_names,
)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
#: Request parameters some servers or models reject (reasoning models and temperature, older
#: local servers and parallel_tool_calls): dropped after a 400 that names them.
OPTIONAL = ("temperature", "parallel_tool_calls")


def to_wire(msgs: list[Msg]) -> list[dict[str, Any]]:
    """Normalized messages as chat-completions messages."""
    wire: list[dict[str, Any]] = []
    for m in msgs:
        if m.role == "assistant" and m.call_id:
            wire.append({"role": "assistant", "content": m.content or None,
                         "tool_calls": [{"id": m.call_id, "type": "function",
                                         "function": {"name": m.name,
                                                      "arguments": _dumps(m.args or {})}}]})
        elif m.role == "tool":
            wire.append({"role": "tool", "tool_call_id": m.call_id, "content": m.content})
        else:
            wire.append({"role": m.role, "content": m.content})
    return wire


def tools_to_wire(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Registry specs {name, description, parameters} as chat-completions functions."""
    return [{"type": "function",
             "function": {"name": t["name"], "description": t.get("description", ""),
                          "parameters": t.get("parameters") or {"type": "object",
                                                                "properties": {}}}}
            for t in tools]


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), sort_keys=True)


class OpenAIDecider(ReplyParser):
    """A decider backed by ``POST {base_url}/chat/completions``."""

    #: The router sends it only the schemas a step needs, inside the context budget.
    sends_schemas = True

    def __init__(self, model: str, base_url: str = "", api_key: str = "",
                 timeout: float = 60.0, max_retries: int = 3, *,
                 temperature: float | None = 0.0,
                 max_tokens: int | None = None, parallel_tool_calls: bool | None = False,
                 transport: Transport | None = None, name: str = "openai") -> None:
        self.model, self.name = model, name
        self.temperature, self.max_tokens = temperature, max_tokens
        self.parallel_tool_calls = parallel_tool_calls
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.transport = transport or Transport(base_url or DEFAULT_BASE_URL, headers=headers,
                                                timeout=timeout, max_retries=max_retries,
                                                provider=f"{name}:{model}")

    def request(self, context: Context, tools: list[dict[str, Any]]) -> dict[str, Any]:
        """The request body for this context (public so tests and cassettes can inspect it)."""
        body: dict[str, Any] = {"model": self.model,
                                "messages": to_wire(normalize(context.messages))}
        if self.temperature is not None:
            body["temperature"] = self.temperature
        sent = context.meta.get("schemas") or tools  # the router's selection, if any
        if sent:
            body["tools"] = tools_to_wire(sent)
            body["tool_choice"] = "auto"
            if self.parallel_tool_calls is not None:
                body["parallel_tool_calls"] = self.parallel_tool_calls
        if self.max_tokens:
            body["max_tokens"] = self.max_tokens
        return body

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        body = self.request(context, tools)
        try:
            reply = self.transport.post("/chat/completions", body)
        except DeciderError as exc:
            dropped = self._unsupported(exc, body)
            if not dropped:
                raise
            for key in dropped:  # e.g. reasoning models refuse temperature=0; ask without it
                body.pop(key)
            reply = self.transport.post("/chat/completions", body)
        return self.parse(reply, tool_names(context, tools))

    def _unsupported(self, exc: DeciderError, body: dict[str, Any]) -> list[str]:
        """Optional parameters a server rejected with a 400; they are not sent again."""
        msg = str(exc)
        if exc.retryable or "HTTP 400" not in msg:
            return []
        keys = [k for k in OPTIONAL if k in body and k in msg]
        for key in keys:
            if key == "temperature":
                self.temperature = None
            elif key == "parallel_tool_calls":
                self.parallel_tool_calls = None
        return keys

    def _parse(self, reply: dict[str, Any], tool_names: set[str], usage: Usage) -> Step:
        choices = reply.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise DeciderError(f"{self.name}: the reply has no choices: {str(reply)[:200]}",
                               retryable=True)
        choice = choices[0]
        message = choice.get("message") or {}
        finish = choice.get("finish_reason")
        content = message.get("content") or ""
        if not isinstance(content, str):
            content = str(content)
        if message.get("refusal"):
            return refusal(self.name, str(message["refusal"]), usage)
        calls = message.get("tool_calls") or []
        if calls:
            first = calls[0]
            fn = first.get("function") or {}
            name = str(fn.get("name") or "")
            if not name:
                raise DeciderError(f"{self.name}: a tool call without a function name",
                                   kind="bad_arguments", retryable=False)
            args = parse_arguments(fn.get("arguments"), name)
            note = content.strip()
            if len(calls) > 1:
                note = (note + " " if note else "") + \
                    f"(proposed {len(calls)} calls in one reply; ran the first)"
            return ToolCall(name=name, args=args, usage=usage, rationale=note)
        if finish == "content_filter":
            return refusal(self.name, content or "the provider's content filter stopped "
                           "the reply", usage)
        in_text = call_in_text(content, tool_names) if tool_names else None
        if in_text is not None:
            name, raw = in_text
            return ToolCall(name=name, args=parse_arguments(raw, name), usage=usage,
                            rationale="tool call written as text")
        if not content.strip():
            why = "it ran out of tokens" if finish == "length" else f"finish_reason={finish}"
            raise DeciderError(f"{self.name}: the model returned an empty reply ({why})",
                               retryable=True)
        return Done(answer=content.strip(), usage=usage,
                    rationale="cut off at the token limit" if finish == "length" else "")


def make(model: str, settings: Any) -> OpenAIDecider:
    """Build from settings (used by ``providers.make_provider``)."""
    key = settings.llm_api_key or os.environ.get("OPENAI_API_KEY", "")
    return OpenAIDecider(model, settings.llm_base_url or DEFAULT_BASE_URL, key,
                         settings.llm_timeout_s, settings.llm_max_retries)


__all__ = ["DEFAULT_BASE_URL", "OpenAIDecider", "make", "to_wire", "tools_to_wire"]
