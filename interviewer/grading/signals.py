"""Surface signals that back up the semantic match: reasoning, stories, outcomes, trade-offs.

Markers live in ``prompts/rubric/cross_cutting.toml``; this module only compiles and
applies them. Pure functions over :class:`Unit` lists.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import lru_cache

from interviewer.grading.text import Unit
from interviewer.rubric import expand_abbreviations, load_cross_cutting

_NUMBER = re.compile(r"(?<![\w/])\d+(?:[.,]\d+)?\s?(?:%|x\b|ms\b|s\b|k\b|K\b|M\b|B\b|GB|TB|MB|million|billion|users|rps|qps|tps|req|requests|nodes|servers|engineers|people|weeks?|months?|days?|hours?|minutes?|mins?|seconds?|nines)?")
_YARDSTICK = re.compile(r"\b(whether|if)\b", re.I)
_SCORE_LIKE = re.compile(r"\b\d+\s*/\s*\d+\b|\b(?:score|grade|rating)\b", re.I)
_STOP_CAPS = set("I The A An And But So Then We It This That My Our When If For To In On At As Or Also Plus Just Not First Second Third Finally Yes No Ok Okay".split())


@lru_cache(maxsize=1)
def _markers() -> dict[str, list[re.Pattern]]:
    spec = load_cross_cutting()
    out = {k: [re.compile(rx, re.I) for rx in v] for k, v in spec["markers"].items()}
    out |= {f"may_{k}": [re.compile(rx, re.I) for rx in v] for k, v in spec.get("may_mention", {}).items()}
    return out


def matches(kind: str, text: str) -> bool:
    """Does any marker of this kind occur in ``text``?"""
    return any(rx.search(text) for rx in _markers()[kind])


def has_reason(text: str) -> bool:
    return matches("reason", text)


# A number relates terms ("<10 min", "5%"); a digit inside a name ("e2e", "OAuth2") does not.
_RELATIONAL = re.compile(r"->|→|=>|<-|\(|\)|(?<![A-Za-z0-9])\d|\bw/|\bvia\b|\bper\b|\?", re.I)


def relational(sentence: str) -> bool:
    """Terse notes relate their terms with arrows, parentheses, numbers, questions or "per"/"via":
    "LB -> gateway (auth, rate limits) -> svc" is a flow, not a keyword list."""
    if _RELATIONAL.search(sentence):
        return True
    # "gw: authn, rate limiting, routing" labels a component with what it does; a colon before a
    # long run of terms ("CI: unit, SonarQube, linting, SAST, build, package") is a keyword list.
    return ":" in sentence and sentence.count(",") + sentence.count("/") <= 2


def reasoning_quality(unit: Unit, sentence: str) -> float:
    """How much a matching sentence shows understanding, 0.3-1.

    A bare term ("consistent hashing") or a comma list of terms is worth much less than
    a clause that says what the thing is for. ``sentence`` is the unit's full sentence,
    so a clause cut from a list is judged as part of the list.
    """
    words = unit.words
    sentence_words = max(len(re.findall(r"\w+", sentence)), 1)
    commas = sentence.count(",") + sentence.count("/") * 0.5
    listy = commas / sentence_words >= 0.18 and not has_reason(sentence) and not relational(sentence)
    if has_reason(unit.text) and len(words) >= 4:
        return 1.0
    if listy:
        return 0.3
    if relational(sentence) and len(words) >= 3:
        return 0.9  # a terse note that relates its terms says as much as a sentence
    if len(words) <= 2:
        return 0.35
    if len(words) <= 5:
        return 0.6
    return 0.8


_PURPOSE = re.compile(r"\b(?:for|to|so|when|if|instead|not|only|on|by|per|via|because|until|after|before|than)\b|->|→|=>|=|:", re.I)
_BULLET_LINE = re.compile(r"^\s*(?:[-*•+#]|\d+[.)])\s*")
_CHAIN = re.compile(r",|\band\b|\bplus\b|/|\s\+\s|\bwith\b|#", re.I)
_STOPWORDS = frozenset("the a an and or but to of in on for with is are was were be it this that you your we i they "
                       "so as at by from into than then when which what how also all any each can will would".split())


_ITEM_SPLIT = re.compile(r"[,;/]|\s+-\s+")


def run_on_list(sentence: str) -> bool:
    """A sentence that is mostly a run of bare items ("metrics, logging, tracing, Prometheus,
    Jaeger, ..., all of that really"): at least six comma-separated items of one to four words
    that carry no reason or relation (arrow, number, parenthesis), making up half its words or more. A "so" or "then" among the items does not
    make such a sentence reasoned."""
    items = [seg.strip() for seg in _ITEM_SPLIT.split(sentence)]
    words = [len(re.findall(r"\w+", seg)) for seg in items]
    total = sum(words)
    bare = [n for seg, n in zip(items, words) if 1 <= n <= 4 and not has_reason(seg) and not _RELATIONAL.search(seg)]
    return total >= 12 and len(bare) >= 6 and sum(bare) / total >= 0.5


def _item_lengths(sentence: str) -> list[int]:
    """Words in each item between chain separators (commas, "and", "with", slashes...)."""
    return [n for n in (len(re.findall(r"\w+", seg)) for seg in _CHAIN.split(sentence)) if n] or [0]


# The fewest items a run of bare terms needs to read as a list when fragments are left out.
LIST_ITEMS = 4


def list_stuffing_ratio(answer: str, lists_only: bool = False) -> float:
    """Share of the answer's words that are keyword stuffing (0-1): reason-less lists (commas,
    "and"-chains, slashes, hashtags), bare-term bullets or lines, buzzword-dense sentences.
    A sentence with a reason ("because", "so that", "to avoid"...) is never stuffing.
    ``lists_only`` counts runs of at least ``LIST_ITEMS`` bare terms alone: a short factual
    answer is a fragment ("Surface tension.") or a short chain ("negative and positive output"),
    not a list of terms."""
    read = list(_sentence_stuffing(answer))
    total = sum(n for _, n, _ in read)
    if lists_only:
        return sum(n for s, n, kind in read if kind == "list" and len(_item_lengths(s)) >= LIST_ITEMS) / total if total else 0.0
    return sum(n for _, n, kind in read if kind) / total if total else 0.0


def term_lists(answer: str) -> list[str]:
    """The sentences (bullet marks stripped) that are runs of bare terms — the lists of
    ``list_stuffing_ratio``, not its short fragments: "we had everything: load balancer, API
    gateway, ..., 99.99% uptime"."""
    return [sentence for sentence, _, kind in _sentence_stuffing(answer) if kind == "list"]


