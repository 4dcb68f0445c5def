"""Every prompt fluxagent sends lives here, as a versioned Jinja2 file (factor 2).

Layout: ``templates/<name>/<semver>.j2``, each file a YAML front matter block (``name``,
``version``, ``description``, ``variables`` {name: meaning}, ``model_hints``) then the template.
Old versions stay on disk, so a session can always be replayed with the prompt it used.
``templates/prompts.lock.json`` pins the sha256 of every version: editing a released version
instead of adding a new one fails ``verify_lock`` (and the test suite). Undefined variables are
errors (``StrictUndefined``), and so are variables a template uses but does not declare, or a
caller passes but the template does not know: a prompt is never rendered half-filled.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import yaml

TEMPLATES = Path(__file__).with_name("templates")
LOCK_NAME = "prompts.lock.json"
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_REQUIRED = ("name", "version", "description", "variables")


class PromptError(ValueError):
    """A prompt that cannot be loaded or rendered (one-line message naming file and cause)."""


def parse_version(text: str) -> tuple[int, int, int]:
    m = _SEMVER.match(str(text))
    if not m:
        raise PromptError(f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    return int(m[1]), int(m[2]), int(m[3])


def content_hash(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").encode()).hexdigest()


@dataclass(frozen=True)
class PromptTemplate:
    """One version of one prompt, parsed and compiled."""

    name: str
    version: str
    description: str
    variables: dict[str, str]
    model_hints: dict[str, Any]
    body: str
    source: str  # the whole file: front matter and body
    path: Path | None
    sha256: str
    compiled: jinja2.Template = field(repr=False, compare=False)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]


_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False,
                          trim_blocks=True, lstrip_blocks=True, autoescape=False)


def parse_template(source: str, where: str = "<string>") -> PromptTemplate:
    """Front matter + Jinja2 body → a checked template, or a ``PromptError`` saying why."""
    if not source.startswith("---\n"):
        raise PromptError(f"{where}: a prompt file starts with a '---' front matter block")
    try:
        head, body = source[4:].split("\n---\n", 1)
    except ValueError:
        raise PromptError(f"{where}: the front matter block is not closed by '---'") from None
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        raise PromptError(f"{where}: front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise PromptError(f"{where}: front matter must be a mapping")
    missing = [k for k in _REQUIRED if k not in meta]
    if missing:
        raise PromptError(f"{where}: front matter lacks {', '.join(missing)}")
    version = str(meta["version"])
    parse_version(version)
    variables = meta["variables"] or {}
    if isinstance(variables, list):
        variables = {str(v): "" for v in variables}
    if not isinstance(variables, dict):
        raise PromptError(f"{where}: 'variables' must map each variable to its meaning")
    try:
        compiled = _ENV.from_string(body)
        used = jinja2.meta.find_undeclared_variables(_ENV.parse(body))
    except jinja2.TemplateSyntaxError as exc:
        raise PromptError(f"{where}: template syntax error at line {exc.lineno} of the "
                          f"body: {exc.message}") from None
    undeclared = sorted(used - set(variables))
    if undeclared:
        raise PromptError(f"{where}: uses variables not declared in the front matter: "
                          f"{', '.join(undeclared)}")
    return PromptTemplate(name=str(meta["name"]), version=version,
                          description=str(meta["description"]).strip(),
                          variables={str(k): str(v) for k, v in variables.items()},
                          model_hints=dict(meta.get("model_hints") or {}), body=body,
                          source=source, path=None, sha256=content_hash(source),
                          compiled=compiled)


def _bump(version: str, part: str) -> str:
    major, minor, patch = parse_version(version)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


class PromptManager:
    """Loads, renders, versions and tests the prompts under ``root``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else TEMPLATES
        self.templates: dict[str, PromptTemplate] = {}  # "name@version" → template
        self.versions: dict[str, list[str]] = {}  # name → versions, oldest first
        self.metrics: dict[str, dict[str, int]] = {}  # "name@version" → renders, tokens
        self.reload()

    # -- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        if not self.root.is_dir():
            raise PromptError(f"no prompt directory at {self.root}")
        self.templates.clear()
        self.versions.clear()
        for path in sorted(self.root.glob("*/*.j2")):
            where = str(path.relative_to(self.root))
            tpl = parse_template(path.read_text(encoding="utf-8"), where)
            if tpl.name != path.parent.name or tpl.version != path.stem:
                raise PromptError(f"{where}: front matter says {tpl.ref}; the file must be "
                                  f"{tpl.name}/{tpl.version}.j2")
            tpl = PromptTemplate(**{**tpl.__dict__, "path": path})
            self.templates[tpl.ref] = tpl
            self.versions.setdefault(tpl.name, []).append(tpl.version)
        for versions in self.versions.values():
            versions.sort(key=parse_version)

    def names(self) -> list[str]:
        return sorted(self.versions)

    def template(self, name: str, version: str = "latest") -> PromptTemplate:
        if name not in self.versions:
            close = difflib.get_close_matches(name, self.names(), n=3)
            raise PromptError(f"no prompt named {name!r}" + (
                f"; did you mean {', '.join(close)}?" if close else
                f"; prompts: {', '.join(self.names())}"))
        if version == "latest":
            version = self.versions[name][-1]
        tpl = self.templates.get(f"{name}@{version}")
        if tpl is None:
            raise PromptError(f"prompt {name} has no version {version}; versions: "
                              f"{', '.join(self.versions[name])}")
        return tpl

    # -- the seed's API ---------------------------------------------------------------------
    def get_prompt(self, name: str, version: str = "latest", **variables: Any) -> str:
        """The rendered prompt; every declared variable must be given, and only those."""
        tpl = self.template(name, version)
        unknown = sorted(set(variables) - set(tpl.variables))
        if unknown:
            raise PromptError(f"prompt {tpl.ref} has no variable {', '.join(unknown)}; it takes "
                              f"{', '.join(tpl.variables) or 'none'}")
        missing = sorted(set(tpl.variables) - set(variables))
        if missing:
            raise PromptError(f"prompt {tpl.ref} needs {', '.join(missing)} "
                              f"({'; '.join(f'{m}: {tpl.variables[m]}' for m in missing)})")
        try:
            text = tpl.compiled.render(**variables).strip()
        except jinja2.UndefinedError as exc:
            raise PromptError(f"prompt {tpl.ref}: {exc.message}") from None
        stats = self.metrics.setdefault(tpl.ref, {"renders": 0, "chars": 0})
        stats["renders"] += 1
        stats["chars"] += len(text)
        return text

    def version_prompt(self, name: str, template: str, *, part: str = "minor",
                       description: str | None = None) -> str:
        """Store ``template`` (a body, or a whole file with front matter) as the next version.

        Returns the version that holds it: the latest one if nothing changed, else a new file
        (``part`` of the version bumped), recorded in the lock.
        """
        latest = self.template(name) if name in self.versions else None
        if template.startswith("---\n"):
            proposed = parse_template(template, f"{name} (new)")
            body, variables = proposed.body, proposed.variables
            hints, desc = proposed.model_hints, proposed.description
        else:
            body = template
            variables = dict(latest.variables) if latest else {}
            hints = dict(latest.model_hints) if latest else {}
            desc = latest.description if latest else name
        if latest and body.strip() == latest.body.strip() and variables == latest.variables:
            return latest.version
        version = _bump(latest.version, part) if latest else "1.0.0"
        front = {"name": name, "version": version, "description": description or desc,
                 "variables": variables, "model_hints": hints}
        source = "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + body.lstrip("\n")
        parse_template(source, f"{name}/{version}.j2")  # refuse to write a broken prompt
        path = self.root / name / f"{version}.j2"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        self.reload()
        self.write_lock()
        return version

    def test_prompt(self, name: str, test_cases: list[dict[str, Any]] | None = None,
                    version: str = "latest") -> dict[str, Any]:
        """Run cases against a prompt version; cases default to ``cases/<name>.yaml``.

        A case: ``{name, vars, contains: [..], not_contains: [..], max_tokens: N,
        error: "text of the expected PromptError"}``.
        """
        from fluxagent.context.tokens import count_text

        tpl = self.template(name, version)
        cases = test_cases if test_cases is not None else self.cases(name)
        results = []
        for i, case in enumerate(cases):
            label = str(case.get("name", f"case {i + 1}"))
            problems: list[str] = []
            tokens = 0
            try:
                text = self.get_prompt(name, tpl.version, **dict(case.get("vars", {})))
            except PromptError as exc:
                expected = case.get("error")
                if not expected or str(expected).lower() not in str(exc).lower():
                    problems.append(f"error: {exc}")
            else:
                tokens = count_text(text)
                if case.get("error"):
                    problems.append(f"expected an error mentioning {case['error']!r}")
                problems += [f"missing {s!r}" for s in case.get("contains", []) if s not in text]
                problems += [f"contains {s!r}" for s in case.get("not_contains", [])
                             if s in text]
                limit = case.get("max_tokens")
                if limit is not None and tokens > int(limit):
                    problems.append(f"{tokens} tokens > {limit}")
            results.append({"case": label, "ok": not problems, "problems": problems,
                            "tokens": tokens})
        passed = sum(1 for r in results if r["ok"])
        return {"prompt": tpl.ref, "hash": tpl.short_hash, "passed": passed,
                "failed": len(results) - passed, "results": results}

    # -- cases, diffs and the lock ----------------------------------------------------------
    def cases(self, name: str) -> list[dict[str, Any]]:
        path = self.root.parent / "cases" / f"{name}.yaml"
        if not path.exists():
            return []
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(doc, list):
            raise PromptError(f"{path}: test cases must be a YAML list")
        return doc

    def diff(self, a: str, b: str) -> str:
        """Unified diff of two prompt refs (``system@1.0.0``, ``system@latest`` or ``system``)."""
        ta, tb = (self.template(*(ref.split("@", 1) if "@" in ref else (ref, "latest")))
                  for ref in (a, b))
        return "".join(difflib.unified_diff(
            ta.source.splitlines(keepends=True), tb.source.splitlines(keepends=True),
            fromfile=ta.ref, tofile=tb.ref))

    @property
    def lock_path(self) -> Path:
        return self.root / LOCK_NAME

    def read_lock(self) -> dict[str, dict[str, str]]:
        if not self.lock_path.exists():
            return {}
        return dict(json.loads(self.lock_path.read_text(encoding="utf-8")))

    def verify_lock(self) -> list[str]:
        """Problems: a released version edited in place, a version deleted, one not locked."""
        lock, problems = self.read_lock(), []
        for ref, tpl in sorted(self.templates.items()):
            pinned = lock.get(tpl.name, {}).get(tpl.version)
            if pinned is None:
                problems.append(f"{ref} is not in {LOCK_NAME}; run `fluxagent prompts lock`")
            elif pinned != tpl.sha256:
                problems.append(f"{ref} changed after release (sha256 {tpl.short_hash}, locked "
                                f"{pinned[:12]}); restore it and put the change in a new "
                                "version (`fluxagent prompts bump`)")
        for name, versions in lock.items():
            for version in versions:
                if f"{name}@{version}" not in self.templates:
                    problems.append(f"{name}@{version} is locked but its file is gone; old "
                                    "versions must stay retrievable")
        return problems

    def write_lock(self) -> dict[str, dict[str, str]]:
        """Add unlocked versions to the lock; never re-pin a version that changed."""
        lock = self.read_lock()
        for tpl in self.templates.values():
            pinned = lock.setdefault(tpl.name, {}).get(tpl.version)
            if pinned is not None and pinned != tpl.sha256:
                raise PromptError(f"{tpl.ref} changed after release; put the change in a new "
                                  "version instead of re-locking it")
            lock[tpl.name][tpl.version] = tpl.sha256
        ordered = {n: dict(sorted(v.items(), key=lambda kv: parse_version(kv[0])))
                   for n, v in sorted(lock.items())}
        self.lock_path.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")
        return ordered
