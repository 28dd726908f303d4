// The classroom checks of tcpnote's HTML pages: the ladder page's
// step-through, state diagram and print, and the quiz worksheet's blanks,
// answers and print. It drives headless Chromium over the DevTools
// protocol (--remote-debugging-pipe: no port, nothing downloaded), as
// scripts/check-web.mjs does, and compares what the pages show with what
// tcpnote says of the same trace (--format json; --quiz --format markdown).
//
//   node scripts/check-ladder.mjs --chromium BIN --tcpnote BIN --work DIR
//        [--langs en,zh,ja] [--real N] [--quiz N] [--shots DIR --shot NAME=TRACE#FRAGMENT,LANG,...] TRACE...
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
// For --quiz N (default 12; 0: none) of the TRACEs, spread evenly over
// the list, and every language, it writes the worksheet (tcpnote --quiz
// --format html --lang L) into --work and, in the same tab:
//   - opens it: no console message, exception or failed load, ever;
//   - counts: the blanks (button.blank), their answers (.ans) and the
//     answers section's entries are each as many as the questions of
//     `tcpnote --quiz --format markdown --lang L` (its numbered blanks
//     ____(N) in the code fences), numbered alike, and the Markdown's
//     answer key (`N. `ANSWER``) has one answer for each;
//   - before any click, no answer is displayed (each blank shows its
//     mark, the answers section's list is closed) and the answers section
//     comes after the questions;
//   - clicks (real mouse events) the last blank: its text is then its answer
//     in the Markdown key and no other blank's answer shows; again: hidden;
//     then "show all": every blank reads its answer in the key, and so does
//     every entry of the answers section;
//   - prints a fresh load (as the ladder): page 1 not blank, and its text
//     holds each word (3 or more characters) of the line of question 1 and
//     its mark ____(1), whitespace aside.
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
const quizN = opts.quiz === undefined ? 12 : +opts.quiz;
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
  // the step's state labels: faded (drawn at under half opacity) exactly
  // when their packet is still to come
  const sec = document.querySelector('section.conn.cur-sec');
  const n = +((sec && sec.querySelector('g.arrow.cur')) || { dataset: { n: 0 } }).dataset.n;
  const labels = sec ? [...sec.querySelectorAll('text.st[data-n]')] : [];
  const misfaded = labels.filter((t) => (+t.dataset.n > n) !== (+getComputedStyle(t).opacity < 0.5)).map((t) => t.dataset.n + ':' + t.textContent);
  return { hash: location.hash, cur: cur.join(','), rows: rows.join(','), c: lit('c'), s: lit('s'), labels: labels.length, misfaded: misfaded.join(' ') };
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
  if (got.misfaded) errs.push(`${key} at ${id}: state labels faded wrongly (packet:state) ${got.misfaded}`);
  totals.labels += got.labels;
  return errs;
}

const totals = { pages: 0, presses: 0, synth: 0, edges: 0, labels: 0, pdfPages: 0, stepMs: 0, printMs: 0 };

// printPage1 prints the open page (Page.printToPDF, the engine behind
// --print-to-pdf, A4 as the page's @page asks) into --work as NAME.pdf:
// its page count, page 1's text (pdftotext, whitespace runs made one
// space) and of page 1's pixels (pdftoppm, 30 dpi, grey) how many are
// ink (darker than 200) of how many in all.
async function printPage1(name) {
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
  return { pagesIn, text1, ink, total };
}

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
  const { pagesIn, text1, ink, total } = await printPage1(name);
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

// --- the worksheets (--quiz) -------------------------------------------------------

