"""Load and fault test (issue 3, point 8): hostile programs and killed workers under load.

    .venv/bin/python -m bench.load [--seconds 60] [--clients 32] [--hostile 0.1] [--kills 3]
    .venv/bin/python -m bench.load --quick       (15 s, 2 kills)
    .venv/bin/python -m bench.load --base-url http://127.0.0.1:8080 --seconds 20
                                                 (the clients only, against a running server)

Starts the real server on 127.0.0.1, runs ``--clients`` clients for ``--seconds`` sending
gallery programs (each text made unique) mixed with a share of hostile ones, SIGKILLs a
worker from outside ``--kills`` times during the run, then checks that the pool is back at
full size. Writes its own block of docs/benchmarks.md. Not a timed test: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import signal
import tempfile
import time
import urllib.parse
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from bench.client import GRAPH, HttpConnection
from bench.procfs import start_ticks
from bench.programs import HOSTILE, gallery, with_run_comment
from bench.report import DOC_PATH, CpuMeter, machine_table, progress, write_block
from bench.stats import Summary, ms, section, table
from tools import live_server
from tools.live_server import HOST, LiveServer, healthz, worker_pids

GALLERY = "gallery"
# Gallery programs sent one at a time after the run: each worker must serve again.
AFTER_RUN_REQUESTS = 8
# A connection that broke before or during the answer (the server behind it killed).
BROKEN = (ConnectionError, asyncio.IncompleteReadError)


@dataclass
class Outcome:
    """One request: what was sent, what came back, how long it took."""

    kind: str  # "gallery" or the hostile program's name
    seconds: float
    status: int | None  # None: no answer (lost)
    error_type: str | None = None
    failure: str | None = None
    resent: bool = False  # its connection broke once and it was sent again (``resend_cut``)


@dataclass
class Kill:
    """One worker killed from outside, and how many workers the pool called idle just before."""

    at_s: float
    pid: int
    idle_before: int


@dataclass
class LoadResult:
    """Everything the load test saw."""

    seconds: float
    clients: int
    hostile_share: float
    outcomes: list[Outcome] = field(default_factory=list)
    kills: list[Kill] = field(default_factory=list)
    pool_at_end: dict[str, int] = field(default_factory=dict)
    pool_settled: dict[str, int] = field(default_factory=dict)
    settle_s: float | None = None
    live_at_end: int = 0
    live_settled: int = 0
    after: Counter[str] = field(default_factory=Counter)
    elapsed_s: float = 0.0
    server_alive: bool = True
    server_log_tail: str = ""
    warmed: bool = False
    server_exit: int | None = None


async def run_load(server: LiveServer, args: argparse.Namespace, warm: bool) -> LoadResult:
    """Drive the clients and the killer until the time is up, then wait for the pool.

    ``warm``: send one gallery program, alone, before the clients start.
    """
    result = LoadResult(args.seconds, args.clients, args.hostile, warmed=warm)
    if warm:
        connection = HttpConnection(server.port)
        await connection.post_json(GRAPH, {"code": with_run_comment(gallery()[0].code, -100)})
        await connection.close()
    started = time.perf_counter()
    clients = run_clients(
        server.port, args, result, lambda: server.process.poll() is not None, started
    )

    async def killer() -> None:
        for index in range(args.kills):
            at = started + args.seconds * (index + 1) / (args.kills + 1)
            while time.perf_counter() < at:
                if server.process.poll() is not None:
                    return  # the server is gone: nothing left to kill
                await asyncio.sleep(min(0.5, max(0.0, at - time.perf_counter())))
            pids = worker_pids(server.pid)
            if pids:
                # The oldest worker: warm and serving (a young one may still be starting up).
                pid = min(pids, key=start_ticks)
                pool = healthz(server.port)["pool"]
                os.kill(pid, signal.SIGKILL)
                result.kills.append(Kill(time.perf_counter() - started, pid, pool["idle"]))
                progress(f"killed worker {pid}")

    await asyncio.gather(killer(), clients)
    result.elapsed_s = time.perf_counter() - started
    result.server_alive = server.process.poll() is None
    if result.server_alive:
        await _settle(server, result, args.settle)
    return result


async def run_clients(
    port: int,
    args: argparse.Namespace,
    result: LoadResult,
    server_gone: Callable[[], bool],
    started: float,
    host: str = HOST,
    resend_cut: bool = False,
) -> None:
    """``args.clients`` clients sending gallery programs (each text made unique) and a share
    ``args.hostile`` of hostile ones to ``host:port`` until ``args.seconds`` after ``started``;
    each outcome goes into ``result``. A client stops early once ``server_gone()``.

    ``resend_cut``: a request whose connection broke is sent once more on a new connection, as
    the page does (static/js/api.js); the outcome says so (``resent``)."""
    choose = random.Random(args.seed)
    cycle = itertools.cycle(gallery())
    runs = itertools.count(1)
    deadline = started + args.seconds
    resendable: tuple[type[BaseException], ...] = BROKEN if resend_cut else ()

    def next_program() -> tuple[str, str]:
        if choose.random() < args.hostile:
            hostile = choose.choice(HOSTILE)
            return hostile.name, with_run_comment(hostile.code, next(runs))
        return GALLERY, with_run_comment(next(cycle).code, next(runs))

    async def client() -> None:
        connection = HttpConnection(port, timeout_s=args.timeout, host=host)
        while time.perf_counter() < deadline:
            kind, code = next_program()
            sent = time.perf_counter()
            resent = False
            try:
                try:
                    answer = await connection.post_json(GRAPH, {"code": code})
                except resendable as exc:  # the connection is closed: the next opens a new one
                    progress(f"connection broke ({type(exc).__name__}): sending once more")
                    resent = True
                    answer = await connection.post_json(GRAPH, {"code": code})
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
                failure = type(exc).__name__
                seconds = time.perf_counter() - sent
                result.outcomes.append(Outcome(kind, seconds, None, failure=failure, resent=resent))
                if server_gone():
                    break  # the server is gone: nothing more to measure
                continue
            result.outcomes.append(
                Outcome(
                    kind, answer.seconds, answer.status, _error_type(answer.body), resent=resent
                )
            )
        await connection.close()

    await asyncio.gather(*(client() for _ in range(args.clients)))


class LoadSummary(TypedDict):
    """``summary``'s fields."""

    sent: int
    answered: int
    five_xx: int
    lost: int
    resent: int
    statuses: dict[str, int]
    seconds: float
    p50_ms: float | None
    p99_ms: float | None


