"""The fitted mapping from dimension credits to the overall score (see evals/CALIBRATION.md).

The numbers live in ``calibration.json`` beside this file, written by ``evals/calibrate.py``
from the dev splits only. Every weight is ≥ 0, so covering more can never lower the overall;
the only caps are the ones the labelling rules name (keyword stuffing, off-topic, no
substance), and each is quoted on the scorecard. Sentences that read like the near misses
labellers marked for points the answer does not state take back part of the credit above
the intercept (rule 5), and are quoted too.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from interviewer.dimensions import DIMENSIONS

if TYPE_CHECKING:
    from interviewer.rubric import Rubric

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
# Credit features, all 0-1 and all weighted ≥ 0. ``framework_sqrt`` lets the fit say that the
# first points covered matter more than the last ones without ever becoming non-monotone.
FEATURES = ("framework", "framework_sqrt", "breadth", "evidence", *(d.feature for d in DIMENSIONS))
# The reference model reads one feature (see ``reference_credit``).
REFERENCE_FEATURES = ("reference_credit",)
# A user's own question with no model answer: relevance (``framework`` is its credit there) and the
# cross-cutting qualities, all that can be judged.
QUESTION_ONLY_FEATURES = ("framework", *(d.feature for d in DIMENSIONS))
# A reference whose key points come to at most this many words is a short factual answer, scored
# by ``Calibration.reference_short`` (the matcher's probability); longer model answers by
# ``reference``. SemEval-2013's references are at most 53 words, reference_dev's at least 115.
SHORT_REFERENCE_WORDS = 60


class ScoreModel(BaseModel):
    """overall = intercept + (1 − shrink) × Σ weight·feature (weights ≥ 0), clipped to 1-5."""

    intercept: float = 1.0
    weights: dict[str, float] = Field(default_factory=lambda: {"framework": 2.5, "framework_sqrt": 1.0, "example": 0.5})

    def predict(self, features: dict[str, float], shrink: float = 0.0) -> float:
        """``shrink`` (0-1): the share of the credit above the intercept that is taken back (near misses)."""
        earned = sum(max(0.0, w) * features.get(k, 0.0) for k, w in self.weights.items())
        return max(1.0, min(5.0, self.intercept + credit_kept(shrink) * earned))


def credit_kept(shrink: float) -> float:
    """The share of the credit above the intercept that a ``shrink`` leaves (0-1)."""
    return 1.0 - min(1.0, max(0.0, shrink))


class Calibration(BaseModel):
    """The two score models (guide / reference) and the caps the labelling rules name."""

    stuffing_cap_from: float = Field(default=0.3, description="Share of stuffed words from which the stuffing cap starts to fall...")
    stuffing_cap_full: float = Field(default=0.45, description="... reaching 2/5 here (the labelling guide caps keyword stuffing at 2)...")
    stuffing_cap_bare: float = Field(default=0.9, description="... and 1/5 here, where its reasoned sentences are a sliver of the list. A bare list (no sentence beside it gives a reason or states a point) is capped at 1 from stuffing_cap_from on (the guide: 'a bare list scores 1').")
    offtopic_min_words: int = Field(default=20, description="An answer shorter than this is never called off-topic (a short vague answer is drawn out with follow-ups)...")
    offtopic_credit: float = Field(default=1.0, description="... a longer one whose framework credit (sum of point credits) is below this - no "
                                   "whole point of this question stated: one that states one answers it, however weakly - may be...")
    offtopic_fit: float = Field(default=0.5, description="... when its fit to the question's points (topic.framework_fit: the mean best "
                                "similarity of the three points it comes closest to) is also below this...")
    offtopic_cos: float = Field(default=0.33, description="... and either its best similarity to the question is below this...")
    offtopic_margin: float = Field(default=0.02, description="... or another guide question's points fit it better by more than this...")
    offtopic_cap: float = Field(default=1.0, description="... is capped here (the rules: an answer to a different question scores 1).")
    filler_share: float = Field(default=0.55, description="Share of sentences that are filler (no point, nothing concrete)...")
    filler_points: float = Field(default=1.0, description="... in an answer whose framework credit (sum of point credits) is at most this...")
    filler_cap: float = Field(default=2.0, description="... caps the overall here (the rules: fluent filler is a 1, 2 if one real point survives).")
    filler_none_sentences: int = Field(default=6, description="An answer with no framework point credited at all and at least this many "
                                       "whole sentences that state nothing concrete (no point, number or named technology)...")
    filler_none_cap: float = Field(default=1.0, description="... is capped here (the rules: fluent filler is a 1 when no real point survives).")
    claims_coverage: float = Field(default=0.15, description="An answer whose framework coverage (after the near-miss shrink) is at most this...")
    claims_cap: float = Field(default=1.0, description="... and that makes a confident claim in a sentence stating no point ('always', "
                              "'no need for', 'out of the box') is capped here (the labellers' rule: confidently wrong with no point correctly made scores 1)...")
    claims_cap_point: float = Field(default=2.0, description="... or here when a whole framework point is still credited beside the claims "
                                    "(the rule's other half: 2 if at least one point is correctly made once the wrong claims are set aside).")
    miss_cos: float = Field(default=0.70, description="A sentence at least this like a labelled near miss of a point...")
    miss_margin: float = Field(default=0.05, description="... and this much more like it than like a credited statement of it reads as a miss...")
    miss_shrink: float = Field(default=1.0, description="... and the share of bank-known points so missed, × this, is taken back "
                               "from the credit above the intercept (rule 5: wrong or misused claims cost credit).")
    guide: ScoreModel = Field(default_factory=ScoreModel)
    reference: ScoreModel = Field(default_factory=ScoreModel, description="Model answers longer than SHORT_REFERENCE_WORDS words "
                                  "(fitted on reference_dev, one feature: reference_credit).")
    reference_short: ScoreModel = Field(
        default_factory=lambda: ScoreModel(intercept=1.0, weights={"stated": 4.0}),
        description="Short factual references: 1 + 4 × the matcher's mean probability that each point is stated. Not fitted here: "
                    "that probability is fitted on SemEval-2013's real student answers (correct vs not), so 1 + 4p is the expected "
                    "score when a correct answer is a 5 and any other a 1. A model answer's long points are stated in paraphrase "
                    "and read lower probabilities (a 5 averaged 2.4 this way on reference_dev), hence the two models.")
    question_only: ScoreModel = Field(
        default_factory=lambda: ScoreModel(intercept=1.0, weights={"framework": 1.0, "example": 1.0, "clarify": 1.0, "tradeoffs": 1.0}),
        description="A user's own question with no model answer (evals/fit_question_only.py): relevance and the cross-cutting "
                    "qualities only, fitted on the dev guide answers graded against their question's text alone, plus answers "
                    "to other questions as 1s.")
    relevance_partial_cos: float = Field(default=0.30, description="A question-only answer whose embedding has at least this "
                                         "cosine with the question's is partly about it...")
    relevance_covered_cos: float = Field(default=0.40, description="... and at least this, about it (fitted with question_only).")
    fitted_on: str = "defaults (not fitted)"

    def model_for(self, rubric: "Rubric") -> ScoreModel:
        """The score model for this rubric: the guide's, a short factual reference's, or a model answer's."""
        if rubric.source == "guide":
            return self.guide
        if rubric.source == "none":
            return self.question_only
        return self.reference_short if is_short_reference(rubric) else self.reference

    def stuffing_cap(self, stuffing: float, bare: bool = False) -> float:
        """The highest overall a keyword list this dense can get (5 when it is no list). ``bare``:
        no sentence beside the list gives a reason or states a point, so it is the rules' bare list (1)."""
        if stuffing < self.stuffing_cap_from:
            return 5.0
        if bare:
            return 1.0
        if stuffing >= self.stuffing_cap_full:
            toward_bare = min(1.0, (stuffing - self.stuffing_cap_full) / max(self.stuffing_cap_bare - self.stuffing_cap_full, 1e-6))
            return 2.0 - toward_bare
        share = (stuffing - self.stuffing_cap_from) / max(self.stuffing_cap_full - self.stuffing_cap_from, 1e-6)
        return 5.0 - 3.0 * share


