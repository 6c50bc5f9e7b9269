# Sourced by scripts/image-base.sh, image.sh and image-test.sh: how podman is called, one place.
# Meant for a CI machine that runs as root without systemd and without a container registry; on a
# workstation with a working podman or docker these flags are harmless or unnecessary.
#
#  - --runtime runc: crun 1.8 (Debian 12) refuses hosts with hybrid cgroups ("cgroups in hybrid mode
#    not supported"); runc runs there.
#  - --cgroup-manager cgroupfs, --events-backend file: there is no systemd or journald to talk to.
#  - ulimits: podman gives a root container nofile=1048576 and nproc=32768, above the hard limits of
#    a CI process without CAP_SYS_RESOURCE, and the runtime's setrlimit then fails with "Operation not
#    permitted"; lower limits can always be set. 8192 files is ample for http.max_connections 1000.
# Override with PODMAN_FLAGS / PODMAN_LIMITS (space separated) where other flags are needed.
# shellcheck disable=SC2206
PODMAN=(podman ${PODMAN_FLAGS:---runtime runc --cgroup-manager cgroupfs --events-backend file})
# shellcheck disable=SC2206
PODMAN_LIMITS=(${PODMAN_LIMITS:---ulimit nofile=8192:8192 --ulimit nproc=4096:4096})

# Installs podman (and runc) from the Debian mirror when it is missing; needs root and apt-get.
ensure_podman() {
  if command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1; then
    return 0
  fi
  if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "podman (with runc) is missing; install it (apt-get install podman runc) or set PODMAN_FLAGS" >&2
    return 1
  fi
  echo "installing podman and runc with apt-get" >&2
  apt-get update -qq >/dev/null 2>&1 || echo "apt-get update reported errors (unreachable extra sources?); trying the install anyway" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc >/dev/null
}
