"""``fluxagent mcp``: the agent as an MCP server (stdio and Streamable HTTP, official SDK).

Tools: every registry tool with its JSON Schema (long ones report progress), plus the session
operations (``session_ask``, ``session_get``, ``session_respond``, ``session_approve``,
``session_reject``, ``session_run_flow``). Resources: models, sessions and artifacts (SVG
plots, CSV tables); prompts: the flows (``mcp_content.py``). Nothing here decides anything:
tools run through ``runtime/direct.py`` (which keeps the approval policy: a gated tool returns
"waiting for approval" with its session id and never runs unapproved) and sessions through
``runtime/sessions.py``. Blocking work runs in one worker thread at a time, like one runner.
"""

from __future__ import annotations

import contextlib
import hmac
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread
import mcp_types as types
from anyio import from_thread
from mcp.server import Server, ServerRequestContext
from pydantic import BaseModel, Field, ValidationError

from fluxagent.flows.schema import FlowError
from fluxagent.runtime import direct, sessions
from fluxagent.store.base import StoreError
from fluxagent.tools.results import ArtifactRef, ToolError
from fluxagent.triggers import mcp_content
from fluxagent.triggers.mcp_views import (
    artifact_uri,
    error_line,
    result_doc,
    session_text,
    session_view,
)

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from fluxagent.agent import Agent

#: Progress notifications are sent at most this often (a screen reports every LP).
PROGRESS_EVERY_S = 0.2


class AskArgs(BaseModel):
    question: str = Field(description="The question, in plain language.")
    model: str | None = Field(default=None, description="Model to use (default: the "
                              "session's current model, else e_coli_core).")
    session_id: str | None = Field(default=None, description="Continue this session.")


class SessionArgs(BaseModel):
    session_id: str = Field(description="The session's id.")


class RespondArgs(SessionArgs):
    text: str = Field(description="The answer to the session's open question.")


class ApproveArgs(SessionArgs):
    call_id: str | None = Field(default=None, description="The approval request (default: "
                                "the open one).")
    comment: str = ""
    args: dict[str, Any] | None = Field(default=None, description="Edited arguments to run "
                                        "the tool with instead.")


class RejectArgs(SessionArgs):
    comment: str = Field(description="Why the call is rejected (the agent sees it).")
    call_id: str | None = None


class FlowArgs(BaseModel):
    flow: str = Field(description="A flow name (see the prompts) or a YAML file.")
    inputs: dict[str, Any] = Field(default_factory=dict, description="The flow's inputs.")
    model: str | None = None
    session_id: str | None = None


SESSION_TOOLS: dict[str, tuple[str, type[BaseModel]]] = {
    "session_ask": ("Ask the agent a question (a new session, or continue one); returns the "
                    "answer, or what the session waits for.", AskArgs),
    "session_get": ("A session's status, answer, open approval or question, and tool calls.",
                    SessionArgs),
    "session_respond": ("Answer a session's open question to a person.", RespondArgs),
    "session_approve": ("Approve a session's open tool call (optionally with edited "
                        "arguments); the session then continues. Only on the user's explicit "
                        "instruction: the approval is theirs, not the assistant's.",
                        ApproveArgs),
    "session_reject": ("Reject a session's open tool call with a comment.", RejectArgs),
    "session_run_flow": ("Run a declarative flow (e.g. model_validation) in a session.",
                         FlowArgs),
}


class ProgressRelay:
    """The agent's progress callback; forwards to the MCP request being served, if any."""

    def __init__(self) -> None:
        self.target: Callable[[float, str], None] | None = None

    def __call__(self, fraction: float, message: str) -> None:
        if self.target is not None:
            self.target(fraction, message)


