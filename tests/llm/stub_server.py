"""A local HTTP stub of the OpenAI chat-completions and Anthropic Messages APIs (no network).

Tests script one reply per request (a body, a status with headers, a delay) and read back the
requests the client sent. Like the real services, the stub rejects a request whose shape is
wrong (unpaired tool calls, roles out of order, malformed tools) with a 400, so a test that
passes against it exercises the real wire format, not just our own idea of it.

    with StubServer([openai_tool_call("echo", {"x": 3}), openai_text("x is 3")]) as stub:
        decider = OpenAIDecider("m", base_url=stub.url + "/v1")
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

NAME_RE = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclass
class Reply:
    """One scripted reply; ``delay`` (seconds) is waited before anything is sent."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: Any
    at: float

    @property
    def text(self) -> str:
        """The whole body as text, for 'does the next request contain the error' checks."""
        return json.dumps(self.body)


Script = Reply | dict[str, Any] | Callable[[Request], "Reply | dict[str, Any]"]


# -- OpenAI chat completions ------------------------------------------------------------------
def _openai(message: dict[str, Any], finish: str, usage: tuple[int, int]) -> dict[str, Any]:
    return {"id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()),
            "model": "stub-model",
            "choices": [{"index": 0, "message": {"role": "assistant", **message},
                         "finish_reason": finish}],
            "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1],
                      "total_tokens": usage[0] + usage[1]}}


def openai_tool_call(name: str, args: dict[str, Any] | str, *, call_id: str = "call_stub1",
                     content: str | None = None, usage: tuple[int, int] = (50, 10),
                     extra_calls: int = 0) -> dict[str, Any]:
    """A reply with one native tool call; ``args`` as a str is sent verbatim (may be bad)."""
    raw = args if isinstance(args, str) else json.dumps(args)
    calls = [{"id": f"{call_id}_{i}" if i else call_id, "type": "function",
              "function": {"name": name, "arguments": raw}} for i in range(1 + extra_calls)]
    return _openai({"content": content, "tool_calls": calls}, "tool_calls", usage)


def openai_text(text: str, *, usage: tuple[int, int] = (60, 20),
                finish: str = "stop") -> dict[str, Any]:
    return _openai({"content": text}, finish, usage)


def openai_refusal(text: str, *, usage: tuple[int, int] = (40, 8)) -> dict[str, Any]:
    return _openai({"content": None, "refusal": text}, "stop", usage)


def openai_error(status: int, message: str, *, headers: dict[str, str] | None = None,
                 kind: str = "invalid_request_error", delay: float = 0.0) -> Reply:
    return Reply({"error": {"message": message, "type": kind, "param": None, "code": None}},
                 status, headers or {}, delay)


# -- Anthropic Messages -----------------------------------------------------------------------
def _anthropic(content: list[dict[str, Any]], stop: str,
               usage: tuple[int, int]) -> dict[str, Any]:
    return {"id": "msg_stub", "type": "message", "role": "assistant", "model": "stub-model",
            "content": content, "stop_reason": stop, "stop_sequence": None,
            "usage": {"input_tokens": usage[0], "output_tokens": usage[1]}}


def anthropic_tool_use(name: str, args: Any, *, call_id: str = "toolu_stub1",
                       text: str | None = None,
                       usage: tuple[int, int] = (70, 12)) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    blocks.append({"type": "tool_use", "id": call_id, "name": name, "input": args})
    return _anthropic(blocks, "tool_use", usage)


def anthropic_text(text: str, *, usage: tuple[int, int] = (80, 25),
                   stop: str = "end_turn") -> dict[str, Any]:
    return _anthropic([{"type": "text", "text": text}], stop, usage)


def anthropic_refusal(text: str = "", *, usage: tuple[int, int] = (30, 5)) -> dict[str, Any]:
    return _anthropic([{"type": "text", "text": text}] if text else [], "refusal", usage)


def anthropic_error(status: int, message: str, *, headers: dict[str, str] | None = None,
                    kind: str = "invalid_request_error", delay: float = 0.0) -> Reply:
    return Reply({"type": "error", "error": {"type": kind, "message": message}}, status,
                 headers or {}, delay)


