"""Date options (`--since`, `--until`): read as the chat reads a date in a question, an inverted range refused."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from typing import Any

from bot.knowledge.dates import PartialDate

_ISO_SHAPED = re.compile(r"\d{4}(?:-\d{1,2}){0,2}")
_AROUND_A_DATE = " \t,."
EXAMPLES = "2024, 2024-05, 2024-05-14, May 2024, Nov 14 2023 or 2024年5月"


def date_option(text: str) -> PartialDate:
    """An argparse ``type``: one date, at the precision typed ("May 2024" is the month), in any form the chat
    understands; a date without a year ("5月") or with words around it is refused."""
    from bot.core.question_dates import find_dates  # lazy: its patterns take 20 ms to compile, for every --help

    mentions = find_dates(text)
    if len(mentions) == 1:
        start, end = mentions[0].span
        date = mentions[0].partial()
        if not (text[:start] + text[end:]).strip(_AROUND_A_DATE):
            if date is None:
                raise argparse.ArgumentTypeError(f"{text!r} has no year: give one, e.g. 'May 2024' or '2024年5月'")
            return date
    if _ISO_SHAPED.fullmatch(text.strip()):  # "2024-05-32": the ISO reader says what is wrong with it
        try:
            return PartialDate.parse(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
    raise argparse.ArgumentTypeError(f"{text!r} is not a date: try {EXAMPLES}")


class DateRangeEnd(argparse.Action):
    """Stores a ``--since`` or ``--until`` date; once both are given, refuses a range that ends before it starts."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        since, until = getattr(namespace, "since", None), getattr(namespace, "until", None)
        if isinstance(since, PartialDate) and isinstance(until, PartialDate) and since.first_day > until.last_day:
            parser.error(f"--since {since} is after --until {until}: nothing can be in that range")
