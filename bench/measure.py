"""The measurements: in process, over HTTP against the running server, and in a browser."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import inprocess
from bench.client import GRAPH, HttpConnection, HttpResponse
from bench.procfs import memory, server_cpu_seconds
from bench.programs import Program, chain, mlp, with_run_comment, with_run_leaf
from bench.report import progress
from bench.results import (
    ExampleResult,
    MemorySnapshot,
    Results,
    ScalingResult,
    ThroughputResult,
)
from tools import live_server
from tools.live_server import LiveServer, healthz, worker_pids, zygote_pid

CACHED = "cached"
UNCACHED = "uncached (`# run N`)"
NO_CACHE = "no cache at all (unique leaf)"
# The 1,500-node MLP of issue 5's targets; its steps are timed one by one too.
LARGE_MLP_DEPTH = 300
# Issue 5's graphs to draw: if the server truncates one, the whole graph is laid out in process.
FULL_LAYOUTS = {("chain", 2500), ("mlp", LARGE_MLP_DEPTH), ("mlp", 1000)}
# Settings changed one at a time, to see what moves throughput (mode, clients 32).
EXPERIMENTS: tuple[tuple[str, dict[str, str], tuple[str, ...], str], ...] = (
    (
        "workers never recycled: `AGV_WORKER_RECYCLE_AFTER=1000000`",
        {"AGV_WORKER_RECYCLE_AFTER": "1000000"},
        (),
        NO_CACHE,
    ),
    ("uvicorn `--no-access-log`", {}, ("--no-access-log",), CACHED),
    ("both", {"AGV_WORKER_RECYCLE_AFTER": "1000000"}, ("--no-access-log",), NO_CACHE),
)


def measure_in_process(results: Results, programs: list[Program]) -> None:
    """The floor and the peer for each example, then the app's steps one by one."""
    plan = results.plan
    for program in programs:
        example = ExampleResult(program.name)
        example.floor = inprocess.floor_ms(program.code, plan.floor_n)
        example.peer = inprocess.peer_ms(program.code, plan.peer_n)
        results.examples.append(example)
        progress(f"in process: {program.name}")
    # The app's steps after the references, so nothing the app sets up colours them.
    for program, example in zip(programs, results.examples, strict=True):
        example.steps = inprocess.app_steps(program.code, plan.steps_n)
    if LARGE_MLP_DEPTH in plan.mlp_depths:
        results.large_steps = inprocess.app_steps(mlp(LARGE_MLP_DEPTH), repeats=3)


# --- over HTTP -----------------------------------------------------------------------------


async def post(
    connection: HttpConnection, code: str, *, dot: bool = True, svg: bool = True
) -> HttpResponse:
    """POST a program to /api/graph."""
    return await connection.post_json(GRAPH, {"code": code, "dot": dot, "svg": svg})