def framework_features(coverage: float, breadth: float, evidence: float = 0.0) -> dict[str, float]:
    """The framework-coverage features the score models read; ``breadth`` is the share of the
    framework's parts where at least one point is stated (the rules' "all parts"); ``evidence``
    how specifically the best-stated points are stated (mean of the three strongest points'
    lead over the rubric's other points, × reasoning quality) — fluent filler and near misses
    touch many points weakly, a strong answer states a few of them unmistakably."""
    return {"framework": coverage, "framework_sqrt": math.sqrt(max(0.0, coverage)), "breadth": breadth,
            "evidence": min(1.0, max(0.0, evidence))}


# The mean probability that a long reference's points are stated, read from an answer that
# states none of them: the matcher never reads 0 (reference_dev's off-topic answers read 0.05-0.10).
STATED_FLOOR = 0.1


def relevance_probability(cos: float, cal: Calibration, cutoffs: tuple[float, float]) -> float:
    """A question-only answer's relevance on the probability scale of the stage that judges it
    (``cutoffs``: its covered and partial probabilities, ``Matcher.cutoffs``): the cosine of the
    whole answer with the question, placed so that the fitted cosine cut-offs land on those two
    probabilities. The point matcher read the question as a statement to find and missed on-topic
    answers (half of 96 strong answers under paraphrased guide questions read missing, thirty-third
    session); the whole answer separates on-topic from other questions' answers best (AUC 0.92 /
    0.88 on two sets of paraphrases, against 0.90 / 0.80 for its three closest sentences)."""
    lo, hi = cal.relevance_partial_cos, max(cal.relevance_covered_cos, cal.relevance_partial_cos + 1e-6)
    covered, partial = cutoffs
    return max(0.0, min(1.0, partial + (covered - partial) * (cos - lo) / (hi - lo)))


def is_short_reference(rubric: "Rubric") -> bool:
    """A reference rubric whose key points come to at most ``SHORT_REFERENCE_WORDS`` words."""
    words = sum(len(p.text.split()) for d in rubric.dimensions if d.kind == "reference" for p in d.points)
    return rubric.source == "reference" and words <= SHORT_REFERENCE_WORDS


def reference_credit(coverage: float, stated: float) -> float:
    """What the reference model reads (0-1): half the square root of the quantised credit
    (covered 1, partial ½), half that of the matcher's mean probability that each asked-for
    point is stated, above ``STATED_FLOOR``. The quantised half keeps a long answer's covered
    points whole; the probability half keeps the order among answers that fall between the
    cut-offs. Without the floor, its square root lifted answers to another question (off-topic
    +0.29 on reference_dev out of fold, +0.15 with it)."""
    above = max(0.0, stated - STATED_FLOOR) / (1.0 - STATED_FLOOR)
    return 0.5 * math.sqrt(max(0.0, coverage)) + 0.5 * math.sqrt(above)


@lru_cache(maxsize=1)
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """The shipped calibration, or defaults when none was fitted yet."""
    if path.exists():
        return Calibration.model_validate(json.loads(path.read_text(encoding="utf-8")))
    return Calibration()
