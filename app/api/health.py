"""Health: ``/healthz`` (the pool's state, always 200), ``/healthz/live`` (the process answers)
and ``/healthz/ready`` (the workers are warm: 503 until then), for probes and load balancers."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.api.deps import CacheDep, PoolDep
from app.api.errors import RequestRefused
from app.draw.drawing_pool import DrawingPool
from app.schemas import CacheState, ErrorResponse, Health, PoolState
from app.workers.pool import WorkerPool

router = APIRouter(tags=["health"])

# How long a load balancer should wait before asking a replica that is not ready again.
NOT_READY_RETRY_S = 2


class Liveness(BaseModel):
    """The process answers."""

    status: Literal["ok"]


def is_ready(pool: WorkerPool, drawing: DrawingPool) -> bool:
    """Whether a program sent now would run: the pool started with a worker alive, and a
    drawing process alive to draw its graph."""
    return (
        pool.started_at is not None and pool.state()["alive"] > 0 and drawing.state()["alive"] > 0
    )


def _health(pool: WorkerPool, cache: CacheDep, ready: bool) -> Health:
    return Health(
        status="ok" if ready else "starting",
        pool=PoolState(**pool.state()),
        cache=CacheState(**cache.stats()),
    )


@router.get("/healthz", response_model=Health)
async def healthz(request: Request, pool: PoolDep, cache: CacheDep) -> Health:
    """Whether the service is up, and how many workers are alive and idle (always 200: read
    ``status``; probes use ``/healthz/live`` and ``/healthz/ready``)."""
    return _health(pool, cache, is_ready(pool, request.app.state.drawing))


@router.get("/healthz/live", response_model=Liveness)
async def live() -> Liveness:
    """Liveness: the process answers (its event loop runs). A failing liveness probe means
    restart the process; a replica still warming up is alive."""
    return Liveness(status="ok")


@router.get(
    "/healthz/ready",
    response_model=Health,
    responses={503: {"model": ErrorResponse, "description": "Not ready yet; workers warming."}},
)
async def ready(request: Request, pool: PoolDep, cache: CacheDep) -> Health:
    """Readiness: a program sent now would run (200), or 503 while the workers start or after
    every one of them died, so a load balancer sends requests to other replicas meanwhile."""
    if not is_ready(pool, request.app.state.drawing):
        raise RequestRefused(
            503,
            "Unavailable",
            "the workers are not ready yet; try again shortly",
            retry_after=NOT_READY_RETRY_S,
        )
    return _health(pool, cache, True)
