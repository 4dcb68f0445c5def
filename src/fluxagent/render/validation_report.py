"""The validation report of ``validate_model`` as Markdown and as a standalone HTML page.

Input is the report dict of ``tools/cobra/quality_score.build_sections`` plus the model's
name and the conventions used. Every id, name and note comes from a model file or a tool
argument, so it goes through ``render/escape`` (``md_text`` / ``md_code`` / ``html_text``).
"""

from __future__ import annotations

from typing import Any

from fluxagent.render.escape import html_text, md_code, md_text

#: Items listed per check; the JSON report has them all.
SHOWN = 40


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: total score, conventions, one table row per check and the
    items each check found."""
    lines = [f"# Validation of {md_text(report['model'])}", "",
             f"**Total score: {_pct(report['score'])}** (mean of the section scores; a "
             "check scores 1 - found / tested, a section the mean of its checks).", ""]
    if report.get("conventions"):
        lines += ["Conventions:", ""]
        lines += [f"- {md_text(k)}: {md_text(v)}" for k, v in report["conventions"].items()]
        lines.append("")
    for sec in report["sections"]:
        lines += [f"## {md_text(sec['title'])}: {_pct(sec['score'])}", "",
                  "| check | found | of | score | memote test |", "|---|---:|---:|---:|---|"]
        for c in sec["checks"]:
            lines.append(f"| {md_text(c['title'])} | {c['count']} | {c['of']} | "
                         f"{_pct(c['score'])} | {md_text(c['memote_test'] or '-')} |")
        lines.append("")
        for c in sec["checks"]:
            if c["note"]:
                lines.append(f"- *{md_text(c['title'])}*: {md_text(c['note'])}")
            if c["items"]:
                more = f" … (+{len(c['items']) - SHOWN} more)" if len(c["items"]) > SHOWN else ""
                lines.append(f"- {md_text(c['title'])}: "
                             + ", ".join(md_code(i) for i in c["items"][:SHOWN]) + more)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
          "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
          "padding:.2em .6em}td.n{text-align:right}.bar{display:inline-block;height:.8em;"
          "background:#4a8}.ids{font-family:monospace;font-size:.9em}")


def html(report: dict[str, Any]) -> str:
    """The report as one self-contained HTML page (no scripts, no external resources)."""
    name = html_text(report["model"])
    out = ["<!doctype html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
           f"<title>Validation of {name}</title><style>{_STYLE}</style></head><body>",
           f"<h1>Validation of {name}</h1>",
           f"<p><strong>Total score: {_pct(report['score'])}</strong> (mean of the section "
           "scores; a check scores 1 - found / tested, a section the mean of its checks).</p>"]
    if report.get("conventions"):
        out.append("<ul class=\"conventions\">" + "".join(
            f"<li>{html_text(k)}: {html_text(v)}</li>"
            for k, v in report["conventions"].items()) + "</ul>")
    for sec in report["sections"]:
        width = round(100 * float(sec["score"]))
        out.append(f"<section id=\"{html_text(sec['section'])}\"><h2>{html_text(sec['title'])}"
                   f": {_pct(sec['score'])} <span class=\"bar\" style=\"width:{width}px\">"
                   "</span></h2>")
        out.append("<table><tr><th>check</th><th>found</th><th>of</th><th>score</th>"
                   "<th>memote test</th><th>notes and items</th></tr>")
        for c in sec["checks"]:
            items = ", ".join(html_text(i) for i in c["items"][:SHOWN])
            if len(c["items"]) > SHOWN:
                items += f" … (+{len(c['items']) - SHOWN} more)"
            note = f"<div>{html_text(c['note'])}</div>" if c["note"] else ""
            out.append(f"<tr><td>{html_text(c['title'])}</td><td class=\"n\">{c['count']}</td>"
                       f"<td class=\"n\">{c['of']}</td><td class=\"n\">{_pct(c['score'])}</td>"
                       f"<td>{html_text(c['memote_test'] or '-')}</td>"
                       f"<td>{note}<div class=\"ids\">{items}</div></td></tr>")
        out.append("</table></section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
