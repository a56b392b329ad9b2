"""Rubrics: what a good answer covers, as data built from the guide (or a reference answer).

Pure code: the cross-cutting wording is read from ``prompts/rubric/cross_cutting.toml``
by :func:`load_cross_cutting`, everything else is derived from the typed guide.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from interviewer.dimensions import BY_ID, QUESTION_ONLY_CROSS_IDS, REFERENCE_CROSS_IDS, DimensionKind
from interviewer.guide.model import FrameworkPart, Question

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


class RubricPoint(BaseModel):
    """One thing a good answer says, with the guide section it comes from."""

    id: str
    text: str
    citation: str
    probes: list[str] = Field(default_factory=list, description="Texts compared with the answer's sentences.")


class Dimension(BaseModel):
    """A scored dimension of the rubric, e.g. a framework part or 'Weighs trade-offs'."""

    id: str
    title: str
    kind: DimensionKind
    points: list[RubricPoint]
    citation: str = ""


class Rubric(BaseModel):
    """Everything the grader needs to judge one question."""

    question: str
    question_id: str = ""
    track: str = ""
    behavioural: bool = False
    dimensions: list[Dimension]
    source: Literal["guide", "reference", "none"] = "guide"
    not_assessed: frozenset[str] = Field(default_factory=frozenset, description="Dimensions this question does not ask for.")

    def dimension(self, dim_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dim_id)

    @property
    def points(self) -> list[tuple[Dimension, RubricPoint]]:
        return [(d, p) for d in self.dimensions for p in d.points]


@lru_cache(maxsize=1)
def load_cross_cutting(path: Path | None = None) -> dict:
    """The cross-cutting dimension wording (clarify, trade-offs, specifics, example)."""
    with open(path or PROMPTS_DIR / "rubric" / "cross_cutting.toml", "rb") as fh:
        return tomllib.load(fh)


_DIAGRAM_NODE = re.compile(r"\[([^\]]+)\]")


@lru_cache(maxsize=1)
def load_glossary(path: Path | None = None) -> dict[str, str]:
    """Plain-language meanings of the guide's terms (``prompts/rubric/glossary.toml``)."""
    file = path or PROMPTS_DIR / "rubric" / "glossary.toml"
    if not file.exists():
        return {}
    with open(file, "rb") as fh:
        return {k.lower(): v for k, v in tomllib.load(fh).get("terms", {}).items()}


@lru_cache(maxsize=1)
def _glossary_patterns() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(r"(?<![\w-])" + re.escape(k) + r"(?![\w-])"), v) for k, v in load_glossary().items()]


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[re.Pattern, dict[str, str]]:
    with open(PROMPTS_DIR / "rubric" / "abbreviations.toml", "rb") as fh:
        table = tomllib.load(fh)
    terms = {k.lower(): v for k, v in table["terms"].items()}
    # Compounds the guide writes as they are ("CI/CD") are matched whole and left alone.
    keep = sorted((k.lower() for k in table.get("keep", [])), key=len, reverse=True)
    alternatives = "|".join(re.escape(k) for k in sorted(terms, key=len, reverse=True))
    # A slash between two words joins them ("req/resp", "db/queues") and does not stop an
    # expansion; a slash that starts or ends a path ("/auth", "svc/") does.
    pattern = r"(?<!\w)(?<!(?<!\w)/)(" + alternatives + r")(?!\w)(?!/(?!\w))"
    if keep:
        pattern = r"(?<![\w/])(?:" + "|".join(re.escape(k) for k in keep) + r")(?![\w/])|" + pattern
    return re.compile(pattern, re.I), terms


def expand_abbreviations(text: str) -> str:
    """Spell out terse-note abbreviations ("LB -> gw -> svc", "req/resp") from
    ``prompts/rubric/abbreviations.toml``."""
    pattern, terms = _abbreviations()
    return pattern.sub(lambda m: terms[m.group(1).lower()] if m.group(1) else m.group(0), text)


def glosses(text: str) -> list[str]:
    """The meanings of every glossary term named in ``text`` (whole-word, case-insensitive)."""
    low = text.lower()
    return [v for rx, v in _glossary_patterns() if rx.search(low)]


