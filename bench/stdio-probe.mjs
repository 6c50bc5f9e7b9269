// Spawns an MCP stdio server, sends initialize, then notifications/initialized and tools/list,
// and reports the milliseconds from spawn to the tools/list response. Node >= 18, no packages.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node stdio-probe.mjs COMMAND [ARGS...]');
  process.exit(2);
}
const started = performance.now();
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
const timer = setTimeout(() => { console.error('no tools/list response within 30 s'); child.kill('SIGKILL'); process.exit(1); }, 30000);
let buffered = '';
const send = (message) => child.stdin.write(JSON.stringify(message) + '\n');
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    let message;
    try { message = JSON.parse(line); } catch { console.error('non-JSON line on stdout: ' + line.slice(0, 80)); process.exit(1); }
    if (message.id === 1) {
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    } else if (message.id === 2) {
      const elapsed = performance.now() - started;
      clearTimeout(timer);
      if (!message.result || !Array.isArray(message.result.tools)) { console.error('bad tools/list response'); process.exit(1); }
      process.stdout.write(`${elapsed.toFixed(1)} ${message.result.tools.length}\n`);
      child.stdin.end();
    }
  }
});
child.on('exit', () => process.exit(0));
send({ jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bastion-bench', version: '1' } } });
