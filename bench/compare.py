"""Compare two checkouts of the server on this machine, request by request.

    .venv/bin/python -m bench.compare OTHER_CHECKOUT [--example NAME ...] [--rounds N]

Starts the server of this checkout and the server of OTHER_CHECKOUT (another clone, say
`git worktree add ../base main`) side by side on 127.0.0.1 and sends each gallery example
to both, alternating which goes first, each request after a short pause as a person's would
come. A shared machine whose speed drifts by 1.5x within minutes moves both alike, so the
medians can be compared where two separate `make bench` runs cannot (two identical
checkouts differ by about 3% at 60 rounds). Prints a markdown table; writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
from pathlib import Path

from bench.client import GRAPH, HttpConnection
from bench.programs import Program, gallery, with_run_leaf
from bench.stats import table
from tools import live_server

_WARM_UP = 10


async def _compare(
    programs: list[Program], ports: dict[str, int], rounds: int, pause_s: float
) -> dict[str, dict[str, list[float]]]:
    """Milliseconds per request, by example and by checkout (no-cache texts: a new leaf each)."""
    connections = {label: HttpConnection(port) for label, port in ports.items()}
    runs = itertools.count()
    samples: dict[str, dict[str, list[float]]] = {}
    try:
        for program in programs:
            for connection in connections.values():
                for _ in range(_WARM_UP):
                    await connection.post_json(GRAPH, _body(program, next(runs)))
            times: dict[str, list[float]] = {label: [] for label in connections}
            order = list(connections.items())
            for index in range(rounds):
                for label, connection in order if index % 2 else reversed(order):
                    await asyncio.sleep(pause_s)
                    answer = await connection.post_json(GRAPH, _body(program, next(runs)))
                    if answer.status != 200 or not answer.json().get("svg"):
                        raise RuntimeError(f"{label} answered {answer.status} for {program.name}")
                    times[label].append(answer.seconds * 1000)
            samples[program.name] = times
    finally:
        for connection in connections.values():
            await connection.close()
    return samples


def _body(program: Program, run: int) -> dict[str, object]:
    return {"code": with_run_leaf(program.code, run), "dot": True, "svg": True}


def main(argv: list[str] | None = None) -> int:
    """Start both servers, compare them, print the table, stop them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", type=Path, help="the other checkout's folder")
    parser.add_argument("--example", action="append", help="gallery example (default: all)")
    parser.add_argument("--rounds", type=int, default=100, help="requests per example and side")
    parser.add_argument("--pause-ms", type=float, default=5.0, help="pause before each request")
    args = parser.parse_args(argv)
    programs = [p for p in gallery() if not args.example or p.name in args.example]
    if not programs:
        parser.error(f"no gallery example named {args.example}")
    # Each checkout's code in this virtual environment.
    started = {
        "this checkout": live_server.start(),
        str(args.other): live_server.start(root=args.other.resolve()),
    }
    try:
        ports = {label: server.port for label, server in started.items()}
        samples = asyncio.run(_compare(programs, ports, args.rounds, args.pause_ms / 1000))
    finally:
        for server in started.values():
            live_server.stop(server)
    labels = list(started)
    rows = []
    for name, times in samples.items():
        ours, theirs = (statistics.median(times[label]) for label in labels)
        rows.append([name, f"{ours:.2f}", f"{theirs:.2f}", f"{ours / theirs:.3f}"])
    print(
        table(
            ["example", f"{labels[0]} p50 ms", f"{labels[1]} p50 ms", "ratio"],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
