"""Issue 14's bar: each answer shape, in English and Chinese (Traditional where cheap), is answered in its first
sentence (the name, the yes or no, the order, the count, the days, the speaker's own words, the corrected premise)
and the answer is cited. The facts are checked against story-facts.md and knowledge/*.yaml.

The last section holds the expectations the bot does not meet yet, each marked ``xfail(strict=True)`` with what
goes wrong, so that fixing one makes its test fail loudly until it is moved up."""

from __future__ import annotations

import re

import pytest

from bot.core.types import Answer
from tests.asking import ask, assert_cited, first_sentence, norm

# A Chinese sentence also ends at 。！？ before a digit ("…(2024年2月15日)[1]。2024年2月15日——…"),
# which first_sentence leaves running on.
_ZH_END_BEFORE_DIGIT = re.compile(r"[。！？](?:\s*\[\d+\])*(?=\d)")


def lead(answer: Answer) -> str:
    """The answer's first sentence, with its citation markers."""
    sentence = first_sentence(answer.text)
    match = _ZH_END_BEFORE_DIGIT.search(sentence)
    return sentence[: match.end()] if match else sentence


def _fold(text: str) -> str:
    return norm(text).casefold()


def says(sentence: str, *words: str) -> bool:
    """Every one of ``words`` is in ``sentence``, case, white space and full/half width aside."""
    return all(_fold(word) in _fold(sentence) for word in words)


def says_any(sentence: str, *words: str) -> bool:
    return any(_fold(word) in _fold(sentence) for word in words)


def before(sentence: str, first: str, second: str) -> bool:
    """``first`` is named in ``sentence`` before ``second``."""
    text, one, two = _fold(sentence), _fold(first), _fold(second)
    return one in text and two in text and text.index(one) < text.index(two)


EN_YES = re.compile(r"^\s*Yes\b")
EN_NO = re.compile(r"^\s*No\b")
# A Chinese yes / no answer opens with the answer word: 是 / 对 / 有 / 确实, or 不 / 没 / 未 / 否 / 并没有 / 并未.
ZH_YES = re.compile(r"^\s*(?:是|对|對|有|确实|確實)")
ZH_NO = re.compile(r"^\s*(?:不|没|沒|未|否|并没|並沒|并未|並未)")


async def answered(answerer, typed: str, conversation: str | None = None) -> tuple[Answer, str]:
    answer = await ask(answerer, typed, conversation=conversation)
    assert answer.answered, answer.text
    return answer, lead(answer)


# --- 1. relations: successors, co-leads, allies, who was fired with whom, who else left ------------------


async def check_named(answerer, quotes, typed: str, named: list[str], not_first: str | None = None,
                      wrong: tuple[str, ...] = ()) -> None:
    """The first sentence names the person asked for; it does not open with the person the question is about
    (that is a "who is" answer about the wrong one), nor name someone else in their place."""
    answer, first = await answered(answerer, typed)
    assert says(first, *named), answer.text
    if not_first is not None:
        assert not norm(first).startswith(norm(not_first)), answer.text
    assert not (wrong and says_any(first, *wrong)), answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "named", "not_first"), [
    pytest.param("Who took Ilya Sutskever's place as chief scientist?", ["Jakub Pachocki", "chief scientist"],
                 "Ilya", id="en"),
    pytest.param("谁接替了伊利亚的首席科学家职位？",
                 ["雅库布·帕霍奇", "伊利亚·苏茨克维", "首席科学家", "2024年5月14日"], "伊利亚", id="zh"),
    pytest.param("誰接替了伊利亞的首席科學家職位？", ["雅庫布·帕霍奇", "首席科學家", "2024年5月14日"], "伊利亞",
                 id="zh-Hant"),
])
async def test_a_successor_is_named_in_the_first_sentence(answerer, quotes, typed, named, not_first):
    await check_named(answerer, quotes, typed, named, not_first)