def stuffed_sentences(answer: str) -> list[str]:
    """The sentences (bullet marks stripped) that count as keyword stuffing: lists, bare
    fragments and buzzword-dense sentences — what :func:`list_stuffing_ratio` counts."""
    return [sentence for sentence, _, kind in _sentence_stuffing(answer) if kind]


def plain_sentences(answer: str) -> list[str]:
    """The sentences (bullet marks stripped) that are not keyword stuffing: the rest of the answer."""
    return [sentence for sentence, _, kind in _sentence_stuffing(answer) if not kind]


def _sentence_stuffing(answer: str):
    """(sentence, words, stuffing kind or None) for each sentence of the answer."""
    for line in answer.split("\n"):
        bullet = bool(_BULLET_LINE.match(line))
        for sentence in re.split(r"(?<=[.!?;])\s+", line):
            sentence = _BULLET_LINE.sub("", sentence).strip()
            n = len(re.findall(r"\w+", sentence))
            if n:
                yield sentence, n, _stuffing_kind(sentence, n, bullet)


def _stuffing_kind(sentence: str, n: int, bullet: bool) -> str | None:
    """How one sentence of ``n`` words (a bullet line's if ``bullet``) is keyword stuffing: a
    "list" of bare terms, a "fragment", a buzzword-"dense" sentence; None if it is not."""
    # A relation ("->", a number, "via") makes a note reasoned — unless nearly every other
    # word is a separator: "PCI DSS, OAuth2, ..., 99.99% uptime, multi-region, ..." is a list.
    listed = (sentence.count(",") + 0.5 * sentence.count("/") + sentence.count("#")) / n >= 0.45
    if run_on_list(sentence):
        return "list"
    if (has_reason(sentence) or relational(sentence) and not listed) and n >= 5:
        return None
    # A terse note that says what a term is for ("replicas for HA", "star schema: facts +
    # dimensions") is a note, not a keyword list: register never costs points.
    note = (n <= 4 or bullet and n <= 8) and bool(_PURPOSE.search(sentence))
    # Joined clauses ("break it into milestones, estimate with the team using ranges, add a
    # buffer for unknowns, ...") are prose; a chain of one- to three-word items is a list.
    if n >= 4 and len(_CHAIN.findall(sentence)) / n >= (0.4 if note else 0.2) and statistics.median(_item_lengths(sentence)) <= 3:
        return "list"
    if n <= 2 or ((n <= 4 or bullet and n <= 8) and not note):
        return "fragment"
    if n >= 4 and not note and len(named_terms(sentence)) / n >= 0.3:
        return "dense"
    return None


