#!/usr/bin/env bash
# Runs the browser tests in tests/browser/: builds the example plan with the debug binary
# (CONTINUITY_BIN, default .build/debug/continuity) and checks the pages in headless Chromium.
# Installs Chromium, chromedriver, Java and the Python packages first when they are missing.
# Extra arguments go to pytest, e.g. scripts/browser-tests.sh -k matrix
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/browser-env.sh
export CONTINUITY_BIN="${CONTINUITY_BIN:-.build/debug/continuity}"
if [ ! -x "$CONTINUITY_BIN" ]; then
  echo "error: $CONTINUITY_BIN does not exist; run \`swift build\` first (or set CONTINUITY_BIN)" >&2
  exit 1
fi
exec "$BROWSER_PYTHON" -m pytest tests/browser "$@"
