#!/usr/bin/env bash
# Set up (if needed) and serve the app on 0.0.0.0:${PORT:-8000}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
exec .venv/bin/uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-8000}"
