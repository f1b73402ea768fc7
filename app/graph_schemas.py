"""The graph's parts in the v1 contract as pydantic models: nodes, edges, backward passes, the
loss curve and what a cut graph left out (``app/schemas.py`` puts them in the answer)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field


class TensorValue(BaseModel):
    """A tensor's value: PyTorch's printed form, and the numbers when it has few elements."""

    text: str = Field(
        description=(
            "What `print(t)` shows. In a large graph (2,000 nodes or more, past 100,000 numbers"
            " previewed in all), a tensor of more than 8 elements shows its first 8, then `… (the"
            " first 8 of N: a large graph)`."
        )
    )
    data: Any = Field(
        description=(
            "Nested lists of numbers (at most 100), or null for large tensors and for those a"
            " large graph shows by their first 8 numbers."
        )
    )
    shape: list[int]
    dtype: str


class SavedVersion(BaseModel):
    """PyTorch's version counter of a saved tensor: when it was saved, and now."""

    saved: int
    now: int


class SavedValue(BaseModel):
    """A value a function node saved for backward, as its backward used it."""

    name: str
    shape: list[int] | None = None
    dtype: str | None = None
    tensor: str | None = Field(None, description="Id of the tensor node this saved tensor is.")
    value: TensorValue | None = Field(
        None,
        description="The value as the node's backward used it (copied just before that"
        " backward ran), else as saved; null when PyTorch no longer holds it.",
    )
    text: str | None = Field(
        None,
        description="Non-tensor saved values, as Python prints them; for a tensor without a"
        " value, why: `(freed by backward)`, `(modified in place after it was saved: ...)`.",
    )
    version: SavedVersion | None = Field(
        None,
        description="Set when the saved tensor was changed in place after it was saved:"
        " PyTorch's `_version` then and now.",
    )
    error: str | None = Field(
        None,
        description="The error PyTorch raises on reading it or running this node's backward"
        " now (it was changed in place after it was saved).",
    )


class NameBinding(BaseModel):
    """One place the program bound the tensor to a variable."""

    name: str
    scope: str | None = Field(
        description="The function the binding ran in (`Net.forward`); `null` at module level."
    )
    line: int | None
    iteration: int | None = Field(
        None,
        description=(
            "When this line bound this name more than once (a loop): which time this was,"
            " from 1 (else `null`)."
        ),
    )
    of: int | None = Field(None, description="How many times the line bound the name in all.")
    current: bool = Field(
        False, description="The program's variable of this name holds this tensor at the end."
    )


class TensorStateAt(BaseModel):
    """The tensor's flags at one moment of the program."""

    moment: Literal["built", "backward", "end"] = Field(
        description=(
            "`built`: at the binding that made it; `backward`: just before backward pass"
            " `backward_pass` ran; `end`: at the end of the program."
        )
    )
    backward_pass: int | None
    line: int | None = Field(description="For `built`: the binding's line.")
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    version: int | None


class TensorNode(BaseModel):
    """A leaf that requires grad, a tensor bound to a variable, or a backward root.

    One Python tensor is one node, however its flags change: the node's fields are its state
    at the end, and `states` what it was before, when that differed."""

    id: str
    kind: Literal["tensor"]
    label: str
    name: str | None
    names: list[str]
    role: Literal["leaf", "parameter", "named", "root", "constant", "detached", "no_grad"]
    shape: list[int]
    dtype: str
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    retains_grad: bool
    value: TensorValue
    grad: TensorValue | None = Field(description="Exactly what `.grad` holds in PyTorch.")
    line: int | None = Field(description="Line of the statement that bound the tensor.")
    version: int | None = Field(
        0,
        description=(
            "PyTorch's version counter (`x._version`) at the end: how many times the tensor (or"
            " a view of it) was changed in place; `null` for a tensor made in"
            " `torch.inference_mode()`, which keeps none. A saved value's `version` says which"
            " one it was saved at."
        ),
    )
    iteration: int | None = Field(
        None,
        description=(
            "How many backward calls had run when this node was made (a tensor without"
            " `grad_fn`: when first bound): in a loop that calls `backward()` once per"
            " iteration, the iteration that built it, from 0. `null` if not known."
        ),
    )
    bindings: list[NameBinding] = Field(
        default_factory=list,
        description=(
            "Every place the program bound the tensor to a variable (at most 32): which binding"
            " is current, in which function, and which loop iteration."
        ),
    )
    states: list[TensorStateAt] = Field(
        default_factory=list,
        description=(
            "The tensor's flags as built, before each backward pass and at the end, one entry"
            " each time they changed (`requires_grad_`, an in-place op, `detach_`); empty when"
            " they never did."
        ),
    )


