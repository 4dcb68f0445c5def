"""Shared plumbing of the ModelSEED tools: data paths, the modelseedpy import, atomic files."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from difflib import get_close_matches
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

from fluxagent.config import Settings

#: The shipped ModelSEED data (templates, media, biochemistry, licences).
DATA = Path(__file__).resolve().parents[2] / "data" / "modelseed"
TEMPLATES = DATA / "templates"
BIOCHEM = DATA / "biochemistry"
MEDIA_FILE = DATA / "media" / "media_list_with_meta.txt"


@lru_cache(maxsize=1)
def modelseedpy() -> ModuleType:
    """Import modelseedpy once; its import prints its version on stdout, sent to stderr here."""
    with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # its regexes: invalid escapes
        warnings.simplefilter("ignore", SyntaxWarning)
        import modelseedpy as msp
        import modelseedpy.core.msbuilder
        import modelseedpy.core.msgenome
        import modelseedpy.core.mstemplate
    return msp


_MSP_LOCK = threading.RLock()


@contextlib.contextmanager
def modelseed_session() -> Iterator[Any]:
    """Serialise modelseedpy work and drop what it cached meanwhile.

    modelseedpy keeps every model it touches in global dicts (MSModelUtil.mdlutls,
    MSPackageManager.pkgmgrs), including gapfilling copies of a gigabyte and throwaway copies
    made by its tests; they are never released and are not safe to share between threads.
    """
    with _MSP_LOCK:
        msp = modelseedpy()
        from modelseedpy.core.msmodelutl import MSModelUtil
        from modelseedpy.fbapkg.mspackagemanager import MSPackageManager

        before = (set(MSModelUtil.mdlutls), set(MSPackageManager.pkgmgrs))
        try:
            yield msp
        finally:
            for key in set(MSModelUtil.mdlutls) - before[0]:
                MSModelUtil.mdlutls.pop(key, None)
            for key in set(MSPackageManager.pkgmgrs) - before[1]:
                MSPackageManager.pkgmgrs.pop(key, None)


def versions() -> dict[str, str]:
    """Library versions for provenance."""
    out: dict[str, str] = {}
    for pkg in ("modelseedpy", "cobra", "optlang"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[pkg] = metadata.version(pkg)
    return out


def model_dir(settings: Settings) -> Path:
    """Where user model files live; the model store resolves ``file:<name>`` bases here."""
    return Path(settings.data_dir) / "models"


def cache_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "cache" / "modelseed"


def atomic_write(path: Path, content: bytes) -> None:
    """Write a whole file or nothing: temp file in the same directory, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save_model(model: Any, settings: Settings) -> tuple[str, Path, str]:
    """Save a cobra model as JSON under the model dir, named by content hash.

    Returns (base key for the model store, path, sha256). Content addressing means a file is
    never overwritten with different content, and an identical model is stored once.
    """
    import cobra

    text = cobra.io.to_json(model)
    raw = text.encode()
    digest = hashlib.sha256(raw).hexdigest()
    name = f"{digest[:16]}.json"
    path = model_dir(settings) / name
    if not path.exists():
        atomic_write(path, raw)
    return f"file:{name}", path, digest


def close_names(word: str, choices: list[str], n: int = 5) -> list[str]:
    """Closest names, case-insensitive, for unknown_id hints."""
    low = {c.lower(): c for c in choices}
    hits = get_close_matches(word.lower(), list(low), n=n, cutoff=0.3)
    if len(hits) < n:  # substring matches catch "glucose" -> "Carbon-D-Glucose"
        extra = [c for c in choices if word.lower() in c.lower() and c.lower() not in hits]
        hits += [e.lower() for e in sorted(extra, key=len)[: n - len(hits)]]
    return [low[h] for h in hits]
