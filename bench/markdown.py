"""The generated block of docs/benchmarks.md, one function per section.

Tables, figures and one-line captions only: what the columns mean is written by hand in the
page, under "How the tables are measured".
"""

from __future__ import annotations

import time
from collections.abc import Callable

from app.config import Settings
from app.draw.render import IN_PROCESS_MAX_NODES, LAYERED_MIN_EDGES
from app.limits import DEFAULT_LIMITS
from bench.browser import frames_summary
from bench.measure import LARGE_MLP_DEPTH
from bench.report import machine_table
from bench.results import ExampleResult, Results, ThroughputResult
from bench.stats import Summary, ms, percentile, ratio, section, size, table
from bench.targets import render_targets
from tools.live_server import command

_RECYCLE = Settings().worker_recycle_after


def render(results: Results, server_env: dict[str, str]) -> str:
    """The whole generated block of docs/benchmarks.md."""
    settings = " ".join(f"{k}={v}" for k, v in server_env.items())
    parts = [
        "## How this was measured",
        machine_table(results.meter),
        "",
        f"Server: `{settings} {' '.join(command('<free port>')[1:])}`; all times in ms.",
        f"Total run time: {time.perf_counter() - results.started:.0f} s.",
        "",
        render_gallery(results),
        render_breakdown(results),
        render_cached(results),
        render_throughput(results),
        render_scaling(results),
        render_browser(results),
        render_large_breakdown(results),
        render_startup(results),
        render_targets(results),
    ]
    return "\n".join(parts)


def render_gallery(results: Results) -> str:
    """(a)."""
    rows = []
    for example in results.examples:
        floor, peer = Summary.of(example.floor), Summary.of(example.peer)
        single = Summary.of(example.floor_single)
        uncached, nocache = Summary.of(example.uncached), Summary.of(example.nocache)
        rows.append(
            [
                example.name,
                str(example.nodes),
                ms(floor.p50),
                ms(single.p50),
                ms(peer.p50),
                ms(Summary.of(example.worker).p50),
                uncached.spread(),
                nocache.spread(),
                ratio(nocache.p50, peer.p50),
                ratio(nocache.p50, floor.p50),
                ratio(nocache.p50, single.p50),
            ]
        )
    names = ("floor", "floor_single", "peer", "worker", "uncached", "nocache")
    median = {
        name: percentile([Summary.of(getattr(e, name)).p50 for e in results.examples], 50)
        for name in names
    }
    rows.append(
        [
            "**median of the examples**",
            "",
            *(ms(median[name]) for name in names),
            ratio(median["nocache"], median["peer"]),
            ratio(median["nocache"], median["floor"]),
            ratio(median["nocache"], median["floor_single"]),
        ]
    )
    plan = results.plan
    return section(
        "## (a) Gallery, end to end, warm, uncached",
        f"Each example: {plan.latency_n} requests of each kind, one at a time; floor about"
        f" {plan.floor_n} runs ({max(1, plan.floor_n // plan.latency_n)} a round), torchviz about"
        f" {plan.peer_n}. Ratios use the no-cache p50.",
        table(
            "example | nodes | floor p50 | one-run floor p50 | torchviz p50 | worker p50"
            " | uncached p50 / p95 / p99 | no cache p50 / p95 / p99 | no cache / torchviz"
            " | no cache / floor | no cache / one-run floor",
            rows,
        ),
        _anomalies(results),
    )


def _anomalies(results: Results) -> str:
    restarts = (
        f" Workers replaced by the pool during this section: {results.gallery_restarts}"
        f" (it replaces a worker after about {_RECYCLE:,} evaluations, +-25%)."
    )
    found = [f"{e.name}: {dict(e.anomalies)}" for e in results.examples if e.anomalies]
    if found:
        return f"**Unexpected answers** (not in the latency figures): {'; '.join(found)}.{restarts}"
    return (
        f"Every uncached request answered `200` with `X-Cache: miss`, every repeat `hit`.{restarts}"
    )


