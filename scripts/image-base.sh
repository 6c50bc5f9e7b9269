#!/usr/bin/env bash
# Builds a Java 17 base image without a container registry: a minimal Debian 12 root filesystem
# (debootstrap --variant=minbase) with openjdk-17-jre-headless, straight from the Debian mirror,
# imported into podman. It stands in for eclipse-temurin:17-jre, the Containerfile's default
# BASE_IMAGE, on machines that reach a Debian mirror but no registry (CI).
#
# Usage: scripts/image-base.sh [TAG]     (default localhost/bastion-base:bookworm-jre17)
# Mirror: DEBIAN_MIRROR, else the first deb.debian.org-style URI of /etc/apt/sources.list*, else
# http://deb.debian.org/debian. Needs root; installs debootstrap (and podman) with apt-get if missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/podman-flags.sh
source "$ROOT/scripts/podman-flags.sh"
TAG="${1:-localhost/bastion-base:bookworm-jre17}"

if [[ "$(id -u)" -ne 0 ]]; then
  echo "image-base: debootstrap needs root" >&2
  exit 2
fi
ensure_podman
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "image-base: installing debootstrap with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

mirror="${DEBIAN_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  # deb822 "URIs: http://…/debian" or one-line "deb http://…/debian bookworm main"; the main
  # archive only (not -security, not third-party repositories).
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE '(URIs:[[:space:]]*|^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)https?://[^[:space:]]+/debian/?([[:space:]]|$)' |
    grep -oE 'https?://[^[:space:]]+' | head -n 1 || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
echo "image-base: debootstrap bookworm (minbase + openjdk-17-jre-headless) from $mirror" >&2
start=$SECONDS
if ! debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
  tail -n 30 "$rootfs.log" >&2
  echo "image-base: debootstrap failed (full log: $rootfs.log)" >&2
  exit 1
fi
rm -f "$rootfs.log"
# What a container never needs: downloaded packages, package lists, documentation, man pages,
# translations; a root filesystem should not carry the build machine's name server either.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/* \
  "$rootfs"/etc/resolv.conf
find "$rootfs"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
# The JRE is started for real by the image build (class-data training); here only its presence
# is checked: a chroot without /proc cannot start a JVM.
if ! compgen -G "$rootfs/usr/lib/jvm/java-17-openjdk-*/bin/java" >/dev/null || [[ ! -L "$rootfs/usr/bin/java" ]]; then
  echo "image-base: the root filesystem has no java 17 (usr/lib/jvm/java-17-openjdk-*/bin/java, usr/bin/java)" >&2
  exit 1
fi
echo "image-base: root filesystem ready in $((SECONDS - start)) s ($(du -sh "$rootfs" | cut -f1))" >&2

tar -C "$rootfs" --numeric-owner -c . |
  "${PODMAN[@]}" import -q \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    - "$TAG" >/dev/null
echo "image-base: $TAG built in $((SECONDS - start)) s" >&2
