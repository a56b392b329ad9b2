"""Resolve a dataset row to its guide question, the way ``interviewer grade`` does.

A row may name its guide question by ``question_id`` or only by the question's text. Both
must land on the same question for every grader, otherwise the baseline would fail on rows
the rubric grader handles and the two would be compared on different item sets.
"""
from __future__ import annotations

from collections.abc import Callable

from interviewer.guide.model import Guide, Question

from .dataset import EvalItem


def _normalise(text: str) -> str:
    # Same rule as Grader.rubric_for (interviewer/grading/engine.py): surrounding space and
    # a trailing '?' do not matter, nor does case.
    return text.strip().rstrip("?").lower()


def find_guide_question(guide: Guide | None, key: str | None) -> Question | None:
    """The guide question whose id or text is ``key``; ``None`` when nothing matches.

    Text matching ignores surrounding whitespace, a trailing ``?`` and case, exactly as
    ``Grader.rubric_for`` does when ``interviewer grade`` is given the question's text.
    """
    if guide is None or not key or not key.strip():
        return None
    stripped, wanted = key.strip(), _normalise(key)
    for question in guide.questions:
        if stripped in (question.id, question.text) or wanted == _normalise(question.text):
            return question
    return None


def item_question(guide: Guide | None, item: EvalItem) -> Question | None:
    """The guide question an item is about: by ``question_id`` first, else by its text."""
    return find_guide_question(guide, item.question_id) or find_guide_question(guide, item.question)


def framework_lookup(guide: Guide | None) -> Callable[[str], str | None]:
    """A ``framework_text`` callable for :class:`BaselineGrader` that accepts an id or a text."""

    def framework_text(key: str) -> str | None:
        question = find_guide_question(guide, key)
        return question.framework_text() if question is not None else None

    return framework_text
