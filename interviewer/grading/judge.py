"""The optional LLM judge: refines the evidence-based scorecard by at most ±1 per dimension.

:class:`JudgedGrader` wraps a :class:`~interviewer.grading.Grader`. After the offline
grade it sends the rubric, the evidence and the answer (fenced, marked untrusted) using
``prompts/judge/*.md`` and validates the JSON reply into :class:`JudgeVerdict`: known,
assessed dimensions only, new scores within 1-5 and within ±1 of the evidence, a reason
for every change. Invalid output gets ONE retry with the validation error fed back;
after that (or when the LLM fails) the evidence-based scorecard is returned, visibly
marked as a fallback. The judge never replaces the evidence.
"""
from __future__ import annotations

import json
import re

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from interviewer.errors import LLMError
from interviewer.grading.scorecard import JudgeNote, Scorecard
from interviewer.grading.verdict import level_verdict
from interviewer.llm import complete, ensure_token_counting, model_name
from interviewer.prompting import render
from interviewer.tokens import truncate_to_tokens
from interviewer.usage import LLMCall

MAX_ANSWER_TOKENS = 2500
_FENCED = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.S)


class Adjustment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dimension: str
    score: int
    reason: str = Field(min_length=3)


class JudgeVerdict(BaseModel):
    """The judge's reply. Validate with ``context={"scores": {dim_id: evidence_score}}``."""

    model_config = ConfigDict(extra="forbid")
    adjustments: list[Adjustment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _within_evidence(self, info: ValidationInfo) -> "JudgeVerdict":
        scores: dict[str, int] = (info.context or {}).get("scores", {})
        seen: set[str] = set()
        for a in self.adjustments:
            if a.dimension not in scores:
                raise ValueError(f"unknown or not-assessed dimension {a.dimension!r}; valid ids: {', '.join(scores)}")
            if a.dimension in seen:
                raise ValueError(f"dimension {a.dimension!r} appears twice")
            seen.add(a.dimension)
            if not 1 <= a.score <= 5:
                raise ValueError(f"score {a.score} for {a.dimension!r} is outside 1-5")
            if abs(a.score - scores[a.dimension]) > 1:
                raise ValueError(f"{a.dimension!r} may move at most ±1 from {scores[a.dimension]}, not to {a.score}")
        return self


def parse_verdict(text: str, scores: dict[str, int]) -> JudgeVerdict:
    """Parse and validate the judge's reply; raises ``ValueError`` with a message for the retry."""
    body = _FENCED.sub(r"\1", text or "").strip()
    if not body:
        raise ValueError("the reply was empty")
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the reply is not valid JSON ({exc.msg} at position {exc.pos})") from None
    try:
        return JudgeVerdict.model_validate(data, context={"scores": scores})
    except ValidationError as exc:
        raise ValueError("; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())) from None


def apply_verdict(card: Scorecard, verdict: JudgeVerdict, model: str) -> Scorecard:
    """The scorecard with the judge's changes: per-dimension reasons, overall shifted consistently.

    The overall moves by the mean adjustment over assessed dimensions, clipped to 1-5 and
    rounded to one decimal; the level verdict is recomputed from it.
    """
    changes = {a.dimension: a for a in verdict.adjustments}
    # An answer that addresses the grader may have swayed the judge too: it may lower, never raise.
    refused = [a for a in verdict.adjustments if "injection_attempt" in card.flags
               and a.score > (next((d.score for d in card.dimensions if d.id == a.dimension), 0) or 0)]
    for a in refused:
        changes.pop(a.dimension, None)
    dims, deltas = [], []
    for d in card.dimensions:
        a = changes.get(d.id)
        if a is not None and d.assessed and a.score != d.score:
            deltas.append(a.score - (d.score or 0))
            d = d.model_copy(update={"score": a.score, "adjusted_by_judge": a.score - (d.score or 0), "judge_reason": a.reason})
        dims.append(d)
    assessed = [d for d in dims if d.assessed]
    overall = card.overall
    if overall is not None and deltas and assessed:
        overall = round(min(5.0, max(1.0, overall + sum(deltas) / len(assessed))), 1)
    level, reasons = level_verdict(overall, dims, card.flags)
    message = (f"adjusted {len(deltas)} of {len(assessed)} dimensions by ±1 with reasons; overall {card.overall} → {overall}"
               if deltas else "agreed with every evidence-based score")
    if refused:
        message += f"; {len(refused)} upward change(s) refused because the answer addresses the grader"
    return card.model_copy(update={
        "dimensions": dims, "overall": overall, "overall_rounded": None if overall is None else int(overall + 0.5),
        "level": level, "level_reasons": reasons, "grader": f"{card.grader} + LLM judge ({model})",
        "judge": JudgeNote(used=True, model=model, status="applied", message=message)})


class JudgedGrader:
    """A grader whose scorecards an LLM may refine within the evidence (same ``grade`` signature)."""

    def __init__(self, grader, llm, *, model: str = "", max_answer_tokens: int = MAX_ANSWER_TOKENS):
        self.grader, self.llm = grader, llm
        self.model = model_name(llm, model)
        self.max_answer_tokens = max_answer_tokens

    @property
    def guide(self):
        return self.grader.guide

    @property
    def name(self) -> str:
        return f"{self.grader.name} + LLM judge ({self.model})"

    def rubric_for(self, *args, **kwargs):
        return self.grader.rubric_for(*args, **kwargs)

    def grade(self, question, answer, *, rubric=None, reference=None, assess=None, replies=None) -> Scorecard:
        """Grade offline, then let the judge refine the scores (or fall back, visibly)."""
        return self.grade_with_usage(question, answer, rubric=rubric, reference=reference, assess=assess, replies=replies)[0]

    def grade_with_usage(self, question, answer, *, rubric=None, reference=None, assess=None,
                         replies=None) -> tuple[Scorecard, list[LLMCall]]:
        """Like :meth:`grade`, also returning the LLM calls made (for token and cost accounting)."""
        card = self.grader.grade(question, answer, rubric=rubric, reference=reference, assess=assess, replies=replies)
        scores = {d.id: d.score for d in card.dimensions if d.assessed and d.score is not None}
        if "no_substance" in card.flags or not scores:
            note = JudgeNote(used=False, model=self.model, status="off", message="not needed: nothing substantive to judge")
            return card.model_copy(update={"judge": note}), []
        text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
        messages = [SystemMessage(render("judge/system.md")), HumanMessage(self._prompt(card, text))]
        calls: list[LLMCall] = []
        for attempt in range(2):  # the first try and ONE retry with the validation error
            try:
                reply, call = complete(self.llm, messages, purpose="judge", model=self.model)
            except LLMError as exc:
                calls.append(exc.call)  # type: ignore[attr-defined]
                return self._fallback(card, f"the LLM {exc}"), calls
            calls.append(call)
            try:
                return apply_verdict(card, parse_verdict(reply, scores), self.model), calls
            except ValueError as exc:
                call.ok, call.error = False, f"invalid output: {exc}"[:300]
                error = str(exc)
                messages += [AIMessage(reply or "(empty)"), HumanMessage(render("judge/retry.md", error=error, scores=json.dumps(scores)))]
        return self._fallback(card, f"invalid output twice ({error})"), calls

    def _prompt(self, card: Scorecard, answer: str) -> str:
        dims = [{"id": d.id, "title": d.title, "score": d.score if d.assessed else "not assessed",
                 "points": [{"status": p.status, "text": p.text, "quote": p.evidence.quote if p.evidence else ""} for p in d.points]}
                for d in card.dimensions]
        ensure_token_counting()
        fenced = truncate_to_tokens(answer, self.max_answer_tokens, self.model).replace("</candidate_answer", "</ candidate_answer")
        return render("judge/grade.md", question=card.question, dimensions=dims, flags=", ".join(card.flags), answer=fenced)

    def _fallback(self, card: Scorecard, why: str) -> Scorecard:
        note = JudgeNote(used=True, model=self.model, status="fallback",
                         message=f"LLM judge unavailable ({why}); showing the evidence-based scores.")
        return card.model_copy(update={"judge": note})
