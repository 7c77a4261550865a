"""Whether a message is a question at all: a task request ("write a poem …", "翻译成英文") or small talk
("how's your day?", "今天天气怎么样？") is declined politely, whatever words of the story it contains."""

from __future__ import annotations

import re
from enum import StrEnum


class Kind(StrEnum):
    QUESTION = "question"
    TASK = "task"  # make something: a poem, a translation, code, a joke
    SMALL_TALK = "small_talk"  # about the bot, the weather, the asker's day


_POLITE = r"(?:(?:please|pls|can you|could you|would you|will you|i want you to|i'd like you to|help me)\s+)*"
_MAKE = (r"(?:write|compose|draft|draw|paint|generate|create|make|sing|rap|rewrite|rephrase|paraphrase|"
         r"translate|code|program|script|design|imagine|invent|roleplay|pretend)")
_TASK_EN = re.compile(
    rf"^\s*{_POLITE}{_MAKE}\b"
    r"|^\s*" + _POLITE + r"(?:tell|give|show)\s+(?:me|us)\s+(?:a|an|another|some)\s+"
    r"(?:joke|poem|song|story|riddle|haiku|limerick|fun fact|recipe)s?\b"
    r"|\b(?:translate|translation of)\b.*\b(?:into|to|in)\s+[A-Z]?[a-z]+\b"
    r"|\b(?:a|an)\s+(?:poem|song|haiku|limerick|joke|essay|rap|sonnet)\s+(?:about|on|for)\b",
    re.I,
)
_TASK_ZH = re.compile(
    r"^(?:请|麻烦|帮我|帮忙|给我|替我|你能|你可以|能不能|可以)*(?:帮我|给我|替我)?"
    # a verb of making, not the first character of another word ("作为首席科学家的莱克…", "写了什么", "编号")
    r"(?:写(?![了过着道的])|翻译|画(?![了过的面家])|生成|编(?![了过的号辑剧])|创作|作(?![了过的为者用出品证])|改写|总结一下这篇)"
    r"|翻译成|译成|写一首|写一篇|写一段|写一封|写首|写个|用(?:英文|英语|中文|日文)写|讲个笑话|讲一个笑话|说个笑话|讲个故事|来首|作一首|编一个"
)
_SMALL_TALK_EN = re.compile(
    r"\bhow(?:'s| is| are| was)\s+(?:you|your|it going|things|life|the weather)\b|\bhow do you (?:do|feel)\b"
    r"|\bwhat(?:'s| is)\s+up\b|\bwhat(?:'s| is) the weather\b|\bweather\b|\bwho are you\b|\bwhat are you\b"
    r"|\bare you (?:a |an )?(?:bot|human|real|ai|there|ok|okay|alive)\b|\b(?:good|great|nice) (?:bot|job)\b"
    r"|\bi love you\b|\bthank(?:s| you)\b.*$|\b(?:good )?(?:morning|night|evening)\b\W*$",
    re.I,
)
_SMALL_TALK_ZH = re.compile(r"天气|你是谁|你是什么|你好吗|你怎么样|最近怎么样|今天怎么样|今天过得|^在吗|"
                            r"吃了吗|早上好|晚安|谢谢")


def message_kind(focus: str, language: str, names_the_story: bool) -> Kind:
    """What ``focus`` (the question's own words) asks for. A message that names the story's people or
    things may still be a task ("Write a poem about Ilya"); small talk never names them."""
    if (_TASK_ZH if language == "zh" else _TASK_EN).search(focus) or (
            language == "zh" and _TASK_EN.search(focus)):
        return Kind.TASK
    if not names_the_story and (_SMALL_TALK_ZH if language == "zh" else _SMALL_TALK_EN).search(focus):
        return Kind.SMALL_TALK
    return Kind.QUESTION
