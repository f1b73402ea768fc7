"""The app under uvicorn in a subprocess on 127.0.0.1: the live tests' server and the bench's.

Started as the README starts it (``python -m app.serve``) on a free port, with the
caller's settings on top of this process's environment; ready once ``/healthz`` says ``ok``.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
# The tests and the bench send everything from one address: the rate limit would answer 429,
# and the per-client cap on requests in flight would serve their concurrent clients in turn.
NO_RATE_LIMIT = {"AGV_RATE_LIMIT_PER_S": "0", "AGV_MAX_IN_FLIGHT_PER_CLIENT": "1000"}


@dataclass
class LiveServer:
    """A running server: its process, port, the settings it was given and how long it took."""

    process: subprocess.Popen[bytes]
    port: int
    env: dict[str, str]
    cold_start_s: float = 0.0

    @property
    def pid(self) -> int:
        """The server process id (uvicorn's Python process)."""
        return self.process.pid

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{HOST}:{self.port}"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port


def command(port: int | str, extra_args: Sequence[str] = (), root: Path = ROOT) -> list[str]:
    """The command that starts the server as ``scripts/serve.sh`` does (``python -m app.serve``:
    settings checked, head deadline, no proxy headers); plain uvicorn for an older checkout
    at ``root`` that has no ``app/serve.py`` (``bench.compare`` against a clone)."""
    if (root / "app" / "serve.py").exists():
        serve = [sys.executable, "-m", "app.serve", "--host", HOST]
    else:
        serve = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", HOST]
    return [*serve, "--port", str(port), *extra_args]


def start(
    env: Mapping[str, str] = NO_RATE_LIMIT,
    log_path: Path | None = None,
    extra_args: Sequence[str] = (),
    *,
    root: Path = ROOT,
    timeout_s: float = 120,
    port: int | None = None,
) -> LiveServer:
    """Start the server of the checkout at ``root`` (on ``port``, else a free one) and wait
    until /healthz says ``ok``."""
    port = port or free_port()
    log = open(log_path or os.devnull, "wb")  # noqa: SIM115 - the child holds it open
    started = time.perf_counter()
    process = subprocess.Popen(
        command(port, extra_args, root),
        cwd=root,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    server = LiveServer(process, port, dict(env))
    while time.perf_counter() - started < timeout_s:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}{_log_tail(log_path)}")
        with contextlib.suppress(OSError, ValueError, http.client.HTTPException):
            if healthz(port).get("status") == "ok":
                server.cold_start_s = time.perf_counter() - started
                return server
        time.sleep(0.02)
    stop(server)
    raise RuntimeError(f"server not ready within {timeout_s:g} s{_log_tail(log_path)}")


def stop(server: LiveServer) -> None:
    """Stop the server gracefully (it stops its workers), killing it if it hangs."""
    if server.process.poll() is None:
        server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=5)


@contextlib.contextmanager
def running(
    env: Mapping[str, str] = NO_RATE_LIMIT, log_path: Path | None = None
) -> Iterator[LiveServer]:
    """A server for the duration of a ``with`` block."""
    server = start(env, log_path)
    try:
        yield server
    finally:
        stop(server)


def healthz(port: int, timeout_s: float = 2.0) -> dict[str, Any]:
    """GET /healthz, parsed."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout_s)
    try:
        connection.request("GET", "/healthz")
        answer: dict[str, Any] = json.loads(connection.getresponse().read())
        return answer
    finally:
        connection.close()


def zygote_pid(server_pid: int) -> int | None:
    """The server's child that forks the workers (``app.zygote``)."""
    return next(iter(_children(server_pid, "app.zygote")), None)


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


def _log_tail(log_path: Path | None) -> str:
    if log_path is None:
        return ""
    return ":\n" + log_path.read_text(errors="replace")[-3000:]
