"""Schemathesis against our own OpenAPI schema, over real HTTP: no 5xx, no response off-schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from app.config import Settings
from app.main import create_app

SCHEMA = schemathesis.openapi.from_dict(create_app(Settings()).openapi())
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _check(case: schemathesis.Case, base_url: str) -> None:
    response = case.call(base_url=base_url)
    assert response.status_code < 500, response.text
    # Random program text is mostly a syntax error: a documented 400, not a rejected request.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])


@FUZZ
@given(case=SCHEMA["/api/graph"]["POST"].as_strategy())
def test_graph_endpoint_conforms(case: schemathesis.Case, live_server: str) -> None:
    _check(case, live_server)


@FUZZ
@given(data=st.data())
def test_read_endpoints_conform(data: st.DataObject, live_server: str) -> None:
    path = data.draw(st.sampled_from(["/api/examples", "/healthz"]))
    case = data.draw(SCHEMA[path]["GET"].as_strategy())
    _check(case, live_server)


@FUZZ
@given(case=SCHEMA["/api/graph"]["POST"].as_strategy(schemathesis.GenerationMode.NEGATIVE))
def test_graph_endpoint_rejects_malformed_requests_without_5xx(
    case: schemathesis.Case, live_server: str
) -> None:
    response = case.call(base_url=live_server)
    assert response.status_code < 500, response.text
    case.validate_response(response, excluded_checks=[positive_data_acceptance])


@settings(FUZZ, max_examples=30)
@given(case=SCHEMA["/api/graph.svg"]["GET"].as_strategy())
def test_graph_image_endpoint_conforms(case: schemathesis.Case, live_server: str) -> None:
    _check(case, live_server)