class FunctionNode(BaseModel):
    """An autograd Node; `op` is PyTorch's class name (`MulBackward0`)."""

    id: str
    kind: Literal["function"]
    label: str
    op: str
    line: int | None = Field(description="Line of the statement that created the node.")
    saved: list[SavedValue]
    version: int | None = Field(
        None,
        description=(
            "For a node an in-place op made (`y.add_(1)`, `y[0] = 5`): the version counter it"
            " left its tensor at (`y._version` just after); `null` for any other node."
        ),
    )
    iteration: int | None = Field(
        None,
        description=(
            "How many backward calls had run when this node was made (a tensor without"
            " `grad_fn`: when first bound): in a loop that calls `backward()` once per"
            " iteration, the iteration that built it, from 0. `null` if not known."
        ),
    )
    module: str | None = Field(
        None,
        description=(
            "The innermost `nn.Module` whose call made the node, as the program names it:"
            " `model.layers.7`, `net.fc1`, `layers[2]` (children of a `Sequential` or"
            " `ModuleList` by index; a module the program holds nowhere by its class name;"
            " a later module under a name already used gets `#2`...); cut in the middle to"
            " 200 characters. `null` for a node made outside every module's call."
        ),
    )
    module_type: str | None = Field(
        None, description="That module's class name (`Linear`, `Net`); `null` with `module`."
    )


Node = Annotated[TensorNode | FunctionNode, Field(discriminator="kind")]


class EdgeGrad(BaseModel):
    """The gradient along an edge in one backward pass."""

    backward_pass: int
    value: TensorValue
    before: TensorValue | None = Field(
        None,
        description=(
            "Set when a hook the program registered on the tensor (`register_hook`) changed"
            " the gradient: what arrived before the hook; `value` is what the hook returned."
        ),
    )


class HookChange(BaseModel):
    """A hook of the program's changed the gradient reaching a tensor in this step."""

    tensor: str = Field(description="Id of the tensor node the hook is on.")
    before: TensorValue = Field(description="The gradient that arrived, before the hooks ran.")
    after: TensorValue = Field(description="The gradient the node went on with.")


class Edge(BaseModel):
    """Forward data flow producer -> consumer (`data`), or a dashed no-gradient input."""

    id: str
    source: str
    target: str
    kind: Literal["data", "saved", "detach"]
    output_nr: int | None = None
    input_nr: int | None = Field(None, description="Slot in the consumer's next_functions.")
    grads: list[EdgeGrad] = []


class IncomingGrad(BaseModel):
    """The gradient a node received in a backward step, for one of its outputs."""

    output_nr: int
    value: TensorValue
    edges: list[str] = Field(
        default_factory=list,
        description="Ids of the edges it came along (the node's edges out, forward).",
    )


class ChainTerm(BaseModel):
    """One input's share of the chain rule at a backward step."""

    input_nr: int = Field(description="Slot in the node's next_functions.")
    edge: str | None = Field(description="Id of the edge the gradient went out along.")
    kind: Literal["product", "matrix", "shape", "rule", "other"] = Field(
        description="`product`: out = incoming × `local` (then summed over broadcast"
        " dimensions, or copied to every element a reduction took); `matrix`: a matrix"
        " product (`formula` and `shapes`); `shape`: the gradient rearranged; `rule`: another"
        " rule told by `formula`; `other`: an op the table does not spell out."
    )
    formula: str | None = Field(
        None,
        description="The local derivative (`2·y`) or the rule (`grad @ W.T`), named after the"
        " program's tensors.",
    )
    local: TensorValue | None = Field(
        None, description="The local derivative's value (`product`, small tensors)."
    )
    shapes: str | None = Field(
        None, description="A matrix term's factors and result: `[2, 4] @ [4, 3] -> [2, 3]`."
    )


