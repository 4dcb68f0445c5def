"""The per-installation secret: a random key file under the data dir, made once, mode 0600.

It signs what this installation hands out and must recognise later (thread exports, the
parsed-model cache): an HMAC made with it proves the file came from here unchanged, which a
plain checksum cannot (anyone can recompute one).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from fluxagent.config import Settings
from fluxagent.store.base import StoreError

KEY_FILE = "installation.key"
KEY_BYTES = 32


class InstallationKeyError(StoreError):
    """The key file exists but cannot be trusted (readable or writable by others)."""


def key_path(settings: Settings) -> Path:
    return settings.data_dir / KEY_FILE


def installation_key(settings: Settings) -> bytes:
    """This installation's key, created on first use (atomically: concurrent first calls
    agree on one key)."""
    path = key_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_bytes(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # fails if another process made the key first: theirs wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:  # anyone else who can read it can forge what it signs
        raise InstallationKeyError(f"the installation key {path} is readable or writable by "
                                   f"others (mode {mode:o}); chmod 600 it, or move it away "
                                   "to make a new one")
    try:
        key = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read the installation key {path}: {exc.strerror}") from None
    if len(key) != KEY_BYTES:
        raise StoreError(f"the installation key {path} is damaged ({len(key)} bytes, expected "
                         f"{KEY_BYTES}); move it away to make a new one (old exports will "
                         "then import as untrusted)")
    return key


def key_id(key: bytes) -> str:
    """A public name for a key (says which installation signed, reveals nothing)."""
    return hashlib.sha256(b"fluxagent-key-id:" + key).hexdigest()[:16]


def sign(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def verify(key: bytes, message: bytes, signature: object) -> bool:
    return isinstance(signature, str) and hmac.compare_digest(sign(key, message), signature)
