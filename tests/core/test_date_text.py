"""A date typed on its own is read as the chat reads one, in every place that takes a date option."""

from __future__ import annotations

import pytest

from bot.core.date_text import read_date
from bot.core.timeline import build_timeline
from bot.errors import CitebotError


@pytest.mark.parametrize(("typed", "iso"), [
    ("2024-05", "2024-05"), ("May 2024", "2024-05"), ("2024年5月", "2024-05"), ("Nov 14 2023", "2023-11-14"),
    ("2024", "2024"), (" May 2024. ", "2024-05"),
])
def test_a_date_option_reads_as_the_chat_reads_it(typed, iso):
    assert read_date(typed).iso() == iso


@pytest.mark.parametrize(("typed", "why"), [
    ("5月", "has no year"), ("sometime in May 2024", "is not a date"), ("2024-05-32", "day"),
    ("May 2024 to June 2024", "is not a date"),
])
def test_what_is_not_one_date_is_refused_saying_why(typed, why):
    with pytest.raises(ValueError, match=why):
        read_date(typed)


def test_the_timeline_every_adapter_builds_takes_chat_dates_and_refuses_an_inverted_range(prepared):
    """Discord's and Slack's /timeline options go through build_timeline, as the CLI's --since does."""
    may = build_timeline(prepared, since="May 2024", until="2024年5月")
    assert may.entries and all(e.iso_date.startswith("2024-05") for e in may.entries)
    with pytest.raises(CitebotError, match="since 2024-06 is after until 2024-01"):
        build_timeline(prepared, since="2024-06", until="2024-01")
