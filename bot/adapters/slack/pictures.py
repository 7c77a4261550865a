"""The timeline picture in Slack, uploaded with the files API (slack_sdk's ``files_upload_v2``:
files.getUploadURLExternal, the upload, files.completeUploadExternal).

Slack files cannot be ephemeral, so a private /timeline reply only says that sharing it brings the picture.
Shared, the timeline's message (events, numbered citations with their quotes) is posted, then the picture
where it went (the channel, or its thread), with its title and its citation numbers by source as its text.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.adapters.slack import blocks
from bot.errors import CitebotError
from bot.picture import FILENAME, PictureRefused
from bot.service import Citebot

log = logging.getLogger(__name__)


async def share_timeline_picture(client: Any, citebot: Citebot, *, channel: str, thread_ts: str | None,
                                 person: str | None, since: str | None, until: str | None, language: str,
                                 user_id: str | None = None) -> bool:
    """Upload the picture of this timeline to ``channel``; False when there is none to show or Slack refused it
    (the timeline's text has been posted already, so that is logged and not put to the user). A new drawing
    counts against ``user_id``'s picture allowance."""
    try:
        picture = await citebot.timeline_picture(person=person, since=since, until=until, language=language,
                                                 user_id=user_id)
    except PictureRefused as refused:
        log.info("no timeline picture: %s", refused)
        return False
    except CitebotError:
        return False  # a bad filter: the shared text said so
    if not picture.timeline.entries:
        return False
    try:
        await client.files_upload_v2(
            channel=channel, thread_ts=thread_ts, file=picture.png, filename=FILENAME, title=picture.chart.title,
            alt_txt=picture.alt_text(), initial_comment=blocks.picture_comment(picture.timeline),
        )
    except SlackApiError as err:
        data = getattr(err.response, "data", None)
        reason = data.get("error") if isinstance(data, dict) else err
        hint = " (the app needs the files:write scope)" if reason == "missing_scope" else ""
        log.warning("could not upload the timeline picture: %s%s", reason, hint)
        return False
    except SlackRequestError as err:
        log.warning("could not upload the timeline picture: %s", err)
        return False
    return True
