"""Where in the program an exception was raised: its line and column, as Python 3.11's own
traceback marks them (``^^^^`` under the expression that failed).

The line is the innermost frame of the program's (a function of its own that raised inside
PyTorch: the line in that function). The column comes from that frame's instruction
(``co_positions``, which the rewriter keeps on what it rewrites: each rewritten node takes the
place of the one it replaces); Python counts it in bytes of UTF-8, a learner in characters (a
Chinese comment or string before it), so it is counted again on the source's line.
"""

from __future__ import annotations

import itertools
import re
from types import TracebackType

# Python's line breaks (``str.splitlines`` also breaks at form feeds and U+2028, which Python
# does not count).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def error_place(
    tb: TracebackType | None, filename: str, source: str
) -> tuple[int | None, int | None]:
    """The 1-based line and column in ``source`` (the program, compiled as ``filename``) of
    the innermost frame of the program in ``tb``; the column None where Python knows none or
    it points at another line."""
    found: TracebackType | None = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            found = tb
        tb = tb.tb_next
    if found is None:
        return None, None
    line = found.tb_lineno
    return line, _column(found, line, source)


def _column(tb: TracebackType, line: int, source: str) -> int | None:
    if tb.tb_lasti < 0:
        return None
    positions = next(
        itertools.islice(tb.tb_frame.f_code.co_positions(), tb.tb_lasti // 2, None), None
    )
    if positions is None:
        return None
    start_line, _, start_col, _ = positions
    if start_line != line or start_col is None:
        return None
    lines = _LINE_BREAK.split(source)
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1].encode("utf-8")[:start_col].decode("utf-8", errors="ignore")
    return len(text) + 1
