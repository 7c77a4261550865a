"""Hold up under abuse: whatever text arrives, understanding it never crashes and the answer keeps its promises.

Property-based (hypothesis): any text gives an ``Answer`` whose citations are real; invisible characters
(zero-width, bidi marks, control characters) and trailing emoji do not change the answer to a good
question; dates in questions and in knowledge files parse or are refused cleanly, and round-trip.
"""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import itertools
import math
import re
import string
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.answerer import Answerer, Prepared
from bot.core.question_dates import find_dates, period_of
from bot.core.text import clean, detect_language, tokens
from bot.core.types import Answer, Question
from bot.knowledge.dates import MONTHS, PartialDate
from bot.knowledge.quotes import QuoteVerifier
from tests.asking import assert_one_number_per_source

SLOW_OK = [HealthCheck.too_slow]  # long generated questions; the fixtures used are module-scoped

# --- alphabets of abuse ---------------------------------------------------------------------------

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Control characters that are not white space (white space ones legitimately separate words).
CONTROLS = "".join(c for c in map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0)]) if not c.isspace())
SPACE_CONTROLS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"
EMOJI = ["😀", "🤖", "👍🏽", "❤️", "🇨🇳", "👨‍👩‍👧", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🙏", "🔥🔥🔥"]
WORDS = [
    "Who", "is", "Jan", "Leike", "Ilya", "Sutskever", "Altman", "superalignment", "team", "when", "why", "what",
    "happened", "in", "May", "2024", "17", "April", "Feb", "29", "2023", "compute", "20%", "GPT-4o", "OpenAI",
    "超级对齐", "团队", "解散", "奥特曼", "是谁", "什么时候", "为什么", "年", "月", "日", "号", "五月", "十二月",
    "Привет", "мир", "مرحبا", "שלום", "こんにちは", "한국어", "नमस्ते", "٢٠٢٤", "১৯৯৯",
    "?", "？", "!", "。", "，", "-", "/", ".", "..", "~", "从", "到", "since", "between", "and",
]
PUNCTUATION = string.punctuation + "。，？！…、《》「」『』（）【】—·"
WHITESPACE = " \t\n\r\x0b\x0c\u3000\xa0\u2028\u2029\u2003\x85"

any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
abusive_alphabet = st.sampled_from(list(ZERO_WIDTH + BIDI + CONTROLS + SPACE_CONTROLS + PUNCTUATION) + EMOJI)
mixed = st.lists(st.one_of(st.sampled_from(WORDS), abusive_alphabet, st.sampled_from(EMOJI)), max_size=40).flatmap(
    lambda parts: st.sampled_from(["", " "]).map(lambda sep: sep.join(parts))
)
questions = st.one_of(
    any_text,
    mixed,
    st.text(alphabet=st.sampled_from(list(WHITESPACE + ZERO_WIDTH + BIDI)), max_size=50),
    st.text(alphabet=st.sampled_from(list(PUNCTUATION)), max_size=50),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=80),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1000, max_size=3000),
    st.lists(st.sampled_from(WORDS), min_size=200, max_size=600).map(" ".join),
)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


class Bot:
    """The curated knowledge, prepared, with its quote check (a short repr for hypothesis' reports)."""

    def __init__(self, prepared: Prepared, quotes: QuoteVerifier) -> None:
        self.prepared, self.kb, self.quotes = prepared, prepared.kb, quotes
        self._baselines: dict[str, Answer] = {}

    def ask(self, text: str, hint: str | None = None) -> Answer:
        """A plain ``def`` test with its own event loop: hypothesis runs many examples per test."""
        return asyncio.run(Answerer(self.prepared).ask(Question(text, language_hint=hint)))

    def baseline(self, question: str) -> Answer:
        """The answer to a question as typed cleanly (asked once)."""
        if question not in self._baselines:
            answer = self.ask(question)
            assert answer.answered and answer.citations, answer.text
            self._baselines[question] = answer
        return self._baselines[question]

    def __repr__(self) -> str:
        return f"Bot(kb {self.kb.version})"


@pytest.fixture(scope="module")
def bot(prepared: Prepared, quotes: QuoteVerifier) -> Bot:
    return Bot(prepared, quotes)


def assert_keeps_its_promises(answer: Answer, bot: Bot) -> None:
    kb = bot.kb
    assert isinstance(answer, Answer)
    assert answer.language in ("en", "zh")
    assert not math.isnan(answer.confidence) and 0.0 <= answer.confidence <= 1.0
    assert isinstance(answer.text, str)
    if answer.answered:
        assert answer.citations, answer.text
    assert_one_number_per_source(answer)
    for citation in answer.citations:
        entry = kb.get(citation.entry_id)
        assert entry is not None, citation.entry_id
        # the quote is one the entry itself cites from that source, word for word
        assert (citation.source_id, citation.quote) in {(c.source, c.quote) for c in entry.citations}, citation
        assert kb.source(citation.source_id).title == citation.title
        assert bot.quotes.verifies(citation.source_id, citation.quote), citation.quote


