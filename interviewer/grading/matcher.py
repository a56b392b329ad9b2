"""Does this text state this point? A small learned classifier, no hand-set thresholds.

The same matcher judges a guide framework point against a candidate's answer and a key
point of a user's reference answer against theirs. Its features are computed per answer
unit (sentence or clause) and aggregated with a max, so a one-sentence student answer and
a 300-word interview answer are described the same way:

- ``cos``       best cosine between a unit and the point (any of its probes)
- ``gain``      best (cos to the point − cos to the question): says more than the topic
- ``lex``       best share of the point's content stems, beyond the question's own words,
                that one unit contains (paraphrase-tolerant because it is one of several)
- ``lex_cos``   ``lex`` × ``cos`` at the same unit: the words *and* the meaning agree
- ``prec``      share of the best unit's own content stems (beyond the question) that the
                point also has: the unit is *about* this point, not about something else
- ``echo``      share of the best unit's content stems that only repeat the question
- ``neg``       the best-matching unit negates where the point does not (or vice versa)
- ``size``      log of the point's content-stem count (long points are harder to state fully)

The guide stage adds, about the sentence chosen as a rubric point's evidence (see
:func:`evidence_unit_features`): it negates where the point does not ("I haven't done much
with fraud"), its comma density, its length, and whether it is first person — cues that
separate a point stated from a point merely touched (a near miss) on the blind-labelled data.

For the shipped guide's points an exemplar stage (:class:`ExemplarStage`) reads, besides these,
how close the answer's sentences are to the sentences labellers credited for the point and to
the near misses they marked (``interviewer/grading/exemplars.py``).

Weights are fitted by ``evals/fit_matcher.py`` on real human labels (SemEval-2013 Task 7
train splits) and shipped in ``matcher.json``. Pure code: vectors come in, numbers go out.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import snowballstemmer
from pydantic import BaseModel, Field, PrivateAttr, field_validator

from interviewer.errors import ConfigError
from interviewer.grading.exemplars import EXEMPLAR_FEATURES
from interviewer.grading.trees import TreeEnsemble, load_trees

MATCHER_FILE = Path(__file__).with_name("matcher.json")
FEATURES = ("cos", "gain", "lex", "lex_cos", "prec", "echo", "neg", "size")
# The guide stage: the SemEval logit plus, per unit, similarity × reasoning quality, maxed.
GUIDE_FEATURES = ("asag", "contrast_q", "gain_q", "lex_q", "cos_q", "cross",
                  *(f"unit_{f}" for f in ("neg", "commas", "words", "first_person")))

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#]*|\d+(?:\.\d+)?")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nothing|without|cannot|neither|nor)\b|n['’]t\b", re.I)
# Function words and words that carry no point-specific content in either corpus.
_STOP = frozenset("""a an the and or but if then so of to in on at by for with from into onto over under as is are was were be been
being it its this that these those there here which who whom what when where why how all any each both few more most other some such
only own same than too very can will just should would could may might must do does did done doing have has had having i me my we our
you your he she they them their his her us about also via etc e g ie eg use used using uses make makes made get gets got like
thing things way ways one ones lot lots really basically""".split())

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def content_stems(text: str) -> frozenset[str]:
    """Stems of the content words of ``text`` (lower-cased, stop words dropped)."""
    words = (w.lower() for w in _WORD.findall(text))
    return frozenset(_stem(w) for w in words if w not in _STOP and (len(w) > 1 or w.isdigit()))


def negates(text: str) -> bool:
    """Does ``text`` contain a negation cue?"""
    return bool(_NEGATION.search(text))


class MatcherModel(BaseModel):
    """A logistic model over :data:`FEATURES` plus the probability cut-offs for the checklist."""

    intercept: float = -4.0
    weights: dict[str, float] = Field(default_factory=lambda: {"cos": 6.0, "gain": 3.0, "lex": 2.0})
    covered: float = Field(default=0.5, description="Probability from which a point is shown as covered.")
    partial: float = Field(default=0.3, description="... and as partially covered.")
    fitted_on: str = "defaults (not fitted)"

    def logit(self, x: np.ndarray) -> np.ndarray:
        """``x``: (..., len(FEATURES)) → logit."""
        w = np.array([self.weights.get(f, 0.0) for f in FEATURES], dtype=np.float64)
        return self.intercept + x @ w

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(x)))


class MissingBound(BaseModel):
    """Below which strength a rubric point is clearly not stated (only those are worth a follow-up).

    The bound falls as more of the answer is credited: on the fitting data, a "clearly missing"
    point of an answer that states most of its framework was labelled stated four times as often
    as one of a thin answer (a strong answer's paraphrase the matcher missed), so one bound for
    all answers sent follow-ups after strong answers to what they had said."""

    clearly_missing: float = Field(default=0.1, description="The bound for any answer (at most 5 % of the fitting data's "
                                   "points below it were labelled stated).")
    clearly_missing_by_share: list[tuple[float, float]] = Field(
        default_factory=list, description="(share of the framework credited from, bound) bands, the same 5 % rule "
                                          "within each band, never rising with the share nor above the one bound "
                                          "(bands only hold follow-ups back); empty: the one bound.")

    def clearly_missing_at(self, share: float) -> float:
        """The bound for an answer whose framework points are credited ``share`` (0–1; partial = ½)."""
        bound = self.clearly_missing
        for start, value in self.clearly_missing_by_share:
            if share >= start:
                bound = value
        return bound


class ExemplarStage(MissingBound):
    """The guide stage with exemplar features (points the exemplar bank knows): boosted trees over
    the guide features plus :data:`EXEMPLAR_FEATURES` (:mod:`interviewer.grading.trees`), whose
    probabilities are mapped onto the guide stage's scale (its partial and covered cut-offs land on
    the guide stage's) so one set of cut-offs reads both."""

    trees: str = Field(description="The boosted trees' file, beside matcher.json.")
    covered: float = 0.5
    partial: float = 0.3
    # Trees fitted in memory (calibration, cross-validation) before any file holds them.
    _ensemble: TreeEnsemble | None = PrivateAttr(default=None)

    def with_ensemble(self, ensemble: TreeEnsemble) -> "ExemplarStage":
        """This stage reading ``ensemble`` (not yet saved to its file)."""
        stage = self.model_copy()
        stage._ensemble = ensemble
        return stage

    @property
    def ensemble(self) -> TreeEnsemble:
        """The boosted trees, read from their file on first use."""
        if self._ensemble is None:
            path = MATCHER_FILE.with_name(self.trees)
            if not path.exists():
                raise ConfigError(f"The matcher's exemplar stage needs {path.name}, which is missing from "
                                  f"{path.parent}; reinstall the package or re-run `python -m evals.calibrate`.")
            ensemble = load_trees(path)
            if ensemble.features != (*GUIDE_FEATURES, *EXEMPLAR_FEATURES):
                raise ConfigError(f"{path.name} was fitted on other features than this matcher reads; "
                                  "re-run `python -m evals.calibrate`.")
            self._ensemble = ensemble
        return self._ensemble

    def probability(self, asag_logit: np.ndarray, guide: np.ndarray, exemplar: np.ndarray, covered: float, partial: float) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-self.ensemble.logit(np.c_[asag_logit, guide, exemplar])))
        return np.interp(p, [0.0, self.partial, self.covered, 1.0], [0.0, partial, covered, 1.0])


