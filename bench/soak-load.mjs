// Soak load generator for bench/soak.sh: N concurrent keep-alive HTTP connections against a Bastion
// server serving the Dynatrace Managed sandbox, for a fixed time, with a realistic mix of MCP calls.
// Needs only Node 20 (no packages, no network beyond the given loopback URL).
//
// usage: SOAK_TOKEN=... node bench/soak-load.mjs --url http://127.0.0.1:PORT/mcp --seconds 600 \
//          --connections 64 --pid SERVER_PID [--interval 10]
// Prints one row every interval, then a summary and PASS or FAIL; exit 0 on PASS, 1 on FAIL,
// 2 when the run is too short to judge the RSS (under 3 minutes).
import http from 'node:http';
import fs from 'node:fs';
import { execFile } from 'node:child_process';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const url = new URL(args.url ?? '');
if (url.hostname !== '127.0.0.1') {
  console.error('soak-load: the URL must be on 127.0.0.1');
  process.exit(2);
}
const token = process.env.SOAK_TOKEN;
if (!token) {
  console.error('soak-load: SOAK_TOKEN is not set');
  process.exit(2);
}
const seconds = Number(args.seconds ?? 600);
const connections = Number(args.connections ?? 64);
const intervalSeconds = Number(args.interval ?? 10);
const serverPid = args.pid;
const requestTimeoutMs = 30_000;
const PROTOCOL = '2025-11-25';
const P = 'dynatrace_managed_';

const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });

// ------------------------------------------------------------------ measurement
let window = newWindow();
const rows = [];
const totals = { requests: 0, ok: 0, expected: {}, unexpected: {} };
const unexpectedSamples = [];

function newWindow() {
  return { requests: 0, ok: 0, expected: {}, unexpected: {}, latencies: [] };
}

function count(map, kind) {
  map[kind] = (map[kind] ?? 0) + 1;
}

function record(kind, latencyMs, detail) {
  window.requests++;
  totals.requests++;
  window.latencies.push(latencyMs);
  if (kind === 'ok') {
    window.ok++;
    totals.ok++;
  } else if (kind.startsWith('expected:')) {
    count(window.expected, kind.slice(9));
    count(totals.expected, kind.slice(9));
  } else {
    count(window.unexpected, kind);
    count(totals.unexpected, kind);
    if (unexpectedSamples.length < 20) unexpectedSamples.push(`${kind}: ${String(detail).slice(0, 300)}`);
  }
}

