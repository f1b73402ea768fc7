"""The OS wall around a worker, tested with raw Python (as if the language sandbox had a hole)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from dataclasses import asdict
from pathlib import Path

import pytest

from app.workers.lockdown import plan_os_limits

PROBE = r"""
import json, os, socket, sys, threading
from app.workers.lockdown import OsLimits, apply_os_limits
import torch
missing = apply_os_limits(OsLimits(**json.loads(sys.argv[1])))
canary = sys.argv[2]
results = {"missing": missing}

def attempt(name, fn):
    try:
        fn()
        results[name] = "allowed"
    except OSError as exc:
        results[name] = f"denied: {exc.strerror}"

attempt("write_file", lambda: open(canary, "w").write("x"))
attempt("append_file", lambda: open(canary, "a"))
attempt("socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))
attempt("unix_socket", lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))
attempt("fork", lambda: os.fork() == 0 and os._exit(0))
attempt("exec", lambda: os.execv("/bin/true", ["true"]))
attempt("mkdir", lambda: os.mkdir(canary + ".d"))
attempt("read_file", lambda: open("/etc/hostname").read())
try:
    threading.Thread(target=lambda: None).start()
    results["thread"] = "allowed"
except RuntimeError as exc:
    results["thread"] = f"denied: {exc}"
results["uid"] = os.getuid()
import ctypes
results["dumpable_flag"] = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
results["torch"] = float(torch.ones(3).sum())
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def probe() -> dict[str, object]:
    canary = f"/tmp/agv-canary-{uuid.uuid4().hex}"
    plan = plan_os_limits(2048, 5.0, running_as_root=os.geteuid() == 0)
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PROBE, json.dumps(asdict(plan)), canary],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert not os.path.exists(canary) and not os.path.exists(canary + ".d")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_every_layer_is_installed(probe: dict[str, object]) -> None:
    assert probe["missing"] == []


@pytest.mark.parametrize(
    "action", ["write_file", "append_file", "socket", "unix_socket", "fork", "exec", "mkdir"]
)
def test_locked_worker_cannot(probe: dict[str, object], action: str) -> None:
    assert str(probe[action]).startswith("denied")


def test_worker_memory_is_not_readable_by_its_user(probe: dict[str, object]) -> None:
    assert probe["dumpable_flag"] == 0


def test_locked_worker_still_computes(probe: dict[str, object]) -> None:
    assert probe["read_file"] == "allowed"
    assert probe["torch"] == 3.0


@pytest.mark.skipif(os.geteuid() != 0, reason="RLIMIT_NPROC binds only after dropping root")
def test_locked_worker_cannot_start_threads(probe: dict[str, object]) -> None:
    # The warm worker has every thread it needs; a new task is refused by RLIMIT_NPROC = 0.
    assert str(probe["thread"]).startswith("denied")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root drops privileges")
def test_root_worker_runs_as_nobody(probe: dict[str, object]) -> None:
    assert probe["uid"] == 65534
