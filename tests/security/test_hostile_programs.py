"""Hostile programs through the real API and worker pool.

Each one must get an error answer (400/413 refusal, or 200 with ``error``) of an expected type
within the time limit, must leave no file behind, and the next benign request must succeed on
the same pool.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.hints.refusal_text import SERVICE_KINDS
from tests.security.hostile_programs import HOSTILE, Hostile

_benign_values = itertools.count(1)
# Past the program's own time limit: waiting for a free worker, killing and answering.
_SLACK_S = 10.0


def _post(client: TestClient, code: str) -> httpx.Response:
    # ASCII JSON with escapes, as a client would send a lone surrogate or a NUL byte.
    body = json.dumps({"code": code, "dot": False, "svg": False})
    return client.post("/api/graph", content=body, headers={"content-type": "application/json"})


def answer_of(response: httpx.Response) -> str:
    """``refused:<type>``, ``error:<type>`` or ``ok`` for one response of /api/graph."""
    body: dict[str, Any] = response.json()
    if response.status_code in (400, 413):
        return f"refused:{body['error']['type']}"
    assert response.status_code == 200, (response.status_code, response.text[:500])
    error = body["error"]
    return f"error:{error['type']}" if error is not None else "ok"


def post_when_free(client: TestClient, code: str, wait_s: float = 90.0) -> httpx.Response:
    """POST, retrying while the pool says it is busy (429/503: a killed worker is restarting)."""
    deadline = time.monotonic() + wait_s
    while True:
        response = _post(client, code)
        if response.status_code not in (429, 503) or time.monotonic() > deadline:
            return response
        time.sleep(float(response.headers.get("Retry-After", "0.5")))


def assert_benign_succeeds(client: TestClient) -> None:
    """A fresh (never cached) benign program runs and its leaf gets the right gradient."""
    value = next(_benign_values)
    code = f"x = torch.tensor({value}.0, requires_grad=True)\ny = x ** 2\ny.backward()\n"
    response = post_when_free(client, code)
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert body["error"] is None, body["error"]
    leaf = next(n for n in body["nodes"] if n["kind"] == "tensor" and n.get("name") == "x")
    assert leaf["grad"]["data"] == 2.0 * value


def assert_said_in_chinese(response: httpx.Response) -> None:
    """The service's own refusal or limit comes in Chinese too (``message_zh``); the program's
    own exception (Python's or PyTorch's words) has none."""
    error = response.json().get("error")
    if error is None:
        return
    if error["type"] in SERVICE_KINDS:
        assert re.search(r"[\u4e00-\u9fff]", error["message_zh"] or ""), error
    else:
        assert error.get("message_zh") is None, error


def _cases() -> list[Any]:
    """The table as test cases; an entry with a known hole is a strict xfail with its reason."""
    return [
        pytest.param(h, marks=pytest.mark.xfail(strict=True, reason=h.xfail)) if h.xfail else h
        for h in HOSTILE
    ]


@pytest.mark.parametrize("hostile", _cases(), ids=[f"{h.category}:{h.id}" for h in HOSTILE])
def test_hostile_program(client: TestClient, hostile: Hostile) -> None:
    canary = Path(f"/tmp/agv-canary-{uuid.uuid4()}")
    assert not canary.exists()
    code = hostile.code.replace("CANARY", repr(str(canary)))
    settings = client.app.state.settings  # type: ignore[attr-defined]

    started = time.monotonic()
    response = post_when_free(client, code)
    elapsed = time.monotonic() - started

    answer = answer_of(response)
    assert answer in hostile.expect, (answer, response.text[:500])
    assert_said_in_chinese(response)
    assert elapsed < settings.eval_timeout_s + settings.queue_wait_s + _SLACK_S
    assert not canary.exists(), f"{hostile.id} created {canary}"
    assert_benign_succeeds(client)


def test_table_is_broad() -> None:
    """At least 80 programs, and every category of the threat model is covered."""
    categories = Counter(h.category for h in HOSTILE)
    assert len(HOSTILE) >= 80
    assert set(categories) == {"escape", "file", "network", "process", "resource", "parser"}
    assert len({h.id for h in HOSTILE}) == len(HOSTILE)


def test_text_that_is_not_valid_unicode_is_escaped(client: TestClient) -> None:
    """A lone surrogate cannot be UTF-8: printed or in an assert message, it comes back escaped."""
    body = post_when_free(client, "print(chr(0xD800), 'ok')").json()
    assert body["stdout"] == "\\ud800 ok\n"
    response = post_when_free(client, "assert False, chr(0xDFFF)")
    assert response.status_code == 200
    assert response.json()["error"]["message"] == "\\udfff"


def test_lone_surrogate_in_a_graph_name(client: TestClient) -> None:
    """A name a program chose goes into the graph; one that cannot be UTF-8 crosses escaped."""
    code = (
        "s = nn.ModuleDict({chr(0xD800): nn.Linear(1, 1)})\n"
        "y = s[chr(0xD800)](torch.ones(1, 1))\ny.sum().backward()"
    )
    response = post_when_free(client, code)
    assert response.status_code == 200
    body = response.json()
    assert body["error"] is None
    assert "s.\ud800.weight" in {node.get("name") for node in body["nodes"]}


def test_lone_surrogate_in_an_exception_message(client: TestClient) -> None:
    code = "x = torch.ones(2)\nl = F.mse_loss(x, x, reduction=chr(0xD800))"
    response = post_when_free(client, code)
    assert response.status_code == 200
    assert response.json()["error"]["type"] == "ValueError"
