"""Checked and rewritten top-level statements, kept by their exact text and place.

A student edits one line and runs the program again: every other statement is the same text
at the same place. A statement that starts at a statement boundary parses to the same AST
wherever it appears, so what the policy made of it last time (its node count, its rewritten
form compiled) holds again, and only the edited statements are checked, rewritten and
compiled. The key is the
statement's whole lines (decorators included), its first and last line and column, and the
depth limit it was checked against: two keys are equal only if the token streams are.

A cache can only hand back statements that passed the policy: a statement it has no entry for
is checked like any other. Entries are bounded in number and in size of text, and are only
read by ``compile_program``; a code object is immutable, and every run gets a fresh namespace.
"""

from __future__ import annotations

import ast
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from types import CodeType

# Python's tokenizer ends lines at \n, \r\n and a lone \r (and nowhere else: not at form feeds
# or the Unicode line separators that str.splitlines() also splits at).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

StatementKey = tuple[int, int, int, int, int, str]


@dataclass(frozen=True)
class CheckedStatement:
    """One statement after the policy: its syntax nodes counted, and its rewritten form
    compiled (a module's code: run it with ``exec`` in the program's namespace)."""

    nodes: int
    code: CodeType


class StatementCache:
    """Least recently used entries dropped first; safe to share between threads."""

    def __init__(self, entries: int, max_chars: int) -> None:
        self._entries = entries
        self._max_chars = max_chars
        self._items: OrderedDict[StatementKey, CheckedStatement] = OrderedDict()
        self._lock = threading.Lock()

    def keys(
        self, source: str, statements: list[ast.stmt], depth_limit: int
    ) -> list[StatementKey | None]:
        """The key of each top-level statement of ``source``; None for one too long to keep."""
        lines = _LINE_BREAK.split(source)
        keys: list[StatementKey | None] = []
        for statement in statements:
            decorators = getattr(statement, "decorator_list", [])
            first = min([statement.lineno, *(d.lineno for d in decorators)])
            last = statement.end_lineno or statement.lineno
            text = "\n".join(lines[first - 1 : last])
            if len(text) > self._max_chars:
                keys.append(None)
                continue
            end_col = statement.end_col_offset or 0
            keys.append((first, statement.col_offset, last, end_col, depth_limit, text))
        return keys

    def get(self, key: StatementKey | None) -> CheckedStatement | None:
        """The entry for ``key``, if there is one."""
        if key is None:
            return None
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
            return entry

    def put(self, key: StatementKey | None, entry: CheckedStatement) -> None:
        """Keep ``entry`` (a ``None`` key, a statement too long to keep, is not kept)."""
        if key is None:
            return
        with self._lock:
            self._items[key] = entry
            self._items.move_to_end(key)
            while len(self._items) > self._entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()
