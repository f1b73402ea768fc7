"""HTTP conventions (issue 16, point 7): one error shape for every 4xx and 5xx, Retry-After in
OpenAPI, the CORS allowlist (off by default), HEAD wherever GET is served, liveness apart from
readiness, and Swagger UI served by the app itself."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api.health import is_ready
from app.config import Settings, SettingsError, settings_from_env
from app.main import create_app
from app.schemas import ErrorResponse

JSON = {"content-type": "application/json"}
COURSE = "https://course.example.edu"


def _error_type(response: httpx.Response) -> str:
    body = ErrorResponse.model_validate(response.json())
    assert body.error.message and body.error.message_zh
    return body.error.type


def test_unknown_path_is_404_in_the_error_shape(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert _error_type(response) == "NotFound"


def test_wrong_method_is_405_in_the_error_shape_with_allow(client: TestClient) -> None:
    response = client.put("/api/graph", json={"code": "x = 1"})
    assert response.status_code == 405
    assert _error_type(response) == "MethodNotAllowed"
    assert response.headers["allow"] == "POST"


def test_invalid_body_is_422_in_the_error_shape_with_field_errors(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": 3})
    assert response.status_code == 422
    assert _error_type(response) == "InvalidRequest"
    assert [error["loc"] for error in response.json()["error"]["detail"]] == [["body", "code"]]


def test_number_for_a_boolean_field_is_422_as_the_schema_says(client: TestClient) -> None:
    """OpenAPI says ``dot`` is a boolean; pydantic's lax mode took ``0.0`` as false."""
    response = client.post("/api/graph", json={"code": "x = 1", "dot": 0.0})
    assert response.status_code == 422
    assert response.json()["error"]["detail"][0]["loc"] == ["body", "dot"]


def test_unexpected_failure_is_500_in_the_error_shape() -> None:
    app = create_app(Settings(workers=1, render_workers=1))

    @app.get("/fails")
    async def fails() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as failing:
        response = failing.get("/fails")
    assert response.status_code == 500
    assert _error_type(response) == "InternalError"
    assert "a bug" not in response.text


def test_openapi_describes_every_error_as_the_error_shape(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    answers = [
        (path, status, answer)
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        for status, answer in operation["responses"].items()
        if int(status) >= 400
    ]
    assert {(path, status) for path, status, _ in answers} >= {
        ("/api/graph", "422"),
        ("/api/graph", "429"),
        ("/api/graph", "503"),
        ("/healthz/ready", "503"),
    }
    for _, _, answer in answers:
        reference = answer["content"]["application/json"]["schema"]["$ref"]
        assert reference == "#/components/schemas/ErrorResponse"
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_openapi_gives_retry_after_on_429_and_503(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path, status in [("/api/graph", "429"), ("/api/graph", "503"), ("/healthz/ready", "503")]:
        operation = next(iter(schema["paths"][path].values()))
        assert "Retry-After" in operation["responses"][status]["headers"], (path, status)


@pytest.mark.parametrize(
    "path", ["/", "/healthz", "/healthz/live", "/healthz/ready", "/api/examples", "/docs"]
)
def test_head_answers_as_get_without_body(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert (head.status_code, got.status_code) == (200, 200)
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_head_of_a_static_file_still_answers(client: TestClient) -> None:
    head = client.head("/static/js/main.js")
    assert head.status_code == 200 and head.content == b""
    # the same length as GET's body on the wire (gzipped when the client accepts it)
    get = client.get("/static/js/main.js")
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers.get("content-encoding") == get.headers.get("content-encoding")
    plain = {"accept-encoding": "identity"}
    head = client.head("/static/js/main.js", headers=plain)
    assert int(head.headers["content-length"]) == len(client.get("/static/js/main.js").content)


def test_cors_is_off_by_default(client: TestClient) -> None:
    response = client.post("/api/graph", json={"code": "x = 1"}, headers={"origin": COURSE})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/api/graph",
        headers={"origin": COURSE, "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


@pytest.fixture(scope="module")
def cors_client() -> Iterator[TestClient]:
    settings = Settings(workers=1, render_workers=1, rate_limit_per_s=0, cors_origins=(COURSE,))
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_cors_allowlist_lets_a_listed_course_page_call_the_api(cors_client: TestClient) -> None:
    preflight = cors_client.options(
        "/api/graph",
        headers={
            "origin": COURSE,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == COURSE
    response = cors_client.post("/api/graph", json={"code": "x = 1"}, headers={"origin": COURSE})
    assert response.headers["access-control-allow-origin"] == COURSE
    assert "Retry-After" in response.headers["access-control-expose-headers"]


def test_cors_allowlist_ignores_an_unlisted_origin(cors_client: TestClient) -> None:
    response = cors_client.get("/api/examples", headers={"origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_liveness_and_readiness_say_ok_once_workers_are_warm(client: TestClient) -> None:
    assert client.get("/healthz/live").json() == {"status": "ok"}
    ready = client.get("/healthz/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ok"
    assert client.get("/healthz").json()["status"] == "ok"


def test_readiness_is_503_before_the_workers_start_while_liveness_is_200() -> None:
    """Without the lifespan (no ``with``), the pools never start: alive, not ready."""
    app = create_app(Settings(workers=1, render_workers=1))
    cold = TestClient(app)
    assert cold.get("/healthz/live").status_code == 200
    ready = cold.get("/healthz/ready")
    assert ready.status_code == 503
    assert _error_type(ready) == "Unavailable"
    assert ready.headers["retry-after"] == "2"
    health = cold.get("/healthz")  # unchanged: 200, its status says "starting"
    assert (health.status_code, health.json()["status"]) == (200, "starting")
    assert not is_ready(app.state.pool, app.state.drawing)


def test_swagger_ui_is_served_by_the_app_under_a_csp_without_other_origins(
    client: TestClient,
) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "http" not in page.text.replace('"/', "")  # no absolute URL: nothing from a CDN
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"):
        assert asset in page.text
        assert client.get(asset).status_code == 200
    start = client.get("/docs/start.js")
    assert start.status_code == 200 and "/openapi.json" in start.text


def test_cors_origin_setting_is_checked() -> None:
    listed = settings_from_env({"AGV_CORS_ORIGINS": f"{COURSE}, http://127.0.0.1:8080"})
    assert listed.cors_origins == (COURSE, "http://127.0.0.1:8080")
    with pytest.raises(SettingsError, match="AGV_CORS_ORIGINS: 'course.example.edu/x'"):
        settings_from_env({"AGV_CORS_ORIGINS": "course.example.edu/x"})
