#!/usr/bin/env bash
# Installs Debian's chromium for the browser test (tests/test_browser_ui.py),
# which drives it through Playwright; Playwright's own browser download is not used.
# Never fails the install: without chromium the browser test skips and says why.
set -u
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM is missing and apt-get cannot be used here (needs root on Debian);" \
         "the browser test will skip. Install Debian's chromium package to run it." >&2
    exit 0
fi
echo "ensure_chromium: installing Debian's chromium package for the browser test"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >/dev/null; then
    echo "ensure_chromium: apt-get could not install chromium; the browser test will skip." >&2
fi
exit 0
