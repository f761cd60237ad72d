#!/usr/bin/env bash
# Debian packages the build and the tests need: Pango for WeasyPrint, poppler-utils
# (pdftotext, pdftoppm) and Chromium for the browser tests. Installs only what is missing.
# --no-browser skips Chromium: building the site does not need it (CI on Ubuntu, where
# Chromium is a snap, uses this).
set -euo pipefail
pkgs=(libpango-1.0-0 libpangoft2-1.0-0 poppler-utils)
[ "${1:-}" = "--no-browser" ] || pkgs+=(chromium)
need=()
for pkg in "${pkgs[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing system packages: ${need[*]} (install them with apt-get as root)" >&2
  exit 1
fi
echo "installing system packages: ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
