"""Errors the sandbox raises, each named after what happened, each with a hint.

``SandboxViolation`` and ``LimitExceeded`` derive from ``BaseException``, not ``Exception``:
a program may catch its own errors (``try: ... except RuntimeError:``, even
``except Exception:``), but not the sandbox's refusals and limits. Python still lets an
in-flight exception be dropped (``return`` in ``finally``) or replaced (an ``except`` that
names no class raises ``TypeError``): so each is also sticky. It is remembered when made
(``raised``), every later loop step or call raises it again (``values.tick``), and the
program's answer reports it whatever the program did with it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

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
        _remember(self)


class LimitExceeded(BaseException):
    """The running program went past one of the documented limits."""

    def __init__(self, limit: LimitName, message: str):
        super().__init__(message)
        self.limit = limit
        _remember(self)


# The first refusal or limit of the program running now (one program at a time per process),
# noted while a program runs (``recording``).
_FIRST: list[SandboxViolation | LimitExceeded] = []
_RECORDING = [False]


def _remember(error: SandboxViolation | LimitExceeded) -> None:
    if _RECORDING[0] and not _FIRST:
        _FIRST.append(error)


def raised() -> SandboxViolation | LimitExceeded | None:
    """The first refusal or limit the last program met, if any (caught or not)."""
    return _FIRST[0] if _FIRST else None


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """While a program runs: note its first refusal or limit (it starts with none)."""
    _FIRST.clear()
    _RECORDING[0] = True
    try:
        yield
    finally:
        _RECORDING[0] = False
