"""GET /api/graph.svg: a program's graph as an image, for ``<img src=...>`` in Markdown, an LMS
or a slide, cacheable by browsers and CDNs.

The program comes in the query (``program_query.py``), goes through the same admission (rate
limit, a client's requests in flight), code limit, worker pool and drawing processes as POST
/api/graph. A deterministic program's SVG is public for a day with a weak ``ETag`` (a hash of
the SVG; weak because gzip may change the bytes on the wire), answered 304 on a matching
``If-None-Match``, and kept in the response cache so a lecture's 500 identical requests run it
once. A program that draws unseeded random numbers is answered ``no-store``. A program refused
before running, or a query that carries none, is answered with a small SVG that says why (an
``<img>`` shows it) and the contract's status; 429 and 503 keep the JSON error shape.
"""

from __future__ import annotations

import hashlib
import textwrap
from html import escape
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response

from app.api.deps import CacheDep, PoolDep, SettingsDep
from app.api.graph import DrawingDep, drawable_graph
from app.api.program_query import ProgramTooLong, UnreadableProgram, program_from_query
from app.api.ratelimit import RateLimitDep
from app.hints.refusal_text import chinese
from app.schemas import ErrorResponse

router = APIRouter(prefix="/api", tags=["graph"])

SVG_TYPE = "image/svg+xml"
CACHED_FOR = "public, max-age=86400"
NOT_STORED = "no-store"
_CACHE_PREFIX = "graph.svg:"
_BOLD = ' font-weight="bold"'

_SVG_OK = {
    "description": "The graph, drawn as on the playground (the state at the failing line when"
    " the program raised).",
    "content": {SVG_TYPE: {"schema": {"type": "string"}}},
    "headers": {
        "ETag": {
            "description": "Weak validator of a deterministic program's SVG.",
            "schema": {"type": "string"},
        },
        "Cache-Control": {
            "description": f"`{CACHED_FOR}` for a deterministic program, else `{NOT_STORED}`.",
            "schema": {"type": "string"},
        },
    },
}
_SVG_ERROR = {"content": {SVG_TYPE: {"schema": {"type": "string"}}}}


def _error_svg(
    status: int, kind: str, message: str, lang: str, line: int | None = None
) -> Response:
    """A small picture of an error, for an ``<img>``: its type, line and message."""
    text = (chinese(kind, message) if lang == "zh" else None) or message
    where = (f"（第 {line} 行）" if lang == "zh" else f" (line {line})") if line else ""
    title = kind + where
    lines = [title, *textwrap.wrap(text, 72)[:6]]
    height = 24 + 20 * len(lines)
    rows = "".join(
        f'<text x="12" y="{28 + 20 * index}"{_BOLD if index == 0 else ""}>{escape(row)}</text>'
        for index, row in enumerate(lines)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="600" height="{height}"'
        f' viewBox="0 0 600 {height}" role="img" aria-label="{escape(title)}">'
        f'<rect width="600" height="{height}" fill="#fff4f4" stroke="#c62828"/>'
        f'<g font-family="sans-serif" font-size="14" fill="#7f1d1d">{rows}</g></svg>'
    )
    headers = {"Cache-Control": NOT_STORED, "X-Error-Type": kind}
    return Response(svg, status_code=status, media_type=SVG_TYPE, headers=headers)


def _etag(svg: bytes) -> str:
    return f'W/"{hashlib.sha256(svg).hexdigest()[:32]}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") in (bare, "*") for tag in if_none_match.split(","))


def _image(svg: bytes, cacheable: bool, if_none_match: str | None, hit: bool) -> Response:
    headers = {"X-Cache": "hit" if hit else "miss"}
    if not cacheable:
        return Response(svg, media_type=SVG_TYPE, headers={**headers, "Cache-Control": NOT_STORED})
    etag = _etag(svg)
    headers.update({"ETag": etag, "Cache-Control": CACHED_FOR})
    if _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(svg, media_type=SVG_TYPE, headers=headers)


@router.get(
    "/graph.svg",
    response_class=Response,
    responses={
        200: _SVG_OK,
        304: {
            "description": "`If-None-Match` names this SVG's `ETag`: the cached copy is current."
        },
        400: {**_SVG_ERROR, "description": "Refused before running (an SVG that says why)."},
        413: {**_SVG_ERROR, "description": "Program longer than the code limit (an SVG)."},
        422: {
            **_SVG_ERROR,
            "description": "No program, more than one, one that does not decode, or a graph"
            " that could not be drawn (an SVG); a malformed `lang`: the JSON error shape.",
        },
        429: {"model": ErrorResponse, "description": "Rate limited or busy; see `Retry-After`."},
        503: {"model": ErrorResponse, "description": "Service starting or stopping."},
    },
)
async def graph_svg(
    pool: PoolDep,
    drawing: DrawingDep,
    cache: CacheDep,
    settings: SettingsDep,
    _: RateLimitDep,
    code: Annotated[str | None, Query(description="The program as text.")] = None,
    z: Annotated[
        str | None,
        Query(description="The program as a share link's `z=`: base64url of deflate-raw UTF-8."),
    ] = None,
    p: Annotated[
        str | None, Query(description="The program as a share link's `p=`: base64url of UTF-8.")
    ] = None,
    lang: Annotated[
        Literal["en", "zh"], Query(description="The words the drawing adds, and error text.")
    ] = "en",
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Run the program (given once, as `code`, `z` or `p`) in a sandboxed worker and answer its
    graph as an SVG image; cacheable when the program is deterministic."""
    limit = settings.limits.max_code_chars
    try:
        program = program_from_query(code, z, p, limit)
    except ProgramTooLong as exc:
        size = f"{exc.chars}" if exc.exact else f"over {limit}"
        message = f"program is {size} characters long; the limit is {limit}"
        return _error_svg(413, "CodeTooLong", message, lang)
    except UnreadableProgram as exc:
        return _error_svg(422, "UnreadableProgram", exc.message, lang)
    key = _CACHE_PREFIX + cache.key(program, False, True, settings, lang)
    cached = cache.get(key)
    if cached is not None:
        return _image(cached, True, if_none_match, hit=True)
    record = await pool.evaluate(program)
    refused = record.refused
    if refused is not None:
        return _error_svg(400, refused.type, refused.message, lang, refused.line)
    error = record.error
    if error is not None and not (record.graph or {}).get("nodes"):  # stopped before any node
        return _error_svg(200, error.type, error.message, lang, error.line)
    drawn = await drawing.draw(drawable_graph(record), dot=False, svg=True, lang=lang)
    if drawn.svg is None:
        return _error_svg(422, "NotDrawn", drawn.error or "the graph was not drawn", lang)
    svg = drawn.svg.encode("utf-8", "replace")
    cacheable = record.deterministic and not record.timed_out and not record.crashed
    if cacheable:
        cache.put(key, svg)
    return _image(svg, cacheable, if_none_match, hit=False)
