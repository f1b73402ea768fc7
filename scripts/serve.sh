#!/usr/bin/env bash
# Set up (if needed) and serve the app on 0.0.0.0:${PORT:-8000}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
# app.serve runs uvicorn with the settings checked first, the request-head deadline, and no
# proxy headers believed by uvicorn (the app reads AGV_TRUSTED_PROXIES): docs/security.md.
exec .venv/bin/python -m app.serve --host 0.0.0.0 --port "${PORT:-8000}"