# -- request checks, as strict as the real services -------------------------------------------
def check_openai(body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("model"), str):
        return "model: field required"
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        return "messages: must be a non-empty array"
    open_ids: set[str] = set()
    for i, m in enumerate(msgs):
        role = m.get("role")
        if role not in ("system", "developer", "user", "assistant", "tool"):
            return f"messages[{i}].role: invalid role {role!r}"
        if role == "tool":
            cid = m.get("tool_call_id")
            if cid not in open_ids:
                return (f"messages[{i}]: messages with role 'tool' must be a response to a "
                        f"preceding message with 'tool_calls' (tool_call_id {cid!r})")
            open_ids.discard(cid)
            if not isinstance(m.get("content"), str):
                return f"messages[{i}].content: must be a string"
            continue
        if open_ids:
            return (f"messages[{i}]: an assistant message with 'tool_calls' must be followed by "
                    f"tool messages responding to each 'tool_call_id': {sorted(open_ids)}")
        if role == "assistant" and m.get("tool_calls"):
            for c in m["tool_calls"]:
                fn = c.get("function", {})
                if c.get("type") != "function" or not isinstance(fn.get("arguments"), str):
                    return f"messages[{i}].tool_calls: malformed tool call {c!r}"
                open_ids.add(c.get("id"))
        elif not isinstance(m.get("content"), str):
            return f"messages[{i}].content: must be a string"
    if open_ids:
        return f"tool calls without responses: {sorted(open_ids)}"
    for j, t in enumerate(body.get("tools") or []):
        fn = t.get("function", {}) if isinstance(t, dict) else {}
        if t.get("type") != "function" or not NAME_RE.match(str(fn.get("name", ""))):
            return f"tools[{j}]: invalid function tool"
        if not isinstance(fn.get("parameters", {}), dict):
            return f"tools[{j}].function.parameters: must be an object"
    if "parallel_tool_calls" in body and not body.get("tools"):
        return "parallel_tool_calls is only allowed when 'tools' are specified"
    return None


def check_anthropic(body: Any, headers: dict[str, str]) -> str | None:
    if "anthropic-version" not in headers:
        return "anthropic-version: header is required"
    if not isinstance(body, dict) or not isinstance(body.get("model"), str):
        return "model: Field required"
    if not isinstance(body.get("max_tokens"), int):
        return "max_tokens: Field required"
    if "system" in body and not isinstance(body["system"], str | list):
        return "system: Input should be a valid string or list"
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        return "messages: at least one message is required"
    if msgs[0].get("role") != "user":
        return "messages: first message must use the 'user' role"
    prev_uses: set[str] = set()
    for i, m in enumerate(msgs):
        role = m.get("role")
        if role not in ("user", "assistant"):
            return f"messages.{i}.role: Input should be 'user' or 'assistant'"
        if i and msgs[i - 1].get("role") == role:
            return f"messages.{i}: roles must alternate between 'user' and 'assistant'"
        blocks = m.get("content")
        if isinstance(blocks, str):
            blocks = [{"type": "text", "text": blocks}]
        if not isinstance(blocks, list) or not blocks:
            return f"messages.{i}: content must be non-empty"
        results = [b.get("tool_use_id") for b in blocks if b.get("type") == "tool_result"]
        if role == "user":
            if prev_uses and set(results) != prev_uses:
                return (f"messages.{i}: `tool_use` ids were found without `tool_result` blocks "
                        f"immediately after: {sorted(prev_uses - set(results))}")
            if any(r not in prev_uses for r in results):
                return f"messages.{i}: unexpected `tool_use_id` found in `tool_result` blocks"
            n = len(results)
            if any(b.get("type") == "tool_result" for b in blocks[n:]):
                return f"messages.{i}: tool_result blocks must come first"
        for b in blocks:
            if b.get("type") == "text" and not str(b.get("text", "")).strip():
                return f"messages.{i}: text content blocks must be non-empty"
            if b.get("type") == "tool_use" and not isinstance(b.get("input"), dict):
                return f"messages.{i}: tool_use.input must be an object"
        prev_uses = ({b.get("id") for b in blocks if b.get("type") == "tool_use"}
                     if role == "assistant" else set())
    if prev_uses:
        return "the last assistant message has `tool_use` blocks without results"
    for j, t in enumerate(body.get("tools") or []):
        if not NAME_RE.match(str(t.get("name", ""))) or not isinstance(t.get("input_schema"),
                                                                       dict):
            return f"tools.{j}: invalid tool"
    return None


