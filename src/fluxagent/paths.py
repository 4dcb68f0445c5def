"""The one path policy: which files a tool, the approval policy or a channel may touch.

Every path that comes from outside (a tool argument, a ``file:`` model reference, ``ask
--model``) is resolved here, once, the same way for the tool that uses it and the approval
policy that judges it: ``~`` expanded, a relative path taken against ONE base (the first
workspace root, else the data dir), symlinks and ``..`` resolved, and the result must lie
inside the data dir or a configured workspace root (``FLUXAGENT_WORKSPACES``). Anything
else is a :class:`PathError` naming the allowed roots, which the registry reports as
``bad_arguments``.

Names and ids read from model files are text, never path components: :func:`safe_name`
turns them into a file name that cannot leave its directory.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fluxagent.config import Settings

_UNSAFE = re.compile(r"[^A-Za-z0-9_.+-]+")
#: What fluxagent keeps in the data dir itself: never a target of a tool's write.
INTERNAL = ("fluxagent.db", "installation.key", "cache", "models", "artifacts")


class PathError(ValueError):
    """A path outside the allowed roots (or not a usable path at all); one-line message."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def safe_name(text: object, fallback: str = "model", max_len: int = 64) -> str:
    """One file-name component made from untrusted text (a model id, a name): no
    separator, no leading dot, only ``[A-Za-z0-9_.+-]``; ``/tmp/x/../PWNED`` ->
    ``tmp_x_.._PWNED``."""
    norm = unicodedata.normalize("NFKC", str(text or ""))
    name = _UNSAFE.sub("_", norm).strip("._-")[:max_len].strip("._-")
    return name if name and name not in (".", "..") else fallback


def _real(p: str | os.PathLike[str]) -> Path:
    return Path(os.path.realpath(Path(p).expanduser().absolute()))


@dataclass(frozen=True)
class PathPolicy:
    """The data dir and the workspace roots (both resolved); relative paths start at the
    first workspace, else at the data dir."""

    data_dir: Path
    workspaces: tuple[Path, ...] = ()

    @classmethod
    def of(cls, data_dir: str | os.PathLike[str],
           workspaces: tuple[str | os.PathLike[str], ...] | list[Path] = ()) -> PathPolicy:
        real = _real(data_dir)
        spaces = tuple(dict.fromkeys(w for w in map(_real, workspaces) if w != real))
        return cls(real, spaces)

    @classmethod
    def from_settings(cls, settings: Settings) -> PathPolicy:
        return cls.of(settings.data_dir, list(settings.workspaces))

    @property
    def roots(self) -> tuple[Path, ...]:
        return (*self.workspaces, self.data_dir)

    @property
    def base(self) -> Path:
        return self.roots[0]

    def in_data_dir(self, target: Path) -> bool:
        return target == self.data_dir or target.is_relative_to(self.data_dir)

    def describe(self) -> str:
        return ", ".join(str(r) for r in self.roots)

    def locate(self, value: str | os.PathLike[str]) -> Path:
        """Where a path argument points, resolved exactly as the tools resolve it."""
        text = os.fspath(value)
        if not text or "\x00" in text:
            raise PathError(f"not a usable path: {text!r}",
                            hint=f"give a file inside {self.describe()}")
        p = Path(text).expanduser()
        return Path(os.path.realpath(p if p.is_absolute() else self.base / p))

    def root_of(self, target: Path) -> Path | None:
        return next((r for r in self.roots if target == r or target.is_relative_to(r)), None)

    def inside(self, value: str | os.PathLike[str]) -> bool:
        try:
            return self.root_of(self.locate(value)) is not None
        except PathError:
            return False

    def resolve(self, value: str | os.PathLike[str], what: str = "path", *,
                write: bool = False) -> Path:
        """The resolved path, or PathError if it lies outside every allowed root (or, for a
        write, on one of the data dir's own files: the store, the key, the caches)."""
        target = self.locate(value)
        if write and self.in_data_dir(target) and target != self.data_dir:
            first = target.relative_to(self.data_dir).parts[0]
            if any(first == n or first.startswith(n + "-") for n in INTERNAL):
                raise PathError(f"{what} {os.fspath(value)} belongs to fluxagent's own data "
                                f"({first})", hint="write to another folder of the data dir, "
                                "e.g. exports/, or to a workspace")
        if self.root_of(target) is None:
            raise PathError(
                f"{what} {os.fspath(value)} is outside the allowed folders "
                f"({self.describe()})",
                hint="use a file inside the data dir or a folder listed in "
                "FLUXAGENT_WORKSPACES (relative paths start at " + str(self.base) + ")")
        return target

    def within(self, directory: Path, name: str, what: str = "file") -> Path:
        """``directory / name`` for a bare file name that must stay in ``directory``
        (after symlinks), e.g. a ``file:`` model reference inside the model dir."""
        hint = (f"a file: reference names a file in {directory}; load other files with "
                f"load_model(path=...) from the allowed folders ({self.describe()})")
        if not name or name != Path(name).name or name in (".", "..") or "\x00" in name:
            raise PathError(f"{what} is not a plain file name of the model folder", hint)
        real_dir = Path(os.path.realpath(directory))
        target = Path(os.path.realpath(real_dir / name))
        if target.parent != real_dir:
            raise PathError(f"{what} leads outside the model folder {directory}", hint)
        return target
