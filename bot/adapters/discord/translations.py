"""Chinese names and descriptions of the slash commands, for zh-CN and zh-TW clients."""

from __future__ import annotations

import discord
from discord import app_commands

# English message (as written in the command definitions) -> (simplified, traditional).
ZH: dict[str, tuple[str, str]] = {
    "ask": ("提问", "提問"),
    "Ask about the 2024 breakup of OpenAI's superalignment team": (
        "询问 2024 年 OpenAI 超级对齐团队解散的经过", "詢問 2024 年 OpenAI 超級對齊團隊解散的經過"),
    "question": ("问题", "問題"),
    "Your question, in English or Chinese": ("你的问题(中文或英文)", "你的問題(中文或英文)"),
    "private": ("仅自己可见", "僅自己可見"),
    "Show the answer to you only": ("只让你自己看到回答", "只讓你自己看到回答"),
    "timeline": ("时间线", "時間線"),
    "The events in order": ("按时间顺序列出事件", "按時間順序列出事件"),
    "person": ("人物", "人物"),
    "Only this person's events": ("只看此人的事件", "只看此人的事件"),
    "since": ("起始", "起始"),
    "From this date (YYYY, YYYY-MM or YYYY-MM-DD)": ("从此日期起(YYYY、YYYY-MM 或 YYYY-MM-DD)",
                                                    "從此日期起(YYYY、YYYY-MM 或 YYYY-MM-DD)"),
    "until": ("截止", "截止"),
    "Up to this date (YYYY, YYYY-MM or YYYY-MM-DD)": ("到此日期为止(YYYY、YYYY-MM 或 YYYY-MM-DD)",
                                                     "到此日期為止(YYYY、YYYY-MM 或 YYYY-MM-DD)"),
    "who": ("人物卡", "人物卡"),
    "A person's profile: role, what happened, key dates": ("人物简介:身份、经历、关键日期",
                                                          "人物簡介:身分、經歷、關鍵日期"),
    "name": ("姓名", "姓名"),
    "The person's name": ("人物姓名", "人物姓名"),
    "sources": ("来源", "來源"),
    "The sources the knowledge base cites": ("知识库引用的来源", "知識庫引用的來源"),
}


class ChineseTranslator(app_commands.Translator):
    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        pair = ZH.get(string.message)
        if pair is None:
            return None
        if locale is discord.Locale.chinese:
            return pair[0]
        if locale is discord.Locale.taiwan_chinese:
            return pair[1]
        return None
