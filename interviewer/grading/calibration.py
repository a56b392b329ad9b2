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
FEATURES = ("framework", "example", "clarify", "tradeoffs", "specifics")


class ScoreModel(BaseModel):
    """overall = intercept + Σ weight·feature − stuffing_penalty·stuffing, clipped to 1-5."""

    intercept: float = 1.0
    weights: dict[str, float] = Field(default_factory=lambda: {"framework": 3.0, "example": 0.5, "clarify": 0.2, "tradeoffs": 0.2, "specifics": 0.1})
    stuffing_penalty: float = 1.0

    def predict(self, features: dict[str, float], stuffing: float) -> float:
        raw = self.intercept + sum(self.weights.get(k, 0.0) * features.get(k, 0.0) for k in FEATURES)
        return max(1.0, min(5.0, raw - self.stuffing_penalty * stuffing))


class Calibration(BaseModel):
    """Similarity thresholds for coverage and the two score models (guide / reference)."""

    covered: float = Field(default=0.45, description="Strength (similarity × reasoning quality) for 'covered'.")
    partial: float = Field(default=0.32, description="Strength for 'partial'.")
    relevance_floor: float = Field(default=0.25, description="Mean top-3 point similarity at which cross-cutting credit starts.")
    relevance_full: float = Field(default=0.5, description="... and at which it is given in full (off-topic stories earn nothing).")
    guide: ScoreModel = Field(default_factory=ScoreModel)
    reference: ScoreModel = Field(default_factory=ScoreModel)
    fitted_on: str = "defaults (not fitted)"


@lru_cache(maxsize=1)
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """The shipped calibration, or defaults when none was fitted yet."""
    if path.exists():
        return Calibration.model_validate(json.loads(path.read_text(encoding="utf-8")))
    return Calibration()
