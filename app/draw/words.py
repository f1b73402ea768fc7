"""The words a drawing adds to the graph's own names, in the drawing's language.

A tensor's box has two lines: its name, then its shape. The shape of a 0-dimensional tensor is
the word for "scalar"; a tensor no variable names (a backward root made by an expression, a
parameter reached only through its module's graph) is named by its role. These are the only
words in a DOT or SVG that are not the program's names or PyTorch's (op names, shapes): they
follow the request's ``lang`` (docs/api.md). The Chinese words are the playground's own
(``role_short.*`` and ``graph.scalar`` in static/js/i18n.js).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

DrawingLanguage = Literal["en", "zh"]

_SCALAR: dict[str, str] = {"en": "scalar", "zh": "标量"}
_ROLES: dict[str, dict[str, str]] = {
    "en": {"root": "backward root", "no_grad": "no_grad result"},
    "zh": {
        "leaf": "叶子",
        "parameter": "参数",
        "named": "非叶子",
        "root": "反向传播起点",
        "constant": "常量",
        "detached": "已分离",
        "no_grad": "no_grad 结果",
    },
}


def tensor_lines(node: Mapping[str, Any], lang: str = "en") -> list[str]:
    """A tensor node's two lines of text: its name (its role's word when no variable names
    it), then its shape (the word for scalar when it has none)."""
    label = str(node["label"])
    if node.get("name") is None and not node.get("names"):
        label = _ROLES.get(lang, {}).get(str(node["role"]), label)
    shape = str(node["shape"]) if node["shape"] else _SCALAR.get(lang, _SCALAR["en"])
    return [label, shape]
