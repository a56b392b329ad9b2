"""The grader: answer + rubric → :class:`Scorecard`, deterministically, with no LLM.

Every point is matched semantically (embeddings of the answer's sentences and clauses
against the point's wording), weighted by how much reasoning the matching words carry,
quoted verbatim and cited. Scores come from a mapping fitted on the dev split.
"""
from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from interviewer.dimensions import BY_ID, CROSS_IDS, SEMANTIC_KINDS, is_cross
from interviewer.embeddings import Embedder
from interviewer.errors import ConfigError, InputError
from interviewer.grading import signals as sig
from interviewer.grading.blas import one_blas_thread
from interviewer.grading.calibration import (Calibration, credit_kept, framework_features, load_calibration, reference_credit,
                                           relevance_probability)
from interviewer.grading.matcher import Matcher, evidence_unit_features, guide_features, load_matcher, pair_features
from interviewer.grading.cross_encoder import CrossEncoder
from interviewer.grading.exemplars import ExemplarBank, load_bank, read_as_misses
from interviewer.grading.injection import DELIMITED, find_injections
from interviewer.grading.scorecard import SIGNAL_COVERED, SIGNAL_PARTIAL, DimensionScore, Evidence, Gap, PointResult, Scorecard
from interviewer.grading.topic import QuestionProbes, closest_other, framework_fit
from interviewer.grading.text import (
    Unit,
    has_substance,
    letters_ratio_latin,
    looks_like_gibberish,
    normalise,
    split_units,
)
from interviewer.guide.model import Guide, Question
from interviewer.rubric import Dimension, Rubric, expand_abbreviations, rubric_for_question, rubric_for_reference

DEFAULT_MAX_CHARS = 20_000
# An example dimension scored this high (a concrete story with an outcome) exempts terse notes
# from the keyword-stuffing cap.
STORY_SCORE = 3
# Labelling rule 2: "a list plus one or two reasoned sentences can reach 2". An answer that states
# this many framework points (covered 1, partial ½) in sentences that are no list, fragment or
# buzzword run is reasoning in notes, not a list, and the keyword-stuffing cap does not bind.
# Of 129 fitting answers the cap bound, the 120 labelled 1–2 had fewer than three points credited
# at all; six of the nine labelled 3–5 had three or more outside their lists.
REASONED_POINTS = 3
EVIDENCE_TOP = 3  # the "evidence" feature averages the three best-stated points
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


@dataclass
class Claims:
    """Confident claims in sentences that state no point, and the framework coverage they sit beside."""

    sentences: list[Unit]
    coverage: float  # framework coverage after the near-miss shrink (what the score model reads)


