#!/usr/bin/env bash
# Optional: a separate virtual environment with the app's requirements plus fastai, for bench/fastai_compare.py.
# fastai is not a dependency of the app; this keeps it out of the app's environment.
#
#   bash bench/install_fastai.sh            # creates .venv-fastai in the repository root
#   FASTAI_VENV=/some/dir bash bench/install_fastai.sh
#   PYTHON=python3.11 bash bench/install_fastai.sh
#
# Then, from the repository root:  .venv-fastai/bin/python bench/fastai_compare.py
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${FASTAI_VENV:-$ROOT/.venv-fastai}"
PYTHON="${PYTHON:-python3}"
FASTAI_VERSION="2.8.12"  # declares torch>=1.10,<3, so requirements.txt's pinned torch satisfies it

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --upgrade pip
"$VENV/bin/python" -m pip install -r "$ROOT/requirements.txt" "fastai==$FASTAI_VERSION"
"$VENV/bin/python" -c "import fastai, torch; print('fastai', fastai.__version__, 'torch', torch.__version__)"
echo "Run the comparison from $ROOT with: $VENV/bin/python bench/fastai_compare.py"
