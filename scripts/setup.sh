#!/usr/bin/env bash
# Install what autograd-viz needs: Debian's graphviz (and chromium and nginx with --test),
# a Python 3.11 virtualenv in .venv, and the project with its dependencies.
# With --test also node and npm (Debian's, when missing) and the JavaScript checks'
# tools from package-lock.json (ESLint, axe-core) in node_modules.
# Idempotent: a second run with nothing changed does no apt, pip or npm work.
#
# Usage: bash scripts/setup.sh [--test]
set -euo pipefail

want_test=0
for arg in "$@"; do
    case "$arg" in
        --test) want_test=1 ;;
        -h | --help)
            echo "usage: bash scripts/setup.sh [--test]"
            exit 0
            ;;
        *)
            echo "setup: unknown argument: $arg" >&2
            exit 2
            ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3.11}"
VENV=.venv
STAMP="$VENV/.autograd-viz-setup"
# Playwright's Python package never downloads a browser on install, but make sure
# nothing in the chain tries: the browser is Debian's /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log() { echo "setup: $*"; }

# Run a long, quiet command with a line every 10 s, so an install does not look stuck.
with_progress() {
    local label=$1
    shift
    local started=$SECONDS
    (while sleep 10; do log "$label: still working ($((SECONDS - started)) s)"; done) &
    local ticker=$! rc=0
    "$@" || rc=$?
    kill "$ticker" 2>/dev/null || true
    wait "$ticker" 2>/dev/null || true
    log "$label: done in $((SECONDS - started)) s"
    return "$rc"
}

# --- Debian packages ----------------------------------------------------------
is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

apt_needed=()
is_installed graphviz || apt_needed+=(graphviz)
is_installed libseccomp2 || apt_needed+=(libseccomp2)
if [[ $want_test == 1 ]]; then
    is_installed chromium || apt_needed+=(chromium)
    # A small CJK font, so the Chinese UI in the browser tests' screenshots has glyphs.
    is_installed fonts-wqy-microhei || apt_needed+=(fonts-wqy-microhei)
    # ESLint and axe-core run on node; any node >= 18.18 with npm will do (Debian 12 has 18.19).
    command -v node >/dev/null 2>&1 || apt_needed+=(nodejs)
    command -v npm >/dev/null 2>&1 || apt_needed+=(npm)
    # tests/deploy runs two replicas behind nginx, started as this user on loopback.
    is_installed nginx || apt_needed+=(nginx)
fi
# A fresh Debian 12 has python3.11 without venv/ensurepip; a pyenv or other
# Python usually has both.
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    apt_needed+=(python3.11 python3.11-venv)
elif ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
    apt_needed+=(python3.11-venv)
fi

if ((${#apt_needed[@]})); then
    sudo=()
    if [[ $EUID -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || {
            echo "setup: need root (or sudo) to install: ${apt_needed[*]}" >&2
            exit 1
        }
        sudo=(sudo)
    fi
    log "apt-get install ${apt_needed[*]}"
    export DEBIAN_FRONTEND=noninteractive
    with_progress "apt-get update" "${sudo[@]}" apt-get update -qq
    with_progress "apt-get install" \
        "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${apt_needed[@]}"
    # The tests start their own nginx; the system service Debian starts on port 80 is not ours.
    if [[ " ${apt_needed[*]} " == *" nginx "* ]] && [[ -d /run/systemd/system ]]; then
        log "disabling the nginx system service the package started (the tests run their own)"
        "${sudo[@]}" systemctl disable --now nginx >/dev/null 2>&1 || true
    fi
else
    log "Debian packages present"
fi

# --- virtualenv -----------------------------------------------------------------
if [[ -x $VENV/bin/python ]] &&
    ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    log "$VENV is not a working Python 3.11 environment; recreating it"
    rm -rf "$VENV"
fi
if [[ ! -x $VENV/bin/python ]]; then
    log "creating $VENV with $PYTHON"
    "$PYTHON" -m venv "$VENV"
else
    log "$VENV present"
fi

# --- Python packages ----------------------------------------------------------
# The stamp records a hash of everything that decides what pip installs, and
# which extras were installed. A plain run is satisfied by an earlier --test run.
hash="$(cat pyproject.toml constraints.txt scripts/setup.sh | sha256sum | cut -d' ' -f1)"
extras=plain
target=.
if [[ $want_test == 1 ]]; then
    extras=test
    target=".[test]"
fi

stamp_hash=""
stamp_extras=""
if [[ -f $STAMP ]]; then
    read -r stamp_hash stamp_extras <"$STAMP" || true
fi

if [[ $stamp_hash == "$hash" && ($stamp_extras == "$extras" || $stamp_extras == test) ]]; then
    log "Python packages up to date ($stamp_extras)"
else
    log "pip install -c constraints.txt -e '$target'"
    rm -f "$STAMP"
    # Some machines' pip config lists local indexes that lack many projects; pip warns
    # once per project about each. Drop those lines, keep every other message.
    with_progress "pip install (torch alone is about 200 MB)" \
        "$VENV/bin/python" -m pip install --quiet -c constraints.txt -e "$target" \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    echo "$hash $extras" >"$STAMP"
fi

# --- JavaScript checks' tools (--test only) ---------------------------------------
# npm ci installs exactly package-lock.json; the stamp holds the lock's hash so a second run
# with the same lock does no npm work.
if [[ $want_test == 1 ]]; then
    NPM_STAMP=node_modules/.autograd-viz-setup
    npm_hash="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
    if [[ -f $NPM_STAMP && "$(cat "$NPM_STAMP")" == "$npm_hash" ]]; then
        log "npm packages up to date (eslint, axe-core)"
    else
        log "npm ci (eslint, axe-core from package-lock.json)"
        npm ci --no-audit --no-fund --loglevel=error
        echo "$npm_hash" >"$NPM_STAMP"
    fi
fi

log "done"
