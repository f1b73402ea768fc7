"""``/static``: versioned URLs cached for a year, everything else revalidated.

The pages ask for their entry points (the stylesheet, the first module, the icons) as
``/static/<file>?v=<hash of the file>`` (``static_url``, a template global). Such a URL names one
content for ever, so the browser and any proxy keep it a year without asking again. The ES
modules the entry module imports are asked for by relative URL (``./dom.js``), which carries no
version: they, ``embed.js`` (which course pages load by a fixed address) and a URL whose
``?v=`` is not the file's hash now (a page older than a deploy) are answered ``no-cache``:
kept, but checked each time against the ``ETag`` (a 304 costs a round trip, not the file).
The ``ETag`` is weak (``W/``): gzip may change the bytes on the wire, not the file they stand for.
"""

from __future__ import annotations

import functools
import hashlib
import os
from typing import Any
from urllib.parse import parse_qs

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from app.assets import STATIC_DIR

LONG_LIVED = "public, max-age=31536000, immutable"
REVALIDATED = "no-cache"


@functools.lru_cache(maxsize=256)
def _hash(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:16]


def file_version(path: str | os.PathLike[str]) -> str:
    """The version of the file at ``path``: a hash of its bytes, remembered until it changes."""
    stat = os.stat(path)
    return _hash(os.fspath(path), stat.st_mtime_ns, stat.st_size)


def static_url(relative: str) -> str:
    """The versioned URL of ``static/<relative>``, as the templates write it."""
    return f"/static/{relative}?v={file_version(STATIC_DIR / relative)}"


class VersionedStaticFiles(StaticFiles):
    """Static files: a year for a URL whose ``?v=`` is the file's hash, else ``no-cache``."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        full_path, scope = args[0], args[2]
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
        current = asked and asked == file_version(full_path)
        response.headers["Cache-Control"] = LONG_LIVED if current else REVALIDATED
        etag = response.headers.get("etag")
        if etag and not etag.startswith("W/"):
            response.headers["etag"] = f"W/{etag}"
        return response
