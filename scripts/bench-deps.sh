#!/bin/sh
# make bench compares mappa with Hugo (the speed record for static sites): Debian's hugo package.
# Install it when it is missing and we can (Debian/Ubuntu as root); otherwise say what to install.
set -e
if command -v hugo >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing Hugo for the benchmark (apt-get)..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null
  exit 0
fi
echo "make bench compares with Hugo. Install it with your package manager, e.g.:" >&2
echo "  sudo apt-get install hugo" >&2
exit 1
