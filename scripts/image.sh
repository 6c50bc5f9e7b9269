#!/usr/bin/env bash
# Builds the container image of deploy/container/Containerfile with podman (daemonless; docker
# works the same with `docker build`, see docs/operations.md).
#
# Usage: scripts/image.sh [-t TAG] [-b BASE_IMAGE] [-n]
#   -t TAG         image name (default localhost/bastion:<project version>)
#   -b BASE_IMAGE  base image (default: the Containerfile's, eclipse-temurin:17-jre, which needs a
#                  registry); scripts/image-base.sh builds localhost/bastion-base:bookworm-jre17
#                  from the Debian mirror instead
#   -n             do not build the jar (use the existing app/target/bastion.jar)
# Without -n, builds app/target/bastion.jar first (mvn -DskipTests package -pl app -am).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/podman-flags.sh
source "$ROOT/scripts/podman-flags.sh"
cd "$ROOT"

TAG=""
BASE=""
BUILD_JAR=yes
while getopts "t:b:n" opt; do
  case "$opt" in
    t) TAG="$OPTARG" ;;
    b) BASE="$OPTARG" ;;
    n) BUILD_JAR="" ;;
    *) echo "usage: $0 [-t TAG] [-b BASE_IMAGE] [-n]" >&2; exit 64 ;;
  esac
done

if [[ -n "$BUILD_JAR" ]]; then
  echo "image: building app/target/bastion.jar" >&2
  mvn -B -ntp -q -DskipTests package -pl app -am
fi
if [[ ! -f app/target/bastion.jar ]]; then
  echo "image: app/target/bastion.jar is missing; run without -n or 'mvn -DskipTests package' first" >&2
  exit 2
fi
if [[ -z "$TAG" ]]; then
  version="$(unzip -p app/target/bastion.jar META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' | sed -n 's/^Implementation-Version: //p' | head -n 1 || true)"
  TAG="localhost/bastion:${version:-latest}"
fi
ensure_podman

args=(build --format docker -f deploy/container/Containerfile -t "$TAG" "${PODMAN_LIMITS[@]}")
[[ -z "$BASE" ]] || args+=(--build-arg "BASE_IMAGE=$BASE")
echo "image: building $TAG${BASE:+ on $BASE}" >&2
start=$SECONDS
"${PODMAN[@]}" "${args[@]}" . >&2
size="$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$TAG")"
echo "image: $TAG built in $((SECONDS - start)) s, $((size / 1000000)) MB" >&2
echo "$TAG"
