"""The HTTP contract of /api/graph, /api/examples and /healthz (v1)."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from app.schemas import ErrorResponse, ExampleOut, GraphResponse, Health
from bench.programs import manual_backprop

SCALAR_CHAIN = "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2 + 3\nz = y ** 2\nz.backward()"


def test_issue_example_returns_graph_json_and_svg(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": SCALAR_CHAIN})
    assert response.status_code == 200
    body = GraphResponse.model_validate(response.json())
    ops = [n.op for n in body.nodes if n.kind == "function"]
    assert ops == ["PowBackward0", "AddBackward0", "PowBackward0"]
    (x,) = [n for n in body.nodes if n.kind == "tensor" and n.name == "x"]
    assert x.grad is not None and x.grad.data == 56.0
    assert body.error is None and body.stdout == ""
    assert body.svg is not None and body.svg.lstrip().startswith("<?xml")
    assert body.dot is not None and body.dot.startswith("digraph")


def test_a_hand_written_backward_pass_answers_with_an_svg(client: TestClient) -> None:
    """Issue 15: the 709-node manual-backprop graph Graphviz spent its whole deadline on comes
    back drawn (the layered layout), every node in the picture."""
    response = client.post("/api/graph", json={"code": manual_backprop(19)})
    assert response.status_code == 200
    body = response.json()
    assert body["error"] is None and body["render_error"] is None
    assert body["svg"] is not None and body["svg"].lstrip().startswith("<?xml")
    assert all(f'id="{node["id"]}"' in body["svg"] for node in body["nodes"])


def test_svg_node_ids_equal_json_ids(client: TestClient) -> None:
    body = client.post("/api/graph", json={"code": SCALAR_CHAIN}).json()
    svg_nodes = set(re.findall(r'<g id="([^"]+)" class="node"', body["svg"]))
    svg_edges = set(re.findall(r'<g id="([^"]+)" class="edge"', body["svg"]))
    assert svg_nodes == {n["id"] for n in body["nodes"]}
    assert svg_edges == {e["id"] for e in body["edges"]}


def test_dot_and_svg_can_be_left_out(client: TestClient) -> None:
    body = client.post("/api/graph", json={"code": SCALAR_CHAIN, "dot": False, "svg": False}).json()
    assert body["dot"] is None and body["svg"] is None
    assert len(body["nodes"]) == 6


def test_unknown_request_fields_are_ignored(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": SCALAR_CHAIN, "svg": False, "theme": "dark"})
    assert response.status_code == 200


def test_syntax_error_is_400_with_line_and_col(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": "x = torch.ones(2)\ny = (x +"})
    assert response.status_code == 400
    error = ErrorResponse.model_validate(response.json()).error
    assert error.type == "SyntaxError"
    assert error.line == 2 and error.col is not None


def test_refused_construct_is_400_naming_it(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": "x = 1\ny = x.__dict__"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "RefusedConstruct"
    assert "__dict__" in error["message"]
    assert (error["line"], error["col"]) == (2, 5)
    assert error["hint"]["key"] == "sandbox_underscore"
    assert error["hint"]["en"] and re.search(r"[\u4e00-\u9fff]", error["hint"]["zh"])


def test_refused_import_is_400_with_what_to_do(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": "import os"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "RefusedImport"
    assert error["hint"]["key"] == "sandbox_files"
    response = client.post("/api/graph", json={"code": "import torchvision"})
    assert response.json()["error"]["hint"]["key"] == "sandbox_network"


def test_program_error_returns_partial_graph_and_hint(client: TestClient) -> None:
    code = "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.backward()\nz = y + 1"
    response = client.post("/api/graph", json={"code": code})
    assert response.status_code == 200
    body = GraphResponse.model_validate(response.json())
    assert body.error is not None
    assert body.error.type == "RuntimeError"
    assert body.error.line == 3
    assert body.error.hint is not None and body.error.hint.key == "nonscalar_backward"
    assert "标量" in body.error.hint.zh
    names = {n.name for n in body.nodes if n.kind == "tensor"}
    assert names == {"x", "y"}


def test_limit_hit_is_a_result_not_a_crash(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": "x = torch.zeros(100000, 100000)"})
    assert response.status_code == 200
    error = response.json()["error"]
    assert error["type"] == "LimitExceeded" and error["line"] == 1


def test_timeout_is_reported_and_service_recovers(client: TestClient) -> None:
    code = "x = torch.ones(1000, 1000)\nfor i in range(100000):\n    y = x @ x"
    response = client.post("/api/graph", json={"code": code})
    assert response.status_code == 200
    body = response.json()
    assert body["error"]["type"] in ("TimeLimitExceeded", "LimitExceeded")
    assert client.post("/api/graph", json={"code": SCALAR_CHAIN}).status_code == 200


def test_code_too_long_is_413(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": "x = 1\n" * 5000})
    assert response.status_code == 413
    assert response.json()["error"]["type"] in ("CodeTooLong", "RequestTooLarge")


def test_body_over_limit_is_413_before_parsing(client: TestClient) -> None:
    response = client.post(
        "/api/graph",
        content=b'{"code": "' + b"a" * 200_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "RequestTooLarge"


@pytest.mark.parametrize(
    "payload",
    [{}, {"code": 5}, {"code": None}, {"kode": "x = 1"}, [], "x = 1"],
)
def test_malformed_request_is_422(client: TestClient, payload: object) -> None:
    assert client.post("/api/graph", json=payload).status_code == 422


def test_invalid_json_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/graph", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_stdout_is_captured(client: TestClient) -> None:
    body = client.post(
        "/api/graph", json={"code": "print('hello', 1 + 2)\nprint(torch.ones(2))"}
    ).json()
    assert body["stdout"] == "hello 3\ntensor([1., 1.])\n"


def test_examples_endpoint_lists_gallery(client: TestClient) -> None:
    response = client.get("/api/examples")
    assert response.status_code == 200
    examples = [ExampleOut.model_validate(item) for item in response.json()]
    assert len(examples) >= 20
    assert examples[0].id == "scalar_chain"
    assert all(e.title.en and e.title.zh for e in examples)


def test_every_example_runs_through_the_api(client: TestClient) -> None:
    for example in client.get("/api/examples").json():
        response = client.post("/api/graph", json={"code": example["code"], "svg": False})
        assert response.status_code == 200, example["id"]
        assert response.json()["error"] is None, example["id"]


def test_healthz_reports_pool(client: TestClient) -> None:
    health = Health.model_validate(client.get("/healthz").json())
    assert health.status == "ok"
    assert health.pool.size == 2 and health.pool.alive >= 1


def test_openapi_documents_the_contract(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/api/graph"]["post"]
    assert {"200", "400", "413", "422", "429"} <= set(post["responses"])
    assert client.get("/docs").status_code == 200


def test_function_nodes_name_the_module_that_made_them(client: TestClient) -> None:
    """Additive v1 fields: ``module`` and ``module_type`` on every function node (null outside
    every module), documented in the OpenAPI schema."""
    code = "model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())\ny = model(torch.ones(1, 2)) * 2\n"
    body = GraphResponse.model_validate(client.post("/api/graph", json={"code": code}).json())
    scopes = [(n.op, n.module, n.module_type) for n in body.nodes if n.kind == "function"]
    assert sorted(scopes, key=str) == sorted(
        [
            ("MulBackward0", None, None),
            ("ReluBackward0", "model.1", "ReLU"),
            ("AddmmBackward0", "model.0", "Linear"),
            ("TBackward0", "model.0", "Linear"),
        ],
        key=str,
    )
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"module", "module_type"} <= set(schema["FunctionNode"]["properties"])
    assert "modules" in schema["Omitted"]["properties"]


def test_timeout_kills_worker_and_pool_recovers() -> None:
    from app.config import Settings
    from app.main import create_app

    settings = Settings(workers=1, eval_timeout_s=0.5, queue_wait_s=30.0)
    with TestClient(create_app(settings)) as slow_client:
        code = "x = torch.ones(10)\nfor i in range(100000):\n    y = x.sum() + i"
        body = slow_client.post("/api/graph", json={"code": code}).json()
        assert body["error"]["type"] == "TimeLimitExceeded"
        assert body["timed_out"] is True
        assert "0.5 s" in body["error"]["message"]
        after = slow_client.post("/api/graph", json={"code": SCALAR_CHAIN, "svg": False})
        assert after.status_code == 200 and after.json()["error"] is None
        assert slow_client.get("/healthz").json()["pool"]["restarts"] == 1


def test_rate_limit_answers_429_with_retry_after() -> None:
    from app.config import Settings
    from app.main import create_app

    settings = Settings(workers=1, rate_limit_per_s=0.5, rate_limit_burst=2)
    with TestClient(create_app(settings)) as limited:
        codes = [
            limited.post("/api/graph", json={"code": "x = 1", "svg": False}).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]
        refused = limited.post("/api/graph", json={"code": "x = 1"})
        assert refused.json()["error"]["type"] == "RateLimited"
        assert int(refused.headers["Retry-After"]) >= 1


def test_full_queue_answers_429_at_once() -> None:
    import concurrent.futures
    import time

    from app.config import Settings
    from app.main import create_app

    # One client sends all four: its cap on requests in flight is lifted to reach the queue.
    settings = Settings(
        workers=1, max_waiting=1, queue_wait_s=30.0, rate_limit_per_s=0, max_in_flight_per_client=4
    )
    slow = "x = torch.ones(10)\nfor i in range(30000):\n    y = x.sum()"
    with TestClient(create_app(settings)) as busy:
        with concurrent.futures.ThreadPoolExecutor(4) as threads:
            started = time.monotonic()
            futures = [
                threads.submit(busy.post, "/api/graph", json={"code": slow, "svg": False})
                for _ in range(4)
            ]
            codes = sorted(f.result().status_code for f in futures)
        assert codes.count(200) >= 2 and 429 in codes
        refused = next(f.result() for f in futures if f.result().status_code == 429)
        assert refused.headers["Retry-After"] == "1"
        assert refused.json()["error"]["type"] == "Busy"
        assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"code=x", "application/x-www-form-urlencoded"),
        (b"--b\r\nbroken", "multipart/form-data; boundary=b"),
        (b'{"code": "x"}', "text/plain"),
        (b"\xff\xfe", "application/json"),
    ],
)
def test_unreadable_bodies_are_422(client: TestClient, content: bytes, content_type: str) -> None:
    response = client.post("/api/graph", content=content, headers={"content-type": content_type})
    assert response.status_code == 422
    assert response.json()["error"]["type"] == "InvalidRequest"


def test_repeated_program_is_served_from_cache(client: TestClient) -> None:
    code = SCALAR_CHAIN + "\n# cache test"
    first = client.post("/api/graph", json={"code": code})
    second = client.post("/api/graph", json={"code": code})
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert first.content == second.content


def _server_timing(header: str) -> dict[str, tuple[float | None, str | None]]:
    """``{name: (dur, desc)}`` from a Server-Timing value, by the W3C grammar's simple form."""
    metrics: dict[str, tuple[float | None, str | None]] = {}
    for metric in header.split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        values = dict(param.split("=", 1) for param in params)
        dur = float(values["dur"]) if "dur" in values else None
        metrics[name] = (dur, values["desc"].strip('"') if "desc" in values else None)
    return metrics


