#!/usr/bin/env bash
# Builds the container image and tests it as it is meant to run: read-only root filesystem,
# uid 1001, a tmpfs on /tmp, every capability dropped, listening on 0.0.0.0 with a bearer token.
#  1. installs podman and runc with apt-get when missing (root only);
#  2. builds the base image from the Debian mirror (scripts/image-base.sh), unless -b names one;
#  3. builds the image (scripts/image.sh) from the existing app/target/bastion.jar;
#  4. starts it with the conformance fixture provider mounted as a plugin jar and
#     scripts/conformance.yaml as its configuration, waits for /healthz, and checks: the server
#     runs as uid 1001, the root filesystem refuses writes, the class-data archive is mapped, the
#     image's HEALTHCHECK passes, /mcp refuses a request without the token;
#  5. runs the MCP conformance suite against it (scripts/conformance.sh -u, with the token);
#  6. checks the audit log was written to /var/log/bastion, and removes the container.
# Expects a finished `mvn package` (bastion.jar and the testkit jar). Needs curl and a JDK (jar).
#
# Usage: scripts/image-test.sh [-b BASE_IMAGE] [-P PORT]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/podman-flags.sh
source "$ROOT/scripts/podman-flags.sh"
cd "$ROOT"

BASE=""
PORT=18932
while getopts "b:P:" opt; do
  case "$opt" in
    b) BASE="$OPTARG" ;;
    P) PORT="$OPTARG" ;;
    *) echo "usage: $0 [-b BASE_IMAGE] [-P PORT]" >&2; exit 64 ;;
  esac
done

TESTKIT="$(ls testkit/target/bastion-testkit-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc\|-tests' | head -n 1 || true)"
for needed in app/target/bastion.jar "$TESTKIT"; do
  if [[ -z "$needed" || ! -f "$needed" ]]; then
    echo "image-test: ${needed:-the testkit jar} is missing; run 'mvn package' first" >&2
    exit 2
  fi
done
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "image-test: port $PORT is already in use; pass -P PORT" >&2
  exit 2
fi
ensure_podman

total=$SECONDS
if [[ -z "$BASE" ]]; then
  BASE=localhost/bastion-base:bookworm-jre17
  start=$SECONDS
  scripts/image-base.sh "$BASE"
  base_seconds=$((SECONDS - start))
fi
start=$SECONDS
IMAGE="$(scripts/image.sh -n -b "$BASE" -t localhost/bastion:image-test)"
build_seconds=$((SECONDS - start))

