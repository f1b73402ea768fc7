"""What one benchmark run measures: the plan (how many samples) and the results."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from bench.big_graphs import BigResult
from bench.browser import BrowserResult
from bench.folded_picture import FoldedPicture
from bench.inprocess import Steps
from bench.large_drawing import LargeDrawing
from bench.procfs import Memory
from bench.report import CpuMeter


@dataclass(frozen=True)
class Plan:
    """How many samples each section takes."""

    latency_n: int
    cached_n: int
    floor_n: int
    peer_n: int
    steps_n: int
    throughput_s: float
    concurrency: tuple[int, ...]
    chain_ops: tuple[int, ...]
    mlp_depths: tuple[int, ...]
    scaling_repeats: int
    full_layouts: bool
    cold_starts: int
    experiments: bool


FULL = Plan(
    latency_n=50,
    cached_n=200,
    floor_n=200,
    peer_n=30,
    steps_n=50,
    throughput_s=8.0,
    concurrency=(1, 8, 32),
    chain_ops=(100, 300, 1000, 2500, 5000, 10_000),
    mlp_depths=(10, 30, 100, 300, 1000),
    scaling_repeats=3,
    full_layouts=True,
    cold_starts=3,
    experiments=True,
)
QUICK = Plan(
    latency_n=10,
    cached_n=30,
    floor_n=30,
    peer_n=5,
    steps_n=10,
    throughput_s=2.0,
    concurrency=(1, 8, 32),
    chain_ops=(100, 2500, 10_000),
    mlp_depths=(10, 300, 1000),
    scaling_repeats=1,
    full_layouts=False,
    cold_starts=1,
    experiments=False,
)


# --- results -------------------------------------------------------------------------------


@dataclass
class ExampleResult:
    """One gallery example: in-process references and the server's latencies (ms)."""

    name: str
    floor: list[float] = field(default_factory=list)
    # The first floor run of each round, right after the server's requests (see measure.py).
    floor_single: list[float] = field(default_factory=list)
    peer: list[float] = field(default_factory=list)
    uncached: list[float] = field(default_factory=list)
    nocache: list[float] = field(default_factory=list)
    json_only: list[float] = field(default_factory=list)
    dot_only: list[float] = field(default_factory=list)
    cached: list[float] = field(default_factory=list)
    worker: list[float] = field(default_factory=list)
    # The server's own split of each no-cache request (its Server-Timing header), in ms.
    server_timing: list[dict[str, float]] = field(default_factory=list)
    nodes: int = 0
    response_bytes: int = 0
    steps: Steps | None = None
    anomalies: Counter[str] = field(default_factory=Counter)


@dataclass
class ThroughputResult:
    """One throughput run."""

    mode: str
    clients: int
    seconds: float
    latencies: list[float]
    statuses: Counter[int]
    exceptions: int
    server_cpu_s: float
    client_cpu_s: float
    restarts: int
    setting: str = "defaults"

    @property
    def rate(self) -> float:
        """Answered requests per second (any status)."""
        return len(self.latencies) / self.seconds

    @property
    def errors(self) -> int:
        """Non-200 answers plus requests that got no answer."""
        return sum(n for status, n in self.statuses.items() if status != 200) + self.exceptions


@dataclass
class ScalingResult:
    """One large program: what the server returned and how long each part took.

    Timings and sizes come from the runs that ended without an error; ``outcomes`` counts
    every run's outcome.
    """

    family: str
    size: int
    outcomes: Counter[str] = field(default_factory=Counter)
    nodes: int = 0
    truncated: bool = False
    extract_ms: list[float] = field(default_factory=list)
    e2e_ms: list[float] = field(default_factory=list)
    layout_ms: list[float] = field(default_factory=list)
    server_layout_ms: list[float] = field(default_factory=list)
    json_bytes: int = 0
    response_bytes: int = 0
    full_nodes: int | None = None
    full_extract_ms: float | None = None
    full_layout_ms: float | None = None
    full_layout_note: str = ""

    @property
    def clean(self) -> bool:
        """Whether every run ended without an error."""
        return set(self.outcomes) <= {"ok", "truncated"}


@dataclass
class MemorySnapshot:
    """Server, zygote and worker memory at one moment."""

    when: str
    server: Memory
    zygote: Memory | None
    workers: list[Memory]


@dataclass
class Results:
    """Everything one run measured."""

    plan: Plan
    meter: CpuMeter
    examples: list[ExampleResult] = field(default_factory=list)
    throughput: list[ThroughputResult] = field(default_factory=list)
    scaling: list[ScalingResult] = field(default_factory=list)
    big: list[BigResult] = field(default_factory=list)  # issue 15's server targets
    memory: list[MemorySnapshot] = field(default_factory=list)
    cold_starts: list[float] = field(default_factory=list)
    cache_checks: list[tuple[str, bool, str]] = field(default_factory=list)
    browser: BrowserResult = field(default_factory=BrowserResult)
    large_drawing: LargeDrawing = field(default_factory=LargeDrawing)  # 20,000 nodes
    folded_picture: FoldedPicture = field(default_factory=FoldedPicture)  # the 20-layer MLP
    health_ms: list[float] = field(default_factory=list)
    gallery_restarts: int = 0
    large_steps: Steps | None = None  # of the MLP of depth LARGE_MLP_DEPTH
    experiments: list[ThroughputResult] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
