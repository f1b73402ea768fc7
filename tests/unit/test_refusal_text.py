"""Every refusal and limit the sandbox really answers with has a Chinese text of its own
(app/hints/refusal_text.py): the messages come from running each program through the real
check and runtime (``evaluate``), never from this test's idea of them."""

from __future__ import annotations

import re

import pytest

from app.evaluate import evaluate
from app.hints.refusal_text import SERVICE_KINDS, chinese
from app.language.compile import compile_program
from app.language.errors import RefusedProgram
from app.limits import DEFAULT_LIMITS
from tests.security.hostile_programs import HOSTILE

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")

# (id, program, a fragment its Chinese text must carry: the offending name or number)
REFUSALS: list[tuple[str, str, str]] = [
    ("import_os", "import os\n", "'os'"),
    ("import_star", "from torch import *\n", "import *"),
    ("global", "def f():\n    global g\n", "'global'"),
    ("match", "match 1:\n    case 1:\n        pass\n", "'match'"),
    ("special_method", "class A:\n    def __del__(self):\n        pass\n", "'__del__'"),
    ("dunder_attribute", "x = nn.Linear(1, 1)\nd = x.__dict__\n", "'__dict__'"),
    ("del_attribute", "class A:\n    pass\n\na = A()\na.b = 1\ndel a.b\n", "删除属性"),
    ("class_decorator", "@staticmethod\nclass A:\n    pass\n", "类装饰器"),
    ("open", "f = open('data.txt')\n", "'open'"),
    ("eval", "y = eval('1 + 1')\n", "'eval'"),
    ("tensor_attribute", "t = torch.ones(2)\ns = t.storage()\n", "'storage'"),
    ("module_attribute", "h = torch.hub\n", "'hub'"),
    ("printoptions", "torch.set_printoptions(precision=100)\n", "precision"),
    (
        "dataloader_workers",
        "from torch.utils.data import DataLoader\nDataLoader([1], num_workers=2.5)\n",
        "num_workers=2.5",
    ),
    ("class_base", "class A(int):\n    pass\n", "'A'"),
    ("type_three_args", "A = type('A', (), {})\n", "type()"),
    ("tensor_elements", "x = torch.ones(10**9)\n", "1,000,000,000"),
    ("live_elements", "x = torch.ones(1000, 1000)\nys = [x * i for i in range(100)]\n", "上限"),
    ("loop_iterations", "while True:\n    pass\n", "100000"),
    ("call_depth", "def f():\n    return f()\n\nf()\n", "50"),
    ("sequence_length", "s = 'a' * 10**8\n", "100000000"),
    ("int_size", "n = 2 ** 10**7\n", "4096"),
]


@pytest.mark.parametrize(
    ("program", "fragment"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_refusal_has_its_own_chinese_text(program: str, fragment: str) -> None:
    record = evaluate(program)
    error = record.refused or record.error
    assert error is not None and error.type in SERVICE_KINDS, error
    text = chinese(error.type, error.message)
    assert text is not None and CJK.search(text)
    assert fragment in text, (error.message, text)
    # No English sentence left: an ASCII word in it is a name copied from the message.
    copied = set(ENGLISH_WORD.findall(re.sub(r"'[^']*'", "", error.message)))
    quoted = set(ENGLISH_WORD.findall(" ".join(re.findall(r"'[^']*'", error.message))))
    for word in ENGLISH_WORD.findall(text):
        assert word in quoted or (word in copied and not _plain_english(word)), (word, text)


def _plain_english(word: str) -> bool:
    return word.lower() in {
        "is", "not", "available", "here", "the", "of", "in", "this", "sandbox", "and", "or",
        "must", "be", "would", "make", "limit", "over", "items", "program", "elements",
    }  # fmt: skip


def test_program_exception_has_no_service_text() -> None:
    """A RuntimeError from PyTorch is PyTorch's words: no Chinese text is made up for it."""
    record = evaluate("x = torch.ones(3, requires_grad=True)\n(x * 2).backward()\n")
    assert record.error is not None and record.error.type == "RuntimeError"
    assert chinese(record.error.type, record.error.message) is None


def test_unknown_service_message_still_gets_chinese() -> None:
    text = chinese("SandboxViolation", "something new that no pattern knows")
    assert text is not None and CJK.search(text) and not ENGLISH_WORD.search(text)


def test_busy_and_timeout_messages_in_chinese() -> None:
    assert (
        chinese("Busy", "all 2 workers are busy; try again shortly") == "服务器正忙，请稍后再试。"
    )
    text = chinese("TimeLimitExceeded", "program ran longer than 5 s and was stopped")
    assert text is not None and "5 秒" in text


def _check_time_refusals() -> list[tuple[str, RefusedProgram]]:
    found = []
    for hostile in HOSTILE:
        try:
            compile_program(hostile.code, DEFAULT_LIMITS)
        except RefusedProgram as refusal:
            found.append((hostile.id, refusal))
    return found


def test_every_hostile_program_refused_at_check_time_has_its_own_chinese_text() -> None:
    """The hostile table's refusals before running: each message of the sandbox's own is read
    back into Chinese by a pattern of its shape, not only by its kind's general sentence
    (a SyntaxError is Python's words: none)."""
    general = {chinese(kind, "") for kind in SERVICE_KINDS}
    refusals = _check_time_refusals()
    assert len(refusals) > 40
    for hostile_id, refusal in refusals:
        text = chinese(refusal.kind, refusal.message)
        if refusal.kind == "SyntaxError":
            assert text is None
            continue
        assert text is not None and text not in general, (hostile_id, refusal.message)
