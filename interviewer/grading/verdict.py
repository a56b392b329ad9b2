"""Turning dimension scores into a level verdict, strengths, confidence and an outline."""
from __future__ import annotations

import re

from interviewer.dimensions import is_cross
from interviewer.grading.scorecard import DimensionScore, PointResult
from interviewer.rubric import Rubric, load_cross_cutting


def level_verdict(overall: float | None, dims: list[DimensionScore], flags: list[str], hints_used: int = 0) -> tuple[str, list[str]]:
    """below senior / senior / staff, with the reasons a candidate can act on."""
    if overall is None:
        return "not assessed", ["No dimension could be assessed from what was asked."]
    by_id = {d.id: d for d in dims if d.assessed}
    reasons: list[str] = []
    trade = by_id.get("tradeoffs")
    example = by_id.get("example")
    if "no_substance" in flags:  # the floor: empty, gibberish
        return "below senior", ["No substantive answer was given."]
    if "fluent_filler" in flags:  # full sentences of generalities: a 1, or 2 where one point survives
        stated = "no framework point is stated" if overall <= 1.0 else "at most one framework point is stated"
        return "below senior", [f"Overall {overall:.1f}/5: mostly general statements; {stated}."]
    if overall >= 4.5 and (trade is None or (trade.score or 0) >= 4) and (example is None or (example.score or 0) >= 4) and hints_used == 0:
        # Only what was assessed: against a factual reference neither habit is asked for.
        shown = [what for d, what in ((trade, "explicit trade-offs"), (example, "a concrete example with outcomes")) if d is not None]
        reasons.append(f"Overall {overall:.1f}/5 with {' and '.join(shown)}." if shown else f"Overall {overall:.1f}/5: the points asked for are stated.")
        return "staff", reasons
    if overall >= 3.5:
        reasons.append(f"Overall {overall:.1f}/5: " + ("the framework is mostly covered." if trade or example else "the points asked for are mostly stated."))
        if trade is not None and (trade.score or 0) < 4:
            reasons.append("Staff level needs explicit trade-offs (what you gave up and why).")
        if example is not None and (example.score or 0) < 4:
            reasons.append("Staff level needs a concrete example from your experience with measurable outcomes.")
        if hints_used:
            reasons.append(f"{hints_used} hint(s) were used.")
        return "senior", reasons
    weak = [d.title for d in dims if d.assessed and (d.score or 0) <= 2]
    reasons.append(f"Overall {overall:.1f}/5 is below the senior bar (3.5)." + (f" Weakest: {', '.join(weak[:3])}." if weak else ""))
    return "below senior", reasons


def strengths(dims: list[DimensionScore], limit: int = 5) -> list[str]:
    """The strongest covered points, in the candidate's favour."""
    covered = [(p.strength, d.title, p.text) for d in dims if d.assessed for p in d.points if p.status == "covered"]
    covered.sort(key=lambda x: (-x[0], x[1], x[2]))
    return [f"{title}: {text}" for _, title, text in covered[:limit]]


def confidence(rubric: Rubric, dims: list[DimensionScore], flags: list[str]) -> tuple[str, list[str]]:
    """How much to trust this scorecard, and why."""
    reasons = []
    if rubric.source == "none":
        reasons.append("No reference answer: only cross-cutting qualities and relevance could be judged.")
    if "non_english" in flags:
        reasons.append("The answer is not in English.")
    if "truncated" in flags:
        reasons.append("The answer was truncated.")
    if not all(d.assessed for d in dims):
        reasons.append("Some dimensions were not assessed.")
    if rubric.source == "none" or "non_english" in flags:
        return "low", reasons
    # Never "high": the offline grader's agreement with blind labels (OFFLINE_AGREEMENT, from
    # evals/CALIBRATION.md) leaves room for errors of a point or more.
    return "medium", reasons + [REFERENCE_AGREEMENT if rubric.source == "reference" else OFFLINE_AGREEMENT]