# --- any text gives an answer that keeps its promises ------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_OK)
@given(text=questions, hint=st.sampled_from([None, "en", "zh", "fr", ""]))
@example(text="", hint=None)
@example(text="   \n\t  ", hint="zh")
@example(text="?!?…。？", hint=None)
@example(text="\u200b\u200c\u200d\ufeff", hint=None)
@example(text="\x00\x01\x1b[31mWho is Jan Leike?\x1b[0m", hint=None)
@example(text="\u202eWho is Jan Leike?\u202c", hint=None)
@example(text="Who is Jan Leike? 🤖" * 300, hint=None)
@example(text="superalignmnet " * 800, hint=None)
@example(text="超级对齐" * 1000, hint=None)
@example(text="What happened on Feb 29?", hint=None)
@example(text="2月29日发生了什么？", hint=None)
@example(text="What happened between February 29 and March 2?", hint=None)
@example(text="What happened between 2024 and 2022?", hint=None)
def test_any_text_gets_an_answer_that_keeps_its_promises(bot, text, hint):
    assert_keeps_its_promises(bot.ask(text, hint), bot)


# --- invisible characters and trailing emoji do not change the answer -------------------------

GOOD_QUESTIONS = [
    "Who is Jan Leike?",
    "When was the superalignment team dissolved?",
    "超级对齐团队是什么时候解散的？",
]


@st.composite
def garbled(draw: st.DrawFn) -> tuple[str, str]:
    """A good question with invisible characters put anywhere, white-space controls for its spaces,
    and maybe emoji after it."""
    question = draw(st.sampled_from(GOOD_QUESTIONS))
    chars = list(question)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(chars)))
        chars.insert(at, draw(st.sampled_from(list(ZERO_WIDTH + BIDI + CONTROLS))))
    text = "".join(c if c != " " else draw(st.sampled_from([" ", *SPACE_CONTROLS])) for c in chars)
    tail = draw(st.lists(st.sampled_from(EMOJI), max_size=3))
    return question, text + draw(st.sampled_from(["", " "])) + "".join(tail)


@settings(max_examples=150, deadline=None, suppress_health_check=SLOW_OK)
@given(case=garbled())
@example(case=("Who is Jan Leike?", "Who is Jan Le\x00ike?"))
@example(case=("Who is Jan Leike?", "Who is Jan Le\u202eike?"))
@example(case=("When was the superalignment team dissolved?", "When was the superalignment team dis\x07solved?"))
@example(case=("超级对齐团队是什么时候解散的？", "超级对齐团队是什么时\x01候解散的？"))
@example(case=("超级对齐团队是什么时候解散的？", "超级对齐团队是什么时候解散的？😀"))
def test_invisible_characters_and_emoji_do_not_change_the_answer(bot, case):
    question, text = case
    expected = bot.baseline(question)
    answer = bot.ask(text)
    assert_keeps_its_promises(answer, bot)
    assert answer.answered == expected.answered, (text, answer.text)
    assert answer.citations[0].entry_id == expected.citations[0].entry_id, (text, answer.text)
    assert answer.language == expected.language


@settings(max_examples=200, deadline=None)
@given(text=any_text, invisible=st.lists(st.sampled_from(list(ZERO_WIDTH + BIDI + CONTROLS)), max_size=5))
def test_cleaning_drops_invisible_characters_wherever_they_are(text, invisible):
    cleaned = clean(text)
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in cleaned), ascii(cleaned)
    assert clean(cleaned) == cleaned  # idempotent
    assert detect_language(text) in ("en", "zh")
    assert isinstance(tokens(text), list)
    # invisible characters between any two characters leave the cleaned text unchanged
    if text:
        mid = len(text) // 2
        assert clean(text[:mid] + "".join(invisible) + text[mid:]) == clean(text[:mid] + text[mid:])


# --- dates in questions --------------------------------------------------------------------------

STORY_YEARS = [2022, 2023, 2024]


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(any_text, mixed))
@example(text="What happened on Feb 29?")
@example(text="2月29日发生了什么？")
@example(text="between Feb 29 and 二月二十九日")
@example(text="from 9999-99-99 to 0000-00-00")
@example(text="since ٢٠٢٤-٠٥-١٧")
def test_finding_dates_in_any_text_never_raises(text):
    mentions = find_dates(text)
    spans = [m.span for m in mentions]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # none overlapping
    for years in (STORY_YEARS, [2023], []):
        period = period_of(text, mentions, years)
        assert (period is not None) == bool(mentions)  # a range may run backwards ("between 2024 and 2022")


valid_days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def _abbreviation(month: int) -> str:
    name = MONTHS[month - 1]
    return "Sept" if month == 9 else name[:3]


