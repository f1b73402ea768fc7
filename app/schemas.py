"""The v1 API contract as pydantic models (served as OpenAPI at /docs)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

EXAMPLE_PROGRAM = (
    "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()"
)


class GraphRequest(BaseModel):
    """A program to run and graph."""

    model_config = ConfigDict(
        extra="ignore", json_schema_extra={"examples": [{"code": EXAMPLE_PROGRAM}]}
    )

    code: str = Field(
        description="The PyTorch program. `torch`, `nn`, `F` and `optim` are pre-imported."
    )
    dot: bool = Field(True, description="Include the graph as Graphviz DOT.")
    svg: bool = Field(True, description="Include the graph as SVG laid out by Graphviz.")


class TensorValue(BaseModel):
    """A tensor's value: PyTorch's printed form, and the numbers when it has few elements."""

    text: str
    data: Any = Field(description="Nested lists of numbers, or null for large tensors.")
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


class TensorNode(BaseModel):
    """A leaf that requires grad, a tensor bound to a variable, or a backward root."""

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


class FunctionNode(BaseModel):
    """An autograd Node; `op` is PyTorch's class name (`MulBackward0`)."""

    id: str
    kind: Literal["function"]
    label: str
    op: str
    line: int | None = Field(description="Line of the statement that created the node.")
    saved: list[SavedValue]


Node = Annotated[TensorNode | FunctionNode, Field(discriminator="kind")]


class EdgeGrad(BaseModel):
    """The gradient along an edge in one backward pass."""

    backward_pass: int
    value: TensorValue


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


class Hint(BaseModel):
    """A plain-language explanation of a common mistake."""

    key: str
    en: str
    zh: str


class ProgramError(BaseModel):
    """The exception the program raised, or the limit it hit."""

    type: str
    message: str
    line: int | None
    hint: Hint | None = None


class GraphResponse(BaseModel):
    """The program ran (possibly up to an error): its graph, output and any error."""

    nodes: list[Node]
    edges: list[Edge]
    backward: list[BackwardPass]
    stdout: str
    stdout_truncated: bool
    notes: list[Hint] = Field(
        default_factory=list,
        description="What to know about this run besides its output, in English and Chinese"
        " (`sandbox_plots`: the plotting calls did nothing; plots are not drawn here).",
    )
    error: ProgramError | None
    truncated: bool = Field(
        description="The graph was over a limit (nodes, edges, saved values, names, size) and"
        " comes back cut: the program's final state and latest passes are kept first."
    )
    omitted: Omitted = Field(
        default_factory=Omitted,
        description="What the cut left out, when `truncated` is true.",
    )
    variables: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "The program's variables that hold a tensor when it ends (module parameters as"
            " `model.fc.weight`, list items as `xs[0]`), each with the id of its tensor node."
        ),
    )
    timed_out: bool
    elapsed_ms: float
    dot: str | None = None
    svg: str | None = None
    render_error: str | None = Field(None, description="Why `svg` is missing, if it is.")


class RefusalDetail(BaseModel):
    """Why a request was refused, where in the program, and (for programs) what to do instead."""

    type: str
    message: str
    line: int | None = None
    col: int | None = None
    hint: Hint | None = Field(None, description="For a refused program: what to do instead.")


class ErrorResponse(BaseModel):
    """Body of every 4xx answer other than 422."""

    error: RefusalDetail


class LocalizedText(BaseModel):
    """The same text in English and Chinese."""

    en: str
    zh: str


class ExampleOut(BaseModel):
    """One gallery program."""

    id: str
    title: LocalizedText
    description: LocalizedText
    code: str


class PoolState(BaseModel):
    """The worker pool's state."""

    size: int
    alive: int
    idle: int
    waiting: int
    restarts: int


class CacheState(BaseModel):
    """The response cache's size and hit counts."""

    entries: int
    bytes: int
    hits: int
    misses: int


class Health(BaseModel):
    """Liveness, pool and cache state."""

    status: Literal["ok", "starting"]
    pool: PoolState
    cache: CacheState
