"""A curator's note never credits a source that the answer showing it does not cite.

A note ("The article does not mention this; it is on the record (The Verge)") is shown under an answer built
from its entry. Whatever the note names as where something comes from — the article (InfoQ), a Vox piece,
LessWrong, someone's post on X, OpenAI's statement, or an outlet such as The Verge — a reader looks for it among
the answer's citations. So each source a note credits must be among its entry's citations, and among the
citations of the answer that shows the note; an outlet the knowledge has no source for may not be credited.
The same holds for an event's ``date_note`` ("The date is from …"), which a when-answer shows in its text.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass

import pytest

from bot.core.script import is_traditional, to_traditional
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Event
from tests.asking import ask, norm

# Outlets the story's record rests on besides the sources (story-facts.md), with their Chinese names. Credited
# in a note, they must have a source entry that the note's entry cites.
OUTLETS: dict[str, tuple[str, ...]] = {
    "The Verge": ("The Verge",),
    "Bloomberg": ("Bloomberg", "彭博"),
    "Wired": ("Wired", "《连线》", "连线杂志"),
    "Business Insider": ("Business Insider",),
    "The Information": ("The Information",),
    "Reuters": ("Reuters", "路透"),
    "The New York Times": ("New York Times", "纽约时报"),
    "The Washington Post": ("Washington Post", "华盛顿邮报"),
    "CNBC": ("CNBC",),
    "Axios": ("Axios",),
}
PUBLISHER_ALIASES: dict[str, tuple[str, ...]] = {"LessWrong": ("Alignment Forum",)}
X_PUBLISHER = "X (Twitter)"
MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}

# "The article ..." / "文章 ..." is the seed article.
_ARTICLE = {"en": re.compile(r"\bthe article\b", re.IGNORECASE), "zh": re.compile(r"文章")}
# Someone's post on X, credited in the same clause as the person: "(his post on X)", "Leike's thread",
# "Altman actually wrote", "在 X 上表示", "帖子中的这句话", "原话是".
_ON_X = {"en": re.compile(r"\bon X\b|\bX post|\bthread\b|\btweet", re.IGNORECASE),
         "zh": re.compile(r"X ?上|X ?帖子|推文")}
_WROTE = {"en": r"{name}(?:'s)?(?:\s+\w+)?\s+(?:wrote|posted)\b",
          "zh": r"{name}[^,;。]{{0,12}}(?:帖子|原话|写道|发帖)"}
# OpenAI is the story's company: its name alone is not a credit, only its publications are — "OpenAI's blog",
# "from OpenAI", "openai.com", "the board's statement", "OpenAI 官方", "董事会……的声明".
COMPANY = "OpenAI"
_COMPANY_PUBLICATION = {
    "en": re.compile(r"\bOpenAI's\s+(?:\w+\s+)?(?:blog|announcement|post|statement|website|site|page)\b"
                     r"|\bfrom OpenAI\b|\bOpenAI (?:announced|said|wrote|posted)\b|openai\.com"
                     r"|\b[Bb]oard'?s? statement\b"),
    "zh": re.compile(r"OpenAI[^,;。]{0,16}(?:博客|公告|官网|官方|声明|宣布)|openai\.com|董事会[^,;。]{0,16}声明"),
}


@dataclass(frozen=True)
class Credit:
    """Where a note says something comes from, and the source entries that can be (empty: none can)."""

    name: str
    sources: frozenset[str]


def _word(text: str) -> str:
    """``text`` as a pattern that does not match inside a longer Latin word."""
    return rf"(?<![A-Za-z]){re.escape(text)}(?![A-Za-z])"


def _clauses(note: str) -> list[str]:
    return [c for c in re.split(r"[;。]|\.(?=\s|$)", note) if c.strip()]


def _dates(clause: str) -> set[str]:
    found = {f"{y}-{MONTHS[m]:02d}-{int(d):02d}"
             for m, d, y in re.findall(r"\b(" + "|".join(MONTHS) + r") (\d{1,2}), (\d{4})", clause)}
    found |= {f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", clause)}
    return found


def _names(kb: KnowledgeBase, person_id: str, language: str) -> list[str]:
    person = kb.person(person_id)
    assert person is not None
    if language == "zh":
        return [person.name.zh, person.name.zh.split("·")[-1], person.name.en]
    return [person.name.en, person.name.en.split()[-1]]


def _x_author(kb: KnowledgeBase, title: str) -> str | None:
    """Whose post a source on X is: its descriptive title starts with the person's name."""
    return next((p.id for p in kb.people if p.kind == "person" and title.startswith(p.name.en)), None)


