"""Issue 11, defect 9: the model cache never unpickles a file it cannot authenticate.

The cache unpickled whatever sat at its path, so a planted pickle ran code on the next
``tools run``. Now each cache file carries an HMAC-SHA256 made with the installation key
(``store/keys.py``); anything else is ignored, never unpickled, and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
from importlib import resources
from pathlib import Path

import cobra
import pytest
from seckit import cli, settings

from fluxagent.config import Settings
from fluxagent.store.keys import InstallationKeyError, installation_key, key_path
from fluxagent.tools.model_cache import MAGIC, ModelCache
from fluxagent.tools.models import ModelStore


class Planted:
    """Unpickling this creates a file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


def cache_file(s: Settings) -> Path:
    raw = (resources.files("cobra.data") / "textbook.xml.gz").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    return Path(s.data_dir) / "cache" / "models" / f"{digest}-cobra{cobra.__version__}.pkl"


def plant(path: Path, marker: Path, *, with_magic: bool) -> bytes:
    body = pickle.dumps((Planted(marker), []))
    blob = (MAGIC + os.urandom(32) + body) if with_magic else body
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    return blob


@pytest.mark.parametrize("with_magic", [False, True])
def test_a_planted_pickle_is_never_unpickled_and_is_rebuilt(tmp_path: Path,
                                                            with_magic: bool) -> None:
    s = settings(tmp_path / "data")
    marker = tmp_path / "code-ran"
    planted = plant(cache_file(s), marker, with_magic=with_magic)
    base = ModelStore(s).base("e_coli_core")
    assert len(base.model.reactions) == 95
    assert not marker.exists(), "the planted pickle was unpickled"
    rebuilt = cache_file(s).read_bytes()
    assert rebuilt != planted and rebuilt.startswith(MAGIC)
    cached = ModelCache(cache_file(s).parent, s).get(cache_file(s).name)
    assert isinstance(cached, tuple) and len(cached[0].reactions) == 95


def test_a_tampered_or_foreign_cache_file_is_ignored(tmp_path: Path) -> None:
    s = settings(tmp_path / "a")
    ModelStore(s).base("e_coli_core")
    good = cache_file(s).read_bytes()
    cache = ModelCache(cache_file(s).parent, s)
    assert cache.get(cache_file(s).name) is not None
    flipped = bytearray(good)
    flipped[-10] ^= 0x01
    cache_file(s).write_bytes(bytes(flipped))
    assert cache.get(cache_file(s).name) is None
    cache_file(s).write_bytes(good[:len(good) // 2])
    assert cache.get(cache_file(s).name) is None
    other = settings(tmp_path / "b")  # another installation: another key
    cache_file(other).parent.mkdir(parents=True)
    cache_file(other).write_bytes(good)
    assert ModelCache(cache_file(other).parent, other).get(cache_file(other).name) is None
    renamed = cache_file(s).parent / ("0" * 64 + f"-cobra{cobra.__version__}.pkl")
    renamed.write_bytes(good)  # a valid file under another name is not that entry
    assert cache.get(renamed.name) is None


def test_the_installation_key_is_private_and_created_once(tmp_path: Path) -> None:
    s = settings(tmp_path / "data")
    key = installation_key(s)
    assert len(key) == 32 and installation_key(s) == key
    assert stat.S_IMODE(key_path(s).stat().st_mode) == 0o600
    key_path(s).chmod(0o644)
    with pytest.raises(InstallationKeyError, match="readable or writable by others"):
        installation_key(s)
    marker = tmp_path / "code-ran"
    plant(cache_file(s), marker, with_magic=True)
    assert len(ModelStore(s).base("e_coli_core").model.reactions) == 95  # cache off, parsed
    assert not marker.exists()


def test_tools_run_with_a_planted_cache_runs_no_code(tmp_path: Path) -> None:
    """The issue's reproduction through the command line."""
    s = settings(tmp_path / "data")
    marker = tmp_path / "code-ran"
    plant(cache_file(s), marker, with_magic=False)
    proc = cli(s.data_dir, "tools", "run", "model_summary", "--args", "{}")
    assert proc.returncode == 0, proc.stderr
    assert "95 reactions" in proc.stdout
    assert not marker.exists()
