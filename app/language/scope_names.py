"""The names a program could have meant where it raised ``NameError``: what the sandbox
really offers there, for the hint's "did you mean" (``app/hints/names.py``).

That is the builtins the runtime lets through (plain or guarded, never the unavailable ones
that only say so), the pre-bound modules, and the program's own names in the frame that
raised: its locals, then its globals. The runtime's helpers (``_ag_...``) and every other
underscore name stay out. Only the frames' dict keys are read, and only exact ``str`` keys
kept (a subclass's methods would be program code): no program code runs after the program.
"""

from __future__ import annotations

from types import FrameType, TracebackType

from app.language.allowlist.builtins import GUARDED, PLAIN
from app.language.parse import PROGRAM_FILENAME

_BUILTINS = frozenset(PLAIN) | frozenset(GUARDED)


def names_in_scope(tb: TracebackType | None) -> set[str]:
    """The names the innermost program frame of ``tb`` can see (builtins included)."""
    frame = _innermost_program_frame(tb)
    found = set(_BUILTINS)
    if frame is None:
        return found
    for scope in (frame.f_locals, frame.f_globals):
        found.update(key for key in scope if type(key) is str and not key.startswith("_"))
    return found


def _innermost_program_frame(tb: TracebackType | None) -> FrameType | None:
    frame = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == PROGRAM_FILENAME:
            frame = tb.tb_frame
        tb = tb.tb_next
    return frame
