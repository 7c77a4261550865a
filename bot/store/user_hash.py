"""Pseudonymous user ids for the question log: salted HMAC-SHA256, never the raw id.

The salt is read from ``CITEBOT_USER_HASH_SALT`` (passed in by the caller) or kept in
``<data dir>/user-hash.salt``. The file holds 32 random bytes as 64 hex characters, so an admin can
move it into the environment variable and every hash stays the same. Neither the salt nor a raw id
is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from bot.errors import StoreError

log = logging.getLogger(__name__)

SALT_FILE_NAME = "user-hash.salt"
SALT_BYTES = 32


def hash_user_id(user_id: str, salt: bytes) -> str:
    """Hex HMAC-SHA256 of ``user_id`` keyed by ``salt`` (64 lowercase hex characters)."""
    return hmac.new(salt, user_id.encode("utf-8"), hashlib.sha256).hexdigest()


def load_or_create_salt(data_dir: Path, env_value: str | None) -> bytes:
    """The salt from ``env_value`` when set (non-empty), else from the salt file, created 0600 on first use."""
    if env_value:
        log.debug("user-hash salt taken from the environment")
        return env_value.encode("utf-8")
    path = data_dir / SALT_FILE_NAME
    try:
        if not path.exists():
            _create_salt_file(path)
        salt = path.read_bytes().strip()
    except OSError as exc:
        raise StoreError(f"cannot read or create the user-hash salt file {path}: {exc.strerror or exc}") from exc
    if not salt:
        raise StoreError(
            f"the user-hash salt file {path} is empty; restore it, or delete it to start a new salt "
            "(user hashes in the question log will then change)"
        )
    return salt


def _create_salt_file(path: Path) -> None:
    """Write a new random salt atomically, readable by the owner only; keep any salt another process wrote first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_hex(SALT_BYTES).encode("ascii") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if the file appeared meanwhile: that salt wins
            log.info("created a new user-hash salt file at %s", path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
