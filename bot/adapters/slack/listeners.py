"""Slack listeners: mentions, DMs and thread follow-ups, the slash commands, and the buttons.

Each listener translates a Slack payload into a core call and the result into Block Kit; nothing
here decides an answer.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack import blocks, outgoing, replays
from bot.adapters.slack.admin import register_admin
from bot.adapters.slack.dedupe import SeenEvents
from bot.adapters.slack.pictures import share_timeline_picture
from bot.adapters.texts import labels, language_of_text
from bot.core.types import Answer, Question
from bot.errors import CitebotError
from bot.service import Citebot
from bot.shared_state import RedisSeenEvents

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_COMMANDS = ("/ask", "/timeline", "/who", "/sources")
_RANGE = re.compile(r"(\d{4}(?:-\d{2}){0,2})?\s*\.\.\s*(\d{4}(?:-\d{2}){0,2})?")


class Threads:
    """Threads the bot has answered in, so a follow-up there needs no mention."""

    def __init__(self, size: int = 20_000) -> None:
        self._known: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def add(self, channel: str, thread_ts: str) -> None:
        self._known[f"{channel}:{thread_ts}"] = None
        while len(self._known) > self._size:
            self._known.popitem(last=False)

    def __contains__(self, key: tuple[str, str]) -> bool:
        return f"{key[0]}:{key[1]}" in self._known


def apologizing(listener: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """Log a listener's error with its traceback and tell the user, privately, that something went wrong.

    Bolt injects arguments by the listener's parameter names; ``functools.wraps`` keeps them visible.
    """

    @functools.wraps(listener)
    async def guarded(**kwargs: Any) -> None:
        try:
            await listener(**kwargs)
        except Exception:
            log.exception("error in the Slack listener %s", listener.__name__)
            respond = kwargs.get("respond")
            body = kwargs.get("body") or {}
            text = body.get("text") or ""
            if respond is not None and body.get("response_url"):
                apology = labels(language_of_text(text))["apology"]
                await respond(response_type="ephemeral", replace_original=False, text=apology)

    return guarded


def _timeline_arguments(text: str) -> tuple[str | None, str | None, str | None]:
    """`/timeline [person] [since..until | date]` → (person, since, until)."""
    since = until = None
    match = _RANGE.search(text)
    if match and (match.group(1) or match.group(2)):
        since, until = match.group(1), match.group(2)
        text = (text[: match.start()] + text[match.end():]).strip()
    elif text and re.fullmatch(r"\d{4}(-\d{2}){0,2}", text.split()[-1]):
        since = until = text.split()[-1]
        text = " ".join(text.split()[:-1])
    return text or None, since, until


def _share_request(value: object) -> dict[str, str] | None:
    """The command a Share button carries ({"command", "text"}), or None for a value that is not one."""
    try:
        request = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        request = None
    if not isinstance(request, dict) or request.get("command") not in _COMMANDS or not isinstance(
            request.get("text"), str):
        log.warning("a Share click carried no command: %.80r", value)
        return None
    return request


def register(app: AsyncApp, citebot: Citebot, *, seen: SeenEvents | RedisSeenEvents | None = None) -> None:
    seen = seen or SeenEvents()
    threads = Threads()
    outgoing.install(app, outgoing.SourceLinks(citebot))
    replays.install(app, seen)

    admins = set(citebot.settings.slack_admin_user_ids)

    async def ask(text: str, *, user: str, team: str, conversation: str, channel: str) -> Answer:
        return await citebot.ask(Question(text=text, adapter="slack", conversation_id=conversation,
                                          user_id=f"slack:{team}:{user}", channel_id=f"slack:{team}:{channel}",
                                          exempt=user in admins))

    pending: set[asyncio.Task[None]] = set()  # answers under way: a task is kept until it is done

    def answer_in_thread(body: dict[str, Any], event: dict[str, Any], client: Any) -> None:
        """Answer in the message's thread, in a task of its own that holds only what the answer needs: the
        listener returns at once and bolt lets go of the request, so a burst of thousands of events waits
        for answer slots as small tasks, not as whole requests the garbage collector keeps scanning
        (bench/slack_load.py: acks a second rose by a tenth)."""
        task = asyncio.create_task(_answer(
            event_id=body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}",
            retry=body.get("retry_attempt"), team=body.get("team_id", ""), text=event.get("text") or "",
            user=event.get("user", ""), channel=event["channel"], thread_ts=event.get("thread_ts") or event["ts"],
            client=client))
        pending.add(task)
        task.add_done_callback(pending.discard)

    async def _answer(*, event_id: str, retry: object, team: str, text: str, user: str, channel: str,
                      thread_ts: str, client: Any) -> None:
        if not await seen.first_time(event_id):
            log.info("event %s already answered (Slack retry %s)", event_id, retry)
            return
        text = _MENTION.sub(" ", text).strip()
        if not text:
            return
        try:
            async with citebot.answering():  # bolt has acked already; a burst waits here, not in Slack's retries
                answer = await ask(text, user=user, team=team, conversation=f"slack:{channel}:{thread_ts}",
                                   channel=channel)
                if answer.refusal:  # to the asker only: a flood must not make the bot flood the channel
                    await client.chat_postEphemeral(channel=channel, user=user, text=blocks.escape(answer.text),
                                                    thread_ts=thread_ts)
                    return
                for message_blocks, fallback in blocks.answer_messages(answer, citebot.version):
                    await client.chat_postMessage(channel=channel, blocks=message_blocks, text=fallback,
                                                  thread_ts=thread_ts)
            threads.add(channel, thread_ts)
        except Exception:
            log.exception("error answering a Slack message")
            await client.chat_postMessage(channel=channel, text=labels(language_of_text(text))["apology"],
                                          thread_ts=thread_ts)

    @app.event("app_mention")
    async def on_mention(body: dict[str, Any], event: dict[str, Any], client: Any) -> None:
        answer_in_thread(body, event, client)

    # Bolt tries listeners in the order they were registered: mentions (most of the traffic) first, then the
    # admin listeners, whose file_share listener must see uploads before the message listener does.
    register_admin(app, citebot)

    @app.event("message")
    async def on_message(body: dict[str, Any], event: dict[str, Any], context: Any, client: Any) -> None:
        if event.get("subtype") or event.get("bot_id"):
            return
        direct = event.get("channel_type") == "im"
        followup = event.get("thread_ts") and (event["channel"], event["thread_ts"]) in threads
        mentioned = context.bot_user_id and f"<@{context.bot_user_id}>" in (event.get("text") or "")
        if direct or (followup and not mentioned):  # a mention arrives as app_mention too
            answer_in_thread(body, event, client)

    async def run_command(command: str, text: str, *, user: str, team: str,
                          channel: str) -> tuple[list[blocks.Message], bool]:
        """The reply to a slash command as Block Kit messages (the same for the ephemeral reply and a share), and
        whether it is worth sharing: not a refusal (too fast, too long), an error or a decline."""
        language = language_of_text(text)
        if command == "/ask":
            if not text:
                return [([blocks.section("Usage: `/ask <question>` · 用法:`/ask <问题>`")], "Usage: /ask <question>")
                        ], False
            answer = await ask(text, user=user, team=team, conversation=f"slack:{channel}:{user}", channel=channel)
            return blocks.answer_messages(answer, citebot.version), answer.answered and not answer.refusal
        try:
            if command == "/timeline":
                person, since, until = _timeline_arguments(text)
                timeline = citebot.timeline(person=person, since=since, until=until, language=language)
                return blocks.timeline_messages(timeline, citebot.version), True
            if command == "/who":
                return blocks.profile_messages(citebot.profile(text, language), citebot.version, language), True
            return blocks.sources_messages(citebot.sources(), citebot.version, language), True
        except CitebotError as err:
            return blocks.notice(str(err)), False

    @apologizing
    async def on_command(ack: Any, body: dict[str, Any], command: dict[str, Any], respond: Any) -> None:
        """Acknowledge within Slack's 3 seconds, then answer privately with a "Share in channel" button."""
        await ack()
        text = (command.get("text") or "").strip()
        messages, shareable = await run_command(command["command"], text, user=command["user_id"],
                                                team=command.get("team_id", ""), channel=command["channel_id"])
        if shareable:
            messages = blocks.with_share(messages, language_of_text(text), command["command"], text)
        for message_blocks, fallback in messages:
            await respond(response_type="ephemeral", replace_original=False, blocks=message_blocks, text=fallback)

    for name in _COMMANDS:
        app.command(name)(on_command)

    @app.action("share")
    @apologizing
    async def share(ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any) -> None:
        """Post what an ephemeral slash-command reply showed in the channel (its thread, if it was in one), for
        everyone; a timeline is followed by its picture."""
        await ack()
        request = _share_request(action.get("value"))
        if request is None:
            await respond(response_type="ephemeral", replace_original=False,
                          text=labels(language_of_text(""))["apology"])
            return
        user, channel = body["user"]["id"], (body.get("channel") or {}).get("id", "")
        thread_ts = (body.get("container") or {}).get("thread_ts")
        messages, shareable = await run_command(request["command"], request["text"], user=user,
                                                team=body.get("team", {}).get("id", ""), channel=channel)
        if not shareable:  # asked again, it is refused now (too fast, say): the clicker alone is told
            for message_blocks, fallback in messages:
                await respond(response_type="ephemeral", replace_original=False, blocks=message_blocks, text=fallback)
            return
        for message_blocks, fallback in messages:
            await client.chat_postMessage(channel=channel, blocks=message_blocks, text=fallback, thread_ts=thread_ts)
        if request["command"] == "/timeline":
            person, since, until = _timeline_arguments(request["text"])
            await share_timeline_picture(client, citebot, channel=channel, thread_ts=thread_ts, person=person,
                                         since=since, until=until, language=language_of_text(request["text"]),
                                         user_id=f"slack:{body.get('team', {}).get('id', '')}:{user}")

    @app.action(re.compile(r"^feedback_(up|down)$"))
    @apologizing
    async def feedback(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        outcome = await citebot.feedback(
            answer_id=action["value"], user_id=f"slack:{body.get('team', {}).get('id', '')}:{body['user']['id']}",
            vote=1 if action["action_id"] == "feedback_up" else -1, adapter="slack",
        )
        language = language_of_text(((body.get("message") or {}).get("text")) or "")
        await respond(response_type="ephemeral", replace_original=False, text=labels(language)[outcome])

    @app.action(re.compile(r"^suggest_\d+$"))
    @apologizing
    async def suggestion(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, say: Any) -> None:
        """Ask the suggested question: privately under an ephemeral reply, in the thread otherwise."""
        await ack()
        user, team = body["user"]["id"], body.get("team", {}).get("id", "")
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        thread_ts = container.get("thread_ts") or container.get("message_ts")
        answer = await ask(action["value"], user=user, team=team, conversation=f"slack:{channel}:{thread_ts or user}",
                           channel=channel)
        if container.get("is_ephemeral") or not thread_ts or answer.refusal:
            for message_blocks, fallback in blocks.answer_messages(answer, citebot.version):
                await respond(response_type="ephemeral", replace_original=False, blocks=message_blocks,
                              text=fallback)
            return
        for message_blocks, fallback in blocks.answer_messages(answer, citebot.version):
            await say(blocks=message_blocks, text=fallback, thread_ts=thread_ts)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], respond: Any, logger: Any) -> None:
        log.error("error in a Slack listener", exc_info=error)
        text = body.get("text") or (body.get("event") or {}).get("text") or ""
        if respond is not None and body.get("response_url"):
            apology = labels(language_of_text(text))["apology"]
            await respond(response_type="ephemeral", replace_original=False, text=apology)
