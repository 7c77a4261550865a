"""The timeline picture: what it draws (the filtered events, spans for months), a valid PNG, the cache, the fonts."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import itertools
import logging
import os
import struct
import threading

import pytest

import bot.picture.png
from bot.core.timeline import build_timeline
from bot.picture import TimelinePictures, draw_timeline, fonts
from bot.picture.chart import GENERAL, build_chart
from bot.picture.layout import stack
from bot.picture.scale import MonthScale

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chart_of(prepared, **filters):
    timeline = build_timeline(prepared, **filters)
    return timeline, build_chart(timeline, prepared.kb)


def people_of(prepared, event_id: str) -> list[str]:
    return prepared.kb.get(event_id).people


# --- what is drawn --------------------------------------------------------------------------------------------


def test_every_event_is_drawn_in_the_lane_of_each_person_it_names(prepared):
    timeline, chart = chart_of(prepared)
    keys = [lane.key for lane in chart.lanes]
    assert keys[:3] == ["ilya-sutskever", "jan-leike", "sam-altman"] and keys[-1] == GENERAL
    assert "openai" not in keys and "microsoft" not in keys  # organisations share the general lane
    assert {m.event_id for m in chart.marks} == {e.event_id for e in timeline.entries}
    for mark in chart.marks:
        key = chart.lanes[mark.lane].key
        assert key in people_of(prepared, mark.event_id) or key == GENERAL
    lanes_of_firing = {chart.lanes[m.lane].label for m in chart.marks if m.event_id == "altman-removed-2023-11-17"}
    assert lanes_of_firing == {"Sam Altman", "Ilya Sutskever"}
    gpt4o = next(m for m in chart.marks if m.event_id == "gpt-4o-announced-2024-05-13")
    assert chart.lanes[gpt4o.lane].label == "Others"


def test_an_english_picture_labels_a_pen_name_in_latin_letters(prepared):
    """An English picture (the fallback without a CJK font) draws no Chinese character in its lanes."""
    _, chart = chart_of(prepared)
    labels = [lane.label for lane in chart.lanes]
    assert "Hezi Kele (pen name)" in labels
    assert not any("\u3400" <= ch <= "\u9fff" for label in labels for ch in label), labels


def test_filtered_on_a_person_the_picture_has_that_person_only(prepared):
    timeline, chart = chart_of(prepared, person="Leike")
    assert [lane.label for lane in chart.lanes] == ["Jan Leike"] and chart.title == "Timeline of Jan Leike"
    assert [m.event_id for m in chart.marks] == [e.event_id for e in timeline.entries]
    assert all("jan-leike" in people_of(prepared, m.event_id) for m in chart.marks)
    assert "leike-resigns-post-2024-05-14" in {m.event_id for m in chart.marks}
    assert "altman-removed-2023-11-17" not in {m.event_id for m in chart.marks}


def test_filtered_on_a_period_the_picture_has_that_periods_events_only(prepared):
    _, chart = chart_of(prepared, since="2024-04", until="2024-04")
    assert {m.event_id for m in chart.marks} == {
        "aschenbrenner-izmailov-fired-2024-04", "kokotajlo-resigns-2024-04", "okeefe-leaves-2024-04"}
    assert all(m.start <= dt.date(2024, 4, 30) and m.end >= dt.date(2024, 4, 1) for m in chart.marks)
    assert chart.period == "from 2024-04 · until 2024-04"


def test_months_and_years_are_spans_never_an_invented_day(prepared):
    _, chart = chart_of(prepared)
    marks = {m.event_id: m for m in chart.marks}
    april = marks["kokotajlo-resigns-2024-04"]
    assert (april.start, april.end, april.precision, april.is_span) == (
        dt.date(2024, 4, 1), dt.date(2024, 4, 30), "month", True)
    year = marks["kokotajlo-joins-openai-2022"]
    assert (year.start, year.end, year.precision) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31), "year")
    day = marks["leike-resigns-post-2024-05-14"]
    assert day.start == day.end == dt.date(2024, 5, 14) and not day.is_span
    two_days = marks["altman-return-agreed-2023-11-21"]  # a day with an end date
    assert (two_days.start, two_days.end) == (dt.date(2023, 11, 21), dt.date(2023, 11, 22))
    assert marks["sutskever-deleted-tweet-2023-12"].approximate and marks["sutskever-deleted-tweet-2023-12"].is_span


def test_labels_carry_the_events_citation_numbers_in_the_askers_language(prepared):
    timeline, chart = chart_of(prepared, language="zh")
    numbers = {e.event_id: e.citation_numbers for e in timeline.entries}
    assert all(m.citation_numbers == numbers[m.event_id] for m in chart.marks)
    assert chart.title == "时间线" and chart.lanes[1].label == "扬·莱克" and chart.lanes[-1].label == "其他"
    firing = next(m for m in chart.marks if m.event_id == "altman-removed-2023-11-17")
    assert firing.label.startswith("OpenAI 董事会") and "(Sam Altman)" not in firing.label
    english = build_chart(timeline, prepared.kb, language="en")  # the same events, drawn with English labels
    assert [m.citation_numbers for m in english.marks] == [m.citation_numbers for m in chart.marks]
    assert english.lanes[1].label == "Jan Leike"


def test_the_time_axis_widens_busy_months_and_keeps_each_month_linear(prepared):
    _, chart = chart_of(prepared)
    scale = MonthScale.of(chart.marks)
    assert scale.months[0] == (2022, 1) and scale.months[-1] == (2024, 5)
    width = {month: b - a for month, (a, b) in zip(scale.months, map(scale.column, range(len(scale.months))),
                                                   strict=True)}
    assert width[(2023, 11)] > 5 * width[(2023, 9)]
    assert scale.x(dt.date(2024, 4, 1)) == scale.column(scale.months.index((2024, 4)))[0]
    assert scale.x_end(dt.date(2024, 4, 30)) == pytest.approx(scale.x(dt.date(2024, 5, 1)))
    days = [dt.date(2023, 1, 1) + dt.timedelta(days=n) for n in range(500)]
    assert all(scale.x(a) < scale.x(b) for a, b in itertools.pairwise(days))


def test_labels_that_would_overlap_go_to_the_next_row():
    assert stack([(0, 100), (120, 200), (50, 150), (60, 90), (300, 400)]) == [0, 0, 1, 2, 0]
    assert stack([(0, 100)] * 5, max_rows=3) == [0, 1, 2, 0, 1]  # past the last row: where it overlaps least


# --- the PNG --------------------------------------------------------------------------------------------------


async def test_the_picture_is_a_png_of_a_sensible_size(prepared):
    picture = await draw_timeline(prepared)
    png = picture.png
    assert png.startswith(PNG_SIGNATURE) and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert picture.size == (width, height)
    assert width == 1400 and 600 <= height <= 3000
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (height, width)
    assert pixels.min() < 0.3 and pixels.max() == 1.0  # something drawn on white
    one = await draw_timeline(prepared, person="Leike")
    assert one.size[0] == 1400 and one.size[1] < height  # one lane: a shorter picture


async def test_a_timeline_with_no_events_is_still_a_picture(prepared):
    picture = await draw_timeline(prepared, since="2030")
    assert picture.png.startswith(PNG_SIGNATURE) and not picture.chart.marks and not picture.timeline.entries


async def test_pictures_are_drawn_in_a_worker_thread_once_per_version_and_filter(prepared, monkeypatch):
    drawn = []
    real = bot.picture.png.render_png

    def counting(chart):
        drawn.append((chart.title, threading.current_thread() is threading.main_thread()))
        return real(chart)

    monkeypatch.setattr(bot.picture.png, "render_png", counting)
    pictures = TimelinePictures()
    first, again = await asyncio.gather(pictures.get(prepared, person="Leike"), pictures.get(prepared, person="Leike"))
    later = await pictures.get(prepared, person="Jan Leike")  # the same person, typed otherwise
    assert first is again is later and len(drawn) == 1
    assert drawn[0] == ("Timeline of Jan Leike", False)  # not on the event loop's thread
    other = await pictures.get(prepared, person="Leike", since="2024")
    assert other.png != first.png and len(drawn) == 2
    await pictures.get(prepared, person="Leike", language="zh")
    assert len(drawn) == 3


async def test_the_cache_keeps_the_latest_pictures_only(prepared, monkeypatch):
    drawn = []
    monkeypatch.setattr(bot.picture.png, "render_png", lambda chart: drawn.append(chart.period) or PNG_SIGNATURE)
    pictures = TimelinePictures(size=2)
    for since in ("2022", "2023", "2024", "2024", "2023", "2022"):
        await pictures.get(prepared, since=since)
    assert drawn == ["from 2022", "from 2023", "from 2024", "from 2022"]  # 2022 had made way for 2024


# --- fonts ----------------------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Glyph:UserWarning")  # a Chinese pen name among the English labels
async def test_without_a_cjk_font_the_picture_is_in_english_and_the_log_says_so_once(prepared, monkeypatch, caplog):
    monkeypatch.setattr(fonts, "cjk_family", lambda: None)
    monkeypatch.setattr(fonts, "_missing_logged", False)
    with caplog.at_level(logging.WARNING, logger="bot.picture.fonts"):
        picture = await draw_timeline(prepared, person="Leike", language="zh")
        await draw_timeline(prepared, language="zh")
    assert picture.timeline.language == "zh" and picture.chart.language == "en"
    assert picture.chart.title == "Timeline of Jan Leike" and picture.png.startswith(PNG_SIGNATURE)
    assert picture.timeline.entries[0].title.startswith("OpenAI 宣布")  # the message stays in Chinese
    warnings = [r for r in caplog.records if "no CJK font" in r.getMessage()]
    assert len(warnings) == 1


async def test_with_a_cjk_font_chinese_labels_are_drawn_in_it(prepared):
    if fonts.cjk_family() is None:
        problem = "no CJK font on this machine (apt-get install fonts-noto-cjk)"
        if os.environ.get("CITEBOT_REQUIRE_CJK_FONT") == "1":
            pytest.fail(f"{problem}; CITEBOT_REQUIRE_CJK_FONT=1 requires one", pytrace=False)
        pytest.skip(problem)
    assert fonts.families("zh")[0] == fonts.cjk_family() and fonts.families("en")[0] == fonts.LATIN
    picture = await draw_timeline(prepared, person="莱克", language="zh")
    assert picture.chart.language == "zh" and picture.chart.title == "扬·莱克的时间线"
