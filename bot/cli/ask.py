"""`citebot ask`: one question, or the JSON-lines contract."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import TextIO

from bot.bootstrap import build_app, knowledge_or_stored, open_store
from bot.cli.author import cli_author
from bot.cli.render import print_note, render_answer
from bot.core.answerer import Answerer, prepare_all
from bot.core.recording import BufferedRecorder
from bot.core.types import Question
from bot.settings import Settings


async def ask_once(settings: Settings, text: str, language: str | None, as_json: bool) -> int:
    """Reach the store (and sync the knowledge version) before answering, so an unreachable or unsupported
    database is the one line printed, never an answer followed by an error; the question is logged after."""
    from bot.semantic.loading import embeddings_from_settings

    kb, fallback = await knowledge_or_stored(settings)
    if fallback is not None:
        print_note(fallback.note)
    side = await open_store(settings, kb, author=cli_author(), stored=fallback.version if fallback else None)
    try:
        buffer = BufferedRecorder()
        embeddings = await embeddings_from_settings(settings)
        answer = await Answerer(await prepare_all(kb, embeddings), recorder=buffer, embeddings=embeddings).ask(
            Question(text=text, language_hint=language, user_id=_local_user())
        )
        print(json.dumps(answer.to_json(text), ensure_ascii=False) if as_json else render_answer(answer), flush=True)
        await buffer.flush(side.recorder)  # type: ignore[arg-type]
    finally:
        await side.close()
    return 0


async def ask_json_lines(settings: Settings, stream: TextIO, language: str | None) -> int:
    """One question a line in (plain text, or a JSON object with "question"), one JSON answer a line out."""
    app = await build_app(settings, author=cli_author(), on_fallback=print_note)
    try:
        while line := await asyncio.to_thread(stream.readline):
            line = line.strip()
            if not line:
                continue
            text, hint, conversation = line, language, None
            if line.startswith("{"):
                try:
                    request = json.loads(line)
                    text = str(request.get("question") or request.get("text") or "")
                    hint = request.get("language") or hint
                    conversation = request.get("conversation_id")
                except (json.JSONDecodeError, AttributeError):
                    pass
            answer = await app.ask(
                Question(text=text, language_hint=hint, conversation_id=conversation, user_id=_local_user())
            )
            sys.stdout.write(json.dumps(answer.to_json(text), ensure_ascii=False) + "\n")
            sys.stdout.flush()
    finally:
        await app.close()
    return 0


def _local_user() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in some containers
        return "cli:unknown"
