// The classroom checks of tcpnote's HTML page: step-through, the state
// diagram and print. It drives headless Chromium over the DevTools
// protocol (--remote-debugging-pipe: no port, nothing downloaded), as
// scripts/check-web.mjs does, and compares what the page shows with what
// `tcpnote --format json` says of the same trace.
//
//   node scripts/check-ladder.mjs --chromium BIN --tcpnote BIN --work DIR
//        [--langs en,zh,ja] [--real N] [--shots DIR --shot NAME=TRACE#FRAGMENT,LANG,...] TRACE...
//
// For every TRACE and language it writes the page (tcpnote --format html
// --lang L) into --work and, in one browser tab:
//   - opens it: no console message, exception or failed load, ever;
//   - presses keys (real key events): → once (the first packet of the
//     first connection), then → and space in turn through every packet of
//     every connection (real key events for the first --real, default
//     100, then KeyboardEvents dispatched in the page, to the same
//     listener: a real press costs some 35 ms), then → once more past the
//     end, ←, Home, End (real); after
//     each press exactly one arrow and one row are the step, the fragment
//     is #cC-pN, the step is the one that key should reach, and the
//     diagram's lit edges, per endpoint, are the JSON's state changes of
//     that packet that are edges ("how": "edge"), from the state before it;
//   - opens the page afresh at a fragment (#cC-pN of the middle packet of
//     the last connection): that step must be the one shown;
//   - prints it (Page.printToPDF, the engine behind --print-to-pdf, A4 as
//     the page's @page asks): page 1's text (pdftotext) must hold the first
//     arrow's label, or for a compact ladder (no labels) the server's
//     address at the head of its timeline, and page 1 (pdftoppm, 30 dpi,
//     grey) must not be blank.
// With --shots it also takes the screenshots listed in --shot (1400×900
// CSS pixels, 1.25 device pixels each): NAME.png of TRACE's page in LANG,
// opened at #FRAGMENT. Exit status 0 when every check passes.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, basename, dirname } from 'node:path';

const opts = { traces: [], langs: 'en,zh,ja' };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) opts[a.slice(2)] = process.argv[++i];
  else opts.traces.push(a);
}
const langs = opts.langs.split(',');
const real = opts.real === undefined ? 100 : +opts.real;
mkdirSync(opts.work, { recursive: true });

// --- the DevTools protocol over the pipe --------------------------------------

const chrome = spawn(opts.chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-extensions', '--disable-default-apps', '--mute-audio', '--hide-scrollbars',
  '--user-data-dir=' + join(opts.work, 'profile'), '--remote-debugging-pipe', '--window-size=1400,900',
  // A key press a few milliseconds after the last one, thousands of times:
  // the page writes the fragment each time (history.replaceState), which
  // Chromium would otherwise throttle (with a console warning) past 200
  // in 10 s. A person pressing keys never comes near that.
  '--disable-ipc-flooding-protection',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let chromeLog = '';
chrome.stdio[2].on('data', (d) => { chromeLog = (chromeLog + d).slice(-4000); });
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

let problems = [];
let loaded = 0;
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
    case 'Page.loadEventFired':
      loaded++;
      break;
  }
});

