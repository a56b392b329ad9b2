"""System-design phases: requirements → high-level design → deep dive → wrap-up.

The phases, their time budgets and the rubric dimensions each one probes are read from
``prompts/interviewer/phases.toml``. Time comes from the interviewer's injectable clock,
so tests control it; an overrun is a phase that ended after its budget.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from pydantic import BaseModel, Field

from interviewer.interview.models import PhaseLog, QuestionRecord
from interviewer.prompting import load_toml, render_string

PHASES_FILE = "interviewer/phases.toml"
# A phase counts as answered ahead when at least this share of each of its framework parts'
# points is already covered (partly stated points do not count): nearly all of what its prompt
# asks for has been said (all of a three-point part; a half would skip a deep dive after
# components were only named). Measured out of fold on the fitting writers' system-design answers
# (parts 2 and 3): 93 % of the parts this skips were labelled at least 3 in 4 covered, 98 % at
# least half (at a half: 86 % and 94 %).
ANSWERED_SHARE = 0.75


class PhaseSpec(BaseModel):
    name: str
    title: str
    budget_s: int = Field(gt=0)
    parts: list[int] = Field(default_factory=list)
    cross: list[str] = Field(default_factory=list)
    ask: str

    @property
    def dimension_ids(self) -> set[str]:
        """Rubric dimension ids this phase probes (framework parts and cross-cutting ones)."""
        return {f"part{i}" for i in self.parts} | set(self.cross)

    def ask_text(self, told_example: bool = False) -> str:
        """What the interviewer asks when this phase begins (``told_example``: the candidate has
        already told a story of their own on this question, so it is not asked for again)."""
        return render_string(self.ask, where=f"prompts/{PHASES_FILE} [{self.name}]", minutes=max(1, round(self.budget_s / 60)),
                             told_example=told_example)


class PhaseConfig(BaseModel):
    max_followups_per_phase: int = Field(default=1, ge=0)
    phases: list[PhaseSpec]


@lru_cache(maxsize=1)
def load_phases() -> PhaseConfig:
    """The phase table from the prompt folder."""
    raw = load_toml(PHASES_FILE)
    return PhaseConfig(max_followups_per_phase=raw.get("max_followups_per_phase", 1), phases=raw["phase"])


def begin(record: QuestionRecord, now: float) -> PhaseSpec:
    """Close the current phase (if any) and enter the next one; returns its spec."""
    spec = load_phases().phases[len(record.phases)]
    end_current(record, now)
    record.phases.append(PhaseLog(name=spec.name, budget_s=spec.budget_s, started_at=now))
    return spec


def end_current(record: QuestionRecord, now: float) -> None:
    """Stop the clock of the open phase (idempotent)."""
    if record.phases and record.phases[-1].ended_at is None:
        record.phases[-1].ended_at = now


def current(record: QuestionRecord) -> PhaseSpec | None:
    """The spec of the phase the question is in, or None for non-system-design questions."""
    return load_phases().phases[len(record.phases) - 1] if record.phases else None


def has_next(record: QuestionRecord) -> bool:
    return 0 < len(record.phases) < len(load_phases().phases)


def over_budget(record: QuestionRecord, now: float) -> bool:
    """Has the open phase used up its time budget?"""
    return bool(record.phases) and record.phases[-1].elapsed(now) > record.phases[-1].budget_s


def reached_dimensions(record: QuestionRecord) -> set[str]:
    """Dimension ids of every phase entered so far (what the interview actually asked about)."""
    specs = load_phases().phases[: len(record.phases)]
    return set().union(*(s.dimension_ids for s in specs)) if specs else set()


def answered_ahead(record: QuestionRecord, covered: Callable[[str], float]) -> list[PhaseSpec]:
    """The phases right after the current one whose framework parts the answers so far already
    cover (``covered(dimension id)``: the share of that part's points covered, 0–1; at least
    :data:`ANSWERED_SHARE` in each part): a candidate who sketched the whole design while giving
    requirements is not asked to "sketch the high-level design" next. A phase without framework
    parts (the wrap-up) is never skipped, so a question always has a phase left to enter."""
    out = []
    for spec in load_phases().phases[len(record.phases):]:
        if not spec.parts or not all(covered(f"part{i}") >= ANSWERED_SHARE for i in spec.parts):
            break
        out.append(spec)
    return out


def all_phase_dimensions() -> set[str]:
    return set().union(*(s.dimension_ids for s in load_phases().phases))
