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
    dot: bool = Field(True, strict=True, description="Include the graph as Graphviz DOT.")
    svg: bool = Field(True, strict=True, description="Include the graph as SVG by Graphviz.")
    lang: Literal["en", "zh"] = Field(
        "en",
        description="The language of the words `dot` and `svg` add to the graph's own names:"
        " `scalar` under a 0-dimensional tensor, and the role of a tensor no variable names"
        " (`backward root`). The JSON (`label`, `role`) is the same in every language.",
    )


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


class BackwardStep(BaseModel):
    """A node running in backward and the edges its gradients flowed along."""

    node: str
    edges: list[str]
    grad: TensorValue | None = Field(None, description="For a leaf: its `.grad` after this step.")
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


class Hint(BaseModel):
    """A plain-language explanation of a common mistake."""

    key: str
    en: str
    zh: str


class ProgramError(BaseModel):
    """The exception the program raised, or the limit it hit."""

    type: str
    message: str
    message_zh: str | None = Field(
        None,
        description="The message in Chinese when it is the service's own (a refusal, a limit, a"
        " failure); null when it is the text of the program's own exception (Python's or"
        " PyTorch's words, which `hint` explains in both languages).",
    )
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
    curve: list[CurvePoint] = Field(
        default_factory=list,
        description=(
            "Every backward call's root value, for the loss curve: a point per call up to"
            " 2,000, then thinned to every 2nd, 4th... call; the first and the latest call are"
            " always there."
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
    message_zh: str | None = Field(
        None,
        description="The message in Chinese when it is the service's own (a refusal, a limit, a"
        " failure); null when it is the text of the program's own exception (Python's or"
        " PyTorch's words, which `hint` explains in both languages).",
    )
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
