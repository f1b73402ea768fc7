#!/usr/bin/env bash
# Set up (with the test extra, chromium, nginx and the npm tools), lint the JavaScript with
# ESLint, and run pytest; arguments go to pytest. pytest runs even when ESLint fails, and the
# script fails if either did. pytest's exit code is passed on otherwise: 5 (no tests
# collected) fails too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh --test

lint_rc=0
echo "test: eslint (static/js, static/embed.js)"
node_modules/.bin/eslint . || lint_rc=$?

echo "test: running pytest $* (the whole suite takes a few minutes; a dot per passing test)"
rc=0
.venv/bin/python -m pytest "$@" || rc=$?
if [[ $rc == 5 ]]; then
    echo "test: pytest collected no tests; treating that as a failure" >&2
fi
if [[ $lint_rc != 0 && $rc == 0 ]]; then
    echo "test: eslint found problems (see above); failing" >&2
    rc=$lint_rc
fi
exit "$rc"
