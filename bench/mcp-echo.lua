-- wrk script: MCP tools/call of the "echo" tool over Streamable HTTP, one unique JSON-RPC id per
-- request, every response checked (HTTP 200, a JSON-RPC result, not isError, the echoed text).
-- Environment: MCP_SESSION (Mcp-Session-Id), MCP_PROTOCOL (negotiated version), ECHO_TEXT;
-- MCP_STATELESS=1 sends protocol 2026-07-28 requests instead: no session, _meta in every request,
-- Mcp-Method and Mcp-Name headers.
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  session = os.getenv("MCP_SESSION")
  protocol = os.getenv("MCP_PROTOCOL") or "2025-11-25"
  text = os.getenv("ECHO_TEXT") or "hello from the benchmark"
  sent = 0
  bad = 0
  stateless = os.getenv("MCP_STATELESS") == "1"
  if stateless then
    headers = {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json, text/event-stream",
      ["MCP-Protocol-Version"] = "2026-07-28",
      ["Mcp-Method"] = "tools/call",
      ["Mcp-Name"] = "echo",
    }
  else
    headers = {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json, text/event-stream",
      ["Mcp-Session-Id"] = session,
      ["MCP-Protocol-Version"] = protocol,
    }
  end
end

function request()
  sent = sent + 1
  local id = tid * 1000000000 + sent
  local meta = ''
  if stateless then
    meta = ',"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",'
        .. '"io.modelcontextprotocol/clientCapabilities":{}}'
  end
  local body = '{"jsonrpc":"2.0","id":' .. id .. ',"method":"tools/call","params":{"name":"echo","arguments":{"text":"'
      .. text .. '"}' .. meta .. '}}'
  return wrk.format("POST", nil, headers, body)
end

function response(status, response_headers, body)
  if status ~= 200 or not string.find(body, '"result"', 1, true) or string.find(body, '"isError":true', 1, true)
      or not string.find(body, text, 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + (thread:get("bad") or 0)
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT good_rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d bad=%d socket_errors=%d non2xx=%d\n",
      (summary.requests - bad_total) / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      summary.requests, bad_total, errors, summary.errors.status))
end
