#!/usr/bin/env bash
# Sourced by serve.sh and test.sh: a project virtualenv with govsearch installed.
# Needs only Python >= 3.11; reinstalls when setup.cfg or pyproject.toml change.
# Set GOVSEARCH_EXTRAS=test before sourcing to install the test extras too.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
EXTRAS="${GOVSEARCH_EXTRAS:-}"

find_python() {
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "govsearch: Python 3.11 or newer is required" >&2; return 1
}

if [ ! -x "$VENV/bin/python" ]; then
  PY="$(find_python)"
  echo "govsearch: creating virtual environment in $VENV" >&2
  "$PY" -m venv "$VENV"
fi
# One stamp per extras set; an install with extras satisfies the plain one too.
STAMP="$(cat "$ROOT/setup.cfg" "$ROOT/pyproject.toml" | sha1sum | cut -d' ' -f1)"
STAMP_FILE="$VENV/.govsearch-installed${EXTRAS:+-$EXTRAS}"
if [ "$(cat "$STAMP_FILE" 2>/dev/null)" != "$STAMP" ] &&
   { [ -n "$EXTRAS" ] || [ "$(cat "$VENV/.govsearch-installed-test" 2>/dev/null)" != "$STAMP" ]; }; then
  echo "govsearch: installing dependencies${EXTRAS:+ (with $EXTRAS extras)}" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT${EXTRAS:+[$EXTRAS]}"
  echo "$STAMP" > "$STAMP_FILE"
fi