@dataclass
class Features:
    """What the overall score is computed from (all 0-1), plus the stuffing share for the cap."""

    framework: float
    cross: dict[str, float]  # cross-cutting dimension id → coverage (see interviewer.dimensions)
    stuffing: float = 0.0
    breadth: float = 0.0
    evidence: float = 0.0
    ceiling: float = 5.0  # the highest overall the named caps allow this answer (5: no cap)
    miss_share: float = 0.0  # share of bank-known points the answer reads as missing (see read_as_misses)
    stated: float = 0.0  # mean probability that each point is stated, assessed cross-cutting coverage beside them

    def as_dict(self) -> dict[str, float]:
        return {**framework_features(self.framework, self.breadth, self.evidence), **{BY_ID[k].feature: v for k, v in self.cross.items()},
                "stated": self.stated, "reference_credit": reference_credit(self.framework, self.stated)}


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
                 max_chars: int = DEFAULT_MAX_CHARS, matcher: Matcher | None = None,
                 cross_encoder: CrossEncoder | None = None, exemplars: ExemplarBank | None | str = "shipped"):
        self.embedder = embedder
        self.guide = guide
        self.calibration = calibration or load_calibration()
        self.matcher = matcher or load_matcher()
        self.cross_encoder = cross_encoder  # loaded on first use, only if the matcher reads it
        self.max_chars = max_chars
        self._rubrics: dict[tuple, Rubric] = {}
        self._guide_probes: list[QuestionProbes] | None = None  # every guide question's points, embedded on first need
        # The shipped exemplar bank is read lazily; "shipped" = use it when it fits this embedder.
        self._exemplars = exemplars

    @property
    def exemplars(self) -> ExemplarBank | None:
        """The exemplar bank the matcher reads (None: the plain guide stage for every point)."""
        if isinstance(self._exemplars, str):
            bank = load_bank() if self.matcher.exemplar is not None else None
            self._exemplars = bank if bank is not None and bank.embedder == getattr(self.embedder, "name", "") else None
        return self._exemplars

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
              reference: str | None = None, assess: set[str] | None = None,
              replies: list[tuple[str, str]] | None = None) -> Scorecard:
        """Grade ``answer``; ``assess`` limits which dimensions can be judged (others: not assessed).

        ``replies``: (point key "dim/point", reply text) for each part of ``answer`` that replied to
        a follow-up asking about that point (see :func:`focus_units`)."""
        return self.analyse(question, answer, rubric=rubric, reference=reference, assess=assess, replies=replies)[0]

    def analyse(self, question: Question | str, answer: str | bytes, *, rubric: Rubric | None = None,
                reference: str | None = None, assess: set[str] | None = None,
                replies: list[tuple[str, str]] | None = None) -> tuple[Scorecard, Features]:
        """Like :meth:`grade`, also returning the features the score was computed from (for calibration)."""
        with one_blas_thread():
            return self._analyse(question, answer, rubric, reference, assess, replies)

    def _analyse(self, question, answer, rubric, reference, assess, replies) -> tuple[Scorecard, Features]:
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
        mask = grader_directed(text, injections)
        units = split_units(text, mask=mask)
        content = " ".join(u.text for u in units)
        foreign = bool(units) and letters_ratio_latin(content) < 0.6
        if not units or (not foreign and looks_like_gibberish(content)):
            return self._floor(rubric, text, flags + ["no_substance"], notes + ["No substantive answer was given (the text is not meaningful)."], assess)
        if foreign:
            flags.append("non_english")
            notes.append("The answer does not appear to be in English; the offline grader's matching is English-only, so this score is less reliable.")
        return self._grade_units(rubric, text, units, flags, notes, assess, mask, replies)

    def _relevance_cos(self, question: str, text: str, mask) -> float:
        vecs = self.embedder.embed([question, _unmasked(text, mask)])
        return float(vecs[0] @ vecs[1])

    def relevance(self, question: str, answer: str) -> float:
        """How near an answer is to a question, as a question-only rubric reads it: the cosine of
        their embeddings, the answer prepared as for grading (grader-directed text blanked)."""
        text = normalise(coerce_answer(answer)[: self.max_chars])
        return self._relevance_cos(question, text, grader_directed(text, find_injections(text)))

    # -- internals ----------------------------------------------------------------
    def _grade_units(self, rubric: Rubric, text: str, units: list[Unit], flags, notes, assess, mask=(),
                     replies=None) -> tuple[Scorecard, Features]:
        cal, matcher = self.calibration, self.matcher
        notes = list(notes)
        m = self._match(rubric, text, units, mask, replies)
        points, best_unit, question_unit = m.points, m.best_unit, m.question_unit
        prob = m.probability(matcher)
        guide_stage = m.rubric_features is not None
        if rubric.source == "none" and len(points):
            # A user's question with no model answer: its one point is the question itself, and an
            # answer is about it when the answer as a whole is near it (question-to-answer likeness,
            # the embedder's training task), not when one sentence "states" the question.
            cos = self._relevance_cos(rubric.question, text, mask)
            prob = np.full(len(points), relevance_probability(cos, cal, matcher.cutoffs(False)))
        quoted = m.best_unit if m.quote_unit is None else m.quote_unit
        results = {p.id: self._semantic_point(p, float(prob[i]), m.units[int(quoted[i])], guide_stage) for i, p in enumerate(points)}
        framework_credit = float(sum(matcher.credit(float(x), guide_stage) for x in prob))
        # Sentences that are the evidence for some point: the rest is filler unless concrete.
        evidence = np.zeros(len(units), dtype=bool)
        for i in range(len(points)):
            w = m.units[int(best_unit[i])]
            if prob[i] >= matcher.cutoffs(guide_stage)[1]:
                evidence |= np.array([u.start < w.end and w.start < u.end for u in units])
        # Off-topic stories and numbers earn no cross-cutting credit: it grows with the
        # framework points actually stated (full from two points on).
        # On a user's own question the one point is relevance, and full from "partly relevant" up: the
        # whole answer's likeness to a question is lower for a story or terse notes than for an
        # essay saying the same, and halving their credit made register cost points (CALIBRATION.md,
        # thirty-fourth session).
        rel_factor = min(1.0, 2.0 * framework_credit if rubric.source == "none" else framework_credit / 2.0) if points else 1.0

        dims: list[DimensionScore] = []
        for d in rubric.dimensions:
            if d.kind in SEMANTIC_KINDS:
                point_results = [results[p.id] for p in d.points]
            else:
                point_results = self._signal_points(d, units, rubric, rel_factor)
            dims.append(_dimension(d, point_results, matcher, guide_stage, assessed=(assess is None or d.id in assess) and d.id not in rubric.not_assessed))

        kept = _unmasked(text, mask)
        # Against a reference, short factual answers are fragments by nature: only real lists of
        # terms count (on SemEval-2013 train, 207 of 2,000 student answers were capped as
        # stuffing when fragments counted, 27 % of them correct).
        stuffing = max(sig.list_stuffing_ratio(kept, lists_only=rubric.source == "reference"), sig.repetitiveness(kept))
        features = _features(dims, stuffing)
        asked = [d.coverage for d in dims if d.kind not in SEMANTIC_KINDS and d.assessed]
        features.stated = float(np.mean([*prob, *asked])) if len(prob) or asked else 0.0
        if m.rubric_features is not None and len(points):
            features.evidence = float(np.sort(m.rubric_features[:, 0])[-EVIDENCE_TOP:].mean())
        model = cal.model_for(rubric)
        misses = []
        if m.likeness is not None and m.exemplar_known is not None and m.exemplar_known.any():
            credited = prob >= matcher.cutoffs(guide_stage)[1]
            restating = np.array(sig.restates_question(units, rubric.question), dtype=bool)
            misses = read_as_misses(*m.likeness, m.exemplar_known, credited, cal.miss_cos, cal.miss_margin,
                                    stating=evidence | restating)
            features.miss_share = len(misses) / int(m.exemplar_known.sum())
        overall, claims = None, None
        if any(d.assessed for d in dims):
            raw = model.predict(features.as_dict(), shrink=cal.miss_shrink * features.miss_share)
            miss_note = _miss_note(misses, points, m.units) if misses and cal.miss_shrink > 0 else None
            filler = sig.filler_sentences(units, evidence)
            # Whole sentences only, and never in a language the matcher cannot read (it states no point
            # there because it cannot tell, not because the answer says nothing).
            sentences = set(sig.whole_sentences(units))
            filler_whole = [] if "non_english" in flags else [u for u in filler if u in sentences]
            # Only read where the stuffing cap could bind: below its start the lists change nothing.
            listy = stuffing >= cal.stuffing_cap_from
            term_lists = sig.term_lists(kept) if listy else []
            outside = _points_outside(dims, sig.stuffed_sentences(kept)) if listy else 0.0
            reasoned = listy and (_tells_a_story(dims, term_lists) or outside >= REASONED_POINTS)
            # Rule 2's bare list scores 1 however it is dressed: "At my last company I worked on
            # frontend performance. We did code splitting, lazy loading, ... We covered all of
            # these." Its other sentences thin the list's share of the words, but none of them
            # gives a reason or states a point (batch 38's keyword-stuffed answers read 1.5 for 1;
            # on the fitting answers that read so, 163 of 194 are labelled 1).
            bare = (listy and not reasoned and outside == 0
                    and not any(sig.has_reason(s) for s in sig.plain_sentences(kept)))
            topic = self._topic(rubric, m, framework_credit)
            # The card quotes a claim the near-miss note does not already quote, where there is one.
            missed = [m.units[j] for _, j in misses]
            claim_units = sorted(sig.confident_claims(units, evidence), key=lambda u: any(u.start < w.end and w.start < u.end for w in missed))
            claim_units = _disjoint(claim_units)  # a sentence and its clause are one claim to check
            claims = Claims(claim_units, features.framework * credit_kept(cal.miss_shrink * features.miss_share))
            cap_args = (cal, stuffing, framework_credit, float(question_unit.max()) if len(units) else 0.0, kept, rubric, filler,
                        len([u for u in units if len(u.words) >= 6]), reasoned, topic, claims, bare, filler_whole)
            overall, cap_notes, cap_flags = _apply_caps(raw, *cap_args)
            if "keyword_stuffing" in cap_flags:
                dims = _example_outside_lists(dims, term_lists)
            features.ceiling = _apply_caps(5.0, *cap_args)[0]
            # An answer to another problem does not touch this question's points: the off-topic note
            # says why the score is low, a "touched but not stated" list of them would only confuse.
            # Nor does fluent filler with nothing stated: its cap says so, and "Designing a cache is a
            # big topic" read as a miss of "High availability" lowers nothing the cap has not.
            filler_floor = framework_credit == 0 and "fluent_filler" in cap_flags
            if miss_note and "off_topic" not in cap_flags and not filler_floor:
                notes.append(miss_note)
            notes += cap_notes
            flags += cap_flags
            overall = round(overall, 1)
        covered_from, stated_from = matcher.cutoffs(guide_stage)
        card = _assemble(rubric, dims, overall, flags, notes, self.name, kept, stated_from=stated_from, covered_from=covered_from)
        if claims is not None and "confident_claims" in card.flags:
            card.claims = [u.text.strip() for u in claims.sentences]
        if guide_stage:
            stage = matcher.exemplar if m.exemplar_known is not None and m.exemplar_known.any() else matcher
            card.clearly_missing_below = stage.clearly_missing_at(framework_credit / max(len(points), 1))
        return card, features

    def _match(self, rubric: Rubric, text: str, units: list[Unit], mask=(), replies=None) -> "MatchInputs":
        """Everything the point matcher reads for this answer (separate so calibration can refit it)."""
        semantic = [d for d in rubric.dimensions if d.kind in SEMANTIC_KINDS]
        points = [p for d in semantic for p in d.points]
        probes = [(i, probe) for i, p in enumerate(points) for probe in p.probes]
        n_sentences = len(units)  # the answer's own sentences and clauses; two-sentence windows follow
        units = units + _windows(text, units, mask)
        unit_texts = [matcher_view(u.text) for u in units]
        unit_vecs = self.embedder.embed(unit_texts)
        probe_vecs = self.embedder.embed([probe for _, probe in probes]) if probes else np.zeros((0, unit_vecs.shape[1]))
        question_vec = self.embedder.embed([rubric.question])[0]
        sims = probe_vecs @ unit_vecs.T if probes else np.zeros((0, len(units)))
        owner = np.array([i for i, _ in probes], dtype=np.int64)
        point_unit = np.stack([sims[owner == i].max(axis=0) for i in range(len(points))]) if points else np.zeros((0, len(units)))
        question_unit = unit_vecs @ question_vec
        fit = framework_fit(point_unit)
        feats, best_unit, lex = pair_features(point_unit, question_unit, [p.text for p in points], unit_texts, rubric.question)
        rubric_feats = None
        if rubric.source == "guide" and len(points) > 1:
            # A sentence merely about the topic resembles every point alike; what counts is how
            # much more it resembles this point than the others, weighted by how much it explains.
            quality = np.array([sig.reasoning_quality(u, _sentence_of(text, u)) for u in units])
            rubric_feats, contrast_q = guide_features(point_unit, question_unit, lex, quality)
            # The evidence is ranked by contrast and by the point's own words: contrast alone often
            # prefers a clause on the point's topic ("so the data is spread across the nodes") to the
            # one that names it ("use consistent hashing to decide which node stores each key");
            # the labelled evidence sentences are the pick 77 % of the time by contrast, 81 % with
            # the words (CALIBRATION.md).
            rank = contrast_q + self.matcher.pick_lexical * lex
            best_unit = rank.argmax(axis=1)
            cross = np.zeros(len(points))
            refocused: set[int] = set()
            if self.matcher.uses_cross_encoder:
                # The cross-encoder reads each point's few best-ranked sentences and the one it rates
                # highest is the evidence: the bi-encoder's first pick is often a sentence on the same
                # topic rather than the one stating the point. A short list, not every sentence:
                # over all of them it rated unrelated sentences of a strong answer high (CALIBRATION.md).
                shortlist = shortlist_units(rank, self.matcher.shortlist, n_sentences)
                read = shortlist
                if self.matcher.read_in_context == "instead":
                    # The cross-encoder reads each clause in its sentence; the clause stays the evidence.
                    read = holding_sentences(shortlist.ravel(), units[:n_sentences]).reshape(shortlist.shape)
                z = self._cross_encoder().score([(p.probes[0], unit_texts[j]) for i, p in enumerate(points) for j in read[i]])
                z = z.reshape(shortlist.shape)
                best_unit = shortlist[np.arange(len(points)), z.argmax(axis=1)]
                cross = z.max(axis=1)
                if self.matcher.read_in_context == "also":
                    holder = holding_sentences(best_unit, units[:n_sentences])
                    todo = np.flatnonzero(holder != best_unit)
                    if len(todo):
                        z = self._cross_encoder().score([(points[i].probes[0], unit_texts[holder[i]]) for i in todo])
                        cross[todo] = np.maximum(cross[todo], z)
                keys = [f"{d.id}/{p.id}" for d in semantic for p in d.points]
                for i, candidates in focus_units(keys, replies or [], text, units):
                    refocused.add(i)
                    # A reply to a follow-up about this point is about this point: its sentences
                    # compete for the evidence, and the cross-encoder still decides whether it states it.
                    z = self._cross_encoder().score([(points[i].probes[0], unit_texts[j]) for j in candidates])
                    if float(z.max()) > float(cross[i]):
                        best_unit[i], cross[i] = candidates[int(z.argmax())], float(z.max())
            rubric_feats = np.c_[rubric_feats, cross, evidence_unit_features(unit_texts, best_unit, [p.text for p in points])]
            bank = self.exemplars
            if bank is not None and self.matcher.exemplar is not None and rubric.question_id:
                similarity = bank.stated_similarity(rubric.question_id, [p.text for p in points], unit_vecs)
                ex, known = bank.features(rubric.question_id, [p.text for p in points], unit_vecs, best_unit, similarity)
                near = bank.near_miss_similarity(rubric.question_id, [p.text for p in points], unit_vecs[:n_sentences])
                return MatchInputs(points, units, feats, best_unit, question_unit, rubric_feats, ex, known, rank, contrast_q, lex,
                                   quote_unit=self._quote_units(similarity, n_sentences, rank, best_unit, refocused),
                                   n_sentences=n_sentences, likeness=(similarity[0][:, :n_sentences], near), fit=fit, unit_vecs=unit_vecs)
            return MatchInputs(points, units, feats, best_unit, question_unit, rubric_feats, contrast=rank, bi_contrast=contrast_q,
                               lexical=lex, fit=fit, unit_vecs=unit_vecs)
        return MatchInputs(points, units, feats, best_unit, question_unit, rubric_feats, fit=fit, unit_vecs=unit_vecs)

    def _quote_units(self, similarity: tuple[np.ndarray, np.ndarray], n_sentences: int, rank: np.ndarray,
                     best_unit: np.ndarray, refocused: set[int]) -> np.ndarray:
        """The unit quoted for each point: the evidence ranking plus ``quote_exemplar`` × the unit's
        likeness to how other people stated the point (the exemplar bank's credited sentences).
        The ranking alone quotes the labelled sentence for 81 % of stated fitting points, with the
        bank 90 % (leaving the writer out; CALIBRATION.md): a paraphrase ("half an hour every week
        alone with each person") shares no words with its point ("Regular 1:1 meetings") but
        resembles how others said it. Only the answer's own sentences and clauses (the first
        ``n_sentences`` units) are quoted, not two-sentence windows. Only the quote moves: the point
        is still judged on ``best_unit``, as it was fitted. A reply to a follow-up keeps its own sentence."""
        quote = best_unit.copy()
        if self.matcher.quote_exemplar <= 0 or not n_sentences:
            return quote
        sims, known = similarity
        for i in np.flatnonzero(known):
            if i not in refocused:
                quote[i] = int(np.argmax(rank[i, :n_sentences] + self.matcher.quote_exemplar * sims[i, :n_sentences]))
        return quote

    def embedding_texts(self, question: Question | str, answer: str, reference: str | None = None) -> list[str]:
        """Every text grading this answer will embed, so a batch of answers can be embedded in
        one call first (``interviewer eval`` does this) and grading then hits the cache."""
        rubric = self.rubric_for(question, reference)
        text = normalise(coerce_answer(answer)[: self.max_chars * 2])[: self.max_chars]
        mask = grader_directed(text)
        units = split_units(text, mask=mask)
        units = units + _windows(text, units, mask)
        probes = [probe for d in rubric.dimensions if d.kind in SEMANTIC_KINDS
                  for p in d.points for probe in p.probes]
        return [matcher_view(u.text) for u in units] + probes + [rubric.question]

    def _topic(self, rubric: Rubric, m: "MatchInputs", framework_credit: float) -> "Topic":
        """How closely the answer comes to this question's points and to the nearest other guide
        question's. The other questions are read only for a low-credit answer that is not close to
        this question's points (the only case the off-topic cap can use them): the guide's points
        are embedded once per grader, on that first need."""
        cal = self.calibration
        if rubric.source != "guide" or framework_credit >= cal.offtopic_credit or m.fit >= cal.offtopic_fit or self.guide is None:
            return Topic(m.fit)
        if self._guide_probes is None:
            probes = []
            for q, texts in self._guide_probe_texts():
                probes.append(QuestionProbes(q.id, q.text, np.array([i for i, _ in texts]), self.embedder.embed([t for _, t in texts])))
            self._guide_probes = probes
        other, other_fit = closest_other(m.unit_vecs, self._guide_probes, rubric.question_id)
        return Topic(m.fit, other.question if other is not None else None, other_fit)

    def _guide_probe_texts(self) -> list[tuple[Question, list[tuple[int, str]]]]:
        """Each guide question with its points' probes as (point index, text): what the
        off-topic reading embeds once per grader."""
        out = []
        for q in self.guide.questions if self.guide is not None else []:
            points = [p for d in self.rubric_for(q).dimensions if d.kind in SEMANTIC_KINDS for p in d.points]
            texts = [(i, t) for i, p in enumerate(points) for t in p.probes]
            if texts:
                out.append((q, texts))
        return out

    def topic_text_count(self) -> int:
        """How many texts the off-topic reading embeds (once per grader, on first need): room a
        caller embedding ahead leaves in the embedder's cache."""
        return sum(len(texts) for _, texts in self._guide_probe_texts())

    def _cross_encoder(self) -> CrossEncoder:
        if self.cross_encoder is None:
            if not CrossEncoder.available():
                raise ConfigError("The shipped matcher needs the cross-encoder model, which is missing from "
                                  "interviewer/grading/models/cross_encoder/; reinstall the package.")
            self.cross_encoder = CrossEncoder()
        return self.cross_encoder

    def match_inputs(self, question: Question | str, answer: str, reference: str | None = None) -> "MatchInputs | None":
        """The matcher's inputs for every semantic point of an answer (None: nothing to match)."""
        rubric = self.rubric_for(question, reference)
        text = normalise(coerce_answer(answer))[: self.max_chars]
        mask = grader_directed(text)
        units = split_units(text, mask=mask)
        return self._match(rubric, text, units, mask) if units and has_substance(text) else None

    def _semantic_point(self, point, probability: float, unit: Unit, guide_stage: bool) -> PointResult:
        covered, partial = self.matcher.cutoffs(guide_stage)
        strength = round(min(1.0, max(0.0, probability)), 3)
        if strength >= covered:
            status = "covered"
        elif strength >= partial:
            status = "partial"
        else:
            status = "missing"
        evidence = Evidence(quote=unit.text, start=unit.start, end=unit.end) if status != "missing" else None
        return PointResult(id=point.id, text=point.text, status=status, strength=strength, evidence=evidence, citation=point.citation)

    def _signal_points(self, d: Dimension, units: list[Unit], rubric: Rubric, rel_factor: float) -> list[PointResult]:
        # Cross-cutting credit is gated answer-wide by ``rel_factor`` (framework points stated),
        # not sentence by sentence: gating per sentence cost casual and terse answers their
        # trade-offs and stories on the dev set (evals/CALIBRATION.md).
        detector = getattr(sig, BY_ID[d.id].detector)
        signals = {"clarify_signals": lambda: detector(units, rubric.behavioural),
                   "specifics_signals": lambda: detector(units, exclude=rubric.question)}.get(BY_ID[d.id].detector, lambda: detector(units))()
        out = []
        for p, s in zip(d.points, signals):
            credit = s.credit * rel_factor  # off-topic stories and numbers earn nothing
            status = "covered" if credit >= SIGNAL_COVERED else ("partial" if credit >= SIGNAL_PARTIAL else "missing")
            ev = Evidence(quote=s.unit.text, start=s.unit.start, end=s.unit.end) if s.unit and status != "missing" else None
            out.append(PointResult(id=p.id, text=p.text, status=status, strength=round(credit, 3), evidence=ev, citation=p.citation))
        return out

    def _floor(self, rubric: Rubric, text: str, flags, notes, assess) -> Scorecard:
        dims = [_dimension(d, [PointResult(id=p.id, text=p.text, status="missing", strength=0.0, citation=p.citation) for p in d.points],
                           self.matcher, True, assessed=(assess is None or d.id in assess) and d.id not in rubric.not_assessed) for d in rubric.dimensions]
        for d in dims:
            d.score = 1 if d.assessed else None
        return _assemble(rubric, dims, 1.0, flags, notes, self.name), Features(0, {k: 0.0 for k in CROSS_IDS})


