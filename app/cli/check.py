"""``autograd-viz check``: what the sandbox would refuse in a program, before it runs.

This reads the program as the worker does, with the same functions (``compile_program``: parse,
size walk, the allowlist of constructs, names and imports, the rewrite, Python's compiler), and
never runs it. The worker stops at the first refusal; for a teacher preparing material each
top-level statement is checked on its own as well, so every statement's first refusal is
listed. What only a run can tell (an attribute a value does not offer, a size past a limit) is
not found here: ``autograd-viz render`` runs the program in the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.hints.refusal_text import chinese
from app.language.check import check
from app.language.compile import compile_program
from app.language.errors import RefusedProgram
from app.language.parse import nodes_with_parents, parse
from app.limits import Limits


@dataclass(frozen=True)
class Refusal:
    """One thing the sandbox refuses: its kind, where, why, and what to do instead."""

    kind: str
    line: int | None
    col: int | None
    message: str
    hint: str

    def describe(self, filename: str) -> str:
        """``file:line:col: Kind: message`` and the hint on the next line, as compilers print."""
        place = ":".join(str(part) for part in (filename, self.line, self.col) if part is not None)
        return f"{place}: {self.kind}: {self.message}\n    {self.hint}"


def _refusal(exc: RefusedProgram, lang: str) -> Refusal:
    message = (chinese(exc.kind, exc.message) if lang == "zh" else None) or exc.message
    hint = exc.hint.zh if lang == "zh" else exc.hint.en
    return Refusal(exc.kind, exc.line, exc.col, message, hint)


def refusals(source: str, lang: str = "en", limits: Limits | None = None) -> list[Refusal]:
    """What the sandbox refuses in ``source`` (empty: it would run), in source order."""
    limits = limits or Limits()
    try:
        compile_program(source, limits)
    except RefusedProgram as exc:
        found = [exc]
    else:
        return []
    try:
        tree = parse(source)
    except RefusedProgram:
        return [_refusal(found[0], lang)]  # a syntax error: nothing after it can be read
    for statement in tree.body:
        try:
            nodes, _ = nodes_with_parents(statement, limits, parent=tree, depth=1, counted=1)
            check(nodes)
        except RefusedProgram as exc:
            found.append(exc)
    unique = {(exc.kind, exc.line, exc.col, exc.message): exc for exc in found}
    ordered = sorted(unique.values(), key=lambda exc: (exc.line or 0, exc.col or 0))
    return [_refusal(exc, lang) for exc in ordered]
