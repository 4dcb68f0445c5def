"""Every main page: a screenshot saved as an artifact (test-artifacts/web/), no critical or
serious axe-core violation, and with JavaScript disabled the sessions, a timeline and its
results are still there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from serving import Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def waiting(web_server: Server) -> str:
    """A session waiting for approval (so the inbox has something to show)."""
    with httpx.Client(base_url=web_server.url, timeout=600) as http:
        resp = http.post("/flows/damage_and_repair/run", params={"wait": 300}, json={})
    assert resp.status_code == 200 and resp.json()["session"]["status"] == \
        "waiting_for_approval", resp.text
    return str(resp.json()["session_id"])


def pages(answered: str, waiting: str) -> dict[str, str]:
    return {"sessions": "/web", "session": f"/web/sessions/{answered}",
            "session-waiting": f"/web/sessions/{waiting}", "inbox": "/web/inbox",
            "ask": "/web/ask", "models": "/web/models",
            "model": "/web/models/e_coli_core?q=ENO",
            "model-validation": "/web/models/e_coli_core?validate=1", "flows": "/web/flows",
            "flow": "/web/flows/damage_and_repair", "metrics": "/web/metrics",
            "login": "/web/login"}


def test_every_page_has_a_screenshot_and_no_serious_axe_violation(
        chromium: Any, web_server: Server, answered: str, waiting: str, artifacts: Path,
        axe_source: str) -> None:
    # bypass_csp: axe-core is injected as an inline script, which the pages' CSP forbids
    context = chromium.new_context(base_url=web_server.url, bypass_csp=True,
                                   viewport={"width": 1440, "height": 900})
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    for name, url in pages(answered, waiting).items():
        resp = page.goto(url)
        assert resp is not None and resp.ok, (url, resp and resp.status)
        page.wait_for_load_state("networkidle") if name != "session" else None
        assert page.title().endswith("fluxagent")
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document, "
                               "{resultTypes: ['violations']})")
        bad = [f"{v['id']} ({v['impact']}): {v['help']} — "
               + "; ".join(n["target"][0] for n in v["nodes"][:3])
               for v in result["violations"] if v["impact"] in ("critical", "serious")]
        if bad:
            problems[name] = bad
    page.set_viewport_size({"width": 1280, "height": 800})  # a laptop screen
    page.goto(f"/web/sessions/{answered}")
    page.screenshot(path=str(artifacts / "session-laptop.png"), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1280, f"the session page scrolls sideways on a laptop ({width} px)"
    context.close()
    (artifacts / "axe.json").write_text(json.dumps(problems, indent=1))
    assert not problems, problems
    assert {p.stem for p in artifacts.glob("*.png")} >= set(pages(answered, waiting))


def test_pages_read_without_javascript(chromium: Any, web_server: Server,
                                       answered: str) -> None:
    context = chromium.new_context(base_url=web_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/web")
    assert page.locator(f'table.sessions a[href="/web/sessions/{answered}"]').count() == 1
    page.goto(f"/web/sessions/{answered}")
    assert "0.211663" in page.locator(".item-answer .answer-text").first.inner_text()
    assert page.locator(".item-question").count() >= 1
    assert page.locator(".item-answer .interpretation").count() >= 1
    fba = page.locator(".item-call", has=page.locator("h3 code", has_text="run_fba")).first
    assert fba.locator("table.data tbody tr").count() > 10
    assert fba.locator("svg.chart rect").count() >= 5
    assert page.locator("#live").get_attribute("data-live") is None  # no script ran
    page.goto("/web/inbox")
    assert page.locator("h1").inner_text() == "Inbox"
    context.close()


def test_fork_and_export_buttons(page: Any, answered: str, web_server: Server) -> None:
    page.goto(f"/web/sessions/{answered}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export").click()
    doc = json.loads(Path(download.value.path()).read_text())
    with httpx.Client(base_url=web_server.url) as http:
        events = http.get(f"/sessions/{answered}/events").json()["events"]
        assert [e["id"] for e in doc["events"]] == [e["id"] for e in events]
        at = next(e["seq"] for e in events if e["type"] == "tool_result"
                  and e["data"]["tool"] == "run_fba")
        fba = page.locator(".item-call", has=page.locator("h3 code", has_text="run_fba")
                           ).first
        with page.expect_navigation():
            fba.get_by_role("button", name="Fork here").click()
        child = page.url.rsplit("/", 1)[1]
        assert child != answered
        forked = http.get(f"/sessions/{child}/events").json()["events"]
    assert [e["id"] for e in forked[:at + 1]] == [e["id"] for e in events[:at + 1]]
    assert forked[-1]["type"] == "session_forked"
    assert page.locator(".item-answer").count() == 0  # forked before the answer


def test_pause_and_resume_buttons(page: Any, waiting: str) -> None:
    page.goto(f"/web/sessions/{waiting}")
    with page.expect_navigation():
        page.get_by_role("button", name="Pause").click()
    assert page.locator("#session-status").inner_text() == "paused"
    assert page.locator(".item-note", has_text="session paused").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Resume").click()
    page.locator("#session-status", has_text="waiting for approval").wait_for()
    assert page.get_by_role("button", name="Pause").count() == 1