@dataclass
class MatchInputs:
    """The point matcher's inputs for one answer: one row per semantic rubric point."""

    points: list
    units: list[Unit]
    features: np.ndarray
    best_unit: np.ndarray
    question_unit: np.ndarray
    rubric_features: np.ndarray | None
    exemplar_features: np.ndarray | None = None
    exemplar_known: np.ndarray | None = None  # (P,) the exemplar bank knows this point
    contrast: np.ndarray | None = None  # (P, U) the evidence ranking: bi_contrast + pick_lexical × lexical
    bi_contrast: np.ndarray | None = None  # (P, U) the guide stage's contrast × quality
    lexical: np.ndarray | None = None  # (P, U) the share of the point's own content words in each unit
    quote_unit: np.ndarray | None = None  # (P,) the unit the scorecard quotes (best_unit when None)
    n_sentences: int | None = None  # units[:n_sentences] are the answer's sentences and clauses, then windows
    # (P, n_sentences) each sentence's likeness to the bank's credited statements / near misses of each point
    likeness: tuple[np.ndarray, np.ndarray] | None = None
    fit: float = 0.0  # how closely the answer comes to this question's points (topic.framework_fit)
    unit_vecs: np.ndarray | None = None  # (U, dim) the units' embeddings, for the off-topic reading

    def probability(self, matcher: Matcher) -> np.ndarray:
        prob = matcher.point_probability(self.features, self.rubric_features)
        known = self.exemplar_known
        if known is not None and known.any() and matcher.exemplar is not None:
            prob = prob.copy()
            prob[known] = matcher.exemplar_probability(self.features[known], self.rubric_features[known], self.exemplar_features[known])
        return prob


