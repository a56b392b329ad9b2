"""The guide as typed data: tracks → questions → framework parts → points.

Pure data, no I/O. Built by :mod:`interviewer.guide.parser`; used by the rubric, the
index chunker, the interviewer and the UI.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

TRACK_TITLES: dict[str, str] = {
    "system-design": "System design",
    "backend": "Backend deep dives",
    "frontend": "Frontend & full-stack",
    "architecture": "Architecture & design patterns",
    "devops": "DevOps & infrastructure",
    "leadership": "Leadership & behavioural",
}


class Point(BaseModel):
    """One bullet of a framework part, e.g. "API Gateway: Rate limiting, authentication"."""

    id: str = Field(description='"part.bullet", 1-based, e.g. "1.3"')
    text: str = Field(description="The bullet as written, without Markdown emphasis.")
    label: str = Field(default="", description='Bold lead-in before a colon, e.g. "API Gateway".')
    detail: str = Field(default="", description="What follows the label.")


class FrameworkPart(BaseModel):
    """A numbered part of a framework, e.g. "Requirements Clarification" with its points."""

    index: int
    title: str
    points: list[Point] = Field(default_factory=list)
    diagram: str = Field(default="", description="An ASCII architecture diagram, when the part is one.")

    def summary(self) -> str:
        """The part as one line of text: title and its points."""
        body = "; ".join(p.text for p in self.points) or self.diagram
        return f"{self.title}: {body}"


class Example(BaseModel):
    """The guide's "Example from Experience" answer."""

    headline: str = ""
    bullets: list[str] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join([self.headline, *(f"- {b}" for b in self.bullets)]).strip()


class Question(BaseModel):
    """A guide question with its framework (parts 1-3) and example answer (part 4)."""

    id: str
    text: str
    track: str
    track_title: str
    section: str = Field(default="", description="The guide's sub-heading, e.g. 'Scalability & Performance'.")
    framework_label: str = Field(default="", description="'Approach', 'Strategy', 'Comparison', ...")
    parts: list[FrameworkPart] = Field(default_factory=list)
    example: Example | None = None
    example_part_title: str = "Example from Experience"
    line: int = 0
    source: str = ""

    @property
    def kind(self) -> Literal["behavioural", "technical"]:
        return "behavioural" if self.track == "leadership" else "technical"

    @property
    def is_system_design(self) -> bool:
        return self.track == "system-design"

    def part(self, title_or_index: str | int) -> FrameworkPart:
        """Look a part up by its 1-based index or (case-insensitive) title."""
        for p in self.parts:
            if p.index == title_or_index or (isinstance(title_or_index, str) and p.title.lower() == title_or_index.lower()):
                return p
        raise KeyError(title_or_index)

    @property
    def technology_choices(self) -> list[Point]:
        """Named technologies the guide lists for this question, where it lists them."""
        return [pt for p in self.parts if "technolog" in p.title.lower() for pt in p.points]

    def framework_text(self) -> str:
        """The whole framework as plain text (used by the baseline grader and prompts)."""
        lines = [self.text]
        lines += [p.summary() for p in self.parts]
        if self.example:
            lines.append(f"{self.example_part_title}: {self.example.text}")
        return "\n".join(lines)


class GeneralFramework(BaseModel):
    """A framework that applies to every question (problem solving, system design)."""

    id: str
    title: str
    parts: list[FrameworkPart] = Field(default_factory=list)


class TipSection(BaseModel):
    """A group of interview tips, e.g. "During the Interview"."""

    title: str
    items: list[str] = Field(default_factory=list)


class Section(BaseModel):
    """A plain section of text, for guides (or parts of guides) without **Q: markers."""

    heading_path: list[str]
    text: str
    line: int = 0


class Guide(BaseModel):
    """A parsed interview-prep guide."""

    title: str = ""
    source: str = ""
    questions: list[Question] = Field(default_factory=list)
    general_frameworks: list[GeneralFramework] = Field(default_factory=list)
    tips: list[TipSection] = Field(default_factory=list)
    pitfalls: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def question(self, question_id: str) -> Question:
        """The question with this id; raises :class:`UnknownQuestionError` listing valid ids."""
        from interviewer.errors import UnknownQuestionError

        for q in self.questions:
            if q.id == question_id:
                return q
        raise UnknownQuestionError(
            f"No question with id '{question_id}'. Run `interviewer questions` to list the ids."
        )

    def tracks(self) -> dict[str, list[Question]]:
        """Questions grouped by track id, in guide order."""
        out: dict[str, list[Question]] = {}
        for q in self.questions:
            out.setdefault(q.track, []).append(q)
        return out

    def merged(self, other: "Guide") -> "Guide":
        """This guide plus another (several files in knowledge/); ids stay unique."""
        seen = {q.id for q in self.questions}
        extra = [q for q in other.questions if q.id not in seen]
        return self.model_copy(
            update={
                "questions": self.questions + extra,
                "general_frameworks": self.general_frameworks + other.general_frameworks,
                "tips": self.tips + other.tips,
                "pitfalls": self.pitfalls + other.pitfalls,
                "sections": self.sections + other.sections,
                "warnings": self.warnings + other.warnings,
            }
        )
