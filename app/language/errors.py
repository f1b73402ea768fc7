"""Errors the sandbox raises, each named after what happened, each with a hint.

``SandboxViolation`` and ``LimitExceeded`` derive from ``BaseException``, not ``Exception``:
a program may catch its own errors (``try: ... except RuntimeError:``, even
``except Exception:``), but never the sandbox's refusals and limits.
"""

from __future__ import annotations

from app.hints import sandbox
from app.hints.hint import Hint
from app.record import LimitName, RefusalKind

_KIND_HINTS: dict[RefusalKind, Hint] = {
    "SyntaxError": sandbox.SYNTAX,
    "RefusedConstruct": sandbox.CONSTRUCT,
    "RefusedImport": sandbox.UNUSED_IMPORT,
    "ProgramTooComplex": sandbox.TOO_BIG,
    "ProgramTooLarge": sandbox.TOO_BIG,
    "CodeTooLong": sandbox.TOO_BIG,
}


class RefusedProgram(Exception):
    """The program was refused before it ran (syntax error or a construct outside the allowlist)."""

    def __init__(
        self,
        kind: RefusalKind,
        message: str,
        line: int | None = None,
        col: int | None = None,
        hint: Hint | None = None,
    ):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line
        self.col = col
        self.hint = hint or _KIND_HINTS[kind]


class SandboxViolation(BaseException):
    """The running program reached for something the runtime does not allow."""

    def __init__(self, message: str, hint: Hint = sandbox.ATTRIBUTE):
        super().__init__(message)
        self.hint = hint


class LimitExceeded(BaseException):
    """The running program went past one of the documented limits."""

    def __init__(self, limit: LimitName, message: str):
        super().__init__(message)
        self.limit = limit
