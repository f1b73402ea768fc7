"""The contract's additions for a reader of Chinese (v1 stays valid): `message_zh` on the
service's own errors, null on the program's own exception; `lang` for the drawing's words."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.schemas import ErrorResponse, GraphResponse

CJK = re.compile(r"[\u4e00-\u9fff]")
UNNAMED_ROOT = "x = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()\n"


def test_refused_program_has_a_chinese_message(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": "import os\n"})
    assert response.status_code == 400
    error = ErrorResponse.model_validate(response.json()).error
    assert error.message_zh is not None and CJK.search(error.message_zh)
    assert "'os'" in error.message_zh


def test_sandbox_violation_at_run_time_has_a_chinese_message(client: TestClient) -> None:
    body = client.post("/api/graph", json={"code": "x = torch.ones(2)\nf = open('a')\n"}).json()
    error = GraphResponse.model_validate(body).error
    assert error is not None and error.type == "SandboxViolation"
    assert error.message_zh is not None and "'open'" in error.message_zh


def test_program_exception_keeps_its_own_words_only(client: TestClient) -> None:
    body = client.post("/api/graph", json={"code": "y = 1 / 0\n"}).json()
    error = GraphResponse.model_validate(body).error
    assert error is not None and error.type == "ZeroDivisionError"
    assert error.message == "division by zero"  # as Python says it
    assert error.message_zh is None


def test_lang_zh_draws_the_added_words_in_chinese(client: TestClient) -> None:
    english = client.post("/api/graph", json={"code": UNNAMED_ROOT}).json()
    chinese = client.post("/api/graph", json={"code": UNNAMED_ROOT, "lang": "zh"}).json()
    assert "backward root" in english["svg"] and "scalar" in english["dot"]
    assert "backward root" not in chinese["svg"] and "scalar" not in chinese["svg"]
    assert "反向传播起点" in chinese["svg"] and "标量" in chinese["dot"]
    # The JSON is the same data in both: only the drawing's words change.
    assert [n["label"] for n in chinese["nodes"]] == [n["label"] for n in english["nodes"]]


def test_unknown_lang_is_a_malformed_request(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": UNNAMED_ROOT, "lang": "fr"})
    assert response.status_code == 422
