"""Artifacts stored by content hash: dedupe, absolute paths, integrity, safe ids."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from fluxagent.store.artifacts import ArtifactStore
from fluxagent.store.base import StoreError


def test_put_get_and_dedupe(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "artifacts")
    content = b"reaction,flux\nPGI,4.86\n"
    ref = store.put("fluxes.csv", content, "text/csv")
    sha = hashlib.sha256(content).hexdigest()
    assert ref.sha256 == sha and ref.size == len(content) and ref.media_type == "text/csv"
    assert Path(ref.path).is_absolute()
    assert Path(ref.path) == (tmp_path / "artifacts" / sha[:2] / sha).resolve()
    assert store.get(sha) == content and store.exists(sha)
    again = store.put("same-table.csv", content, "text/csv")
    assert again.path == ref.path and again.name == "same-table.csv"
    files = [p for p in (tmp_path / "artifacts").rglob("*") if p.is_file()]
    assert files == [Path(ref.path)]  # one copy, no temp files left behind


def test_empty_and_binary_content(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    for content in (b"", bytes(range(256)) * 10):
        ref = store.put("x", content, "application/octet-stream")
        assert store.get(ref.sha256) == content


def test_missing_and_bad_ids(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    with pytest.raises(StoreError, match="no artifact"):
        store.get("0" * 64)
    for bad in ("../../etc/passwd", "ABC", "g" * 64, ""):
        with pytest.raises(StoreError, match="not an artifact id"):
            store.path(bad)


def test_damaged_content_is_detected(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    ref = store.put("a.json", b'{"a": 1}', "application/json")
    Path(ref.path).write_bytes(b'{"a": 2}')
    with pytest.raises(StoreError, match="damaged"):
        store.get(ref.sha256)
    store.put("a.json", b'{"a": 1}', "application/json")  # putting it again repairs it
    assert store.get(ref.sha256) == b'{"a": 1}'
