#!/usr/bin/env bash
# Installs the system packages the tests need and Maven cannot provide, when they are missing:
#  - redis-server: the shared rate-limit tests (security, app) start their own redis-server process on a
#    free port; they fail, rather than skip, without it (BASTION_SKIP_REDIS_TESTS=1 skips them).
# Idempotent: does nothing when everything is installed. Uses sudo only when not run as root.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ci-packages: redis-server is missing and this machine has no apt-get; install redis-server" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y --no-install-recommends redis-server
