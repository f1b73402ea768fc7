"""Lines of a notebook cell that are not Python: IPython's magics (``%matplotlib inline``,
``%%time``, ``%timeit f(x)``) and shell escapes (``!pip install d2l``).

Course notebooks (d2l, Dive-into-DL-PyTorch) start their cells with ``%matplotlib inline``,
and students paste cells whole. Such a line is a syntax error to Python, which would refuse
the whole program over a line that does nothing here (plots are not drawn; a shell command
never runs). So, only where a program does not parse, each line that begins a statement
with ``%`` or ``!`` becomes ``pass`` (same line, same indent), the program is parsed again,
and the answer notes what was skipped. Lines inside strings and brackets are left alone
(the tokenizer says where statements begin); a program that still does not parse is refused
with the first error left (lines keep their numbers).
"""

from __future__ import annotations

import io
import tokenize

# Tokens that carry nothing of a statement: a statement begins at the next other token.
_BETWEEN = frozenset(
    [tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT]
)
_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")


def notebook_lines(source: str) -> list[int]:
    """The lines (1-based) where a statement begins with ``%`` or ``!`` (``!=`` is Python)."""
    found: list[int] = []
    depth, starts = 0, True
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in _BETWEEN:
                starts = starts or (token.type in (tokenize.NL, tokenize.NEWLINE) and depth == 0)
                continue
            if starts and token.string in ("%", "%%", "!"):
                found.append(token.start[0])
            if token.string in _OPEN:
                depth += 1
            elif token.string in _CLOSE:
                depth = max(depth - 1, 0)
            starts = False
    except (tokenize.TokenError, SyntaxError):  # unterminated text: left to the parser's error
        return found
    return found


def without_notebook_lines(source: str) -> tuple[str, tuple[int, ...]]:
    """``source`` with each notebook line made ``pass`` at its indent, and those lines."""
    lines = notebook_lines(source)
    if not lines:
        return source, ()
    text = source.splitlines(keepends=True)
    for number in lines:
        line = text[number - 1]
        indent = line[: len(line) - len(line.lstrip())]
        ending = line[len(line.rstrip("\r\n")) :]
        text[number - 1] = f"{indent}pass{ending}"
    return "".join(text), tuple(lines)
