"""GET /api/graph.svg (app/api/graph_image.py): a graph as an image, cacheable when deterministic."""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterator

import pytest
import torch
from fastapi.testclient import TestClient

from app.config import Settings
from app.limits import Limits
from app.main import create_app

SCALAR_CHAIN = "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()"
URL = "/api/graph.svg"


def _plain_pytorch_ops() -> set[str]:
    """The grad_fn class names plain PyTorch records for SCALAR_CHAIN."""
    x = torch.tensor(2.0, requires_grad=True)
    z = (x**2 + 3) ** 2
    seen, stack = set(), [z.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or type(node).__name__ == "AccumulateGrad":
            continue
        seen.add(type(node).__name__)
        stack.extend(next_fn for next_fn, _ in node.next_functions)
    return seen


def _share_z(code: str) -> str:
    """``z=`` as static/js/share.js writes it: base64url of deflate-raw, unpadded."""
    packer = zlib.compressobj(wbits=-15)
    raw = packer.compress(code.encode()) + packer.flush()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_graph_svg_draws_the_ops_plain_pytorch_records(client: TestClient) -> None:
    response = client.get(URL, params={"code": SCALAR_CHAIN})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = response.text
    assert "<svg" in svg
    drawn = set(re.findall(r"\b(\w+Backward\d*)\b", svg))
    assert drawn == _plain_pytorch_ops()


def test_graph_svg_of_a_deterministic_program_is_public_with_an_etag(client: TestClient) -> None:
    first = client.get(URL, params={"code": SCALAR_CHAIN + "\n# etag"})
    assert first.headers["cache-control"] == "public, max-age=86400"
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    again = client.get(
        URL, params={"code": SCALAR_CHAIN + "\n# etag"}, headers={"if-none-match": etag}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["x-cache"] == "hit"  # answered from the cache: not run again
    # Another graph is another SVG: the old tag does not match it.
    other_code = SCALAR_CHAIN.replace("z = y ** 2", "z = y * 2")
    other = client.get(URL, params={"code": other_code}, headers={"if-none-match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_graph_svg_of_an_unseeded_random_program_is_not_stored(client: TestClient) -> None:
    code = "w = torch.randn(3, requires_grad=True)\nw.sum().backward()"
    response = client.get(URL, params={"code": code})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


def test_graph_svg_reads_a_share_link_payload(client: TestClient) -> None:
    by_text = client.get(URL, params={"code": SCALAR_CHAIN})
    by_z = client.get(URL, params={"z": _share_z(SCALAR_CHAIN)})
    p = base64.urlsafe_b64encode(SCALAR_CHAIN.encode()).decode().rstrip("=")
    by_p = client.get(URL, params={"p": p})
    assert by_z.status_code == by_p.status_code == 200
    assert by_z.headers["etag"] == by_p.headers["etag"] == by_text.headers["etag"]


def test_graph_svg_refusal_is_an_svg_with_the_line(client: TestClient) -> None:
    response = client.get(URL, params={"code": "x = 1\nimport os\n"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "no-store"
    assert "(line 2)" in response.text and "os" in response.text


@pytest.mark.parametrize(
    "params",
    [{}, {"code": "x = 1", "p": "eCA9IDE"}, {"p": "!!!"}, {"z": "eCA9IDE"}, {"p": "_w"}],
    ids=["none", "two", "not-base64", "not-deflate", "not-utf8"],
)
def test_graph_svg_unreadable_query_is_422(client: TestClient, params: dict[str, str]) -> None:
    response = client.get(URL, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("image/svg+xml")


def test_graph_svg_code_limit_applies_to_the_query(client: TestClient) -> None:
    limit = Limits().max_code_chars
    response = client.get(URL, params={"code": "#" * (limit + 1)})
    assert response.status_code == 413
    assert f"{limit + 1} characters" in response.text


def test_graph_svg_inflates_a_payload_only_up_to_the_limit(client: TestClient) -> None:
    # 100 MB of spaces compress to about 100 KB... use 8 MB: about 8 KB on the wire.
    bomb = zlib.compressobj(wbits=-15)
    raw = bomb.compress(b" " * 8_000_000) + bomb.flush()
    z = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = client.get(URL, params={"z": z})
    assert response.status_code == 413
    assert "CodeTooLong" in response.text


@pytest.fixture
def limited() -> Iterator[TestClient]:
    settings = Settings(workers=1, rate_limit_per_s=0.01, rate_limit_burst=1)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_graph_svg_shares_the_rate_limit_with_post(limited: TestClient) -> None:
    assert limited.post("/api/graph", json={"code": "x = 1"}).status_code == 200
    response = limited.get(URL, params={"code": "x = 1"})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    assert response.json()["error"]["type"] == "RateLimited"


def test_graph_svg_is_in_the_openapi_schema(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"][URL]["get"]
    assert {"code", "z", "p", "lang"} <= {param["name"] for param in operation["parameters"]}
    assert "image/svg+xml" in operation["responses"]["200"]["content"]
    assert "304" in operation["responses"]


def test_graph_svg_of_a_program_that_stopped_before_any_node_says_why(client: TestClient) -> None:
    """An ``<img>`` of a program that fails on its first line shows the error (as the POST
    answer's ``error`` does), not an empty picture; in Chinese the line is said in Chinese."""
    response = client.get(URL, params={"code": "x = torch.tensro(2.0)\n"})
    assert response.status_code == 200
    assert response.headers["x-error-type"] == "SandboxViolation"
    assert "SandboxViolation (line 1)" in response.text
    chinese = client.get(URL, params={"code": "x = torch.tensro(2.0)\n", "lang": "zh"})
    assert "SandboxViolation（第 1 行）" in chinese.text
