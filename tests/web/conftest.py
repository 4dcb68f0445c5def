"""Fixtures of the browser tests: one real ``fluxagent serve`` (no token: the local mode) and
one headless Debian Chromium driven by Playwright (no Playwright browser download).

Screenshots go to ``test-artifacts/web/`` at the repository root (git-ignored), or to
``$FLUXAGENT_TEST_ARTIFACTS/web`` when that is set."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browsing import LONG, QUESTION, ask
from serving import ROOT, Server, start_server, stop, with_damage_flow

AXE = ROOT / ".tools" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(with_damage_flow(tmp_path_factory.mktemp("web") / "data"))
    yield server
    stop(server)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("Debian's chromium is missing: run scripts/ensure_chromium.sh",
                    pytrace=False)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True,
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, web_server: Server) -> Iterator[Any]:
    context = chromium.new_context(base_url=web_server.url,
                                   viewport={"width": 1440, "height": 900})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.dialogs = []  # every alert/confirm a page opens (none should)
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    base = Path(os.environ.get("FLUXAGENT_TEST_ARTIFACTS", ROOT / "test-artifacts"))
    out = base / "web"
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE}): run scripts/ensure_npm_tools.sh",
                    pytrace=False)
    return AXE.read_text()


@pytest.fixture(scope="session")
def answered(chromium: Any, web_server: Server) -> str:
    """A session asked through the form (its page is checked in test_workbench.py)."""
    context = chromium.new_context(base_url=web_server.url)
    page = context.new_page()
    sid = ask(page, QUESTION)
    page.locator(".item-answer").wait_for(timeout=LONG)
    context.close()
    return sid