@pytest.mark.parametrize(("typed", "named", "not_first"), [
    pytest.param("Who co-led the superalignment team with Ilya?", ["Jan Leike", "co-lead"], "Ilya", id="en"),
    pytest.param("和莱克一起担任超级对齐团队联合负责人的是谁？", ["伊利亚·苏茨克维", "联合负责人"], "扬·莱克", id="zh"),
    pytest.param("Who shared the leadership of the superalignment team with Jan Leike?", ["Ilya Sutskever", "co-lead"],
                 "Jan Leike", id="en-co-lead-of-leike"),
    pytest.param("莱克和谁共同领导超级对齐团队？", ["伊利亚·苏茨克维", "联合负责人"], "扬·莱克",
                 id="zh-co-lead-of-leike"),
    pytest.param("谁和苏茨克维一起领导超级对齐团队？", ["扬·莱克", "联合负责人"], "伊利亚", id="zh-co-lead-of-ilya"),
    pytest.param("誰和蘇茨克維一起領導超級對齊團隊？", ["揚·萊克", "聯合負責人"], "伊利亞",
                 id="zh-Hant-co-lead-of-ilya"),
])
async def test_the_other_co_lead_is_named_in_the_first_sentence(answerer, quotes, typed, named, not_first):
    """Sutskever and Leike co-led the superalignment team; Schulman only took over the work afterwards."""
    await check_named(answerer, quotes, typed, named, not_first, wrong=("Schulman", "舒尔曼"))


@pytest.mark.parametrize(("typed", "named"), [
    pytest.param("Who stood by Sam Altman as his most loyal ally?", ["Greg Brockman", "ally"], id="en"),
    pytest.param("谁是奥特曼身边最忠诚的盟友？", ["格雷格·布罗克曼", "盟友"], id="zh"),
    pytest.param("誰是奧特曼身邊最忠誠的盟友？", ["格雷格·布羅克曼", "盟友"], id="zh-Hant"),
    pytest.param("Who was Altman's closest ally during the board fight?", ["Greg Brockman", "ally"], id="en-closest"),
])
async def test_altmans_ally_is_named_in_the_first_sentence(answerer, quotes, typed, named):
    await check_named(answerer, quotes, typed, named, not_first="Sam Altman")


@pytest.mark.parametrize(("typed", "named", "not_first"), [
    pytest.param("Which researcher was dismissed together with Leopold Aschenbrenner?", ["Pavel Izmailov"],
                 "Leopold Aschenbrenner", id="en"),
    pytest.param("和伊兹迈洛夫一起被解雇的是谁？", ["利奥波德·阿申布伦纳"], "帕维尔·伊兹迈洛夫", id="zh"),
    pytest.param("Which researcher lost his job together with Izmailov?", ["Leopold Aschenbrenner", "fired"],
                 "Pavel Izmailov", id="en-lost-his-job"),
])
async def test_who_was_fired_along_with_someone_is_named_in_the_first_sentence(answerer, quotes, typed, named,
                                                                              not_first):
    await check_named(answerer, quotes, typed, named, not_first)


@pytest.mark.parametrize(("typed", "named"), [
    pytest.param("Who else left OpenAI in April 2024?", ["Cullen O'Keefe", "April 2024"], id="en"),
    pytest.param("2024年4月还有谁离开了 OpenAI？", ["卡伦·奥基夫", "2024年4月"], id="zh"),
    pytest.param("除了科科塔伊洛，2024年4月还有谁离开了 OpenAI？", ["卡伦·奥基夫"], id="zh-besides"),
])
async def test_who_else_left_that_month_is_named_in_the_first_sentence(answerer, quotes, typed, named):
    await check_named(answerer, quotes, typed, named)


