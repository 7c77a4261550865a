"""The timeline picture: what it draws (the filtered events, spans for months), a valid PNG, the cache, the fonts."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import itertools
import logging
import os
import re
import struct
import threading
import warnings

import pytest

import bot.picture.png
from bot.core.answerer import prepare
from bot.core.timeline import build_timeline
from bot.knowledge.base import KnowledgeBase
from bot.picture import TimelinePictures, draw_timeline, fonts
from bot.picture.chart import GENERAL, LABEL_MAX, build_chart, clip
from bot.picture.layout import stack
from bot.picture.months import month_labels
from bot.picture.png import render
from bot.picture.scale import MonthScale

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HAN = re.compile(r"[\u3400-\u9fff]")


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


def need_cjk_font(*, bundled: bool = False) -> None:
    """Skip (with the reason printed) where no CJK font is found, or where ``bundled`` and the one that comes with
    the program is not installed; fail instead under CITEBOT_REQUIRE_CJK_FONT=1 (CI)."""
    if fonts.cjk_family() is None or (bundled and fonts.bundled_font() is None):
        problem = "no CJK font: the noto-cjk-sans-otc package is not installed (pip install -e .)"
        if os.environ.get("CITEBOT_REQUIRE_CJK_FONT") == "1":
            pytest.fail(f"{problem}; CITEBOT_REQUIRE_CJK_FONT=1 requires one", pytrace=False)
        pytest.skip(problem)


def test_the_cjk_font_comes_with_the_program_not_the_system():
    need_cjk_font(bundled=True)
    bundled = fonts.bundled_font()
    assert bundled is not None and bundled.name == "NotoSansCJK-Regular.ttc"
    from matplotlib import font_manager

    assert fonts.cjk_family() in {f.name for f in font_manager.fontManager.ttflist if f.fname == str(bundled)}


async def test_without_a_cjk_font_the_picture_is_in_english_and_the_log_says_so_once(prepared, monkeypatch, caplog):
    monkeypatch.setattr(fonts, "cjk_family", lambda: None)
    monkeypatch.setattr(fonts, "_missing_logged", False)
    with caplog.at_level(logging.WARNING, logger="bot.picture.fonts"), warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph the Latin font lacks would be a box on the picture
        picture = await draw_timeline(prepared, person="Leike", language="zh")
        whole = await draw_timeline(prepared, language="zh")
    assert picture.timeline.language == "zh" and picture.chart.language == "en"
    assert picture.chart.title == "Timeline of Jan Leike" and picture.png.startswith(PNG_SIGNATURE)
    assert picture.timeline.entries[0].title.startswith("OpenAI 宣布")  # the message stays in Chinese
    assert "Hezi Kele (pen name)" in [lane.label for lane in whole.chart.lanes]
    warnings_logged = [r for r in caplog.records if "no CJK font" in r.getMessage()]
    assert len(warnings_logged) == 1


async def test_with_a_cjk_font_chinese_labels_are_drawn_in_it(prepared):
    need_cjk_font()
    assert fonts.families("zh")[0] == fonts.cjk_family() and fonts.families("en")[0] == fonts.LATIN
    picture = await draw_timeline(prepared, person="莱克", language="zh")
    assert picture.chart.language == "zh" and picture.chart.title == "扬·莱克的时间线"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_text_on_the_picture_lacks_a_glyph_or_a_face(prepared, language, caplog):
    """No missing-glyph box, and no bold asked of a font that has none (matplotlib says both, then draws on)."""
    if language == "zh":
        need_cjk_font()
    _, chart = chart_of(prepared, language=language)
    with caplog.at_level(logging.WARNING, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        rendering = render(chart)
    assert rendering.png.startswith(PNG_SIGNATURE)
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]
    assert rendering.of("title") == [chart.title] and len(rendering.of("lane")) == len(chart.lanes)


# --- labels, months, legend -----------------------------------------------------------------------------------


def test_an_english_picture_has_no_chinese_character_anywhere(prepared):
    _, whole = chart_of(prepared)
    _, translator = chart_of(prepared, person="核子可乐")
    assert translator.title == "Timeline of Hezi Kele (pen name)"
    texts = [c.title for c in (whole, translator)] + [x.label for c in (whole, translator) for x in c.lanes + c.marks]
    assert not [t for t in texts if HAN.search(t)]


def test_a_chinese_name_without_a_latin_alias_is_read_out_in_pinyin(prepared):
    records = [(section, key, {**data, "aliases": ["核子可乐"]} if key == "hezikele" else data)
               for section, key, data in prepared.kb.records()]
    kb = KnowledgeBase.from_records(records)
    chart = build_chart(build_timeline(prepare(kb)), kb, language="en")
    assert "Hezikele (pen name)" in [lane.label for lane in chart.lanes]


def test_titles_are_cut_where_a_word_ends_with_an_ellipsis(prepared):
    assert clip("Sam Altman and Ilya Sutskever speak together at Tel Aviv University", 44) == (
        "Sam Altman and Ilya Sutskever speak…")
    assert clip("OpenAI fires Leopold Aschenbrenner and Pavel Izmailov over an alleged leak", 44) == (
        "OpenAI fires Leopold Aschenbrenner and…")
    assert clip("Reports of Altman's AI-chip talks with Middle East investors", 44) == (
        "Reports of Altman's AI-chip talks with…")  # not "Midd…"
    assert clip("Sam Altman admits the exit documents had an equity-cancellation clause", 44) == (
        "Sam Altman admits the exit documents had an…")
    assert clip("Jan Leike posts \"I resigned\" on X", 44) == "Jan Leike posts \"I resigned\" on X"  # fits: whole
    # Chinese is cut between characters, never inside a Latin word among them, and not after a separator
    assert clip("萨姆·奥特曼正式复职;伊利亚·苏茨克维离开董事会", 22) == "萨姆·奥特曼正式复职;伊利亚·苏茨克维离开…"
    assert clip("媒体报道萨姆·奥特曼与中东投资者洽谈 OpenAI 芯片项目", 22) == "媒体报道萨姆·奥特曼与中东投资者洽谈…"
    assert clip("OpenAI 以泄漏信息为由开除利奥波德·阿申布伦纳", 22) == "OpenAI 以泄漏信息为由开除利奥波德…"
    assert clip("Supercalifragilisticexpialidocious", 12) == "Supercalifr…"  # one word longer than the room
    for language in ("en", "zh"):
        timeline, chart = chart_of(prepared, language=language)
        titles = {e.event_id: e.title for e in timeline.entries}
        for mark in (m for m in chart.marks if m.label.endswith("…")):
            kept, title = mark.label[:-1], titles[mark.event_id].replace("(Sam Altman)", "")
            assert len(mark.label) <= LABEL_MAX[language]
            if language == "en":  # the next character of the title is not a letter of the last word kept
                assert title.startswith(kept) and not title[len(kept)].isalnum(), (kept, title)


def test_every_month_of_the_axis_is_labelled_above_and_below(prepared):
    _, chart = chart_of(prepared)
    scale = MonthScale.of(chart.marks)
    months = render(chart).of("month")
    assert len(months) == 2 * len(scale.months) and all(months)
    at = {month: months[2 * n] for n, month in enumerate(scale.months)}
    assert at[(2024, 5)] == "May" and at[(2023, 11)] == "Nov"  # wide months by name
    assert at[(2022, 2)] == "F" and at[(2022, 3)] == "M"  # narrow ones by their initial
    zh = render(chart_of(prepared, language="zh")[1]).of("month") if fonts.cjk_family() else ["5月"]
    assert "5月" in zh


def test_months_too_narrow_for_their_names_get_initials_of_one_size_or_only_their_year():
    def measure(s: str, points: float) -> float:  # a font whose every character is as wide as it is high
        return len(s) * points

    assert month_labels([6], [40], "en", measure) == [("Jun", 8.0)]
    assert month_labels([5, 6, 7], [40, 12, 9], "en", measure) == [("May", 8.0), ("J", 7.0), ("J", 7.0)]
    assert month_labels([10, 11], [12, 12], "zh", measure) == [("10", 5.0), ("11", 5.0)]
    # an axis of many years: the initials would not all fit, so none is drawn, but a wide month keeps its name
    assert month_labels([4, 5, 6], [3, 40, 6], "en", measure) == [None, ("May", 8.0), None]


def test_the_legend_lists_only_the_kinds_of_mark_drawn(prepared):
    _, whole = chart_of(prepared)
    assert whole.legend() == ("day", "span", "approximate day", "approximate span")
    _, leike = chart_of(prepared, person="Leike")
    assert leike.legend() == ("day",)  # every event of his has its day
    _, april = chart_of(prepared, since="2024-04", until="2024-04")
    assert april.legend() == ("span",)  # known to the month only
    words = leike.words()
    assert render(leike).of("legend") == [words["day"]]
    _, none = chart_of(prepared, since="2030")
    assert none.legend() == () and render(none).of("legend") == []
