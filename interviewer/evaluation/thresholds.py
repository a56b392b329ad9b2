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
        # Rounded as reported: three answers at 1.3 for labels of 1 are +0.3, not 0.30000000000000004.
        if normalise_kind(kind) in ADVERSARIAL_KINDS and round(error.mean_error, 6) > MAX_ADVERSARIAL_INFLATION:
            failures.append(
                f"mean inflation on '{kind}' answers = {error.mean_error:+.3f} (n={error.n})"
                f" exceeds the threshold {MAX_ADVERSARIAL_INFLATION}"
            )
    return failures


# Point-level thresholds for the guide set, kept apart from MINIMUMS: check_gate does not
# apply them, so a run can report them before they are enforced. The key names say which
# way each bound goes.
POINT_MINIMUMS: dict[str, float] = {
    # Framework-point F1 with partial = ½ on both sides must be at least this.
    "min_point_f1": 0.80,
    # Credit given to labelled near misses, per near-miss point, must be at most this.
    "max_near_miss_false_credit": 0.10,
    # |mean signed error| of every register must be at most this: phrasing must not move scores.
    "max_register_abs_error": 0.5,
    # Share of answers labelled >= 4 that are predicted < 3 must be at most this.
    "max_strong_underscored": 0.05,
    # Follow-ups that ask about a point the labels say the answer already covered.
    "max_followup_on_covered": 0.05,
}


def check_point_gate(metrics: Metrics) -> list[str]:
    """Return one message per failed point-level threshold (:data:`POINT_MINIMUMS`).

    Not part of :func:`check_gate`. As there, an undefined figure fails: no point labels,
    no near-miss labels, no registers or no strong answers means the check shows nothing.
    """
    limits, failures = POINT_MINIMUMS, []
    points = metrics.points.overall if metrics.points is not None else None

    f1 = points.framework.f1 if points is not None else None
    if f1 is None:
        failures.append(f"point F1 is undefined (no point labels or no point predictions); needs >= {limits['min_point_f1']}")
    elif f1 < limits["min_point_f1"]:
        failures.append(f"point F1 (partial = ½) = {f1:.3f} is below the threshold {limits['min_point_f1']}")

    near = points.near_miss_false_credit if points is not None else None
    if near is None:
        failures.append(f"near-miss false credit is undefined (no near_miss labels); needs <= {limits['max_near_miss_false_credit']}")
    elif near > limits["max_near_miss_false_credit"]:
        failures.append(
            f"near-miss false credit = {near:.3f} ({points.near_miss_credit:g} over {points.near_miss_points} points)"
            f" exceeds the threshold {limits['max_near_miss_false_credit']}"
        )

    if not metrics.per_register:
        failures.append(f"per-register error is undefined (no register labels); needs |error| <= {limits['max_register_abs_error']}")
    for register, error in metrics.per_register.items():
        if abs(error.mean_error) > limits["max_register_abs_error"]:
            failures.append(
                f"mean signed error on '{register}' answers = {error.mean_error:+.3f} (n={error.n})"
                f" exceeds the threshold |error| <= {limits['max_register_abs_error']}"
            )

    under = metrics.strong_underscored
    if under.rate is None:
        failures.append(f"strong-under-scored rate is undefined (no answers labelled >= 4); needs <= {limits['max_strong_underscored']}")
    elif under.rate > limits["max_strong_underscored"]:
        failures.append(
            f"strong answers under-scored = {under.rate:.3f} ({under.n_underscored} of {under.n_strong} labelled >= 4"
            f" predicted < 3) exceeds the threshold {limits['max_strong_underscored']}"
        )
    follow = metrics.followup_on_covered
    if follow is not None and follow.rate is not None and follow.rate > limits["max_followup_on_covered"]:
        failures.append(f"follow-ups on a labelled-covered point = {follow.rate:.3f} ({follow.n_on_covered} of "
                        f"{follow.n_followups}) exceeds the threshold {limits['max_followup_on_covered']}")
    return failures
