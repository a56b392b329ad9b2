"""Load an eval dataset: one JSON object per line, each a human-scored answer.

Required fields are ``id``, ``question``, ``answer`` and ``score``; the rest are optional.
Point-level truth (``covered``, ``partial``, ``near_miss``) lists checklist ids such as
``"1.2"`` (part 1, bullet 2), ``"2.1"`` (a diagram part as a whole), ``"4"`` (an example
with an outcome) and ``"x.clarify"`` / ``"x.tradeoffs"`` / ``"x.specifics"``.
Every problem is reported as a :class:`~interviewer.errors.DatasetError` that names the
file and the line, because datasets are edited by hand and a bare traceback does not say
which of 2,000 lines to fix.
"""
from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from interviewer.errors import DatasetError


# The labelled field is called `register`, which is also the name of ABCMeta.register (the
# class method for virtual subclasses) that every pydantic model inherits; pydantic warns
# about the shadowing. Instances read the field normally and nothing calls
# EvalItem.register(), so the warning is silenced here, for this class only.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)

    class EvalItem(BaseModel):
        """One human-scored answer to grade."""

        # Extra keys are ignored so dataset authors can keep notes alongside the fields we use.
        model_config = ConfigDict(extra="ignore", frozen=True, coerce_numbers_to_str=True)

        id: str
        question: str
        answer: str
        score: float
        question_id: str | None = None
        reference: str | None = None
        kind: str | None = None
        group: str | None = None
        covered: list[str] | None = None
        # Blind-labelled sets only: points stated in part (credit ½) and points merely touched
        # (a term in passing, or a related idea a keyword matcher would confuse with the point).
        partial: list[str] | None = None
        near_miss: list[str] | None = None
        # How the answer is phrased (casual-spoken, terse-notes, formal-essay, ...): register
        # must never cost points, so errors are broken down by it.
        register: str | None = None
        rationale: str | None = None

        @field_validator("score", mode="before")
        @classmethod
        def _score_is_a_number(cls, value: Any) -> Any:
            # pydantic would accept "3" or true as a float; a hand-written label like that is
            # more likely a typo than intent, so insist on a real JSON number.
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"score must be a number, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"score must be a finite number, got {value!r}")
            return value

        @property
        def group_key(self) -> str:
            """The unit the bootstrap resamples: the question, however the dataset names it."""
            return self.question_id or self.group or self.question


def _describe(error: ValidationError) -> str:
    """Turn pydantic's first complaint into one short, human sentence."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "item"
    if first["type"] == "missing":
        return f"missing field '{field}'"
    message = first["msg"].removeprefix("Value error, ")
    return f"field '{field}': {message}"


def json_objects(path: str | Path, what: str = "dataset"):
    """Yield ``(where, record)`` for each non-blank line of a JSONL file, ``where`` naming the
    file and line for error messages.

    Raises:
        DatasetError: the file is missing or unreadable, or a line is not a JSON object.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DatasetError(f"{path}: {what} file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: cannot read the {what} ({exc})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(record, dict):
            raise DatasetError(f"{where}: expected a JSON object, got {type(record).__name__}")
        yield where, record


def load_dataset(path: str | Path) -> list[EvalItem]:
    """Read a JSONL dataset into items, skipping blank lines.

    Raises:
        DatasetError: the file is missing, unreadable or empty, a line is not a JSON
            object, a field is missing or has the wrong type, or an ``id`` repeats.
    """
    items: list[EvalItem] = []
    first_seen: dict[str, str] = {}
    for where, record in json_objects(path):
        try:
            item = EvalItem.model_validate(record)
        except ValidationError as exc:
            raise DatasetError(f"{where}: {_describe(exc)}") from None
        if item.id in first_seen:
            raise DatasetError(f"{where}: duplicate id '{item.id}' (first seen on line {first_seen[item.id]})")
        first_seen[item.id] = where.rsplit(" line ", 1)[1]
        items.append(item)

    if not items:
        raise DatasetError(f"{path}: the dataset is empty (no JSON lines found)")
    return items
