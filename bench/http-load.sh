#!/usr/bin/env bash
# HTTP load benchmark: tools/call of the benchmark provider's echo tool through the full security
# pipeline (rate limit and per-client concurrency raised so they never refuse), driven by wrk on
# loopback at several connection counts for a bounded time.
#
# usage: bench/http-load.sh [-d SECONDS] [-c "1 8 64"] [-p PORT] [-w WARMUP_SECONDS] [-e "session stateless"]
# -e: the protocol eras to measure, one table each: session (2025-11-25, one Mcp-Session-Id) and
#     stateless (2026-07-28, _meta on every request, no session); both by default.
# The default 20 s warm-up lets the JIT compile the hot path; with 5 s the 64-connection figure
# came out about half of the warmed-up one.
# Prints, per connection count, good requests per second, p50 and p99 latency, and the server's
# peak RSS. Needs: a build (mvn -DskipTests package, which also builds the benchmark provider jar
# in bench/target/plugins), wrk (apt-get install wrk) and curl.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
duration=10 connections="1 8 64" port=18931 warmup=20 eras="session stateless"
while getopts ":d:c:p:w:e:h" opt; do
  case "$opt" in
    d) duration=$OPTARG ;; c) connections=$OPTARG ;; p) port=$OPTARG ;; w) warmup=$OPTARG ;; e) eras=$OPTARG ;;
    *) sed -n '2,11p' "${BASH_SOURCE[0]}"; exit 2 ;;
  esac
done
plugins="$root/bench/target/plugins"
for need in wrk curl; do command -v "$need" >/dev/null || { echo "$need is required" >&2; exit 1; }; done
[ -f "$root/app/target/bastion.jar" ] || { echo "app/target/bastion.jar is missing: build first" >&2; exit 1; }
ls "$plugins"/*.jar >/dev/null 2>&1 || { echo "no provider jar in $plugins: build first" >&2; exit 1; }

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
# bench/bench-provider.yaml: the benchmark provider, the full pipeline, the per-client budgets raised.
# Audit records go to a file of their own, as in production.
BASTION_AUDIT_FILE="$work/audit.jsonl"
export BASTION_AUDIT_FILE

url="http://127.0.0.1:$port/mcp"
BASTION_LOG_LEVEL=warn "$root/bin/bastion" serve --transport http --host 127.0.0.1 --port "$port" \
  --config "$here/bench-provider.yaml" --plugin-dir "$plugins" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the server exited:" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done

headers="$work/headers"
curl -fsS -D "$headers" -o "$work/init.json" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' \
  -d '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"http-load","version":"1"}}}' \
  "$url"
session="$(awk 'tolower($1) == "mcp-session-id:" { print $2 }' "$headers" | tr -d '\r')"
[ -n "$session" ] || { echo "no Mcp-Session-Id in the initialize response" >&2; exit 1; }
curl -fsS -o /dev/null -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -H "Mcp-Session-Id: $session" -H 'MCP-Protocol-Version: 2025-11-25' \
  -d '{"jsonrpc":"2.0","method":"notifications/initialized"}' "$url"

export MCP_SESSION="$session" MCP_PROTOCOL="2025-11-25"
for era in $eras; do
if [ "$era" = stateless ]; then export MCP_STATELESS=1; else export MCP_STATELESS=0; fi
echo "era: $era"
if [ "$warmup" -gt 0 ]; then
  wrk -t 2 -c 8 -d "${warmup}s" --timeout 10s -s "$here/mcp-echo.lua" "$url" >/dev/null
fi
printf '%-12s %12s %10s %10s %8s\n' connections good_req/s p50_ms p99_ms bad
for c in $connections; do
  threads=$(( c < 2 ? c : 2 ))
  line="$(timeout $((duration + 30)) wrk -t "$threads" -c "$c" -d "${duration}s" --timeout 10s \
    -s "$here/mcp-echo.lua" "$url" | grep '^RESULT')"
  rps=$(sed -E 's/.*good_rps=([^ ]+).*/\1/' <<<"$line")
  p50=$(sed -E 's/.*p50_ms=([^ ]+).*/\1/' <<<"$line")
  p99=$(sed -E 's/.*p99_ms=([^ ]+).*/\1/' <<<"$line")
  bad=$(sed -E 's/.*bad=([^ ]+) socket_errors=([^ ]+) non2xx=([^ ]+).*/\1+\2+\3/' <<<"$line")
  printf '%-12s %12s %10s %10s %8s\n' "$c" "$rps" "$p50" "$p99" "$bad"
done
done
rss_kib="$(awk '/VmHWM/ { print $2 }' "/proc/$server_pid/status")"
echo "server peak RSS: $((rss_kib / 1024)) MiB"
curl -fsS -o /dev/null -X DELETE -H "Mcp-Session-Id: $session" -H 'MCP-Protocol-Version: 2025-11-25' "$url" || true
