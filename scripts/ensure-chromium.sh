#!/usr/bin/env bash
# The editor test drives Debian's Chromium with playwright-core (Playwright's own browser
# download cannot be reached here). Installs it when missing; needs root or sudo.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ]; then exit 0; fi
echo "[ensure-chromium] installing Debian's chromium (a minute or two)" >&2
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Another apt-get (a second checkout's tests, unattended upgrades) may hold dpkg's lock: wait for it.
apt_wait=(-o DPkg::Lock::Timeout=600)
$SUDO apt-get "${apt_wait[@]}" update -qq >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get "${apt_wait[@]}" install -y -qq chromium >&2
echo "[ensure-chromium] $(chromium --version)" >&2
