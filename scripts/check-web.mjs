// The browser half of scripts/check-web.sh: it drives headless Chromium over
// the DevTools protocol (--remote-debugging-pipe: no port, no extra
// packages) through web/index.html and compares what the page shows with
// what the tcpnote command prints for the same trace.
//
//   node scripts/check-web.mjs --chromium BIN --tcpnote BIN --web DIR \
//        --big TRACE --profile DIR [--screenshot PNG --screenshot-trace TRACE [--screenshot-tab TAB]] TRACE...
//
// For every TRACE it opens file://DIR/index.html#lang=en&trace=… (a fresh
// document), then switches the fragment to every other language the page
// offers; each time the annotated text must equal `tcpnote --color never
// --lang L TRACE`, and the Ladder tab's frame must hold one .arrow per TCP
// packet (tcpnote --format json). It opens a link without a language in a
// browser that prefers ja-JP, which must get Japanese. It pastes --big into
// the text area (an input event, once the worker has warmed up) and checks
// that it is re-annotated, and opens the page once over http from 127.0.0.1
// (a static host). Any console message, page error or failed load, in the
// page, its worker or its frames, fails the check. With --screenshot it also takes a
// picture of the page showing --screenshot-trace. Exit status 0 when all
// pass.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, basename, dirname, extname } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const opts = { traces: [] };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) opts[a.slice(2)] = process.argv[++i];
  else opts.traces.push(a);
}

// --- the DevTools protocol over the pipe --------------------------------------

const chrome = spawn(opts.chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-extensions', '--disable-default-apps', '--mute-audio', '--hide-scrollbars',
  '--user-data-dir=' + opts.profile, '--remote-debugging-pipe', '--window-size=1280,900',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let chromeLog = '';
chrome.stdio[2].on('data', (d) => { chromeLog += d; });
const toBrowser = chrome.stdio[3];
const fromBrowser = chrome.stdio[4];

let seq = 0;
const pending = new Map();
const handlers = [];
let buf = Buffer.alloc(0);
fromBrowser.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  for (let i; (i = buf.indexOf(0)) >= 0;) {
    const msg = JSON.parse(buf.subarray(0, i).toString());
    buf = buf.subarray(i + 1);
    if (msg.id && pending.has(msg.id)) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p.reject(new Error(p.method + ': ' + msg.error.message));
      else p.resolve(msg.result);
    } else if (msg.method) {
      for (const h of handlers) h(msg);
    }
  }
});

function send(method, params = {}, sessionId) {
  const id = ++seq;
  toBrowser.write(JSON.stringify({ id, method, params, sessionId }) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject, method }));
}

// problems collects console messages, exceptions and failed loads, from the
// page, its worker and its frames.
let problems = [];
const contexts = new Map(); // "session/contextId" → {sessionId, id}
handlers.push((m) => {
  const p = m.params;
  switch (m.method) {
    case 'Runtime.consoleAPICalled':
      problems.push('console.' + p.type + ': ' + p.args.map((a) => a.value ?? a.description).join(' '));
      break;
    case 'Runtime.exceptionThrown':
      problems.push('exception: ' + (p.exceptionDetails.exception?.description || p.exceptionDetails.text));
      break;
    case 'Log.entryAdded':
      problems.push('log ' + p.entry.level + ': ' + p.entry.text + (p.entry.url ? ' ' + p.entry.url : ''));
      break;
    case 'Runtime.executionContextCreated':
      contexts.set(m.sessionId + '/' + p.context.id, { sessionId: m.sessionId, id: p.context.id });
      break;
    case 'Runtime.executionContextDestroyed':
      contexts.delete(m.sessionId + '/' + p.executionContextId);
      break;
    case 'Runtime.executionContextsCleared':
      for (const [k, c] of contexts) if (c.sessionId === m.sessionId) contexts.delete(k);
      break;
    case 'Target.attachedToTarget':
      // the worker, or a frame Chromium runs in a process of its own
      watch(p.sessionId, p.targetInfo.type).catch((e) => problems.push('attach: ' + e.message));
      break;
    case 'Target.detachedFromTarget':
      for (const [k, c] of contexts) if (c.sessionId === p.sessionId) contexts.delete(k);
      break;
  }
});

async function watch(sessionId, type) {
  await send('Runtime.enable', {}, sessionId);
  if (type !== 'worker') await send('Log.enable', {}, sessionId);
  if (type !== 'worker') await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, sessionId);
  await send('Runtime.runIfWaitingForDebugger', {}, sessionId);
}