def repetitiveness(answer: str) -> float:
    """Share of content-word pairs that repeat an earlier pair (0-1): saying the same terms
    over and over ("consistent hashing and replication give you consistent hashing...")."""
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", answer)]
    content = [w for w in words if w not in _STOPWORDS and len(w) > 2]
    pairs = list(zip(content, content[1:]))
    if len(pairs) < 8:
        return 0.0
    return 1.0 - len(set(pairs)) / len(pairs)


@dataclass
class Signal:
    """A cross-cutting point's credit (0, 0.5 or 1) and the unit that earned it."""

    credit: float
    unit: Unit | None


# Clarifying comes *before* designing (the labelling rules): only the answer's opening counts —
# its first two units and anything starting in its first third.
OPENING_SHARE = 1 / 3


def opening(units: list[Unit]) -> list[Unit]:
    """The units that open the answer."""
    if not units:
        return []
    begin, end = units[0].start, max(u.end for u in units)
    cut = begin + (end - begin) * OPENING_SHARE
    return [u for i, u in enumerate(units) if i < 2 or u.start < cut]


# A component that "asks" is describing the design, not the candidate clarifying it: "GraphQL is one
# endpoint where the client asks for the data it needs" opened 13 dev answers whose labels give no
# clarifying credit.
_COMPONENT_ASKS = re.compile(r"\b(?:client|frontend|browser|caller|consumer|app|query|server|service)s?\s+(?:just\s+|only\s+)?ask(?:s|ed)?\b", re.I)


def clarify_signals(units: list[Unit], behavioural: bool) -> list[Signal]:
    """Point 1: asks/assumes before designing; point 2: names constraints — both in the opening."""
    kind = "clarify_behavioural" if behavioural else "clarify"
    units = opening(units)
    said = [(u, _COMPONENT_ASKS.sub(" ", u.text)) for u in units]
    hits = [u for u, t in said if matches(kind, t) and not _SCORE_LIKE.search(u.text)]
    first = hits[0] if hits else None
    asks = next((u for u, t in said if "?" in t or re.search(r"\b(ask|clarif|assum|gather|listen|understand|confirm)", t, re.I)), None)
    p1 = Signal(1.0 if asks and first else (0.5 if first else 0.0), asks or first)
    p2 = Signal(1.0 if len(hits) >= 2 else (0.5 if hits else 0.0), hits[1] if len(hits) >= 2 else first)
    return [p1, p2]


def tradeoff_signals(units: list[Unit]) -> list[Signal]:
    """Point 1: compares alternatives; point 2: names a cost or downside."""
    compare = [u for u in units if matches("tradeoffs_compare", u.text)]
    cost = [u for u in units if matches("tradeoffs_cost", u.text) and len(u.words) >= 4]
    p1 = Signal(1.0 if len(compare) >= 2 or (compare and has_reason(compare[0].text)) else (0.5 if compare else 0.0), compare[0] if compare else None)
    p2 = Signal(1.0 if len(cost) >= 2 else (0.5 if cost else 0.0), cost[0] if cost else None)
    return [p1, p2]


