#!/usr/bin/env bash
# Set up (with the test extra, chromium and nginx) and run pytest; arguments go to pytest.
# pytest's exit code is passed on unchanged: 5 (no tests collected) fails too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh --test

echo "test: running pytest $* (the whole suite takes a few minutes; a dot per passing test)"
rc=0
.venv/bin/python -m pytest "$@" || rc=$?
if [[ $rc == 5 ]]; then
    echo "test: pytest collected no tests; treating that as a failure" >&2
fi
exit "$rc"
