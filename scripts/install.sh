#!/usr/bin/env bash
# Create .venv and install the app (`install.sh`) or the app plus test tools (`install.sh dev`).
# With `dev`, also install Debian's Chromium for the browser tests when it is missing and we are root, and axe-core
# (tests/browser/axe, from the npm registry) for the accessibility test.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install -q -r requirements-dev.txt
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
    else
      echo "note: browser tests need Chromium: sudo apt-get install chromium" >&2
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
