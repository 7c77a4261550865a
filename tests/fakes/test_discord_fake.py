"""The fake Discord drives the real discord.py: login, gateway, messages, slash commands, buttons, sync, 429s."""

from __future__ import annotations

import asyncio
import gc
import io
import logging
from collections.abc import AsyncIterator, Iterator

import pytest

discord = pytest.importorskip("discord")

from discord import app_commands  # noqa: E402

from tests.fakes.discord_server import FakeDiscord, loopback_only  # noqa: E402, F401

pytestmark = pytest.mark.usefixtures("loopback_only")

TOKEN = "fake-token"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    """Fail on "Unclosed client session", "Task was destroyed …", "… never retrieved" and discord.py's swallowed
    errors ("Ignoring exception in on_message" and the like), which would otherwise only be logged."""
    collected = _Collect()
    loggers = [logging.getLogger(name) for name in ("asyncio", "discord")]
    for logger in loggers:
        logger.addHandler(collected)
    yield
    gc.collect()
    for logger in loggers:
        logger.removeHandler(collected)
    markers = ("Unclosed", "destroyed", "never retrieved", "Ignoring exception")
    leaks = [m for m in collected.messages if any(marker in m for marker in markers)]
    assert not leaks


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake:
        fake.patch(monkeypatch)
        yield fake


def intents() -> discord.Intents:
    chosen = discord.Intents.default()
    chosen.message_content = True
    return chosen