def _typical_example(results: Results) -> ExampleResult:
    """The example whose no-cache p50 is the median of the gallery's."""
    ordered = sorted(results.examples, key=lambda e: Summary.of(e.nocache).p50)
    return ordered[len(ordered) // 2]


def render_breakdown(results: Results) -> str:
    """Where the time of a typical example goes: each step of the live no-cache requests, as
    the server's Server-Timing header split them, beside the same step run hot in process."""
    example = _typical_example(results)
    steps = example.steps
    assert steps is not None

    def live(step: Callable[[dict[str, float]], float]) -> float:
        return percentile([step(split) for split in example.server_timing], 50)

    hit = Summary.of(example.cached).p50
    ipc_hot = steps.record_to_dict + steps.record_json_dumps + steps.record_json_loads
    render_hot = steps.to_dot + steps.to_svg
    rows = [
        [
            "HTTP in and out: loopback, uvicorn, FastAPI, the bench's client",
            ms(live(lambda t: t["end_to_end"] - t["total"])),
            "-",
            f"the client's time minus the route's `total`; for scale, a whole cache hit: {ms(hit)}",
        ],
        ["waiting for an idle worker", ms(live(lambda t: t["queue"])), "-", "`queue`"],
        [
            "to the worker and back: the socket both ways, wake-ups, record encode and decode",
            ms(live(lambda t: t["worker"] - t["run"])),
            ms(ipc_hot),
            (
                "`worker` minus `run`; in process: the record to a dict"
                f" {ms(steps.record_to_dict)}, its two JSON lines {ms(steps.record_json_dumps)},"
                f" the server's decode {ms(steps.record_json_loads)}"
            ),
        ],
        [
            "worker: check, run and graph the program",
            ms(live(lambda t: t["run"])),
            ms(steps.evaluate),
            (
                "`run` (the body's `elapsed_ms`); in process: `app.evaluate.evaluate`, its code"
                " compiled already; check + rewrite + compile with no statement seen before"
                f" {ms(steps.compile_program)}"
            ),
        ],
        [
            "server: DOT + SVG",
            ms(live(lambda t: t["render"])),
            ms(render_hot),
            f"`render`; in process: `to_dot` {ms(steps.to_dot)} + `to_svg` (libgvc) {ms(steps.to_svg)}",
        ],
        [
            "server: the rest of the route (cache key and lookup, answer encode)",
            ms(live(lambda t: t["total"] - t["queue"] - t["worker"] - t["render"])),
            ms(steps.response_json),
            "`total` minus the three above; in process: the answer's JSON encode",
        ],
        [
            "**end to end, no cache**",
            f"**{ms(live(lambda t: t['end_to_end']))}**",
            f"**{ms(ipc_hot + steps.evaluate + render_hot + steps.response_json)}**",
            (
                f"JSON only: {ms(Summary.of(example.json_only).p50)}, JSON + DOT:"
                f" {ms(Summary.of(example.dot_only).p50)} (p50 over HTTP)"
            ),
        ],
    ]
    return section(
        f"### Where the time goes: `{example.name}` (the median example, {steps.nodes} nodes)",
        f"**live**: p50 of each step over this example's {len(example.server_timing)} no-cache"
        " requests above; **hot, in process**: the same step run back to back.",
        table("step | live p50 | hot, in process | how", rows),
        f"For scale: `GET /healthz` p50 {ms(Summary.of(results.health_ms).p50)} ms; the same"
        f" program run by plain PyTorch {ms(Summary.of(example.floor).p50)} ms back to back,"
        f" {ms(Summary.of(example.floor_single).p50)} ms as the first run of a round.",
    )


def render_cached(results: Results) -> str:
    """(b)."""
    rows = []
    for example in results.examples:
        cached = Summary.of(example.cached)
        rows.append(
            [
                example.name,
                size(example.response_bytes),
                cached.spread(),
                f"{ms(cached.min)} / {ms(cached.max)}",
                ratio(cached.p50, Summary.of(example.peer).p50),
                ratio(cached.p50, Summary.of(example.floor).p50),
            ]
        )
    checks = [
        [name, "yes" if ok else "**no**", detail] for name, ok, detail in results.cache_checks
    ]
    return section(
        "## (b) Gallery from the cache (same text repeated)",
        f"{results.plan.cached_n} repeats of each example's exact text after one request that"
        " filled the cache.",
        table(
            "example | answer size | p50 / p95 / p99 | min / max | p50 / torchviz | p50 / floor",
            rows,
        ),
        table("cache correctness check | as expected | observed", checks),
    )


def _throughput_row(run: ThroughputResult) -> list[str]:
    latency = Summary.of(run.latencies)
    answered = len(run.latencies)
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(run.statuses.items()))
    return [
        run.mode,
        str(run.clients),
        f"{run.rate:,.0f}",
        latency.spread(),
        str(run.errors),
        statuses + (f", no answer: {run.exceptions}" if run.exceptions else ""),
        str(run.restarts),
        f"{run.server_cpu_s * 1000 / max(answered, 1):.2f}",
        f"{run.client_cpu_s / run.seconds * 100:.0f}%",
    ]