OFFLINE_AGREEMENT = ("Offline grader: on answers by writers it had not seen, its overall was within ±1 of the human "
                     "score for 94–100 % of answers depending on the writer (all 112 answers of the latest untouched batch); an answer that uses the right terms wrongly, or without saying "
                     "what they do, can be over-credited, so read the quoted evidence.")


# From evals/asag/reference_path.md (python -m evals.reference_asag).
REFERENCE_AGREEMENT = ("Offline grader against your reference: on 7,093 real student answers (SemEval-2013 test) its overall "
                       "correlated 0.47 with the human correct / incorrect label (a plain similarity of answer and reference: "
                       "0.37). It reads whether each point of your reference is stated, not whether a claim is true, so read the "
                       "quoted evidence.")

QUOTE_WORDS = 22
# Where a missing habit's prompt goes in the outline: clarifying first, the rest after the answer.
_FIRST = ("clarify",)


def short_quote(quote: str) -> str:
    """``quote`` on one line, cut to :data:`QUOTE_WORDS` words (with "…" when cut)."""
    words = " ".join(quote.split()).split(" ")
    return " ".join(words[:QUOTE_WORDS]) + ("…" if len(words) > QUOTE_WORDS else "")


def named_category(topic: str, dimension_title: str) -> str:
    """A one-word category under a "… Metrics" part is that kind of metric: "Infrastructure: CPU,
    memory, disk, network" under "Key Metrics" is asked about as "Infrastructure metrics" ("How
    would you handle infrastructure?" asks about something else)."""
    if len(topic.split()) == 1 and dimension_title.lower().split()[-1:] == ["metrics"]:
        return f"{topic} metrics"
    return topic


def _topic(point_text: str, dimension_title: str = "") -> str:
    """A rubric point as a short prompt topic: its label ("Geographic distribution"), without the
    parenthetical examples ("Automated testing (unit, integration, e2e)" → "Automated testing")."""
    head = re.split(r":\s", point_text, maxsplit=1)[0]
    return named_category(re.sub(r"\s*\([^)]*\)", "", head).strip() or point_text, dimension_title)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9+#-]+", text.lower()) if len(w) > 2}


def answer_words(text: str) -> set[str]:
    """The words an answer uses, as :func:`names_topic` and the outline compare them."""
    return _words(text)


def repeats_topic(words: set[str], asked: list[set[str]]) -> bool:
    """The same topic as an earlier prompt: one's words hold the other's ("Monitoring" and
    "Monitoring and metrics"; "Fraud detection" and "Fraud detection, database layer and external
    APIs")."""
    return bool(words) and any(words <= a or a <= words for a in asked)


def _named(topic: str) -> str:
    """What a candidate names when they say a topic: the topic without its purpose ("Consistent
    hashing for data distribution" is named by "consistent hashing so keys spread evenly")."""
    return re.split(r"\s+for\s+", topic, maxsplit=1)[0]


def names_topic(title: str, point_text: str, said: set[str]) -> bool:
    """Does an answer whose words are ``said`` name this point's topic ("consistent hashing so keys
    spread evenly" names "Consistent hashing for data distribution": the topic's purpose and the
    dimension's title words aside)? Naming is not stating: a point the matcher did not credit stays
    missing, and the card says it was named rather than prompting for it as if it were absent."""
    if "\u2192" in point_text:
        return False  # a diagram line asks for the architecture as a whole
    topic = _topic(point_text)
    words, named = _words(topic) - _words(title), _words(_named(topic)) - _words(title)
    return bool(words) and (words <= said or bool(named) and named <= said) or names_an_example(point_text, said)


def names_an_example(point_text: str, said: set[str], words=None) -> bool:
    """Does the answer name one of the point's own examples, every word of one item of its
    parentheses ("we have to be PCI DSS compliant" names "Security: Compliance requirements (PCI
    DSS)"; "Terraform" names "Infrastructure as Code (Terraform, ARM)")? An instance of the topic,
    said in the guide's own word for it, names the topic. ``words`` splits an item the way
    ``said`` was made (default: this module's)."""
    items = (item for group in re.findall(r"\(([^)]*)\)", point_text) for item in group.split(","))
    return any(ws and ws <= said for ws in map(words or _words, items))


