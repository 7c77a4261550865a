"""What a timeline picture may cost: one drawing per filter as understood (however it is typed), drawings in turn
and a few at most, each asker's share of them, and a time axis of boundedly many months whatever the dates."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

import bot.picture.png
from bot.core.answerer import Answerer, Prepared, prepare
from bot.core.timeline import build_timeline
from bot.core.types import Question
from bot.knowledge.base import KnowledgeBase
from bot.picture import PictureRefused, TimelinePictures, draw_timeline
from bot.picture.chart import Mark, build_chart
from bot.picture.scale import MOST_MONTHS, MonthScale
from bot.ratelimit import MemoryBuckets, RateLimits
from bot.service import Citebot
from bot.settings import Settings

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def drawn(monkeypatch) -> list[str | None]:
    """The period of every chart rendered (rendering itself skipped: these tests count drawings)."""
    periods: list[str | None] = []
    monkeypatch.setattr(bot.picture.png, "render_png", lambda chart: periods.append(chart.period) or PNG_SIGNATURE)
    return periods


def with_events_dated(prepared: Prepared, *dates: tuple[str, str | None]) -> Prepared:
    """The curated knowledge plus a copy of its first event for each (date, end) given."""
    records = list(prepared.kb.records())
    section, _, data = next(r for r in records if r[0] == "events")
    added = []
    for n, (date, end) in enumerate(dates):
        event = {key: value for key, value in data.items() if key != "end"}
        event.update({"id": f"an-outlying-event-{n}", "date": date, **({"end": end} if end else {})})
        added.append((section, event["id"], event))
    return prepare(KnowledgeBase.from_records([*records, *added]))


def mark(event_id: str, start: dt.date, end: dt.date | None = None) -> Mark:
    return Mark(0, event_id, start, end or start, "day", False, event_id, ())


# --- the cache ----------------------------------------------------------------------------------------------


async def test_filters_typed_differently_but_meaning_the_same_are_drawn_once(prepared, drawn):
    pictures = TimelinePictures()
    typed = [("Leike", "2024", "2024-05"), ("Jan Leike", "2024-01", "2024-05-31"), ("leike", "2024-01-01", " 2024-05")]
    results = [await pictures.get(prepared, person=p, since=s, until=u) for p, s, u in typed]
    assert drawn == ["from 2024 · until 2024-05"]  # one drawing, labelled with the period as understood
    assert results[0] is results[1] is results[2]
    await pictures.get(prepared, person="Leike", since="2024-02", until="2024-05")
    assert len(drawn) == 2  # another period is another picture


# --- turns and shares ---------------------------------------------------------------------------------------


async def test_drawings_take_turns_and_past_a_few_under_way_another_is_refused(prepared, monkeypatch):
    running, most, release = 0, 0, asyncio.Event()
    real = bot.picture.pictures._draw  # type: ignore[attr-defined]

    async def slow(*args):  # type: ignore[no-untyped-def]
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        try:
            return await real(*args)
        finally:
            running -= 1

    monkeypatch.setattr(bot.picture.pictures, "_draw", slow)  # type: ignore[attr-defined]
    monkeypatch.setattr(bot.picture.png, "render_png", lambda chart: PNG_SIGNATURE)
    pictures = TimelinePictures(most=3)
    years = ["2021", "2022", "2023"]
    waiting = [asyncio.create_task(pictures.get(prepared, since=year)) for year in years]
    await asyncio.sleep(0.01)
    with pytest.raises(PictureRefused, match="3 timeline pictures are being drawn"):
        await pictures.get(prepared, since="2024")
    again = asyncio.create_task(pictures.get(prepared, since="2022"))  # one being drawn: waits for it, no refusal
    release.set()
    done = await asyncio.gather(*waiting, again)
    assert most == 1 and done[1] is done[3]
    assert (await pictures.get(prepared, since="2024")).png == PNG_SIGNATURE  # room again


async def test_each_asker_has_a_share_of_new_drawings_and_a_drawn_picture_costs_nothing(prepared, tmp_path, drawn):
    citebot = Citebot(Settings(data_dir=tmp_path, database_url=""), Answerer(prepared))
    citebot.limits = RateLimits(MemoryBuckets(), per_user=2, per_channel=0)
    for since in ("2022", "2023"):
        await citebot.timeline_picture(since=since, user_id="discord:1")
    with pytest.raises(PictureRefused, match=r"try again in \d+ s") as refused:
        await citebot.timeline_picture(since="2024", user_id="discord:1")
    assert refused.value.retry_after and refused.value.retry_after > 0
    assert (await citebot.timeline_picture(since="2022-01", user_id="discord:1")).png  # drawn already: no cost
    assert (await citebot.timeline_picture(since="2024", user_id="discord:2")).png  # another asker's share
    assert drawn == ["from 2022", "from 2023", "from 2024"]
    asked = await citebot.ask(Question("Who is Jan Leike?", adapter="discord", user_id="discord:1"))
    assert asked.answered  # pictures have a bucket of their own: the questions' allowance is untouched


# --- the time axis ------------------------------------------------------------------------------------------


async def test_an_event_dated_in_the_year_1_leaves_the_axis_on_the_story_and_the_drawing_bounded(prepared,
                                                                                                   monkeypatch):
    ancient = with_events_dated(prepared, ("0001", None))
    laid_out: list[MonthScale] = []
    real_of = MonthScale.of

    def recording(marks, most=MOST_MONTHS):  # type: ignore[no-untyped-def]
        laid_out.append(real_of(marks, most))
        return laid_out[-1]

    monkeypatch.setattr(bot.picture.png.MonthScale, "of", staticmethod(recording))
    picture = await draw_timeline(ancient)
    assert picture.png.startswith(PNG_SIGNATURE)
    assert "an-outlying-event-0" in {m.event_id for m in picture.chart.marks}  # still drawn, at the axis's edge
    [scale] = laid_out
    assert len(scale.months) <= MOST_MONTHS  # was 24,281 months: 27 s and 370 MB a picture
    assert (scale.months[0], scale.months[-1]) == ((2022, 1), (2024, 5)) and scale.outside == 1
    outlier = next(m for m in picture.chart.marks if m.event_id == "an-outlying-event-0")
    assert bot.picture.png._beyond(outlier, scale, "its label").startswith("◀ 0001 · ")  # drawn at the edge, dated


def test_the_axis_keeps_the_busiest_stretch_whatever_lies_far_before_or_after_it(prepared):
    story = [mark(f"e{n}", dt.date(2020, 1, 1) + dt.timedelta(days=40 * n)) for n in range(30)]
    outliers = [mark("ancient", dt.date(1, 1, 1)), mark("future", dt.date(9999, 12, 31)),
                mark("everything", dt.date(1, 1, 1), dt.date(9999, 12, 31))]
    scale = MonthScale.of(story + outliers)
    assert scale.months[0] == (2020, 1) and scale.months[-1] == (2023, 3)  # the story's months, and no more
    assert scale.outside == 3 and scale.x(dt.date(1, 1, 1)) == 0.0 and scale.x(dt.date(9999, 12, 31)) == 1.0
    wide = [mark(f"y{year}", dt.date(year, 6, 1)) for year in range(1, 10_000, 7)]  # dense everywhere
    assert len(MonthScale.of(wide).months) <= MOST_MONTHS
    assert MonthScale.of(story).outside == 0 and len(MonthScale.of(story).months) == 39  # nothing cut


def test_a_far_span_of_an_event_is_cut_at_the_edges_of_the_axis(prepared):
    spanning = with_events_dated(prepared, ("0001", "9999"))
    chart = build_chart(build_timeline(spanning), spanning.kb)
    scale = MonthScale.of(chart.marks)
    assert len(scale.months) <= MOST_MONTHS and scale.outside == 1
    span = next(m for m in chart.marks if m.event_id == "an-outlying-event-0")
    assert (scale.x(span.start), scale.x_end(span.end)) == (0.0, 1.0)