def _part_points(question: Question, part: FrameworkPart) -> list[RubricPoint]:
    citation = f"{question.text} › {part.title}"
    if part.points:
        out = []
        for pt in part.points:
            probes = [f"{part.title}: {pt.text}", pt.text]
            if pt.label and pt.detail:
                probes.append(f"{pt.label} for {pt.detail}")
            probes += glosses(pt.text)
            out.append(RubricPoint(id=pt.id, text=pt.text, citation=citation, probes=probes))
        return out
    # A diagram part: each row of components is one point ("Client Apps → Load Balancer → ...").
    rows = [_DIAGRAM_NODE.findall(line) for line in part.diagram.splitlines()]
    rows = [r for r in rows if r]
    return [
        RubricPoint(
            id=f"{part.index}.{i}", text=" → ".join(r), citation=citation,
            probes=[f"{part.title}: " + ", ".join(r), "components: " + ", ".join(r)],
        )
        for i, r in enumerate(rows, start=1)
    ]


def _cross_dimension(key: str, behavioural: bool, citation: str | None = None) -> Dimension:
    spec = load_cross_cutting()[key]
    texts = spec.get("behavioural_points") if behavioural and spec.get("behavioural_points") else spec["points"]
    cite = citation or spec.get("citation", "")
    return Dimension(
        id=key, title=spec["title"], kind=BY_ID[key].kind, citation=cite,
        points=[RubricPoint(id=f"{key}.{i}", text=t, citation=cite, probes=[t]) for i, t in enumerate(texts, 1)],
    )


def rubric_for_question(question: Question) -> Rubric:
    """One dimension per framework part, the example dimension, and the cross-cutting ones."""
    behavioural = question.kind == "behavioural"
    dims = [
        Dimension(
            id=f"part{p.index}", title=p.title, kind="framework", citation=f"{question.text} › {p.title}",
            points=_part_points(question, p),
        )
        for p in question.parts
        if p.points or p.diagram
    ]
    dims += [_cross_dimension(d, behavioural, f"{question.text} › {question.example_part_title}" if d == "example" else None)
             for d in BY_ID]
    return Rubric(question=question.text, question_id=question.id, track=question.track, behavioural=behavioural, dimensions=dims)


_REF_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+|^\s*[-*•\d.]+\s+", re.M)


def rubric_for_reference(question: str, reference: str | None) -> Rubric:
    """A user's own question: the reference answer's key points, plus cross-cutting dims.

    Without a reference only the cross-cutting dimensions (and relevance to the question)
    can be judged; the scorecard reports lower confidence.
    """
    dims: list[Dimension] = []
    if reference and reference.strip():
        pieces = [p.strip(" -•") for p in _REF_SPLIT.split(reference) if p and len(p.strip()) > 8]
        points = [
            RubricPoint(id=f"ref.{i}", text=p, citation=f"Your reference answer › point {i}", probes=[p])
            for i, p in enumerate(pieces, 1)
        ]
        dims.append(Dimension(id="reference", title="Key points of the reference answer", kind="reference",
                              points=points, citation="Your reference answer"))
        source = "reference"
    else:
        dims.append(Dimension(id="relevance", title="Answers the question asked", kind="relevance",
                              points=[RubricPoint(id="rel.1", text=question, citation="The question", probes=[question])]))
        source = "none"
    if source == "reference":
        dims += [_cross_dimension(k, False) for k in REFERENCE_CROSS_IDS]
    else:
        # No framework part to cite for the example: the guide's advice on examples is its home.
        example_citation = load_cross_cutting()["specifics"].get("citation")
        dims += [_cross_dimension(k, False, example_citation if k == "example" else None) for k in QUESTION_ONLY_CROSS_IDS]
    return Rubric(question=question, dimensions=dims, source=source, not_assessed=_unasked_cross_cutting(reference or ""))


def _unasked_cross_cutting(reference: str) -> frozenset[str]:
    """A factual question graded against a reference is not a system-design question: the
    cross-cutting dimensions are assessed only where the reference itself asks for them."""
    if not reference.strip():
        return frozenset()
    return frozenset(k for k in REFERENCE_CROSS_IDS if not BY_ID[k].reference_asks.search(reference))