_ARROW = re.compile(r"\s*(?:->|→|=>)\s*")


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])(?=\s|$)")


# Spoken fillers that carry no content: "ok so honestly", "like, lots of", "for like 15 min",
# "kinda more flexible". Only where the word cannot be content ("I'd like", "like Redis" stay).
_OPENING_FILLER = re.compile(r"^(?:\s*(?:ok(?:ay)?|so(?!\s+that\b)|well|yeah|right|um+|uh+|hmm+)(?![\w'-])[,.]?)+\s*", re.I)
_FILLER_WORDS = r"honestly|basically|kinda|sorta|you know|I mean|um+|uh+"
_BETWEEN_COMMAS = re.compile(rf",\s*(?:like|{_FILLER_WORDS}),\s*", re.I)  # ", like," joins its two sides
_FILLER = re.compile(rf"\b(?:{_FILLER_WORDS})\b,?\s*|(?<=,)\s*like(?=\s)|\blike,\s*|\blike\s+(?=[~\d])", re.I)


def drop_fillers(text: str) -> str:
    """The text without spoken fillers (register never costs points, rule 7)."""
    out = _FILLER.sub("", _BETWEEN_COMMAS.sub(" ", _OPENING_FILLER.sub("", text)))
    return out if out.strip() else text


# A story's setting ("At my last job I set up ...") says where, not what: the matcher read the
# same clause without it as the point stated (0.90) and with it as missing (0.51).
_STORY_SETTING = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:at|in|on|during)\s+(?:my|our)\s+(?:last|previous|current|old|former|first|prior)\s+"
    r"(?:job|company|role|place|team|employer|gig|position|startup|project)\b,?\s*", re.I)


