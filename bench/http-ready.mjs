// Spawns an HTTP MCP server and reports the milliseconds from spawn until GET <url> answers with
// any HTTP status (the port answers). Node >= 18, no packages.
// usage: node http-ready.mjs URL COMMAND [ARGS...]
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import http from 'node:http';

const [url, command, ...args] = process.argv.slice(2);
if (!url || !command) {
  console.error('usage: node http-ready.mjs URL COMMAND [ARGS...]');
  process.exit(2);
}
const started = performance.now();
const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'ignore'] });
let done = false;
let exited = false;
// Stops the server and exits only once it is gone, so the next run finds the port free.
const finish = (code, line) => {
  if (done) return;
  done = true;
  if (line) process.stdout.write(line);
  if (exited) process.exit(code);
  const kill = setTimeout(() => child.kill('SIGKILL'), 10000);
  child.on('exit', () => { clearTimeout(kill); process.exit(code); });
  child.kill('SIGTERM');
};
const timer = setTimeout(() => { console.error('the port did not answer within 30 s'); finish(1); }, 30000);
child.on('exit', (status) => { exited = true; if (!done) { console.error(`the server exited (${status}) before answering`); clearTimeout(timer); finish(1); } });
const poll = () => {
  if (done) return;
  const request = http.get(url, (response) => {
    response.resume();
    clearTimeout(timer);
    finish(0, `${(performance.now() - started).toFixed(1)} ${response.statusCode}\n`);
  });
  request.on('error', () => setTimeout(poll, 5));
  request.setTimeout(1000, () => request.destroy());
};
poll();
