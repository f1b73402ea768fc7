"""Run one program for the command line, in the same sandbox as the server.

The command line never runs a program itself: it builds the service's app (``create_app``) with
one worker and one drawing process, starts it as the server does (its lifespan: the zygote and
its locked-down workers, the drawing process), and asks ``POST /api/graph`` through an
in-process transport (no socket, no port). The answer is the server's, byte for byte: the same
allowlist, limits, worker lockdown and drawing.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass
from typing import Any

import httpx

from app.config import Settings, get_settings


@dataclass(frozen=True)
class Answer:
    """The service's answer: its status and JSON body."""

    status: int
    body: dict[str, Any]


def command_line_settings(settings: Settings | None = None) -> Settings:
    """The service's settings (``AGV_*``), sized for one program: one worker, one drawing
    process, no rate limit."""
    base = settings or get_settings()
    return dataclasses.replace(base, workers=1, render_workers=1, rate_limit_per_s=0)


async def _ask(code: str, lang: str, settings: Settings) -> Answer:
    from app.main import create_app  # the app's modules load only when a program is to run

    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    request = {"code": code, "dot": True, "svg": True, "lang": lang}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://cli") as client,
    ):
        response = await client.post("/api/graph", json=request, timeout=None)
    return Answer(response.status_code, response.json())


def run_program(code: str, lang: str = "en", settings: Settings | None = None) -> Answer:
    """``code``'s answer from a sandboxed worker, with its DOT and SVG."""
    return asyncio.run(_ask(code, lang, command_line_settings(settings)))