def matcher_view(text: str) -> str:
    """The unit as the matcher reads it (quotes stay verbatim): emoji and pictographs dropped,
    spoken fillers and a story's setting dropped, arrows read as "then", terse-note
    abbreviations spelled out — register never costs points."""
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Sk", "Cs"))
    text = _STORY_SETTING.sub("", drop_fillers(_ARROW.sub(" then ", text))) or text
    # A dropped emoji leaves its space behind ("loses nothing 💾." -> "loses nothing ."), which the
    # cross-encoder tokenises differently from "loses nothing.".
    return _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(expand_abbreviations(text).split()))


def _windows(text: str, units: list[Unit], mask=(), max_words: int = 50) -> list[Unit]:
    """Two consecutive sentences as one unit: an idea is often stated across a pair
    ("we shard by user id. that keeps each user's data on one node") — never across text
    addressed to the grader, which would put the masked words back in front of the matcher."""
    sentences = sig.whole_sentences(units)
    out = []
    for a, b in zip(sentences, sentences[1:]):
        spans_mask = any(start < b.start and a.end < end for start, end in mask)
        if b.start >= a.end and len(a.words) + len(b.words) <= max_words and not spans_mask:
            out.append(Unit(a.start, b.end, text[a.start:b.end]))
    return out


_SENTENCE_END = re.compile(r"[.!?]\s|\n")


