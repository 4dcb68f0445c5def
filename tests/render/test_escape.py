"""The escaping layer: hostile names become plain text on the terminal, in Markdown and HTML.

Rendered for real: Rich prints into a recording console, Markdown goes through markdown-it
(the CommonMark parser Rich uses) to HTML, HTML through the standard library's parser.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from rich.console import Console
from rich.markdown import Markdown

from fluxagent.render.escape import (
    html_text,
    md_code,
    md_safe,
    md_text,
    plain,
    safe_url,
    terminal,
)

HOSTILE = [
    "[/x]", "[bold red]loud[/]", "[link=https://evil]x[/link]", "\\[/x]", "trailing\\",
    "\x1b[2J\x1b[H cleared", "\x1b]52;c;ZXZpbA==\x07 clipboard", "\x1b]8;;http://e\x1b\\l\x1b]8;;\x1b\\",
    "\x9b31m c1", "\x1bc reset", "bell\x07 back\x08 cr\r", "bidi \u202egnp.exe",
    "<script>alert(1)</script>", "[click](javascript:alert(1))", "<javascript:alert(1)>",
    "![img](data:text/html,x)", "*em* _u_ `code` | pipe ~~s~~ &amp; &#106;",
]


def render_terminal(markup: str) -> str:
    console = Console(record=True, width=400, color_system="truecolor", force_terminal=True)
    console.print(markup, highlight=False)
    return console.export_text()


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_shows_the_text_and_nothing_else(text: str) -> None:
    shown = render_terminal(f"[red]error:[/] {terminal(text)}")
    expected = plain(text).rstrip("\n")
    if expected.endswith("\\"):  # doubled so that it cannot escape a tag that follows it
        expected += "\\"
    assert shown.rstrip("\n") == "error: " + expected
    one_line = plain(text, multiline=False)
    assert render_terminal(f"[red]{terminal(one_line)}[/] after").rstrip("\n") \
        == one_line + " after"
    assert "\x1b" not in plain(text) and "\x9b" not in plain(text) and "\x07" not in plain(text)


def test_plain_removes_escape_sequences_but_keeps_text() -> None:
    assert plain("\x1b[2J\x1b]52;c;ZXZpbA==\x07evil") == "evil"
    assert plain("a\x1b[31mb\x1b[0mc") == "abc"
    assert plain("line1\nline2\ttab") == "line1\nline2\ttab"
    assert plain("line1\r\nline2", multiline=False) == "line1 line2"
    assert plain("\u202eabc") == "abc"
    assert plain("[lower, upper]") == "[lower, upper]"


def test_brackets_survive_in_messages() -> None:
    shown = render_terminal(terminal("bounds must be [lower, upper] with lower <= upper"))
    assert "[lower, upper]" in shown


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k in ("href", "src")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(source: str) -> _Collect:
    parser = _Collect()
    parser.feed(source)
    return parser


MD = MarkdownIt("commonmark", {"html": True, "linkify": False})


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_renders_as_exactly_the_text(text: str) -> None:
    html = MD.renderInline(md_text(text))
    doc = parse_html(html)
    assert doc.tags == []  # no element at all: no script, link, emphasis, code
    assert "".join(doc.text) == plain(text, multiline=False)


@pytest.mark.parametrize("text", [*HOSTILE, "a`b", "``", " x ", ""])
def test_md_code_is_one_verbatim_code_span(text: str) -> None:
    doc = parse_html(MD.renderInline(md_code(text)))
    assert doc.tags == ["code"]
    assert "".join(doc.text).strip() == plain(text, multiline=False).strip()


def test_md_safe_keeps_markdown_but_no_html_or_unsafe_links() -> None:
    answer = ("**Growth** 0.87 1/h; see [docs](https://cobrapy.readthedocs.io) and "
              "[x](javascript:alert(1)) [y](&#106;avascript:alert(1)) "
              "[z](JaVa\tScRiPt:alert(1)) ![i](data:text/html;base64,xx) <javascript:alert(1)>\n"
              "<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
              "[r]: javascript:alert(2)\n\n[ref][r]\n\n`<b>code</b>`\n")
    html = MD.render(md_safe(answer))
    doc = parse_html(html)
    assert "script" not in doc.tags and "img" not in doc.tags
    assert set(doc.hrefs) == {"https://cobrapy.readthedocs.io", "#"}  # '#': the bad ref
    assert "strong" in doc.tags and "code" in doc.tags
    assert "<b>code</b>" in "".join(doc.text)  # code spans are left verbatim


def test_md_safe_answer_in_the_terminal_has_no_escapes_or_links() -> None:
    console = Console(record=True, width=200, force_terminal=True)
    console.print(Markdown(md_safe("\x1b]52;c;ZXZpbA==\x07[x](javascript:alert(1)) ok"),
                           hyperlinks=False))
    text = console.export_text()
    assert "ok" in text and "javascript" not in text
    assert "\x1b]52" not in "".join(s.text for s in console._record_buffer)


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_is_text(text: str) -> None:
    doc = parse_html(f'<p title="{html_text(text)}">{html_text(text)}</p>')
    assert doc.tags == ["p"]
    assert "".join(doc.text) == plain(text)


def test_safe_url() -> None:
    assert safe_url("https://example.org/x?a=1") == "https://example.org/x?a=1"
    assert safe_url("/sessions/abc") == "/sessions/abc"
    assert safe_url("mailto:lab@example.org") == "mailto:lab@example.org"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:x",
                "&#106;avascript:x", "data:text/html,x", "vbscript:x", "file:///etc/passwd"):
        assert safe_url(bad) == "#", bad
