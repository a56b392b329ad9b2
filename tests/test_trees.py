"""The exemplar stage's boosted trees: the numpy ensemble the grader runs is the fitted model."""
from __future__ import annotations

import numpy as np
import pytest

from evals.fit_trees import MONOTONE_UP, fit_trees, to_ensemble
from interviewer.errors import ConfigError
from interviewer.grading.exemplars import EXEMPLAR_FEATURES
from interviewer.grading.matcher import GUIDE_FEATURES, ExemplarStage, load_matcher
from interviewer.grading.trees import load_trees

NAMES = ("contrast_q", "cross", "noise")


def _fitted(seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(3000, 3))
    # Soft targets with an interaction (what the logistic model could not read) and partial credit.
    t = np.round(2 * np.clip(0.5 + 0.3 * X[:, 0] + 0.3 * X[:, 1] * (X[:, 0] > 0), 0, 1)) / 2
    return fit_trees(X, t, NAMES), rng


def test_the_numpy_ensemble_gives_the_fitted_models_logits_and_survives_a_round_trip(tmp_path):
    model, rng = _fitted()
    ensemble = to_ensemble(model, NAMES)
    X = rng.normal(size=(400, 3))
    X[0, 2] = np.nan  # a missing value goes where the fitted tree sends it
    assert np.allclose(ensemble.logit(X), model.decision_function(X), atol=1e-9)
    ensemble.save(tmp_path / "trees.npz")
    again = load_trees(tmp_path / "trees.npz")
    assert again.features == NAMES and np.allclose(again.logit(X), model.decision_function(X), atol=1e-9)
    with pytest.raises(ValueError, match="3 feature columns"):
        ensemble.logit(X[:, :2])


def test_the_evidence_features_only_ever_raise_the_probability():
    model, rng = _fitted(1)
    ensemble = to_ensemble(model, NAMES)
    X = rng.normal(size=(200, 3))
    for j, name in enumerate(NAMES):
        if name in MONOTONE_UP:
            more = X.copy()
            more[:, j] += 0.5
            assert (ensemble.logit(more) >= ensemble.logit(X) - 1e-12).all(), name


def test_a_shipped_sentence_that_states_a_point_better_never_gets_less_credit():
    """The shipped exemplar stage: raising the cross-encoder's logit or the likeness to the point's
    credited statements, all else equal, never lowers the probability that the point is stated."""
    stage = load_matcher().exemplar
    assert stage is not None and stage.ensemble is not None
    names = (*GUIDE_FEATURES, *EXEMPLAR_FEATURES)
    assert stage.ensemble.features == names
    rng = np.random.default_rng(2)
    X = np.c_[rng.normal(-1, 2, 300), rng.uniform(0, 0.5, (300, 4)), rng.normal(0, 4, 300), rng.uniform(0, 1, (300, 4)),
              rng.uniform(0.2, 0.9, (300, 2)), rng.uniform(-0.3, 0.3, (300, 2))]
    base = stage.probability(X[:, 0], X[:, 1:10], X[:, 10:], 0.56, 0.5)
    for name in ("cross", "ex_pos", "ex_diff", "ex_best_diff"):
        j = names.index(name)
        more = X.copy()
        more[:, j] += 0.3 if name != "cross" else 2.0
        assert (stage.probability(more[:, 0], more[:, 1:10], more[:, 10:], 0.56, 0.5) >= base - 1e-12).all(), name


def test_a_missing_trees_file_says_what_to_do():
    stage = ExemplarStage(trees="no-such-trees.npz")
    with pytest.raises(ConfigError, match="re-run `python -m evals.calibrate`"):
        stage.probability(np.zeros(1), np.zeros((1, len(GUIDE_FEATURES) - 1)), np.zeros((1, len(EXEMPLAR_FEATURES))), 0.56, 0.5)
