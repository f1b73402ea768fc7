"""Shared fixtures."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tools.live_server import running


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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn on a free port (rate limit off: tests send many requests)."""
    with running(log_path=tmp_path_factory.mktemp("server") / "uvicorn.log") as server:
        yield server.url


@contextlib.contextmanager
def uvicorn_server(log_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The same server as ``live_server``, one per call: its process (to kill) and its URL."""
    with running(log_path=log_path) as server:
        yield server.process, server.url
