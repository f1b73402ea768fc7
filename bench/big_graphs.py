"""Issue 15's server targets: large graphs come back whole and compact, a long loop costs a
few times plain PyTorch. Each program is sent as a browser sends it (gzip accepted) with a
new leaf a run, so no cache answers; the wire's bytes are the compressed body's."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import json
from collections import Counter
from dataclasses import dataclass, field

from bench import inprocess
from bench.client import GRAPH, HttpConnection, HttpResponse
from bench.programs import chain, cnn_training, polynomial_fit, sin_chain, with_run_leaf
from bench.report import progress

# name, program, whether plain PyTorch's time for it is measured too (the loop's ratio).
BIG_PROGRAMS: tuple[tuple[str, str, bool], ...] = (
    ("chain 10,000 ops (y * 1.001)", chain(10_000), False),
    ("chain 10,000 ops (torch.sin)", sin_chain(10_000), False),
    ("chain 11,000 ops (over the node limit)", chain(11_000), False),
    ("polynomial fit, 2,000 iterations", polynomial_fit(2000), True),
    ("CNN training loop (LeNet, 12 passes)", cnn_training(), True),
)


@dataclass
class BigResult:
    """One program of ``BIG_PROGRAMS``: every run's outcome, and the clean runs' figures."""

    name: str
    outcomes: Counter[str] = field(default_factory=Counter)
    e2e_ms: list[float] = field(default_factory=list)
    wire_bytes: list[int] = field(default_factory=list)  # gzip, as sent
    nodes: int = 0
    truncated: bool = False
    plain_ms: list[float] = field(default_factory=list)  # plain PyTorch, in this process

    @property
    def clean(self) -> bool:
        """Whether every run was answered with a graph and its picture, no error."""
        return bool(self.outcomes) and set(self.outcomes) <= {"ok", "truncated"}


async def _served(connection: HttpConnection, code: str, tries: int = 10) -> HttpResponse:
    """POST (gzip accepted, DOT and SVG asked) until the answer is not `429` or `503`."""
    answer = None
    for _ in range(tries):
        answer = await connection.post_json(
            GRAPH, {"code": code, "dot": True, "svg": True}, {"Accept-Encoding": "gzip"}
        )
        if answer.status not in (429, 503):
            return answer
        await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
    assert answer is not None
    return answer


async def measure_big(port: int, repeats: int, runs: itertools.count[int]) -> list[BigResult]:
    """Each program of ``BIG_PROGRAMS`` ``repeats`` times over HTTP (``runs`` numbers the new
    leaves)."""
    connection = HttpConnection(port, timeout_s=120)
    results = []
    for name, code, with_plain in BIG_PROGRAMS:
        result = BigResult(name)
        for _ in range(repeats):
            answer = await _served(connection, with_run_leaf(code, next(runs)))
            result.outcomes.update([_outcome(answer, result)])
        if with_plain:
            result.plain_ms = inprocess.floor_ms(code, repeats, warmup=1)
        results.append(result)
        progress(f"big graphs: {name}")
    await connection.close()
    return results


def _outcome(answer: HttpResponse, result: BigResult) -> str:
    """What one run ended as; a clean run's time, size and graph noted in ``result``."""
    if answer.status != 200:
        return f"status {answer.status}"
    plain = answer.body
    if answer.headers.get("content-encoding") == "gzip":
        plain = gzip.decompress(plain)
    body = json.loads(plain)
    if body["error"] or body["render_error"] or not body["svg"]:
        return body["error"]["type"] if body["error"] else "render error"
    result.e2e_ms.append(answer.seconds * 1000)
    result.wire_bytes.append(len(answer.body))
    result.nodes = len(body["nodes"])
    result.truncated = bool(body["truncated"])
    return "truncated" if result.truncated else "ok"