class Matcher(MissingBound):
    """The shipped matcher: the stage fitted on SemEval-2013 (``asag``) and, on top, the
    guide stage (``guide``) refitted on blind-labelled interview points, whose extra feature is
    how much more a unit resembles this point than the rubric's other points."""

    asag: MatcherModel = Field(default_factory=MatcherModel)
    uses_cross_encoder: bool = Field(default=False, description="The guide stage reads the cross-encoder's logit.")
    shortlist: int = Field(default=1, ge=1, le=8, description="How many of a point's best-ranked sentences (bi-encoder contrast) "
                           "the cross-encoder reads; the one it rates highest is the point's evidence.")
    read_in_context: Literal["off", "also", "instead"] = Field(
        default="off", description="When a point's evidence is a clause, the cross-encoder reads the sentence that holds it: "
        "\"also\" (beside the clause; the higher logit counts) or \"instead\" (in its place). The clause stays the evidence "
        "and the quote: cut from its sentence, a clause loses what it is about (\"so it was our audit trail\").")
    pick_lexical: float = Field(default=0.0, ge=0.0, description="Weight of the point's own content words found in a sentence "
                                "(stemmed recall) when choosing the sentence that is its evidence, beside the bi-encoder contrast.")
    quote_exemplar: float = Field(default=0.0, ge=0.0, description="Weight of a sentence's likeness to the bank's credited "
                                  "statements of a point when choosing the sentence the scorecard quotes for it (not what is scored).")
    guide_intercept: float = 0.0
    guide_weights: dict[str, float] = Field(default_factory=lambda: {"asag": 1.0})
    covered: float = 0.5
    partial: float = 0.3
    exemplar: ExemplarStage | None = Field(default=None, description="The guide stage for points the exemplar bank knows.")
    fitted_on: str = "defaults (not fitted)"

    @field_validator("read_in_context", mode="before")
    @classmethod
    def _from_flag(cls, value: object) -> object:
        """Matcher files written before the "instead" reading hold a yes/no flag."""
        return {True: "also", False: "off"}.get(value, value) if isinstance(value, bool) else value

    def exemplar_probability(self, x: np.ndarray, guide: np.ndarray, exemplar: np.ndarray) -> np.ndarray:
        """Probability that the point is stated, read with the exemplar features, on the guide stage's scale."""
        assert self.exemplar is not None
        return self.exemplar.probability(self.asag.logit(x), guide, exemplar, self.covered, self.partial)

    def point_probability(self, x: np.ndarray, guide: np.ndarray | None = None) -> np.ndarray:
        """Probability that the point is stated.

        ``guide`` (rubric points only: (P, len(GUIDE_FEATURES)), see :func:`guide_features`)
        lets the guide stage refine the SemEval-fitted logit.
        """
        z = self.asag.logit(x)
        if guide is not None:
            w = np.array([self.guide_weights.get(f, 0.0) for f in GUIDE_FEATURES[1:]])
            z = self.guide_intercept + self.guide_weights.get("asag", 1.0) * z + guide @ w
        return 1.0 / (1.0 + np.exp(-z))


    def cutoffs(self, guide_stage: bool) -> tuple[float, float]:
        """(covered, partial) probability cut-offs: the guide stage's, or stage 1's for a
        reference answer's points (its own decision boundary, fitted on SemEval)."""
        return (self.covered, self.partial) if guide_stage else (self.asag.covered, self.asag.partial)

    def credit(self, probability: float, guide_stage: bool = True) -> float:
        """What a guide point earns toward its dimension: 1 covered, ½ partial, 0 missing — the
        same verdict the checklist shows, so the score and the checklist never disagree."""
        covered, partial = self.cutoffs(guide_stage)
        return 1.0 if probability >= covered else (0.5 if probability >= partial else 0.0)


