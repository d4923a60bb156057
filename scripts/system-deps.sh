#!/bin/sh
# Debian packages the tests need: Chromium for the browser tests (never a downloaded browser),
# Noto fonts so pages render every script, Pango for WeasyPrint (letters as PDF).
# Installed when running as root, else named.
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
fc-list 2>/dev/null | grep -qi "NotoSans-Regular" || missing="$missing fonts-noto-core"
# WeasyPrint (letters as PDF) loads Pango at run time.
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "Please install these Debian packages first: sudo apt-get install$missing" >&2
  exit 1
fi
