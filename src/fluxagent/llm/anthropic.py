"""The Anthropic Messages API as a decider (tool use).

The system prompt travels separately; a call is an assistant ``tool_use`` block and its result
a user ``tool_result`` block with the same id; consecutive messages of one role are merged
because the API wants user and assistant to alternate. The reply maps to a ``Step`` exactly as
in ``openai.py``: ``tool_use`` → ``ToolCall``, text → ``Done``, ``stop_reason == "refusal"`` →
``Done`` stating the refusal; ``usage`` (input + cache tokens, output tokens) goes on the step.
"""

from __future__ import annotations

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

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"


def _block(m: Msg) -> list[dict[str, Any]]:
    if m.role == "tool":
        block: dict[str, Any] = {"type": "tool_result", "tool_use_id": m.call_id,
                                 "content": m.content}
        if m.content.startswith("ERROR"):
            block["is_error"] = True
        return [block]
    blocks: list[dict[str, Any]] = []
    if m.content.strip():
        blocks.append({"type": "text", "text": m.content})
    if m.role == "assistant" and m.call_id:
        blocks.append({"type": "tool_use", "id": m.call_id, "name": m.name,
                       "input": m.args or {}})
    return blocks


def to_wire(msgs: list[Msg]) -> tuple[str, list[dict[str, Any]]]:
    """Normalized messages as (system, Messages API messages)."""
    system = "\n\n".join(m.content for m in msgs if m.role == "system" and m.content.strip())
    wire: list[dict[str, Any]] = []
    for m in msgs:
        if m.role == "system":
            continue
        role = "assistant" if m.role == "assistant" else "user"
        blocks = _block(m)
        if not blocks:
            continue
        if wire and wire[-1]["role"] == role:
            prev = wire[-1]["content"]
            # tool results must come first in a user message that answers a tool_use
            if blocks[0]["type"] == "tool_result":
                results = [b for b in prev if b["type"] == "tool_result"]
                others = [b for b in prev if b["type"] != "tool_result"]
                wire[-1]["content"] = results + blocks + others
            else:
                prev.extend(blocks)
        else:
            wire.append({"role": role, "content": blocks})
    if not wire or wire[0]["role"] != "user":
        wire.insert(0, {"role": "user", "content": [{"type": "text", "text": "(session start)"}]})
    return system, wire


def tools_to_wire(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Registry specs as Messages API tools."""
    return [{"name": t["name"], "description": t.get("description", ""),
             "input_schema": t.get("parameters") or {"type": "object", "properties": {}}}
            for t in tools]


class AnthropicDecider(ReplyParser):
    """A decider backed by ``POST {base_url}/v1/messages``."""

    #: The router sends it only the schemas a step needs, inside the context budget.
    sends_schemas = True

    def __init__(self, model: str, base_url: str = "", api_key: str = "",
                 timeout: float = 60.0, max_retries: int = 3, *, max_tokens: int = 4096,
                 temperature: float = 0.0, transport: Transport | None = None,
                 name: str = "anthropic") -> None:
        self.model, self.name = model, name
        self.max_tokens, self.temperature = max_tokens, temperature
        headers = {"anthropic-version": API_VERSION, "content-type": "application/json"}
        if api_key:
            headers["x-api-key"] = api_key
        base = (base_url or DEFAULT_BASE_URL).rstrip("/").removesuffix("/v1")
        self.transport = transport or Transport(base, headers=headers,
                                                timeout=timeout, max_retries=max_retries,
                                                provider=f"{name}:{model}")

    def request(self, context: Context, tools: list[dict[str, Any]]) -> dict[str, Any]:
        system, messages = to_wire(normalize(context.messages))
        body: dict[str, Any] = {"model": self.model, "max_tokens": self.max_tokens,
                                "messages": messages, "temperature": self.temperature}
        if system:
            body["system"] = system
        sent = context.meta.get("schemas") or tools  # the router's selection, if any
        if sent:
            body["tools"] = tools_to_wire(sent)
            body["tool_choice"] = {"type": "auto", "disable_parallel_tool_use": True}
        return body

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        reply = self.transport.post("/v1/messages", self.request(context, tools))
        return self.parse(reply, tool_names(context, tools))

    def _parse(self, reply: dict[str, Any], tool_names: set[str], usage: Usage) -> Step:
        blocks = reply.get("content")
        if not isinstance(blocks, list):
            raise DeciderError(f"{self.name}: the reply has no content: {str(reply)[:200]}",
                               retryable=True)
        stop = reply.get("stop_reason")
        text = "\n".join(str(b.get("text", "")) for b in blocks
                         if isinstance(b, dict) and b.get("type") == "text").strip()
        if stop == "refusal":
            return refusal(self.name, text, usage)
        uses = [b for b in blocks if isinstance(b, dict) and b.get("type") == "tool_use"]
        if uses:
            name = str(uses[0].get("name") or "")
            if not name:
                raise DeciderError(f"{self.name}: a tool_use block without a name",
                                   kind="bad_arguments", retryable=False)
            args = parse_arguments(uses[0].get("input"), name)
            note = text
            if len(uses) > 1:
                note = (note + " " if note else "") + \
                    f"(proposed {len(uses)} calls in one reply; ran the first)"
            return ToolCall(name=name, args=args, usage=usage, rationale=note)
        in_text = call_in_text(text, tool_names) if tool_names else None
        if in_text is not None:
            name, raw = in_text
            return ToolCall(name=name, args=parse_arguments(raw, name), usage=usage,
                            rationale="tool call written as text")
        if not text:
            why = "it ran out of tokens" if stop == "max_tokens" else f"stop_reason={stop}"
            raise DeciderError(f"{self.name}: the model returned an empty reply ({why})",
                               retryable=True)
        return Done(answer=text, usage=usage,
                    rationale="cut off at the token limit" if stop == "max_tokens" else "")


def make(model: str, settings: Any) -> AnthropicDecider:
    """Build from settings (used by ``providers.make_provider``)."""
    key = settings.llm_api_key or os.environ.get("ANTHROPIC_API_KEY", "")
    return AnthropicDecider(model, settings.llm_base_url or DEFAULT_BASE_URL, key,
                            settings.llm_timeout_s, settings.llm_max_retries)
