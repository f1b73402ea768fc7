"""The HTTP edge (issue 13, points 4 and 5): no 5xx for any body, a fair share of the workers
per client, clients told apart only through trusted proxies, deadlines for a request's head
and body. The deadlines and uvicorn's settings are checked on the real server
(``python -m app.serve``), started here with short deadlines."""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import json
import math
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.main import create_app
from app.workers.pool import PoolBusy, PoolClosed
from tools.live_server import HOST, ROOT, free_port, healthz

JSON = {"content-type": "application/json"}
# About a second in a worker (loops are counted, not timed: the limit is 100,000 iterations).
SLOW = "x = torch.ones(10)\nfor i in range(60000):\n    y = x.sum()"


def _strict_json(text: str) -> Any:
    """Parse as JSON proper: NaN and the infinities are not JSON."""

    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def edge_client() -> Iterator[TestClient]:
    """The app without its workers: what is refused before a program runs needs none."""
    yield TestClient(create_app(Settings(rate_limit_per_s=0)))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"code": NaN}', "application/json"),
        (b'{"code": Infinity}', "application/json"),
        (b'{"code": "x", "svg": -Infinity}', "application/json"),
        (b'{"code": 1e999}', "application/json"),
        (b"NaN", "application/json"),
        (b'{"code": {"\\ud800": NaN}}', "application/json"),
        (b'{"code": 1, "svg": "\\ud800"}', "application/json"),
        (b'{"\\udfff": 1}', "application/json"),
        (b"\xff\xfe", "text/plain"),
        (b"[" * 20_000 + b"]" * 20_000, "application/json"),
    ],
)
def test_malformed_bodies_answer_422_in_valid_json(
    edge_client: TestClient, body: bytes, content_type: str
) -> None:
    response = edge_client.post("/api/graph", content=body, headers={"content-type": content_type})
    assert response.status_code == 422
    assert _strict_json(response.text)["error"]["detail"]


# What Python's JSON reader accepts: any float (NaN, the infinities), any text (lone
# surrogates too), nested.
TEXT = st.text(st.characters(categories=["Cs"]) | st.characters(), max_size=5)
PYTHON_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=10,
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=PYTHON_JSON, other=PYTHON_JSON)
def test_any_python_json_that_is_no_program_answers_422_in_valid_json(
    edge_client: TestClient, value: Any, other: Any
) -> None:
    if isinstance(value, str):
        value = [value]  # a string would be a program to run
    body = json.dumps({"code": value, "svg": other}).encode("utf-8", "surrogatepass")
    response = edge_client.post("/api/graph", content=body, headers=JSON)
    assert response.status_code == 422
    assert _strict_json(response.text)["error"]["detail"]


def test_non_finite_input_is_echoed_as_text(edge_client: TestClient) -> None:
    response = edge_client.post("/api/graph", content=b'{"code": -Infinity}', headers=JSON)
    assert [error["input"] for error in response.json()["error"]["detail"]] == ["-Infinity"]
    assert math.isinf(json.loads("-Infinity"))  # what Python's reader made of it


def test_body_growing_past_the_limit_is_413_in_the_error_shape(edge_client: TestClient) -> None:
    chunks = (b'{"code": "' + b"x" * 50_000 for _ in range(3))  # chunked: no Content-Length
    response = edge_client.post("/api/graph", content=chunks, headers=JSON)
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "RequestTooLarge"


