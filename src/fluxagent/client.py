"""A small typed client of ``fluxagent serve`` (httpx): what the CLI and ``Agent`` use when
``FLUXAGENT_SERVER_URL`` is set.

The server's events are rebuilt into a local ``Thread``, so a remote answer is folded and
printed by the same code as a local one (``fluxagent ask --json`` gives the same contract).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from fluxagent.core.events import Event, Thread, event_from_dict
from fluxagent.core.state import SessionState, fold
from fluxagent.store.base import StoreError

Policy = Literal["enqueue", "reject", "interrupt"]
OnEvent = Callable[[Event], None]
OnProgress = Callable[[float, str], None]


class ApiError(StoreError):
    """A refusal of the server, with its status code and one-line reason."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"server: {detail} (HTTP {status})")
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class SseMessage:
    kind: str
    data: Any
    id: str | None = None


class Client:
    def __init__(self, base_url: str, token: str = "", *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=base_url.rstrip("/"), headers=headers,
                                 timeout=timeout, transport=transport)

    @classmethod
    def from_settings(cls, settings: Any) -> Client:
        return cls(settings.server_url, settings.api_token)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------------------
    def _call(self, method: str, path: str, **kw: Any) -> Any:
        try:
            resp = self.http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise ApiError(0, f"cannot reach {self.http.base_url}: {exc}") from None
        if resp.status_code >= 400:
            try:
                detail = resp.json().get("detail", resp.text)
            except (ValueError, AttributeError):
                detail = resp.text
            if not isinstance(detail, str):  # FastAPI's validation errors
                detail = "; ".join(f"{'.'.join(str(p) for p in d.get('loc', []))}: "
                                   f"{d.get('msg')}" for d in detail)
            raise ApiError(resp.status_code, detail)
        ctype = resp.headers.get("content-type", "")
        return resp.json() if ctype.startswith("application/json") else resp.content

    def stream(self, session_id: str, *, after: int = -1, follow: bool = False
               ) -> Iterator[SseMessage]:
        """The session's Server-Sent Events until it is idle (or forever with ``follow``)."""
        params: dict[str, Any] = {"after": after, "follow": follow}
        try:
            with self.http.stream("GET", f"/sessions/{session_id}/stream", params=params,
                                  timeout=httpx.Timeout(self.http.timeout.connect,
                                                        read=None)) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    raise ApiError(resp.status_code, resp.json().get("detail", resp.text))
                kind, ident = "message", None
                data: list[str] = []
                for line in resp.iter_lines():
                    if not line:
                        if data:
                            yield SseMessage(kind, json.loads("\n".join(data)), ident)
                        kind, data, ident = "message", [], None
                    elif line.startswith(":"):
                        continue
                    else:
                        field, _, value = line.partition(":")
                        value = value[1:] if value.startswith(" ") else value
                        if field == "event":
                            kind = value
                        elif field == "data":
                            data.append(value)
                        elif field == "id":
                            ident = value
        except httpx.HTTPError as exc:
            raise ApiError(0, f"the event stream broke: {exc}") from None

    # -- sessions -----------------------------------------------------------------------
    def create_session(self, *, question: str | None = None, flow: str | None = None,
                       inputs: dict[str, Any] | None = None, model: str | None = None,
                       wait: float = 0) -> dict[str, Any]:
        body = {"question": question, "flow": flow, "inputs": inputs or {}, "model": model}
        doc: dict[str, Any] = self._call("POST", "/sessions", params={"wait": wait},
                                         json=body)
        return doc

    def message(self, session_id: str, question: str, *, model: str | None = None,
                policy: Policy = "enqueue", wait: float = 0) -> dict[str, Any]:
        doc: dict[str, Any] = self._call(
            "POST", f"/sessions/{session_id}/messages", params={"wait": wait},
            json={"question": question, "model": model, "policy": policy})
        return doc

    def run_flow(self, flow: str, inputs: dict[str, Any] | None = None, *,
                 model: str | None = None, session_id: str | None = None,
                 wait: float = 0) -> dict[str, Any]:
        doc: dict[str, Any] = self._call(
            "POST", f"/flows/{flow}/run", params={"wait": wait},
            json={"inputs": inputs or {}, "model": model, "session_id": session_id})
        return doc

    def session(self, session_id: str) -> dict[str, Any]:
        doc: dict[str, Any] = self._call("GET", f"/sessions/{session_id}")
        return doc

    def sessions(self, **filters: Any) -> list[dict[str, Any]]:
        params = {k: v for k, v in filters.items() if v is not None}
        rows: list[dict[str, Any]] = self._call("GET", "/sessions", params=params)["sessions"]
        return rows

    def events(self, session_id: str, after: int = -1) -> list[Event]:
        events: list[Event] = []
        while True:
            page = self._call("GET", f"/sessions/{session_id}/events",
                              params={"after": after, "limit": 1000})
            events.extend(event_from_dict(e) for e in page["events"])
            if page["next_after"] is None:
                return events
            after = page["next_after"]

    def thread(self, session_id: str) -> Thread:
        return Thread(session_id, self.events(session_id))

    def state(self, session_id: str) -> SessionState:
        return fold(self.thread(session_id))

    def wait(self, session_id: str, *, after: int = -1, on_event: OnEvent | None = None,
             on_progress: OnProgress | None = None) -> Thread:
        """Follow the session until it is idle; the thread it ended with."""
        for msg in self.stream(session_id, after=after):
            if msg.kind == "event" and on_event is not None:
                on_event(event_from_dict(msg.data))
            elif msg.kind == "progress" and on_progress is not None:
                on_progress(float(msg.data["fraction"]), str(msg.data["message"]))
        return self.thread(session_id)

    def _last_seq(self, session_id: str) -> int:
        return int(self.session(session_id)["state"]["last_seq"])

    def ask(self, question: str, *, session_id: str | None = None, model: str | None = None,
            policy: Policy = "enqueue", on_event: OnEvent | None = None,
            on_progress: OnProgress | None = None) -> Thread:
        """Ask (a new session, or the next question of ``session_id``) and wait for the
        answer, calling ``on_event`` for each new event as it happens."""
        if session_id is None:
            sid, after = self.create_session(question=question, model=model)["session_id"], -1
        else:
            after = self._last_seq(session_id)
            sid = self.message(session_id, question, model=model, policy=policy)["session_id"]
        return self.wait(sid, after=after, on_event=on_event, on_progress=on_progress)

    def _answer(self, session_id: str, path: str, body: dict[str, Any],
                on_event: OnEvent | None) -> Thread:
        after = self._last_seq(session_id)
        self._call("POST", f"/sessions/{session_id}/{path}", json=body)
        return self.wait(session_id, after=after, on_event=on_event)

    def approve(self, session_id: str, *, call_id: str | None = None, comment: str = "",
                args: dict[str, Any] | None = None, on_event: OnEvent | None = None
                ) -> Thread:
        return self._answer(session_id, "approve", {"call_id": call_id, "comment": comment,
                                                    "args": args}, on_event)

    def reject(self, session_id: str, comment: str = "", *, call_id: str | None = None,
               on_event: OnEvent | None = None) -> Thread:
        return self._answer(session_id, "reject", {"call_id": call_id, "comment": comment},
                            on_event)

    def respond(self, session_id: str, text: str, *, on_event: OnEvent | None = None
                ) -> Thread:
        return self._answer(session_id, "respond", {"text": text}, on_event)

    def pause(self, session_id: str, reason: str = "") -> str:
        return str(self._call("POST", f"/sessions/{session_id}/pause",
                              json={"reason": reason})["status"])

    def resume(self, session_id: str, *, on_event: OnEvent | None = None) -> Thread:
        return self._answer(session_id, "resume", {}, on_event)

    def fork(self, session_id: str, at_seq: int | None = None) -> str:
        return str(self._call("POST", f"/sessions/{session_id}/fork",
                              json={"at_seq": at_seq})["session_id"])

    def export(self, session_id: str) -> dict[str, Any]:
        doc: dict[str, Any] = self._call("GET", f"/sessions/{session_id}/export")
        return doc

    def import_(self, doc: dict[str, Any]) -> str:
        return str(self._call("POST", "/sessions/import", json=doc)["session_id"])

    # -- the rest -----------------------------------------------------------------------
    def pending(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._call("GET", "/humans/pending")["requests"]
        return rows

    def tools(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._call("GET", "/tools")
        return rows

    def run_tool(self, name: str, args: dict[str, Any]) -> dict[str, Any]:
        doc: dict[str, Any] = self._call("POST", f"/tools/{name}/run", json={"args": args})
        return doc

    def artifact(self, sha256: str) -> bytes:
        content: bytes = self.http.get(f"/artifacts/{sha256}").content
        return content

    def health(self) -> dict[str, Any]:
        doc: dict[str, Any] = self._call("GET", "/readyz")
        return doc


class RemoteStore:
    """The read side of the ``EventStore`` protocol over the API, so commands that read
    sessions (show, list) work unchanged against a server. Writes go through the API's
    operations, never through here."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def load(self, session_id: str) -> Thread:
        return self.client.thread(session_id)

    def exists(self, session_id: str) -> bool:
        try:
            self.client.session(session_id)
        except ApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def sessions(self, limit: int = 100) -> list[Any]:
        from fluxagent.store.base import SessionInfo
        return [SessionInfo(session_id=r["session_id"], created=r["created"],
                            updated=r["updated"], events=r["events"], title=r["title"])
                for r in self.client.sessions(limit=min(limit, 500))]

    def create(self, session_id: str, *, title: str = "",
               meta: dict[str, Any] | None = None) -> None:
        raise StoreError("sessions on a server are created through its API")

    def append(self, session_id: str, events: Any, *, expected_seq: int) -> None:
        raise StoreError("events on a server are appended through its API")

    # the server takes each session's execution lease itself (runtime/lease.py): a client
    # never drives a session, so it never holds one
    def acquire_lease(self, session_id: str, holder: str, ttl_s: float) -> Any:
        raise StoreError("sessions on a server are driven by the server, not by its clients")

    def renew_lease(self, session_id: str, holder: str, ttl_s: float) -> bool:
        return False

    def release_lease(self, session_id: str, holder: str) -> None:
        return None

    def lease(self, session_id: str) -> Any:
        return None