@lru_cache(maxsize=1)
def load_matcher(path: Path = MATCHER_FILE) -> Matcher:
    """The shipped matcher parameters (defaults when none were fitted yet)."""
    if path.exists():
        return Matcher.model_validate(json.loads(path.read_text(encoding="utf-8")))
    return Matcher()


def pair_features(point_unit_cos: np.ndarray, question_unit_cos: np.ndarray, point_texts: list[str],
                  unit_texts: list[str], question: str) -> tuple[np.ndarray, np.ndarray]:
    """Features for every point against one answer.

    ``point_unit_cos``: (P, U) best cosine of each point's probes with each unit;
    ``question_unit_cos``: (U,) cosine of each unit with the question.
    Returns ``(features (P, len(FEATURES)), best_unit (P,), lex (P, U))``, where ``best_unit`` is
    the unit that carries the point best (the evidence to quote).
    """
    n_points, n_units = point_unit_cos.shape
    feats = np.zeros((n_points, len(FEATURES)), dtype=np.float64)
    best = np.zeros(n_points, dtype=np.int64)
    lexes = np.zeros((n_points, n_units), dtype=np.float64)
    if n_units == 0 or n_points == 0:
        return feats, best, lexes
    q_stems = content_stems(question)
    unit_stems = [content_stems(u) for u in unit_texts]
    unit_neg = np.array([negates(u) for u in unit_texts])
    for i, ptext in enumerate(point_texts):
        stems = content_stems(ptext)
        own = stems - q_stems or stems
        lex = np.array([len(own & us) / len(own) if own else 0.0 for us in unit_stems])
        lexes[i] = lex
        cos = point_unit_cos[i]
        gain = cos - question_unit_cos
        lex_cos = lex * np.clip(cos, 0.0, 1.0)
        j = int(np.argmax(cos + 0.5 * lex))
        extra = unit_stems[j] - q_stems
        prec = len(extra & stems) / len(extra) if extra else 0.0
        echo = 1.0 - len(extra) / len(unit_stems[j]) if unit_stems[j] else 1.0
        feats[i] = (cos.max(), gain.max(), lex.max(), lex_cos.max(), prec, echo,
                    float(unit_neg[j] != negates(ptext)), math.log1p(len(own)))
        best[i] = j
    return feats, best, lexes


