"""The eval's numpy statistics agree with scipy and scikit-learn, ties and absent labels included."""
import math
import subprocess
import sys

import numpy as np
import pytest
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import cohen_kappa_score, confusion_matrix

from interviewer.evaluation.stats import confusion_counts, pearson, quadratic_weighted_kappa, spearman

LABELS = [1, 2, 3, 4, 5]


@pytest.mark.parametrize("seed", range(8))
def test_statistics_match_the_reference_libraries(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 120))
    human = rng.integers(1, 6, size=n).astype(float)  # heavy ties, as labels have
    pred = np.clip(human + rng.normal(0, 1.2, size=n), 1, 5).round(1)
    assert pearson(human, pred) == pytest.approx(pearsonr(human, pred).statistic, abs=1e-12)
    assert spearman(human, pred) == pytest.approx(spearmanr(human, pred).statistic, abs=1e-12)
    h_int, p_int = human.astype(int), np.rint(pred).astype(int)
    assert quadratic_weighted_kappa(h_int, p_int, LABELS) == pytest.approx(
        cohen_kappa_score(h_int, p_int, labels=LABELS, weights="quadratic"), abs=1e-12)
    assert (confusion_counts(h_int, p_int, LABELS) == confusion_matrix(h_int, p_int, labels=LABELS)).all()


def test_undefined_statistics_are_nan_not_errors():
    assert math.isnan(pearson(np.array([3.0, 3.0, 3.0]), np.array([1.0, 2.0, 3.0])))
    assert math.isnan(spearman(np.array([1.0]), np.array([2.0])))
    assert math.isnan(quadratic_weighted_kappa([], [], LABELS))
    # Every item agrees on one label: no disagreement is possible, so kappa is undefined.
    assert math.isnan(quadratic_weighted_kappa([4, 4], [4, 4], LABELS))


def test_an_eval_run_does_not_import_scipy_or_scikit_learn(tmp_path):
    """They cost ~120 MB of the eval process's peak memory and only the TF-IDF baseline needs one."""
    code = (
        "import sys\n"
        "from interviewer.evaluation.metrics import compute_metrics\n"
        "from interviewer.evaluation import runner, report\n"
        "print(sorted(m for m in ('scipy', 'sklearn', 'matplotlib') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
