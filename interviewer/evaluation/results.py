"""The typed results of an eval run, shared by the runner, the report and the gate."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from .metrics import Metrics


class ItemPrediction(BaseModel):
    """One grader's score for one item; ``predicted`` is on the dataset's scale."""

    id: str
    grader: str
    predicted: float
    human: float
    kind: str | None = None
    group: str
    # Dimensions stay on the grader's native scale: they are diagnostics, not compared to labels.
    dimensions: dict[str, float | None] = Field(default_factory=dict)
    # Checklist credit per labelled point id (covered 1, partial 0.5); empty for the baseline.
    points: dict[str, float] = Field(default_factory=dict)
    followup: str | None = None
    # The text the scorecard quotes for each credited framework point (label id → quote).
    quotes: dict[str, str] = Field(default_factory=dict)
    flags: list[str] | None = None


class GraderResult(BaseModel):
    """How one grader did on the dataset."""

    grader: str
    native_scale: tuple[float, float]
    metrics: Metrics
    predictions: list[ItemPrediction]
    # None = no gate was checked; [] = the gate passed.
    gate_failures: list[str] | None = None


class BehaviourCheck(BaseModel):
    """A scripted interviewer-behaviour check: how many of ``total`` runs passed."""

    name: str
    passed: int = Field(ge=0)
    total: int = Field(ge=0)

    @model_validator(mode="after")
    def _passed_within_total(self) -> BehaviourCheck:
        if self.passed > self.total:
            raise ValueError(f"check '{self.name}': passed ({self.passed}) exceeds total ({self.total})")
        return self

    @property
    def pass_rate(self) -> float | None:
        """Fraction passed, or None when nothing ran."""
        return self.passed / self.total if self.total else None


class EvalResult(BaseModel):
    """Everything a run produced, plus where it was written."""

    dataset: str
    dataset_kind: str | None = None
    scale: tuple[float, float]
    n_items: int
    graders: list[GraderResult]
    behaviour: list[BehaviourCheck] = Field(default_factory=list)
    out_dir: Path
    # Which int8 kernels ran the models (onnx_runs.INT8_PATHS): the 8-bit models' figures
    # differed between VNNI and non-VNNI CPUs, so a figure says which it came from.
    int8_path: str = "unknown"

    def grader(self, name: str) -> GraderResult:
        """The result for the grader called ``name``."""
        for result in self.graders:
            if result.grader == name:
                return result
        raise KeyError(f"no grader named {name!r}; have {[r.grader for r in self.graders]}")

    @property
    def passed_gate(self) -> bool:
        """True unless a checked gate reported failures."""
        return not any(r.gate_failures for r in self.graders)

    def metrics_json(self) -> dict:
        """The contents of ``metrics.json``: everything except per-item predictions."""
        return {
            "dataset": self.dataset,
            "dataset_kind": self.dataset_kind,
            "scale": list(self.scale),
            "n_items": self.n_items,
            "int8_path": self.int8_path,
            "graders": {
                r.grader: {
                    "native_scale": list(r.native_scale),
                    "metrics": r.metrics.model_dump(mode="json"),
                    "gate_failures": r.gate_failures,
                }
                for r in self.graders
            },
            "behaviour": [b.model_dump(mode="json") for b in self.behaviour],
        }
