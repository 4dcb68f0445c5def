"""What a tool returns: a structured result or a structured error (factor 4).

``summary`` is written for the decider (short, numbers with units and conditions); ``data`` is
the full result for people and files; ``effects`` are the changes to session state (model in
use, medium, bounds, knockouts, objective) that the fold records in the thread.

Effect vocabulary (``op``): ``use_model`` {model, base}, ``reset_model`` {model},
``set_medium`` {model, medium: {exchange_id: max_uptake}}, ``set_bounds`` {model, reaction,
lower, upper}, ``knockout_genes`` {model, genes}, ``knockout_reactions`` {model, reactions},
``set_objective`` {model, objective, direction}, ``add_reactions`` {model, reactions},
``set_gene_rule`` {model, reaction, rule, old_rule, new_genes} (``tools/gene_rules.py``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from fluxagent.core.errors import ErrorKind, is_retryable


class ArtifactRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    sha256: str
    media_type: str
    size: int
    path: str = ""


class Provenance(BaseModel):
    """Everything needed to reproduce a number: model, medium, solver, versions, parameters."""

    model_config = ConfigDict(frozen=True)

    model_id: str | None = None
    model_hash: str | None = None
    medium: dict[str, float] | None = None
    changes: list[dict[str, Any]] = Field(default_factory=list)
    solver: str | None = None
    versions: dict[str, str] = Field(default_factory=dict)
    parameters: dict[str, Any] = Field(default_factory=dict)
    duration_s: float = 0.0


class ToolResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    tool: str
    ok: Literal[True] = True
    summary: str
    data: dict[str, Any] = Field(default_factory=dict)
    artifacts: list[ArtifactRef] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)
    effects: list[dict[str, Any]] = Field(default_factory=list)


class ToolError(BaseModel):
    model_config = ConfigDict(frozen=True)

    tool: str
    ok: Literal[False] = False
    kind: ErrorKind
    message: str
    hint: str = ""
    retryable: bool = False
    data: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, tool: str, kind: ErrorKind, message: str, hint: str = "",
           **data: Any) -> ToolError:
        return cls(tool=tool, kind=kind, message=message, hint=hint,
                   retryable=is_retryable(kind), data=data)


class ToolFailure(Exception):
    """Raised inside a tool to end it with a structured ``ToolError``."""

    def __init__(self, kind: ErrorKind, message: str, hint: str = "", **data: Any) -> None:
        super().__init__(message)
        self.kind, self.message, self.hint, self.data = kind, message, hint, data
