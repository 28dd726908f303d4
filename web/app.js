// The page's glue: it keeps the trace and the settings, asks the worker
// (worker.js) to run tcpnote with the flags each tab needs, and shows what
// comes back. Nothing here explains TCP: the words are tcpnote's own.
//
// State lives in the URL fragment (#lang=zh&v=1&tab=html&trace=…, the
// trace deflated and base64url-encoded), which browsers never send to a
// server, so a copied link reopens the same trace with the same settings.
//
// For tests (scripts/check-web.sh) the <html> element carries data-state
// (loading, busy, done, error), data-gen (the input's generation the
// annotated text shows), data-html-gen (the one the ladder frame has
// loaded), data-text-ms (how long tcpnote took in the worker),
// data-render-ms (how long showing its text took), data-input-ms (from the
// last input event to the text shown), data-lines (the input's line count)
// and data-warm (the worker's warm-up runs are done).
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const root = document.documentElement;
  const trace = $('trace');
  const DEBOUNCE_MS = 150;
  const EXT = { text: 'txt', html: 'html', markdown: 'md', mermaid: 'mmd', lint: 'txt', summary: 'json' };

  let worker = null;
  let info = null;
  let gen = 0; // bumped whenever the input or a setting changes
  let tab = 'text';
  let timer = 0;
  let lastInput = { at: 0, gen: 0 };
  const results = {}; // key → the newest result

  function langs() {
    return navigator.languages && navigator.languages.length ? Array.from(navigator.languages) : [navigator.language || 'en'];
  }

  // --- the worker -------------------------------------------------------

  function startWorker() {
    if (location.protocol !== 'file:') {
      try {
        const w = new Worker('worker.js');
        w.postMessage({ type: 'init', url: new URL('tcpnote.wasm', location.href).href, langs: langs() });
        return adopt(w);
      } catch (err) {
        // fall through to the bundle
      }
    }
    // From file:// a worker cannot be started from a file, and nothing can be
    // fetched: tcpnote-bundle.js, loaded by a <script> tag, carries the
    // worker's source and the wasm as base64.
    const s = document.createElement('script');
    s.src = 'tcpnote-bundle.js';
    s.onload = () => {
      const b = self.TCPNOTE_BUNDLE;
      const src = new TextDecoder().decode(Uint8Array.from(atob(b.worker), (c) => c.charCodeAt(0)));
      const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
      w.postMessage({ type: 'init', base64: b.wasm, langs: langs() });
      adopt(w);
    };
    s.onerror = () => fail('tcpnote-bundle.js is missing: build the page with scripts/build-web.sh');
    document.head.appendChild(s);
  }

  function adopt(w) {
    worker = w;
    w.onmessage = (e) => receive(e.data);
    w.onerror = (e) => fail('the worker failed: ' + (e.message || 'unknown error'));
  }

  function receive(m) {
    if (m.type === 'ready') {
      info = m.info;
      ready(m.ms);
    } else if (m.type === 'warm') {
      root.dataset.warm = '1';
    } else if (m.type === 'error') {
      fail(m.message);
    } else if (m.type === 'result') {
      results[m.key] = m;
      show(m);
    }
  }

  function fail(msg) {
    root.dataset.state = 'error';
    $('status').textContent = msg;
    $('status').classList.add('bad');
  }

  // --- settings and the fragment -----------------------------------------

  function settings() {
    return {
      lang: $('lang').value || 'en',
      verbose: $('verbose').checked,
      inline: $('inline').checked,
      summary: $('summary').checked,
    };
  }

  // args is the command line a tab runs: the same flags a user would type.
  function args(key, s) {
    const a = ['--lang', s.lang];
    if (s.verbose) a.push('--verbose');
    switch (key) {
      case 'text':
        a.push('--color', 'never');
        if (s.inline) a.push('--inline');
        if (s.summary) a.push('--summary');
        break;
      case 'lint':
        return ['--lint', '--lang', s.lang];
      case 'summary':
        a.push('--format', 'json', '--summary');
        break;
      default:
        a.push('--format', key);
    }
    return a;
  }

  function bytesToBase64url(bytes) {
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function base64urlToBytes(s) {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }

  async function pipe(bytes, stream) {
    return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
  }

  async function encodeTrace(text) {
    return bytesToBase64url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
  }

  async function decodeTrace(s) {
    return new TextDecoder().decode(await pipe(base64urlToBytes(s), new DecompressionStream('deflate-raw')));
  }

  async function fragment() {
    const s = settings();
    const p = new URLSearchParams();
    p.set('lang', s.lang);
    if (s.verbose) p.set('v', '1');
    if (s.inline) p.set('inline', '1');
    if (s.summary) p.set('s', '1');
    if (tab !== 'text') p.set('tab', tab);
    if (trace.value) p.set('trace', await encodeTrace(trace.value));
    return '#' + p.toString();
  }

  // saveFragment writes the state into the address, unless a newer save or
  // a navigation (a link pasted into the address bar) came first.
  let saving = 0;
  function saveFragment() {
    const mine = ++saving;
    const from = location.hash;
    fragment().then((f) => {
      if (mine === saving && location.hash === from && f !== from) history.replaceState(null, '', f);
    });
  }

  // loadFragment applies #…; it reports whether the fragment held a trace.
  async function loadFragment() {
    const p = new URLSearchParams(location.hash.slice(1));
    if (p.has('lang') && info.langs.includes(p.get('lang'))) $('lang').value = p.get('lang');
    $('verbose').checked = p.get('v') === '1';
    $('inline').checked = p.get('inline') === '1';
    $('summary').checked = p.get('s') === '1';
    if (p.has('tab') && EXT[p.get('tab')]) tab = p.get('tab');
    if (!p.has('trace')) return false;
    try {
      trace.value = await decodeTrace(p.get('trace'));
    } catch (err) {
      fail('the link\'s trace could not be read: ' + err.message);
      return false;
    }
    return true;
  }

  // --- running and showing ------------------------------------------------

  function ready(ms) {
    $('version').textContent = info.version;
    const names = typeof Intl.DisplayNames === 'function' ? (t) => new Intl.DisplayNames([t], { type: 'language' }).of(t) : (t) => t;
    for (const t of info.langs) {
      const o = document.createElement('option');
      o.value = t;
      o.textContent = names(t) + ' (' + t + ')';
      $('lang').appendChild(o);
    }
    $('lang').value = info.lang;
    for (const d of info.demos) {
      const o = document.createElement('option');
      o.value = d.name;
      o.textContent = d.name.replace(/\.txt$/, '').replace(/^\d+-/, '');
      $('example').appendChild(o);
    }
    $('status').textContent = 'tcpnote started in ' + Math.round(ms) + ' ms';
    loadFragment().then((had) => {
      if (!had && !trace.value && info.demos.length) trace.value = info.demos[0].text;
      selectTab(tab);
      update(false);
    });
    window.addEventListener('hashchange', () => {
      saving++; // a pending save must not undo the navigation
      loadFragment().then(() => {
        selectTab(tab);
        update(false);
      });
    });
  }

  // update starts a new generation: the visible tab first, then the lint
  // count for its badge. save writes the fragment (not on load, so opening
  // a link does not rewrite it).
  function update(save) {
    if (!info) return;
    gen++;
    root.dataset.state = 'busy';
    $('out-text').lang = $('out-markdown').lang = settings().lang;
    request(tab);
    if (tab !== 'lint') request('lint');
    if (save) saveFragment();
  }

  function request(key) {
    if (!info) return; // not started yet: ready() asks for what is shown
    const r = results[key];
    if (r && r.gen === gen) return show(r);
    worker.postMessage({ type: 'run', key, gen, args: args(key, settings()), input: trace.value });
  }

  function show(r) {
    if (r.gen !== gen) return; // overtaken by a newer input
    const err = $('stderr');
    if (r.key === tab) {
      err.hidden = !r.stderr;
      err.textContent = r.stderr;
    }
    switch (r.key) {
      case 'text': {
        const t0 = performance.now();
        showText($('out-text'), r.stdout);
        void $('out-text').offsetHeight; // lay it out now, to time it
        root.dataset.renderMs = (performance.now() - t0).toFixed(1);
        root.dataset.gen = r.gen;
        root.dataset.textMs = r.ms.toFixed(1);
        break;
      }
      case 'html': {
        const f = $('out-html');
        f.onload = () => { root.dataset.htmlGen = r.gen; };
        f.srcdoc = r.stdout;
        break;
      }
      case 'lint': {
        const n = r.stdout ? r.stdout.trimEnd().split('\n').length : 0;
        $('lint-count').textContent = n ? '(' + n + ')' : '';
        $('out-lint').textContent = r.stdout || 'No impossible numbers found.';
        break;
      }
      case 'summary':
        showSummary(r.stdout);
        break;
      default:
        $('out-' + r.key).textContent = r.stdout;
    }
    if (r.key === tab) {
      const lines = trace.value ? trace.value.split('\n').length - (trace.value.endsWith('\n') ? 1 : 0) : 0;
      root.dataset.lines = lines;
      root.dataset.state = 'done';
      $('status').classList.remove('bad');
      $('status').textContent = lines + ' lines annotated in ' + Math.round(r.ms) + ' ms';
      if (lastInput.gen === r.gen) root.dataset.inputMs = (performance.now() - lastInput.at).toFixed(1);
    }
  }

  // showText puts tcpnote's text in pre, each note (from its ┆ on) in a
  // span of its own so that it can be coloured; the text is unchanged.
  function showText(pre, text) {
    const f = document.createDocumentFragment();
    let plain = '';
    for (const line of text.split(/(?<=\n)/)) {
      const i = line.indexOf('┆');
      if (i < 0) {
        plain += line;
        continue;
      }
      f.append(plain + line.slice(0, i));
      const end = line.endsWith('\n') ? line.length - 1 : line.length;
      const note = document.createElement('span');
      note.className = 'note';
      note.textContent = line.slice(i, end);
      f.append(note);
      plain = line.slice(end); // the newline stays outside the note's box
    }
    f.append(plain);
    pre.replaceChildren(f);
  }

  // showSummary draws the summaries of --format json --summary as a table.
  function showSummary(json) {
    const rows = json.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((o) => o.kind === 'summary');
    const box = $('out-summary');
    box.textContent = '';
    if (!rows.length) {
      box.textContent = 'No connections.';
      return;
    }
    const cols = [
      ['#', (s) => s.conn], ['client', (s) => s.client], ['server', (s) => s.server],
      ['conn_state', (s) => s.conn_state], ['history', (s) => s.history],
      ['bytes c→s', (s) => s.bytes && s.bytes.client], ['bytes s→c', (s) => s.bytes && s.bytes.server],
      ['retrans.', (s) => s.retransmissions], ['', (s) => s.text],
    ];
    const t = document.createElement('table');
    const head = t.createTHead().insertRow();
    for (const [h] of cols) head.appendChild(document.createElement('th')).textContent = h;
    const body = t.createTBody();
    for (const s of rows) {
      const tr = body.insertRow();
      for (const [, f] of cols) tr.insertCell().textContent = f(s) === undefined ? '' : f(s);
    }
    box.appendChild(t);
  }

  function selectTab(key) {
    tab = key;
    for (const b of document.querySelectorAll('[role=tab]')) b.setAttribute('aria-selected', String(b.dataset.tab === key));
    for (const p of document.querySelectorAll('.panel')) p.hidden = p.dataset.panel !== key;
  }

  // --- copy and download --------------------------------------------------

  function current() {
    const r = results[tab];
    return r && r.gen === gen ? r.stdout : '';
  }

  $('copy').addEventListener('click', () => {
    navigator.clipboard.writeText(current()).then(() => flash('copied'), () => flash('the browser refused to copy'));
  });

  $('download').addEventListener('click', () => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([current()], { type: 'text/plain;charset=utf-8' }));
    a.download = 'tcpnote.' + EXT[tab];
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });

  $('share').addEventListener('click', () => {
    fragment().then((f) => {
      history.replaceState(null, '', f);
      navigator.clipboard.writeText(location.href).then(() => flash('link copied'), () => flash('copy the address bar'));
    });
  });

  function flash(msg) {
    $('status').textContent = msg;
  }

  // --- input ----------------------------------------------------------------

  trace.addEventListener('input', () => {
    clearTimeout(timer);
    const at = performance.now();
    timer = setTimeout(() => {
      update(true);
      lastInput = { at, gen };
    }, DEBOUNCE_MS);
  });
  $('wrap').addEventListener('change', () => $('output').classList.toggle('wrap', $('wrap').checked));
  for (const id of ['lang', 'verbose', 'inline', 'summary']) $(id).addEventListener('change', () => update(true));
  for (const b of document.querySelectorAll('[role=tab]')) {
    b.addEventListener('click', () => {
      selectTab(b.dataset.tab);
      request(tab);
      saveFragment();
    });
  }
  $('example').addEventListener('change', () => {
    const d = info && info.demos.find((x) => x.name === $('example').value);
    if (d) {
      trace.value = d.text;
      update(true);
    }
  });

  function readFile(file) {
    if (!file) return;
    file.text().then((t) => {
      trace.value = t;
      update(true);
    });
  }
  $('file').addEventListener('change', (e) => readFile(e.target.files[0]));
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    readFile(e.dataTransfer.files[0]);
  });

  startWorker();
})();
