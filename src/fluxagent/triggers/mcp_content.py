"""MCP resources (models, sessions, artifacts) and prompts (the flows).

URIs: ``fluxagent://models``, ``fluxagent://models/{name}`` (the ``model_summary`` tool's
result), ``fluxagent://sessions``, ``fluxagent://sessions/{id}`` (state and events),
``fluxagent://artifacts/{sha256}/{name}`` (the bytes of a plot or table, by content hash).
Artifacts listed are those of the recent sessions' tool results.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

import mcp_types as types

from fluxagent.core.state import fold
from fluxagent.flows.library import flow_files, load_flow
from fluxagent.runtime import direct
from fluxagent.store.artifacts import ArtifactStore
from fluxagent.store.base import StoreError
from fluxagent.tools.results import ArtifactRef
from fluxagent.triggers.mcp_views import (
    SCHEME,
    artifact_uri,
    media_type,
    result_doc,
    session_view,
)

if TYPE_CHECKING:
    from fluxagent.agent import Agent

RECENT_SESSIONS = 50
RECENT_ARTIFACTS = 100
JSON = "application/json"
TEXT_TYPES = ("text/", "image/svg+xml", JSON)

TEMPLATES = [
    types.ResourceTemplate(name="model", uri_template=f"{SCHEME}://models/{{name}}",
                           description="A model's size, compartments, objective, exchanges "
                           "and medium.", mime_type=JSON),
    types.ResourceTemplate(name="session", uri_template=f"{SCHEME}://sessions/{{session_id}}",
                           description="A session's state and its events.", mime_type=JSON),
    types.ResourceTemplate(name="artifact",
                           uri_template=f"{SCHEME}://artifacts/{{sha256}}/{{name}}",
                           description="A stored plot (SVG/PNG) or table (CSV/JSON), by the "
                           "sha256 of its content."),
]


def _artifacts(agent: Agent) -> ArtifactStore:
    return ArtifactStore(agent.settings.data_dir / "artifacts")


def _catalog(agent: Agent) -> list[dict[str, Any]]:
    from fluxagent.tools.models import ModelStore
    return ModelStore(agent.settings).catalog()


def resources(agent: Agent, direct_runs: Sequence[ArtifactRef] = ()
              ) -> types.ListResourcesResult:
    out = [types.Resource(name="models", uri=f"{SCHEME}://models", mime_type=JSON,
                          description="The models this server can analyse."),
           types.Resource(name="sessions", uri=f"{SCHEME}://sessions", mime_type=JSON,
                          description=f"The {RECENT_SESSIONS} most recent sessions.")]
    out += [types.Resource(name=f"model {m['name']}", uri=f"{SCHEME}://models/"
                           f"{quote(m['name'], safe='')}", mime_type=JSON,
                           description=str(m.get("description") or m["source"]))
            for m in _catalog(agent)]
    seen: set[str] = set()
    for ref in reversed(direct_runs):  # the newest first
        uri = artifact_uri(ref)
        if uri not in seen:
            seen.add(uri)
            out.append(types.Resource(name=ref.name, uri=uri, size=ref.size,
                                      mime_type=ref.media_type))
    for info in agent.store.sessions(RECENT_SESSIONS):
        out.append(types.Resource(name=f"session {info.session_id}", mime_type=JSON,
                                  uri=f"{SCHEME}://sessions/{info.session_id}",
                                  description=info.title or None))
        for ev in agent.store.load(info.session_id).of_type("tool_result"):
            for art in ev.data.get("artifacts", []):
                uri = artifact_uri(ArtifactRef.model_validate(art))
                if uri not in seen:
                    seen.add(uri)
                    out.append(types.Resource(name=art["name"], uri=uri, size=art.get("size"),
                                              mime_type=art.get("media_type")))
    return types.ListResourcesResult(resources=out)


def _contents(uri: str, content: bytes, mime: str) -> types.ReadResourceResult:
    if mime.startswith(TEXT_TYPES):
        item: Any = types.TextResourceContents(uri=uri, mime_type=mime,
                                               text=content.decode("utf-8", "replace"))
    else:
        item = types.BlobResourceContents(uri=uri, mime_type=mime,
                                          blob=base64.b64encode(content).decode())
    return types.ReadResourceResult(contents=[item])


def _json(uri: str, doc: Any) -> types.ReadResourceResult:
    return _contents(uri, json.dumps(doc, indent=1, default=str).encode(), JSON)


def read(agent: Agent, uri: str) -> types.ReadResourceResult:
    """The content behind a URI; an unknown one is a one-line ``ValueError``."""
    parts = urlsplit(uri)
    if parts.scheme != SCHEME:
        raise ValueError(f"unknown resource {uri!r}: URIs start with {SCHEME}://")
    kind, rest = parts.netloc, [unquote(p) for p in parts.path.split("/") if p]
    if kind == "models" and not rest:
        return _json(uri, _catalog(agent))
    if kind == "models" and len(rest) == 1:
        outcome = direct.run_tool(agent.runner, "model_summary", {"model": rest[0]})
        if not outcome.ok:
            raise ValueError(f"{uri}: {outcome.model_dump().get('message')}")
        return _json(uri, result_doc(outcome))
    if kind == "sessions" and not rest:
        return _json(uri, [info.model_dump(mode="json")
                           for info in agent.store.sessions(RECENT_SESSIONS)])
    if kind == "sessions" and len(rest) == 1:
        thread = agent.store.load(rest[0])
        return _json(uri, {**session_view(thread, fold(thread)),
                           "events": [ev.model_dump(mode="json") for ev in thread]})
    if kind == "artifacts" and len(rest) == 2:
        try:
            content = _artifacts(agent).get(rest[0])
        except StoreError as exc:
            raise ValueError(f"{uri}: {exc}") from None
        return _contents(uri, content, media_type(rest[1]))
    raise ValueError(f"unknown resource {uri!r}; see resources/templates/list")


# -- prompts: one per flow ---------------------------------------------------------------
def prompts(agent: Agent) -> types.ListPromptsResult:
    out = []
    for name in flow_files(agent.settings.data_dir / "flows"):
        flow = load_flow(name, agent.settings.data_dir / "flows")
        out.append(types.Prompt(name=flow.name, description=flow.description or None,
                                arguments=[types.PromptArgument(
                                    name=key, description=spec.description or None,
                                    required=spec.required)
                                    for key, spec in flow.inputs.items()]))
    return types.ListPromptsResult(prompts=out)


def _value(text: str) -> Any:
    """A prompt argument is a string; JSON (a list of genes, a number) is read as JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def prompt(agent: Agent, name: str, arguments: dict[str, str]) -> types.GetPromptResult:
    flow = load_flow(name, agent.settings.data_dir / "flows")
    inputs = flow.resolve_inputs({k: _value(v) for k, v in arguments.items()})
    given = {k: v for k, v in inputs.items() if v is not None}
    text = (f"Run the {flow.name} flow of fluxagent: {flow.description.strip()}\n"
            f"Call the session_run_flow tool with flow={flow.name!r} and "
            f"inputs={json.dumps(given, sort_keys=True)}, then report the session's answer; "
            "if it waits for approval, show the request to the user before approving.")
    return types.GetPromptResult(description=flow.description or None, messages=[
        types.PromptMessage(role="user", content=types.TextContent(text=text))])
