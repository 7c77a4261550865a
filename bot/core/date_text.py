"""One date typed on its own (a command's ``--since``, a slash command's ``since`` option), read as the chat reads
a date in a question: "2024-05", "May 2024", "Nov 14 2023", "2024年5月", at the precision typed."""

from __future__ import annotations

import re

from bot.knowledge.dates import PartialDate

_ISO_SHAPED = re.compile(r"\d{4}(?:-\d{1,2}){0,2}")
_AROUND_A_DATE = " \t,."
EXAMPLES = "2024, 2024-05, 2024-05-14, May 2024, Nov 14 2023 or 2024年5月"


def read_date(text: str) -> PartialDate:
    """The one date ``text`` holds; ValueError saying why when it holds none, two, no year ("5月") or more words."""
    from bot.core.question_dates import find_dates  # lazy: its patterns take 20 ms to compile, for every --help

    mentions = find_dates(text)
    if len(mentions) == 1:
        start, end = mentions[0].span
        date = mentions[0].partial()
        if not (text[:start] + text[end:]).strip(_AROUND_A_DATE):
            if date is None:
                raise ValueError(f"{text!r} has no year: give one, e.g. 'May 2024' or '2024年5月'")
            return date
    if _ISO_SHAPED.fullmatch(text.strip()):  # "2024-05-32": the ISO reader says what is wrong with it
        return PartialDate.parse(text.strip())
    raise ValueError(f"{text!r} is not a date: try {EXAMPLES}")
