#!/usr/bin/env bash
# Soak: 64 concurrent HTTP connections against `bastion serve --transport http --sandbox` (the
# Dynatrace Managed sandbox) for a fixed time, with a realistic mix: list, detail and metric calls,
# some invalid arguments, some writes refused in read-only mode, sessions opened and closed.
#
# usage: bench/soak.sh [minutes]      (default 10)
# Every 10 s it prints requests, expected refusals and unexpected errors by kind, p50/p99 latency
# and the server's RSS; at the end a summary and PASS or FAIL. Pass: no error other than the
# expected refusals, and RSS flat (the last minute's mean within 10 % of the second minute's).
# Exit 0 on PASS, 1 on FAIL, 2 when the run is too short to judge RSS (under 3 minutes).
# SOAK_JAVA_OPTS: the server's JVM options, default -Xms512m -Xmx512m -XX:+AlwaysPreTouch: a fixed
# heap, touched at start, so RSS shows memory the process keeps outside a heap that cannot grow.
# With the JVM's defaults G1 grows its heap towards a quarter of RAM under load (measured: 230 MiB
# to 1.1 GiB RSS in 5 min with about 40 MiB live), and a fixed heap without pre-touch still adds
# RSS as G1 first uses its regions; neither says anything about a leak. SOAK_JAVA_OPTS= (empty)
# runs with the JVM's defaults. A leak in the heap shows in the live heap printed at the end.
# Needs java 17+ and node 20+; builds the jar (mvn -q -DskipTests package) only if it is missing.
# Traffic goes only to 127.0.0.1; the server gets a fresh random static token and is stopped at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
minutes="${1:-10}"
case "$minutes" in ''|*[!0-9]*|0) echo "usage: bench/soak.sh [minutes], a whole number of minutes above 0" >&2; exit 2 ;; esac
connections=64
for need in java node; do command -v "$need" >/dev/null || { echo "$need is required" >&2; exit 1; }; done
jar="$root/app/target/bastion.jar"
if [ ! -f "$jar" ]; then
  echo "soak: $jar is missing, building it (mvn -q -DskipTests package)" >&2
  (cd "$root" && mvn -q -DskipTests package)
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

# A static token of 43 random URL-safe characters, passed only through the environment.
SOAK_TOKEN="$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))")"
export SOAK_TOKEN

# Static auth; the token may call write tools, so writes reach the read-only gate and are refused
# there (not by scope). The per-client budgets are raised, as in bench/bench-provider.yaml, because
# the load generator is one client with 64 connections; everything else keeps its defaults.
# Created here: a background job opens its redirection only when it runs.
: >"$work/server.log"
BASTION_HTTP_AUTH_MODE=static BASTION_HTTP_TOKEN="$SOAK_TOKEN" BASTION_HTTP_TOKEN_NAME=soak \
BASTION_HTTP_TOKEN_SCOPES="bastion:read,bastion:write" \
BASTION_RATE_LIMIT_REQUESTS_PER_MINUTE=100000000 BASTION_RATE_LIMIT_BURST_SIZE=1000000 \
BASTION_MAX_CONCURRENT_CALLS=1024 BASTION_READ_ONLY=true \
BASTION_AUDIT_FILE="$work/audit.jsonl" BASTION_LOG_LEVEL=warn \
  java ${SOAK_JAVA_OPTS--Xms512m -Xmx512m -XX:+AlwaysPreTouch} -jar "$jar" serve --transport http --sandbox --host 127.0.0.1 --port 0 >"$work/server.log" 2>&1 &
server_pid=$!

url=""
for _ in $(seq 1 600); do
  url="$(sed -n 's/^bastion: serving MCP at \(http:\/\/127\.0\.0\.1:[0-9]*\/mcp\)$/\1/p' "$work/server.log")"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "soak: the server exited:" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "soak: the server did not start within 60 s:" >&2; cat "$work/server.log" >&2; exit 1; }
echo "soak: $connections connections for $minutes min against $url (server pid $server_pid)"

status=0
node "$here/soak-load.mjs" --url "$url" --seconds $((minutes * 60)) --connections "$connections" \
  --pid "$server_pid" --interval 10 || status=$?

kill -0 "$server_pid" 2>/dev/null || { echo "soak: FAIL: the server died during the run" >&2; status=1; }
echo "server log: $(grep -c . "$work/server.log" || true) line(s), $(grep -c -E ' (WARN|ERROR) ' "$work/server.log" || true) WARN/ERROR"
grep -E ' (WARN|ERROR) ' "$work/server.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -5 || true
echo "audit records: $(wc -l <"$work/audit.jsonl" 2>/dev/null || echo 0)"
exit "$status"
