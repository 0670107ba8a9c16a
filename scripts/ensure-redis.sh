#!/usr/bin/env bash
# The Redis unit tests and the queue-mode end-to-end test start their own redis-server (a
# plain process on a free loopback port, no persistence). Installs Debian's redis-server when
# missing (the service is not started); needs root or sudo. Set REDIS_SERVER to use another binary.
set -euo pipefail
if [ -n "${REDIS_SERVER:-}" ] || command -v redis-server >/dev/null 2>&1; then exit 0; fi
echo "[ensure-redis] installing Debian's redis-server (a few seconds)" >&2
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Another apt-get (a second checkout's tests, unattended upgrades) may hold dpkg's lock: wait for it.
apt_wait=(-o DPkg::Lock::Timeout=600)
$SUDO apt-get "${apt_wait[@]}" update -qq >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get "${apt_wait[@]}" install -y -qq redis-server >&2
echo "[ensure-redis] $(redis-server --version)" >&2
