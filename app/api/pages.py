"""The browser pages: the playground at ``/`` and the iframe page at ``/embed``, plus ``/static``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

_ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = _ROOT / "static"
# Jinja2Templates turns autoescape on for .html templates.
templates = Jinja2Templates(directory=_ROOT / "templates")

# The pages load only their own scripts and styles; the SVG is parsed, never injected as HTML,
# and the PNG export draws a data: image. Frames: the playground only in itself, /embed anywhere.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-src 'self'; frame-ancestors {ancestors}"
)

router = APIRouter(tags=["pages"], include_in_schema=False)


class _RevalidatedStaticFiles(StaticFiles):
    """Static files the browser re-checks each time (a cheap 304), so an update is never stale."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


def _page(request: Request, template: str, ancestors: str) -> HTMLResponse:
    response = templates.TemplateResponse(request, template)
    response.headers["Content-Security-Policy"] = _CSP.format(ancestors=ancestors)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/", response_class=HTMLResponse)
async def playground(request: Request) -> HTMLResponse:
    """The playground: editor, graph, inspector and backward stepper."""
    return _page(request, "index.html", "'self'")


@router.get("/embed", response_class=HTMLResponse)
async def embed(request: Request) -> HTMLResponse:
    """A minimal graph page for iframes; the program comes in the URL fragment."""
    return _page(request, "embed.html", "*")


def mount_static(app: FastAPI) -> None:
    """Serve ``static/`` (CSS, the ES modules and ``embed.js``) at ``/static``."""
    app.mount("/static", _RevalidatedStaticFiles(directory=STATIC_DIR), name="static")
