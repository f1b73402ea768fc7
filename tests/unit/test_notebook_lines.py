"""A notebook cell pasted whole (app/language/notebook_lines.py): its magics and shell lines
are skipped, and the rest runs as plain Python runs the cell without them."""

from __future__ import annotations

import pytest

from app.evaluate import evaluate
from app.language.errors import RefusedProgram
from app.language.notebook_lines import notebook_lines
from tests.reference import run_reference

_CELL = """\
%matplotlib inline
!pip install d2l==1.0.3
import torch
x = torch.arange(4.0, requires_grad=True)
for step in range(2):
    %time y = (x * x).sum()
    y = (x * x).sum()
    y.backward()
print(x.grad, 3 % 2, 1 != 2)
"""


def test_a_cell_runs_as_plain_python_runs_it_without_its_magics() -> None:
    record = evaluate(_CELL)
    assert record.refused is None and record.error is None
    assert [note["key"] for note in record.notes] == ["sandbox_notebook_lines"]
    plain = "\n".join(
        line for line in _CELL.splitlines() if not line.lstrip().startswith(("%", "!"))
    )
    assert record.stdout == run_reference(plain + "\n").stdout
    assert record.graph is not None
    (x,) = [n for n in record.graph["nodes"] if n.get("name") == "x"]
    assert x["grad"]["data"] == [0.0, 4.0, 8.0, 12.0]  # twice 2x, as PyTorch sums


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("%matplotlib inline\nimport torch\n", [1]),
        ("x = 1\n  %%time\n!ls -la\n", [2, 3]),
        ('s = """\n%d of them\n!"""\nx = 5 % 2\n', []),  # inside a string
        ("f(1,\n  %2)\n", []),  # inside brackets
        ("if x != 2:\n    pass\n", []),
        ("x = 1  # %matplotlib inline\n", []),  # a comment
    ],
)
def test_only_lines_that_begin_a_statement_with_a_magic_are_found(
    source: str, lines: list[int]
) -> None:
    assert notebook_lines(source) == lines


def test_a_cell_with_another_error_is_refused_where_that_error_is() -> None:
    """Skipping its magic leaves the cell's own mistake, which is what the refusal shows."""
    record = evaluate("%matplotlib inline\nimport torch\nx = torch.ones(2\ny = x * 2\n")
    assert record.refused is not None and record.refused.type == "SyntaxError"
    with pytest.raises(SyntaxError) as plain:
        compile("import torch\nx = torch.ones(2\ny = x * 2\n", "<cell>", "exec")
    assert record.refused.line == (plain.value.lineno or 0) + 1  # one line below: the magic
    assert "%" not in record.refused.message


def test_a_program_without_magics_is_refused_as_before() -> None:
    with pytest.raises(RefusedProgram):
        from app.language.compile import compile_program
        from app.limits import Limits

        compile_program("x = = 1\n", Limits())
