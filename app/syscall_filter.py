"""The seccomp filter of every process that handles what a program made: the workers
(``app/workers/lockdown.py``, last of their limits) and the drawing processes
(``app/draw/drawing_process.py``, once Graphviz's library is loaded).

It denies making processes, every socket call, changing the file system, opening a file for
writing, and the calls that widen a sandbox; threads and reading files stay allowed.
"""

from __future__ import annotations

import errno
import logging
import os
from types import ModuleType

log = logging.getLogger(__name__)

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
