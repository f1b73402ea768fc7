"""PyTorch's warnings that point at a learner's bug become notes on the answer.

A warning goes to stderr, which the answer does not carry, and never changes what the program
does. But a few of PyTorch's warnings are the only sign of a real mistake: a loss given a
target of another shape broadcasts silently (``(N, 1)`` against ``(N,)``), ``.grad`` of a
non-leaf tensor is always ``None``. A warning whose text a hint rule (``pytorch.py``) knows is
told once, as a note in English and Chinese; every other warning is dropped, as before.
"""

from __future__ import annotations

import sys
from typing import TextIO

from app.hints.hint import Hint
from app.hints.pytorch import hint_for

# Distinct warning texts looked at per program: a loop that warns on every step with a new
# text (sizes in it) costs a rule search each only this many times.
_TEXTS_LOOKED_AT = 64


def warning_note(hint: Hint, line: int | None) -> Hint:
    """The note for a warning that ``hint`` explains, raised on the program's ``line``."""
    where_en = f" at line {line}" if line is not None else ""
    where_zh = f"在第 {line} 行" if line is not None else ""
    return Hint(
        f"warning_{hint.key}",
        f"PyTorch warned{where_en} (the program went on): {hint.en}",
        f"PyTorch {where_zh}发出了警告（程序继续运行）：{hint.zh}",
    )


def _program_line(filename: str) -> int | None:
    """The line of the program's innermost frame on the stack: where it made the warning."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == filename:
            return frame.f_lineno
        frame = frame.f_back  # type: ignore[assignment]
    return None


class WarningNotes:
    """A ``warnings.showwarning`` that adds a note to ``notes`` for each warning a hint explains."""

    def __init__(self, notes: list[Hint], program_filename: str) -> None:
        self.notes = notes
        self.program_filename = program_filename  # the program's code objects' co_filename
        self._seen: set[str] = set()

    def __call__(
        self,
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        """Called by ``warnings.warn`` in place of printing the warning."""
        if type(message) is not UserWarning or len(self._seen) >= _TEXTS_LOOKED_AT:
            return  # only PyTorch's own kind (a program cannot make one with its own __str__)
        text = str(message)
        if text in self._seen:
            return
        self._seen.add(text)
        hint = hint_for(message, text)
        if hint is not None and all(note.key != f"warning_{hint.key}" for note in self.notes):
            self.notes.append(warning_note(hint, _program_line(self.program_filename)))
