"""Workers forked from the zygote: what each one holds, and how the pool heals around them."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.workers.pool import WorkerPool
from tests.conftest import uvicorn_server
from tests.event_loop import run

DRAW = "x = torch.randn(4, requires_grad=True)\nprint(x.tolist())\n"


@asynccontextmanager
async def running_pool(**overrides: Any) -> AsyncIterator[WorkerPool]:
    pool = WorkerPool(Settings(**{"workers": 2, **overrides}))
    await pool.start()
    try:
        yield pool
    finally:
        await pool.close()


def _status(pid: int, field: str) -> str:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return line.split(":", 1)[1].strip()
    raise KeyError(field)


def _children(pid: int) -> list[int]:
    """Child processes of ``pid``, whichever of its threads started them."""
    children: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as listed:
            children += [int(child) for child in listed.read().split()]
    return children


def _worker_pids(pool: WorkerPool) -> list[int]:
    return sorted(worker.process.pid for worker in pool._all)


def _eventually(check: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_workers_are_children_of_the_zygote_not_of_the_server() -> None:
    async def scenario() -> None:
        async with running_pool() as pool:
            zygote = pool._zygote.pid
            assert zygote is not None
            assert zygote in _children(os.getpid())
            assert sorted(_children(zygote)) == _worker_pids(pool)
            for pid in _worker_pids(pool):
                assert _status(pid, "Threads") == "1"
                if os.geteuid() == 0:
                    assert _status(pid, "Uid").split()[0] == "65534"  # dropped to nobody
                    assert _status(zygote, "Uid").split()[0] == "0"

    run(scenario())


def test_a_worker_holds_only_stdio_and_its_own_socket() -> None:
    """No worker inherits the zygote's control socket or another worker's channel."""

    async def scenario() -> None:
        async with running_pool() as pool:
            zygote = pool._zygote.pid
            assert zygote is not None
            zygote_fds = {
                os.readlink(f"/proc/{zygote}/fd/{fd}") for fd in os.listdir(f"/proc/{zygote}/fd")
            }
            sockets: list[str] = []
            for pid in _worker_pids(pool):
                fds = {
                    int(fd): os.readlink(f"/proc/{pid}/fd/{fd}")
                    for fd in os.listdir(f"/proc/{pid}/fd")
                }
                assert [fds[fd] for fd in (0, 1, 2)] == ["/dev/null"] * 3
                others = {target for fd, target in fds.items() if fd > 2}
                assert len(others) == 1 and others.pop().startswith("socket:")
                assert not zygote_fds & {fds[fd] for fd in fds if fd > 2}
                sockets.append(fds[3])
            assert len(set(sockets)) == len(sockets)

    run(scenario())


def test_workers_forked_from_one_zygote_draw_different_random_numbers() -> None:
    async def scenario() -> None:
        async with running_pool() as pool:
            first, second = await asyncio.gather(pool.evaluate(DRAW), pool.evaluate(DRAW))
            assert first.ok and second.ok
            assert first.stdout != second.stdout

    run(scenario())


def test_killed_workers_are_reaped_and_replaced() -> None:
    async def scenario() -> None:
        async with running_pool() as pool:
            zygote = pool._zygote.pid
            assert zygote is not None
            victims = _worker_pids(pool)
            for pid in victims:
                os.kill(pid, signal.SIGKILL)
            assert _eventually(lambda: all(w.process.exited for w in pool._all))
            for _ in range(4):  # each dead worker is noticed, replaced, never handed the program
                record = await pool.evaluate("y = torch.ones(2, requires_grad=True) * 3")
                assert record.ok, record.error
            await asyncio.sleep(0.1)
            assert pool.state()["alive"] == 2
            assert not set(victims) & set(_worker_pids(pool))
            # the zygote reaped them: no zombie is left under it
            assert _eventually(lambda: sorted(_children(zygote)) == _worker_pids(pool))

    run(scenario())


def test_a_dead_zygote_is_started_again_when_a_worker_is_needed() -> None:
    async def scenario() -> None:
        # a new zygote warms up for about 2 s: let the request wait for it
        async with running_pool(workers=1, queue_wait_s=60.0) as pool:
            old = pool._zygote.pid
            assert old is not None
            os.kill(old, signal.SIGKILL)
            # the worker it forked earlier keeps serving
            assert (await pool.evaluate("print(1)")).stdout == "1\n"
            # its worker dies: the replacement comes from a new zygote
            for worker in list(pool._all):
                os.kill(worker.process.pid, signal.SIGKILL)
            assert _eventually(lambda: all(w.process.exited for w in pool._all))
            record = await pool.evaluate("print(2)")
            assert record.stdout == "2\n", record.error
            assert pool._zygote.pid not in (None, old)
            assert pool._zygote.starts == 2

    run(scenario())


@pytest.mark.parametrize("workers", [1, 3])
def test_pool_close_stops_the_zygote_and_every_worker(workers: int) -> None:
    async def scenario() -> list[int]:
        async with running_pool(workers=workers) as pool:
            zygote = pool._zygote.pid
            assert zygote is not None
            pids = [zygote, *_worker_pids(pool)]
            assert len(pids) == workers + 1
        return pids

    pids = run(scenario())
    assert _eventually(lambda: not any(os.path.exists(f"/proc/{pid}") for pid in pids))


def test_a_killed_server_leaves_no_zygote_or_worker_behind(tmp_path: Path) -> None:
    """SIGKILL gives the server no chance to clean up: its sockets closing must end the rest."""
    with uvicorn_server(tmp_path / "uvicorn.log") as (server, _):
        zygotes = [pid for pid in _children(server.pid) if b"app.zygote" in _cmdline(pid)]
        assert len(zygotes) == 1
        workers = _children(zygotes[0])
        assert len(workers) == Settings().workers
        server.kill()
        server.wait()
        left = [zygotes[0], *workers]
        assert _eventually(lambda: not any(_running(pid) for pid in left)), left


def _cmdline(pid: int) -> bytes:
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        return cmdline.read()


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie waits only for its parent to reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
