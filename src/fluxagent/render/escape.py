"""User data as text on every output surface: one function per surface and kind of text.

Names and ids come from model files, questions, tool arguments and LLM output; none of them is
markup, code or a terminal command. Every renderer (``cli/``, ``runtime/transcript.py``, the web
UI) turns such data into its format only through these functions:

- ``plain``: any value as printable text; terminal escape sequences (CSI such as ``ESC[2J``, OSC
  such as OSC 52 clipboard writes and OSC 8 links, DCS/APC/PM strings), other C0/C1 control
  characters and bidirectional overrides are removed. The base of every other function.
- ``terminal``: ``plain`` with Rich markup escaped, to place inside a Rich markup string
  (``f"[red]error:[/] {terminal(message)}"``); ``[lower, upper]`` stays visible.
- ``md_text`` / ``md_code``: inline Markdown text (punctuation that Markdown or HTML would read
  escaped) and an inline code span (ids, JSON arguments).
- ``md_safe``: Markdown written by a decider (an answer), kept as Markdown, but raw HTML shows
  as text and links or images whose scheme is not http, https or mailto lose their target.
- ``html_text`` / ``safe_url``: HTML text and attribute values, and link targets.
"""

from __future__ import annotations

import html
import re
from typing import Any

from rich.markup import escape as _rich_escape

#: Escape sequences as a terminal reads them (7-bit ESC forms and 8-bit C1 forms).
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI ... final byte (ESC[2J, colours, cursor moves)
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS..
    r"|\x1b[ -/]*[0-~]?"  # two- and three-byte escapes (ESC c resets the terminal)
)
#: Control characters left after the sequences (tab and newline are kept when multiline).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                       r"\ufeff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
#: What Markdown or inline HTML could read as syntax inside a line: emphasis, code, links,
#: images, HTML, entities, tables, strikethrough; ``_`` only where it is not inside a word.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>&|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
#: What Markdown reads at the start of a line: headings, quotes, lists, setext rules.
_MD_LINE_START = re.compile(r"^(\s*(?:\d+)?)([#>+\-=](?<!\d[#>+\-=])|(?<=\d)[.)])")
SAFE_SCHEMES = ("http", "https", "mailto")


def plain(value: Any, *, multiline: bool = True) -> str:
    """``value`` as printable text without terminal escapes or control characters.

    With ``multiline=False`` line breaks and tabs become spaces (one table cell, one line).
    """
    text = value if isinstance(value, str) else str(value)
    text = _LINE_BREAKS.sub("\n", text)
    text = _SEQUENCES.sub("", text)
    text = _CONTROLS.sub("", text)
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return text


def terminal(value: Any, *, multiline: bool = True) -> str:
    """``plain`` text safe inside a Rich markup string: ``[x]`` prints as ``[x]``."""
    return _rich_escape(plain(value, multiline=multiline))


def md_text(value: Any) -> str:
    """Inline Markdown text that renders as exactly this text (no emphasis, link or HTML)."""
    text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), plain(value, multiline=False))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_code(value: Any) -> str:
    """An inline code span holding ``value`` verbatim (ids, names, JSON)."""
    text = plain(value, multiline=False)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith(("`", " ")) or text.endswith(("`", " ")):
        text = f" {text} "
    return f"{fence}{text or ' '}{fence}"


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url`` (entities decoded, blanks dropped)."""
    seen = re.sub(r"[\s\x00-\x1f]", "", html.unescape(url))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", seen)
    return match.group(1).lower() if match else None


def safe_url(url: Any) -> str:
    """``url`` when it is relative or http(s)/mailto, else ``"#"`` (javascript:, data:, ...)."""
    text = plain(url, multiline=False).strip()
    scheme = url_scheme(text)
    return text if scheme is None or scheme in SAFE_SCHEMES else "#"


def html_text(value: Any) -> str:
    """Text for an HTML element's content or a quoted attribute value."""
    return html.escape(plain(value), quote=True)


# ------------------------------------------------------------------ Markdown from a decider
_CODE = re.compile(r"(^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\2[^\n]*$|\Z))|(`+)(.+?)\3",
                   re.M | re.S)
_LINK = re.compile(r"(!?\[(?:[^\[\]\\]|\\.)*\])\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)"
                   r"[^\s()]*)*)([^)]*)\)")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(\S+)(.*)$", re.M)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^<>\s]*)>")


def _unsafe(target: str) -> bool:
    scheme = url_scheme(target.strip("<>"))
    return scheme is not None and scheme not in SAFE_SCHEMES


def _safe_prose(text: str) -> str:
    def link(m: re.Match[str]) -> str:
        return m.group(1).lstrip("!")[1:-1] if _unsafe(m.group(2)) else m.group(0)

    def reference(m: re.Match[str]) -> str:
        return f"{m.group(1)}#{m.group(3)}" if _unsafe(m.group(2)) else m.group(0)

    text = _LINK.sub(link, text)
    text = _REFERENCE.sub(reference, text)
    text = _AUTOLINK.sub(lambda m: m.group(0) if not _unsafe(m.group(1))
                         else md_text(m.group(1)), text)
    return text.replace("<", "&lt;")


def md_safe(markdown: Any) -> str:
    """Markdown kept as Markdown, with raw HTML shown as text and unsafe link targets dropped.

    Code spans and fenced blocks are left as they are (Markdown shows them verbatim).
    """
    text = plain(markdown)
    out: list[str] = []
    pos = 0
    for m in _CODE.finditer(text):
        out.append(_safe_prose(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_safe_prose(text[pos:]))
    return "".join(out)
