#!/usr/bin/env bash
# Install the app (if not yet there) and start it on the bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/streamlit ] || bash scripts/install.sh
exec .venv/bin/streamlit run app.py "$@"