@pytest.mark.parametrize(("typed", "named", "wrong"), [
    pytest.param("Besides Kokotajlo, who else left OpenAI in April 2024?",
                 ["Cullen O'Keefe", "Leopold Aschenbrenner", "Pavel Izmailov", "were fired", "April 2024"],
                 ("Saunders", "Leike"), id="en-that-month"),
    pytest.param("除了科科塔伊洛，2024年4月还有谁离开了 OpenAI？",
                 ["卡伦·奥基夫", "利奥波德·阿申布伦纳", "帕维尔·伊兹迈洛夫", "被开除", "2024年4月"], ("桑德斯", "莱克"),
                 id="zh-that-month"),
    pytest.param("Other than Ilya, who else left OpenAI?",
                 ["Jan Leike", "Kokotajlo", "Saunders", "O'Keefe", "Aschenbrenner", "resigned", "were fired",
                  "February 15, 2024", "May 14, 2024"], ("Brockman", "Schulman"), id="en-who-else-left"),
    pytest.param("除了莱克，还有谁离开了 OpenAI？",
                 ["伊利亚·苏茨克维", "科科塔伊洛", "桑德斯", "奥基夫", "阿申布伦纳", "辞职", "被开除", "2024年2月15日"],
                 ("布罗克曼", "舒尔曼"), id="zh-who-else-left"),
])
async def test_who_else_left_is_listed_with_how_and_when(answerer, quotes, typed, named, wrong):
    """Those who left (typed ``left``: Saunders 2024-02-15, Kokotajlo, O'Keefe, Aschenbrenner and Izmailov April 2024,
    Sutskever and Leike 2024-05-14), each with how and when, in one sentence; Brockman quit but came back."""
    await check_named(answerer, quotes, typed, named, wrong=wrong)


# --- 2. yes / no ----------------------------------------------------------------------------------------


async def check_yes_no(answerer, quotes, typed: str, answer_word: re.Pattern[str], named: list[str]) -> None:
    """The first sentence opens with the yes or the no and says whom it is about."""
    answer, first = await answered(answerer, typed)
    assert answer_word.match(first), answer.text
    assert says(first, *named), answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "answer_word", "named"), [
    pytest.param("Did Daniel Kokotajlo refuse to sign the exit agreement?", EN_YES, ["Daniel Kokotajlo"],
                 id="en-yes-refused"),
    pytest.param("Did Greg Brockman quit when Altman was removed?", EN_YES, ["Greg Brockman"], id="en-yes-quit"),
    pytest.param("苏茨克维离开 OpenAI 了吗？", ZH_YES, ["伊利亚·苏茨克维", "2024年5月14日"], id="zh-yes-left"),
    pytest.param("布罗克曼在奥特曼被罢免时辞职了吗？", ZH_YES, ["格雷格·布罗克曼"], id="zh-yes-quit"),
    pytest.param("OpenAI 拿出证据证明阿申布伦纳泄密了吗？", ZH_NO, ["证据"], id="zh-no-evidence"),
    pytest.param("Did OpenAI produce proof that Aschenbrenner leaked anything?", EN_NO, ["OpenAI", "evidence"],
                 id="en-no-evidence"),
    pytest.param("Was Altman aware of the equity clawback provision?", EN_NO, ["Altman"], id="en-no-aware"),
])
async def test_a_yes_no_question_opens_with_the_answer(answerer, quotes, typed, answer_word, named):
    await check_yes_no(answerer, quotes, typed, answer_word, named)


@pytest.mark.parametrize("typed", [
    "科科塔伊洛签了离职协议吗？",  # he resigned but refused to sign: the question ends on 协议, no verb to answer
    "Did Kokotajlo sign the exit agreement?",
])
async def test_no_yes_is_given_where_the_entry_denies_what_was_asked(answerer, typed):
    answer = await ask(answerer, typed)
    assert not ZH_YES.match(lead(answer)) and not EN_YES.match(lead(answer)), answer.text


# --- 3. order: which came first, at the precision the sources date them to -------------------------------


