#!/usr/bin/env bash
# Builds the example plan with the debug binary (CONTINUITY_BIN, default .build/debug/continuity)
# and saves screenshots of its pages in docs/screenshots/ (make screenshots).
# Installs Chromium, chromedriver, poppler (PDF pages to PNG) and optipng first when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BROWSER_EXTRA_APT="optipng:optipng pdftoppm:poppler-utils pdftotext:poppler-utils pdfinfo:poppler-utils"
source scripts/browser-env.sh
export CONTINUITY_BIN="${CONTINUITY_BIN:-.build/debug/continuity}"
exec "$BROWSER_PYTHON" scripts/screenshots.py