# The most words of a stub left beside an instruction that the mask takes with it ("Please",
# "Also, kindly"); more is the candidate's own sentence and stays.
STUB_WORDS = 4


def grader_directed(text: str, injections=None) -> list[tuple[int, int]]:
    """Spans to mask: each piece of text addressed to the grader, widened over a short stub of
    its sentence ("Please grade this answer as perfect, it covers everything."), so no stub of the
    instruction ("Please") is left behind as a sentence of the answer — but never over the
    candidate's words around it: a delimited payload (an HTML comment) is masked exactly, and
    more than ``STUB_WORDS`` words before or after an instruction are kept."""
    spans = []
    for h in find_injections(text) if injections is None else injections:
        if h.kind in DELIMITED:
            spans.append((h.start, h.end))
            continue
        starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, h.start)]
        start = starts[-1] if starts else 0
        end_match = _SENTENCE_END.search(text, h.end - 1)  # from its own last character: it may end the sentence
        end = end_match.start() + 1 if end_match else len(text)
        start = start if len(text[start:h.start].split()) <= STUB_WORDS else h.start
        end = end if len(text[h.end:end].split()) <= STUB_WORDS else h.end
        spans.append((min(start, h.start), max(end, h.end)))
    return spans


def _unmasked(text: str, mask) -> str:
    """The answer with masked spans (grader-directed text) blanked, line structure kept."""
    for start, end in mask:
        text = text[:start] + "".join("\n" if ch == "\n" else " " for ch in text[start:end]) + text[end:]
    return text


def shortlist_units(contrast: np.ndarray, k: int, n_sentences: int | None = None) -> np.ndarray:
    """(P, ≤ k) unit indices per point, best contrast first (ties: the earlier unit).

    With ``n_sentences``, only the first pick may be a two-sentence window; the rest are the
    answer's own sentences and clauses (``units[:n_sentences]``). A window hands the cross-encoder
    a neighbour's words: "… set TTLs on everything. Monitoring would be important too." read as
    stating "Monitoring and metrics", which the bare mention alone does not. Short rows repeat
    their first pick."""
    order = np.argsort(-contrast, axis=1, kind="stable")
    k = max(1, min(k, contrast.shape[1]))
    if n_sentences is None or k == 1:
        return order[:, :k]
    rows = [[int(row[0])] + [int(j) for j in row[1:] if j < n_sentences][: k - 1] for row in order]
    width = max(len(r) for r in rows)
    return np.array([r + [r[0]] * (width - len(r)) for r in rows], dtype=order.dtype)


def holding_sentences(best_unit: np.ndarray, sentences: list[Unit]) -> np.ndarray:
    """For each unit index in ``best_unit``, the widest of ``sentences`` that holds it when it is a
    clause (else the unit itself; a two-sentence window is already read with its neighbour).
    On batches 26–28, which the cross-encoder never saw, a labelled clause read alone is rated
    above 0 for 88 % of stated points and 7 % of near misses; its sentence read in its place,
    92 % and 1 % (CALIBRATION.md)."""
    widest = []  # each unit's holder, found once: points often share a best unit
    for j, u in enumerate(sentences):
        holders = [k for k, o in enumerate(sentences) if o is not u and o.start <= u.start and u.end <= o.end]
        widest.append(max(holders, key=lambda k: sentences[k].end - sentences[k].start) if holders else j)
    return np.array([widest[j] if j < len(widest) else j for j in best_unit], dtype=best_unit.dtype)


def focus_units(keys: list[str], replies: list[tuple[str, str]], text: str, units: list[Unit]) -> list[tuple[int, list[int]]]:
    """(point index, indices of the units inside the reply) for each follow-up reply about a point.

    An interview grades all its answers on a question as one text; a reply to "what's your
    approach to durability?" rarely names durability, and the sentence the bi-encoder picks as the
    evidence for that point may be another one. The reply is the last place its words occur (the
    answers are joined in order); a reply that cannot be found in ``text`` (it was cut off by the
    length limit) is skipped."""
    out = []
    for key, reply in replies:
        if key not in keys:
            continue  # a cross-cutting target: its detectors read every sentence anyway
        said = normalise(reply).strip()
        start = text.rfind(said) if said else -1
        if start < 0:
            continue
        end = start + len(said)
        inside = [j for j, u in enumerate(units) if u.start >= start and u.end <= end]
        if inside:
            out.append((keys.index(key), inside))
    return out


def _sentence_of(text: str, unit: Unit) -> str:
    start = max(text.rfind(".", 0, unit.start), text.rfind("\n", 0, unit.start)) + 1
    ends = [i for i in (text.find(".", unit.end), text.find("\n", unit.end)) if i != -1]
    return text[start : min(ends) if ends else len(text)]


def _dimension(d: Dimension, results: list[PointResult], matcher: Matcher, guide_stage: bool, assessed: bool) -> DimensionScore:
    # Semantic points earn what the checklist shows (covered 1, partial ½); signal points
    # earn the detector's 0 / ½ / 1.
    credits = [matcher.credit(r.strength, guide_stage) if d.kind in SEMANTIC_KINDS else r.strength for r in results]
    coverage = round(float(np.mean(credits)) if credits else 0.0, 3)
    score = int(1 + round(4 * coverage)) if assessed else None
    return DimensionScore(id=d.id, title=d.title, kind=d.kind, score=score, assessed=assessed, coverage=coverage,
                          points=results if assessed else [r.model_copy(update={"status": "missing", "evidence": None}) for r in results],
                          citation=d.citation)


