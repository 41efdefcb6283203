#!/usr/bin/env bash
# Serve a class from this machine: N replicas of the app behind HAProxy with sticky sessions (scripts/serve_class.py
# says how). Installs the app into .venv first if it is not there; HAProxy comes from Debian: apt-get install haproxy.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/streamlit ] || bash scripts/install.sh
exec .venv/bin/python scripts/serve_class.py "$@"
