#!/usr/bin/env bash
# Install Debian's chromium for the browser tests when it is missing. Never downloads a browser build of its own.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
    echo "WARNING: could not install chromium with apt-get; browser tests will be skipped (or fail under CI=true)" >&2
else
  echo "WARNING: /usr/bin/chromium is missing and apt-get is not usable; browser tests will be skipped (or fail under CI=true)" >&2
fi
exit 0
