"""The browser pages: the playground at ``/``, the iframe page at ``/embed`` and the list of what
programs may use at ``/what-runs-here``, plus ``/static``."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from app.api.static_files import VersionedStaticFiles, static_url
from app.assets import STATIC_DIR, TEMPLATES_DIR
from app.hints import what_runs_here

# The allowlist's facts, written by ``python -m app.language.catalogue`` (which imports torch;
# the server does not) and checked against the allowlist by tests/unit/test_catalogue.py.
CATALOGUE = STATIC_DIR / "what-runs-here.json"
LANGUAGES = ("en", "zh")


def code_spans(text: str) -> Markup:
    """Text with `code` in backticks, as the hints write it, as escaped HTML with <code>."""
    parts = re.split(r"`([^`]+)`", text)  # odd items are the code
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )


# Jinja2Templates turns autoescape on for .html templates.
templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters["code"] = code_spans
templates.env.globals["static"] = static_url

# The pages load only their own scripts and styles; the SVG is parsed, never injected as HTML,
# and the PNG export draws a data: image. Frames: the playground only in itself, /embed anywhere.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-src 'self'; frame-ancestors {ancestors}"
)

router = APIRouter(tags=["pages"], include_in_schema=False)


def _page(
    request: Request, template: str, ancestors: str, context: dict[str, Any] | None = None
) -> HTMLResponse:
    response = templates.TemplateResponse(request, template, context or {})
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


@functools.cache
def _catalogue() -> dict[str, Any]:
    facts: dict[str, Any] = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    return facts


def _language(request: Request, asked: str | None) -> str:
    """``?lang=``, else the browser's (as i18n.js decides it before anything is remembered)."""
    if asked in LANGUAGES:
        return asked
    tags = request.headers.get("accept-language", "").split(",")
    return "zh" if any(tag.strip().lower().startswith("zh") for tag in tags) else "en"


@router.get("/what-runs-here", response_class=HTMLResponse)
async def what_runs_here_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """What programs may use here and what stays out, with the reasons, in English and Chinese."""
    context = {"facts": _catalogue(), "words": what_runs_here, "lang": _language(request, lang)}
    response = _page(request, "what_runs_here.html", "'self'", context)
    # Both languages are in the page; which one shows first depends on these.
    response.headers["Vary"] = "Accept-Language"
    return response


def mount_static(app: FastAPI) -> None:
    """Serve ``static/`` (CSS, the ES modules and ``embed.js``) at ``/static``
    (``static_files.py``: which URLs are cached how long)."""
    app.mount("/static", VersionedStaticFiles(directory=STATIC_DIR), name="static")