function rssMiB() {
  try {
    const status = fs.readFileSync(`/proc/${serverPid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
    return kib / 1024;
  } catch {
    return NaN;
  }
}

/**
 * The server's live heap: a full GC (jcmd GC.run), then the heap's used size (GC.heap_info). Taken
 * twice, after the second minute and at the end, to tell a leak from the JVM growing its heap.
 * Informational; needs jcmd (the JDK's) and resolves to NaN without it.
 */
function liveHeapMiB() {
  return new Promise((resolve) => {
    execFile('jcmd', [String(serverPid), 'GC.run'], { timeout: 30_000 }, (gcError) => {
      if (gcError) return resolve(NaN);
      execFile('jcmd', [String(serverPid), 'GC.heap_info'], { timeout: 30_000 }, (error, stdout) => {
        const used = /used (\d+)K/.exec(stdout ?? '');
        resolve(error || !used ? NaN : Number(used[1]) / 1024);
      });
    });
  });
}
const liveHeap = {};

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function sum(map) {
  return Object.values(map).reduce((a, b) => a + b, 0);
}

function describe(map) {
  const parts = Object.entries(map).sort().map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : '-';
}

const started = Date.now();
const header = ['t_s', 'requests', 'req/s', 'ok', 'expected', 'unexpected', 'p50_ms', 'p99_ms', 'rss_mib'];
console.log(header.map((h) => h.padStart(10)).join(' ') + '  expected/unexpected by kind');

let lastSnapshot = Date.now();

function snapshot() {
  lastSnapshot = Date.now();
  const w = window;
  window = newWindow();
  const sorted = w.latencies.sort((a, b) => a - b);
  const row = {
    t: Math.round((Date.now() - started) / 1000),
    requests: w.requests,
    ok: w.ok,
    expected: sum(w.expected),
    unexpected: sum(w.unexpected),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    rss: rssMiB(),
    kinds: `${describe(w.expected)} / ${describe(w.unexpected)}`,
  };
  rows.push(row);
  console.log([row.t, row.requests, (row.requests / intervalSeconds).toFixed(1), row.ok, row.expected, row.unexpected,
    row.p50.toFixed(1), row.p99.toFixed(1), row.rss.toFixed(1)].map((v) => String(v).padStart(10)).join(' ')
    + '  ' + row.kinds);
}

// ------------------------------------------------------------------ HTTP
function post(session, body, extraHeaders = {}) {
  return send('POST', session, JSON.stringify(body), extraHeaders);
}

function send(method, session, body, extraHeaders = {}) {
  const headers = {
    Authorization: `Bearer ${token}`,
    Accept: 'application/json, text/event-stream',
    ...extraHeaders,
  };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  if (session) {
    headers['Mcp-Session-Id'] = session;
    headers['MCP-Protocol-Version'] = PROTOCOL;
  }
  return new Promise((resolve) => {
    const begin = process.hrtime.bigint();
    const request = http.request({ host: url.hostname, port: url.port, path: url.pathname, method, headers, agent,
      timeout: requestTimeoutMs }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({
        status: response.statusCode,
        headers: response.headers,
        text: Buffer.concat(chunks).toString('utf8'),
        ms: Number(process.hrtime.bigint() - begin) / 1e6,
      }));
      response.on('error', (e) => resolve({ error: `response_${e.code ?? 'error'}`, detail: e.message,
        ms: Number(process.hrtime.bigint() - begin) / 1e6 }));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
    request.on('error', (e) => resolve({ error: `socket_${e.code ?? 'error'}`, detail: e.message,
      ms: Number(process.hrtime.bigint() - begin) / 1e6 }));
    if (body !== undefined) request.write(body);
    request.end();
  });
}

/** The JSON-RPC message of a response: a JSON body, or the last data event of an SSE body. */
function message(response) {
  const type = response.headers['content-type'] ?? '';
  if (type.startsWith('text/event-stream')) {
    const data = response.text.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
    return data.length ? JSON.parse(data[data.length - 1]) : null;
  }
  return JSON.parse(response.text);
}

// ------------------------------------------------------------------ the mix
let nextId = 1;
const known = { problems: [], entities: [] };

function remember(list, values) {
  for (const v of values) {
    if (list.length < 200 && !list.includes(v)) list.push(v);
  }
}

function pick(list, fallback) {
  return list.length ? list[Math.floor(Math.random() * list.length)] : fallback;
}

// weight, label, arguments (a function, so ids learned from list calls are used), and what to learn.
const MIX = [
  [16, 'list_problems', () => ({ limit: 10, from: 'now-2h' }),
    (r) => remember(known.problems, (r.problems ?? []).map((p) => p.problem_id))],
  [12, 'get_problem_details', () => ({ problem_id: pick(known.problems, 'P-2511000') })],
  [5, 'list_problem_comments', () => ({ problem_id: pick(known.problems, 'P-2511000'), limit: 5 })],
  [14, 'query_metrics_data', () => ({ metric_keys: ['builtin:host.cpu.usage'], from: 'now-1h', resolution: '5m' })],
  [4, 'query_metrics_data', () => ({ metric_keys: ['builtin:host.mem.usage', 'builtin:host.cpu.usage'],
    from: 'now-2h', aggregation: 'avg', split_by: ['dt.entity.host'], top: 3 })],
  [10, 'discover_entities', () => ({ entity_type: 'HOST', limit: 10 }),
    (r) => remember(known.entities, (r.entities ?? []).map((e) => e.id))],
  [6, 'get_entity_details', () => ({ entity_id: pick(known.entities, 'HOST-BA419D350DFE8AF7') })],
  [3, 'get_entity_relationships', () => ({ entity_id: pick(known.entities, 'HOST-BA419D350DFE8AF7') })],
  [4, 'list_available_metrics', () => ({ search_text: 'cpu', limit: 10 })],
  [3, 'get_metric_details', () => ({ metric_key: 'builtin:host.cpu.usage' })],
  [4, 'list_events', () => ({ limit: 10 })],
  [3, 'list_slos', () => ({ limit: 5 })],
  [3, 'query_logs', () => ({ query: 'status="ERROR"', limit: 10 })],
  [2, 'list_security_problems', () => ({ limit: 5 })],
  [2, 'get_environments_info', () => ({})],
  // Invalid arguments: refused by validation before the backend (expected).
  [3, 'list_problems', () => ({ limit: 'five' }), null, 'invalid_arguments'],
  [2, 'query_metrics_data', () => ({}), null, 'invalid_arguments'],
  [1, 'get_problem_details', () => ({ problem_id: 'no spaces allowed' }), null, 'invalid_arguments'],
  // Writes: refused, the server is read-only (expected).
  [2, 'add_problem_comment', () => ({ problem_id: pick(known.problems, 'P-2511000'), message: 'soak' }), null,
    'read_only'],
  [1, 'close_problem', () => ({ problem_id: pick(known.problems, 'P-2511000'), message: 'soak' }), null, 'read_only'],
];
const TOTAL_WEIGHT = MIX.reduce((a, m) => a + m[0], 0);

function choose() {
  let n = Math.random() * TOTAL_WEIGHT;
  for (const m of MIX) {
    n -= m[0];
    if (n < 0) return m;
  }
  return MIX[0];
}

/** Classifies a refusal the server is expected to give; anything else isError is unexpected. */
function expectedRefusal(text) {
  if (text.startsWith('Invalid arguments for ')) return 'invalid_arguments';
  if (text.includes('the server is in read-only mode')) return 'read_only';
  return null;
}

async function callTool(session, entry) {
  const [, tool, argumentsOf, learn, expect] = entry;
  const response = await post(session, { jsonrpc: '2.0', id: nextId++, method: 'tools/call',
    params: { name: P + tool, arguments: argumentsOf() } });
  if (response.error) return record(response.error, response.ms, response.detail);
  if (response.status !== 200) return record(`http_${response.status}`, response.ms, response.text);
  let reply;
  try {
    reply = message(response);
  } catch (e) {
    return record('bad_json', response.ms, response.text);
  }
  if (!reply || reply.error) return record('jsonrpc_error', response.ms, JSON.stringify(reply?.error));
  const result = reply.result;
  const text = result?.content?.[0]?.text ?? '';
  if (result?.isError) {
    const refusal = expectedRefusal(text);
    if (refusal && refusal === expect) return record(`expected:${refusal}`, response.ms);
    return record(`tool_error:${tool}`, response.ms, text);
  }
  if (expect) return record(`not_refused:${tool}`, response.ms, text);
  if (learn) {
    try {
      learn(JSON.parse(text));
    } catch {
      // a result that is not JSON teaches nothing; it is still a success
    }
  }
  return record('ok', response.ms);
}

async function openSession() {
  const init = await post(null, { jsonrpc: '2.0', id: nextId++, method: 'initialize', params: {
    protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'bastion-soak', version: '1' } } });
  if (init.error) return record(init.error, init.ms, init.detail), null;
  const session = init.headers?.['mcp-session-id'];
  if (init.status !== 200 || !session) return record(`initialize_http_${init.status}`, init.ms, init.text), null;
  record('ok', init.ms);
  const initialized = await post(session, { jsonrpc: '2.0', method: 'notifications/initialized' });
  if (initialized.error) return record(initialized.error, initialized.ms, initialized.detail), null;
  if (initialized.status !== 202) return record(`initialized_http_${initialized.status}`, initialized.ms,
    initialized.text), null;
  record('ok', initialized.ms);
  return session;
}

async function listTools(session) {
  const response = await post(session, { jsonrpc: '2.0', id: nextId++, method: 'tools/list' });
  if (response.error) return record(response.error, response.ms, response.detail);
  if (response.status !== 200) return record(`http_${response.status}`, response.ms, response.text);
  try {
    const tools = message(response)?.result?.tools;
    return record(Array.isArray(tools) && tools.length > 0 ? 'ok' : 'tools_list_empty', response.ms, response.text);
  } catch {
    return record('bad_json', response.ms, response.text);
  }
}

async function closeSession(session) {
  const response = await send('DELETE', session, undefined);
  if (response.error) return record(response.error, response.ms, response.detail);
  return record(response.status === 200 || response.status === 204 ? 'ok' : `delete_http_${response.status}`,
    response.ms, response.text);
}

const deadline = started + seconds * 1000;

async function worker() {
  while (Date.now() < deadline) {
    const session = await openSession();
    if (!session) continue;
    await listTools(session);
    const calls = 20 + Math.floor(Math.random() * 40);
    for (let i = 0; i < calls && Date.now() < deadline; i++) {
      await callTool(session, choose());
    }
    await closeSession(session);
  }
}

// ------------------------------------------------------------------ run and judge
const ticker = setInterval(snapshot, intervalSeconds * 1000);
const probe = seconds >= 180 ? setTimeout(async () => { liveHeap.second = await liveHeapMiB(); }, 120_000) : null;
await Promise.all(Array.from({ length: connections }, worker));
clearInterval(ticker);
if (probe) clearTimeout(probe);
// The last moments (sessions closing) form a row only when they span at least half an interval.
if (window.requests > 0 && Date.now() - lastSnapshot >= intervalSeconds * 500) snapshot();
agent.destroy();
if (seconds >= 180) liveHeap.end = await liveHeapMiB();

function meanRss(fromSeconds, toSeconds) {
  const values = rows.filter((r) => r.t > fromSeconds && r.t <= toSeconds).map((r) => r.rss).filter((v) => !isNaN(v));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

const elapsed = (Date.now() - started) / 1000;
const unexpected = sum(totals.unexpected);
console.log('');
console.log(`duration ${elapsed.toFixed(0)} s, ${connections} connections, ${totals.requests} requests `
  + `(${(totals.requests / elapsed).toFixed(1)}/s): ok ${totals.ok}, expected refusals ${sum(totals.expected)} `
  + `(${describe(totals.expected)}), unexpected errors ${unexpected} (${describe(totals.unexpected)})`);
const p50s = rows.map((r) => r.p50).filter((v) => !isNaN(v));
const p99s = rows.map((r) => r.p99).filter((v) => !isNaN(v));
console.log(`p50 per interval: min ${Math.min(...p50s).toFixed(1)} / max ${Math.max(...p50s).toFixed(1)} ms; `
  + `p99 per interval: min ${Math.min(...p99s).toFixed(1)} / max ${Math.max(...p99s).toFixed(1)} ms`);
for (const sample of unexpectedSamples) console.log(`  unexpected: ${sample}`);

let verdict = 0;
const reasons = [];
if (unexpected > 0) {
  verdict = 1;
  reasons.push(`${unexpected} unexpected error(s)`);
}
if (seconds < 180) {
  console.log('RSS: not judged (the run is shorter than 3 minutes)');
  if (verdict === 0) verdict = 2;
} else {
  const second = meanRss(60, 120);
  const last = meanRss(elapsed - 60, elapsed + 1);
  const change = (last - second) / second * 100;
  console.log(`RSS: second minute mean ${second.toFixed(1)} MiB, last minute mean ${last.toFixed(1)} MiB `
    + `(${change >= 0 ? '+' : ''}${change.toFixed(1)} %)`);
  console.log(`live heap after a full GC: after the second minute ${liveHeap.second?.toFixed(1)} MiB, at the end `
    + `${liveHeap.end?.toFixed(1)} MiB (informational)`);
  if (!(Math.abs(change) <= 10)) {
    verdict = 1;
    reasons.push(`RSS not flat (${change.toFixed(1)} %)`);
  }
}
console.log(verdict === 0 ? 'PASS' : verdict === 2 ? 'INCONCLUSIVE (no unexpected errors; run too short for RSS)'
  : `FAIL: ${reasons.join('; ')}`);
process.exit(verdict);