WORK="$(mktemp -d)"
NAME="bastion-image-test-$$"
fail() {
  echo "image-test: $*" >&2
  echo "image-test: container log tail:" >&2
  "${PODMAN[@]}" logs --tail 40 "$NAME" >&2 2>&1 || true
  exit 1
}
cleanup() {
  "${PODMAN[@]}" rm -f -v -t 10 "$NAME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# The conformance fixture provider (test scope, never in the image) as a plugin jar: the testkit
# jar with its ServiceLoader registration, mounted where the image looks for plugins.
mkdir -p "$WORK/plugins" "$WORK/meta/META-INF/services"
cp "$TESTKIT" "$WORK/plugins/conformance-fixtures.jar"
echo dev.bastion.testkit.conformance.ConformanceFixtures > "$WORK/meta/META-INF/services/dev.bastion.core.spi.ProviderFactory"
jar uf "$WORK/plugins/conformance-fixtures.jar" -C "$WORK/meta" META-INF/services/dev.bastion.core.spi.ProviderFactory
chmod -R a+rX "$WORK"

# A throwaway token (64 hex characters); passed by name so it is not on podman's command line.
BASTION_HTTP_TOKEN="$(head -c 32 /dev/urandom | sha256sum | cut -c1-64)"
export BASTION_HTTP_TOKEN

echo "image-test: starting $IMAGE read-only as uid 1001 on 127.0.0.1:$PORT" >&2
start=$SECONDS
"${PODMAN[@]}" run -d --name "$NAME" "${PODMAN_LIMITS[@]}" \
  --read-only --user 1001 --tmpfs /tmp:rw,nosuid,nodev,size=64m --cap-drop ALL --security-opt no-new-privileges \
  -p "127.0.0.1:$PORT:8080" \
  -e BASTION_HTTP_TOKEN -e BASTION_HTTP_TOKEN_NAME=image-test \
  -v "$WORK/plugins:/opt/bastion/lib/plugins:ro" -v "$ROOT/scripts/conformance.yaml:/etc/bastion/bastion.yaml:ro" \
  "$IMAGE" --config /etc/bastion/bastion.yaml >/dev/null 2>"$WORK/run.log" ||
  { cat "$WORK/run.log" >&2; fail "podman run failed"; }

ready=""
for _ in $(seq 1 150); do
  state="$("${PODMAN[@]}" inspect --format '{{.State.Status}}' "$NAME" 2>/dev/null || echo gone)"
  [[ "$state" == running ]] || fail "the container is $state"
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
    ready=yes
    break
  fi
  sleep 0.2
done
[[ -n "$ready" ]] || fail "/healthz did not answer within 30 s"
echo "image-test: /healthz answered $((SECONDS - start)) s after podman run" >&2

pid="$("${PODMAN[@]}" inspect --format '{{.State.Pid}}' "$NAME")"
uids="$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")"
[[ "$uids" == "1001 1001 1001 1001" ]] || fail "the server runs with uids '$uids', not 1001"
grep -q 'java' "/proc/$pid/comm" || fail "the container's main process is $(cat "/proc/$pid/comm"), not java"
grep -q '/opt/bastion/lib/bastion.jsa' "/proc/$pid/maps" || fail "the class-data archive is not mapped"
if "${PODMAN[@]}" exec "$NAME" /bin/bash -c ': > /opt/bastion/lib/probe' 2>/dev/null; then
  fail "the root filesystem accepted a write"
fi
"${PODMAN[@]}" healthcheck run "$NAME" >/dev/null 2>"$WORK/health.log" || { cat "$WORK/health.log" >&2; fail "the image's HEALTHCHECK failed"; }
status="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' --data '{"jsonrpc":"2.0","id":1,"method":"ping"}' "http://127.0.0.1:$PORT/mcp")"
[[ "$status" == 401 ]] || fail "/mcp without a token answered $status, not 401"
echo "image-test: uid 1001, read-only root, CDS archive mapped, HEALTHCHECK ok, 401 without token" >&2

suite=0
CONFORMANCE_BEARER_TOKEN="$BASTION_HTTP_TOKEN" scripts/conformance.sh -u "http://127.0.0.1:$PORT/mcp" || suite=$?
[[ "$suite" -eq 0 ]] || fail "the conformance suite failed against the image (exit status $suite)"

"${PODMAN[@]}" exec "$NAME" test -s /var/log/bastion/audit.jsonl || fail "no audit records in /var/log/bastion/audit.jsonl"
if "${PODMAN[@]}" logs "$NAME" 2>&1 | grep -q 'Exception'; then
  "${PODMAN[@]}" logs "$NAME" 2>&1 | grep -n -A8 'Exception' | head -n 40 >&2
  fail "the server logged exceptions"
fi
# podman without systemd cannot schedule health check timers and says so on stderr at run and stop;
# the HEALTHCHECK itself is run above with `podman healthcheck run`.
"${PODMAN[@]}" stop -t 20 "$NAME" >/dev/null 2>&1
exit_code="$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$NAME")"

size="$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE")"
base_size="$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$BASE")"
echo "image-test: passed. $IMAGE: $((size / 1000000)) MB (base $BASE: $((base_size / 1000000)) MB);" \
  "base built in ${base_seconds:-(not built, given)} s, image in $build_seconds s, all in $((SECONDS - total)) s;" \
  "exit status after SIGTERM $exit_code (143 = the JVM's for SIGTERM)"
