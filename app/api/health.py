"""GET /healthz: liveness and the worker pool's state."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import CacheDep, PoolDep
from app.schemas import CacheState, Health, PoolState

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz(pool: PoolDep, cache: CacheDep) -> Health:
    """Whether the service is up, and how many workers are alive and idle."""
    state = pool.state()
    ready = pool.started_at is not None and state["alive"] > 0
    return Health(
        status="ok" if ready else "starting",
        pool=PoolState(**state),
        cache=CacheState(**cache.stats()),
    )
