"""No prompt text lives outside prompts/templates (factor 2): a scan of every module in src/.

A prompt here is a string literal (f-string parts joined) that is not a docstring, has at least
``MIN_WORDS`` words and talks to a language model the way prompts do ("You are ...", "respond
with", "your task"). Such text belongs in a versioned template; the few exceptions are listed
in ``ALLOWED`` with the reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "fluxagent"
MIN_WORDS = 8
ADDRESSED = re.compile(
    r"\byou are\b|\byou must\b|\byou should\b|\byou cannot\b|\byour (task|job|role|goal)\b"
    r"|\brespond (only |with )|\breply (only |with )|\banswer (only )?with\b"
    r"|\bas an? (ai|assistant|language model)\b|\bstep by step\b|\bdo not (invent|make up)\b"
    r"|\bthink (carefully|step)\b|\bfollow these\b|\bjson object and nothing else\b",
    re.IGNORECASE)
#: (module path relative to src/fluxagent, start of the text): why it may stay inline.
ALLOWED: dict[tuple[str, str], str] = {}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _texts(tree: ast.AST) -> list[tuple[int, str]]:
    skip = _docstrings(tree)
    out = []
    inside_fstring = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
            inside_fstring.update(id(v) for v in node.values)
            out.append((node.lineno, "".join(str(p) for p in parts)))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in skip and id(node) not in inside_fstring):
            out.append((node.lineno, node.value))
    return out


def inline_prompts(root: Path = SRC) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = str(path.relative_to(root))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, text in _texts(tree):
            if len(text.split()) >= MIN_WORDS and ADDRESSED.search(text):
                if any(rel == r and text.startswith(start) for r, start in ALLOWED):
                    continue
                found.append(f"{rel}:{line}: {text[:90]!r}")
    return found


def test_no_prompt_text_outside_the_templates() -> None:
    found = inline_prompts()
    assert not found, ("prompt text belongs in src/fluxagent/prompts/templates (versioned, "
                       "tested); found inline:\n" + "\n".join(found))


def test_the_scan_finds_an_inline_prompt(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(
        'SYSTEM = "You are a helpful assistant for metabolic models; reply with JSON."\n'
        'def f(x):\n    """You are not flagged: docstrings explain code to people."""\n'
        '    return f"You must call {x} again with a JSON object that fits the schema"\n')
    found = inline_prompts(tmp_path)
    assert len(found) == 2 and all(f.startswith("bad.py:") for f in found)
