#!/bin/sh
# WeasyPrint needs the Pango text library from the operating system. Install it when it is
# missing and we can (Debian/Ubuntu as root); otherwise say exactly what to install.
set -e
if ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' && ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so'; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing Pango for WeasyPrint (apt-get)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null
  exit 0
fi
echo "WeasyPrint needs Pango. Install it with your package manager, e.g.:" >&2
echo "  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core" >&2
echo "  (macOS: brew install pango)" >&2
exit 1
