"""``fluxagent mcp`` driven by a client nobody on the team wrote: the MCP Inspector's CLI mode
(``@modelcontextprotocol/inspector``, pinned in scripts/ensure_npm_tools.sh), over stdio and
Streamable HTTP."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from serve_helpers import FLUXAGENT, ensure_inspector, http_server

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def inspector(tmp_path: Path, *args: str) -> Any:
    try:
        exe = ensure_inspector()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    env = {**os.environ, "HOME": str(tmp_path)}  # the inspector keeps its catalog there
    if "--config" not in args:
        env["MCP_CATALOG_PATH"] = str(tmp_path / "catalog.json")
    # a busy machine starts a server in more than the inspector's default 15 s
    proc = subprocess.run([str(exe), "--cli", "--connect-timeout", "180000", *args],
                          capture_output=True, text=True,
                          env=env, timeout=240, cwd=tmp_path)
    assert proc.returncode == 0, f"inspector exit {proc.returncode}: {proc.stderr[-2000:]}"
    return json.loads(proc.stdout)


def stdio(tmp_path: Path, *args: str) -> Any:
    return inspector(tmp_path, "-e", f"FLUXAGENT_DATA_DIR={tmp_path / 'data'}", FLUXAGENT,
                     "mcp", *args)


def test_inspector_over_stdio(tmp_path: Path) -> None:
    listed = stdio(tmp_path, "--method", "tools/list")
    tools = {t["name"]: t for t in listed["tools"]}
    assert {"run_fba", "run_fva", "gapfill", "session_ask", "session_approve"} <= set(tools)
    assert tools["run_fva"]["inputSchema"]["properties"]["model"]

    fba = stdio(tmp_path, "--method", "tools/call", "--tool-name", "run_fba",
                "--tool-arg", "model=e_coli_core")
    assert not fba.get("isError")
    assert fba["structuredContent"]["data"]["objective_value"] == pytest.approx(0.873922,
                                                                                abs=1e-5)

    gated = stdio(tmp_path, "--method", "tools/call", "--tool-name", "gapfill",
                  "--tool-arg", "model=e_coli_core")
    assert gated["content"][0]["text"].startswith("waiting for approval: session ")
    sid = gated["structuredContent"]["session_id"]
    session = stdio(tmp_path, "--method", "resources/read", "--uri",
                    f"fluxagent://sessions/{sid}")
    doc = json.loads(session["contents"][0]["text"])
    assert doc["status"] == "waiting_for_approval"
    assert not [e for e in doc["events"] if e["type"] in ("tool_result", "tool_error")]


def test_inspector_over_http(tmp_path: Path) -> None:
    with http_server(tmp_path / "data") as url:
        listed = inspector(tmp_path, url, "--method", "tools/list")
        assert "run_fba" in {t["name"] for t in listed["tools"]}
        prompts = inspector(tmp_path, url, "--method", "prompts/list")
        assert "model_validation" in {p["name"] for p in prompts["prompts"]}
        model = inspector(tmp_path, url, "--method", "resources/read", "--uri",
                          "fluxagent://models/e_coli_core")
        assert json.loads(model["contents"][0]["text"])["data"]["genes"] == 137


def test_readme_client_configuration_works(tmp_path: Path) -> None:
    """The README's ``mcpServers`` snippet, with this checkout's path, starts a server the
    Inspector can use (as Claude Desktop would)."""
    from serve_helpers import ROOT
    readme = (ROOT / "README.md").read_text()
    snippet = readme.split("<!-- mcp-config -->", 1)[1].split("```json", 1)[1]
    snippet = snippet.split("```", 1)[0].replace("/path/to/fluxagent/.fluxagent",
                                                 str(tmp_path / "data"))
    config = json.loads(snippet.replace("/path/to/fluxagent", str(ROOT)))
    assert Path(config["mcpServers"]["fluxagent"]["command"]).exists()
    (tmp_path / "mcp.json").write_text(json.dumps(config))
    listed = inspector(tmp_path, "--config", str(tmp_path / "mcp.json"), "--server",
                       "fluxagent", "--method", "tools/list")
    assert {"run_fba", "session_ask"} <= {t["name"] for t in listed["tools"]}
