"""Serve ``app.main:app`` under uvicorn as the service should run: ``python -m app.serve``.

What plain ``uvicorn app.main:app`` would do differently, and why not:
- it believes ``X-Forwarded-For`` and ``X-Forwarded-Proto`` from 127.0.0.1 (``--proxy-headers``,
  ``--forwarded-allow-ips``); here uvicorn believes them from ``AGV_TRUSTED_PROXIES`` only, the
  list the app's rate limit reads too (``app/api/client_id.py``), so there is one list of
  trusted proxies, not two; with none set, uvicorn believes no proxy header;
- ``--port`` defaults to ``$PORT`` when set (as container platforms pass it), else 8000;
- it gives a request's head unlimited time; here ``AGV_HEADER_TIMEOUT_S``
  (``app/api/head_deadline.py``);
- settings that do not parse end it with a traceback; here with one paragraph and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import Any

import uvicorn

from app.api.head_deadline import head_deadline_protocol
from app.config import Settings, SettingsError, get_settings


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's proxy options: believe ``X-Forwarded-*`` from the trusted proxies only."""
    if not settings.trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(settings.trusted_proxies)}


def default_port(environ: Mapping[str, str]) -> int:
    """``$PORT`` if set (a container platform's), else 8000; ``ValueError`` if not a port."""
    text = environ.get("PORT", "").strip() or "8000"
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"PORT={text!r} is not a TCP port (1-65535)")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    """Check the settings, then serve until stopped."""
    parser = argparse.ArgumentParser(prog="python -m app.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port", type=int, default=None, help="port to listen on ($PORT, else 8000)"
    )
    parser.add_argument("--no-access-log", action="store_true", help="log no line per request")
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
        port = args.port if args.port is not None else default_port(os.environ)
    except (SettingsError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    config = uvicorn.Config(
        "app.main:app",
        host=args.host,
        port=port,
        http=head_deadline_protocol(settings.header_timeout_s),
        **proxy_options(settings),
        # No WebSocket route exists; were a WebSocket package installed, an upgrade request
        # would leave the HTTP protocol class and its deadlines behind.
        ws="none",
        access_log=not args.no_access_log,
    )
    uvicorn.Server(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
