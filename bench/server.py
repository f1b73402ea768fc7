"""Start the real server (uvicorn in a subprocess) and look at its processes through /proc."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.client import LOOPBACK

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ZYGOTE_MARK = "app.zygote"
# The per-client rate limit would answer 429 to a benchmark that sends everything from one
# address; every other setting is the shipped default unless a caller overrides it.
BENCH_ENV = {"AGV_RATE_LIMIT_PER_S": "0"}


@dataclass
class Server:
    """A running server: its process, port, and how long it took to become ready."""

    process: subprocess.Popen[bytes]
    port: int
    cold_start_s: float
    env: dict[str, str]

    @property
    def pid(self) -> int:
        """The server process id (uvicorn's Python process)."""
        return self.process.pid


@dataclass(frozen=True)
class Memory:
    """Resident, proportional (shared pages split among their users) and private memory, MiB."""

    rss_mb: float
    pss_mb: float
    uss_mb: float


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def server_command(port: int, extra_args: Sequence[str] = ()) -> list[str]:
    """The command that starts the server, as in the README (uvicorn's defaults otherwise)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        *extra_args,
    ]


def start_server(
    overrides: Mapping[str, str] | None = None,
    log_path: Path | None = None,
    extra_args: Sequence[str] = (),
    timeout_s: float = 120,
) -> Server:
    """Start uvicorn with the bench environment and wait until /healthz says ``ok``."""
    port = free_port()
    env_changes = {**BENCH_ENV, **(overrides or {})}
    env = {**os.environ, **env_changes}
    log = open(log_path or os.devnull, "wb")  # noqa: SIM115 - the child holds it open
    started = time.perf_counter()
    process = subprocess.Popen(
        server_command(port, extra_args),
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    server = Server(process, port, 0.0, env_changes)
    while time.perf_counter() - started < timeout_s:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} during start-up")
        with contextlib.suppress(OSError, ValueError):
            if healthz(port).get("status") == "ok":
                server.cold_start_s = time.perf_counter() - started
                return server
        time.sleep(0.02)
    stop_server(server)
    raise RuntimeError(f"server not ready after {timeout_s} s")


def stop_server(server: Server) -> None:
    """Stop the server gracefully (it stops its workers), killing it if it hangs."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@contextlib.contextmanager
def running_server(
    overrides: Mapping[str, str] | None = None, log_path: Path | None = None
) -> Iterator[Server]:
    """A server for the duration of a ``with`` block."""
    server = start_server(overrides, log_path)
    try:
        yield server
    finally:
        stop_server(server)


def healthz(port: int, timeout_s: float = 2.0) -> dict[str, Any]:
    """GET /healthz, parsed."""
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout_s)
    try:
        connection.request("GET", "/healthz")
        answer: dict[str, Any] = json.loads(connection.getresponse().read())
        return answer
    finally:
        connection.close()


def zygote_pid(server_pid: int) -> int | None:
    """The server's child that forks the workers (``app.zygote``)."""
    return next(iter(_children(server_pid, ZYGOTE_MARK)), None)


def worker_pids(server_pid: int) -> list[int]:
    """The workers: every child of the zygote."""
    zygote = zygote_pid(server_pid)
    return _children(zygote) if zygote is not None else []


def _children(parent: int, mark: str = "") -> list[int]:
    """Children of ``parent`` whose command line contains ``mark``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        # The command name in stat may contain spaces; the parent id follows the closing ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and mark in cmdline:
            pids.append(int(entry.name))
    return sorted(pids)


def memory(pid: int) -> Memory:
    """RSS and USS (private clean + private dirty) from /proc/<pid>/smaps_rollup."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        value = rest.split()
        if value and value[0].isdigit():
            fields[name.strip()] = int(value[0])
    private_kb = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return Memory(
        round(fields.get("Rss", 0) / 1024, 1),
        round(fields.get("Pss", 0) / 1024, 1),
        round(private_kb / 1024, 1),
    )


def cpu_seconds(pid: int, *, reaped_children: bool = False) -> float:
    """User + system CPU time of a process, plus that of its children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the ')', state is index 0: utime, stime, cutime, cstime are indexes 11 to 14.
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(server_pid: int) -> float:
    """CPU time of the server, the zygote, its live workers, and the workers already replaced."""
    total = cpu_seconds(server_pid, reaped_children=True)
    zygote = zygote_pid(server_pid)
    if zygote is not None:
        with contextlib.suppress(OSError):
            total += cpu_seconds(zygote, reaped_children=True)
    for pid in worker_pids(server_pid):
        with contextlib.suppress(OSError):
            total += cpu_seconds(pid)
    return total
