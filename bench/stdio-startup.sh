#!/usr/bin/env bash
# Measures Bastion's stdio cold start: spawn -> initialize -> tools/list response, over N runs
# (default 10, after 1 warm-up run), and prints min/median/max in milliseconds.
#
# usage: bench/stdio-startup.sh [-n RUNS] [-- SERVER COMMAND...]
#   default server command: bin/bastion serve --sandbox (the bundled jar, built by the README's build command)
# Needs node >= 18 and a built app/target/bastion.jar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs=10
while getopts ":n:h" opt; do
  case "$opt" in
    n) runs=$OPTARG ;;
    *) sed -n '2,8p' "${BASH_SOURCE[0]}"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
if [ $# -eq 0 ]; then
  set -- "$root/bin/bastion" serve --sandbox
fi
[ -f "$root/app/target/bastion.jar" ] || { echo "app/target/bastion.jar is missing: build first (see README)" >&2; exit 1; }
command -v node >/dev/null || { echo "node is required" >&2; exit 1; }

echo "command: $*" >&2
node "$here/stdio-probe.mjs" "$@" >/dev/null   # warm-up (also creates the class-data archive, see bin/bastion)
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
