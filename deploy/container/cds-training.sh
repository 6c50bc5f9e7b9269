#!/bin/bash
# Runs at image build time: builds the class-data-sharing archive of bastion.jar for
# `serve --transport http` (JDK 17: a static archive, as bin/bastion builds it, because the dynamic
# one leaves out picocli). A training server on loopback with --sandbox (every provider against its
# built-in simulator, no credentials) loads the classes a real start and the first requests load:
# health, readiness, metrics, initialize, tools/list and one tool call. Its class list becomes the
# archive, which is then checked with -Xshare:on (the JVM refuses to start when it does not fit).
#
# Usage: cds-training.sh LAUNCHER JAR ARCHIVE   (LAUNCHER: bin/bastion)
set -euo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: $0 LAUNCHER JAR ARCHIVE" >&2
  exit 64
fi
launcher="$1"
jar="$2"
archive="$3"
port=18080
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The same collector as bin/bastion; an archive dumped with another does not map.
gc=(-XX:+UseSerialGC)

# A bare environment: the image's BASTION_* settings (0.0.0.0, static auth) are not the training's.
env -i PATH="$PATH" HOME="$work" BASTION_JAR="$jar" BASTION_CDS=0 \
  BASTION_JAVA_OPTS="-XX:DumpLoadedClassList=$work/classes.lst" \
  "$launcher" serve --transport http --host 127.0.0.1 --port "$port" --sandbox >"$work/server.log" 2>&1 &
server=$!

# One HTTP/1.1 request with Connection: close; prints the response (headers and body).
request() {
  local method="$1" path="$2" body="${3:-}" session="${4:-}" headers=""
  [[ -z "$session" ]] || headers="Mcp-Session-Id: $session"$'\r\n'
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\n%sContent-Length: %d\r\n\r\n%s' \
    "$method" "$path" "$headers" "${#body}" "$body" >&3
  cat <&3
  exec 3<&-
}

for _ in $(seq 1 150); do
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; echo "cds-training: the server exited" >&2; exit 1; }
  (request GET /healthz 2>/dev/null || true) | grep -q '"ok"' && break
  sleep 0.2
done
request GET /readyz >/dev/null
request GET /metrics >/dev/null
init="$(request POST /mcp '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"cds-training","version":"1"}}}')"
session="$(printf '%s\n' "$init" | tr -d '\r' | sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: *//p')"
if [[ -z "$session" ]]; then
  printf '%s\n' "$init" >&2
  echo "cds-training: initialize returned no session" >&2
  exit 1
fi
request POST /mcp '{"jsonrpc":"2.0","method":"notifications/initialized"}' "$session" >/dev/null
tools="$(request POST /mcp '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' "$session")"
tool="$(printf '%s' "$tools" | grep -o '"name":"dynatrace_managed_[a-z_]*"' | head -n 1 | cut -d'"' -f4)"
if [[ -n "$tool" ]]; then
  request POST /mcp '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"'"$tool"'","arguments":{}}}' "$session" >/dev/null
fi
request DELETE /mcp '' "$session" >/dev/null
kill -TERM "$server"
wait "$server" || true       # the JVM writes the class list as it exits

if [[ ! -s "$work/classes.lst" ]]; then
  cat "$work/server.log" >&2
  echo "cds-training: no class list was written" >&2
  exit 1
fi
java -Xshare:dump "${gc[@]}" -XX:SharedClassListFile="$work/classes.lst" -XX:SharedArchiveFile="$archive" \
  -cp "$jar" >"$work/dump.log" 2>&1 || { tail -n 20 "$work/dump.log" >&2; exit 1; }
java -Xshare:on "${gc[@]}" -XX:SharedArchiveFile="$archive" -cp "$jar" dev.bastion.app.Main --version >/dev/null
echo "cds-training: $(wc -l <"$work/classes.lst") classes, archive $(du -h "$archive" | cut -f1), tool called: ${tool:-none}"
