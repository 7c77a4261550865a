"""Prometheus metrics: questions by adapter, language, intent and outcome; latency; knowledge version; reloads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.core.types import Answer, Question

if TYPE_CHECKING:
    from bot.core.understand import Understanding
    from bot.live import LiveKnowledge

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)


class Metrics:
    """Its own registry (no process-global state); also a QuestionRecorder, so every answer is counted."""

    def __init__(self, live: LiveKnowledge | None = None) -> None:
        self.registry = CollectorRegistry()
        self.questions = Counter("citebot_questions", "Questions answered or declined",
                                 ["adapter", "language", "intent", "outcome"], registry=self.registry)
        self.latency = Histogram("citebot_answer_latency_seconds", "Time to compose an answer", ["adapter"],
                                 buckets=LATENCY_BUCKETS, registry=self.registry)
        self.version = Gauge("citebot_knowledge_version", "The live knowledge version number",
                             registry=self.registry)
        self.reload_failures = Gauge("citebot_knowledge_reload_failures", "Reloads refused since start",
                                     registry=self.registry)
        if live is not None:
            self.version.set_function(lambda: float(live.version_id or 0))
            self.reload_failures.set_function(lambda: float(live.failures))

    async def record(self, question: Question, understanding: Understanding, answer: Answer,
                     latency_ms: float) -> None:
        outcome = "answered" if answer.answered else "declined"
        self.questions.labels(question.adapter, answer.language, answer.intent, outcome).inc()
        self.latency.labels(question.adapter).observe(latency_ms / 1000)

    def refused(self, question: Question, answer: Answer) -> None:
        """A question turned away (``answer.refusal``: "rate_limited" or "too_long")."""
        self.questions.labels(question.adapter, answer.language, "refused", answer.refusal or "refused").inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