def summary(result: LoadResult) -> LoadSummary:
    """What the clients saw, as plain data: counts by status, 5xx, lost, latency."""
    answered = [o.seconds * 1000 for o in result.outcomes if o.status is not None]
    latency = Summary.of(answered) if answered else None
    return {
        "sent": len(result.outcomes),
        "answered": len(answered),
        "five_xx": sum(1 for o in result.outcomes if o.status is not None and o.status >= 500),
        "lost": sum(1 for o in result.outcomes if o.status is None),
        "resent": sum(1 for o in result.outcomes if o.resent),
        "statuses": dict(Counter(_status_label(o) for o in result.outcomes)),
        "seconds": round(result.elapsed_s, 2),
        "p50_ms": round(latency.p50, 1) if latency else None,
        "p99_ms": round(latency.p99, 1) if latency else None,
    }


def _against(base_url: str, args: argparse.Namespace) -> LoadResult:
    """The clients only, against a server already running at ``base_url`` (``http://host:port``,
    e.g. a proxy in front of replicas): nothing started, killed or waited for."""
    url = urllib.parse.urlsplit(base_url)
    if url.scheme != "http" or not url.hostname or url.path not in ("", "/"):
        raise SystemExit(f"--base-url: {base_url!r} is not http://host:port")
    result = LoadResult(args.seconds, args.clients, args.hostile)
    started = time.perf_counter()
    port = url.port or 80
    asyncio.run(run_clients(port, args, result, lambda: False, started, url.hostname))
    result.elapsed_s = time.perf_counter() - started
    return result