let page; // the page's session
async function evaluate(expr, sessionId = page, contextId) {
  const r = await send('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true, contextId }, sessionId);
  if (r.exceptionDetails) throw new Error('evaluating ' + expr + ': ' + r.exceptionDetails.text);
  return r.result.value;
}

async function waitFor(expr, what, ms = 120000) {
  const end = Date.now() + ms;
  for (;;) {
    // While a document is being replaced an evaluation may fail: try again.
    const v = await evaluate(expr).catch(() => false);
    if (v) return v;
    const state = await evaluate('document.documentElement.dataset.state + " " + (document.getElementById("status")||{}).textContent').catch(() => '');
    if (state && state.startsWith('error')) throw new Error(what + ': the page says ' + state);
    if (Date.now() > end) throw new Error(what + ': timed out (page state ' + state + ')');
    await new Promise((r) => setTimeout(r, 25));
  }
}

// --- what tcpnote says ------------------------------------------------------------

function cli(args, file) {
  try {
    return execFileSync(opts.tcpnote, [...args, file], { maxBuffer: 1 << 28 }).toString();
  } catch (e) {
    if (e.status === 1 || e.status === 3) return e.stdout.toString();
    throw e;
  }
}

function packets(file) {
  return cli(['--format', 'json'], file).split('\n').filter((l) => l.includes('"kind":"tcp"')).length;
}

function firstDifference(got, want) {
  const g = got.split('\n');
  const w = want.split('\n');
  for (let i = 0; i < Math.max(g.length, w.length); i++) {
    if (g[i] !== w[i]) return `line ${i + 1}:\n      page: ${JSON.stringify(g[i])}\n      tcpnote: ${JSON.stringify(w[i])}`;
  }
  return '';
}

const fragment = (lang, text) => '#lang=' + lang + '&trace=' + deflateRawSync(Buffer.from(text)).toString('base64url');
const state = () => evaluate('(({dataset: d}) => ({gen: +d.gen || 0, ms: +d.textMs, inputMs: +d.inputMs, renderMs: +d.renderMs}))(document.documentElement)');
const shownText = () => evaluate('document.getElementById("out-text").textContent');

async function arrows() {
  let n = 0;
  for (const c of [...contexts.values()]) {
    try {
      n += await evaluate('typeof document === "undefined" ? 0 : document.querySelectorAll("g.arrow").length', c.sessionId, c.id);
    } catch (e) { /* a context that went away meanwhile */ }
  }
  return n;
}

// open loads url as a fresh document and waits for its first annotation.
// done is what shows that: by default the annotated text.
async function open(url, done = '+document.documentElement.dataset.gen >= 1') {
  await send('Page.navigate', { url: 'about:blank' }, page);
  await waitFor('location.href === "about:blank" && document.readyState === "complete"', 'about:blank');
  await send('Page.navigate', { url }, page);
  await waitFor('document.documentElement.dataset.state === "done" && ' + done, url.slice(0, 60));
}

// reannotate moves to another fragment in the same document.
async function refragment(url, what) {
  const before = (await state()).gen;
  await send('Page.navigate', { url }, page);
  await waitFor(`document.documentElement.dataset.state === "done" && +document.documentElement.dataset.gen > ${before}`, what);
}

async function checkLadder(what, want) {
  const gen = (await state()).gen;
  await evaluate('document.querySelector("[data-tab=html]").click()');
  await waitFor(`+document.documentElement.dataset.htmlGen === ${gen}`, what + ' ladder');
  let got = 0;
  for (let i = 0; i < 40 && (got = await arrows()) !== want; i++) await new Promise((r) => setTimeout(r, 50));
  await evaluate('document.querySelector("[data-tab=text]").click()');
  return got === want ? '' : `${got} arrows in the ladder, ${want} packets`;
}

let failed = 0;
function report(what, errs) {
  const all = [...errs.filter(Boolean), ...problems];
  problems = [];
  if (all.length === 0) {
    console.log('ok   ' + what);
    return;
  }
  failed++;
  console.log('FAIL ' + what);
  for (const e of all) console.log('    ' + e);
}

function traceName(f) {
  const b = basename(f, '.txt');
  return /^(nn|nn\+S|default)$/.test(b) ? basename(dirname(f)) + '/' + b : b;
}

async function main() {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  ({ sessionId: page } = await send('Target.attachToTarget', { targetId, flatten: true }));
  await send('Page.enable', {}, page);
  await watch(page, 'page');

  const base = 'file://' + join(opts.web, 'index.html');
  let langs = null;
  for (const file of opts.traces) {
    const text = readFileSync(file, 'utf8');
    const name = traceName(file);
    const want = packets(file);
    try {
      await open(base + fragment('en', text));
      if (!langs) langs = await evaluate('Array.from(document.getElementById("lang").options, (o) => o.value)');
      for (const lang of langs) {
        if (lang !== 'en') await refragment(base + fragment(lang, text), name + '/' + lang);
        const errs = [firstDifference(await shownText(), cli(['--color', 'never', '--lang', lang], file))];
        errs.push(await checkLadder(name + '/' + lang, want));
        report(`${name}/${lang}: annotated text = tcpnote --color never --lang ${lang}; ${want} arrows`, errs);
      }
    } catch (e) {
      report(name, [e.message]);
    }
  }

  // No language in the link: the browser's preferred one (navigator.languages).
  try {
    const file = opts.traces[0];
    const { userAgent } = await send('Browser.getVersion');
    await send('Network.setUserAgentOverride', { userAgent, acceptLanguage: 'ja-JP,ja;q=0.9' }, page);
    await open(base + fragment('en', readFileSync(file, 'utf8')).replace('lang=en&', ''));
    const lang = await evaluate('document.getElementById("lang").value');
    report(`a browser preferring ja-JP gets ja: ${traceName(file)}`, [lang === 'ja' ? '' : 'the language is ' + lang,
      firstDifference(await shownText(), cli(['--color', 'never', '--lang', 'ja'], file))]);
    await send('Network.setUserAgentOverride', { userAgent }, page);
  } catch (e) {
    report('preferred language', [e.message]);
  }

  // Paste a 2,000-line trace: an input event must re-annotate it.
  try {
    const big = readFileSync(opts.big, 'utf8');
    await open(base + fragment('en', readFileSync(opts.traces[0], 'utf8')));
    await waitFor('document.documentElement.dataset.warm', 'the worker\'s warm-up');
    const before = (await state()).gen;
    await evaluate(`(() => { const t = document.getElementById('trace'); t.value = ${JSON.stringify(big)}; t.dispatchEvent(new Event('input', { bubbles: true })); })()`);
    await waitFor(`document.documentElement.dataset.state === "done" && +document.documentElement.dataset.gen > ${before}`, 'paste');
    const s = await state();
    const lines = big.split('\n').length - 1;
    const t0 = process.hrtime.bigint();
    cli(['--color', 'never', '--lang', 'en'], opts.big);
    const native = Number(process.hrtime.bigint() - t0) / 1e6;
    report(`paste (input event) of ${lines} lines re-annotates: tcpnote ran ${s.ms.toFixed(0)} ms in the worker ` +
      `(the command, native, just after: ${native.toFixed(0)} ms with its process start, ${(s.ms / native).toFixed(1)}×); ` +
      `input event to text shown ${s.inputMs.toFixed(0)} ms (150 ms of it the debounce, ${s.renderMs.toFixed(0)} ms putting the text in the page)`,
      [firstDifference(await shownText(), cli(['--color', 'never', '--lang', 'en'], opts.big))]);
    // The fragment is written after the text is shown: wait for it.
    let held = '';
    for (let i = 0; i < 200 && held !== big; i++) {
      const t = new URLSearchParams((await evaluate('location.hash')).slice(1)).get('trace');
      held = t ? inflateRawSync(Buffer.from(t, 'base64url')).toString() : '';
      if (held !== big) await new Promise((r) => setTimeout(r, 50));
    }
    report('the fragment holds the pasted trace (deflate-raw, base64url)', [held === big ? '' : 'it does not']);
  } catch (e) {
    report('paste', [e.message]);
  }

  // A static host: the same page over http, worker.js and tcpnote.wasm fetched.
  const server = createServer((req, res) => {
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
    const path = join(opts.web, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    try {
      if (!path.startsWith(opts.web) || !statSync(path).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': types[extname(path)] || 'application/octet-stream' });
      res.end(readFileSync(path));
    } catch (e) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const file = opts.traces[0];
    await open(`http://127.0.0.1:${server.address().port}/index.html` + fragment('en', readFileSync(file, 'utf8')));
    report(`over http (a static host): ${traceName(file)}/en`, [firstDifference(await shownText(), cli(['--color', 'never', '--lang', 'en'], file))]);
  } catch (e) {
    report('over http', [e.message]);
  }
  server.close();

  // The README's picture: a seed trace in the page, the text tab.
  if (opts.screenshot) {
    try {
      await send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 760, deviceScaleFactor: 1.25, mobile: false }, page);
      const tab = opts['screenshot-tab'] || 'text';
      await open(base + fragment('en', readFileSync(opts['screenshot-trace'], 'utf8')) + '&tab=' + tab,
        tab === 'html' ? 'document.documentElement.dataset.htmlGen' : tab === 'text' ? undefined : 'true');
      const { data } = await send('Page.captureScreenshot', { format: 'png' }, page);
      writeFileSync(opts.screenshot, Buffer.from(data, 'base64'));
      report(`screenshot of ${traceName(opts['screenshot-trace'])} in ${opts.screenshot}`, []);
    } catch (e) {
      report('screenshot', [e.message]);
    }
  }

  await quit();
  if (failed) console.log(`check-web: ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

// quit closes Chromium and waits until it (and so its children) is gone.
async function quit() {
  const gone = new Promise((r) => chrome.once('exit', r));
  if (chrome.exitCode !== null) return;
  send('Browser.close').catch(() => chrome.kill());
  const timer = setTimeout(() => chrome.kill('SIGKILL'), 10000);
  await gone;
  clearTimeout(timer);
}

main().catch(async (e) => {
  console.log('FAIL ' + e.stack + '\n' + chromeLog.slice(-2000));
  await quit();
  process.exit(1);
});
