"""What a program prints: captured, checked for size before it is made, truncated at the limit."""

from __future__ import annotations

from typing import Any

from app.hints import sandbox
from app.language.errors import SandboxViolation
from app.language.values import ValueLimits, showable


class Output:
    """The captured standard output of one program (``print`` writes here)."""

    def __init__(self, values: ValueLimits) -> None:
        self.values = values
        self.parts: list[str] = []
        self.chars = 0
        self.truncated = False

    def print(
        self,
        *args: Any,
        sep: str | None = " ",
        end: str | None = "\n",
        file: Any = None,
        flush: bool = False,
    ) -> None:
        """``print`` into the captured output, truncated at the output limit."""
        if file is not None:
            raise SandboxViolation("print(file=...) is not available here", sandbox.FILES)
        for arg in (*args, sep, end):
            self.values.check_text(arg)
        for name, value in (("sep", sep), ("end", end)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be None or a string, not {type(value).__name__}")
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        # The line is bounded as it grows: many arguments may each be long (print(*[s] * 99)).
        pieces: list[str] = []
        total = self.values.grow_text(0, len(end))
        for arg in args:
            piece = str(arg)
            total = self.values.grow_text(total, len(piece) + (len(sep) if pieces else 0))
            pieces.append(piece)
        text = showable(sep.join(pieces) + end)
        room = self.values.limits.max_stdout_chars - self.chars
        if room <= 0:
            self.truncated = True
            return
        if len(text) > room:
            text = text[:room]
            self.truncated = True
        self.parts.append(text)
        self.chars += len(text)

    @property
    def text(self) -> str:
        """Everything the program printed (up to the limit)."""
        return "".join(self.parts)