def _reporter(ctx: ServerRequestContext[Any, Any]) -> Callable[[float, str], None]:
    """A thread-side progress callback that sends MCP progress notifications (throttled)."""
    last = [0.0]

    def report(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_S and fraction < 1.0:
            return
        last[0] = now
        with contextlib.suppress(Exception):  # a closed connection never breaks the run
            from_thread.run(ctx.session.report_progress, float(fraction), 1.0, message)
    return report


def _text(text: str, structured: Any = None, *, error: bool = False,
          links: list[types.ResourceLink] | None = None) -> types.CallToolResult:
    content: list[Any] = [types.TextContent(text=text), *(links or [])]
    return types.CallToolResult(content=content, structured_content=structured,
                                is_error=error)


class FluxMCP:
    """One agent served to MCP clients."""

    def __init__(self, agent: Agent, relay: ProgressRelay | None = None) -> None:
        self.agent = agent
        self.relay = relay or ProgressRelay()
        self.limiter = anyio.CapacityLimiter(1)
        self.recent: list[ArtifactRef] = []  # artifacts of direct tool runs (no session)
        self.server: Server[Any] = Server(
            "fluxagent", version="0.1.0",
            instructions="Genome-scale metabolic modeling on cobrapy models. Call the analysis "
                         "tools directly, or ask questions with session_ask; tools that change "
                         "stored models wait for a person's approval (session_approve).",
            on_list_tools=self.list_tools, on_call_tool=self.call_tool,
            on_list_resources=self.list_resources,
            on_list_resource_templates=self.list_templates,
            on_read_resource=self.read_resource,
            on_list_prompts=self.list_prompts, on_get_prompt=self.get_prompt)

    # -- tools ------------------------------------------------------------------------
    async def list_tools(self, ctx: Any, params: Any) -> types.ListToolsResult:
        tools = [types.Tool(name=t.name, description=t.purpose + (
            " Long: reports progress." if t.long_running else ""),
            input_schema=t.args_model.model_json_schema(),
            annotations=types.ToolAnnotations(read_only_hint=not t.writes,
                                              destructive_hint=t.writes,
                                              open_world_hint=False))
            for t in self.agent.registry]
        tools += [types.Tool(name=name, description=purpose,
                             input_schema=model.model_json_schema(),
                             annotations=types.ToolAnnotations(
                                 read_only_hint=name == "session_get",
                                 destructive_hint=name == "session_approve",
                                 open_world_hint=False))
                  for name, (purpose, model) in SESSION_TOOLS.items()]
        return types.ListToolsResult(tools=tools)

    async def _blocking(self, ctx: ServerRequestContext[Any, Any], fn: Callable[[], Any]) -> Any:
        """Run ``fn`` in the worker thread with this request's progress reporter."""
        report = _reporter(ctx)

        def job() -> Any:
            self.relay.target = report
            try:
                return fn()
            finally:
                self.relay.target = None
        return await anyio.to_thread.run_sync(job, limiter=self.limiter)

    async def call_tool(self, ctx: ServerRequestContext[Any, Any],
                        params: types.CallToolRequestParams) -> types.CallToolResult:
        name, raw = params.name, dict(params.arguments or {})
        try:
            if name in SESSION_TOOLS:
                return await self._session_tool(ctx, name, SESSION_TOOLS[name][1]
                                                .model_validate(raw))
            return await self._registry_tool(ctx, name, raw)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: "
                                 f"{e['msg']}" for e in exc.errors()[:5])
            return _text(f"{name}: bad_arguments: {problems}", error=True)
        except (StoreError, FlowError, ValueError) as exc:
            return _text(f"{name}: {exc}", error=True)

    async def _registry_tool(self, ctx: ServerRequestContext[Any, Any], name: str,
                             raw: dict[str, Any]) -> types.CallToolResult:
        runner = self.agent.runner
        checked = runner.registry.validate(name, raw)
        if isinstance(checked, ToolError):
            return _text(error_line(checked), result_doc(checked), error=True)
        if direct.gate(runner, name, raw) is not None:
            state = await self._blocking(ctx, lambda: direct.request_tool(
                runner, name, raw, via="mcp"))
            return self._session_result(state.session_id)
        outcome = await self._blocking(ctx, lambda: direct.run_tool(
            runner, name, raw, progress=self.relay))
        doc = result_doc(outcome)
        if isinstance(outcome, ToolError):
            return _text(error_line(outcome), doc, error=True)
        links = [types.ResourceLink(name=a.name, uri=artifact_uri(a), mime_type=a.media_type,
                                    size=a.size) for a in outcome.artifacts]
        self.recent = [*self.recent, *outcome.artifacts][-mcp_content.RECENT_ARTIFACTS:]
        return _text(outcome.summary, doc, links=links)

    def _session_result(self, session_id: str) -> types.CallToolResult:
        thread = self.agent.store.load(session_id)
        from fluxagent.core.state import fold
        view = session_view(thread, fold(thread))
        return _text(session_text(view), view, error=view["status"] == "failed")

    async def _session_tool(self, ctx: ServerRequestContext[Any, Any], name: str,
                            args: BaseModel) -> types.CallToolResult:
        agent, runner = self.agent, self.agent.runner
        job: Callable[[], Any]
        if isinstance(args, AskArgs):
            a = args
            job = lambda: agent.ask(a.question, model=a.model,  # noqa: E731
                                    session_id=a.session_id)
        elif isinstance(args, RespondArgs):
            r = args
            job = lambda: sessions.respond(runner, r.session_id, r.text, by="mcp")  # noqa: E731
        elif isinstance(args, ApproveArgs):
            p = args
            job = lambda: sessions.decide(runner, p.session_id, "approve",  # noqa: E731
                                          call_id=p.call_id, comment=p.comment, args=p.args,
                                          by="mcp")
        elif isinstance(args, RejectArgs):
            j = args
            job = lambda: sessions.decide(runner, j.session_id, "reject",  # noqa: E731
                                          call_id=j.call_id, comment=j.comment, by="mcp")
        elif isinstance(args, FlowArgs):
            f = args
            job = lambda: _run_flow(agent, f)  # noqa: E731
        else:
            assert isinstance(args, SessionArgs)
            sid = args.session_id
            job = lambda: agent.state(sid)  # noqa: E731
        state = await self._blocking(ctx, job)
        return self._session_result(state.session_id)

    # -- resources and prompts (mcp_content.py) -----------------------------------------
    async def list_resources(self, ctx: Any, params: Any) -> types.ListResourcesResult:
        return await anyio.to_thread.run_sync(mcp_content.resources, self.agent, self.recent)

    async def list_templates(self, ctx: Any, params: Any) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(resource_templates=mcp_content.TEMPLATES)

    async def read_resource(self, ctx: ServerRequestContext[Any, Any],
                            params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        uri = str(params.uri)
        return await self._blocking(ctx, lambda: mcp_content.read(self.agent, uri))

    async def list_prompts(self, ctx: Any, params: Any) -> types.ListPromptsResult:
        return mcp_content.prompts(self.agent)

    async def get_prompt(self, ctx: Any, params: types.GetPromptRequestParams
                         ) -> types.GetPromptResult:
        return mcp_content.prompt(self.agent, params.name, dict(params.arguments or {}))


def _run_flow(agent: Agent, args: FlowArgs) -> Any:
    from fluxagent.flows.library import load_flow
    from fluxagent.flows.run import run_flow
    flow = load_flow(args.flow, agent.settings.data_dir / "flows")
    return run_flow(agent.runner, flow, args.inputs, model=args.model,
                    session_id=args.session_id)


def make_server(agent: Agent | None = None) -> FluxMCP:
    """The MCP server of an agent (by default one wired from settings, progress relayed)."""
    if agent is None:
        from fluxagent.agent import Agent
        relay = ProgressRelay()
        return FluxMCP(Agent(progress=relay), relay)
    relay = ProgressRelay()
    agent.progress = relay
    return FluxMCP(agent, relay)


async def serve_stdio(flux: FluxMCP) -> None:
    from mcp.server.stdio import stdio_server
    async with stdio_server() as (read, write):
        await flux.server.run(read, write, flux.server.create_initialization_options())


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def http_app(flux: FluxMCP, *, host: str = "127.0.0.1", path: str = "/mcp",
             token: str = "") -> Starlette:
    """The Streamable HTTP app: DNS-rebinding protection on loopback hosts; any other host
    needs a bearer token (``FLUXAGENT_MCP_TOKEN``), since MCP clients may approve calls."""
    if host not in LOOPBACK and not token:
        raise ValueError(f"refusing to serve MCP on {host} without a token: set "
                         "FLUXAGENT_MCP_TOKEN (clients send 'Authorization: Bearer TOKEN'), "
                         "or bind to 127.0.0.1")
    app = flux.server.streamable_http_app(streamable_http_path=path, host=host)
    if token:
        app.add_middleware(BearerToken, token=token)
    return app


class BearerToken:
    """ASGI middleware: 401 unless ``Authorization: Bearer <token>`` (constant-time check)."""

    def __init__(self, app: Any, token: str) -> None:
        self.app, self.expected = app, f"Bearer {token}".encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                from starlette.responses import PlainTextResponse
                await PlainTextResponse("missing or wrong bearer token", 401)(scope, receive,
                                                                             send)
                return
        await self.app(scope, receive, send)