def test_answers_say_where_the_time_went(client: TestClient) -> None:
    code = SCALAR_CHAIN + "\n# timing test"
    miss = client.post("/api/graph", json={"code": code})
    metrics = _server_timing(miss.headers["Server-Timing"])
    assert list(metrics) == ["queue", "worker", "run", "render", "total"]
    dur = {name: value for name, (value, _) in metrics.items()}
    assert all(value is not None and value >= 0 for value in dur.values())
    assert dur["run"] == pytest.approx(miss.json()["elapsed_ms"], abs=0.006)
    assert dur["worker"] >= dur["run"]  # the round trip holds the worker's run
    parts = dur["queue"] + dur["worker"] + dur["render"]  # type: ignore[operator]
    assert dur["total"] >= parts - 0.02  # disjoint steps of the route, each rounded
    hit = client.post("/api/graph", json={"code": code})
    assert _server_timing(hit.headers["Server-Timing"]).keys() == {"cache", "total"}
    assert _server_timing(hit.headers["Server-Timing"])["cache"] == (None, "hit")
    plain = client.post("/api/graph", json={"code": code + "!", "dot": False, "svg": False})
    assert "render" not in _server_timing(plain.headers["Server-Timing"])


def test_unseeded_random_program_is_never_cached(client: TestClient) -> None:
    code = "x = torch.randn(3, requires_grad=True)\ny = (x * 2).sum()"
    first = client.post("/api/graph", json={"code": code, "svg": False})
    second = client.post("/api/graph", json={"code": code, "svg": False})
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "miss")
    values = [r.json()["nodes"][0]["value"]["data"] for r in (first, second)]
    assert values[0] != values[1]


