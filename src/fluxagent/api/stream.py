"""A session's events as Server-Sent Events: stored ones first, then live, without gaps.

The subscriber is registered before the stored events are read, so an event appended in
between arrives in the queue; events at or below the last seq sent are skipped, and a gap
(a subscriber that fell behind) is filled from the store. Every payload is JSON, so text from
a question or a model file travels as data, escaped, never as markup.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from fluxagent.api.deps import ApiState
from fluxagent.core.state import fold

KEEPALIVE_S = 15.0


def sse(kind: str, data: Any, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


async def event_stream(st: ApiState, session_id: str, after: int, follow: bool,
                       request: Request) -> AsyncIterator[str]:
    queue = st.runs.subscribe(session_id)
    store = st.agent.store
    try:
        last = after

        async def stored() -> AsyncIterator[str]:
            nonlocal last
            thread = await run_in_threadpool(store.load, session_id)
            for ev in thread.events[last + 1:]:
                yield sse("event", ev.model_dump(mode="json"), ev.seq)
                last = ev.seq

        async for chunk in stored():
            yield chunk
        while True:
            if not follow and st.runs.idle(session_id) and queue.empty():
                async for chunk in stored():  # anything appended since the last read
                    yield chunk
                state = await run_in_threadpool(lambda: fold(store.load(session_id)))
                yield sse("end", {"session_id": session_id, "status": state.status,
                                  "last_seq": last})
                return
            try:
                message = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
            except TimeoutError:
                if await request.is_disconnected():
                    return
                yield ": keepalive\n\n"
                continue
            kind = message["kind"]
            if kind == "event":
                seq = int(message["seq"])
                if seq <= last:
                    continue
                if seq > last + 1:
                    async for chunk in stored():
                        yield chunk
                    continue
                yield sse("event", message["data"], seq)
                last = seq
            elif kind in ("progress", "run"):
                yield sse(kind, message["data"])
    finally:
        st.runs.unsubscribe(session_id, queue)
