"""Replicas share conversations and answered Slack events through Redis (the real server at 127.0.0.1:6379)."""

from __future__ import annotations

import uuid

from bot.adapters.slack.dedupe import SeenEvents
from bot.core.answerer import Answerer
from bot.core.types import Question
from bot.shared_state import RedisConversations, RedisSeenEvents


async def test_a_follow_up_on_another_replica_keeps_the_conversation(prepared, redis):
    conversation = f"slack:C1:{uuid.uuid4().hex}"
    one = Answerer(prepared, memory=RedisConversations(redis))
    two = Answerer(prepared, memory=RedisConversations(redis))
    assert (await one.ask(Question("Who is Jan Leike?", conversation_id=conversation))).answered
    follow = await two.ask(Question("and when did he leave?", conversation_id=conversation))
    assert follow.answered and "May 14, 2024" in follow.text and "Leike" in follow.text


async def test_an_event_is_answered_by_one_replica_only(redis):
    event = f"Ev{uuid.uuid4().hex}"
    replicas = [RedisSeenEvents(redis), RedisSeenEvents(redis)]
    assert [await r.first_time(event) for r in replicas] == [True, False]
    assert await SeenEvents().first_time(event)  # a process-local memory knows nothing of the others