def _error_type(body: bytes) -> str | None:
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError):
        return "unparseable body"
    return error.get("type") if isinstance(error, dict) else None


async def _settle(server: LiveServer, result: LoadResult, limit_s: float) -> None:
    """Record the pool right after the load, wait until it is whole, then send a few programs."""
    result.pool_at_end = healthz(server.port)["pool"]
    result.live_at_end = len(worker_pids(server.pid))
    size = result.pool_at_end["size"]
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        pool = healthz(server.port)["pool"]
        # /healthz counts workers the pool holds; /proc says whether their processes live.
        if pool["alive"] == pool["idle"] == size and len(worker_pids(server.pid)) == size:
            result.settle_s = time.perf_counter() - started
            break
        await asyncio.sleep(0.1)
    result.pool_settled = healthz(server.port)["pool"]
    result.live_settled = len(worker_pids(server.pid))
    connection = HttpConnection(server.port)
    for run, program in enumerate(gallery()[:AFTER_RUN_REQUESTS]):
        answer = await connection.post_json(GRAPH, {"code": with_run_comment(program.code, -run)})
        result.after[
            _status_label(Outcome(GALLERY, 0, answer.status, _error_type(answer.body)))
        ] += 1
    await connection.close()


def render(results: list[LoadResult], meter: CpuMeter) -> str:
    """The load test's block of docs/benchmarks.md: the run as specified, and any rerun."""
    first = results[0]
    parts = [
        section(
            "## Load and fault test (issue 3, point 8)",
            machine_table(meter),
            f"{first.clients} clients for {first.seconds:g} s, {first.hostile_share:.0%} of"
            " requests hostile; workers SIGKILLed from outside at even intervals.",
        )
    ]
    for result in results:
        title = (
            "### With one request sent before the load (rerun after the server died)"
            if result.warmed
            else "### As specified: the clients start together on a fresh server"
        )
        parts += [title, "", _render_one(result)]
    return "\n".join(parts)


def _render_one(result: LoadResult) -> str:
    outcomes = result.outcomes
    answered = [o for o in outcomes if o.status is not None]
    lost = [o for o in outcomes if o.status is None]
    five_xx = [o for o in answered if o.status is not None and o.status >= 500]
    latency = Summary.of([o.seconds * 1000 for o in answered])
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in outcomes:
        column = "gallery" if outcome.kind == GALLERY else "hostile"
        statuses[_status_label(outcome)][column] += 1
    status_rows = [
        [label, str(counts["gallery"]), str(counts["hostile"])]
        for label, counts in sorted(statuses.items())
    ]
    settled = result.pool_settled
    size = settled.get("size", 0)
    whole = result.settle_s is not None and result.live_settled == size
    after_ok = result.after == Counter({"200": AFTER_RUN_REQUESTS})
    summary_rows = [
        ["requests sent", f"{len(outcomes):,} in {result.elapsed_s:.1f} s"],
        ["answered", f"{len(answered):,} ({len(answered) / result.elapsed_s:,.0f}/s)"],
        ["latency p50 / p99 (all answers)", f"{ms(latency.p50)} / {ms(latency.p99)} ms"],
        ["5xx answers", str(len(five_xx))],
        ["lost (no answer, client exception)", str(len(lost))],
        [
            "workers killed from outside (SIGKILL)",
            "; ".join(
                f"pid {k.pid} at {k.at_s:.1f} s ({k.idle_before} idle before)" for k in result.kills
            )
            or "none",
        ],
        [
            "pool right after the run (/healthz; worker processes in /proc)",
            f"{_pool(result.pool_at_end)}; {result.live_at_end} processes",
        ],
        [
            "pool back at full size",
            (
                f"yes, {result.settle_s:.1f} s after the run: {_pool(settled)};"
                f" {result.live_settled} processes"
                if whole
                else f"**no**: {_pool(settled)}; {result.live_settled} processes"
            ),
        ],
        [
            f"{AFTER_RUN_REQUESTS} gallery requests after that, one at a time",
            ", ".join(f"{label}: {n}" for label, n in result.after.most_common())
            + ("" if after_ok else " (**not all served**)"),
        ],
        ["server process alive at the end", "yes" if result.server_alive else "**no**"],
    ]
    verdict = "met" if not five_xx and not lost and whole and result.server_alive else "**not met**"
    hostile_rows = []
    for name in (*(program.name for program in HOSTILE), GALLERY):
        mine = [o for o in outcomes if o.kind == name]
        if not mine:
            continue
        answers = Counter(_status_label(o) for o in mine)
        spread = Summary.of([o.seconds * 1000 for o in mine])
        hostile_rows.append(
            [
                name,
                str(len(mine)),
                ", ".join(f"{label}: {n}" for label, n in answers.most_common()),
                f"{ms(spread.p50)} / {ms(spread.max)}",
            ]
        )
    died = f"The server process died (exit status {result.server_exit}); the end of its log:"
    return section(
        table(["", ""], summary_rows),
        f"Issue 3 point 8 (zero 5xx, zero lost, pool back at full size): {verdict}.",
        "Answers by status (and the record's `error.type` for 200s):",
        table("status | gallery | hostile", status_rows),
        "By program:",
        table("program | requests | answers | latency p50 / max ms", hostile_rows),
        died if result.server_log_tail else "",
        f"```\n{result.server_log_tail}\n```" if result.server_log_tail else "",
    )