def test_seeded_random_program_is_cached(client: TestClient) -> None:
    code = "torch.manual_seed(3)\nx = torch.randn(3, requires_grad=True)\ny = (x * 2).sum()"
    client.post("/api/graph", json={"code": code, "svg": False})
    assert client.post("/api/graph", json={"code": code, "svg": False}).headers["X-Cache"] == "hit"


def test_worn_worker_is_replaced_without_a_gap() -> None:
    from app.config import Settings
    from app.main import create_app

    settings = Settings(workers=1, worker_recycle_after=2, queue_wait_s=0.5, rate_limit_per_s=0)
    with TestClient(create_app(settings)) as recycling:
        codes = []
        for i in range(12):
            response = recycling.post("/api/graph", json={"code": f"x = {i}", "svg": False})
            codes.append(response.status_code)
        assert codes == [200] * 12  # never a 429 while a replacement warms up
        import time

        deadline = time.monotonic() + 30
        pool = recycling.get("/healthz").json()["pool"]
        while time.monotonic() < deadline and not (pool["restarts"] >= 1 and pool["alive"] == 1):
            time.sleep(0.2)
            pool = recycling.get("/healthz").json()["pool"]
        assert pool["restarts"] >= 1
        assert (pool["alive"], pool["idle"]) == (1, 1)  # the worn worker stopped once replaced


