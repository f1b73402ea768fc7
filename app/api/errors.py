"""Map failures to HTTP answers in one place: never a 5xx for anything a client sends."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
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
) -> JSONResponse:
    headers = dict(headers or {})
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    error = {"type": kind, "message": message, "message_zh": chinese(kind, message)}
    body = {"error": {**error, "line": None, "col": None}}
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


# What the body middlewares raise while FastAPI reads the body (it passes an HTTPException on).
_MIDDLEWARE_REFUSALS = {
    408: "RequestTimeout",  # body_deadline.py: the body came too slowly
    413: "RequestTooLarge",  # body_size.py: the body grew past the limit as it came
}


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn our exceptions into contract-shaped answers."""

    @app.exception_handler(RequestRefused)
    async def refused(request: Request, exc: RequestRefused) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer, made JSON whatever the body held (its handler fails with a 500
        # on `{"code": NaN}`).
        detail = json_safe(jsonable_encoder(json_safe(exc.errors())))
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        kind = _MIDDLEWARE_REFUSALS.get(exc.status_code)
        if kind is not None:
            return _error(exc.status_code, kind, str(exc.detail), headers=exc.headers)
        # FastAPI answers 400 when it cannot parse a body at all; the contract keeps 400 for
        # programs refused before running, so an unreadable body is a malformed request (422),
        # in the same shape as FastAPI's own validation errors.
        if exc.status_code == 400:
            detail = [{"type": "body_unreadable", "loc": ["body"], "msg": str(exc.detail)}]
            return JSONResponse({"detail": detail}, status_code=422)
        return await http_exception_handler(request, exc)

    @app.exception_handler(PoolBusy)
    async def busy(request: Request, exc: PoolBusy) -> JSONResponse:
        return _error(429, "Busy", f"{exc}; try again shortly", retry_after=1)

    @app.exception_handler(PoolClosed)
    async def closed(request: Request, exc: PoolClosed) -> JSONResponse:
        return _error(503, "Unavailable", f"{exc}; try again shortly", retry_after=2)
