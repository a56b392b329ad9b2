"""Prompt files: every prompt and every offline phrase lives under ``prompts/``.

Markdown prompts (``prompts/interviewer/*.md``, ``prompts/judge/*.md``) and the phrase
templates inside TOML files are Jinja2 templates rendered with ``StrictUndefined``, so a
missing variable fails loudly instead of sending "None" to a model or a candidate.
Candidate text is only ever passed in as a *value*, never compiled as a template.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from interviewer.errors import ConfigError

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # autoescape off: prompts are plain text for a model, not HTML.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PROMPTS_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(name: str, **variables: Any) -> str:
    """Render the prompt file ``prompts/<name>`` (e.g. ``"judge/system.md"``).

    Raises :class:`ConfigError` naming the file when it is missing, broken, or when a
    variable it uses was not given.
    """
    try:
        template = _environment().get_template(name)
        return template.render(**variables).strip()
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"Prompt file prompts/{name} is missing.") from exc
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"Prompt file prompts/{name}: {exc.message}.") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"Prompt file prompts/{name} line {exc.lineno}: {exc.message}.") from exc


@lru_cache(maxsize=512)
def _compiled(source: str) -> jinja2.Template:
    return _environment().from_string(source)


def render_string(source: str, *, where: str = "template", **variables: Any) -> str:
    """Render a template string read from a prompt file (a TOML phrase), strictly.

    ``source`` must come from ``prompts/``, never from user input.
    """
    try:
        return _compiled(source).render(**variables).strip()
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"{where}: {exc.message}.") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"{where}: {exc.message}.") from exc


@lru_cache(maxsize=16)
def load_toml(name: str) -> dict[str, Any]:
    """Parse ``prompts/<name>`` (a TOML file of phrases or tables), cached."""
    path = PROMPTS_DIR / name
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"Prompt file prompts/{name} is missing.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Prompt file prompts/{name} is not valid TOML: {exc}.") from exc


def prompt_files(folder: str, suffix: str = ".md") -> list[str]:
    """Names (relative to ``prompts/``) of the prompt files in one folder, sorted."""
    return sorted(f"{folder}/{p.name}" for p in (PROMPTS_DIR / folder).glob(f"*{suffix}"))