def specifics_signals(units: list[Unit], exclude: str = "") -> list[Signal]:
    """Point 1: distinct concrete numbers; point 2: named technologies with a reason."""
    numbers: dict[str, Unit] = {}
    techs: dict[str, Unit] = {}
    for u in units:
        if _SCORE_LIKE.search(u.text):
            continue  # "5/5", "score: 5" are not specifics
        for m in _NUMBER.finditer(u.text):
            if m.group(0).strip() and (m.group(0)[-1:].isalpha() or "%" in m.group(0) or len(m.group(0).strip()) >= 2):
                numbers.setdefault(m.group(0).strip().lower(), u)
        if has_reason(u.text) or relational(u.text):
            for term in named_terms(u.text, exclude):
                techs.setdefault(term, u)
    n, t = len(numbers), len(techs)
    p1 = Signal(1.0 if n >= 2 else (0.5 if n == 1 else 0.0), next(iter(numbers.values()), None))
    p2 = Signal(1.0 if t >= 2 else (0.5 if t == 1 else 0.0), next(iter(techs.values()), None))
    return [p1, p2]


def may_mention(dimension: str, units: list[Unit]) -> bool:
    """Might these units already show this cross-cutting habit? A wide net (recall, not
    precision) for the interviewer, which must not ask for what was just said; never a score.

    ``dimension`` is a cross-cutting dimension id: clarify (read in the opening only, like the
    score), tradeoffs, or specifics (any number or named technology); the example dimension's own
    detector is already a wide net (its follow-ups almost never re-ask), so it answers False.
    """
    if dimension == "specifics":
        return any(re.search(r"\d", u.text) or named_terms(u.text) for u in units)
    if dimension == "clarify":
        units = opening(units)
        return any(matches("clarify", u.text) or matches("may_clarify", u.text) for u in units)
    if dimension == "tradeoffs":
        return any(matches("tradeoffs_compare", u.text) or matches("tradeoffs_cost", u.text) or matches("may_tradeoffs", u.text)
                   for u in units)
    return False


def _story_outcome(story: Unit, outcomes: list[Unit]) -> Unit:
    """The outcome to quote: the last one in or after the story (a story ends with what it
    achieved), else the last. The first unit with a number is often the design ("canary, 5 % of
    traffic for 15 min"), not the result: quoting the first cited the labelled example text for
    53 % of the fitting answers' examples, the last 90 % (evals/CALIBRATION.md). Credit does not
    depend on the choice."""
    return ([u for u in outcomes if u.end > story.start] or outcomes)[-1]


def example_signals(units: list[Unit]) -> list[Signal]:
    """Point 1: a first-person story; point 2: its measurable outcome (anywhere in the answer,
    since "it cut p99 by 40%" rarely repeats what the story was about)."""
    stories = [u for u in units if matches("story", u.text)]
    outcomes = [u for u in units if (matches("outcome", u.text) or matches("outcome_number_words", u.text))
                and not _SCORE_LIKE.search(u.text)]
    with_metric = [u for u in outcomes if re.search(r"\d", u.text) or matches("outcome_number_words", u.text)]
    # "I judged success by whether people got promoted" names a yardstick, not what happened.
    in_words = [u for u in units if matches("outcome_words", u.text) and not _YARDSTICK.search(u.text)]
    # The labelling rules credit an example only with its outcome (metrics): a story alone is
    # a style (first person), not yet evidence, so on its own it earns little.
    if stories and with_metric:
        p1, p2 = Signal(1.0, stories[0]), Signal(1.0, _story_outcome(stories[0], with_metric))
    elif stories and in_words:
        # The rules ask for "an outcome or metrics": a story whose concrete outcome is said in words
        # ("release frequency rose from fortnightly to daily", "the problem didn't happen again")
        # has its outcome. The labels agree: 79 % of such dev answers have `4` covered, 6 % partial.
        p1, p2 = Signal(1.0, stories[0]), Signal(1.0, _story_outcome(stories[0], in_words))
    elif stories and outcomes:
        p1, p2 = Signal(0.5, stories[0]), Signal(0.25, _story_outcome(stories[0], outcomes))
    elif stories:
        p1, p2 = Signal(0.25, stories[0]), Signal(0.0, None)
    else:
        p1 = Signal(0.0, None)
        p2 = Signal(0.25 if with_metric else 0.0, with_metric[0] if with_metric else None)
    return [p1, p2]


