"""The graph as plain data: what the worker returns and the API serialises.

Field names follow the v1 API contract (``../shared/ARCHITECTURE.md``); ``to_dict`` gives the
JSON-ready form, so nothing downstream needs torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

TensorRole = Literal["leaf", "parameter", "named", "root", "constant", "detached", "no_grad"]
EdgeKind = Literal["data", "saved", "detach"]
PassKind = Literal["backward", "autograd.grad"]


@dataclass
class TensorValue:
    """A tensor's value as PyTorch prints it, plus the numbers when the tensor is small."""

    text: str
    data: Any | None
    shape: list[int]
    dtype: str


@dataclass
class SavedVersion:
    """A saved tensor's version counter when it was saved and now (it was changed in place)."""

    saved: int
    now: int


@dataclass
class SavedValue:
    """One value a function node saved for backward (``_saved_self`` is shown as ``self``)."""

    name: str
    shape: list[int] | None = None
    dtype: str | None = None
    tensor: str | None = None
    value: TensorValue | None = None
    text: str | None = None
    version: SavedVersion | None = None
    error: str | None = None


@dataclass
class NameBinding:
    """One place the program bound a tensor to a variable: the name, the function it ran in
    (None: module level), the line, and, when that line bound the name more than once (a loop),
    which time this was of how many. ``current``: the variable holds this tensor at the end."""

    name: str
    scope: str | None
    line: int | None
    iteration: int | None = None
    of: int | None = None
    current: bool = False


@dataclass
class TensorStateAt:
    """A tensor's flags at one moment: as built (the binding that made it), before a backward
    pass (by its index), or at the end of the program."""

    moment: Literal["built", "backward", "end"]
    backward_pass: int | None
    line: int | None
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    version: int | None


@dataclass
class TensorNode:
    """A leaf that requires grad, a tensor bound to a variable, or a backward root."""

    id: str
    label: str
    name: str | None
    names: list[str]
    role: TensorRole
    shape: list[int]
    dtype: str
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    retains_grad: bool
    value: TensorValue
    grad: TensorValue | None
    line: int | None
    version: int | None = 0  # PyTorch's version counter, ``x._version`` (None: inference)
    bindings: list[NameBinding] = field(default_factory=list)
    # The flags at each moment they differed from the moment before (empty: they never changed).
    states: list[TensorStateAt] = field(default_factory=list)
    iteration: int | None = None  # backward calls that had run when it was made or bound
    kind: Literal["tensor"] = "tensor"


@dataclass
class FunctionNode:
    """One autograd Node (``MulBackward0`` ...) reachable from the program's tensors."""

    id: str
    label: str
    op: str
    line: int | None
    saved: list[SavedValue]
    version: int | None = None  # made in place: the version it left its tensor at
    iteration: int | None = None  # backward calls that had run when it was made
    # The innermost nn.Module whose call made it: the program's path to it (``model.layers.7``)
    # and its class name (``Linear``); None for a node made outside every module.
    module: str | None = None
    module_type: str | None = None
    kind: Literal["function"] = "function"


@dataclass
class EdgeGrad:
    """The gradient that flowed along an edge in one backward pass."""

    backward_pass: int
    value: TensorValue
    before: TensorValue | None = None  # a hook on the tensor changed it: what arrived


@dataclass
class Edge:
    """Forward data flow from producer to consumer, as ``next_functions`` links them."""

    id: str
    source: str
    target: str
    kind: EdgeKind
    output_nr: int | None = None
    input_nr: int | None = None
    grads: list[EdgeGrad] = field(default_factory=list)


@dataclass
class IncomingGrad:
    """The gradient a node received in a backward step (for one of its outputs), and the
    edges it came along."""

    output_nr: int
    value: TensorValue
    edges: list[str] = field(default_factory=list)


ChainKind = Literal["product", "matrix", "shape", "rule", "other"]


@dataclass
class ChainTerm:
    """One input's share of the chain rule at a backward step: the gradient going out along
    ``edge`` is made from the incoming one by ``formula`` (``product``: incoming × ``local``)."""

    input_nr: int
    edge: str | None
    kind: ChainKind
    formula: str | None = None
    local: TensorValue | None = None
    shapes: str | None = None


@dataclass
class BackwardStep:
    """One node running during backward, and the edges its gradients flowed along."""

    node: str
    edges: list[str]
    grad: TensorValue | None = None
    incoming: list[IncomingGrad] = field(default_factory=list)
    chain: list[ChainTerm] = field(default_factory=list)
    hook: HookChange | None = None


@dataclass
class HookChange:
    """A hook of the program's (``register_hook``) changed the gradient reaching a tensor."""

    tensor: str
    before: TensorValue
    after: TensorValue


@dataclass
class BackwardError:
    """Why a backward call stopped: the exception, its line, and the node that raised."""

    type: str
    message: str
    line: int | None
    node: str | None


@dataclass
class BackwardPass:
    """One ``backward()`` or ``torch.autograd.grad`` call, in execution order (up to the
    node that raised, for a call that raised: ``error``)."""

    index: int
    kind: PassKind
    line: int | None
    roots: list[str]
    steps: list[BackwardStep]
    error: BackwardError | None = None
    call: int = 0  # the how-many-th backward call of the program (from 0), kept or not


@dataclass
class Omitted:
    """What a cut graph left out (``app/limits.py``), each counted where the cut was made.

    Nodes are counted among those the walk found (it stops at the limit, so there may be
    more); ``text_chars`` counts characters cut from labels, names and variables; ``values``
    counts tensor values shortened or dropped to keep the answer under its size limit;
    ``modules`` counts modules past the limit of modules named (their nodes have none)."""

    nodes: int = 0
    edges: int = 0
    saved: int = 0
    names: int = 0
    text_chars: int = 0
    values: int = 0
    modules: int = 0

    def any(self) -> bool:
        """Whether anything was left out."""
        return any(vars(self).values())


@dataclass
class CurvePoint:
    """One backward call's root value (a loss), for the loss curve; None if not one number."""

    call: int
    line: int | None
    value: float | None


@dataclass
class ModuleRow:
    """A module the graph's nodes name (or one on the way to it): its class, how many
    parameter elements it holds, and their gradients' norm at the end (None: no .grad)."""

    path: str
    type: str
    parameters: int
    grad_norm: float | None


@dataclass
class Graph:
    """Nodes, edges and backward passes of one program."""

    nodes: list[TensorNode | FunctionNode]
    edges: list[Edge]
    backward: list[BackwardPass]
    truncated: bool = False
    # The program's variables that hold a tensor when it ends (module parameters as
    # ``model.fc.weight``, list items as ``xs[0]``) -> the id of that tensor's node.
    variables: dict[str, str] = field(default_factory=dict)
    omitted: Omitted = field(default_factory=Omitted)
    curve: list[CurvePoint] = field(default_factory=list)
    modules: list[ModuleRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form of the graph."""
        result: dict[str, Any] = _plain(self)
        return result


def _plain(value: Any) -> Any:
    """Like ``dataclasses.asdict`` without its deep copies (values here are never shared).

    Lists of plain values (a tensor's numbers, a shape) are JSON-ready and kept as they are.
    """
    if type(value) is list:
        if value and hasattr(value[0], "__dataclass_fields__"):
            return [_plain(v) for v in value]
        return value
    if hasattr(value, "__dataclass_fields__"):
        # Most fields are strings, numbers or None: no call for those (a 6,000-node graph
        # has some 250,000 fields).
        return {k: v if type(v) in _SCALARS else _plain(v) for k, v in vars(value).items()}
    return value


_SCALARS = frozenset({str, int, float, bool, type(None)})
