"""Markdown guide → :class:`Guide`.

The guide's framework blocks are fenced code blocks that contain *indented* fenced
diagrams, which a CommonMark parser reads as the outer block closing early. So this is
a small line-based parser: an outer fence closes only on a fence at its own indentation;
a deeper fence inside it opens or closes a nested diagram.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from interviewer.errors import GuideError
from interviewer.guide.model import (
    TRACK_TITLES,
    Example,
    FrameworkPart,
    GeneralFramework,
    Guide,
    Point,
    Question,
    Section,
    TipSection,
)
from interviewer.guide.repair import decode_guide_bytes

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_QUESTION = re.compile(r"^\*\*Q:\s*(.+?)\*\*\s*$")
_FENCE = re.compile(r"^(\s*)(```+|~~~+)(.*)$")
_PART = re.compile(r"^\s*(\d+)\.\s+\*\*(.+?)\*\*\s*:?\s*(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_LABELLED = re.compile(r"^\*\*(.+?):?\*\*:?\s*(.*)$")
_EMPHASIS = re.compile(r"\*\*|__|`")
_NON_WORD = re.compile(r"[^\w&/ .,'()+-]", re.UNICODE)

# Heading keywords → track id; sub-headings are checked before their parent heading.
_TRACK_KEYWORDS = [
    ("backend", "backend"),
    ("frontend", "frontend"),
    ("full-stack", "frontend"),
    ("system design", "system-design"),
    ("architecture", "architecture"),
    ("design pattern", "architecture"),
    ("devops", "devops"),
    ("infrastructure", "devops"),
    ("leadership", "leadership"),
    ("behavio", "leadership"),
]


def slugify(text: str) -> str:
    """Stable id from text: lowercase ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clean_heading(text: str) -> str:
    """Strip emphasis, emoji and numbering from a heading: '### 1. **Backend Systems**' → 'Backend Systems'."""
    text = _EMPHASIS.sub("", text)
    text = re.sub(r"^\s*\d+\.\s*", "", text)
    text = _NON_WORD.sub("", text)
    return re.sub(r"\s+", " ", text).strip(" :")


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", _EMPHASIS.sub("", text)).strip()


def _meaningful(titles: list[str]) -> str:
    """The deepest heading that names a topic (skips 'Questions', 'Framework', ...)."""
    generic = ("questions", "common questions", "framework", "approach")
    return next((t for t in reversed(titles) if t.lower() not in generic), "")


def _track_for(headings: list[str]) -> str:
    for heading in reversed(headings):  # deepest first
        low = heading.lower()
        for keyword, track in _TRACK_KEYWORDS:
            if keyword in low:
                return track
    return slugify(headings[0]) if headings else "general"


@dataclass
class _Block:
    """A fenced block's lines (outer fence removed), with where it started."""

    start_line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


def _parse_point(part_index: int, n: int, raw: str) -> Point:
    m = _LABELLED.match(raw.strip())
    if m:
        label, detail = _plain(m.group(1)).rstrip(":"), _plain(m.group(2))
        return Point(id=f"{part_index}.{n}", text=f"{label}: {detail}" if detail else label, label=label, detail=detail)
    return Point(id=f"{part_index}.{n}", text=_plain(raw))


def _parse_framework(block: _Block, path: str) -> tuple[str, list[FrameworkPart], Example | None, str]:
    """Split a framework block into its label, numbered parts and the example part."""
    label, parts, example, example_title = "", [], None, "Example from Experience"
    current: FrameworkPart | None = None
    in_diagram, diagram_indent, diagram_lines = False, "", []
    example_lines: list[str] | None = None
    for lineno, line in block.lines:
        fence = _FENCE.match(line)
        if fence:
            if not in_diagram:
                in_diagram, diagram_indent, diagram_lines = True, fence.group(1), []
            else:
                in_diagram = False
                if current is not None:
                    current.diagram = "\n".join(diagram_lines).strip("\n")
            continue
        if in_diagram:
            diagram_lines.append(line[len(diagram_indent):] if line.startswith(diagram_indent) else line)
            continue
        part = _PART.match(line)
        if part:
            title = _plain(part.group(2)).rstrip(":").strip()
            if "example" in title.lower():
                example_title, example_lines, current = title, [], None
                if part.group(3).strip():
                    example_lines.append(part.group(3))
                continue
            example_lines = None
            current = FrameworkPart(index=int(part.group(1)), title=title)
            parts.append(current)
            continue
        if example_lines is not None:
            if line.strip():
                example_lines.append(line)
            continue
        bullet = _BULLET.match(line)
        if bullet and current is not None:
            current.points.append(_parse_point(current.index, len(current.points) + 1, bullet.group(1)))
        elif line.strip() and not parts and not label:
            label = _plain(line).rstrip(":")
    if in_diagram:
        raise GuideError("a diagram's ``` fence inside this framework block is never closed.", path=path, line=block.start_line)
    if example_lines is not None:
        example = _parse_example(example_lines)
    return label, parts, example, example_title