def credits(note: str, language: str, kb: KnowledgeBase) -> list[Credit]:
    """The sources (or outlets without one) that ``note`` credits, clause by clause (full-width punctuation or
    not: "（见其 X 帖子）；" reads as "(见其 X 帖子);")."""
    note = unicodedata.normalize("NFKC", note)
    found: dict[str, set[str]] = {}

    def credit(name: str, candidates: list, clause: str) -> None:
        dated = [s for s in candidates if s.published is not None and s.published.iso() in _dates(clause)]
        found.setdefault(name, set()).update(s.id for s in (dated or candidates))

    publishers = {s.publisher for s in kb.sources} | set(OUTLETS)
    for clause in _clauses(note):
        if _ARTICLE[language].search(clause):
            credit("the article", [s for s in kb.sources if s.id in {f.source for f in kb.fingerprints}], clause)
        for publisher in publishers:
            if publisher == X_PUBLISHER:
                continue
            own = [s for s in kb.sources if s.publisher == publisher]
            if publisher == COMPANY:
                if _COMPANY_PUBLICATION[language].search(clause):
                    credit(publisher, own, clause)
                continue
            spellings = (publisher, *PUBLISHER_ALIASES.get(publisher, ()), *OUTLETS.get(publisher, ()))
            if any(re.search(_word(s), clause) for s in spellings):
                credit(publisher, own, clause)
        for source in kb.sources:
            if any(re.search(_word(a), clause) for a in (*source.authors, source.title)):
                credit(source.title, [source], clause)
        posts: dict[str, list] = {}
        for source in kb.sources:
            author = _x_author(kb, source.title) if source.publisher == X_PUBLISHER else None
            if author is not None:
                posts.setdefault(author, []).append(source)
        for author, own in posts.items():
            names = [n for n in _names(kb, author, language) if re.search(_word(n), clause)]
            if names and (_ON_X[language].search(clause) or any(
                    re.search(_WROTE[language].format(name=re.escape(n)), clause) for n in names)):
                credit(f"{kb.person(author).name.en} on X", own, clause)  # type: ignore[union-attr]
    return [Credit(name, frozenset(ids)) for name, ids in found.items()]


def _uncited(note: str, language: str, cited: set[str], kb: KnowledgeBase) -> list[str]:
    return [c.name if c.sources else f"{c.name} (no source entry)"
            for c in credits(note, language, kb) if not c.sources & cited]


@pytest.mark.parametrize(("language", "note", "expected"), [
    ("en", "It is on the record (The Verge).", {"The Verge": set()}),
    ("zh", "这一事实来自公开记录(The Verge 报道)。", {"The Verge": set()}),
    ("en", "The talks were reported by Bloomberg.", {"Bloomberg": set()}),
    ("zh", "2024年5月17日是《连线》报道此事的日期。", {"Wired": set()}),
    ("en", "That is from OpenAI's blog of November 29, 2023.", {"OpenAI": {"openai-board-2023-11-17"}}),
    ("zh", "具体日期来自董事会 2023年11月17日的声明。", {"OpenAI": {"openai-board-2023-11-17"}}),
    ("en", "The record dates this agreement, which OpenAI announced on X, to November 21–22, 2023.",
     {"OpenAI": {"openai-board-2023-11-17"}}),
    ("zh", "公开记录将这一由 OpenAI 在 X 上宣布的协议定在 2023年11月21日至22日。",
     {"OpenAI": {"openai-board-2023-11-17"}}),
    ("en", "Business Insider reported the deleted tweet on December 8, 2023.", {"Business Insider": set()}),
    ("en", "On November 20, 2023, Ilya Sutskever said on X that he regretted it (his post on X).",
     {"Ilya Sutskever on X": {"sutskever-x-2023-11-20"}}),
    ("zh", "同一天萨姆·奥特曼(Sam Altman)在 X 上宣布了新首席科学家。",
     {"Sam Altman on X": {"altman-x-2024-05-14", "altman-x-2024-05-18"}}),
    ("en", "Altman actually wrote \"this is on me\".", {"Sam Altman on X": {"altman-x-2024-05-14",
                                                                          "altman-x-2024-05-18"}}),
    ("en", "The Vox caption names Tel Aviv University.", {"Vox": {"vox-samuel-2024-05-17", "vox-piper-2024-05-17"}}),
    ("zh", "文章说“上个月”,沿用的是 Vox 2024年5月17日报道的时间框架。",
     {"the article": {"infoq-2024-05"}, "Vox": {"vox-samuel-2024-05-17", "vox-piper-2024-05-17"}}),
    ("zh", "实际找到的帖子在 Alignment Forum 上。",
     {"LessWrong": {"lesswrong-simeon-shortform", "saunders-forum-post-2024-05"}}),
    ("zh", "文章没有给出日期。", {"the article": {"infoq-2024-05"}}),
    ("en", "The date is on the public record; OpenAI had not said so.", {}),
    ("zh", "这一点来自公开记录;萨姆·奥特曼(Sam Altman)执掌 OpenAI。", {}),
])
def test_the_check_finds_what_a_note_credits(curated_kb, language, note, expected):
    found = {c.name: set(c.sources) for c in credits(note, language, curated_kb)}
    assert found == expected


