"""Fixtures of the unit tests."""

from __future__ import annotations

import pytest

from app.language.runtime import Runtime
from app.limits import Limits


@pytest.fixture
def rt() -> Runtime:
    """A fresh runtime under the default limits, its guards called directly."""
    return Runtime(Limits())
