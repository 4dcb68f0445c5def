"""``fluxagent mcp`` driven by the official MCP client over stdio and Streamable HTTP.

The server is a real subprocess on a fresh data dir; the tools run real cobrapy models. The
same scenario runs over both transports: tools with schemas, FBA, a long FVA with progress
notifications, a plot read back as a resource, a question, and a gapfill that must wait for
approval (and runs only once approved).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from fluxagent.config import Settings
from fluxagent.store.sql import SqlStore
from serve_helpers import FLUXAGENT, http_server, server_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

ANAEROBIC_GROWTH = 0.2116  # e_coli_core without oxygen, cobrapy 0.32.1 + GLPK


def _text(result: Any) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))


async def scenario(s: ClientSession, data_dir: Path, fva_model: str) -> dict[str, Any]:
    await s.initialize()
    seen: dict[str, Any] = {}

    tools = {t.name: t for t in (await s.list_tools()).tools}
    from fluxagent.tools import load_all
    assert set(load_all().names()) <= set(tools)
    assert {"session_ask", "session_get", "session_respond", "session_approve",
            "session_reject"} <= set(tools)
    assert tools["run_fba"].input_schema["type"] == "object"
    assert "model" in tools["run_fba"].input_schema["properties"]

    fba = await s.call_tool("run_fba", {"model": "e_coli_core"})
    assert not fba.is_error, _text(fba)
    assert fba.structured_content["data"]["objective_value"] == pytest.approx(0.873922, abs=1e-5)
    assert "growth rate 0.873922" in _text(fba)

    bad = await s.call_tool("run_fba", {"model": "e_coli_core", "nonsense": 1})
    assert bad.is_error and "bad_arguments" in _text(bad)

    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(p: float, total: float | None, message: str | None) -> None:
        progress.append((p, total, message))

    fva = await s.call_tool("run_fva", {"model": fva_model}, progress_callback=on_progress)
    assert not fva.is_error, _text(fva)
    assert fva.structured_content["data"]["ranges"]
    assert progress, "no progress notification arrived"
    values = [p for p, _t, _m in progress]
    assert values == sorted(values) and all(t == 1.0 for _p, t, _m in progress)
    assert all(m and m.startswith("FVA") for _p, _t, m in progress)
    seen["progress"] = len(progress)

    plot = await s.call_tool("plot", {"model": "e_coli_core", "kind": "fva"})
    assert not plot.is_error, _text(plot)
    links = [c for c in plot.content if isinstance(c, types.ResourceLink)]
    assert links and links[0].mime_type == "image/svg+xml"
    svg = await s.read_resource(links[0].uri)
    body = svg.contents[0]
    assert isinstance(body, types.TextResourceContents) and "<svg" in body.text
    assert body.mime_type == "image/svg+xml"

    model = await s.read_resource("fluxagent://models/e_coli_core")
    assert json.loads(model.contents[0].text)["data"]["reactions"] == 95

    ask = await s.call_tool("session_ask",
                            {"question": "How fast does e_coli_core grow without oxygen?"})
    assert not ask.is_error, _text(ask)
    view = ask.structured_content
    assert view["status"] == "done"
    assert f"{ANAEROBIC_GROWTH}" in view["answer"]
    assert "run_fba" in [c["tool"] for c in view["tool_calls"]]
    session = await s.read_resource(f"fluxagent://sessions/{view['session_id']}")
    events = json.loads(session.contents[0].text)["events"]
    assert events[0]["type"] == "user_message" and events[-1]["type"] == "final_answer"

    gated = await s.call_tool("gapfill", {"model": "e_coli_core"})
    assert not gated.is_error, _text(gated)
    gv = gated.structured_content
    assert _text(gated).startswith("waiting for approval: session " + gv["session_id"])
    assert gv["status"] == "waiting_for_approval"
    assert gv["pending_approval"]["tool"] == "gapfill"
    store = SqlStore.from_settings(Settings(data_dir=data_dir))
    try:
        thread = store.load(gv["session_id"])
        assert not thread.of_type("tool_result", "tool_error"), "gapfill ran unapproved"
    finally:
        store.close()
    got = await s.call_tool("session_get", {"session_id": gv["session_id"]})
    assert got.structured_content["status"] == "waiting_for_approval"
    approved = await s.call_tool("session_approve", {"session_id": gv["session_id"]})
    av = approved.structured_content
    assert av["status"] == "done", _text(approved)
    assert [(c["tool"], c["ok"]) for c in av["tool_calls"]][:1] == [("gapfill", True)]
    again = await s.call_tool("session_approve", {"session_id": gv["session_id"]})
    assert again.is_error and "no open approval request" in _text(again)

    rejected = await s.call_tool("gapfill", {"model": "e_coli_core", "iterations": 1})
    rv = rejected.structured_content
    assert rv["status"] == "waiting_for_approval"
    done = await s.call_tool("session_reject", {"session_id": rv["session_id"],
                                                "comment": "not on the shared model"})
    assert not any(c["tool"] == "gapfill" and c["ok"]
                   for c in done.structured_content["tool_calls"])

    prompts = {p.name: p for p in (await s.list_prompts()).prompts}
    assert "model_validation" in prompts
    prompt = await s.get_prompt("model_validation", {"model": "e_coli_core"})
    assert "session_run_flow" in prompt.messages[0].content.text

    resources = {r.uri for r in (await s.list_resources()).resources}
    assert "fluxagent://models/e_coli_core" in resources
    assert links[0].uri in resources  # the plot of a direct run
    assert f"fluxagent://sessions/{view['session_id']}" in resources
    return seen


def test_stdio(tmp_path: Path) -> None:
    params = StdioServerParameters(command=FLUXAGENT, args=["mcp"],
                                   env=server_env(tmp_path))

    async def main() -> dict[str, Any]:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as s:
            return await scenario(s, tmp_path, "iJO1366")

    seen = anyio.run(main)
    assert seen["progress"] >= 3  # iJO1366: 1719 LPs, several notifications on the way


def test_streamable_http(tmp_path: Path) -> None:
    async def main(url: str) -> dict[str, Any]:
        async with streamable_http_client(url) as (read, write), ClientSession(read, write) as s:
            return await scenario(s, tmp_path, "e_coli_core")

    with http_server(tmp_path) as url:
        anyio.run(main, url)


def test_http_with_a_token_refuses_clients_without_it(tmp_path: Path) -> None:
    import httpx
    from mcp.shared._httpx_utils import create_mcp_http_client

    async def main(url: str) -> list[str]:
        client = create_mcp_http_client(headers={"Authorization": "Bearer t0ken"})
        async with client, streamable_http_client(url, http_client=client) as (read, write), \
                ClientSession(read, write) as s:
            await s.initialize()
            return [t.name for t in (await s.list_tools()).tools]

    with http_server(tmp_path, FLUXAGENT_MCP_TOKEN="t0ken") as url:
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "t", "version": "0"}}}
        for auth in ({}, {"authorization": "Bearer wrong"}):
            resp = httpx.post(url, json=init, headers={
                "accept": "application/json, text/event-stream", **auth}, timeout=30)
            assert resp.status_code == 401
        assert "run_fba" in anyio.run(main, url)
    bad = subprocess.run([FLUXAGENT, "mcp", "--transport", "http", "--host", "0.0.0.0"],
                         env=server_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "without a token" in bad.stderr
