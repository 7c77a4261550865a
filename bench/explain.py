"""Show how the core reads a question and ranks entries (a debugging aid for curators and developers).

usage: python bench/explain.py "QUESTION" [...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.core.answerer import prepare
from bot.knowledge.loader import load_knowledge
from bot.settings import load_settings


def main() -> int:
    settings = load_settings()
    prepared = prepare(load_knowledge(Path(settings.knowledge_dir), settings.source_copies))
    for question in sys.argv[1:]:
        und = prepared.reader.read(question)
        print(f"\n{question}\n  {und.language} {und.intent.value} people={und.people} terms={und.terms} "
              f"unknown={und.unknown_names} period={und.period}")
        ranking = prepared.responder.retriever.rank(und, limit=6)
        print(f"  alien={ranking.alien:.2f}")
        for c in ranking.candidates:
            print(f"  {c.score:6.2f} cov={c.coverage:.2f} conf={ranking.confidence(c):.2f} {c.entry.id}")
        print("  ->", prepared.responder.respond(und).text[:200])
    return 0


if __name__ == "__main__":
    sys.exit(main())
