"""The workbench in a real headless Chromium against a real server: ask → answer,
interpretation and plot; gapfill waits → approved in the inbox → result; rejected with a
comment → the flow takes its other branch; a live FVA's progress bar advances; an uploaded
SBML with markup in a reaction name shows the text and runs nothing."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from browsing import LONG, ask, start_flow
from serving import Server

pytestmark = pytest.mark.slow
EVIL = ('<script>window.__pwned=1;alert(1)</script>'
        '<img src=x onerror="window.__pwned=2;alert(2)">')


def test_ask_shows_answer_interpretation_and_plot(page: Any, answered: str,
                                                  web_server: Server) -> None:
    page.goto(f"/web/sessions/{answered}")
    answer = page.locator(".item-answer .answer-text")
    assert "0.211663" in answer.inner_text()
    interp = page.locator(".item-answer .interpretation").inner_text()
    assert "e_coli_core" in interp and "anaerobic" in interp
    fba = page.locator(".item-call", has=page.locator("h3 code", has_text="run_fba"))
    chart = fba.locator("svg.chart")
    assert chart.count() == 1 and chart.locator("rect").count() >= 5
    assert "largest fluxes" in chart.locator("title").first.text_content()
    assert page.locator("#session-status").inner_text() == "done"
    # the flux table sorts, and its CSV is the whole table
    table = fba.locator("table.data").first
    sort = table.locator("th button.sort", has_text="flux")
    sort.focus()
    page.keyboard.press("Enter")  # sorting works from the keyboard
    assert sort.get_attribute("data-dir") == "asc"
    page.keyboard.press("Enter")  # descending
    assert table.locator("th[aria-sort=descending]").count() == 1
    first = float(table.locator("tbody tr").first.locator("td.num").get_attribute("data-v"))
    values = [float(v) for v in table.locator("tbody td.num").evaluate_all(
        "cells => cells.map(c => c.dataset.v)")]
    assert first == max(values)
    href = fba.get_by_role("link", name="Download CSV").first.get_attribute("href")
    csv = page.request.get(href)
    assert csv.ok and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text().strip().splitlines()
    assert lines[0].startswith("id,") and len(lines) - 1 == len(values)
    seq = int(href.split("/events/")[1].split("/")[0])
    assert fba.get_by_role("link", name="Flux map").get_attribute("href") == \
        f"/web/maps/{answered}/{seq}"
    with httpx.Client(base_url=web_server.url) as http:
        events = http.get(f"/sessions/{answered}/events").json()["events"]
    assert events[seq]["type"] == "tool_result" and events[seq]["data"]["tool"] == "run_fba"
    assert abs(events[seq]["data"]["data"]["growth_rate"] - 0.211663) < 1e-6
    # the follow-up box asks the next question in the same session
    page.fill("#follow-q", "Which genes are essential?")
    page.locator(".follow-up").get_by_role("button", name="Ask").click()
    page.wait_for_url(re.compile(f"/web/sessions/{answered}"))
    page.locator(".item-question").nth(1).wait_for()
    page.locator(".item-answer").nth(1).wait_for(timeout=LONG)
    assert "essential" in page.locator(".item-answer").nth(1).inner_text()


def _wait_for_approval(page: Any) -> None:
    page.locator(".pending-box").wait_for(timeout=LONG)
    assert "gapfill" in page.locator(".pending-box h2").inner_text()
    assert page.locator("#session-status").inner_text() == "waiting for approval"


def test_gapfill_waits_then_is_approved_in_the_inbox(page: Any) -> None:
    sid = start_flow(page, "damage_and_repair")
    _wait_for_approval(page)
    page.goto("/web")
    row = page.locator("table.sessions tr.pending", has=page.locator(
        f'a[href="/web/sessions/{sid}"]'))
    assert row.count() == 1  # highlighted in the list
    page.select_option("select[name=status]", "waiting_for_approval")
    page.fill("input[name=q]", "damage_and_repair")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the filter form, from the keyboard
    links = page.locator("table.sessions td.question a")
    assert links.count() >= 1 and page.locator(
        "table.sessions .status").all_inner_texts() == ["waiting for approval"] * links.count()
    page.goto("/web/sessions?status=done")
    assert page.locator(f'a[href="/web/sessions/{sid}"]').count() == 0
    page.goto("/web/inbox")
    card = page.locator("li.card", has=page.locator(f'a[href="/web/sessions/{sid}"]'))
    assert "gapfill" in card.locator("h2").inner_text()
    # edited arguments are checked against the tool's schema before anything is stored
    card.locator("summary", has_text="Edit the arguments").click()
    card.locator("textarea[name=args]").fill('{"min_growth": "lots"}')
    with page.expect_navigation():
        card.get_by_role("button", name="Approve").click()
    assert "invalid" in page.locator(".flash.error").inner_text()
    card = page.locator("li.card", has=page.locator(f'a[href="/web/sessions/{sid}"]'))
    card.locator(".approve-form input[name=comment]").fill("fill it")
    with page.expect_navigation():
        card.get_by_role("button", name="Approve").click()
    assert "continues" in page.locator(".flash.note").inner_text()
    assert page.locator("li.card", has=page.locator(f'a[href="/web/sessions/{sid}"]')
                        ).count() == 0  # answered: no longer in the inbox
    page.goto(f"/web/sessions/{sid}")
    page.locator(".item-answer").wait_for(timeout=LONG)
    gap = page.locator(".item-call", has=page.locator("h3 code", has_text="gapfill"))
    assert gap.locator(".summary").count() == 1
    decision = page.locator(".item-approval .decision").inner_text()
    assert decision.startswith("Approved by local") and "fill it" in decision
    after = re.search(r"after ([0-9.]+)", page.locator(".item-answer").inner_text())
    assert after and float(after.group(1)) >= 0.05  # it grows again


def test_reject_with_a_comment_changes_course(page: Any) -> None:
    sid = start_flow(page, "damage_and_repair")
    _wait_for_approval(page)
    page.goto("/web/inbox")
    card = page.locator("li.card", has=page.locator(f'a[href="/web/sessions/{sid}"]'))
    card.locator(".reject-form input[name=comment]").fill("no <b>gap filling</b> today")
    with page.expect_navigation():
        card.get_by_role("button", name="Reject").click()
    page.goto(f"/web/sessions/{sid}")
    page.locator(".item-answer").wait_for(timeout=LONG)
    decision = page.locator(".item-approval .decision")
    assert decision.inner_text() == "Rejected by local: “no <b>gap filling</b> today”"
    assert decision.locator("b").count() == 0  # the comment is text, not markup
    assert "no gap filling" in page.locator(".item-answer").inner_text()
    gap = page.locator(".item-call", has=page.locator("h3 code", has_text="gapfill"))
    assert gap.locator(".summary").count() == 0  # never ran
    assert gap.locator(".decision-reject").inner_text().startswith("Not run: rejected")
    tools = page.locator(".item-call h3 code").all_inner_texts()
    assert tools.count("run_fba") == 1  # the flow went to done, not to its regrow step


def test_live_fva_shows_a_progress_bar_that_advances(page: Any) -> None:
    ask(page, "What are the flux ranges (FVA) of iJO1366?")
    seen: list[float] = []
    texts: set[str] = set()
    deadline = time.monotonic() + LONG / 1000
    while time.monotonic() < deadline and page.locator(".item-answer").count() == 0:
        state = page.evaluate("""() => { const b = document.getElementById('progress');
            return b && !b.hidden ? [document.getElementById('progress-bar').value,
            document.getElementById('progress-text').textContent] : null; }""")
        if state is not None:
            seen.append(float(state[0]))
            texts.add(state[1])
        page.wait_for_timeout(100)
    assert page.locator(".item-answer").count() == 1, "the FVA did not finish"
    assert any(t.startswith("FVA") for t in texts), texts
    assert len(set(seen)) >= 3 and max(seen) > min(seen), seen
    assert page.locator("#progress").is_hidden()  # gone once the result is in
    fva = page.locator(".item-call", has=page.locator("h3 code", has_text="run_fva"))
    assert "2583 reactions" in fva.locator(".summary").inner_text()
    assert fva.locator("svg.chart line[stroke-width='6']").count() >= 5


def test_uploaded_sbml_with_markup_in_a_name_shows_text_and_runs_nothing(
        page: Any, tmp_path: Path) -> None:
    import cobra
    model = cobra.io.load_model("textbook")
    model.reactions.ENO.name = EVIL
    path = tmp_path / "evil_model.xml"
    cobra.io.write_sbml_model(model, str(path))
    junk = tmp_path / "notes.xml"
    junk.write_text("<html><body>not a model</body></html>")
    page.goto("/web/models")
    page.set_input_files("#model-file", str(junk))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()
    assert "XML but not SBML" in page.locator(".flash.error").inner_text()  # the store's check
    page.set_input_files("#model-file", str(path))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/web/models/file:"))
    assert "stored as file:" in page.locator(".flash.note").inner_text()
    page.fill("#mq", "ENO")
    page.get_by_role("button", name="Search").click()
    name = page.locator(".found-reactions td.name").first
    assert name.inner_text() == EVIL
    assert page.locator("main script, main img").count() == 0
    # a question on the uploaded file shows the same name as text in the timeline
    page.goto("/web/ask")
    page.fill("#question", "What happens to growth if ENO is knocked out?")
    page.set_input_files("#upload", str(path))
    page.locator("#ask-form").get_by_role("button", name="Ask").click()
    page.wait_for_url(re.compile(r"/web/sessions/"))
    page.locator(".item-answer").wait_for(timeout=LONG)
    assert page.locator("main script, main img[src='x']").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert page.dialogs == []
