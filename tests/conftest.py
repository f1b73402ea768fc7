"""Shared fixtures."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import torch
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


@pytest.fixture(autouse=True)
def _torch_defaults() -> Iterator[None]:
    """Each test starts with grad mode on and a fixed seed (tests compare against plain PyTorch)."""
    torch.set_grad_enabled(True)
    yield
    torch.set_grad_enabled(True)


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """A client of the real app, with its worker pool started once for the whole session."""
    # No rate limit here: the suite sends hundreds of requests from one client.
    settings = Settings(workers=2, eval_timeout_s=5.0, rate_limit_per_s=0)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn on a free port (rate limit off: tests send many requests)."""
    with uvicorn_server(tmp_path_factory.mktemp("server") / "uvicorn.log") as (_, base):
        yield base


@contextlib.contextmanager
def uvicorn_server(log_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Start ``app.main:app`` under uvicorn, wait until /healthz is ok; the process and its URL."""
    port = free_port()
    env = {**os.environ, "AGV_RATE_LIMIT_PER_S": "0"}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=Path(__file__).resolve().parents[1],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not _ready(base):
            if process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not ready within 90 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield process, base
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _ready(base: str) -> bool:
    try:
        return bool(httpx.get(f"{base}/healthz", timeout=1).json().get("status") == "ok")
    except (httpx.HTTPError, ValueError):
        return False
