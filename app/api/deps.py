"""Dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.api.cache import ResponseCache
from app.config import Settings
from app.workers.pool import WorkerPool


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_pool(request: Request) -> WorkerPool:
    """The app's worker pool."""
    pool: WorkerPool = request.app.state.pool
    return pool


async def get_cache(request: Request) -> ResponseCache:
    """The app's response cache."""
    cache: ResponseCache = request.app.state.cache
    return cache


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
PoolDep = Annotated[WorkerPool, Depends(get_pool)]
CacheDep = Annotated[ResponseCache, Depends(get_cache)]
