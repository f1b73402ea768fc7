"""The chain rule of one backward step in numbers: what the node received, and for each input
the formula of its local derivative (``chain_rule.CHAIN_RULES``) with its value, computed from
what the node saved as its backward used it.

Runs at extraction, in the worker, after the program: on the copies the recorder took (never on
the program's tensors), under ``no_grad``, each node once (its saved values are the same in every
pass that ran it), and only for small values: at most ``_LOCAL_ELEMENTS`` elements a value and
``_BUDGET`` in all; past that a term keeps its formula and shapes, without a value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import torch
from torch.autograd.graph import Node

from app.graph_model import ChainTerm, Edge, IncomingGrad, TensorValue
from app.walk.chain_rule import CHAIN_RULES, Term
from app.walk.records import FunctionRecord
from app.walk.saved_values import SavedRecord, saved_attributes

# A gradient as a step recorded it: a tensor, or its preview (both have a ``shape``).
Shaped = torch.Tensor | TensorValue
_LOCAL_ELEMENTS = 10_000
_BUDGET = 1_000_000
# Local derivatives computed per graph at most (each costs a few small torch calls and a
# print): a 21,000-node graph keeps its formulas, and the values of its first terms only.
_MAX_LOCALS = 1_000
_SIZES = "_sym_sizes"
_UNBOUNDED = {"min": "−∞", "max": "∞"}  # clamp's bounds left out


class ChainTerms:
    """Makes the ``incoming`` and ``chain`` fields of the steps of one graph."""

    def __init__(
        self,
        preview: Callable[[torch.Tensor], TensorValue],
        tensor_names: dict[str, str],
        find: Callable[[torch.Tensor], str | None],
    ) -> None:
        self.preview = preview
        self.tensor_names = tensor_names  # tensor node id -> its name
        self.find = find  # the tensor node a saved tensor is, if any
        self.budget = _BUDGET
        self.locals_left = _MAX_LOCALS
        self._made: dict[tuple[int, int], tuple[str, TensorValue | None]] = {}
        self._numbers: dict[tuple[float, torch.dtype], TensorValue] = {}  # 1, alpha, 1/n

    @staticmethod
    def incoming(
        outputs: Sequence[tuple[int, Shaped]],
        out_edges: Sequence[Edge],
        index: int,
        whole: bool,
        shown: Callable[[Shaped], TensorValue],
    ) -> tuple[list[tuple[int, TensorValue]], list[IncomingGrad]]:
        """What the node received for each output in pass ``index`` (``outputs``: the step's
        copies), and as ``IncomingGrad`` with the edges it came along. A value printed already
        is taken as it is: the one its one edge out carried (the same gradient), in a graph
        that left no edge out (``whole``); else the copy is printed (``shown``)."""
        received: list[tuple[int, TensorValue]] = []
        incoming: list[IncomingGrad] = []
        for nr, value in outputs:
            along = [edge for edge in out_edges if (edge.output_nr or 0) == nr]
            got = None
            if whole and len(along) == 1 and along[0].grads:
                last = along[0].grads[-1]
                got = last.value if last.backward_pass == index else None
            got = got or shown(value)
            received.append((nr, got))
            incoming.append(IncomingGrad(nr, got, [edge.id for edge in along]))
        return received, incoming

    def terms(
        self,
        record: FunctionRecord,
        slots: Sequence[tuple[int, Edge]],
        sources: dict[int, str],
        received: Sequence[tuple[int, TensorValue]],
        sent: Sequence[tuple[int, Shaped]],
    ) -> list[ChainTerm]:
        """One term per input slot a gradient went out along (``slots``: slot, its edge;
        ``sources``: the node at the far end of each input slot's edge; ``received``: what
        came in for each output, ``sent``: what went out along each slot).

        What a term's formula, value and shapes do not read is never computed: the node's
        saved values, its arguments' names past the formula's (a 10,000-op chain's terms)."""
        rule = CHAIN_RULES.get(record.op)
        terms: list[ChainTerm] = []
        saved: dict[str, Any] | None = None
        for slot, edge in slots:
            term = rule[slot] if rule is not None and slot < len(rule) else None
            if rule is None or term is None:
                terms.append(ChainTerm(slot, edge.id, "other"))
                continue
            key = (id(record.node), slot)
            made = self._made.get(key)
            if made is None:
                parsed = _template(term.formula)
                names = self._names(record, sources, rule, parsed.wanted)
                if saved is None and (parsed.reads_saved or not parsed.wanted.issubset(names)):
                    saved = _saved_values(record)
                formula = _formula(term.formula, names, saved or {})
                local = None
                if term.kind == "product" and term.local is not None and self.locals_left > 0:
                    saved = _saved_values(record) if saved is None else saved
                    local = self._local(term, saved)
                made = self._made[key] = (formula, local)
            shapes = None
            if term.kind != "product" and received:
                out = {nr: value for nr, value in sent}.get(slot)
                if out is not None:
                    saved = _saved_values(record) if saved is None and term.factors else saved
                    grad = list(received[0][1].shape)
                    shapes = _shapes(term, saved or {}, grad, list(out.shape))
            terms.append(ChainTerm(slot, edge.id, term.kind, made[0], made[1], shapes))
        return terms

    def _names(
        self,
        record: FunctionRecord,
        sources: dict[int, str],
        rule: tuple[Term, ...],
        wanted: frozenset[str],
    ) -> dict[str, str]:
        """What each argument in ``wanted`` is called: the tensor node on its input edge or the
        one it saved, else its number (a constant such as the 3 of ``x * 3``), else PyTorch's
        name."""
        names: dict[str, str] = {}
        for slot, source in sources.items():
            if slot < len(rule) and rule[slot].arg in wanted and source in self.tensor_names:
                names[rule[slot].arg] = self.tensor_names[source]
        for item in record.saved:
            if item.name in names or item.name not in wanted or item.tensor is None:
                continue
            found = self.find(item.tensor)
            if found is not None and found in self.tensor_names:
                names[item.name] = self.tensor_names[found]
            elif not item.tensor.requires_grad and item.tensor.numel() == 1:
                names[item.name] = _number(_tensor_of(item, number=True))
        for term in rule:
            if term.arg in wanted:
                names.setdefault(term.arg, term.arg)
        return names

    def _local(self, term: Term, saved: dict[str, Any]) -> TensorValue | None:
        if term.local is None or self.locals_left <= 0:
            return None
        tensors = [v for v in saved.values() if isinstance(v, torch.Tensor)]
        sizes = [v.numel() for v in tensors]
        if any(n > _LOCAL_ELEMENTS for n in sizes) or sum(sizes) > self.budget:
            return None
        if any(
            v.is_complex() for v in tensors
        ):  # PyTorch's conjugates (Wirtinger): not a plain product
            return None
        try:
            with torch.no_grad(), torch._C.DisableTorchFunction():
                value = term.local(saved)
                if value is None:
                    return None
                if not isinstance(value, torch.Tensor):
                    return self._number(float(value))
                tensor = value.detach()
        except Exception:  # noqa: BLE001 - a value the rule cannot read (freed, a list, sparse)
            return None  # the step keeps its formula; the graph is never lost for it
        if tensor.numel() > _LOCAL_ELEMENTS:
            return None
        self.budget -= sum(sizes) + tensor.numel()
        self.locals_left -= 1
        return self.preview(tensor)

    def _number(self, value: float) -> TensorValue:
        """A constant local derivative (1, alpha, 1/n), printed once per graph."""
        dtype = torch.get_default_dtype()
        made = self._numbers.get((value, dtype))
        if made is None:
            made = self._numbers[(value, dtype)] = self.preview(torch.tensor(value))
        return made


def _saved_values(record: FunctionRecord) -> dict[str, Any]:
    """The node's saved values by name: tensors as its backward used them (the copy taken
    just before it ran, else the saved tensor if unchanged since), other values as PyTorch
    holds them; None where neither can be read."""
    by_name: dict[str, SavedRecord] = {item.name: item for item in record.saved}
    values: dict[str, Any] = {}
    for attr in saved_attributes(type(record.node)):
        name = attr.removeprefix("_saved_")
        item = by_name.get(name)
        if item is not None and (item.tensor is not None or item.copy is not None):
            values[name] = _tensor_of(item)
            continue
        values[name] = _read(record.node, attr) if item is None or item.text is not None else None
    return values


def _tensor_of(item: SavedRecord, number: bool = False) -> Any:
    """The saved tensor as its backward used it (``number``: its one number)."""
    if number:
        shown = _tensor_of(item)
        if isinstance(shown, torch.Tensor):
            return shown.item()
        return shown.data if isinstance(shown, TensorValue) else None
    # The saved tensor itself while it is unchanged since it was saved (the graph prints it
    # for the node's saved values already), else the copy its backward used.
    if item.tensor is not None and item.error is None:
        try:
            if int(item.tensor._version) == item.version:
                return item.tensor
        except RuntimeError:
            pass
    if isinstance(item.copy, (torch.Tensor, TensorValue)):
        return item.copy
    return None


def _read(node: Node, attr: str) -> Any:
    """A saved value that is not a tensor (an exponent, sizes), or None."""
    try:
        value = getattr(node, attr)
    except (RuntimeError, AttributeError):
        return None
    return None if isinstance(value, torch.Tensor) else value


def _number(value: Any) -> str:
    """2.0 -> "2", 0.5 -> "0.5", True -> "True" (a plain int or float's text made once: every
    step of ``y * 1.001`` names its 1.001)."""
    if type(value) not in (int, float):
        return _number_text(value)
    key = (type(value), value)
    text = _NUMBERS.get(key)
    if text is None:
        if len(_NUMBERS) >= 4096:
            _NUMBERS.clear()
        text = _NUMBERS[key] = _number_text(value)
    return text


_NUMBERS: dict[tuple[type, int | float], str] = {}


def _number_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.4g}"


