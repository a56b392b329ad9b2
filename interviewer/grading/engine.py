"""The grader: answer + rubric → :class:`Scorecard`, deterministically, with no LLM.

Every point is matched semantically (embeddings of the answer's sentences and clauses
against the point's wording), weighted by how much reasoning the matching words carry,
quoted verbatim and cited. Scores come from a mapping fitted on the dev split.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from interviewer.embeddings import Embedder
from interviewer.errors import InputError
from interviewer.grading import signals as sig
from interviewer.grading.calibration import Calibration, load_calibration
from interviewer.grading.injection import find_injections
from interviewer.grading.scorecard import DimensionScore, Evidence, Gap, PointResult, Scorecard
from interviewer.grading.text import (
    Unit,
    has_substance,
    letters_ratio_latin,
    looks_like_gibberish,
    normalise,
    split_units,
)
from interviewer.guide.model import Guide, Question
from interviewer.rubric import Dimension, Rubric, rubric_for_question, rubric_for_reference

DEFAULT_MAX_CHARS = 20_000
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


@dataclass
class Features:
    """What the overall score is computed from (all 0-1)."""

    framework: float
    example: float
    clarify: float
    tradeoffs: float
    specifics: float
    stuffing: float
    specificity: float
    concreteness: float
    filler: float
    vagueness: float
    density: float

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in ("framework", "example", "clarify", "tradeoffs", "specifics", "specificity", "concreteness", "density", "stuffing", "filler", "vagueness")}


def coerce_answer(answer: str | bytes) -> str:
    """Accept text (or UTF-8 bytes); refuse binary with a clear message."""
    if isinstance(answer, bytes):
        if b"\x00" in answer[:4096]:
            raise InputError("The answer looks like a binary file; paste or upload plain text.")
        try:
            answer = answer.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError("The answer is not UTF-8 text; save it as UTF-8 and try again.") from exc
    if not isinstance(answer, str):
        raise InputError(f"The answer must be text, not {type(answer).__name__}.")
    sample = answer[:4096]
    if sample and sum(ch == "\x00" or (ord(ch) < 32 and ch not in "\n\r\t") for ch in sample) > len(sample) * 0.1:
        raise InputError("The answer looks like binary data; paste or upload plain text.")
    return answer


class Grader:
    """Grades answers against rubrics. Holds the embedder (and its cache) and calibration."""

    name = "rubric (offline, deterministic)"

    def __init__(self, embedder: Embedder, guide: Guide | None = None, calibration: Calibration | None = None,
                 max_chars: int = DEFAULT_MAX_CHARS):
        self.embedder = embedder
        self.guide = guide
        self.calibration = calibration or load_calibration()
        self.max_chars = max_chars
        self._rubrics: dict[tuple, Rubric] = {}

    # -- public API ---------------------------------------------------------------
    def rubric_for(self, question: Question | str, reference: str | None = None) -> Rubric:
        """The guide rubric for a guide question (by object, id or exact text), else a reference rubric."""
        if isinstance(question, Question):
            # Rubrics are pure functions of the question: build each once per grader.
            key = (question.id, question.text, question.source)
            if key not in self._rubrics:
                self._rubrics[key] = rubric_for_question(question)
            return self._rubrics[key]
        if self.guide is not None and not reference:
            for q in self.guide.questions:
                if question.strip() in (q.id, q.text) or question.strip().rstrip("?").lower() == q.text.rstrip("?").lower():
                    return self.rubric_for(q)
        return rubric_for_reference(question, reference)

    def grade(self, question: Question | str, answer: str | bytes, *, rubric: Rubric | None = None,
              reference: str | None = None, assess: set[str] | None = None) -> Scorecard:
        """Grade ``answer``; ``assess`` limits which dimensions can be judged (others: not assessed)."""
        return self.analyse(question, answer, rubric=rubric, reference=reference, assess=assess)[0]

    def analyse(self, question: Question | str, answer: str | bytes, *, rubric: Rubric | None = None,
                reference: str | None = None, assess: set[str] | None = None) -> tuple[Scorecard, Features]:
        """Like :meth:`grade`, also returning the features the score was computed from (for calibration)."""
        rubric = rubric or self.rubric_for(question, reference)
        text = normalise(coerce_answer(answer)[: self.max_chars * 2])
        flags, notes = [], []
        if len(text) > self.max_chars:
            text = text[: self.max_chars]
            flags.append("truncated")
            notes.append(f"The answer was longer than {self.max_chars:,} characters; only the first {self.max_chars:,} were graded.")
        if not has_substance(text):
            return self._floor(rubric, text, flags + ["no_substance"], notes + ["No substantive answer was given."], assess)
        injections = find_injections(text)
        if injections:
            flags.append("injection_attempt")
            kinds = ", ".join(sorted({h.kind for h in injections}))
            notes.append(f"The answer contains text addressed to the grader ({kinds}); it was ignored and earns no credit.")
        units = split_units(text, mask=[(h.start, h.end) for h in injections])
        content = " ".join(u.text for u in units)
        foreign = bool(units) and letters_ratio_latin(content) < 0.6
        if not units or (not foreign and looks_like_gibberish(content)):
            return self._floor(rubric, text, flags + ["no_substance"], notes + ["No substantive answer was given (the text is not meaningful)."], assess)
        if foreign:
            flags.append("non_english")
            notes.append("The answer does not appear to be in English; the offline grader's matching is English-only, so this score is less reliable.")
        mask = [(h.start, h.end) for h in injections]
        return self._grade_units(rubric, text, units, flags, notes, assess, mask)

    # -- internals ----------------------------------------------------------------
    def _grade_units(self, rubric: Rubric, text: str, units: list[Unit], flags, notes, assess, mask=()) -> tuple[Scorecard, Features]:
        cal = self.calibration
        notes = list(notes)
        semantic = [d for d in rubric.dimensions if d.kind in ("framework", "reference", "relevance")]
        probes = [(d, p, probe) for d in semantic for p in d.points for probe in p.probes]
        unit_vecs = self.embedder.embed([u.text for u in units])
        probe_vecs = self.embedder.embed([probe for _, _, probe in probes]) if probes else np.zeros((0, unit_vecs.shape[1]))
        sims = probe_vecs @ unit_vecs.T if probes else np.zeros((0, len(units)))
        sentences = [_sentence_of(text, u) for u in units]
        quality = np.array([sig.reasoning_quality(u, sent) for u, sent in zip(units, sentences)], dtype=np.float32)
        point_ids = list(dict.fromkeys(p.id for _, p, _ in probes))
        rows = {pid: [r for r, (_, p, _) in enumerate(probes) if p.id == pid] for pid in point_ids}
        point_unit = np.stack([sims[rows[pid]].max(axis=0) for pid in point_ids]) if probes else np.zeros((0, len(units)))
        # A sentence that is merely *about the topic* ("when designing a CI/CD pipeline...")
        # resembles every point alike; what counts is how much more it resembles this point
        # than the rubric's average point. Strength also weighs reasoning quality, so the best
        # evidence is the clause that explains an idea, not the buzzword that names it.
        generic = point_unit.mean(axis=0) if probes else np.zeros(len(units))
        strengths = np.clip(point_unit - cal.centering * generic[None, :], 0.0, 1.0) * quality[None, :]
        best = {pid: (float(strengths[i].max()), int(strengths[i].argmax())) for i, pid in enumerate(point_ids)}
        on_point = (strengths.max(axis=0) >= cal.partial) if probes else np.ones(len(units), dtype=bool)
        # Specificity: how much more each full sentence resembles its best point than the
        # rubric's average point. Fluent generalities and off-topic stories score near 0.
        full = np.array([len(u.words) >= 5 for u in units]) if probes else np.zeros(len(units), dtype=bool)
        spec = (point_unit.max(axis=0) - generic) if probes else np.zeros(len(units))
        specificity = float(spec[full].mean() if full.any() else (spec.mean() if len(spec) else 0.0))
        span = max(cal.specificity_full - cal.specificity_floor, 1e-6)
        rel_factor = float(np.clip((specificity - cal.specificity_floor) / span, 0.0, 1.0)) if probes else 1.0

        dims: list[DimensionScore] = []
        for d in rubric.dimensions:
            if d.kind in ("framework", "reference", "relevance"):
                results = [self._semantic_point(p, best.get(p.id, (0.0, 0)), units) for p in d.points]
            else:
                results = self._signal_points(d, units, rubric, rel_factor, on_point)
            dims.append(_dimension(d, results, cal, assessed=assess is None or d.id in assess))

        # Density: rubric points covered per full sentence, so a short answer that hits many
        # points is not outscored by a long one that hits the same points more slowly.
        covered_points = sum(soft_credit(r.strength, cal) for d in dims if d.kind in ("framework", "reference") for r in d.points)
        density = min(1.0, covered_points / (2.0 * max(1, int(full.sum())))) if probes else 0.0
        kept = _unmasked(text, mask)
        stuffing = max(sig.list_stuffing_ratio(kept), sig.repetitiveness(kept))
        feats = _features(dims, stuffing, min(1.0, max(0.0, specificity) / 0.3),
                          sig.concreteness(units, exclude=rubric.question), sig.filler_ratio(units, on_point), sig.vagueness(units), density)
        model = cal.guide if rubric.source == "guide" else cal.reference
        overall = None
        if any(d.assessed for d in dims):
            # Caps encode the guide's labelling rules, so they apply to guide questions. Behavioural
            # rubric points resemble each other (process, communication), which makes sentence
            # specificity meaningless there: only the vagueness and stuffing caps apply.
            spec_for_cap = 1.0 if rubric.behavioural else feats.specificity
            cap = cal.substance_cap(spec_for_cap, feats.vagueness, feats.stuffing) if rubric.source == "guide" else 5.0
            overall = min(model.predict(feats.as_dict()), cap)
            overall = round(overall, 1)
            if overall < model.predict(feats.as_dict()) - 0.05:
                notes.append("Much of the answer stays general (few specific statements, generic phrasing), which caps the score.")
        return _assemble(rubric, dims, overall, flags, notes, self.name), feats

    def _semantic_point(self, point, hit: tuple[float, int], units: list[Unit]) -> PointResult:
        cal = self.calibration
        strength, j = hit
        strength = round(max(0.0, strength), 3)
        unit = units[j]
        if strength >= cal.covered:
            status = "covered"
        elif strength >= cal.partial:
            status = "partial"
        else:
            status = "missing"
        evidence = Evidence(quote=unit.text, start=unit.start, end=unit.end) if status != "missing" else None
        return PointResult(id=point.id, text=point.text, status=status, strength=strength, evidence=evidence, citation=point.citation)

    def _signal_points(self, d: Dimension, units: list[Unit], rubric: Rubric, rel_factor: float, on_point) -> list[PointResult]:
        # Trade-offs and specifics only count in sentences that say something about a rubric
        # point: "rather than by technology" in a fluent generality is not a trade-off.
        focused = [u for u, keep in zip(units, on_point) if keep]
        fn = {"clarify": lambda: sig.clarify_signals(units, rubric.behavioural),
              "tradeoffs": lambda: sig.tradeoff_signals(focused),
              "specifics": lambda: sig.specifics_signals(focused, exclude=rubric.question),
              "example": lambda: sig.example_signals(units, focused)}[d.id]
        out = []
        for p, s in zip(d.points, fn()):
            credit = s.credit * rel_factor  # off-topic stories and numbers earn nothing
            status = "covered" if credit >= 0.75 else ("partial" if credit >= 0.25 else "missing")
            ev = Evidence(quote=s.unit.text, start=s.unit.start, end=s.unit.end) if s.unit and status != "missing" else None
            out.append(PointResult(id=p.id, text=p.text, status=status, strength=round(credit, 3), evidence=ev, citation=p.citation))
        return out

    def _floor(self, rubric: Rubric, text: str, flags, notes, assess) -> Scorecard:
        dims = [_dimension(d, [PointResult(id=p.id, text=p.text, status="missing", strength=0.0, citation=p.citation) for p in d.points],
                           self.calibration, assessed=assess is None or d.id in assess) for d in rubric.dimensions]
        for d in dims:
            d.score = 1 if d.assessed else None
        return _assemble(rubric, dims, 1.0, flags, notes, self.name), Features(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def _unmasked(text: str, mask) -> str:
    """The answer with masked spans (grader-directed text) blanked, line structure kept."""
    for start, end in mask:
        text = text[:start] + "".join("\n" if ch == "\n" else " " for ch in text[start:end]) + text[end:]
    return text


def _sentence_of(text: str, unit: Unit) -> str:
    start = max(text.rfind(".", 0, unit.start), text.rfind("\n", 0, unit.start)) + 1
    ends = [i for i in (text.find(".", unit.end), text.find("\n", unit.end)) if i != -1]
    return text[start : min(ends) if ends else len(text)]


def soft_credit(strength: float, cal: Calibration) -> float:
    """Credit 0-1 for a point: 0 below the 'partial' strength, 1 from 'covered' + margin, linear between."""
    lo, hi = cal.partial, cal.covered + cal.soft_margin
    return float(np.clip((strength - lo) / max(hi - lo, 1e-6), 0.0, 1.0))


def _dimension(d: Dimension, results: list[PointResult], cal: Calibration, assessed: bool) -> DimensionScore:
    if d.kind in ("framework", "reference", "relevance"):
        credits = [soft_credit(r.strength, cal) for r in results]
    else:
        credits = [r.strength for r in results]
    coverage = round(float(np.mean(credits)) if credits else 0.0, 3)
    score = int(1 + round(4 * coverage)) if assessed else None
    return DimensionScore(id=d.id, title=d.title, kind=d.kind, score=score, assessed=assessed, coverage=coverage,
                          points=results if assessed else [r.model_copy(update={"status": "missing", "evidence": None}) for r in results],
                          citation=d.citation)


def _features(dims: list[DimensionScore], stuffing: float, specificity: float, concreteness: float, filler: float,
              vagueness: float, density: float) -> Features:
    assessed = [d for d in dims if d.assessed]
    core = [d.coverage for d in assessed if d.kind in ("framework", "reference", "relevance")]
    core_mean = float(np.mean(core)) if core else 0.0

    def f(dim_id: str) -> float:
        d = next((x for x in dims if x.id == dim_id), None)
        # Not assessed: impute the core mean so the overall reflects only what was asked.
        return core_mean if d is None or not d.assessed else d.coverage

    return Features(core_mean, f("example"), f("clarify"), f("tradeoffs"), f("specifics"), stuffing, specificity, concreteness, filler, vagueness, density)


def _assemble(rubric: Rubric, dims: list[DimensionScore], overall: float | None, flags, notes, grader: str) -> Scorecard:
    from interviewer.grading.verdict import confidence, level_verdict, outline, strengths

    level, reasons = level_verdict(overall, dims, flags)
    conf, conf_reasons = confidence(rubric, dims, flags)
    gaps = [Gap(dimension=d.title, point=p.text, citation=p.citation) for d in dims if d.assessed for p in d.points if p.status == "missing"]
    return Scorecard(
        question=rubric.question, question_id=rubric.question_id, rubric_source=rubric.source, dimensions=dims,
        overall=overall, overall_rounded=None if overall is None else int(np.floor(overall + 0.5)),
        level=level, level_reasons=reasons, strengths=strengths(dims), gaps=gaps, outline=outline(rubric, dims),
        confidence=conf, confidence_reasons=conf_reasons, flags=sorted(set(flags)), notes=notes, grader=grader,
    )
