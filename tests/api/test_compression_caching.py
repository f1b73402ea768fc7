"""Gzip on large answers (app/main.py) and the static files' caching (app/api/static_files.py)."""

from __future__ import annotations

import gzip
import hashlib
import re
import zlib

import pytest
from fastapi.testclient import TestClient

from app.assets import STATIC_DIR

GZIP = {"accept-encoding": "gzip"}
# A training loop: its answer is tens of KB of JSON.
LOOP = """
w = torch.randn(8, 8, requires_grad=True)
torch.manual_seed(0)
for step in range(6):
    loss = (w @ w).tanh().sum()
    loss.backward()
"""


def test_large_answer_is_gzipped_with_its_headers_kept(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": LOOP}, headers=GZIP)
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    assert "total;dur=" in response.headers["server-timing"]
    assert int(response.headers["content-length"]) < len(response.content) / 3
    assert response.json()["nodes"]  # httpx inflated it: the same JSON


def test_answer_is_plain_when_the_client_does_not_accept_gzip(client: TestClient) -> None:
    response = client.post(
        "/api/graph", json={"code": LOOP}, headers={"accept-encoding": "identity"}
    )
    assert "content-encoding" not in response.headers
    assert int(response.headers["content-length"]) == len(response.content)


def test_small_answer_is_not_gzipped(client: TestClient) -> None:
    response = client.get("/healthz", headers=GZIP)
    assert len(response.content) < 1000
    assert "content-encoding" not in response.headers


def test_static_module_is_gzipped_and_revalidated(client: TestClient) -> None:
    response = client.get("/static/js/graph-view.js", headers=GZIP)
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"] == "no-cache"
    expected = (STATIC_DIR / "js" / "graph-view.js").read_bytes()
    assert response.content == expected
    etag = response.headers["etag"]
    assert etag.startswith('W/"')  # weak: the gzipped bytes are not the file's bytes
    again = client.get("/static/js/graph-view.js", headers={**GZIP, "if-none-match": etag})
    assert again.status_code == 304


def test_pages_link_their_entry_points_by_content_hash(client: TestClient) -> None:
    for page, entry in [("/", "js/main.js"), ("/embed", "js/embed-page.js")]:
        html = client.get(page).text
        digest = hashlib.sha256((STATIC_DIR / entry).read_bytes()).hexdigest()[:16]
        assert f'src="/static/{entry}?v={digest}"' in html
        css = hashlib.sha256((STATIC_DIR / "css" / "app.css").read_bytes()).hexdigest()[:16]
        assert f'href="/static/css/app.css?v={css}"' in html
        # Every versioned URL the page names is served for a year.
        for url in re.findall(r'"(/static/[^"#]+\?v=\w+)', html):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_static_url_with_a_stale_version_is_revalidated(client: TestClient) -> None:
    response = client.get("/static/js/main.js?v=0000000000000000")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


def test_gzipped_static_file_inflates_to_the_file(client: TestClient) -> None:
    # The bytes on the wire, not httpx's inflated copy.
    with client.stream("GET", "/static/css/app.css", headers=GZIP) as response:
        wire = b"".join(response.iter_raw())
    assert gzip.decompress(wire) == (STATIC_DIR / "css" / "app.css").read_bytes()
    assert len(wire) < (STATIC_DIR / "css" / "app.css").stat().st_size / 2


def _raw_gzip(app_: object, path: str) -> bytes:
    """The body as sent, still compressed."""
    with (
        TestClient(app_) as raw_client,  # type: ignore[arg-type]
        raw_client.stream("GET", path, headers=GZIP) as response,
    ):
        assert response.headers["content-encoding"] == "gzip"
        return b"".join(response.iter_raw())


def test_large_answer_is_gzipped_fast_and_small_one_closely() -> None:
    """From 1 MiB the body is deflated by ISA-L at its level 2 (a fifth of zlib level 1's
    time on a 33 MB answer, about its size: the benchmark's wire rows): exactly ISA-L's gzip
    stream of it. A smaller one is zlib's level 6 (its header: XFL 0, OS 3)."""
    from isal import isal_zlib
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    from app.api.gzip_by_size import GZipBySize

    large = b'{"id": "n1", "label": "MulBackward0"}, ' * 30_000  # 1.2 MB
    small = large[:50_000]
    routes = [
        Route("/large", lambda _: Response(large, media_type="application/json")),
        Route("/small", lambda _: Response(small, media_type="application/json")),
    ]
    app_ = Starlette(routes=routes)
    app_.add_middleware(GZipBySize, minimum_size=1000, compresslevel=6, large_size=2**20)
    sent_large, sent_small = _raw_gzip(app_, "/large"), _raw_gzip(app_, "/small")
    assert gzip.decompress(sent_large) == large
    assert gzip.decompress(sent_small) == small
    isal = isal_zlib.compressobj(2, isal_zlib.DEFLATED, 16 + isal_zlib.MAX_WBITS)
    assert sent_large == isal.compress(large) + isal.flush()
    assert sent_small[8:10] == bytes((0, 3))  # zlib, level 6


@pytest.mark.parametrize("pieces", [2, 2.5, 3])
def test_a_body_compressed_in_pieces_is_one_gzip_stream_of_it(pieces: float) -> None:
    """From 8 MiB a body is deflated in 4 MiB pieces on threads at once: what is sent is one
    gzip member (as a browser reads it: one stream, nothing after it) of the whole body."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    from app.api.gzip_by_size import PIECE_BYTES, PIECES_FROM, GZipBySize

    size = max(PIECES_FROM, int(PIECE_BYTES * pieces))
    line = b'{"id": "n1", "label": "MulBackward0", "value": %d}, '
    body = b"".join(line % i for i in range(size // len(line) + 1))[:size]
    app_ = Starlette(routes=[Route("/", lambda _: Response(body, media_type="application/json"))])
    app_.add_middleware(GZipBySize, minimum_size=1000, compresslevel=6, large_size=2**20)
    sent = _raw_gzip(app_, "/")
    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert stream.decompress(sent) == body
    assert stream.eof and stream.unused_data == b""
    assert sent[8:10] == bytes((0, 3))  # ISA-L's level 2, as for any large body
    assert len(sent) < len(body) // 4