class PeerFromHeader:
    """The app as if each request came from the address in its ``x-test-peer`` header (one
    TestClient, one event loop, one worker pool; many socket peers)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            peer = dict(scope["headers"]).get(b"x-test-peer")
            if peer is not None:
                scope = {**scope, "client": (peer.decode(), 40000)}
        await self.app(scope, receive, send)


def _client(settings: Settings) -> TestClient:
    return TestClient(PeerFromHeader(create_app(settings)))


def _post(client: TestClient, peer: str, code: str, forwarded_for: str | None = None) -> Any:
    headers = {"x-test-peer": peer}
    if forwarded_for is not None:
        headers["x-forwarded-for"] = forwarded_for
    return client.post("/api/graph", json={"code": code, "svg": False}, headers=headers)


def test_one_client_cannot_hold_every_worker() -> None:
    # Two workers; one client sends two slow programs at once, another client a quick one.
    settings = Settings(workers=2, rate_limit_per_s=0, queue_wait_s=0.05)
    with _client(settings) as client, concurrent.futures.ThreadPoolExecutor(3) as threads:
        greedy = [threads.submit(_post, client, "198.51.100.7", SLOW) for _ in range(2)]
        time.sleep(0.3)  # both of its requests are in (one runs, one waits for its slot)
        other = threads.submit(_post, client, "203.0.113.9", "x = 1")
        assert other.result().status_code == 200  # a worker was left for the other client
        answers = sorted((f.result() for f in greedy), key=lambda answer: answer.status_code)
    assert [answer.status_code for answer in answers] == [200, 429]
    refused = answers[1]
    assert refused.json()["error"]["type"] == "TooManyInFlight"
    assert "1 request running" in refused.json()["error"]["message"]
    assert refused.headers["retry-after"] == "1"


def test_a_clients_next_request_waits_for_its_own_slot() -> None:
    settings = Settings(workers=2, rate_limit_per_s=0, queue_wait_s=30.0)
    with _client(settings) as client, concurrent.futures.ThreadPoolExecutor(3) as threads:
        answers = [threads.submit(_post, client, "198.51.100.7", f"x = {i}") for i in range(3)]
        assert [f.result().status_code for f in answers] == [200, 200, 200]


class _FailingPool:
    """A worker pool that fails every program the way ``failure`` says."""

    started_at = 0.0

    def __init__(self, failure: BaseException) -> None:
        self.failure = failure

    async def evaluate(self, code: str, on_drawn: Any = None) -> Any:
        raise self.failure

    def state(self) -> dict[str, int]:
        return {"size": 1, "alive": 1, "idle": 0, "waiting": 0, "restarts": 0}


@pytest.mark.parametrize(
    ("failure", "kind"),
    [(PoolBusy("all 1 workers are busy"), "Busy"), (PoolClosed("stopping"), "Unavailable")],
    ids=["pool-busy", "pool-closed"],
)
def test_a_request_the_pool_refuses_gives_its_slot_back(failure: BaseException, kind: str) -> None:
    # The slot is taken before the pool is asked; a 429 or 503 from the pool must free it, or
    # the client's next request would wait and get TooManyInFlight.
    settings = Settings(rate_limit_per_s=0, max_in_flight_per_client=1, queue_wait_s=0.05)
    with _client(settings) as client:
        client.app.app.state.pool = _FailingPool(failure)  # type: ignore[attr-defined]
        answers = [_post(client, "198.51.100.7", "x = 1") for _ in range(3)]
    assert [answer.json()["error"]["type"] for answer in answers] == [kind] * 3


def test_forwarded_for_counts_only_from_a_trusted_proxy() -> None:
    settings = Settings(
        workers=1, rate_limit_per_s=0.01, rate_limit_burst=1, trusted_proxies=("10.0.0.0/8",)
    )
    with _client(settings) as client:
        # Through the proxy: two clients, one request each.
        assert _post(client, "10.0.0.2", "x = 1", "198.51.100.7").status_code == 200
        assert _post(client, "10.0.0.2", "x = 1", "203.0.113.9").status_code == 200
        # Straight from a client: its own X-Forwarded-For changes nothing.
        assert _post(client, "192.0.2.1", "x = 1", "192.0.2.101").status_code == 200
        refused = _post(client, "192.0.2.1", "x = 1", "192.0.2.102")
    assert refused.status_code == 429 and refused.json()["error"]["type"] == "RateLimited"


# The real server, with short deadlines.

DEADLINE_S = 1
CLOSED_WITHIN_S = 10  # generous: a behavioural check, not a measurement


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``python -m app.serve`` on a free port; its port. One request per 100 s per client."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AGV_")}
    environ |= {
        "AGV_HEADER_TIMEOUT_S": str(DEADLINE_S),
        "AGV_BODY_TIMEOUT_S": str(DEADLINE_S),
        "AGV_RATE_LIMIT_PER_S": "0.01",
        "AGV_RATE_LIMIT_BURST": "1",
    }
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.serve", "--host", HOST, "--port", str(port)],
            cwd=ROOT,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            with contextlib.suppress(OSError, ValueError, http.client.HTTPException):
                if healthz(port).get("status") == "ok":
                    break
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _closed_by_server(connection: socket.socket, trickle: bytes = b"") -> bytes:
    """Everything the server sends until it closes; bytes of ``trickle`` sent meanwhile, one
    at a time (a client keeping its connection busy). Fails if it stays open."""
    received = b""
    connection.settimeout(0.2)
    deadline = time.monotonic() + CLOSED_WITHIN_S
    while time.monotonic() < deadline:
        try:
            chunk = connection.recv(65536)
        except TimeoutError:
            if trickle:
                with contextlib.suppress(OSError):
                    connection.sendall(trickle[:1])
                trickle = trickle[1:]
            continue
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
    raise AssertionError(f"the server kept the connection open for {CLOSED_WITHIN_S} s")


def test_half_a_header_is_closed_after_the_header_deadline(served: int) -> None:
    with socket.create_connection((HOST, served)) as connection:
        connection.sendall(b"POST /api/graph HTTP/1.1\r\nHost: x\r\n")
        assert _closed_by_server(connection) == b""


def test_a_header_trickled_a_byte_at_a_time_is_closed(served: int) -> None:
    with socket.create_connection((HOST, served)) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\n")
        assert _closed_by_server(connection, trickle=b"X-Slow: " + b"a" * 200) == b""


def test_a_connection_that_sends_nothing_is_closed(served: int) -> None:
    with socket.create_connection((HOST, served)) as connection:
        assert _closed_by_server(connection) == b""


def _sent_until_refused(connection: socket.socket, head: bytes, line: bytes, size: int) -> None:
    """``head``, then ``line`` over and over up to ``size`` bytes, never the head's end; stops
    early when the server closes."""
    connection.sendall(head)
    with contextlib.suppress(OSError):
        for _ in range(size // len(line)):
            connection.sendall(line)


@pytest.mark.parametrize(
    "line",
    [b"X-Many: " + b"a" * 8000 + b"\r\n", b"a" * 8000],
    ids=["many-headers", "one-endless-header"],
)
def test_a_head_past_the_size_limit_gets_431_and_is_closed(served: int, line: bytes) -> None:
    # uvicorn kept every header byte: 200 MiB of them grew the server by 200 MiB for good.
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + (b"X-Endless: " if b":" not in line else b"")
    with socket.create_connection((HOST, served)) as connection:
        _sent_until_refused(connection, head, line, 4 * 2**20)
        answer = _closed_by_server(connection)
    assert answer.startswith(b"HTTP/1.1 431 ")


def test_a_large_head_under_the_limit_is_answered(served: int) -> None:
    headers = b"".join(b"X-H%d: %s\r\n" % (i, b"a" * 1000) for i in range(50))
    with socket.create_connection((HOST, served)) as connection:
        connection.sendall(
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers + b"\r\n"
        )
        answer = _closed_by_server(connection)
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_a_body_sent_too_slowly_gets_408(served: int) -> None:
    head = b"POST /api/graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    with socket.create_connection((HOST, served)) as connection:
        connection.sendall(head + b"Content-Length: 100\r\n\r\n" + b'{"code": "')
        answer = _closed_by_server(connection)
    status, _, body = answer.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 408 ")
    assert json.loads(body)["error"]["type"] == "RequestTimeout"


def test_a_client_that_does_not_take_its_answers_is_dropped(served: int) -> None:
    # Each answer waits in the server's memory until its client takes it: thirty 7 MiB graphs
    # asked for and never read held 235 MiB. Here 300 stylesheets (11 MB) are asked for at once
    # and nothing is read for a few deadlines: the connection is dropped before they are all sent.
    asked = 300
    request = b"GET /static/css/app.css HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.socket() as connection:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        connection.connect((HOST, served))
        connection.sendall(request * asked)
        time.sleep(4 * DEADLINE_S)
        answers = _closed_by_server(connection).count(b"HTTP/1.1 200 ")
    assert answers < asked


def test_a_request_in_time_is_answered(served: int) -> None:
    assert healthz(served)["status"] == "ok"


def test_uvicorn_believes_no_forwarded_for(served: int) -> None:
    # uvicorn's --proxy-headers would take X-Forwarded-For from 127.0.0.1 as the client;
    # app.serve leaves it off: both requests are the same client, the second over its rate.
    statuses = []
    for forwarded_for in ("192.0.2.1", "192.0.2.2"):
        connection = http.client.HTTPConnection(HOST, served, timeout=30)
        body = json.dumps({"code": "x = 1", "svg": False})
        headers = {**JSON, "x-forwarded-for": forwarded_for}
        connection.request("POST", "/api/graph", body=body, headers=headers)
        statuses.append(connection.getresponse().status)
        connection.close()
    assert statuses == [200, 429]
