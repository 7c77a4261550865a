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
    "From this date (2024, 2024-05, May 2024, 2024年5月)": ("从此日期起(2024、2024-05、2024年5月、May 2024)",
                                                          "從此日期起(2024、2024-05、2024年5月、May 2024)"),
    "until": ("截止", "截止"),
    "Up to this date (2024, 2024-05, May 2024, 2024年5月)": ("到此日期为止(2024、2024-05、2024年5月、May 2024)",
                                                           "到此日期為止(2024、2024-05、2024年5月、May 2024)"),
    "who": ("人物卡", "人物卡"),
    "A person's profile: role, what happened, key dates": ("人物简介:身份、经历、关键日期",
                                                          "人物簡介:身分、經歷、關鍵日期"),
    "name": ("姓名", "姓名"),
    "The person's name": ("人物姓名", "人物姓名"),
    "sources": ("来源", "來源"),
    "The sources the knowledge base cites": ("知识库引用的来源", "知識庫引用的來源"),
    "kb": ("知识库", "知識庫"),
    "Knowledge base administration (admins only)": ("知识库管理(仅管理员)", "知識庫管理(僅管理員)"),
    "status": ("状态", "狀態"),
    "The live version, who loaded it, the last failed reload": ("当前版本、加载者、最近一次失败的重载",
                                                               "目前版本、載入者、最近一次失敗的重載"),
    "reload": ("重载", "重載"),
    "Validate the knowledge files and make them live": ("校验知识文件并上线", "校驗知識檔案並上線"),
    "history": ("历史", "歷史"),
    "Recent versions and what changed": ("最近的版本及其改动", "最近的版本及其改動"),
    "rollback": ("回滚", "回滾"),
    "Bring back an earlier version": ("恢复到较早的版本", "恢復到較早的版本"),
    "version": ("版本", "版本"),
    "The version number (see /kb history)": ("版本号(见 /kb history)", "版本號(見 /kb history)"),
    "gaps": ("缺口", "缺口"),
    "What to curate next: declined questions and 👎 answers": ("接下来该补充什么:被拒答的问题和被点踩的回答",
                                                             "接下來該補充什麼:被拒答的問題和被點踩的回答"),
    "upload": ("上传", "上傳"),
    "Add or replace a knowledge YAML file": ("添加或替换一个知识 YAML 文件", "新增或替換一個知識 YAML 檔案"),
    "file": ("文件", "檔案"),
    "A .yaml knowledge file": ("一个 .yaml 知识文件", "一個 .yaml 知識檔案"),
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
