#!/usr/bin/env bash
# Installs the system packages a build or the tests need, when they are missing.
#   scripts/install-deps.sh build   libcmark (the Markdown parser) and mimalloc (the memory allocator the
#                                   command links on Linux)
#   scripts/install-deps.sh test    the above, plus what the tests need: Python's jsonschema (the
#                                   reference validator the schema tests compare ours with),
#                                   Node.js (which runs the search script's tests), and Valgrind and
#                                   binutils' strip (scripts/instruction-budget.sh counts instructions)
set -euo pipefail
what=${1:-build}
sudo_cmd=""
if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi

apt_packages=()
if ! pkg-config --exists libcmark 2>/dev/null; then apt_packages+=(libcmark-dev pkg-config); fi
if [ "$(uname -s)" = Linux ] && ! dpkg-query -W -f '${Status}' libmimalloc-dev 2>/dev/null | grep -q 'ok installed'; then
  apt_packages+=(libmimalloc-dev)
fi
if [ "$what" = test ] && ! command -v node >/dev/null 2>&1; then apt_packages+=(nodejs); fi
if [ "$what" = test ] && ! command -v valgrind >/dev/null 2>&1; then apt_packages+=(valgrind); fi
if [ "$what" = test ] && ! command -v strip >/dev/null 2>&1; then apt_packages+=(binutils); fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "installing ${apt_packages[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi
if [ "$what" = test ] && ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "installing jsonschema (Python)" >&2
  python3 -m pip install --quiet 'jsonschema>=4.18'
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "error: the Swift toolchain (6.0 or later) is not on PATH; see https://www.swift.org/install/" >&2
  exit 1
fi
