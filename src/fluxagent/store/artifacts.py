"""Artifacts (CSV, JSON, SVG, ...) stored by content hash beside the events.

A tool result keeps only an ``ArtifactRef`` (name, sha256, media type, size, path); the bytes
live once under ``root/ab/abcdef...``, so the same table written twice costs nothing and a
reference can always be checked against its content.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from fluxagent.paths import safe_name
from fluxagent.store.base import StoreError
from fluxagent.tools.results import ArtifactRef

_SHA256 = re.compile(r"[0-9a-f]{64}")


class ArtifactStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def path(self, sha: str) -> Path:
        """Where the content with this hash lives (whether or not it exists)."""
        if not _SHA256.fullmatch(sha):
            raise StoreError(f"not an artifact id: {sha!r} (expected 64 hex digits of sha256)")
        return self.root / sha[:2] / sha

    def put(self, name: str, content: bytes, media_type: str) -> ArtifactRef:
        """Store content by hash; ``name`` (often built from model ids) is kept only as a
        safe file name for downloads, never as a path."""
        name = safe_name(name, "artifact", 120)
        sha = hashlib.sha256(content).hexdigest()
        target = self.path(sha)
        if not self._intact(target, sha):
            target.parent.mkdir(parents=True, exist_ok=True)
            # write beside the target and rename: readers never see a half-written file
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(content)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return ArtifactRef(name=name, sha256=sha, media_type=media_type, size=len(content),
                           path=str(target))

    @staticmethod
    def _intact(target: Path, sha: str) -> bool:
        """Already stored and undamaged (a damaged copy is rewritten by the next put)."""
        try:
            return hashlib.sha256(target.read_bytes()).hexdigest() == sha
        except FileNotFoundError:
            return False

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def delete(self, sha: str) -> None:
        """Drop the content with this hash (gone already: nothing to do)."""
        self.path(sha).unlink(missing_ok=True)

    def get(self, sha: str) -> bytes:
        target = self.path(sha)
        try:
            content = target.read_bytes()
        except FileNotFoundError:
            raise StoreError(f"no artifact {sha} under {self.root}") from None
        if hashlib.sha256(content).hexdigest() != sha:
            raise StoreError(f"artifact {sha} is damaged: its content no longer matches its hash")
        return content