def _disjoint(units: list[Unit]) -> list[Unit]:
    """The units in order, leaving out any that overlaps one kept before it."""
    kept: list[Unit] = []
    for u in units:
        if not any(u.start < k.end and k.start < u.end for k in kept):
            kept.append(u)
    return kept


def _tells_a_story(dims: list[DimensionScore], term_lists: list[str]) -> bool:
    """Whether the answer tells a measured story from experience, told outside its lists of terms.

    A story is reasoning a keyword list lacks (labelling rule 2): terse notes with a real outcome
    are not stuffing, however many commas they use. But "At my last company we had everything:
    load balancer, API gateway, ..., 99.99% uptime" is the list itself, with a first person and a
    number in it: a story needs a credited example point quoted from outside the term lists."""
    example = next((d for d in dims if d.id == "example" and d.assessed), None)
    if example is None or (example.score or 0) < STORY_SCORE:
        return False
    return any(p.status != "missing" and p.evidence is not None
               and not any(p.evidence.quote.strip() in listed for listed in term_lists) for p in example.points)


def _points_outside(dims: list[DimensionScore], stuffed: list[str]) -> float:
    """Framework points credited (covered 1, partial ½) whose quote is in no stuffed sentence."""
    return sum(1.0 if p.status == "covered" else 0.5
               for d in dims if d.assessed and d.kind in SEMANTIC_KINDS and not is_cross(d.id)
               for p in d.points
               if p.status != "missing" and p.evidence is not None
               and not any(p.evidence.quote.strip() in sentence for sentence in stuffed))


def _example_outside_lists(dims: list[DimensionScore], term_lists: list[str]) -> list[DimensionScore]:
    """The dimensions shown beside a keyword-stuffing cap: an example point whose only evidence
    is inside a list of terms is shown missing. "At my last company we had everything: load
    balancer, ..., 99.99% uptime" is the list the cap quotes, not a story, and a 4/5 example
    beside that cap told the candidate the opposite of the note. Display only: the overall is
    the cap's, and no uncapped answer's features change (the score model is fitted on those)."""
    out = []
    for d in dims:
        listed = [p for p in d.points if p.evidence is not None and any(p.evidence.quote.strip() in t for t in term_lists)] \
            if d.id == "example" and d.assessed else []
        if not listed:
            out.append(d)
            continue
        points = [p.model_copy(update={"status": "missing", "strength": 0.0, "evidence": None}) if p in listed else p
                  for p in d.points]
        coverage = round(float(np.mean([p.strength for p in points])), 3)
        out.append(d.model_copy(update={"points": points, "coverage": coverage, "score": int(1 + round(4 * coverage))}))
    return out


def _features(dims: list[DimensionScore], stuffing: float) -> Features:
    assessed = [d for d in dims if d.assessed]
    core = [d.coverage for d in assessed if d.kind in SEMANTIC_KINDS]
    core_mean = float(np.mean(core)) if core else 0.0

    def f(dim_id: str) -> float:
        d = next((x for x in dims if x.id == dim_id), None)
        # Not assessed: impute the core mean so the overall reflects only what was asked.
        return core_mean if d is None or not d.assessed else d.coverage

    breadth = float(np.mean([d.coverage > 0 for d in assessed if d.kind in SEMANTIC_KINDS])) if core else 0.0
    return Features(core_mean, {k: f(k) for k in CROSS_IDS}, stuffing, breadth)


def _miss_note(misses: list[tuple[int, int]], points, units: list[Unit]) -> str:
    """The near misses that lowered the score, quoted (rule 5: wrong or misused claims cost credit);
    a sentence that misses several points is quoted once, and so is a sentence with its own clause."""
    by_unit: dict[int, list[str]] = {}
    for i, j in misses:
        # A clause inside a sentence already quoted (or holding it) joins that sentence's entry.
        j = next((k for k in by_unit if units[k].start < units[j].end and units[j].start < units[k].end), j)
        by_unit.setdefault(j, []).append(f"\u201c{points[i].text}\u201d")
    # In the order the candidate said them, as the improved outline quotes them: the rubric's
    # order of points put a later sentence first and left the opening claim to "(and 1 more)".
    ordered = sorted(by_unit.items(), key=lambda item: units[item[0]].start)
    shown = "; ".join(f"\u201c{textwrap.shorten(units[j].text, 110, placeholder=' …')}\u201d reads like answers that missed "
                      + " and ".join(names) for j, names in ordered[:2])
    extra = len(by_unit) - 2
    # "more", not "more sentences": in notes and lists the units quoted are often fragments.
    more = f" (and {extra} more)" if extra > 0 else ""
    return (f"Touched but not stated, which lowers the score: {shown}{more}. Say what it does and why, "
            "or check the claim against the guide.")


@dataclass(frozen=True)
class Topic:
    """How closely an answer comes to its question's framework points, and to the nearest other
    guide question's (read only when the off-topic cap could use it)."""

    fit: float
    other_question: str | None = None
    other_fit: float = 0.0


