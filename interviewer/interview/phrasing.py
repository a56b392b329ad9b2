"""Offline phrasing: templates from ``prompts/interviewer/offline.toml``, filled with
rubric topics and the candidate's own words.

Variation is deterministic: a variant is chosen by hashing the session id, the turn
index and the move, so a session reads like a person yet replays identically. Rubric
points become *topics* ("cache invalidation"), never read out as a list; the guide's
example answer is never used here.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from interviewer.dimensions import is_cross
from interviewer.grading.scorecard import Scorecard
from interviewer.grading.verdict import named_category
from interviewer.interview.policy import CLAIM, Target, point_head
from interviewer.prompting import load_toml, render_string

OFFLINE_FILE = "interviewer/offline.toml"
QUOTE_WORDS = 12
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9/&.+-]*[A-Z0-9]?$|[a-z][A-Z]")


def join(*parts: str) -> str:
    """Pieces of a turn joined by single spaces (templates carry no trailing spaces)."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def phrases() -> dict:
    return load_toml(OFFLINE_FILE)


def variants(path: str) -> list[str]:
    """The variants at a dotted path, e.g. ``"followup.framework"``."""
    node = phrases()
    for part in path.split("."):
        node = node[part]
    return node if isinstance(node, list) else node["variants"]


def say(path: str, seed: str, **values) -> str:
    """Render one variant of ``path``, chosen by ``seed`` (session id + turn + move)."""
    options = variants(path)
    index = int(hashlib.sha256(f"{seed}|{path}".encode()).hexdigest(), 16) % len(options)
    return render_string(options[index], where=f"prompts/{OFFLINE_FILE} [{path}]", **values)


@lru_cache(maxsize=1)
def _topic_rules() -> tuple[frozenset[str], frozenset[str]]:
    raw = phrases()["topics"]
    return frozenset(v.lower() for v in raw["verbs"]), frozenset(raw["keep_case"])


def _sentence_case(words: list[str], all_words: bool) -> str:
    _, keep = _topic_rules()
    out = []
    for i, w in enumerate(words):
        pieces = w.split("-")
        titled = bool(pieces[0]) and pieces[0][:1].isupper() and pieces[0][1:] == pieces[0][1:].lower()
        rest_ok = all(p == p.lower() or (p[:1].isupper() and p[1:] == p[1:].lower()) for p in pieces[1:])
        if (all_words or i == 0) and titled and rest_ok and not _ACRONYM.search(w) and w not in keep:
            w = w.lower()
        out.append(w)
    return " ".join(out)


def topic_of(point_text: str, dimension_title: str = "") -> tuple[str, str]:
    """A rubric point as something to ask about: (phrase, form) with form noun/verb/diagram.
    ``dimension_title``: the framework part it sits under, which names what a one-word category is."""
    if "→" in point_text:
        parts = [_sentence_case(p.strip().split(), True) for p in point_text.split("→") if p.strip()]
        return (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]), "diagram"
    head = point_head(point_text)
    head = re.sub(r"\s*\([^)]*\)", "", head).strip().rstrip(".")
    words = head.split()
    verbs, _ = _topic_rules()
    if words and words[0].lower() in verbs:
        return _sentence_case(words, False), "verb"
    return named_category(_sentence_case(words, head != point_text), dimension_title), "noun"


def short_quote(text: str) -> str:
    """At most a dozen of the candidate's words, trimmed at a word boundary."""
    words = " ".join(text.replace("“", "").replace("”", "").replace('"', "").split()).split(" ")
    quote = " ".join(words[:QUOTE_WORDS]).rstrip(",;:.!?")
    return quote + ("…" if len(words) > QUOTE_WORDS else "")


def grounded(point_text: str, quote: str) -> bool:
    """Does the quote share a word stem (first five letters) with the point's topic?"""
    from interviewer.interview.intents import content_words

    stems = {w[:5] for w in content_words(quote)}
    return any(w[:5] in stems for w in content_words(point_head(point_text)) if len(w) >= 4)


def acknowledgement(card: Scorecard | None, newly_covered: list[str], seed: str, lead: str | None) -> str:
    """How a follow-up opens: the lead-in, else what was just covered, else their own words."""
    if lead in ("dont_know", "duplicate", "general"):
        return say(f"ack.{lead}", seed)
    # Only noun topics read well as "you covered ..." (not "gather all perspectives" or a diagram row).
    topics = list(dict.fromkeys(topic for topic, form in map(topic_of, newly_covered) if form == "noun"))[:2]
    if topics:
        return say("ack.covered", seed, covered=" and ".join(topics))
    if card is not None:
        evidence = sorted(((p.strength, p.evidence.quote) for d in card.dimensions if d.id.startswith("part")
                           for p in d.points if p.status == "covered" and p.evidence and grounded(p.text, p.evidence.quote)),
                          reverse=True)
        if evidence:
            return say("ack.quote", seed, quote=short_quote(evidence[0][1]))
    return say("ack.plain", seed)


def followup(target: Target, ack: str, seed: str, behavioural: bool) -> str:
    """A follow-up question on ``target``, opened by ``ack``."""
    if target.dimension_kind == CLAIM:
        return say("followup.claim", seed, ack=ack, quote=short_quote(target.point_text))
    if is_cross(target.dimension_id):
        key = target.dimension_id + ("_behavioural" if behavioural else "")
        return say(f"followup.{key}", seed, ack=ack)
    topic, form = topic_of(target.point_text, target.dimension_title)
    key = {"verb": "framework_verb", "diagram": "diagram"}.get(form, "framework_behavioural" if behavioural else "framework")
    return say(f"followup.{key}", seed, ack=ack, topic=topic)


def hint(target: Target | None, seed: str) -> str:
    """A hint towards ``target`` (a dimension and a topic), or general advice when no gap is left."""
    if target is None:
        return say("hint.none", seed)
    if is_cross(target.dimension_id):
        topic = target.point_text[0].lower() + target.point_text[1:]
    else:
        topic = topic_of(target.point_text, target.dimension_title)[0]
    return say("hint", seed, dimension=_sentence_case(target.dimension_title.split(), True), topic=topic)


def clarify_answer(pairs: list[tuple[str, str]], seed: str, rest_open: bool = False) -> str:
    """The interviewer's reply to a clarifying question, with the session's figures; ``rest_open``:
    the message also asked something no figure answers, which is left to the candidate."""
    if not pairs:
        return say("clarify_answer.unknown", seed)
    facts = " ".join(say("clarify_answer.fact", seed, label=label, value=value) for label, value in pairs)
    return say("clarify_answer.known_and_open" if rest_open else "clarify_answer.known", seed, facts=facts)


def summary(answered: int, asked: int, overall: float | None, level: str, seed: str) -> str:
    """One sentence with the computed overall and level for the wrap-up turn."""
    if overall is None:
        return say("wrapup.summary_none", seed)
    return say("wrapup.summary", seed, answered=answered, asked=asked, overall=f"{overall:.1f}/5", level=level)
