"""What a candidate's message is: an answer, a clarifying question, a request, or noise.

Deterministic: regular expressions from ``prompts/interviewer/intents.toml`` plus a
check of shared vocabulary with the current question, so "what's the weather?" is
off-topic while "how many users do we expect?" is a clarifying question.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from interviewer.guide import Question
from interviewer.prompting import load_toml

Intent = Literal["empty", "abusive", "end", "skip", "repeat", "hint", "dont_know", "clarify", "off_topic", "answer"]
INTENTS_FILE = "interviewer/intents.toml"
CLARIFY_MAX_WORDS = 45
_WORD = re.compile(r"[a-z][a-z0-9'-]+")
_STOP = set("""a an the and or but if then so of to in on at for with by from as is are was were be been being do does did
have has had i you we they he she it this that these those what which who whom how why when where would could should can
will shall may might must not no yes your our my me us them their there here about into over under than too very just
also any some more most much many such own same other only each few both all s t don't i'm it's let's okay ok well
really think know like please thanks thank get got make go going want tell say said""".split())


@lru_cache(maxsize=1)
def _rules() -> dict:
    raw = load_toml(INTENTS_FILE)
    compiled = {k: [re.compile(rx, re.I) for rx in raw[k]] for k in ("end", "skip", "repeat", "hint", "dont_know", "abusive", "clarify_terms")}
    compiled["question_start"] = [re.compile(raw["question_start"], re.I)]
    compiled["short_words"] = raw.get("short_words", 12)
    return compiled


def _any(kind: str, text: str) -> bool:
    return any(rx.search(text) for rx in _rules()[kind])


def content_words(text: str) -> set[str]:
    """Lower-cased content words (crudely stemmed) for topic overlap."""
    return {w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


_VOCAB: dict[str, frozenset[str]] = {}


def _question_vocabulary(question: Question) -> frozenset[str]:
    if question.id not in _VOCAB:
        parts = [question.text, question.section] + [p.summary() for p in question.parts]
        _VOCAB[question.id] = frozenset(content_words(" ".join(parts)))
    return _VOCAB[question.id]


def is_question(text: str) -> bool:
    """Does the message ask something (a '?' or an interrogative opening)?"""
    return "?" in text or _any("question_start", text.strip())


def classify(message: str, question: Question | None) -> Intent:
    """The intent of ``message`` while ``question`` is being asked."""
    text = " ".join(message.split())
    if not text:
        return "empty"
    words = len(text.split())
    short = words <= _rules()["short_words"]
    if _any("abusive", text) and (short or words < 40):
        return "abusive"
    for kind in ("end", "skip", "repeat", "hint"):
        if short and _any(kind, text):
            return kind  # type: ignore[return-value]
    if short and _any("dont_know", text):
        return "dont_know"
    if is_question(text) and words <= CLARIFY_MAX_WORDS and _mostly_questions(text):
        if _any("clarify_terms", text):
            return "clarify"
        vocab = _question_vocabulary(question) if question is not None else frozenset()
        if not (content_words(text) & vocab):
            return "off_topic"
        return "clarify"  # a question about the problem itself: answered as "your call"
    return "answer"


def _mostly_questions(text: str) -> bool:
    """At least half the sentences are questions: "X? I'd use Y." counts, an essay with one "?" doesn't."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    asks = sum(s.rstrip().endswith("?") or bool(_rules()["question_start"][0].search(s)) for s in sentences)
    return asks * 2 >= len(sentences)


def split_clarifying(text: str) -> tuple[str, str]:
    """A clarifying turn as (its questions, any statement besides them): "How many users? I'd
    assume 10M." asks one thing and states an assumption, which is graded; the question is not."""
    sentences = [x.strip() for x in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if x.strip()]
    asks = [x for x in sentences if x.endswith("?") or _rules()["question_start"][0].search(x)]
    said = [x for x in sentences if x not in asks and len(x.split()) >= 4]
    return " ".join(asks) or text, " ".join(said)
