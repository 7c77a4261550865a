"""Words people use interchangeably for the story's actions, matched as one concept at query time.

A question about someone who "quit" should find the entry that says "resigned". Each group is a
set of words (English, stemmed when used) and Chinese words (two characters: one bigram token).
"""

from __future__ import annotations

from functools import cache

from bot.core.text import tokens

GROUPS: tuple[tuple[str, ...], ...] = (
    ("leave", "left", "leaving", "quit", "resign", "resigned", "depart", "departure",
     "离职", "离开", "辞职", "出走"),
    ("fire", "fired", "dismiss", "dismissed", "sack", "sacked", "oust", "ousted", "开除", "解雇", "辞退"),
    ("remove", "removed", "oust", "ouster", "fire", "fired", "depose", "罢免", "赶下", "解雇", "逼宫"),
    ("announce", "announced", "release", "released", "launch", "launched", "unveil", "unveiled", "introduce",
     "发布", "推出", "宣布"),
    ("join", "joined", "hire", "hired", "加入", "入职"),
    ("tweet", "tweeted", "post", "posted", "x", "twitter", "推文", "发帖", "发推"),
    ("criticize", "criticise", "criticism", "disparage", "disparagement", "badmouth", "批评", "负面"),
    ("agreement", "nda", "contract", "paperwork", "document", "协议", "合同", "文件"),
    ("equity", "stock", "options", "vested", "股权", "期权"),
    ("compute", "computing", "gpus", "算力"),
    ("chip", "chips", "semiconductor", "芯片"),
    ("leak", "leaked", "leaking", "泄漏", "泄露", "泄密"),
    ("trust", "distrust", "confidence", "信任"),
    ("money", "fundraise", "fundraising", "funding", "raise", "invest", "investment", "筹款", "融资", "资金"),
    ("disband", "disbanded", "dissolve", "dissolved", "dismantle", "shut", "解散", "撤销"),
    ("sad", "sadden", "upset", "难过", "伤心"),
    ("replace", "replaced", "replacement", "succeed", "succeeded", "successor", "takeover", "取代", "接替", "接手",
     "接任", "继任", "接班"),
    ("lead", "led", "leader", "head", "headed", "charge", "负责", "领导", "带领", "主管", "掌管"),
    ("colead", "coled", "coleads", "coleader", "coleaders", "coleading"),
    ("ally", "allies", "loyal", "loyalist", "confidant", "盟友", "亲信", "忠诚", "心腹"),
    ("cost", "forfeit", "forfeited", "sacrifice", "sacrificed", "代价", "损失"),
    ("evidence", "proof", "证据", "证明"),
    ("aware", "unaware", "know", "knew", "known", "知情", "知道"),
    ("fundraise", "fundraising", "募资", "筹资", "筹款", "融资"),
    ("busy", "focused", "focus", "忙于", "专注"),
    ("delete", "deleted", "deleting", "删除", "删掉", "删帖"),
    ("describe", "described", "description", "形容", "描述", "描写"),
    ("return", "returned", "returning", "comeback", "back", "reinstate", "reinstated", "rehire", "rehired",
     "回归", "复职", "重返", "回来"),
    ("agree", "agreed", "agreement", "deal", "达成"),
    ("weigh", "weighed", "weighing", "prioritize", "prioritise", "prioritized", "priority", "priorities",
     "backseat", "权衡", "优先"),
)


@cache
def _by_term() -> dict[str, tuple[str, ...]]:
    table: dict[str, set[str]] = {}
    for group in GROUPS:
        terms = {t for word in group for t in tokens(word, drop_stopwords=False)}
        for term in terms:
            table.setdefault(term, set()).update(terms)
    return {term: tuple(sorted(members)) for term, members in table.items()}


def concept(term: str) -> tuple[str, ...]:
    """``term`` first, then the terms that mean the same."""
    others = [t for t in _by_term().get(term, ()) if t != term]
    return (term, *others)