def _text(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, (int, float)):
        return _number(value)
    return str(value)


class _Template(NamedTuple):
    """A formula cut at its placeholders: ``heads[i]`` then ``{keys[i]}`` ..., then ``tail``;
    the arguments it names (``{exponent-1}``: ``exponent``), and whether it reads a saved
    value whatever their names (``{exponent-1}`` does)."""

    heads: tuple[str, ...]
    keys: tuple[str, ...]
    tail: str
    wanted: frozenset[str]
    reads_saved: bool


def _template(formula: str) -> _Template:
    """``formula`` cut at its placeholders, once per formula (the table has a few dozen)."""
    found = _TEMPLATES.get(formula)
    if found is None:
        heads: list[str] = []
        keys: list[str] = []
        rest = formula
        while "{" in rest:
            head, _, tail = rest.partition("{")
            key, _, rest = tail.partition("}")
            heads.append(head)
            keys.append(key)
        wanted = frozenset(k.removesuffix("-1") for k in keys)
        reads_saved = any(k.endswith("-1") for k in keys)
        found = _TEMPLATES[formula] = _Template(
            tuple(heads), tuple(keys), rest, wanted, reads_saved
        )
    return found


_TEMPLATES: dict[str, _Template] = {}


def _formula(template: str, names: dict[str, str], saved: dict[str, Any]) -> str:
    """The template with each ``{name}`` (and ``{name-1}``) filled, ``x^1`` written ``x``."""
    parsed = _template(template)
    out: list[str] = []
    for head, key in zip(parsed.heads, parsed.keys, strict=True):
        out.append(head)
        out.append(_placeholder(key, names, saved))
    out.append(parsed.tail)
    text = "".join(out)
    if "^1" not in text:  # what follows changes nothing then
        return text
    for one in ("^1)", "^1·", "^1 "):
        text = text.replace(one, one[2:])
    return text.removesuffix("^1")


