"""Driving the workbench like a person: ask through the form, start a flow."""

from __future__ import annotations

import re
from typing import Any

QUESTION = "How fast does e_coli_core grow without oxygen?"
LONG = 240_000  # ms: a run on a busy two-core machine


def session_id(page: Any) -> str:
    match = re.search(r"/web/sessions/([^/?#]+)", page.url)
    assert match, page.url
    return match.group(1)


def ask(page: Any, question: str) -> str:
    page.goto("/web/ask")
    page.fill("#question", question)
    page.locator("#ask-form").get_by_role("button", name="Ask").click()
    page.wait_for_url(re.compile(r"/web/sessions/"))
    return session_id(page)


def start_flow(page: Any, name: str) -> str:
    page.goto("/web/ask")
    page.select_option("#flow", name)
    page.get_by_role("button", name="Start the flow").click()
    page.wait_for_url(re.compile(r"/web/sessions/"))
    return session_id(page)
