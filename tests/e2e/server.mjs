// Start and stop one agorad for the end-to-end run.
import { spawn } from 'node:child_process';

const LISTEN_RE = /^listening on (127\.0\.0\.1:\d+)\s*$/m;

// Starts `agorad serve` on a free port of 127.0.0.1 with the demo site and resolves once it
// prints `listening on HOST:PORT`. Keeps the last lines of its output for failure reports.
export function startAgorad({ agorad, web, data, timeoutMs = 20000 }) {
  // --rate-limits 0,0,0: the scenarios write faster than a person (the rates have their own
  // test, tests/integration/test_content.py)
  const args = ['serve', '--listen', '127.0.0.1:0', '--data', data, '--web', web, '--workers', '2', '--demo',
    '--rate-limits', '0,0,0'];
  const child = spawn(agorad, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const keep = (stream) => (chunk) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line) log.push(`[agorad ${stream}] ${line}`);
    }
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  let out = '';
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (err) => resolve({ code: null, signal: null, error: err }));
  });
  const server = {
    child,
    log,
    exited,
    url: null,
    // SIGTERM, then SIGKILL if it has not gone within graceMs. Resolves with {code, signal}.
    async stop(graceMs = 10000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      let timer;
      const late = new Promise((resolve) => {
        timer = setTimeout(() => resolve('late'), graceMs);
      });
      const first = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (first !== 'late') return first;
      child.kill('SIGKILL');
      const res = await exited;
      return { ...res, killed: true };
    },
  };
  child.stderr.on('data', keep('stderr'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(Object.assign(new Error(`agorad did not print "listening on" within ${timeoutMs} ms`), { server }));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      keep('stdout')(chunk);
      if (server.url) return;
      out += chunk.toString('utf8');
      const m = LISTEN_RE.exec(out);
      if (m) {
        clearTimeout(timer);
        server.url = `http://${m[1]}`;
        resolve(server);
      }
    });
    exited.then(({ code, signal, error }) => {
      if (server.url) return;
      clearTimeout(timer);
      const why = error ? error.message : `exited with ${code ?? signal}`;
      reject(Object.assign(new Error(`agorad ${why} before listening`), { server }));
    });
  });
}
