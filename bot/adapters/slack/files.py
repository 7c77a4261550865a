"""A private Slack file (an admin's upload), read with the bot token, whole, and never past a size limit.

The token goes only to Slack's own file hosts (https on slack.com or slack-gov.com, or the host of the Web API
the app is configured with): a file event naming any other URL is refused, not fetched. The body is read to its
end or to one byte over the limit, whatever size the event declared or the server sends in Content-Length.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import aiohttp

SLACK_FILE_DOMAINS = ("slack.com", "slack-gov.com")
CHUNK_BYTES = 64 * 1024
COUNT_LIMIT = 8  # past the limit, bytes are counted (not kept) up to this many times it, to say the size
TIMEOUT = aiohttp.ClientTimeout(total=30)


class FileRefused(Exception):
    """The file was not downloaded (or not kept): its message says why, for the admin."""


class FileTooLarge(FileRefused):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the file is {size} bytes; the limit is {limit}")
        self.size = size  # as sent in Content-Length, or counted: exact up to COUNT_LIMIT times the limit


def is_slack_file_host(url: str, api_base_url: str = "") -> bool:
    """Whether ``url`` is on Slack's file servers, or on the configured Web API's host, scheme and port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and any(host == d or host.endswith(f".{d}") for d in SLACK_FILE_DOMAINS):
        return True
    api = urlsplit(api_base_url)
    return bool(api.netloc) and (parts.scheme, parts.netloc.lower()) == (api.scheme, api.netloc.lower())


async def download_private(url: str, token: str, *, limit: int, api_base_url: str = "") -> bytes:
    """The file's bytes; ``FileRefused`` when it is not on Slack, cannot be read, or is over ``limit`` bytes."""
    if not is_slack_file_host(url, api_base_url):
        raise FileRefused("the file is not on Slack's file servers")
    headers = {"Authorization": f"Bearer {token}"}
    try:
        # aiohttp drops the Authorization header on a redirect to another origin
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session, session.get(url, headers=headers) as r:
            if r.status != 200:
                raise FileRefused(f"Slack answered {r.status} for the file")
            if (r.content_length or 0) > limit:
                raise FileTooLarge(r.content_length or 0, limit)
            data = bytearray()
            size = 0
            async for chunk in r.content.iter_chunked(CHUNK_BYTES):
                size += len(chunk)
                if size <= limit:
                    data += chunk
                elif size > COUNT_LIMIT * limit:
                    break
            if size > limit:
                raise FileTooLarge(size, limit)
            return bytes(data)
    except (aiohttp.ClientError, TimeoutError) as err:
        raise FileRefused(f"the file could not be read from Slack ({type(err).__name__})") from err
