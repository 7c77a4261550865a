"""Every mention and link form a user can type, through every Discord command, message and button, against the
real discord.py: nothing the bot sends (every field of every request the fake received) pings anyone or links
anywhere but to a knowledge-base source, and nothing may ping (``allowed_mentions`` parses nothing)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bot.ratelimit import MemoryBuckets, RateLimits
from bot.service import Citebot
from tests.adapters.test_discord_bot import bot, fake, kb_options  # noqa: F401  (fixtures)
from tests.adapters.test_slack_hostile_text import HOSTILE, strings
from tests.fakes.discord_server import FakeDiscord, RecordedRequest

pytestmark = pytest.mark.usefixtures("loopback_only")

_ACTIVE = (
    re.compile(r"(?i)@(everyone|here)"),
    re.compile(r"<@[!&]?\d+>|<#\d+>"),  # a user, role or channel mention
    re.compile(r"(?i)[a-z]+://evil\.example|www\.evil\.example"),  # a user's URL, bare, <…> or masked
)


@dataclass
class Run:
    fake: FakeDiscord

    async def command(self, name: str, options: Any, *, type: int = 2, **extra: Any) -> RecordedRequest:
        """Run a slash command (or autocomplete) and wait for its answer: the response, or the follow-up after
        a defer."""
        since = len(self.fake.requests)
        interaction = await self.fake.interaction_create(name, options, type=type, **extra)
        return await self.answer(interaction, since)

    async def answer(self, interaction: dict[str, Any], since: int) -> RecordedRequest:
        response = await self.fake.wait_for_interaction_response(interaction, since=since)
        if response.json["type"] != 5:  # not deferred
            return response
        return await self.fake.wait_for_followup(interaction, since=since)

    async def message(self, content: str, *, guild: bool) -> RecordedRequest:
        since = len(self.fake.requests)
        await self.fake.message_create(content, mentions_bot=guild, guild=guild)
        channel = self.fake.text_channel_id if guild else self.fake.dm_channel_id
        return await self.fake.wait_for_message(channel, since=since)


async def _mention(run: Run, form: str) -> None:
    await run.message(f"Who is {form}?", guild=True)


async def _dm(run: Run, form: str) -> None:
    await run.message(f"What did {form} say in 2024?", guild=False)


async def _ask(run: Run, form: str) -> None:
    await run.command("ask", {"question": f"Who is {form}?"})


async def _timeline(run: Run, form: str) -> None:
    for option in ("person", "since", "until"):
        await run.command("timeline", {option: form})
    await run.command("timeline", {"person": form}, type=4)  # the autocomplete


async def _who(run: Run, form: str) -> None:
    await run.command("who", {"name": form})
    await run.command("who", {"name": form}, type=4)


async def _suggestion(run: Run, form: str) -> None:
    since = len(run.fake.requests)
    click = await run.fake.interaction_create(f"sg:Who is {form}?"[:100], type=3)
    await run.answer(click, since)


async def _kb_upload(run: Run, form: str) -> None:
    run.fake.permissions |= 1 << 5  # Manage Server: an admin
    attachment = {"id": "1", "filename": f"{form}.yaml", "size": 10, "url": f"{run.fake.base_url}/none",
                  "proxy_url": f"{run.fake.base_url}/none", "content_type": "text/yaml"}
    options = kb_options("upload")
    options[0]["options"] = [{"name": "file", "type": 11, "value": "1"}]
    await run.command("kb", options, resolved={"attachments": {"1": attachment}})


PATHS: dict[str, Callable[[Run, str], Awaitable[None]]] = {
    "mention": _mention, "dm": _dm, "/ask": _ask, "/timeline": _timeline, "/who": _who,
    "suggestion": _suggestion, "/kb upload": _kb_upload,
}


def problems(requests: list[RecordedRequest]) -> list[str]:
    """Each string of each request that would ping someone or link to a typed URL, and each message that does
    not forbid every ping."""
    found = []
    for request in requests:
        found += [f"{request.path}: {text!r}" for text in strings(request.json) for pattern in _ACTIVE
                  if pattern.search(text)]
        data = request.json.get("data", request.json) if isinstance(request.json, dict) else {}
        if isinstance(data, dict) and ("content" in data or "embeds" in data):
            allowed = data.get("allowed_mentions")
            if allowed is None or allowed.get("parse") != [] or allowed.get("users") or allowed.get("roles"):
                found.append(f"{request.path}: allowed_mentions {allowed}")
    return found


@pytest.fixture
def unlimited(citebot: Citebot) -> Citebot:
    citebot.limits = RateLimits(MemoryBuckets(), per_user=0, per_channel=0)  # a refusal would hide the text
    return citebot


@pytest.mark.parametrize("path", list(PATHS))
async def test_no_typed_mention_or_link_is_ever_sent(path, fake, unlimited, bot):  # noqa: F811
    run = Run(fake)
    for form in HOSTILE:
        await PATHS[path](run, form)
    sent = [r for r in fake.requests if r.method in ("POST", "PATCH", "PUT") and r.json]
    assert len(sent) >= len(HOSTILE)
    assert problems(sent) == []


async def test_a_typed_name_is_shown_as_typed_and_links_nowhere(fake, bot):  # noqa: F811
    reply = await Run(fake).command("who", {"name": "[x](https://evil.example) @everyone <@123>"})
    assert reply.json["data"]["content"] == ("no person called '[x](https:\u200b//evil.example) @\u200beveryone "
                                             "<@\u200b123>' in the knowledge base")
