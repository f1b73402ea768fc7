"""Serve ``app.main:app`` under uvicorn as the service should run: ``python -m app.serve``.

What plain ``uvicorn app.main:app`` would do differently, and why not:
- it believes ``X-Forwarded-For`` from 127.0.0.1 (``--proxy-headers``); here uvicorn believes
  no header and the app decides who the client is from ``AGV_TRUSTED_PROXIES`` alone
  (``app/api/client_id.py``), so there is one list of trusted proxies, not two;
- it gives a request's head unlimited time; here ``AGV_HEADER_TIMEOUT_S``
  (``app/api/head_deadline.py``);
- settings that do not parse end it with a traceback; here with one paragraph and exit code 2.
"""

from __future__ import annotations

import argparse
import sys

import uvicorn

from app.api.head_deadline import head_deadline_protocol
from app.config import SettingsError, get_settings


def main(argv: list[str] | None = None) -> int:
    """Check the settings, then serve until stopped."""
    parser = argparse.ArgumentParser(prog="python -m app.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--no-access-log", action="store_true", help="log no line per request")
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    config = uvicorn.Config(
        "app.main:app",
        host=args.host,
        port=args.port,
        http=head_deadline_protocol(settings.header_timeout_s),
        proxy_headers=False,
        # No WebSocket route exists; were a WebSocket package installed, an upgrade request
        # would leave the HTTP protocol class and its deadlines behind.
        ws="none",
        access_log=not args.no_access_log,
    )
    uvicorn.Server(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
