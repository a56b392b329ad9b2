"""Choosing the questions of a session from the plan, without repeats.

Within a session no question repeats. Across sessions, questions in
``recent_question_ids`` (most recent first, from whoever stores history) are used only
when the track has nothing fresher, least recent first. Order is a deterministic
shuffle seeded by the session id, interleaving tracks for a mixed interview.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

from interviewer.errors import InputError
from interviewer.guide import Guide, Question
from interviewer.interview.models import InterviewPlan

MIXED = "mixed"


def _key(seed: str, text: str) -> str:
    return hashlib.sha256(f"{seed}:{text}".encode()).hexdigest()


def resolve_tracks(guide: Guide, tracks: Sequence[str] | None) -> list[str]:
    """Track ids to draw from; raises :class:`InputError` naming the valid ones."""
    available = list(guide.tracks())
    if not tracks or MIXED in tracks:
        return available
    unknown = [t for t in tracks if t not in available]
    if unknown:
        raise InputError(f"Unknown track(s): {', '.join(unknown)}. Choose from: {', '.join(available)} or {MIXED}.")
    return list(dict.fromkeys(tracks))


def choose_questions(guide: Guide, plan: InterviewPlan, recent_question_ids: Sequence[str] = (), seed: str = "") -> list[Question]:
    """The questions to ask, in order (at most ``plan.n_questions``, never repeated)."""
    if plan.question_id:
        return [guide.question(plan.question_id)]
    if not guide.questions:
        raise InputError("The guide has no questions; add a guide with **Q: questions to the knowledge folder.")
    tracks = resolve_tracks(guide, plan.tracks)
    recency = {qid: i for i, qid in enumerate(recent_question_ids)}  # 0 = most recent
    by_track: dict[str, list[Question]] = {}
    for t in tracks:
        pool = guide.tracks()[t]
        fresh = sorted((q for q in pool if q.id not in recency), key=lambda q: _key(seed, q.id))
        # Recent ones last, the longest-ago first, so a small track still fills the plan.
        stale = sorted((q for q in pool if q.id in recency), key=lambda q: -recency[q.id])
        by_track[t] = fresh + stale
    order = sorted(tracks, key=lambda t: _key(seed, t))
    chosen: list[Question] = []
    # Round-robin over tracks, fresh questions before recent ones across all tracks.
    for want_fresh in (True, False):
        depth = 0
        while len(chosen) < plan.n_questions and any(depth < len(by_track[t]) for t in order):
            for t in order:
                if depth < len(by_track[t]) and len(chosen) < plan.n_questions:
                    q = by_track[t][depth]
                    if (q.id not in recency) == want_fresh and q not in chosen:
                        chosen.append(q)
            depth += 1
    return chosen


def describe_tracks(questions: Sequence[Question]) -> str:
    """'system design and backend deep dives' — the tracks of the chosen questions, in order."""
    titles = list(dict.fromkeys(q.track_title.lower() if q.track_title else q.track for q in questions))
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