let page;
async function evaluate(expr) {
  const r = await send('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true }, page);
  if (r.exceptionDetails) throw new Error('evaluating ' + expr.slice(0, 80) + ': ' + (r.exceptionDetails.exception?.description || r.exceptionDetails.text));
  return r.result.value;
}

// open loads url as a fresh document and waits for its load event.
async function open(url) {
  await send('Page.navigate', { url: 'about:blank' }, page);
  const before = loaded;
  await send('Page.navigate', { url }, page);
  const end = Date.now() + 60000;
  while (loaded === before || !(await evaluate('document.readyState === "complete"').catch(() => false))) {
    if (Date.now() > end) throw new Error('loading ' + url + ': timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const keys = {
  ArrowRight: { code: 'ArrowRight', windowsVirtualKeyCode: 39 },
  ArrowLeft: { code: 'ArrowLeft', windowsVirtualKeyCode: 37 },
  Home: { code: 'Home', windowsVirtualKeyCode: 36 },
  End: { code: 'End', windowsVirtualKeyCode: 35 },
  ' ': { code: 'Space', windowsVirtualKeyCode: 32, text: ' ' },
};
// press presses a key: a real key event through Chromium's input
// pipeline (Input.dispatchKeyEvent, which waits for the page's frames:
// some 35 ms a press), or with synthetic true a KeyboardEvent dispatched in
// the page to the same listener (a few ms), for long traces past the first
// --real presses of a page.
async function press(key, synthetic) {
  if (synthetic) {
    await evaluate(`document.dispatchEvent(new KeyboardEvent('keydown', { key: ${JSON.stringify(key)}, bubbles: true, cancelable: true }))`);
    return;
  }
  const k = keys[key];
  await send('Input.dispatchKeyEvent', { type: k.text ? 'keyDown' : 'rawKeyDown', key, ...k }, page);
  await send('Input.dispatchKeyEvent', { type: 'keyUp', key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode }, page);
}

// shown is what the page shows as the step: the fragment, the marked
// arrows and rows, and the lit edges of each endpoint.
const shownExpr = `(() => {
  const cur = [...document.querySelectorAll('section.conn g.arrow.cur')].map((a) => a.closest('section.conn').dataset.conn + '-' + a.dataset.n);
  const rows = [...document.querySelectorAll('section.conn tr.cur')].map((a) => a.closest('section.conn').dataset.conn + '-' + a.dataset.n);
  const lit = (c) => [...document.querySelectorAll('svg.fsm g.edge.lit-' + c)].map((e) => e.dataset.from + '>' + e.dataset.to).sort().join(' ');
  return { hash: location.hash, cur: cur.join(','), rows: rows.join(','), c: lit('c'), s: lit('s') };
})()`;

// --- what tcpnote says ------------------------------------------------------------

function cli(args, file) {
  try {
    return execFileSync(opts.tcpnote, [...args, file], { maxBuffer: 1 << 28 }).toString();
  } catch (e) {
    if (e.status === 1 || e.status === 3) return e.stdout.toString();
    throw e;
  }
}

// expected reads the JSON: every packet as {conn, n, c, s}, c
// and s the edges that endpoint took ("FROM>TO", sorted, space-joined).
// The state before a connection's first packet: the client CLOSED when
// that packet is a SYN without ACK (an active opener), else UNKNOWN; the
// server UNKNOWN (fsm's rule, docs/formats.md "States").
function expected(file) {
  const out = [];
  const state = new Map();
  const count = new Map();
  let bad = '';
  for (const line of cli(['--format', 'json'], file).split('\n')) {
    if (!line.includes('"kind":"tcp"')) continue;
    const r = JSON.parse(line);
    if (r.kind !== 'tcp' || r.conn === undefined) continue;
    if (!state.has(r.conn)) {
      const f = r.packet.tcp_flags || [];
      state.set(r.conn, { client: f.includes('SYN') && !f.includes('ACK') ? 'CLOSED' : 'UNKNOWN', server: 'UNKNOWN' });
    }
    const st = state.get(r.conn);
    const n = (count.get(r.conn) || 0) + 1;
    count.set(r.conn, n);
    const edges = { client: [], server: [] };
    for (const role of ['client', 'server']) {
      let at = st[role];
      for (const ch of r.changes || []) {
        if (ch.role !== role) continue;
        if (ch.how === 'edge') edges[role].push(at + '>' + ch.to);
        at = ch.to;
      }
      if (r.changes && r.changes.some((ch) => ch.role === role) && at !== r.state[role] && !bad) {
        bad = `conn ${r.conn} packet ${n}: the ${role}'s changes end at ${at}, its state is ${r.state[role]}`;
      }
    }
    st.client = r.state.client;
    st.server = r.state.server;
    out.push({ conn: String(r.conn), n, c: edges.client.sort().join(' '), s: edges.server.sort().join(' ') });
  }
  // The page steps a connection's packets, then the next connection's:
  // connections in the order they first appear (the page's sections).
  const first = new Map();
  out.forEach((s, i) => { if (!first.has(s.conn)) first.set(s.conn, i); });
  out.sort((a, b) => first.get(a.conn) - first.get(b.conn) || a.n - b.n);
  return { steps: out, bad };
}

// --- the checks ---------------------------------------------------------------------

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
  for (const e of all.slice(0, 12)) console.log('    ' + e.slice(0, 400));
  if (all.length > 12) console.log(`    … and ${all.length - 12} more`);
}

function traceName(f) {
  const b = basename(f, '.txt');
  return /^(nn|nn\+S|default)$/.test(b) ? basename(dirname(f)) + '-' + b : b;
}

// compare checks the step shown against the packet wanted.
function compare(got, want, key) {
  const id = want.conn + '-' + want.n;
  const errs = [];
  if (got.hash !== '#c' + want.conn + '-p' + want.n) errs.push(`${key}: fragment ${got.hash}, want #c${want.conn}-p${want.n}`);
  if (got.cur !== id || got.rows !== id) errs.push(`${key}: step arrow ${got.cur || 'none'}, row ${got.rows || 'none'}, want ${id}`);
  if (got.c !== want.c) errs.push(`${key} at ${id}: client edges lit [${got.c}], JSON [${want.c}]`);
  if (got.s !== want.s) errs.push(`${key} at ${id}: server edges lit [${got.s}], JSON [${want.s}]`);
  return errs;
}

const totals = { pages: 0, presses: 0, synth: 0, edges: 0, pdfPages: 0, stepMs: 0, printMs: 0 };

async function checkPage(file, lang, want) {
  const name = traceName(file) + '.' + lang;
  const html = join(opts.work, name + '.html');
  writeFileSync(html, cli(['--format', 'html', '--lang', lang], file));
  totals.pages++;
  const url = 'file://' + html;
  const errs = [];
  const t0 = Date.now();
  await open(url);
  let presses = 0;
  let synth = 0;
  let edges = 0;
  const steps = want.steps;
  if (steps.length > 0) {
    // → to the first packet, then → and space in turn to the last.
    for (let i = 0; i < steps.length && errs.length < 10; i++) {
      const key = i % 2 === 0 ? 'ArrowRight' : ' ';
      const synthetic = i >= real;
      await press(key, synthetic);
      if (synthetic) synth++;
      else presses++;
      errs.push(...compare(await evaluate(shownExpr), steps[i], key === ' ' ? 'space' : '→'));
      edges += (steps[i].c ? steps[i].c.split(' ').length : 0) + (steps[i].s ? steps[i].s.split(' ').length : 0);
    }
    const last = steps[steps.length - 1];
    await press('ArrowRight');
    errs.push(...compare(await evaluate(shownExpr), last, '→ past the end'));
    if (steps.length > 1) {
      await press('ArrowLeft');
      errs.push(...compare(await evaluate(shownExpr), steps[steps.length - 2], '←'));
    }
    const inLast = steps.filter((s) => s.conn === last.conn);
    await press('Home');
    errs.push(...compare(await evaluate(shownExpr), inLast[0], 'Home'));
    await press('End');
    errs.push(...compare(await evaluate(shownExpr), inLast[inLast.length - 1], 'End'));
    presses += steps.length > 1 ? 4 : 3;

    // A link to a moment: a fresh page at #cC-pN.
    const mid = inLast[Math.floor((inLast.length - 1) / 2)];
    await open(url + '#c' + mid.conn + '-p' + mid.n);
    errs.push(...compare(await evaluate(shownExpr), mid, 'opened at #c' + mid.conn + '-p' + mid.n));
  }
  const stepMs = Date.now() - t0;

  // Print: page 1 holds the ladder.
  const t1 = Date.now();
  await open(url);
  const ladder = await evaluate(`(() => {
    const svg = document.querySelector('svg.ladder-svg');
    if (!svg) return null;
    const lbl = svg.querySelector('g.arrow .lbl');
    const who = svg.querySelectorAll('text.who');
    return { label: lbl ? lbl.textContent : '', who: who.length > 1 ? who[1].textContent : '' };
  })()`);
  const { data } = await send('Page.printToPDF', { printBackground: true, preferCSSPageSize: true }, page);
  const pdf = join(opts.work, name + '.pdf');
  writeFileSync(pdf, Buffer.from(data, 'base64'));
  const pagesIn = +(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf]).toString()) || [0, 0])[1];
  const text1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf, '-']).toString().replace(/\s+/g, ' ');
  const pgm = execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '30', '-gray', pdf]);
  // a binary PGM: P5 W H 255, then the pixels
  const hdr = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  let ink = 0;
  let total = 0;
  if (hdr) {
    const px = pgm.subarray(hdr[0].length);
    total = px.length;
    for (const v of px) if (v < 200) ink++;
  }
  const printMs = Date.now() - t1;
  let printed = '';
  if (ladder) {
    const want1 = (ladder.label || ladder.who).replace(/\s+/g, ' ').trim();
    if (!want1) errs.push('print: the ladder has neither a label nor an address');
    // The label is drawn twice (a halo under the text) and slanted, so
    // pdftotext gives its words apart: each word of 3 or more characters
    // must be on page 1.
    const missing = want1.split(' ').filter((t) => t.length >= 3 && !text1.includes(t));
    if (want1 && missing.length) errs.push(`print: page 1's text lacks ${missing.join(' ')} of the ladder's ${ladder.label ? 'first label' : 'server address'} "${want1}"`);
    if (total === 0 || ink / total < 0.015) errs.push(`print: page 1 is blank (${ink} of ${total} pixels not white)`);
    printed = `; printed ${pagesIn} pages, page 1 has the ladder ("${want1.slice(0, 28)}", ${(100 * ink / Math.max(total, 1)).toFixed(1)}% ink)`;
  }
  totals.presses += presses;
  totals.edges += edges;
  totals.pdfPages += pagesIn;
  totals.stepMs += stepMs;
  totals.printMs += printMs;
  totals.synth += synth;
  report(`${name}: ${presses} key presses${synth ? ` + ${synth} synthetic` : ''} over ${steps.length} packets, ${edges} lit edges = JSON, fragment link${printed}; ${stepMs} + ${printMs} ms`, errs);
}

