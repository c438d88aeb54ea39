#!/usr/bin/env bash
# README command 1: serve the UI on the bundled seeds (builds the index on first run).
# Extra arguments go to `govsearch serve`, e.g. --port 8080 or --index DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec "$VENV/bin/govsearch" serve "$@"
