#!/usr/bin/env bash
# Installs what the test suite needs besides npm packages: a real redis-server
# (Debian package), which the runtime kit's cache-aside tests start on loopback.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: redis-server is missing and apt-get is not available; install redis-server (7.x) and re-run" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
echo "test-deps: installed $(redis-server --version | head -c 60)"