@pytest.mark.parametrize(("field", "seen"), [
    ("note", {"the article", "Vox", "LessWrong"}),
    ("date_note", {"the article", "OpenAI"}),
])
def test_every_note_credits_only_sources_its_entry_cites(curated_kb, field, seen):
    """In both languages, every source a note names — the note shown under an answer, or an event's
    ``date_note`` shown in a when-answer — is cited by the note's own entry."""
    problems, credited = [], set()
    for entry in curated_kb.entries:
        shown = getattr(entry, field, None)
        if shown is None:
            continue
        cited = {c.source for c in entry.citations}
        for language in ("en", "zh"):
            note = shown.get(language)
            credited |= {c.name for c in credits(note, language, curated_kb)}
            problems += [f"{entry.id} {field} [{language}] credits {name}: {note}"
                         for name in _uncited(note, language, cited, curated_kb)]
    assert not problems, "\n".join(problems)
    assert seen <= credited  # the check sees the notes' credits at all


# (question, the entry with a note that answers it)
QUESTIONS = [
    ("Who is Greg Brockman?", "greg-brockman"),
    ("格雷格·布罗克曼是谁？", "greg-brockman"),
    ("When did Greg Brockman quit?", "brockman-quits-2023-11-17"),
    ("布罗克曼什么时候辞职的？", "brockman-quits-2023-11-17"),
    ("Where did Altman and Sutskever give a talk together?", "altman-sutskever-talk-2023-06-05"),
    ("奥特曼和苏茨克维在哪所大学一起演讲？", "altman-sutskever-talk-2023-06-05"),
    ("When was the superalignment team announced?", "superalignment-announced-2023-07-05"),
    ("超级对齐团队是什么时候成立的？", "superalignment-announced-2023-07-05"),
    ("When did staff threaten to follow Altman to Microsoft?", "microsoft-threat-2023-11-20"),
    ("员工什么时候威胁要追随奥特曼去微软？", "microsoft-threat-2023-11-20"),
    ("When did Altman's return become formal?", "altman-return-formal-2023-11-29"),
    ("奥特曼什么时候正式复职？", "altman-return-formal-2023-11-29"),
    ("When did William Saunders post on the forum?", "saunders-forum-post-2024-05-03"),
    ("威廉·桑德斯什么时候在论坛发帖？", "saunders-forum-post-2024-05-03"),
    ("When was GPT-4o announced?", "gpt-4o-announced-2024-05-13"),
    ("GPT-4o 是什么时候发布的？", "gpt-4o-announced-2024-05-13"),
    ("When did Ilya Sutskever announce he was leaving?", "sutskever-announces-departure-2024-05-14"),
    ("伊利亚什么时候宣布离职？", "sutskever-announces-departure-2024-05-14"),
    ("Did Altman raise money from Saudi Arabia?", "altman-saudi-chips"),
    ("What does Saudi Arabia have to do with this?", "saudi-arabia"),
    ("沙特阿拉伯是谁？", "saudi-arabia"),
    ("When were Altman's chip talks with Saudi investors reported?", "saudi-chip-talks-reported-2023-11-19"),
    ("奥特曼和沙特的芯片洽谈是什么时候见报的？", "saudi-chip-talks-reported-2023-11-19"),
    ("What did Altman say about being embarrassed?", "altman-embarrassed"),
    ("奥特曼说他有多尴尬？", "altman-embarrassed"),
    ("What did Kokotajlo say about AGI in his interview?", "kokotajlo-agi-stakes"),
    ("科科塔伊洛在采访中怎么说 AGI？", "kokotajlo-agi-stakes"),
    ("What did Leike say about safety culture and shiny products?", "leike-safety-backseat"),
    ("莱克怎么说安全文化和光鲜的产品？", "leike-safety-backseat"),
    ("Who left OpenAI over safety concerns?", "safety-departures"),
    ("哪些人因安全问题离开了 OpenAI？", "safety-departures"),
    ("How much compute was the superalignment team promised?", "superalignment-compute-20-percent"),
    ("超级对齐团队被承诺了多少算力？", "superalignment-compute-20-percent"),
    ("How many safety-minded employees left besides Sutskever and Leike?", "at-least-five-departures"),
    ("除苏茨克维和莱克外，至少有多少名关注安全的员工离开？", "at-least-five-departures"),
    ("What is the superalignment team?", "superalignment-team"),
    ("超级对齐团队是什么？", "superalignment-team"),
    ("What is the EA Forum?", "ea-forum"),
    ("EA 论坛是什么？", "ea-forum"),
    ("Who is Jan Leike?", "jan-leike"),
    ("扬·莱克是谁？", "jan-leike"),
    ("Who is John Schulman?", "john-schulman"),
    ("约翰·舒尔曼是谁？", "john-schulman"),
    ("What is GPT-4o?", "gpt-4o"),
    ("GPT-4o 是什么？", "gpt-4o"),
    ("Who is Hezi Kele?", "hezikele"),
    ("核子可乐是谁？", "hezikele"),
]


