"""The operating-system wall around a worker: resource limits, an unprivileged user, seccomp.

``plan_os_limits`` is a pure function from settings to the limits (unit-tested without starting
anything); ``apply_os_limits`` installs them in the worker after torch is imported and warmed,
in this order: resource limits, then dropping root, then the seccomp filter (last, because
changing user needs system calls the filter denies).
"""

from __future__ import annotations

import ctypes
import logging
import os
import resource
import signal
from dataclasses import dataclass

from app.syscall_filter import install_seccomp, load_seccomp

log = logging.getLogger(__name__)

NOBODY = 65534
_PR_SET_DUMPABLE = 4


@dataclass(frozen=True)
class OsLimits:
    """What the OS enforces in one worker."""

    address_space_bytes: int
    cpu_seconds_per_eval: int
    file_size_bytes: int
    open_files: int
    processes: int
    drop_to_uid: int | None
    seccomp: bool
    eval_timeout_s: float = 5.0  # the wall-clock limit of one program (the pool enforces it)


def plan_os_limits(
    memory_mb: int, eval_timeout_s: float, *, running_as_root: bool, seccomp: bool = True
) -> OsLimits:
    """Turn settings into limits; pure, so a test can check the plan without starting a worker."""
    return OsLimits(
        address_space_bytes=memory_mb * 1024 * 1024,
        # CPU time backs up the parent's wall clock: one thread, so CPU <= wall, plus slack.
        cpu_seconds_per_eval=int(eval_timeout_s) + 2,
        file_size_bytes=0,
        open_files=64,
        # RLIMIT_NPROC counts every task of the user, and does nothing for root: hence the
        # unprivileged user. Zero new tasks: the warm worker already has the threads it needs.
        processes=0,
        drop_to_uid=NOBODY if running_as_root else None,
        seccomp=seccomp,
        eval_timeout_s=eval_timeout_s,
    )


def apply_os_limits(limits: OsLimits) -> list[str]:
    """Install ``limits`` in this process; return the layers that could not be installed."""
    missing: list[str] = []
    seccomp = load_seccomp() if limits.seccomp else None  # finding libseccomp runs ldconfig
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past RLIMIT_FSIZE fails with EFBIG
    _set(resource.RLIMIT_AS, limits.address_space_bytes)
    _set(resource.RLIMIT_FSIZE, limits.file_size_bytes)
    _set(resource.RLIMIT_NOFILE, limits.open_files)
    _set(resource.RLIMIT_CORE, 0)
    if not make_undumpable():
        missing.append("undumpable")
    if limits.drop_to_uid is not None:
        os.setgroups([])
        os.setgid(limits.drop_to_uid)
        os.setuid(limits.drop_to_uid)
    if os.geteuid() != 0:
        _set(resource.RLIMIT_NPROC, limits.processes)
    else:
        missing.append("nproc (running as root)")
    if limits.seccomp and (seccomp is None or not install_seccomp(seccomp)):
        missing.append("seccomp")
    return missing


def make_undumpable() -> bool:
    """Forbid other processes of our user to read our memory (``/proc/<pid>/mem``) or ptrace us.

    The server calls this at start (workers may run under its user, as in the Docker image),
    and each worker too, so one worker cannot read another's programs.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def start_cpu_budget(limits: OsLimits) -> None:
    """Before each evaluation: allow this much more CPU time (SIGXCPU then kills the worker)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime) + 1
    soft = spent + limits.cpu_seconds_per_eval
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _set(kind: int, value: int) -> None:
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value))