class BackwardStep(BaseModel):
    """A node running in backward and the edges its gradients flowed along."""

    node: str
    edges: list[str]
    grad: TensorValue | None = Field(None, description="For a leaf: its `.grad` after this step.")
    incoming: list[IncomingGrad] = Field(
        default_factory=list, description="What the node received (a leaf: what it adds)."
    )
    chain: list[ChainTerm] = Field(
        default_factory=list,
        description="The chain rule in numbers: one term per input a gradient went out to.",
    )
    hook: HookChange | None = Field(
        None,
        description=(
            "Set when a hook the program registered on this step's tensor changed the"
            " gradient (for a leaf: before it was accumulated into `.grad`)."
        ),
    )


class BackwardError(BaseModel):
    """Why a backward call stopped: what it raised, where, and the node that raised."""

    type: str = Field(description="The exception's class name (`RuntimeError`).")
    message: str
    line: int | None = Field(
        description="The program line it was raised on: the call's, or inside the program's"
        " own backward or hook."
    )
    node: str | None = Field(
        description="Id of the node PyTorch was running when it raised (it has no step), or"
        " null: it raised before any node began, in a hook of the program's, or at a node the"
        " graph does not show."
    )


class BackwardPass(BaseModel):
    """One `backward()` or `torch.autograd.grad` call."""

    index: int
    kind: Literal["backward", "autograd.grad"]
    line: int | None
    roots: list[str]
    steps: list[BackwardStep] = Field(
        description="The nodes that ran, in PyTorch's order (up to the error, if it raised)."
    )
    error: BackwardError | None = Field(
        None,
        description="What the call raised, or null if it finished. A call that raised is a"
        " pass too, also one the program caught.",
    )
    call: int = Field(
        0,
        description=(
            "Which backward call of the program this was, from 0, counting every call (the"
            " answer keeps the first and the latest 19): the `call` of its `curve` point."
        ),
    )


class CurvePoint(BaseModel):
    """One backward call's root value."""

    call: int = Field(description="Which backward call, from 0.")
    line: int | None
    value: float | None = Field(
        description="The root's value when it is one real, finite number (a loss); else null."
    )


class Omitted(BaseModel):
    """What a cut graph left out (see `truncated`), each counted where the cut was made."""

    nodes: int = Field(
        default=0, description="Nodes found but not returned (the walk stops at the limit)."
    )
    edges: int = Field(
        default=0, description="Edges past the limits: in all, or between one pair of nodes."
    )
    saved: int = Field(default=0, description="Saved values past the limit of a function node.")
    names: int = Field(
        default=0,
        description="Names past the limit of a tensor node, and variables past their limit.",
    )
    text_chars: int = Field(
        default=0, description="Characters cut from long labels, names and variables."
    )
    values: int = Field(
        default=0,
        description="Tensor values shortened or dropped (gradients along edges first) to keep"
        " the graph's JSON under its size limit.",
    )
    modules: int = Field(
        default=0,
        description="Modules past the limit of modules named (2,625, the node limit over 8):"
        " their nodes have no `module`.",
    )


class ModuleRow(BaseModel):
    """A module the graph's nodes name, or one between it and the program's variable."""

    path: str = Field(description="The module's path, as the nodes' `module` spells it.")
    type: str = Field(description="Its class name (`Linear`, `ModuleList`).")
    parameters: int = Field(
        description="How many parameter elements it holds, its inner modules' included"
        " (`sum(p.numel() for p in module.parameters())`)."
    )
    grad_norm: float | None = Field(
        description="The 2-norm of all those parameters' `.grad` together at the end of the"
        " program; `null` when none of them has a `.grad`."
    )
