#!/usr/bin/env bash
# Create .venv and install the app (`install.sh`) or the app plus test tools (`install.sh dev`).
# With `dev`, also install what the browser tests need when it is missing: from Debian (when we are root), Chromium
# and HAProxy for the class server (scripts/serve_class.py); from the npm registry, axe-core (tests/browser/axe) for
# the accessibility test.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install -q -r requirements-dev.txt
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium fonts-noto-color-emoji)
  [ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null || missing+=(haproxy)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "note: the browser tests need these Debian packages: sudo apt-get install ${missing[*]}" >&2
    fi
  fi
  if command -v npm >/dev/null; then
    npm ci --prefix tests/browser/axe --no-audit --no-fund --silent
  else
    echo "note: the accessibility test needs axe-core: install Node.js and npm, then rerun this script" >&2
  fi
else
  .venv/bin/python -m pip install -q -r requirements.txt
fi