_THROUGHPUT_HEADERS = (
    "mode | clients | requests/s | latency p50 / p95 / p99 | errors | statuses"
    " | workers replaced | server CPU ms/req | client CPU"
)


def render_throughput(results: Results) -> str:
    """(c), and the same with one setting changed at a time."""
    changed = [[run.setting, *_throughput_row(run)] for run in results.experiments]
    return section(
        "## (c) Throughput",
        f"Each run: N clients sending back to back for {results.plan.throughput_s:g} s, cycling"
        " through the gallery.",
        table(_THROUGHPUT_HEADERS, [_throughput_row(run) for run in results.throughput]),
        "### One setting changed (a fresh server each, 32 clients)" if changed else "",
        table(f"setting | {_THROUGHPUT_HEADERS}", changed) if changed else "",
    )


def render_scaling(results: Results) -> str:
    """(d)."""
    rows = []
    for result in results.scaling:
        label = f"{result.size:,} ops" if result.family == "chain" else f"depth {result.size:,}"
        outcome = ", ".join(
            f"{n}x **{label}**" if label != "ok" else f"{n}x ok"
            for label, n in result.outcomes.most_common()
        )
        full = "-"
        if result.full_nodes is not None:
            layout = (
                ms(result.full_layout_ms)
                if result.full_layout_ms is not None
                else result.full_layout_note
            )
            full = (
                f"{result.full_nodes:,} nodes: extract {ms(result.full_extract_ms or 0)},"
                f" layout {layout}"
            )
        rows.append(
            [
                f"{result.family} {label}",
                f"{result.nodes:,}",
                outcome,
                ms(Summary.of(result.extract_ms).p50),
                size(result.json_bytes),
                size(result.response_bytes),
                ms(Summary.of(result.layout_ms).p50),
                ms(Summary.of(result.server_layout_ms).p50),
                ms(Summary.of(result.e2e_ms).p50),
                full,
            ]
        )
    return section(
        "## (d) Scaling",
        f"Medians of {results.plan.scaling_repeats} run(s), each text unique. The server keeps at"
        f" most {DEFAULT_LIMITS.max_graph_nodes:,} nodes; a drawing process lays them out, with"
        f" libgvc up to {IN_PROCESS_MAX_NODES:,} nodes and {LAYERED_MIN_EDGES - 1:,} edges,"
        " then with the layered layout.",
        table(
            "program | nodes returned | outcome | extract | JSON | answer (with DOT + SVG)"
            " | dot -Tsvg | layout | end to end | full graph",
            rows,
        ),
    )


