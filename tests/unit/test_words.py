"""The words a drawing adds (app/draw/words.py) in the request's language, on graphs the real
sandbox made: in Chinese no "scalar" and no "backward root" is left in the DOT or the SVG, on
both layout paths, and the program's own names and PyTorch's op names stay as they are."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.draw.render import to_dot, to_layered_svg, to_svg
from app.draw.words import tensor_lines
from app.evaluate import evaluate

# An unnamed root (the expression's sum), a scalar, a named leaf, a parameter no variable names.
PROGRAM = """x = torch.tensor(2.0, requires_grad=True)
layer = nn.Linear(2, 1)
(x * layer(torch.ones(2))).sum().backward()
"""


def _graph() -> dict[str, Any]:
    graph = evaluate(PROGRAM).graph
    assert graph is not None
    return graph


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_english_drawing_is_unchanged() -> None:
    graph = _graph()
    texts = _texts(to_svg(to_dot(graph)))
    assert "backward root" in texts and "scalar" in texts


@pytest.mark.parametrize("layered", [False, True], ids=["graphviz", "layered"])
def test_chinese_drawing_has_no_english_words_of_its_own(layered: bool) -> None:
    graph = _graph()
    dot = to_dot(graph, "zh")
    svg = to_layered_svg(graph, "zh") if layered else to_svg(dot, graph=graph, lang="zh")
    texts = _texts(svg)
    assert "scalar" not in dot and "backward root" not in dot
    assert "scalar" not in texts and "backward root" not in texts
    assert "标量" in texts and "反向传播起点" in texts
    # The program's names and PyTorch's op names are drawn as they are.
    assert "x" in texts and any(text.endswith("Backward0") for text in texts)
    named = [n for n in graph["nodes"] if n["kind"] == "tensor" and n["name"]]
    assert all(n["label"] in texts for n in named)


def test_a_named_tensor_keeps_its_name_in_every_language() -> None:
    node = {"kind": "tensor", "label": "leaf", "name": "leaf", "names": ["leaf"],
            "role": "leaf", "shape": [2]}  # fmt: skip
    assert tensor_lines(node, "zh") == ["leaf", "[2]"]
    unnamed = {**node, "name": None, "names": []}
    assert tensor_lines(unnamed, "zh") == ["叶子", "[2]"]