def _parse_example(lines: list[str]) -> Example:
    headline, bullets = "", []
    for line in lines:
        bullet = _BULLET.match(line)
        text = _plain(bullet.group(1) if bullet else line).strip('"“” ')
        if bullet:
            bullets.append(text)
        elif not headline:
            headline = text.rstrip(":")
        else:
            bullets.append(text)
    return Example(headline=headline, bullets=bullets)


def parse_guide(text: str, *, source: str = "<guide>") -> Guide:
    """Parse guide Markdown (already decoded and repaired) into a :class:`Guide`.

    A guide without ``**Q:`` markers is kept as plain sections so it can still be indexed.
    Raises :class:`GuideError` (with file and line) for an unclosed fence or an empty guide.
    """
    guide = Guide(source=source)
    headings: list[tuple[int, str]] = []  # (level, clean title) stack
    pending_q: tuple[int, str] | None = None
    section_lines: list[str] = []
    section_start = 1
    block: _Block | None = None
    fence_indent = ""
    fence_marker = ""

    def path_titles() -> list[str]:
        return [t for level, t in headings if level >= 2]

    def flush_section() -> None:
        nonlocal section_lines
        body = "\n".join(section_lines).strip()
        if body:
            guide.sections.append(Section(heading_path=[t for _, t in headings], text=body, line=section_start))
        section_lines = []

    lines = text.split("\n")
    for lineno, line in enumerate(lines, start=1):
        if block is not None:
            fence = _FENCE.match(line)
            if fence and fence.group(1) == fence_indent and fence.group(2).startswith(fence_marker[0]) and not fence.group(3).strip():
                _finish_block(guide, block, pending_q, path_titles(), source)
                pending_q, block = None, None
                continue
            block.lines.append((lineno, line))
            continue
        fence = _FENCE.match(line)
        if fence:
            block, fence_indent, fence_marker = _Block(start_line=lineno), fence.group(1), fence.group(2)
            continue
        heading = _HEADING.match(line)
        if heading:
            flush_section()
            level, title = len(heading.group(1)), clean_heading(heading.group(2))
            if level == 1 and not guide.title:
                guide.title = title
            headings = [(lv, t) for lv, t in headings if lv < level] + [(level, title)]
            section_start = lineno + 1
            continue
        q = _QUESTION.match(line.strip())
        if q:
            if pending_q:
                guide.warnings.append(f"{source} line {pending_q[0]}: question '{pending_q[1]}' has no framework block; skipped.")
            pending_q = (lineno, _plain(q.group(1)))
            continue
        section_lines.append(line)
        bullet = _BULLET.match(line)
        titles = path_titles()
        if bullet and titles and "tip" in " ".join(titles[:1]).lower():
            _add_tip(guide, titles[-1], _plain(bullet.group(1)))
    if block is not None:
        raise GuideError(
            f"a ``` fence opened here is never closed (is a closing ``` missing at column {len(fence_indent) + 1}?).",
            path=source,
            line=block.start_line,
        )
    flush_section()
    if pending_q:
        guide.warnings.append(f"{source} line {pending_q[0]}: question '{pending_q[1]}' has no framework block; skipped.")
    if not guide.questions and not guide.sections and not guide.general_frameworks:
        raise GuideError("no questions, headings or text were found.", path=source)
    if not guide.questions:
        guide.warnings.append(f"{source}: no '**Q: …**' questions found; indexed as plain sections only.")
    return guide


def _add_tip(guide: Guide, title: str, item: str) -> None:
    if "pitfall" in title.lower():
        guide.pitfalls.append(item)
        return
    for section in guide.tips:
        if section.title == title:
            section.items.append(item)
            return
    guide.tips.append(TipSection(title=title, items=[item]))


def _finish_block(guide: Guide, block: _Block, pending_q: tuple[int, str] | None, titles: list[str], source: str) -> None:
    label, parts, example, example_title = _parse_framework(block, source)
    if pending_q is not None:
        line, text = pending_q
        track = _track_for(titles)
        qid = slugify(text)
        if any(q.id == qid for q in guide.questions):
            qid = f"{qid}-{line}"
        guide.questions.append(
            Question(
                id=qid, text=text, track=track, track_title=TRACK_TITLES.get(track, titles[0] if titles else track),
                section=_meaningful(titles), framework_label=label, parts=parts, example=example,
                example_part_title=example_title, line=line, source=source,
            )
        )
    elif parts and titles:
        # A fenced framework with no question: one of the guide's general frameworks.
        title = _meaningful(titles) or titles[-1]
        guide.general_frameworks.append(GeneralFramework(id=slugify(title), title=title, parts=parts))


def load_guide_file(path: Path) -> Guide:
    """Read, repair and parse one guide file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GuideError(f"cannot read the file ({exc.strerror}).", path=str(path)) from exc
    return parse_guide(decode_guide_bytes(raw, path=str(path)), source=path.name)


def load_guides(paths: list[Path]) -> Guide:
    """Load several guide files (or directories of .md/.txt files) into one guide."""
    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(x for x in p.iterdir() if x.suffix.lower() in (".md", ".markdown", ".txt")) if p.is_dir() else [p]
    if not files:
        raise GuideError("no guide files (.md, .txt) found.", path=", ".join(map(str, paths)))
    guide = load_guide_file(files[0])
    for f in files[1:]:
        guide = guide.merged(load_guide_file(f))
    return guide
