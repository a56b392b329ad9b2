"""The fitted mapping from coverage features to scores (see evals/CALIBRATION.md).

The numbers live in ``calibration.json`` beside this file, written by
``evals/calibrate.py`` from the dev splits only.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
# Credit features (weight ≥ 0: more coverage never lowers a score) and penalties (weight ≤ 0).
FEATURES = ("framework", "example", "clarify", "tradeoffs", "specifics", "specificity", "concreteness", "density")
PENALTIES = ("stuffing", "filler", "vagueness")


class ScoreModel(BaseModel):
    """overall = intercept + Σ weight·feature (penalty weights are ≤ 0), clipped to 1-5."""

    intercept: float = 1.0
    weights: dict[str, float] = Field(default_factory=lambda: {
        "framework": 3.0, "example": 0.5, "clarify": 0.2, "tradeoffs": 0.2, "specifics": 0.1,
        "concreteness": 0.0, "stuffing": -1.0, "filler": 0.0})

    def predict(self, features: dict[str, float]) -> float:
        raw = self.intercept + sum(w * features.get(k, 0.0) for k, w in self.weights.items())
        return max(1.0, min(5.0, raw))


class Calibration(BaseModel):
    """Similarity thresholds for coverage and the two score models (guide / reference)."""

    covered: float = Field(default=0.45, description="Strength (similarity × reasoning quality) for 'covered'.")
    partial: float = Field(default=0.32, description="Strength for 'partial'.")
    centering: float = Field(default=0.75, description="How much of a sentence's average similarity to all points is subtracted.")
    soft_margin: float = Field(default=0.1, description="A point earns full credit at covered + margin.")
    specificity_floor: float = Field(default=0.08, description="Answer specificity at which cross-cutting credit starts.")
    specificity_full: float = Field(default=0.18, description="... and at which it is given in full (off-topic stories and fluent generalities earn little).")
    cap_floor: float = Field(default=0.0, description="Specificity feature (0-1) at or below which the overall is capped at 1.")
    cap_full: float = Field(default=0.0, description="Specificity from which no cap applies (linear in between).")
    vague_free: float = Field(default=0.0, description="Vagueness (0-1) tolerated before it caps the overall.")
    vague_slope: float = Field(default=0.0, description="How fast the cap falls with vagueness beyond that.")
    stuffing_cap_from: float = Field(default=0.3, description="Share of stuffed words from which the cap starts to fall...")
    stuffing_cap_full: float = Field(default=0.45, description="... reaching 2/5 here (the labelling guide caps keyword stuffing at 2).")
    guide: ScoreModel = Field(default_factory=ScoreModel)
    reference: ScoreModel = Field(default_factory=ScoreModel)
    fitted_on: str = "defaults (not fitted)"


    def substance_cap(self, specificity: float, vagueness: float = 0.0, stuffing: float = 0.0) -> float:
        """The highest overall an answer this (un)specific and this vague can get."""
        cap = 5.0
        if self.cap_full > self.cap_floor:
            cap = 1.0 + 4.0 * min(1.0, max(0.0, (specificity - self.cap_floor) / (self.cap_full - self.cap_floor)))
        cap = min(cap, 5.0 - self.vague_slope * max(0.0, vagueness - self.vague_free))
        # The labelling guide: keyword stuffing (terms without reasoning) is capped at 2.
        if stuffing >= self.stuffing_cap_from:
            share = min(1.0, (stuffing - self.stuffing_cap_from) / max(self.stuffing_cap_full - self.stuffing_cap_from, 1e-6))
            cap = min(cap, 5.0 - 3.0 * share)
        return max(1.0, cap)


@lru_cache(maxsize=1)
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """The shipped calibration, or defaults when none was fitted yet."""
    if path.exists():
        return Calibration.model_validate(json.loads(path.read_text(encoding="utf-8")))
    return Calibration()
