#!/usr/bin/env bash
# Measures Bastion's start-up over N runs each (default 10, after the warm-up runs) and prints min,
# median and max in milliseconds, for three cases:
#   representative  stdio spawn -> initialize -> tools/list response, the typical desktop set-up: the
#                   bundled Dynatrace Managed provider configured by environment variables (set by this
#                   script, real formats, nothing contacted before a tool is called): bin/bastion serve
#   sandbox         the same with every provider's sandbox: bin/bastion serve --sandbox
#   http            spawn -> the HTTP port answers (GET /healthz): bin/bastion serve --transport http
#
# usage: bench/stdio-startup.sh [-n RUNS] [-w WARMUP] [-c CASES] [-- SERVER COMMAND...]
#   -c CASES  which cases, comma-separated (default representative,sandbox,http)
#   -- CMD    measure one stdio command instead (spawn -> tools/list), such as
#             bench/stdio-startup.sh -- java -jar app/target/bastion.jar serve --sandbox
# WARMUP (default 2) runs are not counted: bin/bastion records the classes of its first run and
# builds its class-data archive (JDK 17-24) or trains its AOT cache (JDK 25+, JAVA_HOME selects the
# JDK) in the background; the script waits for that to finish, so the counted runs all start from it.
# Needs node >= 18 and a built app/target/bastion.jar (mvn -q -DskipTests package).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs=10
warmup=2
cases="representative,sandbox,http"
while getopts ":n:w:c:h" opt; do
  case "$opt" in
    n) runs=$OPTARG ;;
    w) warmup=$OPTARG ;;
    c) cases=$OPTARG ;;
    *) sed -n '2,18p' "${BASH_SOURCE[0]}"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
[ -f "$root/app/target/bastion.jar" ] || { echo "app/target/bastion.jar is missing: build first (see README)" >&2; exit 1; }
command -v node >/dev/null || { echo "node is required" >&2; exit 1; }

# Placeholder values with the real formats: nothing is contacted before a tool is called.
representative_env() {
  export DYNATRACE_MANAGED_URL=https://dt.example.com
  export DYNATRACE_ENVIRONMENT_ID=abc12345
  export DYNATRACE_API_TOKEN=dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567
}

# The launcher's background archive build or AOT training, if one is running.
wait_for_cache() {
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/bastion" i
  for i in $(seq 1 240); do
    compgen -G "$cache/bastion-*.dumping.*" >/dev/null || compgen -G "$cache/bastion-aot-*.training.*" >/dev/null ||
      break
    sleep 0.5
  done
}

summary() {
  sort -n | awk -v label="$1" '
    { v[NR] = $1 }
    END {
      median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%s over %d runs: min %.1f ms, median %.1f ms, max %.1f ms\n", label, NR, v[1], median, v[NR]
    }'
}

# measure LABEL PROBE-ARGS...: warm-up runs, then RUNS counted ones of the probe.
measure() {
  local label="$1" i ms rest
  shift
  echo "$label: $*" >&2
  for i in $(seq 1 "$warmup"); do
    node "$@" >/dev/null
    wait_for_cache
  done
  wait_for_cache
  for i in $(seq 1 "$runs"); do
    read -r ms rest < <(node "$@")
    echo "  run $i: ${ms} ms ($rest)" >&2
    echo "$ms"
  done | summary "$label"
}

if [ $# -gt 0 ]; then
  measure "stdio spawn->tools/list" "$here/stdio-probe.mjs" "$@"
  exit 0
fi
IFS=, read -r -a selected <<<"$cases"
for name in "${selected[@]}"; do
  case "$name" in
    representative)
      ( representative_env; measure "representative: stdio spawn->tools/list" "$here/stdio-probe.mjs" \
          "$root/bin/bastion" serve ) ;;
    sandbox)
      measure "sandbox: stdio spawn->tools/list" "$here/stdio-probe.mjs" "$root/bin/bastion" serve --sandbox ;;
    http)
      port="${BENCH_PORT:-18931}"
      ( representative_env; measure "http: spawn->port answers" "$here/http-ready.mjs" \
          "http://127.0.0.1:$port/healthz" "$root/bin/bastion" serve --transport http --port "$port" ) ;;
    *) echo "unknown case: $name (representative, sandbox, http)" >&2; exit 2 ;;
  esac
done
