"""docs/benchmarks.md: the machine and versions, and the blocks each bench script regenerates.

Each script owns one block between ``<!-- begin NAME -->`` and ``<!-- end NAME -->`` and
replaces only that; everything outside the blocks (the method, the analysis) is written by
hand and kept.
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import shlex
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from bench.stats import table
from tools.live_server import ROOT

DOC_PATH = ROOT / "docs" / "benchmarks.md"


def progress(message: str) -> None:
    """One line on stderr, so a long run shows where it is."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def write_block(name: str, content: str, path: Path = DOC_PATH) -> None:
    """Replace block ``name`` in ``path`` (creating the file, or appending the block, if needed)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
    block = f"{begin}\n{content.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = (text.rstrip() + "\n\n" + block).lstrip() + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def command_line() -> str:
    """How this script was invoked, as a shell command from the project root."""
    module = Path(sys.argv[0]).stem
    return shlex.join([".venv/bin/python", "-m", f"bench.{module}", *sys.argv[1:]])


class CpuMeter:
    """How much CPU the rest of the machine used while the bench ran (a noise gauge).

    Busy time of all cores from /proc/stat, minus this process's and its waited-for
    descendants' CPU time (the servers the bench started, their workers, `dot`).
    """

    def __init__(self) -> None:
        self.load_before = os.getloadavg()
        self._started = time.perf_counter()
        self._busy = _system_busy_s()
        self._own = _own_cpu_s()

    def others(self) -> str:
        """CPU-seconds used by other processes so far, and their share of the machine."""
        wall = time.perf_counter() - self._started
        other = max(0.0, (_system_busy_s() - self._busy) - (_own_cpu_s() - self._own))
        cores = len(os.sched_getaffinity(0))
        return f"{other:.0f} CPU-s over {wall:.0f} s ({other / (wall * cores):.0%} of the machine)"


def _system_busy_s() -> float:
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def machine_table(meter: CpuMeter) -> str:
    """The machine, the versions and the code that were measured, and how quiet it was."""
    rows = [
        ("date (UTC)", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M")),
        ("command", f"`{command_line()}`"),
        (
            "code",
            f"`{_code_version()}` ({_git('log', '-1', '--format=%s') or 'unknown'})",
        ),
        ("cores (nproc)", str(len(os.sched_getaffinity(0)))),
        ("CPU", _cpu_model()),
        ("memory", f"{_mem_total_gib():.1f} GiB"),
        ("kernel", platform.release()),
        (
            "load average (1 / 5 / 15 min) before; after",
            f"{_load(meter.load_before)}; {_load(os.getloadavg())}",
        ),
        ("CPU used by other processes during the run", meter.others()),
        ("Python", platform.python_version()),
        ("torch", _version("torch")),
        ("Graphviz", _dot_version()),
        (
            "fastapi / uvicorn / torchviz",
            " / ".join(_version(name) for name in ("fastapi", "uvicorn", "torchviz")),
        ),
    ]
    return table(["", ""], [list(row) for row in rows])


def _load(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.2f}" for value in values)


def _code_version() -> str:
    """The commit, with ``-dirty`` if a file differs from it; docs/benchmarks.md does not
    count: bench.run rewrites it before bench.load measures the same code."""
    changed = _git("status", "--porcelain", "--", ".", ":(exclude)docs/benchmarks.md")
    return (_git("rev-parse", "--short", "HEAD") or "unknown") + ("-dirty" if changed else "")


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _mem_total_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 2**20
    return float("nan")


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _dot_version() -> str:
    try:
        done = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    except OSError:
        return "not installed"
    return (done.stderr or done.stdout).strip()
