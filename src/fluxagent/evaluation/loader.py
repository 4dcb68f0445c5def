"""Evaluation cases from YAML (the format of eval/dev_queries.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Case(BaseModel):
    """One question and what a correct run shows (semantics: top of dev_queries.yaml)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    query: str
    model: str = "e_coli_core"
    tools_any: list[str] = Field(default_factory=list)
    numbers: list[float] = Field(default_factory=list)
    ids: list[str] = Field(default_factory=list)
    no_growth: bool = False
    #: Earlier questions asked in the same session before ``query`` (follow-up cases).
    turns: list[str] = Field(default_factory=list)
    #: The dev case this one paraphrases (paraphrase sets only).
    paraphrases: str | None = None
    category: str = ""
    #: A model file the session loads before the question (relative: to the working dir).
    model_file: str | None = None
    #: The question holds a condition no tool can represent: the right answer says so.
    expect_unresolved: bool = False


class CaseFileError(ValueError):
    """A case file that cannot be read, with a one-line reason."""


def load_cases(path: str | Path) -> list[Case]:
    p = Path(path)
    try:
        raw: Any = yaml.safe_load(p.read_text())
    except OSError as exc:
        raise CaseFileError(f"{p}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise CaseFileError(f"{p}: not valid YAML ({exc})") from None
    if isinstance(raw, dict) and isinstance(raw.get("cases"), list):
        raw = raw["cases"]
    if not isinstance(raw, list):
        raise CaseFileError(f"{p}: expected a list of cases")
    cases: list[Case] = []
    for i, item in enumerate(raw):
        try:
            cases.append(Case.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise CaseFileError(f"{p}: case {i + 1}: {where}: {first['msg']}") from None
    seen: set[str] = set()
    for c in cases:
        if c.id in seen:
            raise CaseFileError(f"{p}: duplicate case id {c.id}")
        seen.add(c.id)
    return cases