async function shots() {
  mkdirSync(opts.shots, { recursive: true });
  await send('Emulation.setDeviceMetricsOverride', { width: 1400, height: 900, deviceScaleFactor: 1.25, mobile: false }, page);
  for (const spec of (opts.shot || '').split(',').filter(Boolean)) {
    // NAME=TRACE#FRAGMENT@LANG
    const m = /^([^=]+)=([^#@]+)(#[^@]*)?@(\w+)$/.exec(spec);
    if (!m) { report('shot ' + spec, ['not NAME=TRACE#FRAGMENT@LANG']); continue; }
    const [, name, trace, frag, lang] = m;
    const html = join(opts.work, 'shot-' + name + '.html');
    writeFileSync(html, cli(['--format', 'html', '--lang', lang], trace));
    try {
      await open('file://' + html + (frag || ''));
      await evaluate('document.fonts.ready.then(() => true)');
      const { data } = await send('Page.captureScreenshot', { format: 'png' }, page);
      writeFileSync(join(opts.shots, name + '.png'), Buffer.from(data, 'base64'));
      report(`screenshot ${join(opts.shots, name + '.png')}: ${trace} (${lang}) at ${frag || 'the top'}`, []);
    } catch (e) {
      report('shot ' + name, [e.message]);
    }
  }
}

async function main() {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  ({ sessionId: page } = await send('Target.attachToTarget', { targetId, flatten: true }));
  await send('Page.enable', {}, page);
  await send('Runtime.enable', {}, page);
  await send('Log.enable', {}, page);
  const t0 = Date.now();
  for (const file of opts.traces) {
    let want;
    try {
      want = expected(file);
    } catch (e) {
      report(traceName(file), ['tcpnote --format json: ' + e.message]);
      continue;
    }
    if (want.bad) report(traceName(file) + ' (the JSON)', [want.bad]);
    for (const lang of langs) {
      try {
        await checkPage(file, lang, want);
      } catch (e) {
        report(traceName(file) + '.' + lang, [e.message]);
      }
    }
  }
  if (opts.traces.length) {
    console.log(`check-ladder: ${totals.pages} pages, ${totals.presses} key presses + ${totals.synth} synthetic keydowns, ${totals.edges} lit edges compared with the JSON, ` +
      `${totals.pdfPages} PDF pages; stepping ${(totals.stepMs / 1000).toFixed(1)} s, printing ${(totals.printMs / 1000).toFixed(1)} s, ` +
      `all ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (opts.shots) await shots();
  await quit();
  if (failed) console.log(`check-ladder: ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

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
