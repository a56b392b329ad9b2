"""The typed lesson of one answered question (built by :mod:`~interviewer.interview.teaching`).

Kept apart from the builder so the final report can hold lessons without importing the
interview's policy (which imports the session models, which import the report).
"""
from __future__ import annotations

from pydantic import BaseModel, Field


class Practice(BaseModel):
    """One thing to practise: what, where the guide covers it, and how its example answer does it."""

    what: str
    dimension: str
    citation: str
    example_line: str = ""


class Lesson(BaseModel):
    """What one answered question teaches."""

    question_id: str
    question: str
    strengths: list[str] = Field(default_factory=list, description="Quotes of the candidate's words, with what they show.")
    practise: list[Practice] = Field(default_factory=list, description="At most three, most important first.")
    outline: list[str] = Field(default_factory=list, description="The candidate's answer, improved: their words, then prompts.")
    example_answer: list[str] = Field(default_factory=list, description="The guide's example answer (headline, then lines).")

    def to_markdown(self, number: int) -> str:
        """The lesson as Markdown (the example answer in a collapsible block)."""
        lines = [f"### Q{number}: what to take away — {self.question}", ""]
        if self.strengths:
            lines += ["**What went well (your words)**", *[f"- {s}" for s in self.strengths], ""]
        if self.practise:
            lines.append("**Practise next**")
            for i, p in enumerate(self.practise, 1):
                how = f" The guide's example: “{p.example_line}”." if p.example_line else ""
                lines.append(f"{i}. {p.what} ({p.citation}).{how}")
            lines.append("")
        if self.outline:
            lines += ["**Your answer, improved**", *[f"{i}. {step}" for i, step in enumerate(self.outline, 1)], ""]
        if self.example_answer:
            lines += ["<details><summary>The guide's example answer</summary>", "",
                      *[f"- {x}" for x in self.example_answer], "", "</details>", ""]
        return "\n".join(lines).rstrip() + "\n"
