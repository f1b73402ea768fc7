"""The operating-system wall around a worker: resource limits, an unprivileged user, seccomp.

``plan_os_limits`` is a pure function from settings to the limits (unit-tested without starting
anything); ``apply_os_limits`` installs them in the worker after torch is imported and warmed,
in this order: resource limits, then dropping root, then the seccomp filter (last, because
changing user needs system calls the filter denies).
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import resource
import signal
from dataclasses import dataclass
from types import ModuleType

log = logging.getLogger(__name__)

NOBODY = 65534
_PR_SET_DUMPABLE = 4
_CLONE_THREAD = 0x00010000

# System calls a program has no business making. Denied with EPERM (the worker lives on and
# the program gets an error); a few with ENOSYS so libc falls back to a call we can filter.
DENIED_SYSCALLS = (
    # processes and other programs
    "execve",
    "execveat",
    "fork",
    "vfork",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kill",
    "tkill",
    "pidfd_open",
    "pidfd_send_signal",
    "pidfd_getfd",
    # network
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "sendto",
    "sendmsg",
    "sendmmsg",
    # changing the file system
    "creat",
    "rename",
    "renameat",
    "renameat2",
    "unlink",
    "unlinkat",
    "mkdir",
    "mkdirat",
    "rmdir",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "chmod",
    "fchmod",
    "fchmodat",
    "chown",
    "fchown",
    "lchown",
    "fchownat",
    "truncate",
    "ftruncate",
    "mknod",
    "mknodat",
    "utimensat",
    # escaping or widening the sandbox
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "bpf",
    "perf_event_open",
    "keyctl",
    "add_key",
    "request_key",
    "userfaultfd",
    "io_uring_setup",
    "memfd_create",
    "setuid",
    "setgid",
    "setreuid",
    "setregid",
    "setresuid",
    "setresgid",
    "setgroups",
    "personality",
    "seccomp",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "reboot",
    "swapon",
    "swapoff",
    "sethostname",
    "setdomainname",
    "acct",
    "quotactl",
)


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


def load_seccomp() -> ModuleType | None:
    """The pyseccomp module, or None where libseccomp is missing (importing it runs ldconfig)."""
    try:
        import pyseccomp
    except (ImportError, OSError, RuntimeError) as exc:  # libseccomp missing
        log.warning("seccomp unavailable: %s", exc)
        return None
    module: ModuleType = pyseccomp
    return module


def install_seccomp(sc: ModuleType) -> bool:
    """Deny process, network and file-changing system calls; False where the kernel can't."""
    try:
        rules = sc.SyscallFilter(defaction=sc.ALLOW)
        for name in DENIED_SYSCALLS:
            try:
                rules.add_rule(sc.ERRNO(errno.EPERM), name)
            except (RuntimeError, ValueError, OSError):  # not a system call on this architecture
                continue
        # Threads yes, processes no: clone without CLONE_THREAD is fork.
        rules.add_rule(sc.ERRNO(errno.EPERM), "clone", sc.Arg(0, sc.MASKED_EQ, _CLONE_THREAD, 0))
        rules.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")  # glibc falls back to clone
        for flag in (os.O_WRONLY, os.O_RDWR, os.O_CREAT, os.O_TRUNC, os.O_APPEND):
            rules.add_rule(sc.ERRNO(errno.EPERM), "openat", sc.Arg(2, sc.MASKED_EQ, flag, flag))
            rules.add_rule(sc.ERRNO(errno.EPERM), "open", sc.Arg(1, sc.MASKED_EQ, flag, flag))
        rules.add_rule(sc.ERRNO(errno.EPERM), "openat2")  # its flags live in a struct
        rules.load()
    except (RuntimeError, ValueError, OSError) as exc:
        log.warning("seccomp filter not installed: %s", exc)
        return False
    return True
