// The Web Worker that runs tcpnote: the page never annotates on its main
// thread, so a long paste cannot freeze it.
//
// On a static host the page starts this file as it is and it loads
// wasm_exec.js (Go's glue, copied by scripts/build-web.sh) beside it. From
// file:// Chromium refuses to start a worker from a file, so the page builds
// this worker from a Blob holding wasm_exec.js followed by this file (both
// carried by tcpnote-bundle.js); Go is then already defined.
//
// Messages in:  {type: 'init', url | base64, langs}
//               {type: 'run', key, gen, args, input}
// Messages out: {type: 'ready', info, ms}   {type: 'error', message}
//               {type: 'warm'} (the warm-up runs below are done)
//               {type: 'result', key, gen, stdout, stderr, code, ms}
'use strict';
/* global Go, tcpnote, tcpnoteInfo */
if (typeof Go === 'undefined') importScripts('wasm_exec.js');

let ready = false;
let scheduled = false;
let queue = [];

self.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'init') {
    init(m);
    return;
  }
  queue.push(m);
  schedule();
};

// init instantiates tcpnote.wasm and runs its main, which registers
// tcpnote() and tcpnoteInfo() and then waits for calls.
async function init(m) {
  const t0 = performance.now();
  try {
    const go = new Go();
    const inst = m.base64 ? await fromBase64(m.base64, go) : await fromURL(m.url, go);
    go.run(inst);
    if (typeof tcpnote !== 'function') throw new Error('tcpnote.wasm did not register tcpnote()');
    const info = tcpnoteInfo(m.langs || []);
    ready = true;
    self.postMessage({ type: 'ready', info, ms: performance.now() - t0 });
    schedule();
  } catch (err) {
    self.postMessage({ type: 'error', message: 'could not start tcpnote: ' + err });
  }
}

async function fromBase64(b64, go) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return (await WebAssembly.instantiate(bytes, go.importObject)).instance;
}

async function fromURL(url, go) {
  try {
    return (await WebAssembly.instantiateStreaming(fetch(url), go.importObject)).instance;
  } catch (err) {
    // A host that does not serve application/wasm: compile from bytes.
    const r = await fetch(url);
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return (await WebAssembly.instantiate(await r.arrayBuffer(), go.importObject)).instance;
  }
}

// warmUps are runs on the built-in --demo traces made while the worker has
// nothing else to do, one per turn of its event loop so that a request is
// never kept waiting behind more than one. The engine first runs wasm from a
// quick baseline compile and optimises a function only once it is hot;
// warming tcpnote's paths up front makes a first 2,000-line paste about ten
// times faster (446 ms of CPU cold, 38 ms after three rounds, measured in
// node 20 with process.cpuUsage).
const warmUps = [];
for (let i = 0; i < 3; i++) {
  warmUps.push(['--demo', '--color', 'never'], ['--demo', '--format', 'html'], ['--demo', '--lint']);
}

function schedule() {
  if (!ready || scheduled) return;
  if (queue.length > 0) {
    scheduled = true;
    setTimeout(drain, 0);
  } else if (warmUps.length > 0) {
    scheduled = true;
    setTimeout(warmUp, 0);
  }
}

function warmUp() {
  scheduled = false;
  if (queue.length === 0) {
    tcpnote(warmUps.shift(), '');
    if (warmUps.length === 0) self.postMessage({ type: 'warm' });
  }
  schedule();
}

// drain runs what has arrived, only the newest request of each kind: a
// request overtaken by a later keystroke is not worth annotating.
function drain() {
  scheduled = false;
  const latest = new Map();
  for (const m of queue) latest.set(m.key, m);
  queue = [];
  for (const m of latest.values()) {
    const t0 = performance.now();
    const r = tcpnote(m.args, m.input);
    self.postMessage({
      type: 'result', key: m.key, gen: m.gen,
      stdout: r.stdout, stderr: r.stderr, code: r.code, ms: performance.now() - t0,
    });
  }
  schedule();
}