@pytest.mark.parametrize(("typed", "earlier", "later", "words"), [
    pytest.param("Which came first, the superalignment team's launch or Altman's ouster?", "superalignment",
                 "Sam Altman", ["July 5, 2023", "came first", "November 17, 2023"], id="en"),
    pytest.param("超级对齐团队成立和奥特曼被罢免，哪个先？", "超级对齐团队", "萨姆·奥特曼",
                 ["2023年7月5日", "在先", "2023年11月17日"], id="zh"),
    pytest.param("超級對齊團隊成立和奧特曼被罷免，哪個先？", "超級對齊團隊", "薩姆·奧特曼",
                 ["2023年7月5日", "在先", "2023年11月17日"], id="zh-Hant"),
])
async def test_the_earlier_event_is_named_first_with_its_day(answerer, quotes, typed, earlier, later, words):
    """Superalignment announced 2023-07-05; the board removed Altman 2023-11-17."""
    answer, first = await answered(answerer, typed)
    assert answer.intent == "order"
    assert before(first, earlier, later) and says(first, *words), answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "cannot", "names"), [
    pytest.param("Which came first, O'Keefe leaving or Aschenbrenner being fired?", "can't tell which came first",
                 ["Cullen O'Keefe", "Aschenbrenner", "April 2024"], id="en"),
    pytest.param("奥基夫离开和阿申布伦纳被开除哪个在前？", "无法判断孰先孰后",
                 ["卡伦·奥基夫", "阿申布伦纳", "2024年4月"], id="zh"),
])
async def test_two_events_of_one_month_are_not_ordered(answerer, quotes, typed, cannot, names):
    """Both are dated April 2024 only: the first sentence says the sources cannot order them."""
    answer, first = await answered(answerer, typed)
    assert answer.intent == "order"
    assert says(first, cannot, *names), answer.text
    assert "came first [" not in answer.text and "在先[" not in norm(answer.text)
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "earlier", "later", "words"), [
    pytest.param("Which happened earlier, Ilya's announcement or Leike's long thread?", "Sutskever", "Leike",
                 ["May 14, 2024", "May 17, 2024"], id="en-ilya-vs-thread"),
    pytest.param("苏茨克维宣布离职和莱克发长帖解释原因，哪件事在前？", "苏茨克维", "莱克",
                 ["2024年5月14日", "在先", "2024年5月17日"], id="zh-ilya-vs-thread"),
    pytest.param("谁先离开 OpenAI，桑德斯还是科科塔伊洛？", "桑德斯", "科科塔伊洛", ["2024年2月15日", "2024年4月"],
                 id="zh-who-first"),
    pytest.param("誰先離開 OpenAI，桑德斯還是科科塔伊洛？", "桑德斯", "科科塔伊洛", ["2024年2月15日", "2024年4月"],
                 id="zh-Hant-who-first"),
    pytest.param("Did Saunders resign before Leike did?", "Saunders", "Leike", ["Yes", "February 15, 2024",
                                                                                 "May 14, 2024"], id="en-before"),
    pytest.param("桑德斯是在莱克之前辞职的吗？", "桑德斯", "莱克", ["是的", "2024年2月15日", "2024年5月14日"],
                 id="zh-before"),
])
async def test_the_order_of_two_events_is_said_with_their_days(answerer, quotes, typed, earlier, later, words):
    """Saunders 2024-02-15, Kokotajlo April 2024, Sutskever and Leike's "I resigned" 2024-05-14, Leike's
    thread 2024-05-17. The answer to "before?" gives the yes and the dates that make it so."""
    answer, first = await answered(answerer, typed)
    assert answer.intent == "order"
    assert before(first, earlier, later) and says(first, *words), answer.text
    assert_cited(answer, quotes)


async def test_a_before_question_answered_in_the_negative_says_no(answerer, quotes):
    answer, first = await answered(answerer, "Did Leike resign before Saunders did?")
    assert EN_NO.match(first) and before(first, "Saunders", "Leike"), answer.text
    assert_cited(answer, quotes)


# --- 4. counts: the number, and what is counted -----------------------------------------------------------


SEVEN = {"en": re.compile(r"\b(?:seven|7)\b", re.I), "zh": re.compile(r"(?:七|7)\s*(?:位|名|人)")}
TWO = {"en": re.compile(r"\b(?:two|2)\b", re.I), "zh": re.compile(r"(?:两|兩|二|2)\s*(?:位|名|人|个人|個人)")}


