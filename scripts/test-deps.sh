#!/bin/sh
# What the tests need from the operating system, beyond what `make site` installs (Pango, run by
# system-deps.sh): Debian's Chromium for the browser tests (never a browser downloaded by a test
# tool), poppler-utils (pdftotext, pdftoppm) to read PDFs back, Node.js to run the preview's
# reload script, and the DejaVu fonts the PDFs use. Installed when missing and we can (Debian or
# Ubuntu as root); otherwise the exact command to run is printed.
set -e
missing=""
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
[ -z "$missing" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing what the tests need (apt-get):$missing"
  # Wait for another apt (e.g. unattended upgrades) rather than failing on its lock.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  # shellcheck disable=SC2086  # one package per word
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
  exit 0
fi
echo "The tests need these system packages:$missing. Install them with your package manager, e.g.:" >&2
echo "  sudo apt-get install --no-install-recommends$missing" >&2
echo "  (macOS: brew install --cask chromium; brew install poppler node; fonts: brew install --cask font-dejavu)" >&2
exit 1
