"""The release gate: every threshold a grader must meet, kept in one place."""
from __future__ import annotations

from typing import Literal

from interviewer.errors import InterviewerError

from .metrics import Metrics

DatasetKind = Literal["guide", "reference"]

# Minimum point estimates per dataset kind. The guide set is judged on ranking and on
# label agreement; the reference set has continuous-ish labels, so Pearson is enough.
MINIMUMS: dict[str, dict[str, float]] = {
    "guide": {"spearman": 0.75, "qwk": 0.6},
    "reference": {"pearson": 0.6},
}

# Answers built to fool a grader; it must not score them more than this above the humans.
ADVERSARIAL_KINDS: frozenset[str] = frozenset({"keyword-stuffed", "verbose-but-shallow", "injection", "off-topic"})
MAX_ADVERSARIAL_INFLATION = 0.3


def normalise_kind(kind: str) -> str:
    """``Keyword_Stuffed`` and ``keyword stuffed`` both mean ``keyword-stuffed``."""
    return kind.strip().lower().replace("_", "-").replace(" ", "-")


def check_gate(metrics: Metrics, dataset_kind: str) -> list[str]:
    """Return one message per failed threshold; an empty list means the gate passed.

    Thresholds apply to point estimates. A correlation that is undefined (constant scores)
    counts as a failure, since it shows nothing about agreement.

    Raises:
        InterviewerError: ``dataset_kind`` is not one of the known kinds.
    """
    if dataset_kind not in MINIMUMS:
        raise InterviewerError(f"unknown dataset kind {dataset_kind!r}; expected one of {sorted(MINIMUMS)}")

    failures: list[str] = []
    for name, minimum in MINIMUMS[dataset_kind].items():
        value = getattr(metrics, name).value
        if value is None:
            failures.append(f"{name} is undefined (constant scores); {dataset_kind} set needs {name} >= {minimum}")
        elif value < minimum:
            failures.append(f"{name} = {value:.3f} is below the {dataset_kind}-set threshold {name} >= {minimum}")

    for kind, error in metrics.per_kind.items():
        if normalise_kind(kind) in ADVERSARIAL_KINDS and error.mean_error > MAX_ADVERSARIAL_INFLATION:
            failures.append(
                f"mean inflation on '{kind}' answers = {error.mean_error:+.3f} (n={error.n})"
                f" exceeds the threshold {MAX_ADVERSARIAL_INFLATION}"
            )
    return failures