async def check_count(answerer, quotes, typed: str, number: re.Pattern[str], counted: list[str],
                      other: re.Pattern[str] | None = None) -> None:
    """The first sentence gives the number (not ``other``, a count of something else) and what it counts."""
    answer, first = await answered(answerer, typed)
    assert number.search(first) and not (other and other.search(first)), answer.text
    assert says(first, *counted), answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "language", "counted"), [
    pytest.param("How many safety people quit or were pushed out of OpenAI?", "en",
                 ["safety", "left OpenAI", "November 2023", "Kokotajlo", "Saunders", "O'Keefe"], id="en"),
    pytest.param("一共有几位关注安全的员工离开了 OpenAI？", "zh",
                 ["关注安全", "离开", "2023年11月", "科科塔伊洛", "桑德斯", "奥基夫"], id="zh"),
])
async def test_a_count_gives_the_number_and_what_it_counts(answerer, quotes, typed, language, counted):
    """Seven safety-minded people left from November 2023 (the article's count, story-facts), named."""
    await check_count(answerer, quotes, typed, SEVEN[language], counted)


@pytest.mark.parametrize(("typed", "language", "counted"), [
    pytest.param("How many OpenAI researchers were let go over the alleged leak?", "en",
                 ["people were fired", "Aschenbrenner", "Izmailov"], id="en-fired-leak"),
    pytest.param("How many people did OpenAI dismiss in April 2024?", "en",
                 ["fired", "April 2024", "Aschenbrenner", "Izmailov"], id="en-fired-april"),
    pytest.param("How many employees lost their jobs over leaking?", "en", ["fired", "Aschenbrenner", "Izmailov"],
                 id="en-fired-leaking"),
    pytest.param("有几个人因为泄密被 OpenAI 解雇？", "zh", ["开除", "阿申布伦纳", "伊兹迈洛夫"], id="zh-fired-leak"),
    pytest.param("有幾個人因為洩密被 OpenAI 解僱？", "zh", ["開除", "阿申布倫納", "伊茲邁洛夫"],
                 id="zh-Hant-fired-leak"),
])
async def test_a_count_of_who_was_fired_is_two(answerer, quotes, typed, language, counted):
    """Two were fired for the alleged leak in April 2024: Aschenbrenner and Izmailov (typed ``left``)."""
    await check_count(answerer, quotes, typed, TWO[language], counted, other=SEVEN[language])


# --- 5. days between two dated events ---------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "opens", "dates"), [
    pytest.param("How many days between Altman being removed and his comeback becoming official?", "12 days",
                 ["November 17, 2023", "November 29, 2023"], id="en"),
    pytest.param("桑德斯辭職和伊利亞宣布離職隔了幾天？", "相隔89天", ["2024年2月15日", "2024年5月14日"], id="zh-Hant"),
    pytest.param("奥特曼被罢免和复职正式生效之间隔了几天？", "相隔12天", ["2023年11月17日", "2023年11月29日"], id="zh"),
    pytest.param("奧特曼被罷免和復職正式生效之間隔了幾天？", "相隔12天", ["2023年11月17日", "2023年11月29日"],
                 id="zh-Hant-altman"),
    pytest.param("How many days after GPT-4o's launch was the superalignment team disbanded?", "4 days",
                 ["May 13, 2024", "May 17, 2024"], id="en-after"),
    pytest.param("苏茨克维宣布离职后几天莱克发了长帖？", "相隔3天", ["2024年5月14日", "2024年5月17日"], id="zh-after"),
])
async def test_days_between_are_counted_in_the_first_sentence(answerer, quotes, typed, opens, dates):
    """2023-11-17 to 2023-11-29 is 12 days; 2024-02-15 to 2024-05-14 is 89; GPT-4o 2024-05-13 to the team's
    disbanding 2024-05-17 is 4; Sutskever's announcement 2024-05-14 to Leike's thread 2024-05-17 is 3."""
    await check_days(answerer, quotes, typed, opens, dates)