class Feedback(discord.ui.View):
    """A persistent view: no timeout, fixed custom ids, registered in setup_hook."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.votes: list[int] = []

    @discord.ui.button(label="👍", custom_id="feedback:up")
    async def up(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.votes.append(interaction.user.id)
        await interaction.response.send_message("Thanks for the feedback.", ephemeral=True)

    @discord.ui.button(label="Hide", custom_id="feedback:hide")
    async def hide(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="(hidden)", view=None)


class Bot(discord.Client):
    def __init__(self) -> None:
        super().__init__(intents=intents(), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        self.feedback = Feedback()
        self.messages: list[discord.Message] = []

        @self.tree.command(name="ping", description="Answer with an embed after deferring.")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(embed=discord.Embed(title="Pong", description="from the fake"))

        @self.tree.command(name="ask", description="Ask a question.")
        @app_commands.describe(question="Who, when or why")
        async def ask(interaction: discord.Interaction, question: str) -> None:
            await interaction.response.defer()
            await interaction.edit_original_response(content=f"You asked: {question}")

        @ask.autocomplete("question")
        async def ask_complete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            names = ["Who left?", "When did Jan Leike resign?", "Why was the team dissolved?"]
            return [app_commands.Choice(name=n, value=n) for n in names if current.lower() in n.lower()]

    async def setup_hook(self) -> None:
        self.add_view(self.feedback)

    async def on_message(self, message: discord.Message) -> None:
        self.messages.append(message)
        if self.user in message.mentions:
            await message.reply(f"echo: {message.clean_content}", mention_author=False)


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[Bot]:
    async with fake.connected(Bot(), token=TOKEN) as client:
        yield client


async def test_start_until_ready_then_a_mention_gets_a_reply(fake: FakeDiscord) -> None:
    client = discord.Client(intents=intents(), guild_ready_timeout=0.05)
    ready = asyncio.Event()
    seen: list[discord.Message] = []

    @client.event
    async def on_ready() -> None:
        ready.set()

    @client.event
    async def on_message(message: discord.Message) -> None:
        seen.append(message)
        if client.user in message.mentions:
            await message.reply("pong", mention_author=False)

    task = asyncio.create_task(client.start(TOKEN, reconnect=False))
    waiter = asyncio.create_task(ready.wait())
    try:
        await asyncio.wait([task, waiter], timeout=5, return_when=asyncio.FIRST_COMPLETED)
        assert ready.is_set(), task
        guild = client.get_guild(fake.guild_id)
        assert guild is not None and guild.name == fake.guild_name
        assert isinstance(guild.get_channel(fake.text_channel_id), discord.TextChannel)
        assert isinstance(guild.get_thread(fake.thread_id), discord.Thread)
        assert guild.me.id == fake.bot_user_id == client.user.id
        assert client.application_id == fake.application_id
        assert discord.Intents._from_value(fake.identify["intents"]).message_content
        assert fake.gateway_queries[0]["compress"] == "zlib-stream"

        sent = await fake.message_create("ping", mentions_bot=True)
        reply = await fake.wait_for_message(fake.text_channel_id)
    finally:
        waiter.cancel()
        await client.close()
        await task

    assert seen[0].content == f"<@{fake.bot_user_id}> ping" and seen[0].author.id == fake.user_id
    assert reply.json["content"] == "pong"
    assert str(reply.json["message_reference"]["message_id"]) == sent["id"]  # discord.py sends ids as numbers
    assert reply.json["allowed_mentions"]["replied_user"] is False
    assert reply.headers["Authorization"] == f"Bot {TOKEN}"
    assert reply.response["type"] == 19 and reply.response["referenced_message"]["id"] == sent["id"]
    logins = [f"{r.method} {r.path}" for r in fake.requests[:2]]
    assert logins == ["GET /users/@me", "GET /oauth2/applications/@me"]


async def test_replies_in_a_thread_and_in_a_dm(fake: FakeDiscord, bot: Bot) -> None:
    in_thread = await fake.message_create("in a thread", mentions_bot=True, thread=True)
    reply = await fake.wait_for_message(fake.thread_id)
    assert str(reply.json["message_reference"]["message_id"]) == in_thread["id"]
    assert isinstance(bot.messages[0].channel, discord.Thread)

    await fake.message_create("hello", mentions_bot=True, guild=False)
    reply = await fake.wait_for_message(fake.dm_channel_id)
    assert isinstance(bot.messages[1].channel, discord.DMChannel) and bot.messages[1].guild is None
    assert reply.json["content"] == f"echo: @{bot.user.name} hello"


async def test_slash_command_defers_then_follows_up_with_an_embed(fake: FakeDiscord, bot: Bot) -> None:
    interaction = await fake.interaction_create("ping")
    callback = await fake.wait_for_interaction_response(interaction)
    followup = await fake.wait_for_followup(interaction)

    assert callback.json["type"] == 5
    assert callback.query["with_response"] == "1"
    assert followup.query["wait"] == "1"
    assert followup.json["embeds"][0]["title"] == "Pong"
    assert followup.json["embeds"][0]["description"] == "from the fake"


async def test_deferred_command_edits_its_original_response(fake: FakeDiscord, bot: Bot) -> None:
    interaction = await fake.interaction_create("ask", {"question": "Who left?"})
    edit = await fake.wait_for_edit(interaction)
    assert edit.json["content"] == "You asked: Who left?"
    assert edit.response["content"] == "You asked: Who left?" and edit.response["flags"] == 0


async def test_autocomplete_answers_choices(fake: FakeDiscord, bot: Bot) -> None:
    interaction = await fake.interaction_create("ask", {"question": "when"}, type=4)
    callback = await fake.wait_for_interaction_response(interaction)
    assert callback.json["type"] == 8
    choices = callback.json["data"]["choices"]
    assert choices == [{"name": "When did Jan Leike resign?", "value": "When did Jan Leike resign?"}]


async def test_button_on_a_persistent_view_reaches_its_callback(fake: FakeDiscord, bot: Bot) -> None:
    interaction = await fake.interaction_create("feedback:up", type=3)
    callback = await fake.wait_for_interaction_response(interaction)
    assert bot.feedback.votes == [fake.user_id]
    assert callback.json["type"] == 4
    assert callback.json["data"]["content"] == "Thanks for the feedback."
    assert callback.json["data"]["flags"] & 64  # ephemeral


async def test_button_can_edit_the_message_it_is_on(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.get_channel(fake.text_channel_id)
    answer = await channel.send("An answer", view=bot.feedback)
    interaction = await fake.interaction_create("feedback:hide", type=3, message=answer.id)
    callback = await fake.wait_for_interaction_response(interaction)
    assert callback.json["type"] == 7
    assert callback.json["data"]["content"] == "(hidden)" and callback.json["data"]["components"] == []
    assert fake.messages[answer.id]["content"] == "(hidden)" and fake.messages[answer.id]["components"] == []


async def test_thread_from_a_message_and_typing(fake: FakeDiscord, bot: Bot) -> None:
    question = await fake.message_create("a long question")
    message = await bot.get_channel(fake.text_channel_id).fetch_message(int(question["id"]))
    thread = await message.create_thread(name="Answers")
    async with thread.typing():
        await thread.send("Here is the answer.")
    posted = await fake.wait_for_message(thread.id)
    assert thread.id == message.id and posted.json["content"] == "Here is the answer."
    assert fake.find("POST", rf"^/channels/{thread.id}/typing$", ok=True)
    assert bot.get_channel(thread.id) is not None  # THREAD_CREATE reached the cache


async def test_a_refused_identify_fails_the_start_fast(fake: FakeDiscord) -> None:
    fake.identify_close_code = 4014  # disallowed intents: message content not enabled for the app
    with pytest.raises(discord.ConnectionClosed) as closed:
        async with fake.connected(discord.Client(intents=intents(), guild_ready_timeout=0.05)):
            pass
    assert closed.value.code == 4014


async def test_tree_sync_puts_the_global_commands(fake: FakeDiscord, bot: Bot) -> None:
    synced = await bot.tree.sync()
    put = await fake.wait_for(lambda r: r.method == "PUT" and r.path == f"/applications/{fake.application_id}/commands")
    assert sorted(c["name"] for c in put.json) == ["ask", "ping"]
    assert {c.name for c in synced} == {"ask", "ping"} and all(c.id for c in synced)

    interaction = await fake.interaction_create("ask", {"question": "Why?"})
    assert interaction["data"]["id"] == str(next(c.id for c in synced if c.name == "ask"))
    await fake.wait_for_edit(interaction)


async def test_a_429_with_retry_after_is_retried_once(fake: FakeDiscord, bot: Bot) -> None:
    fake.fail_next("POST", r"^/channels/\d+/messages$", 429, retry_after=0.01)
    channel = bot.get_channel(fake.text_channel_id)
    message = await channel.send("after a rate limit")
    attempts = fake.find("POST", rf"^/channels/{fake.text_channel_id}/messages$")
    assert [r.status for r in attempts] == [429, 200]
    assert message.content == "after a rate limit" and message.id == int(attempts[1].response["id"])


async def test_files_go_as_multipart_and_come_back_as_attachments(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.get_channel(fake.text_channel_id)
    message = await channel.send("a file", file=discord.File(io.BytesIO(b"citations"), "sources.txt"))
    posted = await fake.wait_for_message(fake.text_channel_id)
    assert posted.json["content"] == "a file"
    assert [(f.filename, f.data) for f in posted.files] == [("sources.txt", b"citations")]
    assert message.attachments[0].filename == "sources.txt"
    assert await message.attachments[0].read() == b"citations"


async def test_gateway_resume_after_a_disconnect(fake: FakeDiscord, bot: Bot) -> None:
    resumed = asyncio.Event()

    async def on_resumed() -> None:
        resumed.set()

    bot.on_resumed = on_resumed  # type: ignore[attr-defined]
    await fake.disconnect(code=1001)
    resume = await fake.wait_for_gateway(lambda frame: frame["op"] == 6)
    assert resume["d"]["session_id"] == fake.session_id
    await asyncio.wait_for(resumed.wait(), timeout=5)

    await fake.message_create("still there?", mentions_bot=True)
    await fake.wait_for_message(fake.text_channel_id)


async def test_unknown_routes_and_bad_tokens_are_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    async with FakeDiscord(token="the-right-token") as fake:
        fake.patch(monkeypatch)
        client = discord.Client(intents=intents())
        with pytest.raises(discord.LoginFailure):
            await client.login("a-wrong-token")
        await client.close()
        assert fake.requests[0].status == 401

        client = discord.Client(intents=intents())
        await client.login("the-right-token")
        with pytest.raises(discord.NotFound):
            await client.http.request(discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=fake.guild_id))
        await client.close()
        assert fake.find("GET", r"/bans$")[0].response == {"message": "Unknown", "code": 0}


async def test_interactions_are_checked_as_discord_does(fake: FakeDiscord, bot: Bot) -> None:
    interaction = await fake.interaction_create("no-such-button", type=3)  # no view has it: nobody answers
    route = f"/webhooks/{fake.application_id}/{interaction['token']}"
    with pytest.raises(discord.NotFound):  # a follow-up before the first response
        await bot.http.request(discord.http.Route("POST", route), json={"content": "too early"})
    callback = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
    await bot.http.request(discord.http.Route("POST", callback), json={"type": 5})
    with pytest.raises(discord.HTTPException) as twice:
        await bot.http.request(discord.http.Route("POST", callback), json={"type": 5})
    assert twice.value.code == 40060
