"""Printing a streamed reply word-wrapped, as it arrives.

Rich wraps whole texts; a reply that streams in chunks would otherwise be cut mid-word by
the terminal. This keeps the column and breaks before a word that would not fit.
"""
from __future__ import annotations

import re

from rich.console import Console

_PIECES = re.compile(r"\s+|\S+")


class StreamWrapper:
    """Write chunks to ``console`` wrapped at its width, starting at column ``start``."""

    def __init__(self, console: Console, start: int = 0):
        self.console, self.column, self.pending = console, start, ""

    def write(self, chunk: str) -> None:
        """Print the complete words of ``chunk``; a word cut at the chunk's end waits for the next one."""
        text = self.pending + chunk
        cut = len(text) - len(text.split()[-1]) if text and not text[-1].isspace() else len(text)
        self.pending = text[cut:]
        self._emit(text[:cut])

    def close(self) -> None:
        """Print what is left and end the line."""
        self._emit(self.pending)
        self.pending = ""
        self.console.print()

    def _emit(self, text: str) -> None:
        width = self.console.width
        out = []
        for piece in _PIECES.findall(text):
            if "\n" in piece:
                out.append("\n")
                self.column = 0
            elif piece.isspace():
                if self.column and self.column + 1 < width:
                    out.append(" ")
                    self.column += 1
            else:
                if self.column and self.column + len(piece) > width:
                    if out and out[-1] == " ":
                        out.pop()
                    out.append("\n")
                    self.column = 0
                out.append(piece)
                self.column += len(piece)
        if out:
            self.console.print("".join(out), end="", soft_wrap=True)
