"""GET /metrics: Prometheus text exposition of requests, latency, pools, cache and render time."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?P<labels>\{[^}]*\})? (?P<value>\S+)$")
PROGRAM = "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2\ny.backward()"


def _samples(text: str) -> dict[str, float]:
    """Every sample line by name and labels, checking each line is the text format's."""
    samples = {}
    for line in text.splitlines():
        if line.startswith(("# HELP ", "# TYPE ")):
            continue
        match = SAMPLE.match(line)
        assert match, line
        samples[match["name"] + (match["labels"] or "")] = float(match["value"])
    return samples


@pytest.fixture(scope="module")
def fresh() -> Iterator[TestClient]:
    """An app of its own, so the counts start at zero."""
    settings = Settings(workers=1, render_workers=1, rate_limit_per_s=0)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_metrics_count_requests_by_route_template_and_status(fresh: TestClient) -> None:
    for _ in range(2):
        assert fresh.post("/api/graph", json={"code": PROGRAM}).status_code == 200
    assert fresh.get("/no/such/page/123").status_code == 404
    response = fresh.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples = _samples(response.text)
    graph = '{method="POST",route="/api/graph",status="200"}'
    assert samples[f"agv_http_requests_total{graph}"] == 2
    assert samples['agv_http_requests_total{method="GET",route="(unmatched)",status="404"}'] == 1
    assert samples[f"agv_http_request_duration_seconds_count{graph}"] == 2
    bucket = '{method="POST",route="/api/graph",status="200",le="+Inf"}'
    assert samples[f"agv_http_request_duration_seconds_bucket{bucket}"] == 2
    # The same program twice: run and drawn once, answered from the cache once.
    assert samples["agv_cache_hits_total"] == 1 and samples["agv_cache_misses_total"] == 1
    assert samples["agv_render_seconds_count"] == 1
    assert samples["agv_program_run_seconds_count"] == 1
    assert samples["agv_worker_pool_size"] == 1 and samples["agv_worker_pool_alive"] == 1
    assert samples["agv_drawing_pool_size"] == 1


def test_histogram_buckets_are_cumulative(fresh: TestClient) -> None:
    fresh.get("/api/examples")
    samples = _samples(fresh.get("/metrics").text)
    series = sorted(
        (float(key.split('le="')[1].split('"')[0]), value)
        for key, value in samples.items()
        if key.startswith("agv_http_request_duration_seconds_bucket")
        and 'route="/api/examples"' in key
    )
    counts = [count for _, count in series]
    assert counts == sorted(counts) and counts[-1] >= 1


def test_metrics_is_not_in_the_api_schema(fresh: TestClient) -> None:
    assert "/metrics" not in fresh.get("/openapi.json").json()["paths"]
