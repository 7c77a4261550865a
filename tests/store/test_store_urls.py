from __future__ import annotations

import pytest

from bot.errors import StoreError
from bot.store import mask_url, normalize_database_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/citebot.db", "sqlite+aiosqlite:///data/citebot.db"),
        ("sqlite:////var/lib/citebot/citebot.db", "sqlite+aiosqlite:////var/lib/citebot/citebot.db"),
        ("postgresql://bot:pw@db:5432/citebot", "postgresql+asyncpg://bot:pw@db:5432/citebot"),
        ("postgres://bot@db/citebot?ssl=require", "postgresql+asyncpg://bot@db/citebot?ssl=require"),
        ("postgresql+asyncpg://bot@db/citebot", "postgresql+asyncpg://bot@db/citebot"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_urls_are_switched_to_async_drivers(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


@pytest.mark.parametrize(
    "url",
    [
        "mysql://root:hunter2@db/citebot",
        "postgresql+psycopg2://root:hunter2@db/citebot",
        "redis://:hunter2@cache:6379/0",
        "not a url",
        "",
    ],
)
def test_unsupported_urls_raise_a_one_line_store_error_without_the_password(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        normalize_database_url(url)
    message = str(caught.value)
    assert "\n" not in message
    assert "hunter2" not in message


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://bot:s3cret@db/citebot", "postgresql://bot:***@db/citebot"),
        ("postgresql+asyncpg://bot:p%40ss%3Aw0rd@db:5432/citebot", "postgresql+asyncpg://bot:***@db:5432/citebot"),
        ("postgres://bot:p@ss@db/citebot", "postgres://bot:***@db/citebot"),
        ("postgresql://bot:pa ss w0rd@db/citebot", "postgresql://bot:***@db/citebot"),
        ("redis://:s3cret pass@cache:6379/0", "redis://:***@cache:6379/0"),
        ("cannot reach postgresql://bot:pa ss@db/x: refused", "cannot reach postgresql://bot:***@db/x: refused"),
        ("postgresql://bot@db/citebot", "postgresql://bot@db/citebot"),
        ("sqlite:///data/citebot.db", "sqlite:///data/citebot.db"),
    ],
)
def test_mask_url_hides_passwords(url: str, shown: str) -> None:
    assert mask_url(url) == shown
