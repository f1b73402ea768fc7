"""Memory and CPU time of the server's processes, read from /proc."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from tools.live_server import worker_pids, zygote_pid


@dataclass(frozen=True)
class Memory:
    """Resident, proportional (shared pages split among their users) and private memory, MiB."""

    rss_mb: float
    pss_mb: float
    uss_mb: float


def memory(pid: int) -> Memory:
    """RSS, PSS and USS (private clean + private dirty) from /proc/<pid>/smaps_rollup."""
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


def _stat(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name (which may hold spaces): state is index 0."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def start_ticks(pid: int) -> int:
    """When the process started, in clock ticks since boot (a process gone: the latest)."""
    try:
        return int(_stat(pid)[19])
    except (OSError, IndexError, ValueError):
        return 2**62


def cpu_seconds(pid: int, *, reaped_children: bool = False) -> float:
    """User + system CPU time of a process, plus that of its children it has waited for."""
    fields = _stat(pid)
    # utime, stime, cutime, cstime are indexes 11 to 14.
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