# Left out when comparing one rubric point's topic with another's ("Consistent hashing *for* data
# distribution" is named by "Consistent Hashing: For even data distribution").
_LINKING = frozenset("and for with the from into via per".split())


def _stated(dims: list[DimensionScore], stated_from: float | None = None) -> list[tuple[DimensionScore, PointResult, set[str]]]:
    """Every stated (covered or partial) framework point, with its words. Not a diagram line:
    crediting "Consistent Hashing → Data Distribution → Replication" as an architecture does not
    mean each of its boxes was stated. With ``stated_from`` (:attr:`Scorecard.stated_from`), also
    the points of parts not assessed (not asked about yet) that the matcher read as stated."""
    return [(d, p, _words(p.text) - _LINKING) for d in dims if not is_cross(d.id)
            for p in d.points if "\u2192" not in p.text
            and (p.status != "missing" if d.assessed else stated_from is not None and p.strength >= stated_from)]


def stated_topics(dims: list[DimensionScore]) -> list[set[str]]:
    """The words of every stated (covered or partial) framework point (see :func:`_stated`)."""
    return [words for _, _, words in _stated(dims)]


def stated_elsewhere(topic_words: set[str], stated: list[set[str]]) -> bool:
    """Is this missing point's idea stated under another of the guide's ids for it? The guide
    repeats some ideas in two parts (consistent hashing is cache 1.2 and 3.1, circuit breakers
    service-to-service 1.3 and 3.4); the answer said it, whichever id the matcher credited."""
    words = topic_words - _LINKING
    return bool(words) and any(words <= n for n in stated)


def _elaborates(detail: str, headline: str) -> bool:
    """Is ``detail`` ("Monitoring: Hit rates, latency, memory usage") the guide's elaboration of
    the headline point ``headline`` ("Monitoring and metrics")? A guide lists topics in one part and
    spells each out as "Topic: details" in another; the headline starts with that topic. Stating
    the details states the headline (the converse does not hold)."""
    head = re.split(r":\s", detail, maxsplit=1)
    if len(head) < 2 or ":" in headline:
        return False
    topic, line = " ".join(head[0].lower().split()), " ".join(headline.lower().split())
    if not _words(topic) or not line.startswith(topic):
        return False
    # The whole topic, then nothing, an aside or a linking word: "Cache: Redis" does not
    # elaborate "Cache invalidation and expiration".
    rest = line[len(topic):].strip()
    return not rest or rest[0] in "(,;" or rest.split(" ", 1)[0] in _LINKING


def stated_under(dims: list[DimensionScore], stated_from: float | None = None) -> dict[tuple[str, str], tuple[DimensionScore, PointResult]]:
    """(dimension id, point id) of each missing framework point whose idea the answer stated
    under another of the guide's ids → that dimension and point. Either the other point holds the
    whole of this one ("Consistent Hashing: For even data distribution" holds "Consistent hashing
    for data distribution": the whole point is compared, so "Cache Invalidation: TTL, LRU,
    write-through/back" is not held by "Cache invalidation and expiration"), or it is this
    headline's elaboration (:func:`_elaborates`). The checklist shows these as "stated under …"
    rather than ✗, the missing-points list leaves them out and the interviewer does not ask about
    them; the score is the matcher's and is unchanged. ``stated_from``: see :func:`_stated` (in an
    interview's requirements phase, "we watch hit rate and p99 latency" states the headline
    "Monitoring and metrics" through the implementation part's "Monitoring: Hit rates, latency")."""
    stated = _stated(dims, stated_from)
    out: dict[tuple[str, str], tuple[DimensionScore, PointResult]] = {}
    for d in dims:
        if not d.assessed or is_cross(d.id):
            continue
        for p in d.points:
            words = _words(p.text) - _LINKING
            if p.status != "missing" or "\u2192" in p.text or not words:
                continue
            where = next(((sd, sp) for sd, sp, n in stated if words <= n or _elaborates(sp.text, p.text)), None)
            if where is not None:
                out[(d.id, p.id)] = where
    return out


