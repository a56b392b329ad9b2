"""The baseline's TF-IDF cosine matches scikit-learn's, which it replaced to keep the eval process small."""
import json
import subprocess
import sys

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from interviewer.evaluation.tfidf import STOP_WORDS, TfidfCosine
from interviewer.settings import REPO_ROOT


def _sklearn_cosines(references, pairs):
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(sorted(set(references)))
    a = vectorizer.transform([p[0] for p in pairs])
    b = vectorizer.transform([p[1] for p in pairs])
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def test_stop_words_are_scikit_learns():
    assert STOP_WORDS == ENGLISH_STOP_WORDS


def test_cosines_match_scikit_learn_on_real_answers():
    rows = [json.loads(line) for line in (REPO_ROOT / "evals" / "datasets" / "reference_dev.jsonl").read_text().splitlines()
            if line.strip()]
    references = [r["reference"] for r in rows]
    pairs = [(r["answer"], r["reference"]) for r in rows] + [("Caches, caches and CACHES: eviction (LRU)!", references[0]),
                                                             ("naïve café résumé", "cafe naïve"), ("", references[1])]
    ours = TfidfCosine(sorted(set(references))).cosines(pairs)
    np.testing.assert_allclose(ours, _sklearn_cosines(references, pairs), atol=1e-12)
    assert len(pairs) >= 25 and (ours > 0).sum() > len(pairs) // 2  # real overlap, not a page of zeros


def test_unknown_words_and_empty_vocabulary():
    tfidf = TfidfCosine(["consistent hashing with virtual nodes"])
    assert tfidf.cosine("bananas and apples", "consistent hashing") == 0.0
    assert tfidf.cosine("Consistent HASHING", "consistent hashing") == pytest.approx(1.0)
    with pytest.raises(ValueError, match="empty vocabulary"):
        TfidfCosine(["the and of", "a"])


def test_eval_process_does_not_import_scikit_learn():
    # What the floor on eval memory rests on: grading with the baseline loads neither package.
    code = ("import sys; from interviewer.evaluation import graders; from interviewer.evaluation.dataset import EvalItem; "
            "g = graders.BaselineGrader(lambda _: 'a reference about caching'); "
            "items = [EvalItem(id='1', question='q', answer='caching helps', score=3)]; g.prepare(items); g.predict(items[0]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert out.stdout.strip() == "[]"
