"""Show how the core reads a question and ranks entries (a debugging aid for curators and developers).

usage: python bench/explain.py "QUESTION" [...]     (questions in one conversation, in order)
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.core.answerer import Answerer, prepare_all
from bot.core.intent import Intent
from bot.knowledge.loader import load_knowledge
from bot.semantic.loading import embeddings_from_settings
from bot.settings import load_settings


async def main() -> int:
    settings = load_settings()
    embeddings = await embeddings_from_settings(settings)
    prepared = await prepare_all(load_knowledge(Path(settings.knowledge_dir), settings.source_copies), embeddings)
    answerer = Answerer(prepared, embeddings=embeddings)
    for question in sys.argv[1:]:
        last = await answerer.memory.last_turn("explain")
        und = prepared.reader.read(question, None, last)
        print(f"\n{question}\n  {und.language}{' (Traditional)' if und.traditional else ''} {und.intent.value} "
              f"kind={und.kind.value} people={und.people} terms={und.terms} unknown={und.unknown_names} "
              f"period={und.period} quantity={und.quantity} follow_up={und.follow_up}\n  focus: {und.text}")
        sims = await embeddings.similarities(prepared.semantic, und.text) if und.searches else None
        kinds = {"events", "claims"} if und.intent is Intent.WHEN else None
        ranking = prepared.responder.retriever.rank(und, kinds=kinds, limit=8, similarities=sims)
        print(f"  alien={ranking.alien:.2f}")
        for c in ranking.candidates:
            print(f"  lex={c.score:6.2f} cov={c.coverage:.2f} conf={ranking.confidence(c):.2f} "
                  f"sim={c.similarity:.3f} fused={c.fused:.3f} {c.entry.id}")
        answer = await answerer.ask(__import__("bot.core.types", fromlist=["Question"]).Question(
            question, conversation_id="explain"))
        print(f"  -> [{answer.confidence:.2f}] {answer.text[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
