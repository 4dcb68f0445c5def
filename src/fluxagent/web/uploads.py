"""A model file sent through a form, into the model store with its limits and validation.

The bytes go to a private temporary file inside the data dir (so the path policy allows it),
``sessions.model_reference`` parses and validates them within FLUXAGENT_MAX_MODEL_* and the
tool time limit and copies them into the store by content hash; the temporary file is then
removed. The request body itself is bounded by FLUXAGENT_API_MAX_BODY_BYTES."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fastapi import UploadFile
from starlette.concurrency import run_in_threadpool

from fluxagent.api.deps import ApiState
from fluxagent.paths import safe_name
from fluxagent.runtime import sessions


async def store_upload(st: ApiState, upload: UploadFile) -> dict[str, str]:
    """``{"model": name, "base": "file:..."}`` of the uploaded model, or a SessionError."""
    raw = await upload.read(st.settings.max_model_bytes + 1)
    if not raw:
        raise sessions.SessionError("the uploaded model file is empty")
    name = Path(upload.filename or "model.xml").name
    parts = name.split(".")
    suffix = "".join("." + safe_name(p, "", 5) for p in parts[1:][-2:] if safe_name(p, "", 5))
    folder = Path(st.settings.data_dir) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=safe_name(parts[0], "model", 40) + "-",
                               suffix=suffix or ".xml", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        return await run_in_threadpool(sessions.model_reference, st.runner, tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)
