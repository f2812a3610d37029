#!/usr/bin/env bash
# Makes Debian's Chromium available for the browser tests.
# Installs it when missing and we can (root + apt); otherwise says so. Under CI=true the
# browser tests themselves fail when Chromium is missing, so nothing is skipped silently.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests"
  # Wait for another apt run (e.g. a benchmark installing nginx) instead of failing at once.
  APT="apt-get -o DPkg::Lock::Timeout=300"
  ($APT update -qq && DEBIAN_FRONTEND=noninteractive $APT install -y -qq chromium >/dev/null) \
    || echo "could not install chromium; browser tests will skip (or fail under CI=true)"
else
  echo "chromium is missing and cannot be installed here; browser tests will skip (or fail under CI=true)"
fi
exit 0