def _status_label(outcome: Outcome) -> str:
    if outcome.status is None:
        return f"no answer ({outcome.failure})"
    if outcome.status == 200 and outcome.error_type:
        return f"200 {outcome.error_type}"
    return str(outcome.status)


def _pool(pool: dict[str, int]) -> str:
    if not pool:
        return "unknown"
    return ", ".join(f"{key} {pool[key]}" for key in ("size", "alive", "idle", "restarts"))


def main(argv: list[str] | None = None) -> int:
    """Run the load test and write its block of docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to send (60)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--hostile", type=float, default=0.1, help="share of hostile (0.1)")
    parser.add_argument("--kills", type=int, default=3, help="workers to SIGKILL (3)")
    parser.add_argument("--timeout", type=float, default=60.0, help="client time-out, s (60)")
    parser.add_argument("--settle", type=float, default=60.0, help="wait for the pool, s (60)")
    parser.add_argument("--seed", type=int, default=5, help="random seed of the mix (5)")
    parser.add_argument("--output", type=Path, default=DOC_PATH, help="markdown file to update")
    parser.add_argument("--quick", action="store_true", help="15 s and 2 kills")
    parser.add_argument(
        "--base-url",
        help="send to this running server (http://host:port, e.g. a proxy before replicas)"
        " instead of starting one: no worker kills, nothing written; prints a JSON summary",
    )
    parser.add_argument(
        "--no-retry",
        action="store_true",
        help="if the server dies, do not run again with one request sent before the load",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.kills = 15.0, 2
    warnings.filterwarnings("ignore")
    if args.base_url:
        print(json.dumps(summary(_against(args.base_url, args)), indent=2))
        return 0
    meter = CpuMeter()
    results = [_run_once(args, warm=False)]
    if not results[0].server_alive and not args.no_retry:
        progress("the server died; running again with one request sent before the load")
        results.append(_run_once(args, warm=True))
    write_block("bench/load.py", render(results, meter), args.output)
    progress(f"wrote {args.output}")
    return 0


def _run_once(args: argparse.Namespace, warm: bool) -> LoadResult:
    with tempfile.TemporaryDirectory(prefix="agv-load-") as scratch:
        log_path = Path(scratch) / "server.log"
        server = live_server.start(log_path=log_path)
        try:
            result = asyncio.run(run_load(server, args, warm))
        finally:
            live_server.stop(server)
        if not result.server_alive:
            lines = log_path.read_text(errors="replace").splitlines()
            result.server_log_tail = "\n".join(lines[-25:])
            result.server_exit = server.process.returncode
    return result


if __name__ == "__main__":
    raise SystemExit(main())