// quizExpected reads the Markdown worksheet (tcpnote --quiz --format
// markdown): its questions are the numbered blanks ____(N) inside the code
// fences (a field of a trace line, or a line ┆ under its packet); its
// answer key is the lines `N. `SHOWN`` after the last fence. first is the
// line that holds ____(1).
function quizExpected(file, lang) {
  const md = cli(['--quiz', '--format', 'markdown', '--lang', lang], file);
  const blanks = [];
  const key = new Map();
  let fence = '';
  let first = '';
  for (const line of md.split('\n')) {
    const f = /^(`{3,})\s*$/.exec(line);
    if (f && (!fence || f[1] === fence)) { fence = fence ? '' : f[1]; continue; }
    if (fence) {
      for (const m of line.matchAll(/____\((\d+)\)/g)) {
        blanks.push(+m[1]);
        if (m[1] === '1') first = line;
      }
      continue;
    }
    const a = /^(\d+)\. `([^`]*)`/.exec(line);
    if (a) key.set(+a[1], a[2]);
  }
  return { blanks, key, first };
}

// A blank's and the key's state as the page shows them: for each blank
// its number, whether its answer (span.ans) is rendered and what it reads
// (innerText: only what is displayed), the same of its mark; the key's
// entries (the answers section's li) likewise.
const quizShownExpr = `(() => {
  const vis = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const blanks = [...document.querySelectorAll('button.blank')].map((b) => {
    const a = b.querySelector('.ans');
    return { n: b.dataset.n, ans: vis(a), mark: vis(b.querySelector('.mark')), text: b.innerText.trim(), expanded: b.getAttribute('aria-expanded') };
  });
  const sec = document.querySelector('section.answers');
  const key = [...document.querySelectorAll('section.answers li')].map((li) => ({ n: li.value, vis: vis(li), text: vis(li) ? (li.querySelector('code')?.innerText ?? '') : '' }));
  const main = document.querySelectorAll('section.conn');
  const after = !sec || !main.length || !!(main[main.length - 1].compareDocumentPosition(sec) & Node.DOCUMENT_POSITION_FOLLOWING);
  return { blanks, ans: document.querySelectorAll('.ans').length, key, after, showAll: !!document.getElementById('show-all') };
})()`;

// click clicks the element selector names, a real click through
// Chromium's input pipeline (Input.dispatchMouseEvent) at its centre,
// scrolled into view first; index picks among several matches.
async function click(selector, index = 0) {
  const at = await evaluate(`(() => {
    const e = document.querySelectorAll(${JSON.stringify(selector)})[${index}];
    if (!e) return null;
    e.scrollIntoView({ block: 'center', inline: 'center' });
    const r = e.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  })()`);
  if (!at) throw new Error('click: no ' + selector + ' #' + index);
  for (const type of ['mousePressed', 'mouseReleased']) {
    await send('Input.dispatchMouseEvent', { type, x: at.x, y: at.y, button: 'left', buttons: type === 'mousePressed' ? 1 : 0, clickCount: 1 }, page);
  }
}

const quizTotals = { pages: 0, questions: 0, clicks: 0, pdfPages: 0, ms: 0 };

// checkQuiz checks one worksheet page against the Markdown form of it.
async function checkQuiz(file, lang) {
  const t0 = Date.now();
  const name = 'quiz-' + traceName(file) + '.' + lang;
  const want = quizExpected(file, lang);
  const html = join(opts.work, name + '.html');
  writeFileSync(html, cli(['--quiz', '--format', 'html', '--lang', lang], file));
  quizTotals.pages++;
  const errs = [];
  const k = want.blanks.length;
  const nums = want.blanks.join(',');
  if (nums !== Array.from({ length: k }, (_, i) => i + 1).join(',')) errs.push(`markdown: blanks numbered ${nums}, not 1…${k} in order`);
  if (want.key.size !== k) errs.push(`markdown: ${k} blanks, ${want.key.size} answers in the key`);
  await open('file://' + html);
  let got = await evaluate(quizShownExpr);
  if (got.blanks.length !== k || got.ans !== k || got.key.length !== k) {
    errs.push(`${got.blanks.length} blanks, ${got.ans} answers (.ans), ${got.key.length} in the key; the Markdown form asks ${k} questions`);
  }
  const gotNums = got.blanks.map((b) => b.n).join(',');
  if (gotNums !== nums) errs.push(`blanks numbered ${gotNums}, the Markdown's ${nums}`);
  // Before any reveal: no answer is shown, each mark is, the key is closed.
  const early = got.blanks.filter((b) => b.ans || !b.mark).map((b) => b.n);
  if (early.length) errs.push(`before a click, blank ${early.join(', ')} shows its answer (or not its mark)`);
  const open1 = got.key.filter((a) => a.vis).map((a) => a.n);
  if (open1.length) errs.push(`before a click, the key shows answer ${open1.join(', ')}`);
  if (!got.after) errs.push('the answers section is not after the questions');
  let clicks = 0;
  // The clicks go to the blanks the page has (so a wrong count is
  // reported as such, not as a click on a blank that is not there).
  const shown = got.blanks.length;
  if (shown > 0) {
    // The last blank clicked: its answer shows, no other; clicked again:
    // hidden.
    const one = shown - 1;
    await click('button.blank', one);
    clicks++;
    got = await evaluate(quizShownExpr);
    const b = got.blanks[one];
    if (!b || !b.ans || b.mark || b.expanded !== 'true' || b.text !== want.key.get(one + 1)) {
      errs.push(`a click on blank ${one + 1}: it reads "${b?.text}" (answer ${b?.ans ? 'shown' : 'hidden'}, aria-expanded ${b?.expanded}), the key "${want.key.get(one + 1)}"`);
    }
    const others = got.blanks.filter((x, i) => i !== one && x.ans).map((x) => x.n);
    if (others.length) errs.push(`a click on blank ${one + 1} also shows ${others.join(', ')}`);
    await click('button.blank', one);
    clicks++;
    got = await evaluate(quizShownExpr);
    if (got.blanks[one]?.ans) errs.push(`a second click on blank ${one + 1} leaves its answer shown`);
    // Show all: every blank reads its answer, and so does the key.
    await click('#show-all');
    clicks++;
    got = await evaluate(quizShownExpr);
    for (let i = 0; i < got.blanks.length && errs.length < 12; i++) {
      const x = got.blanks[i];
      const w = want.key.get(+x.n);
      if (!x.ans || x.text !== w) errs.push(`after "show all", blank ${x.n} reads "${x.text}" (answer ${x.ans ? 'shown' : 'hidden'}), the key "${w}"`);
    }
    for (const a of got.key) {
      const w = want.key.get(+a.n);
      if (!a.vis || a.text !== w) errs.push(`after "show all", the key's answer ${a.n} reads "${a.text}" (${a.vis ? 'shown' : 'hidden'}), the Markdown's "${w}"`);
    }
  }
  // Print, from a fresh load: page 1 holds the first question.
  await open('file://' + html);
  const { pagesIn, text1, ink, total } = await printPage1(name);
  quizTotals.pdfPages += pagesIn;
  if (total === 0 || ink / total < 0.005) errs.push(`print: page 1 is blank (${ink} of ${total} pixels not white)`);
  let printed = '';
  if (k > 0) {
    // The question's words (3 or more characters) and its blank's mark;
    // whitespace aside, since the printed line may wrap.
    const flat = text1.replace(/\s+/g, '');
    const words = want.first.replace('┆', ' ').replace('____(1)', ' ____(1) ').split(/\s+/).filter((t) => t.length >= 3);
    const missing = words.filter((t) => !flat.includes(t));
    if (missing.length) errs.push(`print: page 1's text lacks ${missing.slice(0, 6).join(' ')} of the first question "${want.first.trim().slice(0, 120)}"`);
    printed = `, page 1 has question 1 (${words.length} words)`;
  }
  const ms = Date.now() - t0;
  quizTotals.questions += k;
  quizTotals.clicks += clicks;
  quizTotals.ms += ms;
  report(`${name}: ${k} blanks = ${k} answers = the Markdown's ${k} questions, hidden until clicked, ${clicks} clicks, answers = the key; printed ${pagesIn} pages${printed}, ${(100 * ink / Math.max(total, 1)).toFixed(1)}% ink; ${ms} ms`, errs);
}

// quizTraces picks n of the traces, spread evenly over the list.
function quizTraces(n) {
  const t = opts.traces;
  if (n >= t.length) return t;
  return Array.from({ length: n }, (_, i) => t[Math.floor((i * t.length) / n)]);
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
    console.log(`check-ladder: ${totals.pages} pages, ${totals.presses} key presses + ${totals.synth} synthetic keydowns, ${totals.edges} lit edges compared with the JSON, ${totals.labels} state labels checked for fading, ` +
      `${totals.pdfPages} PDF pages; stepping ${(totals.stepMs / 1000).toFixed(1)} s, printing ${(totals.printMs / 1000).toFixed(1)} s, ` +
      `all ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const tq = Date.now();
  for (const file of quizTraces(quizN)) {
    for (const lang of langs) {
      try {
        await checkQuiz(file, lang);
      } catch (e) {
        report('quiz-' + traceName(file) + '.' + lang, [e.message]);
      }
    }
  }
  if (quizTotals.pages) {
    console.log(`check-ladder --quiz: ${quizTotals.pages} worksheets, ${quizTotals.questions} questions, ${quizTotals.clicks} clicks, ` +
      `${quizTotals.pdfPages} PDF pages; ${((Date.now() - tq) / 1000).toFixed(1)} s`);
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
