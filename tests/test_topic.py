"""The pure topic reading behind the off-topic cap (interviewer.grading.topic)."""
import numpy as np

from interviewer.grading.topic import QuestionProbes, closest_other, framework_fit


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_the_fit_averages_the_three_points_the_answer_comes_closest_to():
    point_unit = np.array([[0.9, 0.1], [0.2, 0.7], [0.5, 0.4], [0.0, 0.1]])
    assert framework_fit(point_unit) == np.mean([0.9, 0.7, 0.5])
    assert framework_fit(np.zeros((0, 3))) == 0.0


def test_the_closest_other_question_is_never_the_question_asked():
    answer = np.stack([_unit(1, 0, 0)])
    asked = QuestionProbes("asked", "Asked?", np.array([0, 1, 2]), np.stack([_unit(1, 0, 0), _unit(1, 0.1, 0), _unit(1, 0, 0.1)]))
    near = QuestionProbes("near", "Near?", np.array([0, 0, 1]), np.stack([_unit(1, 0.5, 0), _unit(0, 1, 0), _unit(1, 1, 0)]))
    far = QuestionProbes("far", "Far?", np.array([0]), np.stack([_unit(0, 0, 1)]))
    other, fit = closest_other(answer, [asked, near, far], own_id="asked")
    assert other is near and fit > far.fit(answer)
    assert closest_other(answer, [asked], own_id="asked") == (None, 0.0)