@settings(max_examples=200, deadline=None)
@given(day=valid_days, form=st.sampled_from(["mdy", "mdy-short", "ymd", "ymd-slash", "dmy", "zh"]),
       frame=st.sampled_from(["{}", "What happened on {}?", "{} 发生了什么？", "on {}, who resigned?", "在 {} 呢"]))
def test_a_written_day_is_read_back_as_that_day(day, form, frame):
    written = {
        "mdy": f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
        "mdy-short": f"{_abbreviation(day.month)}. {day.day} {day.year}",
        "ymd": day.isoformat(),
        "ymd-slash": f"{day.year}/{day.month}/{day.day}",
        "dmy": f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        "zh": f"{day.year}年{day.month}月{day.day}日",
    }[form]
    text = frame.format(written)
    [mention] = find_dates(text)
    assert (mention.year, mention.month, mention.day) == (day.year, day.month, day.day), text
    period = period_of(text, [mention], STORY_YEARS)
    assert period is not None and period.start == period.end == day


@pytest.mark.xfail(strict=True, reason="found by the property above: the patterns' \\b needs a non-word character "
                   "around the date, and Han characters are word characters, so a date written straight against "
                   "Chinese text is missed or read as a bare year")
@pytest.mark.parametrize("text", [
    "2024-05-17发生了什么？", "May 17, 2024发生了什么？", "17 May 2024发生了什么？", "在2024-05-17", "在May 17, 2024",
])
def test_a_latin_written_day_straight_before_chinese_text_is_read(text):
    assert [(m.year, m.month, m.day) for m in find_dates(text)] == [(2024, 5, 17)]


@settings(max_examples=150, deadline=None)
@given(year=st.integers(1900, 2100), month=st.integers(1, 12),
       form=st.sampled_from(["my", "ym", "zh-digits", "zh-numerals"]))
def test_a_written_month_is_read_back_as_that_month(year, month, form):
    zh_numerals = "一二三四五六七八九十"
    numeral = zh_numerals[month - 1] if month <= 10 else "十" + zh_numerals[month - 11]
    written = {
        "my": f"{MONTHS[month - 1]} {year}",
        "ym": f"{year}-{month:02d}",
        "zh-digits": f"{year}年{month}月",
        "zh-numerals": f"{year}年{numeral}月",
    }[form]
    [mention] = find_dates(f"What happened in {written}?")
    assert (mention.year, mention.month, mention.day) == (year, month, None), written
    period = period_of(written, [mention], STORY_YEARS)
    assert period is not None
    assert period.start == dt.date(year, month, 1)
    assert period.end == dt.date(year, month, calendar.monthrange(year, month)[1])


@settings(max_examples=100, deadline=None)
@given(month=st.integers(1, 12), day=st.integers(1, 31), years=st.lists(st.integers(1900, 2100), max_size=4))
def test_a_day_without_a_year_never_raises_whatever_the_years_of_the_story(month, day, years):
    for text in (f"What happened on {MONTHS[month - 1]} {day}?", f"{month}月{day}日发生了什么？"):
        mentions = find_dates(text)
        period = period_of(text, mentions, years)
        if mentions:
            assert period is not None and period.start <= period.end


# --- dates in knowledge files --------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(value=st.one_of(
    any_text,
    st.from_regex(r"\A\s*\d{1,5}(-\d{1,3}(-\d{1,3})?)?\s*\Z"),
    st.integers(),
    st.floats(allow_nan=True),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
))
@example(value="0000")
@example(value="2024-02-30")
@example(value="2023-02-29")
@example(value="٢٠٢٤-٠٥-١٧")
@example(value="2024\n")
def test_a_knowledge_date_parses_or_is_refused_with_a_value_error(value):
    try:
        date = PartialDate.parse(value)
    except ValueError as err:
        assert "date" in str(err)
        return
    # anything accepted is a usable date: its days, its precision, how it is said
    assert date.first_day <= date.last_day
    assert date.overlaps(date.first_day, date.last_day)
    assert PartialDate.parse(date.iso()) == date
    assert date.human("en") and date.human("zh")


@settings(max_examples=200, deadline=None)
@given(day=st.dates(), precision=st.sampled_from(["day", "month", "year"]),
       as_=st.sampled_from(["iso", "date", "datetime", "padded"]))
def test_a_valid_knowledge_date_round_trips(day, precision, as_):
    expected = PartialDate(
        day.year, day.month if precision != "year" else None, day.day if precision == "day" else None
    )
    value: object = expected.iso()
    if as_ == "padded":
        value = f"  {expected.iso()}\t"
    elif as_ in ("date", "datetime") and precision == "day":
        value = day if as_ == "date" else dt.datetime(day.year, day.month, day.day, 12, 30)
    parsed = PartialDate.parse(value)
    assert parsed == expected and parsed.precision.value == precision
    assert parsed.iso() == expected.iso() and parsed.first_day.year == day.year
    if precision == "day":
        assert parsed.first_day == parsed.last_day == day