def guide_features(point_unit_cos: np.ndarray, question_unit_cos: np.ndarray, lex: np.ndarray,
                   quality: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The guide stage's bi-encoder features, (P, 4), and the (P, U) contrast × quality matrix
    whose best unit per point is the evidence (or the cross-encoder's shortlist).

    ``quality`` (U,) is how much reasoning each unit carries (0.3 for a bare list item, 1 for a
    clause that says why): a matching clause counts for more when it explains.
    """
    n_points = point_unit_cos.shape[0]
    others = (point_unit_cos.sum(axis=0, keepdims=True) - point_unit_cos) / max(n_points - 1, 1)
    contrast_q = (point_unit_cos - others) * quality[None, :]
    gain_q = (point_unit_cos - question_unit_cos[None, :]) * quality[None, :]
    out = np.stack([contrast_q.max(axis=1), gain_q.max(axis=1), (lex * quality[None, :]).max(axis=1),
                    (point_unit_cos * quality[None, :]).max(axis=1)], axis=1)
    return out, contrast_q


_FIRST_PERSON = re.compile(r"\b(?:i|we|my|our|me|us)\b", re.I)


def evidence_unit_features(unit_texts: list[str], best_unit: np.ndarray, point_texts: list[str]) -> np.ndarray:
    """(P, 4) features of each point's evidence sentence: a negation the point lacks, its comma
    density (a list names, it does not state), its log length in words, first person. (Whether
    several points share one sentence was tried and dropped: the guide repeats ideas across
    parts, and one clause can state two points — that feature cost such answers their credit.)"""
    out = np.zeros((len(point_texts), 4))
    for i, (j, ptext) in enumerate(zip(best_unit, point_texts)):
        text = unit_texts[int(j)]
        words = max(len(_WORD.findall(text)), 1)
        out[i] = (float(negates(text) and not negates(ptext)), (text.count(",") + 0.5 * text.count("/")) / words,
                  math.log1p(words), float(bool(_FIRST_PERSON.search(text))))
    return out
