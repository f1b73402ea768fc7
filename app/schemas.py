"""The v1 API contract as pydantic models (served as OpenAPI at /docs)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.graph_schemas import BackwardPass, CurvePoint, Edge, ModuleRow, Node, Omitted

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
    col: int | None = Field(
        None,
        description="The 1-based column where the expression that raised starts on `line`"
        " (null when Python kept no position for it).",
    )
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
    modules: list[ModuleRow] = Field(
        default_factory=list,
        description=(
            "Each module the nodes' `module` names, and each module between it and the"
            " program's variable (`model.layers` of `model.layers.7`), in the order first"
            " called: class, parameter count and gradient norm (for folding by module)."
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
