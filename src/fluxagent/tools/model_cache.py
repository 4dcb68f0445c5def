"""The parsed-model cache: pickles that are only ever unpickled after their MAC checks out.

Parsing iJO1366's SBML takes seconds; unpickling the parsed model takes a fraction. But
unpickling runs code, so a cache file is trusted only if it carries an HMAC-SHA256, made with
the installation key (``store/keys.py``), over its name and content. A planted, edited,
truncated or foreign file fails the check, is never unpickled, and is rebuilt from the model
file. Without a usable key (e.g. a key file readable by others) the cache is off.

File layout: ``MAGIC`` (8 bytes) · HMAC (32 bytes) · pickle.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
from pathlib import Path
from typing import Any

from fluxagent.store.base import StoreError
from fluxagent.store.keys import installation_key

log = logging.getLogger(__name__)

MAGIC = b"FXMC\x00\x01\r\n"
_DOMAIN = b"fluxagent model cache v1\x00"


class ModelCache:
    def __init__(self, directory: Path, settings: Any) -> None:
        self.directory = Path(directory)
        self.settings = settings
        self._key: bytes | None = None

    def _mac(self, name: str, payload: bytes) -> bytes | None:
        if self._key is None:
            try:
                self._key = installation_key(self.settings)
            except (OSError, StoreError) as exc:  # e.g. a key readable by others
                log.warning("model cache off: %s", exc)
                return None
        return hmac.new(self._key, _DOMAIN + name.encode() + b"\x00" + payload,
                        hashlib.sha256).digest()

    def get(self, name: str) -> Any | None:
        """The cached object, or None when absent or not authentic (then never unpickled)."""
        path = self.directory / name
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        head, tag, payload = blob[:len(MAGIC)], blob[len(MAGIC):len(MAGIC) + 32], \
            blob[len(MAGIC) + 32:]
        expected = self._mac(name, payload)
        if expected is None or head != MAGIC or not hmac.compare_digest(tag, expected):
            log.warning("ignoring model cache %s: not made by this installation", path)
            return None
        try:
            return pickle.loads(payload)  # authenticated above
        except Exception as exc:  # made by us, but by another library version
            log.warning("ignoring model cache %s: %s", path, exc)
            return None

    def put(self, name: str, value: Any) -> None:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        tag = self._mac(name, payload)
        if tag is None:
            return
        path = self.directory / name
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
            with tmp.open("wb") as fh:
                fh.write(MAGIC + tag + payload)
            tmp.replace(path)
        except OSError as exc:
            log.warning("could not write model cache %s: %s", path, exc)
