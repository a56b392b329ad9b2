"""Checks on the model's phrasing of a turn, before the candidate sees it and before it is kept.

The model only rephrases the engine's draft. Its reply must not reveal what the candidate
may not see (the prompts, the guide notes, the rubric's points, the guide's example answer,
the interviewer's hidden notes), must keep the question and the figures the draft carries,
and must not add figures of its own where figures matter (clarifications, the wrap-up).
A reply that fails is replaced by the draft with a one-line notice, like a failed call.

Leaks are found by word n-grams shared with the private texts but not with what the
candidate may see anyway (the draft, the transcript, the questions). :meth:`TurnGuard.safe_prefix`
holds back the last few words of a streaming reply, so a leak is caught before any of
its words are shown. Secret values (the API key) are redacted from the reply wherever
they appear, and never shown in part while they stream in.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

NGRAM = 6  # this many words in a row shared with a private text is a leak
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NOTE_SYNTAX = re.compile(r"\b(?:intent|target)\s*=", re.I)
FIGURE_MOVES = ("clarify", "wrapup")  # moves whose draft states figures that must be said exactly


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _grams(text: str, n: int = NGRAM) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _numbers(text: str) -> set[str]:
    return {m.group(0).replace(",", "") for m in _NUMBER.finditer(text)}


MIN_SECRET_CHARS = 6  # shorter "secrets" would redact ordinary words


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value (:data:`MIN_SECRET_CHARS`+ characters) replaced by a placeholder."""
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_CHARS:
            text = text.replace(secret, "[redacted]")
    return text


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


class TurnGuard:
    """What one turn's reply may and must say; build it from the turn's context."""

    def __init__(self, *, move: str, draft: str, private: Iterable[str], points: Iterable[str] = (),
                 example: Iterable[str] = (), public: Iterable[str] = (), question: str = "",
                 secrets: Iterable[str] = ()):
        self.move, self.draft = move, draft
        self.secrets = [x for x in secrets if x and len(x) >= 6]
        public = [draft, question, *public]
        allowed = set().union(*(_grams(t) for t in public))
        self.private = set().union(*(_grams(t) for t in private)) - allowed
        public_words = [_words(t) for t in public]
        # Rubric points the candidate has not seen in full: naming two of them is listing the rubric.
        self.points, self.example = ([w for w in (_words(t) for t in texts)
                                      if len(w) >= 3 and not any(_contains(pw, w) for pw in public_words)]
                                     for texts in (points, example))
        self.question = _words(question) if move == "question" else []
        self.figures = _numbers(draft) if move in FIGURE_MOVES else set()
        self.known_numbers = set().union(*(_numbers(t) for t in public))

    def leak(self, text: str) -> str:
        """Why ``text`` reveals something private ("" when it does not)."""
        if _NOTE_SYNTAX.search(text) or _grams(text) & self.private:
            return "repeated private interview material"
        words = _words(text)
        if any(_contains(words, e) for e in self.example):
            return "quoted the guide's example answer"
        if sum(_contains(words, p) for p in self.points) >= 2:
            return "listed the rubric"
        return ""

    def problem(self, text: str) -> str:
        """Why the finished reply cannot be shown ("" when it can)."""
        leak = self.leak(text)
        if leak:
            return leak
        if self.question and not _contains(_words(text), self.question):
            return "left out the question"
        said = _numbers(text)
        if self.figures - said:
            return "did not keep the draft's figures"
        if self.move in FIGURE_MOVES and said - self.known_numbers:
            return "added figures of its own"
        return ""

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def safe_prefix(self, text: str) -> str:
        """``text`` without its last :data:`NGRAM` words (the part a leak could still be starting in),
        nor the start of a secret that the next piece may complete."""
        starts = [m.start() for m in _WORD.finditer(text)]
        cut = starts[-NGRAM] if len(starts) >= NGRAM else 0
        for secret in self.secrets:
            partial = next((k for k in range(min(len(secret) - 1, len(text)), 0, -1) if text.endswith(secret[:k])), 0)
            cut = min(cut, len(text) - partial)
        return text[:cut]
