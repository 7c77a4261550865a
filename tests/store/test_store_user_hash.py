from __future__ import annotations

import hashlib
import hmac
import logging
import stat
from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.store import hash_user_id, load_or_create_salt
from bot.store.user_hash import SALT_FILE_NAME


def test_hash_is_hex_hmac_sha256_of_the_id() -> None:
    expected = hmac.new(b"salt", b"discord:123", hashlib.sha256).hexdigest()
    assert hash_user_id("discord:123", b"salt") == expected
    assert len(expected) == 64


def test_hash_depends_on_salt_and_platform_prefix() -> None:
    assert hash_user_id("discord:123", b"one") != hash_user_id("discord:123", b"two")
    assert hash_user_id("discord:123", b"one") != hash_user_id("slack:123", b"one")


def test_salt_file_is_created_owner_only_on_first_use_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = load_or_create_salt(data_dir, None)
    salt_file = data_dir / SALT_FILE_NAME

    assert salt_file.is_file()
    assert stat.S_IMODE(salt_file.stat().st_mode) == 0o600
    assert len(bytes.fromhex(first.decode("ascii"))) == 32  # 32 random bytes, kept as hex text
    assert load_or_create_salt(data_dir, None) == first
    assert load_or_create_salt(tmp_path / "other", None) != first


def test_environment_salt_wins_and_creates_no_file(tmp_path: Path) -> None:
    assert load_or_create_salt(tmp_path, "from-env") == b"from-env"
    assert not (tmp_path / SALT_FILE_NAME).exists()


def test_file_salt_copied_into_the_environment_gives_the_same_hashes(tmp_path: Path) -> None:
    from_file = load_or_create_salt(tmp_path, None)
    env_value = (tmp_path / SALT_FILE_NAME).read_text().strip()
    assert hash_user_id("slack:U123", load_or_create_salt(tmp_path, env_value)) == hash_user_id("slack:U123", from_file)


def test_empty_salt_file_is_an_error_not_silently_replaced(tmp_path: Path) -> None:
    (tmp_path / SALT_FILE_NAME).write_bytes(b"")
    with pytest.raises(StoreError, match="empty"):
        load_or_create_salt(tmp_path, None)


def test_salt_and_ids_are_never_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    salt = load_or_create_salt(tmp_path, None)
    load_or_create_salt(tmp_path, "env-salt-value")
    hash_user_id("discord:4242", salt)
    assert salt.decode() not in caplog.text
    assert "env-salt-value" not in caplog.text
    assert "4242" not in caplog.text
