"""Every page router of the workbench, for ``api/app.py`` to include (and the flux-map
pages of ``fluxagent.web.fluxmap`` when that module is present)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.staticfiles import StaticFiles

from fluxagent.web import ask, catalog, inbox, login, pages

router = APIRouter()
for sub in (login.router, pages.router, inbox.router, ask.router, catalog.router):
    router.include_router(sub)


def static_files() -> StaticFiles:
    """The stylesheet and script of the pages (shipped in the package)."""
    return StaticFiles(packages=[("fluxagent.web", "static")])
