#!/usr/bin/env bash
# Measures Bastion's stdio cold start: spawn -> initialize -> tools/list response, over N runs
# (default 10, after the warm-up runs), and prints min/median/max in milliseconds.
#
# usage: bench/stdio-startup.sh [-n RUNS] [-w WARMUP] [-- SERVER COMMAND...]
#   default: the typical desktop set-up, the representative case: the bundled Dynatrace Managed
#     provider configured by environment variables, no network at start-up (set by this script):
#       DYNATRACE_MANAGED_URL=https://dt.example.com DYNATRACE_ENVIRONMENT_ID=abc12345 \
#       DYNATRACE_API_TOKEN=dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 \
#       bin/bastion serve
#   the sandbox case: bench/stdio-startup.sh -- bin/bastion serve --sandbox
# WARMUP (default 2) runs are not counted: bin/bastion records the classes of its first run and
# builds its class-data archive from them in the background during the second; the script then
# waits for that build to finish, so the counted runs all start from the archive.
# Needs node >= 18 and a built app/target/bastion.jar (mvn -q -DskipTests package).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs=10
warmup=2
while getopts ":n:w:h" opt; do
  case "$opt" in
    n) runs=$OPTARG ;;
    w) warmup=$OPTARG ;;
    *) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
if [ $# -eq 0 ]; then
  # Placeholder values with the real formats: nothing is contacted before a tool is called.
  export DYNATRACE_MANAGED_URL=https://dt.example.com
  export DYNATRACE_ENVIRONMENT_ID=abc12345
  export DYNATRACE_API_TOKEN=dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567
  set -- "$root/bin/bastion" serve
fi
[ -f "$root/app/target/bastion.jar" ] || { echo "app/target/bastion.jar is missing: build first (see README)" >&2; exit 1; }
command -v node >/dev/null || { echo "node is required" >&2; exit 1; }

echo "command: $*" >&2
for i in $(seq 1 "$warmup"); do
  node "$here/stdio-probe.mjs" "$@" >/dev/null
done
# bin/bastion's background archive build (see bin/bastion), if one is running.
cache="${XDG_CACHE_HOME:-$HOME/.cache}/bastion"
for i in $(seq 1 120); do
  compgen -G "$cache/bastion-*.dumping.*" >/dev/null || break
  sleep 0.5
done
times=()
for i in $(seq 1 "$runs"); do
  read -r ms tools < <(node "$here/stdio-probe.mjs" "$@")
  times+=("$ms")
  echo "run $i: ${ms} ms (${tools} tools)" >&2
done
printf '%s\n' "${times[@]}" | sort -n | awk '
  { v[NR] = $1 }
  END {
    median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "stdio spawn->tools/list over %d runs: min %.1f ms, median %.1f ms, max %.1f ms\n", NR, v[1], median, v[NR]
  }'
