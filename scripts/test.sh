#!/usr/bin/env bash
# README command 2: the whole test suite, browser tests included.
# Installs the test extras and Debian's Chromium (the browser tests drive it).
set -euo pipefail
GOVSEARCH_EXTRAS=test
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

# Chromium, and a CJK font so that screenshots show Chinese rather than boxes;
# redis-server for the distributed-crawl test (two crawlers, one frontier).
APT_PACKAGES=(chromium fonts-wqy-microhei redis-server)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "govsearch: installing ${missing[*]} for the browser and crawler tests" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cd "$ROOT"
"$VENV/bin/ruff" check .
exec "$VENV/bin/python" -m pytest "$@"