def _placeholder(key: str, names: dict[str, str], saved: dict[str, Any]) -> str:
    if key.endswith("-1"):
        value = saved.get(key[:-2])
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _number(value - 1)
        return f"({names.get(key[:-2], key[:-2])}−1)"
    if key in names:
        return names[key]
    value = saved.get(key, key)
    if value is None:
        return _UNBOUNDED.get(key, "None")
    return key if isinstance(value, (torch.Tensor, TensorValue)) else _text(value)


def _shape_of(saved: dict[str, Any], name: str) -> list[int] | None:
    value = saved.get(name)
    if isinstance(value, (torch.Tensor, TensorValue)):
        return list(value.shape)
    sizes = saved.get(name + _SIZES)
    return [int(s) for s in sizes] if isinstance(sizes, (tuple, list)) else None


def _shapes(
    term: Term, saved: dict[str, Any], grad: list[int] | None, out: list[int] | None
) -> str | None:
    """``[2, 4] @ [4, 3] -> [2, 3]``: a matrix term's factors and result; ``[6] -> [2, 3]``
    for a gradient rearranged."""
    if grad is None or out is None or term.kind == "product":
        return None
    if term.factors is None:
        return f"{_bracket(grad)} -> {_bracket(out)}"
    shapes: list[list[int]] = []
    for factor in term.factors:
        if factor == "grad":
            shapes.append(grad)
            continue
        name, _, transposed = factor.partition(".")
        shape = _shape_of(saved, name)
        if shape is None:
            return None
        if transposed and len(shape) >= 2:
            shape = [*shape[:-2], shape[-1], shape[-2]]
        shapes.append(shape)
    joiner = " ⊗ " if term.formula.startswith("outer") else " @ "
    text = joiner.join(_bracket(s) for s in shapes)
    return f"{text} -> {_bracket(out)}"


def _bracket(shape: list[int]) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"
