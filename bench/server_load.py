"""Server-side load test (issue 13, point 8): what the server draws, holds and parses, under load.

    .venv/bin/python -m bench.server_load [--seconds 60] [--benign 6]
    .venv/bin/python -m bench.server_load --quick       (20 s)

Starts the real server on 127.0.0.1 trusting loopback as its proxy, so every simulated client
has its own address in ``X-Forwarded-For``. Benign clients send gallery programs (each a new
graph, so no cache answers) while, at the same time:

- two attackers send the programs of ``SERVER_HOSTILE`` (graphs cheap to make and costly to
  draw or hold, memory left for the next program, text JSON and DOT cannot encode);
- one greedy client keeps six connections busy with programs that run until the time limit;
- one client sends bodies JSON cannot hold (``NaN``, ``Infinity``) and lone surrogates;
- ``--slow`` connections each send half a request head and then wait.

Reports the benign clients' latency, the worst ``/healthz`` latency (target: at most 1 s), the
server process's resident memory growth (target: at most 300 MB), every answer by status (target:
no 5xx), whether any answer showed another program's values, and how long the half-sent heads
were kept open. Writes its own block of docs/benchmarks.md. Not a timed test: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.client import GRAPH, HttpConnection
from bench.procfs import memory
from bench.programs import SERVER_HOSTILE, gallery, with_run_leaf
from bench.report import DOC_PATH, CpuMeter, machine_table, progress, write_block
from bench.stats import Summary, ms, section, table
from tools import live_server
from tools.live_server import HOST, LiveServer

# The server trusts loopback as a proxy: each simulated client is its X-Forwarded-For address.
SERVER_ENV = {"AGV_TRUSTED_PROXIES": "127.0.0.1"}
HEALTHZ_TARGET_S = 1.0
RSS_GROWTH_TARGET_MB = 300.0
# A program that runs until the wall clock stops it (a few hundred iterations, each a large
# matrix product): the greedy client's.
SLOW_PROGRAM = "a = torch.ones(700, 700)\nwhile True:\n    a = (a @ a).tanh()\n"
GREEDY_CONNECTIONS = 6
BAD_BODIES: tuple[tuple[str, bytes], ...] = (
    ("body_nan", b'{"code": NaN}'),
    ("body_infinity", b'{"code": Infinity}'),
    ("body_svg_minus_infinity", b'{"code": "x = 1", "svg": -Infinity}'),
    ("body_lone_surrogate", b'{"code": "s = \\"\\ud800\\"\\nprint(s)"}'),
)
HALF_HEAD = b"POST /api/graph HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"


@dataclass
class Answer:
    """One request: who sent it, what it was, the status (None: no answer), its time."""

    client: str  # "benign", "attacker", "greedy", "bodies"
    kind: str
    status: int | None
    seconds: float
    error_type: str | None = None
    leaked: bool = False


@dataclass
class ServerLoad:
    """Everything the run saw."""

    seconds: float
    benign_clients: int
    slow_connections: int
    answers: list[Answer] = field(default_factory=list)
    healthz_s: list[float] = field(default_factory=list)
    healthz_failures: int = 0
    rss_mb: list[float] = field(default_factory=list)
    rss_baseline_mb: float = 0.0
    rss_after_mb: float = 0.0
    slow_open_s: list[float] = field(default_factory=list)
    elapsed_s: float = 0.0
    server_alive: bool = True


async def run(server: LiveServer, args: argparse.Namespace) -> ServerLoad:
    """Warm the server, then run every kind of client together until the time is up."""
    result = ServerLoad(args.seconds, args.benign, args.slow)
    warm = HttpConnection(server.port)
    for index, program in enumerate(gallery()):
        await warm.post_json(GRAPH, {"code": with_run_leaf(program.code, -1 - index)})
    await warm.close()
    result.rss_baseline_mb = memory(server.pid).rss_mb
    runs = itertools.count(1)
    deadline = time.perf_counter() + args.seconds

    async def send(client: str, kind: str, address: str, code: str) -> None:
        connection = HttpConnection(server.port, timeout_s=args.timeout)
        headers = {"X-Forwarded-For": address}
        sent = time.perf_counter()
        try:
            answer = await connection.post_json(GRAPH, {"code": code}, headers)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
            result.answers.append(Answer(client, kind, None, time.perf_counter() - sent))
        else:
            result.answers.append(_answer(client, kind, answer.status, answer.seconds, answer.body))
        finally:
            await connection.close()

    async def benign(index: int) -> None:
        programs = itertools.cycle(gallery())
        while time.perf_counter() < deadline:
            program = next(programs)
            await send("benign", program.name, f"10.0.0.{index + 1}", _fresh(program.code, runs))

    async def attacker(index: int) -> None:
        programs = itertools.cycle(SERVER_HOSTILE[index::2])
        while time.perf_counter() < deadline:
            program = next(programs)
            await send("attacker", program.name, f"10.66.0.{index + 1}", _fresh(program.code, runs))

    async def greedy() -> None:
        while time.perf_counter() < deadline:
            await send("greedy", "slow_program", "10.99.0.1", _fresh(SLOW_PROGRAM, runs))

    async def bodies() -> None:
        connection = HttpConnection(server.port, timeout_s=args.timeout)
        for kind, body in itertools.cycle(BAD_BODIES):
            if time.perf_counter() >= deadline:
                break
            headers = {"X-Forwarded-For": "10.77.0.1"}
            sent = time.perf_counter()
            try:
                answer = await connection.request("POST", GRAPH, body, headers)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
                result.answers.append(Answer("bodies", kind, None, time.perf_counter() - sent))
                continue
            result.answers.append(
                _answer("bodies", kind, answer.status, answer.seconds, answer.body)
            )
            await asyncio.sleep(0.2)
        await connection.close()

    async def probe_health() -> None:
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                await asyncio.wait_for(_healthz(server.port), timeout=30)
                result.healthz_s.append(time.perf_counter() - sent)
            except (OSError, TimeoutError, asyncio.IncompleteReadError):
                result.healthz_failures += 1
            await asyncio.sleep(0.2)

    async def sample_memory() -> None:
        while time.perf_counter() < deadline:
            result.rss_mb.append(memory(server.pid).rss_mb)
            await asyncio.sleep(0.5)

    async def slow_head() -> None:
        opened = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection(HOST, server.port)
        except OSError:
            return
        writer.write(HALF_HEAD)
        await writer.drain()
        remaining = max(0.0, deadline - time.perf_counter())
        try:
            await asyncio.wait_for(reader.read(), timeout=remaining)  # b"" once the server closes
        except (TimeoutError, OSError):
            pass
        result.slow_open_s.append(time.perf_counter() - opened)
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(
        *(benign(index) for index in range(args.benign)),
        attacker(0),
        attacker(1),
        *(greedy() for _ in range(GREEDY_CONNECTIONS)),
        bodies(),
        probe_health(),
        sample_memory(),
        *(slow_head() for _ in range(args.slow)),
    )
    result.elapsed_s = time.perf_counter() - started
    result.server_alive = server.process.poll() is None
    if result.server_alive:
        await asyncio.sleep(2)  # let the last drawings and replies finish
        result.rss_after_mb = memory(server.pid).rss_mb
    return result


def _fresh(code: str, runs: itertools.count[int]) -> str:
    """A new text and graph each time: the response cache and the SVG cache cannot answer."""
    return with_run_leaf(code, next(runs))


def _answer(client: str, kind: str, status: int, seconds: float, body: bytes) -> Answer:
    error_type = None
    leaked = False
    try:
        parsed = json.loads(body)
    except ValueError:
        error_type = "unparseable body"
    else:
        error = parsed.get("error") if isinstance(parsed, dict) else None
        error_type = error.get("type") if isinstance(error, dict) else None
        stdout = parsed.get("stdout") if isinstance(parsed, dict) else None
        leaked = isinstance(stdout, str) and "leaked" in stdout and "leaked 0" not in stdout
    return Answer(client, kind, status, seconds, error_type, leaked)


async def _healthz(port: int) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        await reader.read()
    finally:
        writer.close()


def render(result: ServerLoad, meter: CpuMeter) -> str:
    """The block of docs/benchmarks.md."""
    benign = [a for a in result.answers if a.client == "benign"]
    benign_ok = Summary.of([a.seconds * 1000 for a in benign if a.status == 200])
    health = Summary.of([s * 1000 for s in result.healthz_s])
    five_xx = [a for a in result.answers if a.status is not None and a.status >= 500]
    lost = [a for a in result.answers if a.status is None]
    leaks = [a for a in result.answers if a.leaked]
    peak = max(result.rss_mb, default=0.0)
    growth = max(peak, result.rss_after_mb) - result.rss_baseline_mb
    slow = Summary.of(result.slow_open_s)
    targets = [
        [
            "`/healthz` worst latency",
            f"{ms(health.max)} ms ({result.healthz_failures} unanswered)",
            f"<= {HEALTHZ_TARGET_S * 1000:g} ms",
            _met(health.max <= HEALTHZ_TARGET_S * 1000 and not result.healthz_failures),
        ],
        [
            "server resident memory growth (peak or after, minus before)",
            (
                f"{growth:.0f} MB ({result.rss_baseline_mb:.0f} before, {peak:.0f} peak,"
                f" {result.rss_after_mb:.0f} after)"
            ),
            f"<= {RSS_GROWTH_TARGET_MB:g} MB",
            _met(growth <= RSS_GROWTH_TARGET_MB),
        ],
        ["5xx answers", str(len(five_xx)), "0", _met(not five_xx)],
        ["answers showing another program's values", str(len(leaks)), "0", _met(not leaks)],
        [
            "server process alive at the end",
            "yes" if result.server_alive else "no",
            "yes",
            _met(result.server_alive),
        ],
    ]
    summary = [
        ["benign clients", f"{result.benign_clients} (each its own address)"],
        [
            "benign answers (all statuses) / answered 200",
            f"{len(benign):,} / {sum(a.status == 200 for a in benign):,}",
        ],
        [
            "benign latency p50 / p99 / max (200s)",
            f"{ms(benign_ok.p50)} / {ms(benign_ok.p99)} / {ms(benign_ok.max)} ms",
        ],
        [
            "`/healthz` p50 / p99 / max",
            f"{ms(health.p50)} / {ms(health.p99)} / {ms(health.max)} ms",
        ],
        ["requests without an answer (client time-out or dropped)", str(len(lost))],
        [
            f"{result.slow_connections} half-sent request heads: time kept open p50 / max",
            f"{slow.p50:.1f} / {slow.max:.1f} s (the run lasted {result.elapsed_s:.0f} s)",
        ],
    ]
    by_kind: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    for answer in result.answers:
        by_kind[answer.client, answer.kind][_label(answer)] += 1
        times[answer.client, answer.kind].append(answer.seconds * 1000)
    kind_rows = [
        [
            client,
            kind,
            str(sum(counts.values())),
            ", ".join(f"{label}: {n}" for label, n in counts.most_common()),
            f"{ms(Summary.of(times[client, kind]).p50)} / {ms(Summary.of(times[client, kind]).max)}",
        ]
        for (client, kind), counts in sorted(by_kind.items())
    ]
    return section(
        "## Server-side load test (issue 13, point 8)",
        machine_table(meter),
        f"{result.benign_clients} benign clients, 2 attackers sending the programs of"
        " `bench/programs.py` `SERVER_HOSTILE`, one greedy client with"
        f" {GREEDY_CONNECTIONS} connections of programs that run to the time limit, one client"
        f" sending bodies JSON cannot hold, and {result.slow_connections} half-sent request"
        f" heads, all at once for {result.seconds:g} s, on the default settings (loopback"
        " trusted as the proxy, so each client is its `X-Forwarded-For` address).",
        table("target | measured | wanted | met", targets),
        table(["", ""], summary),
        "Answers by client and program (status, and `error.type` for 200s); latency p50 / max ms:",
        table("client | program | requests | answers | latency", kind_rows),
    )


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _label(answer: Answer) -> str:
    if answer.status is None:
        return "no answer"
    if answer.status == 200 and answer.error_type:
        return f"200 {answer.error_type}"
    return str(answer.status)


def main(argv: list[str] | None = None) -> int:
    """Run the server-side load test and write its block of docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to send (60)")
    parser.add_argument("--benign", type=int, default=6, help="benign clients (6)")
    parser.add_argument("--slow", type=int, default=200, help="half-sent request heads (200)")
    parser.add_argument("--timeout", type=float, default=60.0, help="client time-out, s (60)")
    parser.add_argument("--output", type=Path, default=DOC_PATH, help="markdown file to update")
    parser.add_argument("--quick", action="store_true", help="20 s")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds = 20.0
    warnings.filterwarnings("ignore")
    meter = CpuMeter()
    server = live_server.start(SERVER_ENV)
    try:
        result = asyncio.run(run(server, args))
    finally:
        live_server.stop(server)
    write_block("bench/server_load.py", render(result, meter), args.output)
    progress(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