def render_browser(results: Results) -> str:
    """The playground in Chromium."""
    browser = results.browser
    heading = "### In the browser (Playwright, Debian Chromium, headless, software rendering)"
    if not browser.measured:
        return section(heading, f"Time to the drawn graph, pan/zoom frame times: {browser.note}")
    rows = [
        [
            sample.program,
            f"{sample.nodes:,}",
            Summary.of(sample.click_to_svg).spread(),
            Summary.of(sample.response_to_svg).spread(),
        ]
        for sample in browser.samples
    ]
    frames = frames_summary(browser.frames) if browser.frames else "not measured"
    return section(
        heading,
        table(
            "program | nodes drawn | click to SVG p50 / p95 / p99"
            " | response to SVG p50 / p95 / p99",
            rows,
        ),
        f"Pan and zoom ({browser.frames_program}): {frames}.",
        large_drawing_line(results),
    )


def large_drawing_line(results: Results) -> str:
    """The 20,000-node graph in the playground (issue 15, point 7)."""
    large = results.large_drawing
    if not large.measured:
        return f"20,000-node graph: {large.note or 'not measured'}."
    after = Summary.of(large.response_to_picture)
    interactive = Summary.of(large.response_to_svg)
    frames = frames_summary(large.frames) if large.frames else "not measured"
    return (
        f"20,000-node graph ({large.nodes:,} nodes drawn; the answer recorded from"
        f" {large.source}): answer to first picture p50 {after.p50:,.0f} ms,"
        f" max {after.max:,.0f} ms; to the interactive SVG p50 {interactive.p50:,.0f} ms,"
        f" max {interactive.max:,.0f} ms; pan and zoom: {frames}."
    )


def render_large_breakdown(results: Results) -> str:
    """Where the time of the 1,500-node MLP goes."""
    steps = results.large_steps
    scaled = next(
        (r for r in results.scaling if (r.family, r.size) == ("mlp", LARGE_MLP_DEPTH)), None
    )
    if steps is None or scaled is None:
        return ""
    e2e = Summary.of(scaled.e2e_ms).p50
    worker = Summary.of(scaled.extract_ms).p50
    parts = {
        "worker: run the program + extract the graph (`elapsed_ms`)": worker,
        "worker: record to dict + JSON encode": steps.record_to_dict + steps.record_json_dumps,
        "server: JSON decode of the record": steps.record_json_loads,
        "drawing process: DOT text (`to_dot`)": steps.to_dot,
        "drawing process: layout (`to_svg`, libgvc)": steps.to_svg,
        "server: response JSON encode (with DOT + SVG)": steps.response_json,
    }
    rows = [[label, ms(value)] for label, value in parts.items()]
    rows.append(
        ["HTTP, IPC, transfer of the answer, rest (derived)", ms(e2e - sum(parts.values()))]
    )
    rows.append(["**end to end**", f"**{ms(e2e)}**"])
    return section(
        f"### Where the time goes: mlp depth {LARGE_MLP_DEPTH} ({steps.nodes:,} nodes,"
        f" {size(scaled.response_bytes)})",
        "Worker time and end to end from the server (table above); the other steps timed in"
        " process with the app's own functions.",
        table("step | ms", rows),
    )


def render_startup(results: Results) -> str:
    """(e)."""
    cold = Summary.of(results.cold_starts)
    rows = []
    for snap in results.memory:
        processes = [("server", snap.server)]
        if snap.zygote is not None:
            processes.append(("zygote", snap.zygote))
        processes += [(f"worker {index + 1}", worker) for index, worker in enumerate(snap.workers)]
        for name, mem in processes:
            rows.append(
                [snap.when, name, f"{mem.rss_mb:.0f}", f"{mem.pss_mb:.0f}", f"{mem.uss_mb:.0f}"]
            )
    return section(
        "## (e) Cold start and memory",
        f"Cold start (process start until `/healthz` says `ok`), {cold.n} start(s):"
        f" p50 {cold.p50:.2f} s, min {cold.min:.2f} s, max {cold.max:.2f} s.",
        table("when | process | RSS MiB | PSS MiB | USS (private) MiB", rows),
    )
