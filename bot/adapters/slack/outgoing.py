"""The one point every Slack payload leaves through, made inert there: no mention, broadcast or link it did not mean.

``blocks.py`` escapes what it renders; this is the guarantee on top, so that a field or a call site added later
cannot forget it. A bolt middleware makes each request's Web API client (``say``, ``client.chat_*``,
``files_upload_v2``) and its ``respond`` pass their arguments through ``defuse``:
- every ``<…>`` control sequence (``<!channel>``, ``<@U…>``, ``<#C…>``, ``<!subteam^…>``, ``<url|label>``) is
  escaped unless it is a link to one of the knowledge base's sources;
- any other URL, and ``@channel`` / ``@here`` / ``@everyone``, is broken with a zero-width space
  (``bot.adapters.defuse``);
- every mrkdwn text object is ``verbatim``: Slack links no bare URL or channel name and parses no mention in it.
Identifiers and data the app reads back (ids, timestamps, tokens, URLs, the values of buttons and menu options)
are left as they are; any other ``value`` (a legacy attachment field's) is text, and defused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.adapters.defuse import inert
from bot.service import Citebot

Links = frozenset[str]
_CONTROL = re.compile(r"<([^<>]*)>")
_MAYBE_ACTIVE = re.compile(r"[<>@]|:/|[wW]{3}")  # a string with none of these has nothing to defuse
_JSON_STRING_ARGS = ("blocks", "attachments", "files")  # slack_sdk sends these as JSON strings in forms and queries
_LEFT_AS_IS = {"token", "action_id", "block_id", "callback_id", "private_metadata", "type", "style",
               "channel", "channel_id", "user", "thread_ts", "ts", "id", "response_type", "filename"}
# ``value`` is data the app reads back only in a button (Block Kit's, or a legacy attachment's action), in an option
# of a select, overflow, radio or checkbox menu (options sit under one of these keys) and in a workflow button's
# input parameters. Anywhere else it is shown: a legacy attachment's ``fields[].value`` is displayed text.
_VALUED_ELEMENTS = {"button"}
_VALUED_ITEMS = {"options", "initial_option", "initial_options", "selected_options", "customizable_input_parameters"}


class SourceLinks:
    """The knowledge base's source URLs (the only links the bot posts), as of its live version."""

    def __init__(self, citebot: Citebot) -> None:
        self._citebot = citebot
        self._version = ""
        self._links: Links = frozenset()

    def __call__(self) -> Links:
        if self._version != self._citebot.version:
            urls = {s.url for s in self._citebot.sources() if s.url}
            self._links = frozenset(urls | {_escape_html(u) for u in urls})  # as a link carries it: & is &amp;
            self._version = self._citebot.version
        return self._links


def defuse_text(text: str, links: Links) -> str:
    """One mrkdwn (or plain) string made inert; text escaped by ``blocks.escape`` passes unchanged."""
    if not _MAYBE_ACTIVE.search(text):
        return text
    out: list[str] = []
    pos = 0
    for match in _CONTROL.finditer(text):
        out.append(_loose(text[pos:match.start()], links))
        url, bar, label = match.group(1).partition("|")
        if url in links:
            out.append(f"<{url}{bar}{_loose(label, links)}>")
        else:
            out.append(_loose(match.group(0), links))
        pos = match.end()
    out.append(_loose(text[pos:], links))
    return "".join(out)


def defuse(value: Any, links: Links, key: str = "") -> Any:
    """A payload (dicts, lists, strings, JSON-string arguments) with every displayed string made inert."""
    if isinstance(value, str):
        if key in _LEFT_AS_IS or key.endswith("url"):
            return value
        if key in _JSON_STRING_ARGS and value[:1] in ("[", "{"):
            return json.dumps(defuse(json.loads(value), links), ensure_ascii=False)
        return defuse_text(value, links)
    if isinstance(value, dict):
        data = value.get("type") in _VALUED_ELEMENTS or key in _VALUED_ITEMS
        out = {k: v if k == "value" and data else defuse(v, links, k) for k, v in value.items()}
        if out.get("type") == "mrkdwn" and isinstance(out.get("text"), str):
            out["verbatim"] = True
        return out
    if isinstance(value, list | tuple):
        return [defuse(v, links, key) for v in value]
    if hasattr(value, "to_dict"):  # slack_sdk's Block and Attachment objects
        return defuse(value.to_dict(), links, key)
    return value


def install(app: Any, links: Callable[[], Links]) -> None:
    """A global middleware: this request's client and ``respond`` send only defused payloads."""
    app.middleware(DefuseOutgoing(links))


class DefuseOutgoing(AsyncMiddleware):
    """A class, not a decorated function: bolt then calls it without building keyword arguments for it,
    which cost a quarter of the ack path's time under load (bench/slack_load.py)."""

    def __init__(self, links: Callable[[], Links]) -> None:
        self._links = links

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse,
                            next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse | None:
        context = req.context
        client = context.client  # bolt makes one per request: wrapping it touches no other request
        client.api_call = _defusing_call(client.api_call, self._links)  # type: ignore[method-assign]
        if context.response_url:
            context["respond"] = DefusingRespond(response_url=context.response_url, proxy=client.proxy,
                                                 ssl=client.ssl, links=self._links)
        return await next()


class DefusingRespond(AsyncRespond):
    """bolt's ``respond`` (a POST to the response URL), its message defused first."""

    def __init__(self, *, response_url: str, proxy: str | None, ssl: Any, links: Callable[[], Links]) -> None:
        super().__init__(response_url=response_url, proxy=proxy, ssl=ssl)
        self._links = links

    async def __call__(self, text: str | dict[str, Any] = "", **message: Any) -> Any:  # type: ignore[override]
        links = self._links()
        return await super().__call__(defuse(text, links, "text"), **defuse(message, links))


def _defusing_call(call: Callable[..., Awaitable[Any]], links: Callable[[], Links]) -> Callable[..., Awaitable[Any]]:
    async def api_call(api_method: str, **arguments: Any) -> Any:
        for part in ("json", "data", "params"):
            if isinstance(arguments.get(part), dict):
                arguments[part] = defuse(arguments[part], links())
        return await call(api_method, **arguments)

    return api_call


def _loose(text: str, links: Links) -> str:
    """Text outside a kept link: no ``<`` or ``>`` left to open a control sequence, no other URL, no broadcast."""
    return inert(text.replace("<", "&lt;").replace(">", "&gt;"), links)


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
