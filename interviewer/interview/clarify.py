"""Answering clarifying questions with plausible figures that stay fixed for the session.

The options live in ``prompts/interviewer/clarify.toml``. The first time a topic is
asked about, one option is chosen by a hash of the session id and the topic; it is then
stored in ``Session.facts`` and repeated verbatim whenever the topic comes up again.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from pydantic import BaseModel

from interviewer.prompting import load_toml

CLARIFY_FILE = "interviewer/clarify.toml"
MAX_TOPICS_PER_ANSWER = 3


class Topic(BaseModel):
    key: str
    label: str
    patterns: list[str]
    options: list[str]


@lru_cache(maxsize=1)
def topics() -> list[Topic]:
    """Clarification topics in file order (that order breaks ties)."""
    raw = load_toml(CLARIFY_FILE)["topics"]
    return [Topic(key=k, **v) for k, v in raw.items()]


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[Topic, list[re.Pattern]]]:
    return [(t, [re.compile(p, re.I) for p in t.patterns]) for t in topics()]


def topics_in(message: str) -> list[Topic]:
    """Topics a message asks about, strongest match first (at most three)."""
    scored = []
    for order, (topic, patterns) in enumerate(_compiled()):
        hits = sum(1 for rx in patterns if rx.search(message))
        if hits:
            scored.append((-hits, order, topic))
    return [t for _, _, t in sorted(scored, key=lambda x: (x[0], x[1]))][:MAX_TOPICS_PER_ANSWER]


def fact(facts: dict[str, str], session_id: str, topic: Topic) -> str:
    """The session's figure for ``topic``: the stored one, or a seeded choice that is then stored."""
    if topic.key not in facts:
        digest = hashlib.sha256(f"{session_id}:{topic.key}".encode()).digest()
        facts[topic.key] = topic.options[digest[0] % len(topic.options)]
    return facts[topic.key]


def answer_facts(facts: dict[str, str], session_id: str, message: str) -> list[tuple[str, str]]:
    """(label, figure) pairs answering ``message``; empty when it asks about nothing we track."""
    return [(t.label, fact(facts, session_id, t)) for t in topics_in(message)]


def asks_beyond_facts(message: str) -> bool:
    """Does one of several questions in ``message`` ask about nothing we track (scope, features)?

    "Push only or email too? And how many users?" gets the users figure; left at that, the scope
    question would go unanswered as if it had not been asked."""
    asks = [part for part in _QUESTIONS.split(message) if part and len(part.split()) >= 3]
    return len(asks) > 1 and any(not topics_in(part) for part in asks)


# Where one question ends and the next begins: a question mark, or ", and" / ", or" before a
# question word ("How many deploys a day, and is it a regulated product?" asks two things).
_QUESTIONS = re.compile(r"\?+|[,;]\s*(?:and|or)\s+(?=(?:is|are|was|were|do|does|did|can|could|should|will|would|"
                        r"how|what|which|who|when|where|why)\b)", re.I)
