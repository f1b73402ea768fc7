"""Map failures to HTTP answers in one place: never a 5xx for anything a client sends."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

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
        error: dict[str, object] = {"type": kind, "message": message, "line": line, "col": col}
        if hint is not None:
            error["hint"] = hint
        self.body = {"error": error}
        self.headers = {"Retry-After": str(retry_after)} if retry_after is not None else None


def _error(status: int, kind: str, message: str, retry_after: int | None = None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    body = {"error": {"type": kind, "message": message, "line": None, "col": None}}
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn our exceptions into contract-shaped answers."""

    @app.exception_handler(RequestRefused)
    async def refused(request: Request, exc: RequestRefused) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
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
