#!/bin/sh
# Browser tests need Debian's Chromium and a CJK font; install them when we may, else say how.
set -e
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$missing fonts-wqy-microhei"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing$missing (browser tests and CJK rendering)..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "The browser tests need:$missing. Install them with: sudo apt-get install -y$missing" >&2
  exit 1
fi