async def check_days(answerer, quotes, typed: str, opens: str, dates: list[str]) -> None:
    """The first sentence opens with the count and names both dates, the earlier first."""
    answer, first = await answered(answerer, typed)
    assert answer.intent == "between"
    assert norm(first).startswith(norm(opens)), answer.text
    assert before(first, *dates), answer.text
    assert_cited(answer, quotes)


# --- 6. what X said about Y: X's own words, cited ---------------------------------------------------------


async def check_own_words(answerer, quotes, typed: str, speaker: str, words: str) -> None:
    """The first sentence names the speaker and carries ``words`` as written in a citation's quote (their post,
    or the article's translation of it), and that citation's marker."""
    answer, first = await answered(answerer, typed)
    assert says(first, speaker, words), answer.text
    quoting = [c for c in answer.citations if norm(words) in norm(c.quote)]
    assert quoting, f"no citation quotes {words!r}: {[c.quote for c in answer.citations]}"
    assert any(f"[{c.number}]" in first for c in quoting), answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "speaker", "words"), [
    pytest.param("What did Jan Leike write about safety culture at OpenAI?", "Jan Leike",
                 "taken a backseat to shiny products", id="en-leike"),
    pytest.param("What did Altman say about the equity clawback provision in the exit papers?", "Sam Altman",
                 "should never have been", id="en-altman"),
    pytest.param("What did Leike say about how OpenAI weighed safety against products?", "Jan Leike",
                 "taken a backseat to shiny products", id="en-leike-weighed"),
    pytest.param("伊利亚宣布离职后，奥特曼在 X 上写了什么？", "萨姆·奥特曼", "这让我非常难过", id="zh-altman"),
    pytest.param("莱克在 X 上对团队算力处境说了什么？", "扬·莱克", "有时候我们会在算力方面遇到困难", id="zh-leike"),
    pytest.param("奥特曼对自己不知道股权条款是怎么说的？", "萨姆·奥特曼", "我确实不知道有这么一条",
                 id="zh-altman-knew"),
])
async def test_what_someone_said_carries_their_own_cited_words(answerer, quotes, typed, speaker, words):
    await check_own_words(answerer, quotes, typed, speaker, words)


@pytest.mark.parametrize(("typed", "words"), [
    pytest.param("What did Jan Leike write about safety culture at OpenAI?",
                 "But over the past years, safety culture and processes have taken a backseat to shiny products",
                 id="en-leike"),
    pytest.param("伊利亚宣布离职后，奥特曼在 X 上写了什么？", "这让我非常难过", id="zh-altman"),
])
async def test_own_words_are_in_quotation_marks(answerer, typed, words):
    answer, first = await answered(answerer, typed)
    assert re.search(rf"[\"“]{re.escape(words)}[\"”]", first), answer.text


@pytest.mark.parametrize("typed", [
    "What did Jan Leike write about safety culture at OpenAI?",  # the thread's words; a user's question is not his
    "莱克在帖子里怎么说安全文化的？",
    "What did Ilya say when he announced he was leaving?",  # Altman's post about Pachocki is not Ilya's words
])
async def test_no_one_elses_words_are_quoted_as_the_speakers(answerer, typed):
    answer = await ask(answerer, typed)
    for wrong in ("为什么安全要退居次要位置", "Jakub is going to be our new Chief Scientist"):
        assert not re.search(rf"[“\"]{re.escape(wrong)}", answer.text), answer.text


# --- 7. false premises: how someone left, a post, a succession, a date ------------------------------------


