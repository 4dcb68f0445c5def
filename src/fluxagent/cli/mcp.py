"""``fluxagent mcp``: serve the agent to MCP clients over stdio (default) or Streamable HTTP."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from fluxagent.cli.common import cli_errors


def mcp_command(
        transport: Annotated[Literal["stdio", "http"], typer.Option(
            help="stdio (an MCP client starts this command) or http (Streamable HTTP at "
                 "http://HOST:PORT/mcp).")] = "stdio",
        host: Annotated[str, typer.Option(help="HTTP: address to bind.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="HTTP: port.")] = 8765) -> None:
    """Serve every tool, session operation, resource and flow over MCP."""
    import anyio

    from fluxagent.triggers.mcp import http_app, make_server, serve_stdio
    with cli_errors():
        flux = make_server()
        app = None if transport == "stdio" else http_app(
            flux, host=host, token=flux.agent.settings.mcp_token)
    if app is None:
        anyio.run(serve_stdio, flux)
        return
    import uvicorn
    uvicorn.run(app, host=host, port=port, log_level="warning")