_CAPS_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+#.]*[A-Za-z0-9+#]|[A-Z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[-*•]\s+)$")


def named_terms(text: str, exclude: str = "") -> set[str]:
    """Acronyms (TTL, CDN), CamelCase (PostgreSQL) and capitalised names not starting a
    sentence (Kafka, Redis); words of the question itself do not count."""
    skip = {w.lower() for w in _CAPS_TOKEN.findall(exclude)}
    out = set()
    for m in _CAPS_TOKEN.finditer(text):
        word = m.group(0)
        if word in _STOP_CAPS or word.lower() in skip or len(word) < 2:
            continue
        acronym = sum(ch.isupper() for ch in word) >= 2
        capitalised = word[0].isupper() and not _SENTENCE_START.search(text[: m.start()])
        if acronym or (capitalised and len(word) >= 3):
            out.add(word.lower())
    return out


def whole_sentences(units: list[Unit]) -> list[Unit]:
    """The units that are sentences, not clauses inside one (split_units gives both)."""
    return [u for u in units if not any(o is not u and o.start <= u.start and u.end <= o.end for o in units)]


def filler_sentences(units: list[Unit], evidence) -> list[Unit]:
    """Full sentences that are no point's evidence and carry no number or named technology."""
    return [u for u, keep in zip(units, evidence) if len(u.words) >= 6 and not keep
            and not _NUMBER.search(u.text) and not named_terms(u.text)]


# Words that frame a restatement of the question ("frontend perf, what I'd do", "So REST versus
# GraphQL", "When I think about designing a distributed cache") without adding to it.
_FRAMING = frozenset("""the a an and or but so to of in on for with is are was were be it this that these you your we i i'd
i'll i'm my me us our they what how why when where which would could should will can do does did think thinking about
here let's let start talk talking basics basically overview approach answer question design designing vs versus
well ok okay right first quick quickly some thoughts general generally""".split())
_WORDLIKE = re.compile(r"[a-z][a-z0-9'-]*")


def _same_stem(a: str, b: str) -> bool:
    """Crude stem match: "perf"/"performance", "scaling"/"scale", "caches"/"cache"."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a == b or n >= min(4, len(a), len(b))


def restates_question(units: list[Unit], question: str) -> list[bool]:
    """Which units only restate the question (a heading, "So REST versus GraphQL"): every word is
    the question's own or framing. Such a unit touches no particular point, so it is never read as
    a near miss of one: a terse answer's heading "frontend perf, what I'd do" read like the near
    misses of ten points and took a third of a style-invariance answer's score."""
    asked = [w for w in _WORDLIKE.findall(expand_abbreviations(question).lower()) if w not in _FRAMING]
    out = []
    for u in units:
        words = [w for w in _WORDLIKE.findall(expand_abbreviations(u.text).lower()) if w not in _FRAMING]
        out.append(bool(words) and len(words) <= 8 and all(any(_same_stem(w, q) for q in asked) for w in words))
    return out


def confident_claims(units: list[Unit], evidence) -> list[Unit]:
    """Full sentences that are no point's evidence and make a confident claim ("always",
    "no need for", "out of the box", "guarantees"): the claims a correct answer would have
    stated as a point, and so the candidates for rule 5's "confidently wrong"."""
    return [u for u, keep in zip(units, evidence) if len(u.words) >= 6 and not keep and matches("confident_claim", u.text)]
