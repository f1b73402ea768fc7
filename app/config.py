"""Service settings, read once from ``AGV_*`` environment variables."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field, fields

from app.limits import Limits


@dataclass(frozen=True)
class Settings:
    """Everything an operator may tune; each field can be set as ``AGV_<FIELD>`` in the environment."""

    workers: int = 2
    worker_recycle_after: int = 1000
    eval_timeout_s: float = 5.0
    worker_start_timeout_s: float = 60.0
    queue_wait_s: float = 2.0
    max_waiting: int = 64
    rate_limit_per_s: float = 10.0
    rate_limit_burst: int = 30
    cache_entries: int = 2048
    cache_mb: int = 128
    render_timeout_s: float = 10.0
    # Drawing (app/draw/drawing_pool.py): processes that draw at once, drawings that may wait
    # for one, and each drawing process's address space and resident memory before recycling.
    render_workers: int = 2
    render_max_waiting: int = 16
    render_memory_mb: int = 1024
    render_max_rss_mb: int = 300
    worker_memory_mb: int = 2048
    worker_max_rss_mb: int = 600
    seccomp: bool = True
    limits: Limits = field(default_factory=Limits)


def _from_env() -> Settings:
    values: dict[str, object] = {}
    for item in fields(Settings):
        raw = os.environ.get(f"AGV_{item.name.upper()}")
        if raw is not None and item.name != "limits":
            values[item.name] = _parse(raw, str(item.type))
    return Settings(**values)  # type: ignore[arg-type]


def _parse(raw: str, kind: str) -> object:
    if kind == "bool":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return float(raw) if kind == "float" else int(raw)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings (cached; tests pass their own to ``create_app``)."""
    return _from_env()