@pytest.mark.parametrize(("question", "entry_id"), QUESTIONS)
async def test_a_shown_note_credits_only_sources_the_answer_cites(answerer, curated_kb, question, entry_id):
    answer = await ask(answerer, question)
    assert answer.answered and entry_id in answer.entry_ids, (answer.entry_ids, answer.text)
    note = next(e.note for e in curated_kb.entries if e.id == entry_id)
    assert note is not None and norm(note.get(answer.language)) in {norm(n) for n in answer.notes}, answer.notes
    cited = {c.source_id for c in answer.citations}
    problems = [f"credits {name}: {shown}" for shown in answer.notes
                for name in _uncited(shown, answer.language, cited, curated_kb)]
    assert not problems, "\n".join([*problems, f"cited: {sorted(cited)}"])


# The event has no note, so its when-answer cites only its first two citations (Chinese sources first in a Chinese
# answer): the board's statement its date_note credits is left out.
# (a when-question, the event whose date_note its answer shows)
WHEN_QUESTIONS = [
    ("When did the board fire Sam Altman?", "altman-removed-2023-11-17"),
    ("董事会什么时候解雇了奥特曼？", "altman-removed-2023-11-17"),
    ("When did the board agree to bring Altman back?", "altman-return-agreed-2023-11-21"),
    ("董事会什么时候同意奥特曼复职？", "altman-return-agreed-2023-11-21"),
    ("When did Altman's return become formal?", "altman-return-formal-2023-11-29"),
    ("奥特曼什么时候正式复职？", "altman-return-formal-2023-11-29"),
    ("When did Ilya delete his tweet?", "sutskever-deleted-tweet-2023-12"),
    ("伊利亚什么时候删除了那条推文？", "sutskever-deleted-tweet-2023-12"),
    ("When were Aschenbrenner and Izmailov fired?", "aschenbrenner-izmailov-fired-2024-04"),
    ("阿申布伦纳什么时候被开除的？", "aschenbrenner-izmailov-fired-2024-04"),
    ("When did Kokotajlo resign?", "kokotajlo-resigns-2024-04"),
    ("科科塔伊洛什么时候辞职的？", "kokotajlo-resigns-2024-04"),
    ("When did William Saunders post on the forum?", "saunders-forum-post-2024-05-03"),
    ("威廉·桑德斯什么时候在论坛发帖？", "saunders-forum-post-2024-05-03"),
    ("When was the superalignment team disbanded?", "superalignment-disbanded-2024-05-17"),
    ("超级对齐团队什么时候解散的？", "superalignment-disbanded-2024-05-17"),
    ("When did Altman tweet about vested equity?", "altman-equity-tweet-2024-05-18"),
    ("奥特曼什么时候发推承认股权条款？", "altman-equity-tweet-2024-05-18"),
    ("超級對齊團隊什麼時候解散的？", "superalignment-disbanded-2024-05-17"),
    ("董事會什麼時候解僱了奧特曼？", "altman-removed-2023-11-17"),
]


@pytest.mark.parametrize(("question", "event_id"), WHEN_QUESTIONS)
async def test_a_shown_date_note_credits_only_sources_the_answer_cites(answerer, curated_kb, question, event_id):
    """A when-answer shows its event's date_note ("(The date is from …; the article gives no date.)") in its
    text, in the question's script; each source that note credits is among the answer's citations."""
    answer = await ask(answerer, question)
    assert answer.answered and answer.entry_ids[:1] == (event_id,), (answer.entry_ids, answer.text)
    event = curated_kb.get(event_id)
    assert isinstance(event, Event) and event.date_note is not None
    date_note = event.date_note.get(answer.language)
    shown = to_traditional(date_note) if is_traditional(question) else date_note
    assert norm(shown) in norm(answer.text), answer.text
    cited = {c.source_id for c in answer.citations}
    problems = [f"credits {name}: {date_note}" for name in _uncited(date_note, answer.language, cited, curated_kb)]
    assert not problems, "\n".join([*problems, f"cited: {sorted(cited)}"])