@pytest.mark.parametrize(("typed", "opens"), [
    pytest.param("Why was Saunders fired?", "William Saunders was not fired but resigned, on February 15, 2024 [1].",
                 id="en"),
    pytest.param("桑德斯为什么被开除？", "威廉·桑德斯(William Saunders)并不是被开除的,而是主动辞职(2024年2月15日)[1]",
                 id="zh"),
])
async def test_fired_instead_of_resigned_is_corrected_first(answerer, quotes, typed, opens):
    answer, first = await answered(answerer, typed)
    assert norm(first).startswith(norm(opens)), answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "opens", "holder"), [
    pytest.param("Why did Jan Leike, OpenAI's chief scientist, quit?", "Jan Leike was not the chief scientist",
                 "Ilya Sutskever", id="en"),
    pytest.param("伊利亚当 CEO 的时候为什么离开？", "伊利亚·苏茨克维(Ilya Sutskever)并不是 CEO", "萨姆·奥特曼",
                 id="zh"),
])
async def test_a_wrong_title_is_corrected_first_and_the_holder_named(answerer, quotes, typed, opens, holder):
    answer, first = await answered(answerer, typed)
    assert norm(first).startswith(norm(opens)), answer.text
    assert says(answer.text, holder)
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "opens", "real"), [
    pytest.param("When did Pachocki replace Jan Leike?", "Jakub Pachocki did not replace Jan Leike.",
                 ["Ilya Sutskever", "chief scientist", "May 14, 2024"], id="en"),
    pytest.param("帕霍奇什么时候接替了莱克？", "雅库布·帕霍奇(Jakub Pachocki)并没有接替扬·莱克(Jan Leike)",
                 ["伊利亚·苏茨克维", "首席科学家", "2024年5月14日"], id="zh"),
])
async def test_a_wrong_succession_is_corrected_first(answerer, quotes, typed, opens, real):
    """Pachocki succeeded Sutskever as chief scientist (2024-05-14); Schulman took over Leike's work."""
    answer, first = await answered(answerer, typed)
    assert norm(first).startswith(norm(opens)), answer.text
    assert says(answer.text, *real) and "Schulman" not in first
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "real", "wrong"), [
    pytest.param("Why did the board fire Altman in March 2024?", "November 17, 2023", "not March 2024", id="en-altman"),
    pytest.param("Why did Kokotajlo quit in June 2024?", "April 2024", "not June 2024", id="en-kokotajlo"),
    pytest.param("为什么科科塔伊洛在 2024 年 6 月辞职？", "2024年4月", "不是2024年6月", id="zh-kokotajlo"),
])
async def test_a_wrong_date_is_corrected_first(answerer, quotes, typed, real, wrong):
    answer, first = await answered(answerer, typed)
    assert says(first, real, wrong) and re.search(r"\[\d+\]", first), answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "words"), [
    pytest.param("董事会为什么在 2024 年 3 月解雇奥特曼？", ["2023年11月17日", "不是2024年3月"], id="zh-date"),
    pytest.param("董事会为什么在2024年3月罢免奥特曼？", ["2023年11月17日", "不是2024年3月"], id="zh-date-no-spaces"),
    pytest.param("Why did Ilya resign as OpenAI's CEO?", ["Ilya Sutskever was not the CEO"], id="en-title"),
    pytest.param("伊利亚辞去 CEO 一职的原因是什么？", ["伊利亚·苏茨克维", "并不是 CEO"], id="zh-title"),
    pytest.param("作为首席科学家的莱克为什么辞职？", ["扬·莱克", "并不是首席科学家"], id="zh-title-leike"),
])
async def test_a_premise_is_corrected_however_the_question_words_it(answerer, quotes, typed, words):
    """The board removed Altman on 2023-11-17; Sutskever was never CEO; Leike was superalignment co-lead."""
    answer, first = await answered(answerer, typed)
    assert says(first, *words), answer.text
    assert_cited(answer, quotes)


# --- 8. follow-ups ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("opening", "follow", "words"), [
    pytest.param("Who is Greg Brockman?", "What did he post on May 18, 2024?", ["Greg Brockman", "Sam and Greg"],
                 id="en"),
    pytest.param("桑德斯是谁？", "他是哪天辞职的？", ["2024年2月15日", "威廉·桑德斯", "辞职"], id="zh"),
    pytest.param("谁接替了伊利亚的首席科学家职位？", "他是哪天上任的？", ["2024年5月14日", "雅库布·帕霍奇"],
                 id="zh-after-who"),
])
async def test_a_pronoun_is_the_last_answers_subject(answerer, quotes, request, opening, follow, words):
    await check_follow_up(answerer, quotes, f"shapes-{request.node.callspec.id}", opening, follow, words)


