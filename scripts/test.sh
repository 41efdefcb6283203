#!/usr/bin/env bash
# Install what the tests need (if not yet there) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/pytest ] || bash scripts/install.sh dev
exec .venv/bin/python -m pytest -n 2 "$@"
