"""Errors the sandbox raises, each named after what happened."""

from __future__ import annotations

from app.record import LimitName, RefusalKind


class RefusedProgram(Exception):
    """The program was refused before it ran (syntax error or a construct outside the allowlist)."""

    def __init__(
        self, kind: RefusalKind, message: str, line: int | None = None, col: int | None = None
    ):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line
        self.col = col


class SandboxViolation(Exception):
    """The running program reached for something the runtime does not allow."""


class LimitExceeded(Exception):
    """The running program went past one of the documented limits."""

    def __init__(self, limit: LimitName, message: str):
        super().__init__(message)
        self.limit = limit