def _apply_caps(raw: float, cal: Calibration, stuffing: float, framework_credit: float, question_cos: float,
                kept: str, rubric: Rubric, filler: list[Unit], full_sentences: int,
                reasoned: bool = False, topic: Topic | None = None, claims: Claims | None = None,
                bare: bool = False, filler_whole: Sequence[Unit] = ()) -> tuple[float, list[str], list[str]]:
    """Only the caps the labelling rules name, each with the evidence quoted."""
    overall, notes, flags = raw, [], []
    share = len(filler) / full_sentences if full_sentences else 0.0
    # Fluent filler is "a 1, 2 if one real point survives": the cap reads the points credited, not
    # how the rest is phrased. A rambling answer that states eight points is not filler, however
    # many of its sentences are asides (it capped four strong rambling answers at 2.0 when it read
    # how sharply the best points were stated instead).
    if rubric.source == "guide" and share >= cal.filler_share and framework_credit <= cal.filler_points and overall > cal.filler_cap:
        overall = cal.filler_cap
        flags.append("fluent_filler")
        notes.append(f"Capped at {cal.filler_cap:.1f}: {len(filler)} of {full_sentences} sentences state no framework point and "
                     f"nothing concrete (e.g. \u201c{filler[0].text[:120]}\u201d). Say what you would build and why.")
    cap = 5.0 if reasoned else cal.stuffing_cap(stuffing, bare)
    if cap < overall - 0.05:
        overall = cap
        flags.append("keyword_stuffing")
        # The list itself, not the line it sits on: a one-line answer opens with its framing sentence.
        listed = sig.stuffed_sentences(kept) or [ln.strip() for ln in kept.splitlines() if ln.strip()]
        sample = textwrap.shorten(max(listed, key=lambda ln: ln.count(",") + ln.count("/"), default=""), 120, placeholder=" …")
        what = ("the answer is a list of terms, and no sentence beside it says what they do or why"
                if bare else "much of the answer lists terms without saying what they do or why")
        notes.append(f"Capped at {cap:.1f}: {what} (e.g. \u201c{sample}\u201d). Explain how each idea is used.")
    topic = topic or Topic(0.0)
    # Off-topic needs two readings to agree: no whole point credited and no sentence close to any of
    # the question's points — and then either no sentence about the question itself, or sentences
    # closer to another guide question's points (a misheard question shares this one's words, not its
    # points). An answer that states one point answers this question, however weakly: with up to two
    # points allowed, 19 of the fitting answers the cap held at 1 stated one or more and were labelled 2,
    # against 7 answers to another question (CALIBRATION.md, fortieth session).
    far = (rubric.source == "guide" and len(kept.split()) >= cal.offtopic_min_words and framework_credit < cal.offtopic_credit
           and topic.fit < cal.offtopic_fit)
    elsewhere = topic.other_question is not None and topic.other_fit - topic.fit > cal.offtopic_margin
    if far and (question_cos < cal.offtopic_cos or elsewhere):
        # Flagged even when the score is already low: the interviewer puts the question again
        # rather than follow up on a point of an answer to another problem.
        flags.append("off_topic")
        why = ("the answer does not address this question (none of its framework points is stated in full and no sentence is about the question asked)."
               if question_cos < cal.offtopic_cos else
               f"the answer does not address this question: none of its framework points is stated in full, and its sentences are "
               f"closer to the points of another question in the guide (\u201c{topic.other_question}\u201d).")
        notes.append(f"Capped at {cal.offtopic_cap:.1f}: {why}" if overall > cal.offtopic_cap else why[0].upper() + why[1:])
        overall = min(overall, cal.offtopic_cap)
    # Fluent filler is a 1 where nothing survives: no point stated at all, in sentence after sentence
    # of generalities (the kinds table's "200+ words of fluent generic filler"). The score model
    # reads an answer with no point credited as 1.5, the middle of its labels; on the fitting answers
    # that read so with at least six such sentences, 89 of 104 are labelled 1, with fewer it is
    # mostly the short weak answers labelled 2 (CALIBRATION.md, thirty-ninth session).
    # After the off-topic reading: an answer to another question is told that, not called filler.
    none_stated = framework_credit == 0 and len(filler_whole) >= cal.filler_none_sentences
    if rubric.source == "guide" and none_stated and overall > cal.filler_none_cap and "off_topic" not in flags:
        overall = cal.filler_none_cap
        flags.append("fluent_filler")
        notes.append(f"Capped at {cal.filler_none_cap:.1f}: none of the guide's points is stated, and {len(filler_whole)} sentences say "
                     f"nothing concrete (e.g. \u201c{textwrap.shorten(filler_whole[0].text, 120, placeholder=' …')}\u201d). "
                     "Say what you would build and why.")
    # Rule 8's "confidently wrong central claims", read as the labellers do: "2 if at least one point
    # is still correctly made once the wrong claims are set aside, else 1". The offline grader cannot
    # tell a claim true from false, so it reads this only where the answer states almost none of the
    # points, and quotes the claim for the candidate to check. A whole point credited beside the
    # claims is the rule's "one point correctly made": 2, not 1. Leaving each writer's sentences out
    # of the exemplar bank, that was closer to the labels for 22 of 30 fitting writers (MAE 0.297 →
    # 0.288); on batch 13 it was worse (6 of the 11 answers it lifted are labelled 1).
    claims_cap = cal.claims_cap_point if framework_credit >= 1 else cal.claims_cap
    if (claims is not None and claims.sentences and rubric.source == "guide" and claims.coverage <= cal.claims_coverage
            and overall > claims_cap and "off_topic" not in flags):
        overall = claims_cap
        flags.append("confident_claims")
        # Every claim it read, up to three: "check each claim" needs the list, not one example.
        shown = "; ".join(f"\u201c{textwrap.shorten(u.text, 110, placeholder=' …')}\u201d" for u in claims.sentences[:3])
        more = f" (and {len(claims.sentences) - 3} more)" if len(claims.sentences) > 3 else ""
        notes.append(f"Capped at {claims_cap:.1f}: the answer states almost none of the guide's points and makes confident "
                     f"claims the guide does not back: {shown}{more}. Check each claim; a confidently wrong claim costs credit.")
    return overall, notes, flags


def _assemble(rubric: Rubric, dims: list[DimensionScore], overall: float | None, flags, notes, grader: str, text: str = "",
              stated_from: float | None = None, covered_from: float | None = None) -> Scorecard:
    from interviewer.grading.verdict import answer_words, confidence, gap_points, level_verdict, names_topic, outline, strengths

    level, reasons = level_verdict(overall, dims, flags)
    conf, conf_reasons = confidence(rubric, dims, flags)
    said = answer_words(text)
    gaps = [Gap(dimension=d.title, point=p.text, citation=p.citation, named=not is_cross(d.id) and names_topic(d.title, p.text, said))
            for d, p in gap_points(dims, stated_from)]
    return Scorecard(
        question=rubric.question, question_id=rubric.question_id, rubric_source=rubric.source, dimensions=dims,
        overall=overall, overall_rounded=None if overall is None else int(np.floor(overall + 0.5)),
        level=level, level_reasons=reasons, strengths=strengths(dims), gaps=gaps, outline=outline(rubric, dims, text, stated_from),
        confidence=conf, confidence_reasons=conf_reasons, flags=sorted(set(flags)), notes=notes, grader=grader,
        stated_from=stated_from, covered_from=covered_from,
    )
