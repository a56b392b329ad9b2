"""Reading guide files safely: bytes → clean text, with mojibake repaired.

Guides pasted through some editors arrive as UTF-8 that was once decoded as Mac Roman
(``üéØ`` for 🎯, ``‚Üí`` for →). ftfy repairs only part of that, so we try the exact
Mac Roman round trip first, per line where the whole text will not round-trip.
"""
from __future__ import annotations

import ftfy

from interviewer.errors import GuideError

MAX_GUIDE_BYTES = 5_000_000
# Sequences that only appear when UTF-8 was decoded as Mac Roman.
_MOJIBAKE_MARKERS = ("‚Ä", "‚Ü", "üé", "üè", "üí", "üöÄ", "üîß", "üìä", "üéâ", "Ô∏è", "‚Äô", "‚Äú")


def _mac_roman_round_trip(text: str) -> str | None:
    try:
        return text.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def looks_like_mojibake(text: str) -> bool:
    """True when the text carries tell-tale Mac Roman mojibake sequences."""
    return any(m in text for m in _MOJIBAKE_MARKERS)


def repair_mojibake(text: str) -> str:
    """Undo Mac Roman (and, via ftfy, Latin-1/cp1252) mojibake; clean text is unchanged."""
    if looks_like_mojibake(text):
        whole = _mac_roman_round_trip(text)
        if whole is not None:
            return whole
        # Mixed file: repair the lines that need it, leave genuine characters alone.
        lines = []
        for line in text.splitlines(keepends=True):
            fixed = _mac_roman_round_trip(line) if looks_like_mojibake(line) else None
            lines.append(fixed if fixed is not None else line)
        text = "".join(lines)
    return ftfy.fix_text(text, normalization="NFC")


def decode_guide_bytes(raw: bytes, *, path: str = "<guide>") -> str:
    """Turn a guide file's bytes into repaired text, or raise a :class:`GuideError`."""
    if not raw.strip():
        raise GuideError("the file is empty; a guide needs at least one heading and some text.", path=path)
    if len(raw) > MAX_GUIDE_BYTES:
        raise GuideError(
            f"the file is {len(raw) / 1e6:.1f} MB; guides are limited to {MAX_GUIDE_BYTES / 1e6:.0f} MB. "
            "Split it into several files in knowledge/.",
            path=path,
        )
    sample = raw[:8192]
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) * 0.05:
        raise GuideError("this looks like a binary file, not a Markdown or text guide.", path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("cp1252", errors="replace")
        if text.count("\ufffd") > 10:
            raise GuideError("the file is not UTF-8 text; save it as UTF-8 and ingest again.", path=path, line=line)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return repair_mojibake(text)
