"""Tokens never reach logs, errors, /metrics or `config show`: a run at DEBUG level is captured and grepped."""

from __future__ import annotations

import json
import logging

import aiohttp
import pytest

from bot.adapters.discord import CitebotDiscord
from bot.adapters.slack import SlackCredentials, build_slack_app
from bot.cli.main import main as cli_main
from bot.logs import configure_logging
from tests.adapters.test_slack_bot import SECRET, mention, serve
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_server import FakeSlack

pytestmark = pytest.mark.usefixtures("loopback_only")

TOKENS = {
    "SLACK_BOT_TOKEN": "xoxb-1111-2222-secretbottoken",
    "SLACK_SIGNING_SECRET": SECRET,
    "DISCORD_TOKEN": "MTA.discord-secret-token.xyz",
    "CITEBOT_API_TOKEN": "api-secret-token-123",
    "CITEBOT_USER_HASH_SALT": "salt-secret-456",
}


@pytest.fixture
def secrets_in_env(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for name, value in TOKENS.items():
        monkeypatch.setenv(name, value)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


def leaked(text: str) -> list[str]:
    return [name for name, value in TOKENS.items() if value in text]


@pytest.mark.parametrize("fmt", ["text", "json"])
async def test_a_debug_run_on_both_platforms_logs_no_token(fmt, secrets_in_env, citebot, capsys, monkeypatch):
    configure_logging("DEBUG", fmt)
    log = logging.getLogger("bot.test")
    try:
        raise RuntimeError(f"the platform refused {TOKENS['SLACK_BOT_TOKEN']}")
    except RuntimeError:
        log.exception("an error quoting a token, with its traceback")
    async with FakeSlack() as slack, aiohttp.ClientSession() as session:
        slack.fail_next("chat.postMessage", status=500, times=1)  # retried: logged by slack_sdk
        app = build_slack_app(citebot, SlackCredentials(TOKENS["SLACK_BOT_TOKEN"], SECRET, None),
                              base_url=slack.api_url)
        async with serve(app) as url:
            await mention(session, url, "Who is Jan Leike?")
            await slack.wait_for("chat.postMessage", lambda c: c.status == 200)
        assert slack.calls_to("chat.postMessage")[-1].token == TOKENS["SLACK_BOT_TOKEN"]  # it was really used
    async with FakeDiscord() as discord_fake:
        discord_fake.patch(monkeypatch)
        async with discord_fake.connected(CitebotDiscord(citebot, guild_ready_timeout=0.05),
                                          token=TOKENS["DISCORD_TOKEN"]):
            await discord_fake.message_create("Who is Jan Leike?", mentions_bot=True)
            await discord_fake.wait_for_message(discord_fake.text_channel_id)
    metrics = citebot.metrics.exposition().decode()
    captured = capsys.readouterr()
    logs = captured.err + captured.out
    assert "an error quoting a token" in logs and "***" in logs  # the redaction really ran on that line
    if fmt == "json":
        assert all(json.loads(line) for line in captured.err.splitlines() if line.startswith("{"))
    assert leaked(logs) == [] and leaked(metrics) == []


def test_config_show_masks_every_secret(secrets_in_env, capsys):
    assert cli_main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "CITEBOT_API_TOKEN" not in out or "********" in out
    assert leaked(out) == []
