#!/usr/bin/env bash
# Set up (if needed) and serve the app on ${HOST:-127.0.0.1}:${PORT:-8000}.
# HOST=0.0.0.0 serves other machines too (behind a proxy, or in a container: docs/deploy.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"
echo "serve: starting on http://$host:$port (ready when uvicorn says 'Application startup complete'; Ctrl-C stops it)"
# app.serve runs uvicorn with the settings checked first, the request-head deadline, and proxy
# headers believed only from AGV_TRUSTED_PROXIES: docs/security.md, docs/deploy.md.
exec .venv/bin/python -m app.serve --host "$host" --port "$port"