async def measure_gallery(
    server: LiveServer, results: Results, programs: list[Program], runs: itertools.count[int]
) -> None:
    """(a) and (b): each example uncached (two ways), JSON only, and from the cache.

    Only `200` answers count as latency samples; any other answer (a `429` while workers are
    being replaced, say) is counted in the example's anomalies instead.
    """
    plan = results.plan
    connection = HttpConnection(server.port)
    restarts_before = healthz(server.port)["pool"]["restarts"]
    for program, example in zip(programs, results.examples, strict=True):
        for _ in range(3):  # warm this program's code paths in both workers
            await post(connection, with_run_leaf(program.code, next(runs)))
        # The floor and the peer are timed again between the server's requests, so that a
        # machine that slows down or speeds up (it is shared) moves both sides of a ratio alike.
        # The runs before the server started were their warm-up.
        floor_per_round = max(1, plan.floor_n // plan.latency_n)
        peer_rounds = set(range(0, plan.latency_n, max(1, plan.latency_n // plan.peer_n)))
        example.floor, example.peer = [], []
        # (samples, text, dot, svg): the four requests of a round.
        kinds: list[tuple[list[float], Callable[[str, int], str], bool, bool]] = [
            (example.uncached, with_run_comment, True, True),
            (example.nocache, with_run_leaf, True, True),
            (example.json_only, with_run_comment, False, False),
            (example.dot_only, with_run_comment, True, False),
        ]
        for index in range(plan.latency_n):
            # The first run of a round comes after the round before's requests, as the
            # worker's run does (its process waited meanwhile): kept apart as the one-run floor.
            floor_runs = inprocess.floor_ms(program.code, floor_per_round, warmup=0)
            example.floor += floor_runs
            example.floor_single.append(floor_runs[0])
            if index in peer_rounds:
                example.peer += inprocess.peer_ms(program.code, 1, warmup=0)
            # The in-process runs above (torchviz starts a `dot` process) leave the machine's
            # caches cold: the first request after them took 1 to 1.5 ms longer, whatever its
            # kind. That is the bench's own doing, so one request absorbs it, uncounted, and
            # the kinds take turns at each place in the round for what remains.
            await post(connection, with_run_leaf(program.code, next(runs)))
            turn = index % len(kinds)
            for samples, text, dot, svg in kinds[turn:] + kinds[:turn]:
                answer = await post(connection, text(program.code, next(runs)), dot=dot, svg=svg)
                if _sample(example, samples, answer, "miss") and samples is example.nocache:
                    example.worker.append(float(answer.json()["elapsed_ms"]))
                    example.server_timing.append(
                        {"end_to_end": answer.seconds * 1000, **answer.server_timing()}
                    )
        first = await _until_served(connection, program.code)
        body = first.json()
        example.nodes = len(body["nodes"])
        example.response_bytes = len(first.body)
        if body.get("error"):
            example.anomalies[f"program error {body['error']['type']}"] += 1
        for _ in range(plan.cached_n):
            answer = await post(connection, program.code)
            _sample(example, example.cached, answer, "hit")
        progress(f"gallery over HTTP: {program.name}")
    results.gallery_restarts = healthz(server.port)["pool"]["restarts"] - restarts_before
    for _ in range(plan.cached_n):
        answer = await connection.request("GET", "/healthz")
        results.health_ms.append(answer.seconds * 1000)
    await connection.close()


async def _until_served(connection: HttpConnection, code: str, tries: int = 10) -> HttpResponse:
    """POST until the answer is `200` (waiting out a `429` or `503`)."""
    for _ in range(tries - 1):
        answer = await post(connection, code)
        if answer.status == 200:
            return answer
        await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
    return await post(connection, code)


def _sample(example: ExampleResult, samples: list[float], answer: HttpResponse, cache: str) -> bool:
    """Keep the latency of a `200` answer; count anything else (or a wrong X-Cache)."""
    if answer.status != 200:
        example.anomalies[f"status {answer.status}"] += 1
        return False
    if answer.headers.get("x-cache") != cache:
        example.anomalies[f"X-Cache {answer.headers.get('x-cache')} where {cache} expected"] += 1
    samples.append(answer.seconds * 1000)
    return True


async def check_cache(server: LiveServer, results: Results, runs: itertools.count[int]) -> None:
    """The cache must not answer a program that draws unseeded random numbers."""
    connection = HttpConnection(server.port)
    unseeded = "x = torch.randn(3, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
    answers = [await post(connection, unseeded) for _ in range(3)]
    caches = [answer.headers.get("x-cache") for answer in answers]
    values = {json.dumps(answer.json()["nodes"][-1].get("value")) for answer in answers}
    results.cache_checks.append(
        (
            "unseeded `torch.randn` program sent 3 times",
            caches == ["miss"] * 3 and len(values) == 3,
            f"X-Cache {caches}; {len(values)} different values",
        )
    )
    seeded = f"torch.manual_seed({next(runs)})\n{unseeded}"
    answers = [await post(connection, seeded) for _ in range(3)]
    caches = [answer.headers.get("x-cache") for answer in answers]
    same = len({answer.body for answer in answers}) == 1
    results.cache_checks.append(
        (
            "the same program seeded first, sent 3 times",
            caches == ["miss", "hit", "hit"] and same,
            f"X-Cache {caches}; bodies identical: {same}",
        )
    )
    await connection.close()


async def measure_throughput(
    server: LiveServer, results: Results, programs: list[Program], runs: itertools.count[int]
) -> None:
    """(c): N clients, each on its own keep-alive connection, for a fixed time per run."""
    for mode, make_code in throughput_modes(programs, runs).items():
        for clients in results.plan.concurrency:
            results.throughput.append(
                await throughput_run(server, mode, clients, results.plan.throughput_s, make_code)
            )
            progress(f"throughput: {mode} x{clients}")


def throughput_modes(
    programs: list[Program], runs: itertools.count[int]
) -> dict[str, Callable[[], str]]:
    """How each throughput mode makes the next program text."""
    cycle = itertools.cycle(programs)
    return {
        CACHED: lambda: next(cycle).code,
        UNCACHED: lambda: with_run_comment(next(cycle).code, next(runs)),
        NO_CACHE: lambda: with_run_leaf(next(cycle).code, next(runs)),
    }


async def throughput_run(
    server: LiveServer, mode: str, clients: int, seconds: float, make_code: Callable[[], str]
) -> ThroughputResult:
    """``clients`` connections sending back to back for ``seconds``."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    exceptions = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal exceptions
        connection = HttpConnection(server.port, timeout_s=30)
        while time.perf_counter() < deadline:
            try:
                answer = await post(connection, make_code())
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
                exceptions += 1
                continue
            latencies.append(answer.seconds * 1000)
            statuses[answer.status] += 1
        await connection.close()

    restarts_before = healthz(server.port)["pool"]["restarts"]
    cpu_before, client_before = server_cpu_seconds(server.pid), time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    cpu_after, client_after = server_cpu_seconds(server.pid), time.process_time()
    return ThroughputResult(
        mode=mode,
        clients=clients,
        seconds=elapsed,
        latencies=latencies,
        statuses=statuses,
        exceptions=exceptions,
        server_cpu_s=cpu_after - cpu_before,
        client_cpu_s=client_after - client_before,
        restarts=healthz(server.port)["pool"]["restarts"] - restarts_before,
    )


async def measure_scaling(server: LiveServer, results: Results, runs: itertools.count[int]) -> None:
    """(d): chains and MLPs; the worker's time, JSON size, `dot` layout, end to end."""
    connection = HttpConnection(server.port, timeout_s=120)
    cases = [("chain", ops, chain(ops)) for ops in results.plan.chain_ops]
    cases += [("mlp", depth, mlp(depth)) for depth in results.plan.mlp_depths]
    for family, size_, code in cases:
        result = ScalingResult(family, size_)
        for _ in range(results.plan.scaling_repeats):
            # A new leaf per run: the SVG cache (keyed by DOT) must not answer the layout.
            answer = await _until_served(connection, with_run_leaf(code, next(runs)))
            if answer.status != 200:
                result.outcomes[f"status {answer.status}"] += 1
                continue
            body = answer.json()
            if body["error"] or body["render_error"]:
                failure = body["error"]["type"] if body["error"] else "render error"
                result.outcomes[failure] += 1
                continue
            result.outcomes["truncated" if body["truncated"] else "ok"] += 1
            result.e2e_ms.append(answer.seconds * 1000)
            result.nodes = len(body["nodes"])
            result.truncated = bool(body["truncated"])
            result.extract_ms.append(float(body["elapsed_ms"]))
            result.response_bytes = len(answer.body)
            graph_only = {k: v for k, v in body.items() if k not in ("dot", "svg")}
            result.json_bytes = len(
                json.dumps(graph_only, ensure_ascii=False, separators=(",", ":")).encode()
            )
            for samples, graph in ((result.layout_ms, None), (result.server_layout_ms, body)):
                layout = _layout_ms(body["dot"], graph)
                if layout is not None:
                    samples.append(layout)
        results.scaling.append(result)
        progress(f"scaling: {family} {size_}")
    await connection.close()


def _layout_ms(dot_source: str, graph: dict[str, Any] | None) -> float | None:
    """Milliseconds for the server's layout of ``graph`` (``to_svg``, as the route calls it), or
    with no graph for Graphviz's own `dot -Tsvg`; None if it failed or took over 60 s."""
    from app.draw.render import RenderError, render_with_dot, to_svg

    started = time.perf_counter()
    try:
        if graph is None:
            render_with_dot(dot_source, 60.0)
        else:
            to_svg(dot_source, 60.0, node_count=len(graph["nodes"]), graph=graph)
    except RenderError:
        return None
    return (time.perf_counter() - started) * 1000


def measure_full_layouts(results: Results) -> None:
    """What the node limit hides: extract in process with the limit raised, then lay it out."""
    from app.draw.render import to_dot
    from app.evaluate import evaluate
    from app.limits import Limits

    limits = Limits(max_graph_nodes=25_000)
    for result in results.scaling:
        if not result.truncated or (result.family, result.size) not in FULL_LAYOUTS:
            continue
        code = chain(result.size) if result.family == "chain" else mlp(result.size)
        started = time.perf_counter()
        record = evaluate(code, limits)
        result.full_extract_ms = (time.perf_counter() - started) * 1000
        assert record.graph is not None
        result.full_nodes = len(record.graph["nodes"])
        result.full_layout_ms = _layout_ms(to_dot(record.graph), record.graph)
        if result.full_layout_ms is None:
            result.full_layout_note = "over 60 s"
        progress(f"full layout: {result.family} {result.size}")


def snapshot_memory(server: LiveServer, when: str) -> MemorySnapshot:
    """Memory of the server, the zygote and each worker now."""
    zygote = zygote_pid(server.pid)
    return MemorySnapshot(
        when,
        memory(server.pid),
        memory(zygote) if zygote is not None else None,
        [memory(pid) for pid in worker_pids(server.pid)],
    )


def run_experiments(
    results: Results, programs: list[Program], runs: itertools.count[int], scratch: Path
) -> None:
    """Throughput at 32 clients on a fresh server per changed setting."""
    for index, (label, changed, extra_args, mode) in enumerate(EXPERIMENTS):
        env = {**live_server.NO_RATE_LIMIT, **changed}
        server = live_server.start(env, scratch / f"experiment-{index}.log", extra_args)
        try:
            make_code = throughput_modes(programs, runs)[mode]
            run = asyncio.run(
                _experiment(server, programs, mode, results.plan.throughput_s, make_code)
            )
        finally:
            live_server.stop(server)
        run.setting = label
        results.experiments.append(run)
        progress(f"experiment: {label}")


async def _experiment(
    server: LiveServer,
    programs: list[Program],
    mode: str,
    seconds: float,
    make_code: Callable[[], str],
) -> ThroughputResult:
    connection = HttpConnection(server.port)
    for program in programs:  # fill the cache (and warm the workers) before timing
        await post(connection, program.code)
    await connection.close()
    return await throughput_run(server, mode, 32, seconds, make_code)
