"""A bot's log at the default level: the libraries' lines a user can do nothing about are not in it; --debug
shows them. Logging is set up as `citebot discord` / `citebot slack` set it up, and the output captured."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

discord = pytest.importorskip("discord")
pytest.importorskip("slack_bolt")

from bot.adapters.discord import CitebotDiscord  # noqa: E402
from bot.adapters.slack import SlackCredentials, build_slack_app  # noqa: E402
from bot.logs import configure_command_logging, configure_logging, quiet_libraries  # noqa: E402
from tests.adapters.test_slack_bot import SECRET  # noqa: E402
from tests.fakes.discord_server import FakeDiscord  # noqa: E402

pytestmark = pytest.mark.usefixtures("loopback_only")

DISCORD_NOISE = ("PyNaCl is not installed", "davey is not installed")
SLACK_NOISE = "`token` will be unused"


class CliLog:
    """Logging set up as `citebot discord|slack [--debug]` sets it up, its stderr kept in ``text``."""

    def __init__(self) -> None:
        self.stream = io.StringIO()  # never closed: a late line from a thread is harmless
        self.handlers: list[logging.StreamHandler] = []

    def configure(self, debug: bool, level: str) -> None:
        configure_command_logging(debug)
        configure_logging("DEBUG" if debug else level)
        self.handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
        for handler in self.handlers:  # the CLI's stderr, here
            handler.setStream(self.stream)

    @property
    def text(self) -> str:
        return self.stream.getvalue()


@pytest.fixture
def cli_log() -> Iterator[CliLog]:
    root = logging.getLogger()
    level, log = root.level, CliLog()
    yield log
    for handler in log.handlers:  # pytest's handlers of this phase stay
        root.removeHandler(handler)
    root.setLevel(level)
    quiet_libraries(logging.DEBUG)  # no filters left on the library loggers


@pytest.mark.parametrize("debug", [False, True], ids=["default", "debug"])
async def test_discord_says_nothing_about_voice_unless_debugging(debug, cli_log, citebot, monkeypatch):
    assert citebot.settings.log_level == "INFO"  # the default of the long-running commands
    cli_log.configure(debug, citebot.settings.log_level)
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)  # discord.py says it once a process
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True, raising=False)
    async with FakeDiscord() as fake:
        fake.patch(monkeypatch)
        async with fake.connected(CitebotDiscord(citebot, guild_ready_timeout=0.05), token="fake-token"):
            await fake.message_create("Who is Jan Leike?", mentions_bot=True)
            await fake.wait_for_message(fake.text_channel_id)
    logged = cli_log.text
    assert "INFO discord." in logged  # the log is really there: discord.py's own start-up lines
    for noise in DISCORD_NOISE:
        assert (noise in logged) == debug, logged


@pytest.mark.parametrize("debug", [False, True], ids=["default", "debug"])
async def test_slack_bolt_says_nothing_about_the_token_unless_debugging(debug, cli_log, citebot, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")  # as `citebot slack` runs: bolt reads it too
    cli_log.configure(debug, citebot.settings.log_level)
    build_slack_app(citebot, SlackCredentials("xoxb-from-the-environment", SECRET, None))
    logging.getLogger("bot.test").warning("a problem")
    logged = cli_log.text
    assert "WARNING bot.test [-] a problem" in logged  # problems still show
    assert (SLACK_NOISE in logged) == debug, logged
