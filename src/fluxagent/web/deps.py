"""What the page routes share: the server's state, the principal of a page, redirects."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends
from fastapi.responses import RedirectResponse

from fluxagent.api.auth import Principal
from fluxagent.api.deps import ApiState, api
from fluxagent.web.auth import require

State = Annotated[ApiState, Depends(api)]
Reader = Annotated[Principal, Depends(require("read"))]
Writer = Annotated[Principal, Depends(require("write"))]
Approver = Annotated[Principal, Depends(require("approve"))]


def back(url: str, error: str = "", note: str = "") -> RedirectResponse:
    """303 to ``url`` (a path of this site), with a one-line error or note to show."""
    if not url.startswith("/web") or url.startswith("//"):
        url = "/web"
    sep = "&" if "?" in url else "?"
    if error:
        url += f"{sep}error={quote(error.splitlines()[0][:300] if error else '')}"
    elif note:
        url += f"{sep}note={quote(note[:300])}"
    return RedirectResponse(url, status_code=303)