def test_worker_killed_while_idle_is_never_handed_a_request() -> None:
    import os
    import signal
    import time

    from app.config import Settings
    from app.main import create_app

    settings = Settings(workers=2, queue_wait_s=30.0, rate_limit_per_s=0)
    with TestClient(create_app(settings)) as guarded:
        pool = guarded.app.state.pool
        victim = next(iter(pool._all)).process.pid
        os.kill(victim, signal.SIGKILL)
        time.sleep(0.2)
        assert guarded.get("/healthz").json()["pool"]["alive"] == 1
        for i in range(4):
            body = guarded.post("/api/graph", json={"code": f"x = {i}", "svg": False}).json()
            assert body["error"] is None


@pytest.mark.parametrize(
    "code",
    [
        "x = torch.tensor(2.0, requires_grad=True)\ny = (x ** 2 + 3) ** 2\ny.backward()",
        "x = torch.ones(2, requires_grad=True)\ny = x * 2\nz = 1 / 0",  # error, partial graph
        "print('no tensors')",
        "import os",  # refused: 400
    ],
)
def test_answer_names_each_field_once(client: TestClient, code: str) -> None:
    """The graph's fields and the rest of the answer are joined without repeating a key."""

    def no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    response = client.post("/api/graph", json={"code": code})
    body = json.loads(response.content, object_pairs_hook=no_duplicates)
    if response.status_code == 200:
        assert set(GraphResponse.model_fields) <= set(body)
        assert isinstance(body["truncated"], bool)


@pytest.mark.parametrize(
    "graph_json",
    [b'{"nodes":[],"edges":[]}', b' \n{ "nodes": [ ], "edges": [] }\t\n', b"{}", b"{ }"],
    ids=["compact", "spaced", "empty", "empty-spaced"],
)
def test_the_answer_is_the_workers_graph_then_the_rest(graph_json: bytes) -> None:
    from app.api.graph import _answer

    rest = {"stdout": '引号 " and \\', "svg": "<svg>" + "x" * 1000 + "</svg>", "dot": None}
    answer = _answer(graph_json, rest)
    assert json.loads(answer) == {**json.loads(graph_json), **rest}
    assert answer.startswith(b'{"') and answer.endswith(b"}")
