"""Programs whose results are hard to describe still get an answer from a live worker."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PROGRAMS = {
    "deeply_nested_module": (
        "m = nn.Linear(1, 1)\nfor i in range(20000):\n    m = nn.Sequential(m)\n"
    ),
    "huge_shared_tuple_key": (
        "k = ()\nfor i in range(60):\n    k = (k, k)\nd = {k: torch.ones(1)}\n"
    ),
    "key_error_with_huge_key": ("k = ()\nfor i in range(60):\n    k = (k, k)\nd = {}\nv = d[k]\n"),
    "lone_surrogate_in_message": "x = torch.ones(2)\nl = F.mse_loss(x, x, reduction=chr(0xD800))",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_answer_without_crashing_the_worker(client: TestClient, name: str) -> None:
    response = client.post("/api/graph", json={"code": PROGRAMS[name], "svg": False})
    assert response.status_code == 200
    body = response.json()
    assert body["error"] is None or body["error"]["type"] not in ("WorkerCrashed",), body["error"]
    assert len(response.content) < 1_000_000
    follow = client.post("/api/graph", json={"code": "x = torch.ones(1)", "svg": False})
    assert follow.status_code == 200 and follow.json()["error"] is None
