#!/usr/bin/env bash
# README command 2: the whole test suite, browser tests included.
# Installs the test extras and Debian's Chromium (the browser tests drive it).
set -euo pipefail
GOVSEARCH_EXTRAS=test
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

# Chromium, and a CJK font so that screenshots show Chinese rather than boxes;
# redis-server for the distributed-crawl test (two crawlers, one frontier);
# npm for axe-core, which the accessibility tests run in the pages.
APT_PACKAGES=(chromium fonts-wqy-microhei redis-server)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# Any npm will do (Debian's, or the one a nodejs package brings along).
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "govsearch: installing ${missing[*]} for the browser and crawler tests" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# axe-core (the npm package) into the virtualenv, once.
AXE="$VENV/npm/node_modules/axe-core/axe.min.js"
if [ ! -f "$AXE" ]; then
  echo "govsearch: installing axe-core for the accessibility tests" >&2
  npm install --silent --no-audit --no-fund --prefix "$VENV/npm" "axe-core@^4.10" >/dev/null
fi

cd "$ROOT"
"$VENV/bin/ruff" check .
exec "$VENV/bin/python" -m pytest "$@"
