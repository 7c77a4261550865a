"""Every mention and link form a user can type, through every Slack command, event and button, against the real
slack-bolt: nothing the bot sends (every field of every payload the fake received) pings anyone or links anywhere
but to a knowledge-base source."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from bot.ratelimit import MemoryBuckets, RateLimits
from bot.service import Citebot
from tests.adapters.test_slack_bot import ROOT, SECRET, bolt, fake, mention, serve, session  # noqa: F401
from tests.fakes.slack_server import (
    FORM,
    JSON,
    FakeSlack,
    SlackCall,
    block_action_form,
    dm_message_event,
    event_callback,
    json_body,
    post_signed,
    slash_command_form,
)

pytestmark = pytest.mark.usefixtures("loopback_only")

HOSTILE = (
    "<!channel>", "<!here>", "<!everyone>", "<!channel|channel>", "<@U999>", "<@U999|boss>", "<#C123>",
    "<#C123|general>", "<!subteam^S1>", "<!subteam^S1|@admins>", "<!date^1392734382^{date}|x>",
    "<https://evil.example|Click me>", "<https://evil.example>", "<mailto:a@evil.example|mail me>",
    "@everyone", "@here", "@channel", "@Channel", "<@123>", "<@!123>", "<@&456>", "<#789>",
    "[x](https://evil.example)", "[x](<https://evil.example>)", "https://evil.example", "http://evil.example/a?b=1",
    "www.evil.example", "HTTPS://EVIL.EXAMPLE", "&lt;!channel&gt;", "<<!here>>", "a <b> c <!here",
)
_ACTIVE = (
    re.compile(r"<[!@#]"),  # a broadcast, or a user, channel, group mention
    re.compile(r"(?i)@(everyone|here|channel)"),  # broadcasts Slack would parse in plain text
    re.compile(r"(?i)[a-z]+://evil\.example|www\.evil\.example"),  # a user's URL, which Slack would link
)
_CONTROL = re.compile(r"<([^<>]*)>")


@dataclass
class Run:
    fake: FakeSlack
    session: aiohttp.ClientSession
    url: str

    async def command(self, name: str, text: str, key: str, user: str = "U1") -> SlackCall:
        since = len(self.fake.calls)
        form = slash_command_form(name, text, user_id=user, response_url=self.fake.response_url(key))
        await post_signed(self.session, self.url, form, FORM, SECRET)
        return await self.fake.wait_for_any(("response_url",), since=since)

    async def click(self, action_id: str, value: str, key: str, user: str = "U1",
                    thread_ts: str | None = None) -> SlackCall:
        since = len(self.fake.calls)
        form = block_action_form(action_id, value, user_id=user, message_ts="1716400999.000100", thread_ts=thread_ts,
                                 response_url=self.fake.response_url(key))
        await post_signed(self.session, self.url, form, FORM, SECRET)
        return await self.fake.wait_for_any(("response_url", "chat.postMessage"), since=since)

    async def event(self, event: dict[str, Any]) -> SlackCall:
        since = len(self.fake.calls)
        await post_signed(self.session, self.url, json_body(event_callback(event)), JSON, SECRET)
        return await self.fake.wait_for_any(("chat.postMessage", "chat.postEphemeral"), since=since)


async def _mention(run: Run, n: int, form: str) -> None:
    since = len(run.fake.calls)
    await mention(run.session, run.url, f"Who is {form}?", user=f"U{n}", ts=f"1716401{n:03d}.000100")
    await run.fake.wait_for_any(("chat.postMessage", "chat.postEphemeral"), since=since)


async def _dm(run: Run, n: int, form: str) -> None:
    await run.event(dm_message_event(f"What did {form} say in 2024?", user=f"U{n}", ts=f"1716402{n:03d}.000100"))


async def _ask(run: Run, n: int, form: str) -> None:
    await run.command("/ask", f"Who is {form}?", f"a{n}", user=f"U{n}")


async def _timeline(run: Run, n: int, form: str) -> None:
    await run.command("/timeline", form, f"t{n}")
    await run.command("/timeline", f"{form} 2024", f"u{n}")


async def _who(run: Run, n: int, form: str) -> None:
    await run.command("/who", form, f"w{n}")


async def _sources(run: Run, n: int, form: str) -> None:
    await run.command("/sources", form, f"s{n}")


async def _kb(run: Run, n: int, form: str) -> None:
    await run.command("/kb", form, f"k{n}", user="UADMIN")
    await run.command("/kb", f"rollback {form}", f"r{n}", user="UADMIN")
    await run.command("/kb", form, f"n{n}", user="U1")  # refused: not an admin


async def _kb_upload(run: Run, n: int, form: str) -> None:
    bad_name = {"subtype": "file_share", "files": [run.fake.shared_file(f"{form}.yaml", b"events: []\n")]}
    await run.event(dm_message_event("kb upload", user="UADMIN", ts=f"1716403{n:03d}.000100") | bad_name)
    content = f'events:\n  - id: hostile-{n}\n    date: "{form}"\n    title: {{en: "{form}"}}\n'.encode()
    bad_file = {"subtype": "file_share", "files": [run.fake.shared_file("hostile.yaml", content)]}
    await run.event(dm_message_event("kb upload", user="UADMIN", ts=f"1716404{n:03d}.000100") | bad_file)


async def _share(run: Run, n: int, form: str) -> None:
    """A Share click's value is whatever the clicker's client sends: forged, for each command."""
    for c, command in enumerate(("/ask", "/timeline", "/who", "/sources")):
        value = json.dumps({"command": command, "text": f"Jan Leike {form}"})
        await run.click("share", value, f"x{n}-{c}", user=f"U{n}")
        await run.click("share", json.dumps({"command": command, "text": form}), f"y{n}-{c}", user=f"U{n}")
    await run.click("share", form, f"z{n}", user=f"U{n}")  # not even JSON


async def _ask_then_share(run: Run, n: int, form: str) -> None:
    """An answered question carrying the form, shared in the channel as the button says."""
    reply = await run.command("/ask", f"When did Jan Leike leave OpenAI? {form}", f"q{n}", user=f"U{n}")
    share = next((e for b in reply.args.get("blocks", []) if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == "share"), None)
    if share is not None:  # a decline has no Share button
        await run.click("share", share["value"], f"p{n}", user=f"U{n}")


async def _suggestion(run: Run, n: int, form: str) -> None:
    await run.click("suggest_0", f"Who is {form}?", f"g{n}", user=f"U{n}")
    await run.click("suggest_1", f"Who is {form}?", f"h{n}", user=f"U{n}", thread_ts="1716405000.000100")


async def _vote(run: Run, n: int, form: str) -> None:
    await run.click("feedback_up", form, f"v{n}", user=f"U{n}")


PATHS: dict[str, Callable[[Run, int, str], Awaitable[None]]] = {
    "mention": _mention, "dm": _dm, "/ask": _ask, "/timeline": _timeline, "/who": _who, "/sources": _sources,
    "/kb": _kb, "kb upload": _kb_upload, "share (forged)": _share, "share": _ask_then_share,
    "suggestion": _suggestion, "vote": _vote,
}


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def problems(calls: list[SlackCall], sources: set[str]) -> list[str]:
    """Each string of each payload that would ping someone or link to a URL not among the sources."""
    found = []
    for call in calls:
        for text in strings(call.args):
            found += [f"{call.method}: {text!r}" for pattern in _ACTIVE if pattern.search(text)]
            found += [f"{call.method}: a link to {m.group(1)!r} in {text!r}" for m in _CONTROL.finditer(text)
                      if m.group(1).partition("|")[0] not in sources]
    return found


@pytest.fixture
def open_citebot(citebot: Citebot, tmp_path) -> Citebot:  # type: ignore[no-untyped-def]
    """No rate limit (a refusal would hide the text each form makes); admins; a copy of the knowledge to upload to."""
    citebot.limits = RateLimits(MemoryBuckets(), per_user=0, per_channel=0)
    citebot.settings.slack_admin_user_ids = ["UADMIN"]
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    citebot.settings.knowledge_dir = knowledge
    return citebot


@pytest.mark.parametrize("path", list(PATHS))
async def test_no_typed_mention_or_link_is_ever_sent(path, fake, session, open_citebot, bolt):  # noqa: F811
    async with serve(bolt) as url:
        run = Run(fake, session, url)
        for n, form in enumerate(HOSTILE):
            await PATHS[path](run, n, form)
    sources = {s.url for s in open_citebot.sources() if s.url}
    replies = [c for c in fake.calls if c.method not in ("auth.test", "file_download")]
    assert len(replies) >= len(HOSTILE)
    assert problems(replies, sources) == []


async def test_a_typed_name_is_shown_as_typed_and_pings_no_one(fake, session, bolt):  # noqa: F811
    async with serve(bolt) as url:
        reply = await Run(fake, session, url).command("/timeline", "<!here> <@U999>", "t")
    said = "no person called '&lt;!here&gt; &lt;@U999&gt;' in the knowledge base"
    assert reply.args["text"] == said
    [block] = reply.args["blocks"]
    assert block["text"] == {"type": "mrkdwn", "text": said, "verbatim": True}  # Slack parses nothing in it
    assert not any(b.get("block_id") == "share" for b in reply.args["blocks"])  # an error is not shared


async def test_a_refusal_to_a_flood_carries_no_typed_mention(fake, session, citebot, bolt):  # noqa: F811
    citebot.limits = RateLimits(MemoryBuckets(), per_user=1, per_channel=0)
    async with serve(bolt) as url:
        for n in range(3):
            await mention(session, url, "<!channel> https://evil.example who is Jan Leike?", ts=f"17164060{n}.000100")
        await fake.wait_for("chat.postEphemeral", lambda c: len(fake.calls_to("chat.postEphemeral")) >= 2)
    assert problems(fake.calls, set()) == []
