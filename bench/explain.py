"""Show what each stage of answering did with a question: the answer's trace (read, understand, retrieve,
decide, compose, check), for curators and developers.

usage: python bench/explain.py "QUESTION" [...]     (questions in one conversation, in order)
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.core.answerer import Answerer, prepare_all
from bot.core.types import Question
from bot.knowledge.loader import load_knowledge
from bot.semantic.loading import embeddings_from_settings
from bot.settings import load_settings


async def main() -> int:
    settings = load_settings()
    embeddings = await embeddings_from_settings(settings)
    prepared = await prepare_all(load_knowledge(Path(settings.knowledge_dir)), embeddings)
    answerer = Answerer(prepared, embeddings=embeddings)
    for question in sys.argv[1:]:
        answer = await answerer.ask(Question(question, conversation_id="explain"))
        print(f"\n{question}")
        for line in (stage.line() for stage in answer.trace):
            print(f"  {line}")
        print(f"  -> {'answered' if answer.answered else 'declined'} [{answer.confidence:.2f}] {answer.text[:400]}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
