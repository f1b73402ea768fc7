"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

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
