"""The answer of a program that failed while it ran places its error by line and column."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.schemas import GraphResponse


def test_the_error_has_its_column(client: TestClient) -> None:
    code = "x = torch.ones(3)\ny = x + 1;  z = x.view(7)\n"
    body = client.post("/api/graph", json={"code": code}).json()
    error = GraphResponse.model_validate(body).error
    assert error is not None and error.type == "RuntimeError"
    assert (error.line, error.col) == (2, 17)
    assert body["error"]["col"] == 17
