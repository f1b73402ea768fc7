"""Map failures to HTTP answers in one place: never a 5xx for anything a client sends."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from app.hints.refusal_text import chinese
from app.workers.pool import PoolBusy, PoolClosed


class RequestRefused(Exception):
    """A request refused with a status code and the contract's error body."""

    def __init__(
        self,
        status: int,
        kind: str,
        message: str,
        line: int | None = None,
        col: int | None = None,
        hint: dict[str, str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        error: dict[str, object] = {
            "type": kind,
            "message": message,
            "message_zh": chinese(kind, message),
            "line": line,
            "col": col,
        }
        if hint is not None:
            error["hint"] = hint
        self.body = {"error": error}
        self.headers = {"Retry-After": str(retry_after)} if retry_after is not None else None


def _error(
    status: int,
    kind: str,
    message: str,
    retry_after: int | None = None,
    headers: Mapping[str, str] | None = None,
    detail: list[Any] | None = None,
) -> JSONResponse:
    headers = dict(headers or {})
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    error: dict[str, Any] = {"type": kind, "message": message, "message_zh": chinese(kind, message)}
    error.update(line=None, col=None)
    if detail is not None:
        error["detail"] = detail
    body = {"error": error}
    return JSONResponse(body, status_code=status, headers=headers)


# JSON has no NaN or infinities, and UTF-8 no lone surrogates; Python's JSON reader accepts
# both (`{"code": NaN}`, `"\ud800"`), and a 422 echoes what it was sent: as text, these.
_NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


def json_safe(value: Any) -> Any:
    """``value`` (plain JSON-like data) with what JSON cannot carry replaced by text."""
    if isinstance(value, float) and not math.isfinite(value):
        return _NON_FINITE.get(value, "NaN")
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, bytes):  # a body that was not JSON
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {json_safe(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


# What a Starlette/FastAPI ``HTTPException`` means, as the contract's ``error.type``; any other
# status is ``HTTPError``. (400 is FastAPI's "could not parse the body": a malformed request.)
_HTTP_KINDS = {
    400: "InvalidRequest",
    404: "NotFound",
    405: "MethodNotAllowed",
    408: "RequestTimeout",  # body_deadline.py: the body came too slowly
    413: "RequestTooLarge",  # body_size.py: the body grew past the limit as it came
}
# The contract keeps 400 for programs refused before running: an unreadable body is a
# malformed request, 422, as FastAPI answers a body that parses but does not validate.
_STATUS_INSTEAD = {400: 422}
# Statuses whose answer says when to try again (documented in OpenAPI with the header).
RETRY_STATUSES = (429, 503)


def _validation_message(errors: list[Any]) -> str:
    first = errors[0] if errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "body"
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"malformed request: {where}: {first.get('msg', 'invalid')}{more}"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every 4xx and 5xx the contract's ``{"error": ...}``, and
    describe those answers so in the OpenAPI document."""
    plain_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        return error_responses_in_openapi(plain_openapi())  # changes the cached one: idempotent

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(RequestRefused)
    async def refused(request: Request, exc: RequestRefused) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's field errors go in ``error.detail``, made JSON whatever the body held
        # (FastAPI's own handler fails with a 500 on `{"code": NaN}`).
        detail = json_safe(jsonable_encoder(json_safe(exc.errors())))
        return _error(422, "InvalidRequest", _validation_message(detail), detail=detail)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        status = _STATUS_INSTEAD.get(exc.status_code, exc.status_code)
        kind = _HTTP_KINDS.get(exc.status_code, "HTTPError")
        if exc.status_code == 400:  # the field error FastAPI would give, as for a 422
            detail = [{"type": "body_unreadable", "loc": ["body"], "msg": str(exc.detail)}]
            return _error(status, kind, _validation_message(detail), detail=detail)
        return _error(status, kind, str(exc.detail), headers=exc.headers)

    @app.exception_handler(PoolBusy)
    async def busy(request: Request, exc: PoolBusy) -> JSONResponse:
        return _error(429, "Busy", f"{exc}; try again shortly", retry_after=1)

    @app.exception_handler(PoolClosed)
    async def closed(request: Request, exc: PoolClosed) -> JSONResponse:
        return _error(503, "Unavailable", f"{exc}; try again shortly", retry_after=2)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        # Starlette still logs the traceback; the client gets the contract's shape, no trace.
        return _error(500, "InternalError", "the server failed to answer this request")


def error_responses_in_openapi(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (FastAPI's OpenAPI document) with every 4xx and 5xx answer described as
    ``ErrorResponse`` and ``Retry-After`` on the 429 and 503 answers, as the server sends them."""
    reference = {"$ref": "#/components/schemas/ErrorResponse"}
    retry = {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer"},
        }
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                if not status.isdigit() or int(status) < 400:
                    continue
                # A route's own kinds of answer stay (graph.svg draws its errors as SVG).
                others = {k: v for k, v in answer.get("content", {}).items() if "json" not in k}
                answer["content"] = {**others, "application/json": {"schema": reference}}
                if int(status) in RETRY_STATUSES:
                    answer["headers"] = {**answer.get("headers", {}), **retry}
                if int(status) == 422 and answer.get("description") == "Validation Error":
                    answer["description"] = (
                        "Malformed request (not JSON, a field missing or wrong)."
                    )
    components = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema
