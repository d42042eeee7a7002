#!/usr/bin/env node
// Agora end-to-end tests in a real browser (Debian's chromium driven by playwright-core).
//
//   node tests/e2e/run.mjs --agorad build/agorad --web web [--chromium /usr/bin/chromium]
//                          [--artifacts DIR] [--only SUBSTRING]
//
// Starts `agorad serve --listen 127.0.0.1:0 --demo` on a fresh data folder, runs every scenario of
// tests.mjs in order, prints one line per scenario (TAP style), then always stops agorad (SIGTERM),
// closes the browser and removes the temporary folder. Exit status: 0 all passed, 1 a failure,
// 2 bad arguments, 77 a prerequisite is missing (node_modules or the browser).
// Screenshots (the desktop thread page, and of any failing scenario) go to --artifacts DIR when
// given, else into the temporary folder, which is removed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startAgorad } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TEST_TIMEOUT_MS = 90_000;
const ACTION_TIMEOUT_MS = 15_000;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function usage(msg) {
  if (msg) console.error(`run.mjs: ${msg}`);
  console.error('usage: node tests/e2e/run.mjs --agorad PATH --web PATH [--chromium PATH] [--artifacts DIR] [--only TEXT]');
  process.exit(2);
}

let opts;
try {
  opts = parseArgs({
    options: {
      agorad: { type: 'string' },
      web: { type: 'string' },
      chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
      artifacts: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (err) {
  usage(err.message);
}
if (opts.help) usage();
if (!opts.agorad || !opts.web) usage('--agorad and --web are required');
const agorad = path.resolve(opts.agorad);
const web = path.resolve(opts.web);
try { fs.accessSync(agorad, fs.constants.X_OK); } catch { usage(`not an executable: ${agorad}`); }
if (!fs.existsSync(path.join(web, 'templates'))) usage(`no templates/ in the web folder ${web}`);
if (!fs.existsSync(opts.chromium)) {
  console.error(`run.mjs: no browser at ${opts.chromium} (apt-get install chromium, or pass --chromium PATH)`);
  process.exit(77);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error(`run.mjs: playwright-core is not installed; run \`npm ci\` in ${HERE}`);
  process.exit(77);
}
const { tests } = await import('./tests.mjs');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-e2e-'));
const artifacts = opts.artifacts ? path.resolve(opts.artifacts) : path.join(tmp, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });

let server = null;
let browser = null;
let cleaning = null;
let aborted = null;

// Stops everything this run started; safe to call more than once.
function cleanup() {
  cleaning ??= (async () => {
    let stopped = null;
    if (browser) await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
    if (server) stopped = await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    return stopped;
  })();
  return cleaning;
}
for (const [sig, status] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => {
    if (aborted) return;
    aborted = sig;
    console.error(`\nrun.mjs: ${sig}, stopping agorad and the browser`);
    cleanup().finally(() => process.exit(status));
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

function indent(text) {
  return String(text).split('\n').map((l) => `    ${l}`).join('\n');
}

// One scenario: fresh contexts, console and dialog watchers, timeout (its own timeoutMs if it has
// one: a crawl of the whole site takes longer), screenshots on failure.
async function runOne(test, number) {
  const contexts = [];
  const consoleErrors = [];
  const cspViolations = [];
  const pageErrors = [];
  const dialogs = [];
  const newPage = async (options = {}) => {
    const context = await browser.newContext({ baseURL: server.url, ...options });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = `${msg.text()} (${msg.location()?.url || msg.page()?.url() || '?'})`;
      consoleErrors.push(text);
      if (/Content Security Policy/i.test(text)) cspViolations.push(text);
    });
    context.on('weberror', (err) => pageErrors.push(String(err.error())));
    context.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
    contexts.push(context);
    return context.newPage();
  };
  const started = Date.now();
  let error = null;
  try {
    const page = await newPage();
    await withTimeout(test.fn({ page, newPage, artifacts, consoleErrors, dialogs }), test.timeoutMs ?? TEST_TIMEOUT_MS, 'the scenario');
    if (cspViolations.length) throw new Error(`Content Security Policy violations:\n${cspViolations.join('\n')}`);
    if (pageErrors.length) throw new Error(`uncaught errors in the page:\n${pageErrors.join('\n')}`);
    if (dialogs.length) throw new Error(`unexpected dialogs: ${dialogs.join('; ')}`);
  } catch (err) {
    error = err;
    let n = 0;
    for (const context of contexts) {
      for (const page of context.pages()) {
        if (page.url() === 'about:blank') continue;
        const file = path.join(artifacts, `failed-${number}-${slug(test.name)}-${++n}.png`);
        const where = page.url();
        await page.screenshot({ path: file, fullPage: true }).then(
          () => { err.shots = [...(err.shots ?? []), `${file} (${where})`]; },
          () => {});
      }
    }
  } finally {
    for (const context of contexts) await context.close().catch(() => {});
  }
  return { error, ms: Date.now() - started, consoleErrors };
}

async function main() {
  const t0 = Date.now();
  const selected = tests.filter((t) => !opts.only || t.name.includes(opts.only));
  try {
    server = await startAgorad({ agorad, web, data: path.join(tmp, 'data') });
  } catch (err) {
    console.error(`Bail out! ${err.message}`);
    if (err.server) {
      server = err.server;
      console.error(server.log.join('\n'));
    }
    return 1;
  }
  console.log(`# agorad ${server.url} (data ${path.join(tmp, 'data')})`);
  // our own signal handlers clean up; playwright's would exit before the temporary folder is gone
  browser = await chromium.launch({
    executablePath: opts.chromium, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  console.log(`# chromium ${browser.version()}`);
  console.log(`1..${selected.length + 1}`);

  let failed = 0;
  for (const [i, test] of selected.entries()) {
    const { error, ms } = await runOne(test, i + 1);
    if (aborted) return 1;
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      failed++;
      console.log(`not ok ${i + 1} - ${test.name}\n${indent(`agorad died during the scenario\n${server.log.slice(-20).join('\n')}`)}`);
      break;
    }
    if (!error) {
      console.log(`ok ${i + 1} - ${test.name} (${(ms / 1000).toFixed(1)}s)`);
      continue;
    }
    failed++;
    console.log(`not ok ${i + 1} - ${test.name} (${(ms / 1000).toFixed(1)}s)`);
    console.log(indent(error.stack ?? error));
    if (error.shots) {
      console.log(indent(`screenshots${opts.artifacts ? '' : ' (pass --artifacts DIR to keep them)'}:\n${error.shots.join('\n')}`));
    }
  }

  // the contract: SIGTERM finishes in-flight requests and exits 0
  if (browser) await browser.close().catch(() => {});
  browser = null;
  const stopped = await server.stop();
  const n = selected.length + 1;
  if (stopped.code === 0 && !stopped.killed) {
    console.log(`ok ${n} - agorad exits 0 on SIGTERM`);
  } else {
    failed++;
    console.log(`not ok ${n} - agorad exits 0 on SIGTERM\n${indent(`got ${JSON.stringify(stopped)}\n${server.log.slice(-20).join('\n')}`)}`);
  }
  if (failed) console.log(indent(`agorad output (last lines):\n${server.log.slice(-30).join('\n')}`));
  console.log(`# ${n - failed} passed, ${failed} failed, ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return failed ? 1 : 0;
}

let status = 1;
try {
  status = await main();
} catch (err) {
  console.error(`Bail out! ${err.stack ?? err}`);
  status = 1;
} finally {
  await cleanup();
}
process.exit(status);