async def check_follow_up(answerer, quotes, conversation: str, opening: str, follow: str, words: list[str],
                          one_of: tuple[str, ...] = (), opens: str = "") -> None:
    """After ``opening``, the pronoun of ``follow`` is whom it was about: the first sentence opens with ``opens``,
    says ``words`` and one of ``one_of``."""
    await answered(answerer, opening, conversation)
    answer, first = await answered(answerer, follow, conversation)
    assert _fold(first).startswith(_fold(opens)), answer.text
    assert says(first, *words) and (not one_of or says_any(first, *one_of)), answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "asks"), [
    pytest.param("When did he come back?", "Who do you mean?", id="en"),
    pytest.param("他什么时候回来的？", "你指的是谁", id="zh"),
    pytest.param("他什麼時候回來的？", "你指的是誰", id="zh-Hant"),
])
async def test_a_pronoun_with_no_earlier_turn_is_asked_back(answerer, request, typed, asks):
    answer = await ask(answerer, typed, conversation=f"shapes-fresh-{request.node.callspec.id}")
    assert not answer.answered and not answer.citations
    assert asks in answer.text, answer.text
    for name in ("Altman", "奥特曼", "奧特曼"):
        assert name not in answer.text


EN_RETURN = ("November 21", "November 29, 2023")
ZH_RETURN = ("2023年11月21日", "2023年11月29日")


@pytest.mark.parametrize(("opening", "follow", "words", "one_of", "opens"), [
    pytest.param("Tell me about William Saunders.", "when did he hand in his resignation?", ["Saunders"], (),
                 "February 15, 2024", id="en-resigned"),
    pytest.param("Why was Sam Altman removed as CEO?", "and when did he come back?", ["Altman"], EN_RETURN, "",
                 id="en-come-back"),
    pytest.param("董事会为什么罢免奥特曼？", "那他什么时候回来的？", ["萨姆·奥特曼"], ZH_RETURN, "", id="zh-come-back"),
    pytest.param("Who took Ilya Sutskever's place as chief scientist?", "When was he given the job?",
                 ["May 14, 2024", "Pachocki"], (), "", id="en-after-who"),
    pytest.param("布罗克曼是谁？", "他 2024年5月18日发了什么？", ["布罗克曼", "Sam and Greg"], (), "", id="zh-posted"),
])
async def test_a_follow_up_is_answered_about_whom_he_is(answerer, quotes, request, opening, follow, words, one_of,
                                                        opens):
    """Altman's return: agreed 2023-11-21/22, formal 2023-11-29; Saunders resigned 2024-02-15 (his typed ``left``);
    Pachocki was named chief scientist 2024-05-14 (his typed ``succeeded``); "他" of "董事会为什么罢免奥特曼" is
    Altman, not the board."""
    await check_follow_up(answerer, quotes, f"shapes-{request.node.callspec.id}", opening, follow, words,
                          one_of, opens)


# === Known failures: correct expectations the bot does not meet yet ========================================
# Each is xfail(strict=True): when the bot is fixed, the test XPASSes and fails; move it up to its shape then.


def known(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.mark.parametrize(("typed", "answer_word", "named"), [
    pytest.param("Did Ilya Sutskever sit on the board when it removed Altman?", EN_YES, ["Ilya Sutskever", "board"],
                 id="en-yes-board", marks=known("answers with his regret of November 20, 2023; no 'Yes'")),
    pytest.param("奥特曼当时知道那条股权条款吗？", ZH_NO, ["萨姆·奥特曼"], id="zh-no-knew",
                 marks=known("no Chinese yes/no lead: opens 'OpenAI 原有离职文件中有一条规定…'")),
])
async def test_known_failure_yes_no(answerer, quotes, typed, answer_word, named):
    await check_yes_no(answerer, quotes, typed, answer_word, named)