def gap_points(dims: list[DimensionScore], stated_from: float | None = None) -> list[tuple[DimensionScore, PointResult]]:
    """(dimension, point) for every missing point the answer did not state under another id
    (:func:`stated_under`)."""
    elsewhere = stated_under(dims, stated_from)
    return [(d, p) for d in dims if d.assessed for p in d.points if p.status == "missing" and (d.id, p.id) not in elsewhere]


def outline(rubric: Rubric, dims: list[DimensionScore], text: str = "", stated_from: float | None = None) -> list[str]:
    """The candidate's own answer, improved: what they said, quoted in the order they said it;
    each framework point they did not state as a short prompt after the part of the answer it
    belongs to; a missing habit (clarifying, trade-offs, an example, specifics) as one prompt.
    Never a prompt whose topic words ``text`` (the answer) already uses (its purpose, "for data
    distribution", aside), never the same topic twice, and no rubric checklist."""
    said = _words(text)
    prompts = {k: v.get("outline_prompt", "") for k, v in load_cross_cutting().items() if isinstance(v, dict)}
    spans: list[tuple[int, int, str]] = []
    for d in dims:
        if not d.assessed:
            continue
        for p in d.points:
            if p.status != "missing" and p.evidence is not None:
                quote = short_quote(p.evidence.quote)
                if all(quote != q for _, _, q in spans):
                    spans.append((p.evidence.start, p.evidence.end, quote))
    # A quote inside a longer quote is one step, not two. Compared by position in the answer: a
    # long sentence's quote is shortened ("…"), so its clause is no longer a substring of it.
    quoted = [(float(a), q) for a, b, q in spans
              if not any((a2, b2) != (a, b) and a2 <= a and b <= b2 for a2, b2, _ in spans)]
    steps: list[tuple[float, str]] = [(at, f"\u201c{q}\u201d") for at, q in quoted]
    end = max((at for at, _ in steps), default=0.0)
    asked: list[set[str]] = []
    stated = stated_topics(dims)
    elsewhere = stated_under(dims, stated_from)
    for i, d in enumerate(dims):
        if not d.assessed:
            continue
        if is_cross(d.id):
            if not any(p.status != "missing" for p in d.points) and prompts.get(d.id):
                steps.append((-1.0 - i * 1e-3 if d.id in _FIRST else end + 1000 + i, prompts[d.id]))
            continue
        said_at = [float(p.evidence.start) for p in d.points if p.status != "missing" and p.evidence is not None]
        anchor = max(said_at) if said_at else end + 1 + i
        # Never a prompt for a point the checklist shows as stated under another (stated_under);
        # the topic test below is looser still (a stated "Cache invalidation and expiration" ends
        # the prompts about cache invalidation, though the gaps list keeps its details).
        missing = [x for x in d.points if x.status == "missing" and (d.id, x.id) not in elsewhere]
        # A diagram part ("Client → Load Balancer → Cache") asks for the architecture as a whole.
        topics = [f"{d.title}: the components and how they connect" if "→" in x.text else _topic(x.text, d.title) for x in missing]
        for j, topic in enumerate(dict.fromkeys(topics)):
            words = _words(topic) - _words(d.title) if "→" not in topic else {topic}
            named = "→" not in topic and any(names_topic(d.title, x.text, said) for x, t in zip(missing, topics) if t == topic)
            if not words or named or repeats_topic(words, asked):
                continue  # said already, or the same topic as an earlier prompt ("Monitoring" / "Monitoring and metrics")
            if "\u2192" not in topic and stated_elsewhere(words, stated):
                continue  # the same idea under another of its ids, stated
            asked.append(words)
            # A reference's point is often a whole sentence: it is the prompt as it stands.
            steps.append((anchor + (j + 1) * 1e-3, topic if topic.endswith((".", "?", "!")) else f"{topic}?"))
    return [step for _, step in sorted(steps, key=lambda x: x[0])]
