from __future__ import annotations

import datetime as dt

import pytest

from bot.core.question_dates import find_dates, period_of
from bot.knowledge.dates import PartialDate, Precision


@pytest.mark.parametrize(
    ("raw", "precision", "en", "zh"),
    [
        ("2024-05-14", Precision.DAY, "May 14, 2024", "2024年5月14日"),
        ("2024-04", Precision.MONTH, "April 2024", "2024年4月"),
        ("2022", Precision.YEAR, "2022", "2022年"),
        (dt.date(2023, 11, 17), Precision.DAY, "November 17, 2023", "2023年11月17日"),
        (2022, Precision.YEAR, "2022", "2022年"),
    ],
)
def test_a_date_is_said_at_exactly_its_precision(raw, precision, en, zh):
    date = PartialDate.parse(raw)
    assert date.precision is precision
    assert date.human("en") == en
    assert date.human("zh") == zh


@pytest.mark.parametrize("raw", ["2024-13", "2024-02-30", "May 2024", "24-05-14", "", "2024-5-1"])
def test_malformed_dates_are_refused_with_the_reason(raw):
    with pytest.raises(ValueError, match="malformed date"):
        PartialDate.parse(raw)


def test_a_month_overlaps_its_days_but_not_the_next_month():
    april = PartialDate.parse("2024-04")
    assert april.overlaps(dt.date(2024, 4, 30), dt.date(2024, 4, 30))
    assert not april.overlaps(dt.date(2024, 5, 1), dt.date(2024, 5, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What happened on May 14, 2024?", (2024, 5, 14)),
        ("what happened on 14 May 2024", (2024, 5, 14)),
        ("What happened on 2024-02-15?", (2024, 2, 15)),
        ("What happened in April 2024?", (2024, 4, None)),
        ("events in Nov. 2023", (2023, 11, None)),
        ("2024年5月14日发生了什么？", (2024, 5, 14)),
        ("2024年4月发生了什么？", (2024, 4, None)),
        ("2024年五月发生了什么", (2024, 5, None)),
        ("Why was Altman removed in 2023?", (2023, None, None)),
    ],
)
def test_dates_are_found_inside_questions_with_the_precision_typed(text, expected):
    mentions = find_dates(text)
    assert [(m.year, m.month, m.day) for m in mentions] == [expected]


def test_a_month_without_a_year_matches_that_month_in_every_year_of_the_story():
    mentions = find_dates("What happened in April?")
    period = period_of("What happened in April?", mentions, [2023, 2024])
    assert period is not None
    assert period.start == dt.date(2023, 4, 1) and period.end == dt.date(2024, 4, 30)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("What happened between April 2024 and May 2024?", dt.date(2024, 4, 1), dt.date(2024, 5, 31)),
        ("从2023年11月到2024年2月发生了什么", dt.date(2023, 11, 1), dt.date(2024, 2, 29)),
        ("What happened since May 2024?", dt.date(2024, 5, 1), dt.date.max),
        ("What happened before 2024?", dt.date.min, dt.date(2024, 12, 31)),
    ],
)
def test_periods_and_ranges(text, start, end):
    period = period_of(text, find_dates(text), [2023, 2024])
    assert period is not None
    assert (period.start, period.end) == (start, end)


def test_numbers_that_are_not_dates_are_left_alone():
    assert find_dates("How many of the 20% went to the team? 85%") == []


@pytest.mark.parametrize(("text", "months"), [
    ("3 days before Jan Leike explains on X why he resigned", []),  # Jan Leike, the first name
    ("What happened before Jan?", [1]),
    ("What happened after Jan. 2024?", [1]),
    ("before January Leike was still there", [1]),
])
def test_jan_before_a_capitalised_word_is_a_first_name_not_january(text, months):
    assert [m.month for m in find_dates(text)] == months