class StubServer:
    """Serves scripted replies on 127.0.0.1 at a free port, in a daemon thread."""

    def __init__(self, script: list[Script] | None = None) -> None:
        self.script: list[Script] = list(script or [])
        self.requests: list[Request] = []
        self.rejected: list[str] = []  # wire-format violations the stub answered with 400
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def push(self, *replies: Script) -> None:
        with self._lock:
            self.script.extend(replies)

    def start(self) -> StubServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, req: Request) -> Reply:
        with self._lock:
            self.requests.append(req)
            if req.path.endswith("/chat/completions"):
                problem = check_openai(req.body)
            elif req.path.endswith("/v1/messages"):
                problem = check_anthropic(req.body, req.headers)
            else:
                return Reply({"error": {"message": f"stub: no route {req.path}"}}, 404)
            if problem:
                self.rejected.append(problem)
                return Reply({"error": {"message": problem, "type": "invalid_request_error"}},
                             400)
            if not self.script:
                return Reply({"error": {"message": f"stub: no scripted reply left for request "
                                        f"{len(self.requests)}", "type": "stub_exhausted"}}, 418)
            item = self.script.pop(0)
        if callable(item):
            item = item(req)
        return item if isinstance(item, Reply) else Reply(item)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                try:
                    body = json.loads(raw) if raw else None
                except json.JSONDecodeError:
                    body = raw.decode(errors="replace")
                req = Request(self.path, {k.lower(): v for k, v in self.headers.items()},
                              body, time.monotonic())
                reply = stub._next(req)
                if reply.delay and stub._stop.wait(reply.delay):
                    return
                payload = (reply.body if isinstance(reply.body, bytes | str)
                           else json.dumps(reply.body))
                data = payload.encode() if isinstance(payload, str) else payload
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        return Handler


# -- a small agent loop around any decider, for the provider tests ----------------------------
def echo_registry() -> Any:
    """A registry with one real tool: ``echo(x: int)`` → ``x=<x>``."""
    from pydantic import BaseModel

    from fluxagent.tools.registry import Registry
    from fluxagent.tools.results import ToolResult

    class EchoArgs(BaseModel):
        x: int

    reg = Registry()

    @reg.tool("echo", "Echo the integer x back.", EchoArgs)
    def echo(args: EchoArgs, ctx: Any) -> ToolResult:
        return ToolResult(tool="echo", summary=f"x={args.x}", data={"x": args.x})

    return reg


def make_runner(decider: Any, registry: Any = None, *, store: Any = None,
                tool_context: Any = None) -> Any:
    """A LocalRunner with an in-memory store, the default context manager and no approvals."""
    from fluxagent.context.manager import ContextManager
    from fluxagent.human.approvals import NO_APPROVALS
    from fluxagent.runtime.local import LocalRunner
    from fluxagent.store.memory import MemoryStore
    from fluxagent.tools.registry import ToolContext

    cm = ContextManager()
    return LocalRunner(
        store=store or MemoryStore(), decider=decider, registry=registry or echo_registry(),
        context=lambda t, s: cm.build(t, s, "You are fluxagent, a metabolic modeling agent."),
        tool_context=tool_context or (lambda t, s: ToolContext(session_id=t.session_id,
                                                               state=s)),
        policy=NO_APPROVALS)


#: Events the context manager or flows add on their own; provider tests look past them.
HOUSEKEEPING = frozenset({"context_compacted", "annotation", "flow_transition"})


def story(runner: Any, session_id: str) -> list[Any]:
    """A session's events without housekeeping: what was asked, called, returned, answered."""
    return [e for e in runner.store.load(session_id) if e.type not in HOUSEKEEPING]
