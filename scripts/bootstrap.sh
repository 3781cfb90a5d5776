#!/usr/bin/env bash
# Prepare this checkout on a Debian/Ubuntu machine that has nothing but Python 3.11+:
#   1. the system packages the app and its tests need (installed with apt-get when we may, else a warning);
#   2. .venv with exactly the dependencies locked in uv.lock, installed by a pinned uv.
# Idempotent, and fast when nothing changed: a second run costs a few dpkg-query calls and one hash.
#
# Usage: scripts/bootstrap.sh [--no-system-packages]
#   --no-system-packages   only the virtualenv (what lint and typecheck need)
# Environment: PYTHON (default python3) picks the interpreter the virtualenv is built on.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8 # keep equal to the uv pin in pyproject.toml's dev group: the lock file was written by it
PYTHON=${PYTHON:-python3}
VENV=.venv
UV_BOOTSTRAP=.devdata/uv-bootstrap   # a throwaway venv whose only job is to hold the pinned uv
STAMP=$VENV/.bootstrap-lock-hash     # inside .venv, so deleting the venv also forgets that it was synced

# Why each one: WeasyPrint loads Pango (and PangoFT2) with ctypes at import time; the PDF reports ask for
# "Times New Roman", which fontconfig maps to Liberation Serif (fonts-liberation2) or Tinos (fonts-croscore),
# both with full Vietnamese coverage; the report tests read PDFs back with pdftotext/pdftoppm (poppler-utils);
# the browser tests drive Debian's /usr/bin/chromium through Playwright (Playwright's own browsers cannot be
# downloaded on our machines).
SYSTEM_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 fonts-croscore poppler-utils chromium)

say() { printf 'bootstrap: %s\n' "$*"; }
warn() { printf 'bootstrap: WARNING: %s\n' "$*" >&2; }
die() {
    printf 'bootstrap: ERROR: %s\n' "$*" >&2
    exit 1
}

with_system_packages=1
case "${1:-}" in
    --no-system-packages) with_system_packages=0 ;;
    "") ;;
    *) die "unknown option $1 (usage: scripts/bootstrap.sh [--no-system-packages])" ;;
esac

command -v "$PYTHON" >/dev/null || die "$PYTHON not found: install Python 3.11 or newer (apt-get install python3)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    die "$("$PYTHON" --version 2>&1) is too old: childprotect needs Python 3.11 or newer (set PYTHON=python3.11)"

# --- 1. System packages ---------------------------------------------------------------------------------
is_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }

install_system_packages() {
    if ! command -v dpkg-query >/dev/null; then
        warn "not a Debian/Ubuntu system: install Pango, Liberation or Croscore fonts, poppler-utils and Chromium yourself"
        return
    fi
    local missing=() p
    for p in "${SYSTEM_PACKAGES[@]}"; do
        is_installed "$p" || missing+=("$p")
    done
    # Debian's own python3 ships venv's pip installer (ensurepip) in a separate package; we need it for step 2.
    if [[ ! -x $UV_BOOTSTRAP/bin/uv ]] && ! "$PYTHON" -c 'import ensurepip' 2>/dev/null &&
        [[ "$(command -v "$PYTHON")" == /usr/bin/* ]]; then
        missing+=(python3-venv)
    fi
    ((${#missing[@]})) || return 0

    local sudo=()
    if [[ $(id -u) != 0 ]]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            warn "missing system packages: ${missing[*]}"
            warn "not root and no passwordless sudo, so not installing them; run: sudo apt-get install ${missing[*]}"
            warn "without them PDF reports, PDF tests or browser tests fail; everything else works"
            return
        fi
    fi
    say "installing missing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive # CI has no stdin: never let apt-get ask anything
    if ! "${sudo[@]}" apt-get update -qq; then
        warn "apt-get update failed; not installing ${missing[*]}"
        return
    fi
    # Install what this distribution has (Ubuntu, for one, has no "chromium" deb: it is a snap there).
    local available=()
    for p in "${missing[@]}"; do
        if apt-cache show "$p" >/dev/null 2>&1; then available+=("$p"); else warn "no package $p here; install its equivalent yourself"; fi
    done
    ((${#available[@]})) || return 0
    if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${available[@]}" >/dev/null; then
        warn "apt-get install ${available[*]} failed; continuing without them"
    fi
}

if ((with_system_packages)); then
    install_system_packages
fi

# --- 2. The virtualenv --------------------------------------------------------------------------------------
# What the venv was last synced from: the lock, the project file (it selects the default groups) and the
# interpreter. When all three are unchanged the venv is current and uv need not even start.
wanted="$(cat uv.lock pyproject.toml | sha256sum | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
if [[ -x $VENV/bin/python && -f $STAMP && "$(cat "$STAMP")" == "$wanted" ]]; then
    exit 0
fi

uv=$UV_BOOTSTRAP/bin/uv
if [[ ! -x $uv || "$("$uv" --version 2>/dev/null)" != "uv $UV_VERSION"* ]]; then
    say "installing uv $UV_VERSION into $UV_BOOTSTRAP"
    rm -rf "$UV_BOOTSTRAP"
    mkdir -p "$(dirname "$UV_BOOTSTRAP")"
    "$PYTHON" -m venv "$UV_BOOTSTRAP" ||
        die "'$PYTHON -m venv' failed: on Debian/Ubuntu install python3-venv (apt-get install python3-venv)"
    "$UV_BOOTSTRAP/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

say "installing the locked dependencies into $VENV"
# --frozen: install exactly uv.lock, never re-resolve. UV_PYTHON_DOWNLOADS=never: use this machine's Python,
# never fetch one (our machines reach only package registries).
UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=$VENV "$uv" sync --frozen --python "$PYTHON"
printf '%s\n' "$wanted" >"$STAMP"
