"""The server's side of the zygote: start it, ask it for workers, watch and kill them.

A worker is not the server's child (the zygote forked it), so it is tracked by a pidfd:
readable once the worker has exited, and a safe target for SIGKILL even after its pid has
been reused.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import signal
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_PROJECT_ROOT = Path(__file__).resolve().parents[2]
# A reply line past the graph's byte limit cannot be a worker's honest answer: beside the graph
# (at most ``Limits.max_graph_bytes``) a record's head holds at most 20,000 characters of
# output, escaped, and a short error.
_HEAD_ALLOWANCE_BYTES = 2 * 1024 * 1024
_SPAWN = b"spawn\n"


class SpawnError(RuntimeError):
    """The zygote could not start a worker (it died, hung or answered nonsense)."""


@dataclass(eq=False)
class WorkerProcess:
    """One forked worker: its pid, a pidfd to watch and kill it, and its protocol stream."""

    pid: int
    pidfd: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    hello: dict[str, Any] = field(default_factory=dict)  # its ready message

    @property
    def exited(self) -> bool:
        """Whether the worker has ended (a pidfd is readable once its process has exited)."""
        if self.pidfd < 0:
            return True
        readable, _, _ = select.select([self.pidfd], [], [], 0)
        return bool(readable)

    def kill(self) -> None:
        """SIGKILL the worker (a no-op once it is gone)."""
        if self.pidfd >= 0:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)

    async def wait(self) -> None:
        """Wait until the worker has exited, then release its descriptors."""
        if self.pidfd < 0:
            return
        if not self.exited:
            loop = asyncio.get_running_loop()
            gone: asyncio.Future[None] = loop.create_future()

            def on_exit() -> None:
                if not gone.done():
                    gone.set_result(None)

            loop.add_reader(self.pidfd, on_exit)
            try:
                await gone
            finally:
                loop.remove_reader(self.pidfd)
        os.close(self.pidfd)
        self.pidfd = -1
        self.writer.close()


class Zygote:
    """A warm process that forks workers (``app/zygote.py``)."""

    def __init__(self, os_limits_json: str, start_timeout_s: float, max_graph_bytes: int) -> None:
        self._os_limits = os_limits_json
        self._timeout = start_timeout_s
        self._max_line_bytes = max_graph_bytes + _HEAD_ALLOWANCE_BYTES
        self._process: asyncio.subprocess.Process | None = None
        self._control: socket.socket | None = None
        self._lock = asyncio.Lock()
        self.starts = 0

    @property
    def pid(self) -> int | None:
        """The zygote's pid while it runs."""
        return self._process.pid if self._process is not None else None

    async def spawn(self) -> WorkerProcess:
        """A new worker, ready for its first request; restarts a dead zygote first."""
        async with self._lock:
            if (
                self._control is None
                or self._process is None
                or self._process.returncode is not None
            ):
                await self._start()
            assert self._control is not None
            fork = asyncio.ensure_future(asyncio.to_thread(self._fork, self._control))
            try:
                pid, (worker_fd, pidfd) = await asyncio.shield(fork)
            except asyncio.CancelledError:
                fork.add_done_callback(_discard_fork)  # the fork goes on: kill what it makes
                raise
            except (OSError, ValueError, SpawnError):
                await self.close()  # a broken zygote: the next spawn starts a fresh one
                raise
        sock = socket.socket(fileno=worker_fd)
        try:
            reader, writer = await asyncio.open_unix_connection(
                sock=sock, limit=self._max_line_bytes
            )
        except BaseException:
            sock.close()
            _kill_and_close(pidfd)
            raise
        worker = WorkerProcess(pid, pidfd, reader, writer)
        try:
            hello = await asyncio.wait_for(reader.readline(), self._timeout)
            worker.hello = json.loads(hello or b"{}")
            if not worker.hello.get("ready"):
                raise SpawnError("worker exited during start-up")
        except BaseException:
            worker.kill()
            await worker.wait()
            raise
        return worker

    async def close(self) -> None:
        """Stop the zygote (its workers are stopped by the pool)."""
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._process is not None:
            if self._process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    self._process.kill()
            with contextlib.suppress(Exception):
                await self._process.wait()
            self._process = None

    async def _start(self) -> None:
        await self.close()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "app.zygote",
                self._os_limits,
                str(theirs.fileno()),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                cwd=_PROJECT_ROOT,
                env=_worker_env(),
            )
        finally:
            theirs.close()
        self._control = ours
        self.starts += 1
        hello = await asyncio.to_thread(_read_line, ours, self._timeout)
        if not hello.get("ready"):
            await self.close()
            raise SpawnError("the zygote exited during start-up")

    def _fork(self, control: socket.socket) -> tuple[int, list[int]]:
        """Blocking: ask for one worker; its pid and [socket to it, pidfd]."""
        control.settimeout(self._timeout)
        control.sendall(_SPAWN)
        message, fds, _flags, _addr = socket.recv_fds(control, 4096, 2)
        if len(fds) != 2 or not message.endswith(b"\n"):
            for fd in fds:
                os.close(fd)
            raise SpawnError("the zygote did not hand over a worker")
        answer: dict[str, Any] = json.loads(message)
        return int(answer["pid"]), fds


def _discard_fork(fork: asyncio.Future[tuple[int, list[int]]]) -> None:
    if not fork.cancelled() and fork.exception() is None:
        worker_fd, pidfd = fork.result()[1]
        os.close(worker_fd)
        _kill_and_close(pidfd)


def _kill_and_close(pidfd: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        signal.pidfd_send_signal(pidfd, signal.SIGKILL)
    os.close(pidfd)


def _read_line(sock: socket.socket, timeout_s: float) -> dict[str, Any]:
    sock.settimeout(timeout_s)
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            return {}
        data += chunk
    answer: dict[str, Any] = json.loads(data)
    return answer


def _worker_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    env.update(PYTHONPATH=str(_PROJECT_ROOT), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env
