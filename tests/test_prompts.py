"""Every prompt file renders with sample variables, and a missing variable fails loudly."""
from __future__ import annotations

import re

import jinja2
import pytest
from jinja2 import meta

from interviewer.errors import ConfigError
from interviewer.interview.phases import load_phases
from interviewer.prompting import PROMPTS_DIR, load_toml, prompt_files, render, render_string

SAMPLE = {
    "level": "senior", "question": "Design a distributed cache system", "summary": "Q1: answered.", "window": "Interviewer: Hi",
    "guide_notes": "Requirements: high availability", "move": "followup", "instruction": "Ask one follow-up.",
    "draft": "How would you handle cache invalidation?", "error": "score 9 is outside 1-5", "scores": '{"part1": 3}',
    "flags": "truncated", "answer": "I would use consistent hashing.", "model": "gpt-4o-mini", "plan": "two questions",
    "n": 2, "total": 3, "tracks": "system design", "ack": "You covered replication.", "topic": "cache invalidation",
    "covered": "consistent hashing", "quote": "I'd use consistent hashing", "facts": "Users: 10 million.", "label": "Users",
    "value": "10 million", "dimension": "requirements", "text": "Design a cache.", "prompt": "Design a cache.",
    "ask": "Sketch the high-level design.", "previous": "requirements", "summary_text": "", "answered": 1, "asked": 2,
    "overall": "3.4/5", "reason": "timed out", "minutes": 5,
    "dimensions": [{"id": "part1", "title": "Requirements", "score": 3,
                    "points": [{"status": "covered", "text": "High availability", "quote": "replicate each shard"}]}],
}


def _variables(source: str) -> set[str]:
    return meta.find_undeclared_variables(jinja2.Environment().parse(source))


def _strings(node, path=""):
    """Every template string in a TOML phrase file, with its dotted path."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _strings(item, f"{path}[{i}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}" if path else key)


@pytest.mark.parametrize("name", prompt_files("interviewer") + prompt_files("judge"))
def test_every_markdown_prompt_renders_with_sample_variables(name):
    source = (PROMPTS_DIR / name).read_text(encoding="utf-8")
    needed = _variables(source)
    assert needed <= SAMPLE.keys(), f"sample variables missing for {name}: {needed - SAMPLE.keys()}"
    text = render(name, **SAMPLE)
    assert text and "{{" not in text and "{%" not in text


_TEMPLATED = [n for n in prompt_files("interviewer") + prompt_files("judge") if _variables((PROMPTS_DIR / n).read_text(encoding="utf-8"))]


@pytest.mark.parametrize("name", _TEMPLATED)
def test_a_missing_variable_fails_loudly(name):
    needed = sorted(_variables((PROMPTS_DIR / name).read_text(encoding="utf-8")))
    partial = {k: v for k, v in SAMPLE.items() if k != needed[0]}
    with pytest.raises(ConfigError, match=needed[0]):
        render(name, **partial)


def test_every_offline_phrase_renders():
    phrases = load_toml("interviewer/offline.toml")
    rendered = 0
    for path, source in _strings({k: v for k, v in phrases.items() if k != "topics"}):
        text = render_string(source, where=path, **SAMPLE)
        assert text and "{{" not in text, path
        rendered += 1
    assert rendered > 60
    with pytest.raises(ConfigError):
        render_string("Hello {{ nobody }}", where="test")


def test_phase_asks_and_move_instructions_render():
    for spec in load_phases().phases:
        assert re.search(r"\d+ minutes", spec.ask_text())
    instructions = load_toml("interviewer/moves.toml")["instructions"]
    engine_moves = {"followup", "clarify", "hint", "repeat", "question", "phase", "empty", "off_topic", "abusive", "unclear", "wrapup"}
    assert engine_moves <= instructions.keys()


def test_prompt_files_hold_no_example_answer_text(guide):
    """The example answers of the guide never appear in interviewer phrasing or prompts."""
    corpus = " ".join((PROMPTS_DIR / n).read_text(encoding="utf-8") for n in prompt_files("interviewer") + prompt_files("judge"))
    corpus += (PROMPTS_DIR / "interviewer" / "offline.toml").read_text(encoding="utf-8")
    bullets = [b for q in guide.questions if q.example for b in q.example.bullets if len(b.split()) >= 4]
    assert bullets and not [b for b in bullets if b.lower() in corpus.lower()]


def test_missing_prompt_file_is_a_clear_error():
    with pytest.raises(ConfigError, match="missing"):
        render("interviewer/nope.md")
    with pytest.raises(ConfigError, match="missing"):
        load_toml("interviewer/nope.toml")
