"""The ASGI app: ``app.main:app`` for uvicorn; ``create_app(settings)`` for tests."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.api import examples, graph, graph_image, health, metrics, pages
from app.api.api_docs import mount_docs
from app.api.body_deadline import BodyDeadline
from app.api.body_size import BodySizeLimit
from app.api.cache import ResponseCache
from app.api.errors import install_error_handlers
from app.api.gzip_by_size import GZipBySize
from app.api.head_as_get import HeadAsGet
from app.api.in_flight import InFlightLimit
from app.api.ratelimit import RateLimiter
from app.config import Settings, get_settings
from app.draw.drawing_pool import DrawingPool
from app.workers.handoff import HandOff
from app.workers.pool import WorkerPool

DESCRIPTION = """
Run a short PyTorch program in a sandbox and get back its autograd graph: the function nodes
PyTorch recorded (`PowBackward0`, `AddBackward0`, ...) linked as `grad_fn.next_functions` links
them, every leaf and named tensor with its shape, dtype, value and `.grad`, and each backward
pass step by step. See `docs/api.md` for examples.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the worker pool and the drawing processes start with the app and stop
    with it."""
    settings = settings or get_settings()
    pool = WorkerPool(settings)
    drawing = DrawingPool(settings, HandOff())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.gather(pool.start(), drawing.start())
        # Everything alive now lives as long as the server: keep it out of every collection.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await asyncio.gather(pool.close(), drawing.close())

    app = FastAPI(
        title="autograd-viz",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # app/api/api_docs.py serves /docs with its own copy of Swagger UI
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.pool = pool
    app.state.drawing = drawing
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_s, settings.rate_limit_burst)
    app.state.in_flight = InFlightLimit(settings.in_flight_per_client())
    app.state.cache = ResponseCache(settings.cache_entries, settings.cache_mb * 2**20)
    app.add_middleware(BodySizeLimit, max_bytes=settings.limits.max_code_chars * 4 + 4096)
    app.add_middleware(BodyDeadline, timeout_s=settings.body_timeout_s)
    # Answers, SVGs and static files of 1 KB or more, gzipped when the client accepts it
    # (the gallery's training loop: 40.8 KB, 6.5 KB gzipped). zlib's level 6: most of level 9's
    # saving at a third of its time; ISA-L's level 2 from 1 MiB, 5x faster than zlib's level 1
    # (app/api/gzip_by_size.py); in a thread from 128 KiB (Starlette's rule).
    app.add_middleware(GZipBySize, minimum_size=1000, compresslevel=6, large_size=2**20)
    app.state.metrics = metrics.Metrics()
    app.add_middleware(metrics.MetricsMiddleware, metrics=app.state.metrics)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Content-Type"],
            expose_headers=["Retry-After", "X-Cache", "Server-Timing"],
            max_age=600,
        )
    app.add_middleware(HeadAsGet)
    install_error_handlers(app)
    app.include_router(graph.router)
    app.include_router(graph_image.router)
    app.include_router(examples.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    mount_docs(app)
    app.include_router(pages.router)
    pages.mount_static(app)
    return app


app = create_app()
