"""A worker's private memory after a large graph (app/workers/worker.py, app/workers/pool.py):
the heap it freed is given back to the system, and a worker that programs grew by more than
``worker_max_growth_mb`` is replaced by a fresh one (read from /proc of the real worker)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.config import Settings
from app.workers.pool import WorkerPool
from app.workers.worker import TRIM_AFTER_GROWTH_MB
from bench.programs import chain  # ``ops`` multiplications: about two nodes each
from tests.event_loop import run

MIB = 1024  # KiB
REPO = Path(__file__).resolve().parents[2]
SLACK_S = 60.0  # the time limit, far off: a busy machine must not stop the large graph


def private_kb(pid: int) -> int:
    """What the process alone holds (its USS): Private_Clean + Private_Dirty, KiB."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        fields[name] = int(rest.split()[0])
    return fields["Private_Clean"] + fields["Private_Dirty"]


def only_worker(pool: WorkerPool) -> tuple[int, float]:
    """The pid of the pool's one worker and its resident memory when it was ready, MiB."""
    (worker,) = pool._all
    return worker.process.pid, worker.start_rss_mb


_FREED_HEAP = """
from app.workers.worker import rss_mb, trim_heap_if_grown

before = rss_mb()
blocks = [bytearray(1000) for _ in range(64 * 1024)]
survivors = blocks[::64]
del blocks
grown = rss_mb()
assert grown - before > 32, (before, grown)  # the freed buffers are still this process's
assert trim_heap_if_grown(grown) == grown  # no growth since ``grown``: nothing to do
baseline = trim_heap_if_grown(before)
trimmed = rss_mb()
assert len(survivors) == 1024
assert trimmed - before < (grown - before) / 4, (before, grown, trimmed)  # back with the system
assert abs(baseline - trimmed) < 1  # the next trim waits for growth past this
"""


def test_the_heap_a_program_freed_is_given_back_once_it_grew_enough() -> None:
    """What a large graph leaves in a worker: 64 MiB of malloc'd buffers (past pymalloc's 512
    bytes), freed but for one in 64, which keeps glibc from shrinking its heap by itself. In a
    fresh process: in this one, buffers that earlier tests freed would be reused."""
    done = subprocess.run(
        [sys.executable, "-c", _FREED_HEAP],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_worker_a_large_graph_grew_is_replaced_by_a_fresh_one() -> None:
    async def scenario() -> None:
        pool = WorkerPool(Settings(workers=1, eval_timeout_s=SLACK_S))  # the default growth limit
        await pool.start()
        try:
            assert (await pool.evaluate("x = 1")).ok
            first, start_rss_mb = only_worker(pool)
            fresh_kb = private_kb(first)
            big = await pool.evaluate(chain(5000))  # about 10,000 nodes
            await pool._respawns.finish(60)  # the successor is warm, the grown worker stopped
            assert (await pool.evaluate("x = 2")).ok
            second, _ = only_worker(pool)
            idle_kb = private_kb(second)
            restarts = pool.state()["restarts"]
        finally:
            await pool.close()
        assert big.ok and big.error is None
        assert big.worker_rss_mb - start_rss_mb > Settings().worker_max_growth_mb
        assert (second != first, restarts) == (True, 1)
        # The worker that serves now holds about what a fresh worker holds, not the tens of
        # MiB the large graph left behind in the one it ran in.
        assert idle_kb < fresh_kb + TRIM_AFTER_GROWTH_MB * MIB

    run(scenario())


def test_the_one_number_previews_a_program_made_are_let_go_when_it_ends() -> None:
    """The previews cached for a program's one-number tensors (each step of a chain saves its
    constant) are forgotten with the program: kept, they pinned about 35 MiB of the worker's
    arenas after a 20,000-node graph."""
    from app.evaluate import evaluate
    from app.walk import preview

    code = "x = torch.tensor(1.0, requires_grad=True)\ny = x\nfor i in range(300):\n    y = y * (1 + i / 1000)\n"
    record = evaluate(code)
    assert record.error is None and record.graph is not None
    assert {n["value"]["text"] for n in record.graph["nodes"] if n.get("name") == "y"}
    assert preview._ONE_NUMBER == {}
