"""Date options (`--since`, `--until`): read as the chat reads a date in a question, an inverted range refused."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from bot.core.date_text import read_date
from bot.knowledge.dates import PartialDate


def date_option(text: str) -> PartialDate:
    """An argparse ``type``: one date, in any form the chat understands (``bot/core/date_text.py``)."""
    try:
        return read_date(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


class DateRangeEnd(argparse.Action):
    """Stores a ``--since`` or ``--until`` date; once both are given, refuses a range that ends before it starts."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        since, until = getattr(namespace, "since", None), getattr(namespace, "until", None)
        if isinstance(since, PartialDate) and isinstance(until, PartialDate) and since.first_day > until.last_day:
            parser.error(f"--since {since} is after --until {until}: nothing can be in that range")
