#!/usr/bin/env bash
# Installs the system packages the tests need and Maven cannot provide, when they are missing:
#  - redis-server: the shared rate-limit tests (security, app) start their own redis-server process on a
#    free port; they fail, rather than skip, without it (SKIP_REDIS_TESTS=1 skips them).
#  - nginx: the replicas test (app's ReplicasIT) starts its own nginx process, with a configuration of
#    its own in a temporary directory, as the load balancer in front of two servers; it fails, rather
#    than skips, without it (SKIP_NGINX_TESTS=1 skips it). The package's own service is not
#    started by the installation (a policy-rc.d for the length of apt-get) and stays stopped: nothing
#    listens on port 80 because of this script.
# Idempotent: does nothing when everything is installed. Uses sudo only when not run as root.
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# nginx lives in /usr/sbin, which is not on every user's PATH.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  missing+=(nginx)
fi
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ci-packages: ${missing[*]} missing and this machine has no apt-get; install ${missing[*]}" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
# invoke-rc.d and deb-systemd-invoke ask /usr/sbin/policy-rc.d whether a package may start its service;
# 101 says no. One that the machine already has is left alone (it decides, as it always did).
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  own_policy=1
fi
remove_policy() {
  if [ "$own_policy" -eq 1 ]; then
    "${sudo[@]}" rm -f "$policy"
  fi
}
trap remove_policy EXIT
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
# Where a policy-rc.d of the machine let it start anyway, the tests do not need it running.
if [[ " ${missing[*]} " == *" nginx "* ]] && [ "$own_policy" -eq 0 ]; then
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    "${sudo[@]}" systemctl disable --now nginx >/dev/null 2>&1 || true
  elif command -v invoke-rc.d >/dev/null 2>&1; then
    "${sudo[@]}" invoke-rc.d nginx stop >/dev/null 2>&1 || true
  fi
fi
