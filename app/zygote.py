"""The zygote: imports and warms torch once, then forks a worker whenever the server asks.

Starting a worker from scratch costs about 2 s (``import torch``, warm-up) and 210 MiB of
private memory. A worker forked from a warm process starts in about 10 ms and shares
torch's pages with the zygote and every other worker, copy-on-write: an idle worker holds
a few MiB of its own. The zygote itself never runs user code and never talks to a worker.

Protocol, on the Unix socket whose descriptor the server passes as ``argv[2]`` (``argv[1]``
is the workers' ``OsLimits`` as JSON):

* the zygote writes ``{"ready": true, "pid": ...}`` once it is warm;
* the server writes ``spawn`` and a newline; the zygote forks a worker and answers
  ``{"pid": ...}`` with two descriptors attached: the server's end of a socket pair to the
  worker (the worker protocol of ``app/workers/worker.py``) and a pidfd for the worker, so
  the server can watch and kill it without a pid-reuse race;
* end of file: the zygote exits (its workers end when the server closes their sockets).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys

from app.syscall_filter import load_seccomp
from app.workers.lockdown import OsLimits, make_undumpable
from app.workers.worker import prepare, serve

SPAWN = b"spawn\n"
_CHANNEL_FD = 3  # a worker's socket to the server; 0-2 are /dev/null


def main() -> None:
    """Warm up, then fork workers on request until the server closes the control socket."""
    os_limits = OsLimits(**json.loads(sys.argv[1])) if sys.argv[1] != "null" else None
    control = socket.socket(fileno=int(sys.argv[2]))
    make_undumpable()
    prepare()
    if os_limits is not None and os_limits.seccomp:
        load_seccomp()  # finding libseccomp runs ldconfig: once here, not in every worker
    signal.signal(signal.SIGCHLD, _reap)
    control.sendall(_line({"ready": True, "pid": os.getpid()}))
    requests = control.makefile("rb")
    for request in requests:
        if request != SPAWN:
            break
        _spawn(control, os_limits)


def _spawn(control: socket.socket, os_limits: OsLimits | None) -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    # No reaping between fork and pidfd_open: the pid must still name our child.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    try:
        pid = os.fork()
        if pid == 0:
            _become_worker(control, ours, theirs, os_limits)
        pidfd = os.pidfd_open(pid)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    ours.close()
    try:
        socket.send_fds(control, [_line({"pid": pid})], [theirs.fileno(), pidfd])
    finally:
        theirs.close()
        os.close(pidfd)


def _become_worker(
    control: socket.socket, ours: socket.socket, theirs: socket.socket, limits: OsLimits | None
) -> None:
    """In the child: keep only stdio and our end of the socket pair, serve, never return."""
    code = 0
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        theirs.close()
        control.detach()  # its descriptor goes below, with every other one but ours
        os.dup2(ours.detach(), _CHANNEL_FD)
        os.closerange(_CHANNEL_FD + 1, os.sysconf("SC_OPEN_MAX"))
        # Plain read(2)/write(2) on the socket (socket.makefile would send(2), which seccomp denies).
        with (
            open(os.dup(_CHANNEL_FD), "rb") as requests,
            open(_CHANNEL_FD, "wb", buffering=0) as replies,
        ):
            serve(requests, replies, limits)
    except BaseException:  # noqa: BLE001 - a worker never unwinds into the zygote's loop
        code = 1
    finally:
        os._exit(code)


def _reap(_signum: int, _frame: object) -> None:
    reaped = 1
    with contextlib.suppress(ChildProcessError):
        while reaped > 0:
            reaped = os.waitpid(-1, os.WNOHANG)[0]


def _line(message: dict[str, object]) -> bytes:
    return json.dumps(message).encode() + b"\n"


if __name__ == "__main__":
    main()
