"""The overall never contradicts the bars: the rule, applied to every interview scorecard.

The grader's overall is a calibrated function of the dimension credits (and how specifically
the best points are stated), so it can land below 3 while every bar the candidate sees is 3 or
more — "bars 5, 5, 3, 3 beside an overall 2.7" reads as an error. The rule, stated in words on
the card: when every assessed dimension scores at least 3/5, the overall is at least 3.0 unless
a quoted cap (keyword stuffing, instructions to the grader, no substance, off-topic) says why.
Pure: a scorecard in, a scorecard out.
"""
from __future__ import annotations

import math

from interviewer.grading.scorecard import CAP_FLAGS, Scorecard
from interviewer.grading.verdict import level_verdict

BAR = 3


def consistent(card: Scorecard) -> bool:
    """Does the overall agree with the bars (the rule in the module docstring)?"""
    assessed = [d for d in card.dimensions if d.assessed and d.score is not None]
    if card.overall is None or not assessed or CAP_FLAGS & set(card.flags):
        return True
    return not all(d.score >= BAR for d in assessed) or card.overall >= BAR


def explain(card: Scorecard, hints_used: int = 0) -> Scorecard:
    """``card`` with an overall that agrees with its bars, and a note saying so when it was lifted."""
    if consistent(card):
        return card
    overall = float(BAR)
    note = (f"Overall lifted from {card.overall:.1f} to {overall:.1f}: every assessed dimension scores at least {BAR}/5, "
            f"and the overall never sits below the bars unless a quoted cap says why.")
    level, reasons = level_verdict(overall, card.dimensions, card.flags, hints_used)
    return card.model_copy(update={"overall": overall, "overall_rounded": int(math.floor(overall + 0.5)), "level": level,
                                   "level_reasons": reasons, "notes": [*card.notes, note]})
