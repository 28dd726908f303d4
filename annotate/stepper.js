// Step-through and the state diagram (html_panel.go writes the panel).
// A step is one packet of one connection: its arrow and row are marked
// .cur, the later packets of the connection and the state labels they
// lead to .future (faded), the panel shows both endpoints' states and
// lights, in the diagram, the edges each endpoint took in this packet.
// The fragment keeps the step (#c1-p7).
// Hovering a packet shows it in the panel without moving the step.
(function () {
  var panel = document.getElementById('stepper');
  if (!panel) return;
  var svg = panel.querySelector('svg.fsm');
  var secs = Array.prototype.slice.call(document.querySelectorAll('section.conn'));
  var cur = null; // the step: {sec, n}
  var pathOf = null; // the section whose whole path the diagram shows
  var marked = []; // elements marked .cur / .future

  function each(list, f) { Array.prototype.forEach.call(list, f); }
  function rowsOf(sec) { return sec.querySelectorAll('tbody tr[data-n]'); }
  function row(sec, n) { return sec.querySelector('tr[data-n="' + n + '"]'); }
  function arrow(sec, n) { return sec.querySelector('g.arrow[data-n="' + n + '"]'); }
  function role(r) { return r ? 's' : 'c'; }

  // steps is one endpoint's state changes in a packet: {how, from, to},
  // how e (an edge), i (inferred), c (corrected).
  function steps(tr, r) {
    var at = (tr.getAttribute('data-before') || '').split(' ')[r];
    var p = tr.getAttribute(r ? 'data-ps' : 'data-pc');
    var out = [];
    if (!p) return out;
    p.split(' ').forEach(function (s) {
      var i = s.indexOf(':');
      out.push({ how: s.slice(0, i), from: at, to: s.slice(i + 1) });
      at = s.slice(i + 1);
    });
    return out;
  }
  function edge(from, to) { return svg.querySelector('g.edge[data-from="' + from + '"][data-to="' + to + '"]'); }
  function nodes(state) { return svg.querySelectorAll('g.node[data-state="' + state + '"]'); }
  function clear(cls) { each(svg.querySelectorAll('.' + cls), function (e) { e.classList.remove(cls); }); }
  function stateName(s) { return s === 'UNKNOWN' ? panel.getAttribute('data-unknown') : s; }

  // path colours the connection's whole path: the edges each endpoint
  // took, and the states it was put in without one (dashed).
  function path(sec) {
    if (pathOf === sec) return;
    pathOf = sec;
    ['path-c', 'path-s', 'pj-c', 'pj-s', 'start-c', 'start-s'].forEach(clear);
    var first = sec.querySelector('tbody tr[data-n]');
    if (first) {
      var b = first.getAttribute('data-before').split(' ');
      [0, 1].forEach(function (r) { each(nodes(b[r]), function (e) { e.classList.add('start-' + role(r)); }); });
    }
    each(rowsOf(sec), function (tr) {
      [0, 1].forEach(function (r) {
        steps(tr, r).forEach(function (s) {
          var e = s.how === 'e' ? edge(s.from, s.to) : null;
          if (e) e.classList.add('path-' + role(r));
          else each(nodes(s.to), function (x) { x.classList.add('pj-' + role(r)); });
        });
      });
    });
  }

  // show puts a packet in the panel: the states, the edges lit.
  function show(sec, n) {
    var tr = row(sec, n);
    if (!tr) return;
    path(sec);
    ['lit-c', 'lit-s', 'now-c', 'now-s', 'jump-c', 'jump-s'].forEach(clear);
    var before = tr.getAttribute('data-before').split(' ');
    var after = tr.getAttribute('data-after').split(' ');
    [0, 1].forEach(function (r) {
      var c = role(r);
      steps(tr, r).forEach(function (s) {
        var e = s.how === 'e' ? edge(s.from, s.to) : null;
        if (e) e.classList.add('lit-' + c);
        else each(nodes(s.to), function (x) { x.classList.add('jump-' + c); });
      });
      each(nodes(after[r]), function (x) { x.classList.add('now-' + c); });
      var big = panel.querySelector('.big.' + c);
      big.querySelector('.now').textContent = stateName(after[r]);
      big.querySelector('.was').textContent = before[r] === after[r] && !tr.getAttribute(r ? 'data-ps' : 'data-pc')
        ? panel.getAttribute('data-nochange') : stateName(before[r]) + ' →';
    });
    var cells = tr.querySelectorAll('td');
    var flat = function (e) {
      return Array.prototype.map.call(e.childNodes, function (c) { return c.textContent; }).join(' ').replace(/\s+/g, ' ').trim();
    };
    panel.querySelector('.pnote').textContent = cells.length > 2 ? n + ' · ' + flat(cells[1]) + ' — ' + flat(cells[2]) : '';
    panel.setAttribute('data-shown', sec.getAttribute('data-conn') + '-' + n);
  }

  function unmark() {
    marked.forEach(function (e) { e.classList.remove('cur', 'future'); });
    marked = [];
    secs.forEach(function (s) { s.classList.remove('cur-sec'); });
  }

  // step makes packet n of a connection the step.
  function step(sec, n, scroll) {
    var count = rowsOf(sec).length;
    if (count === 0) return;
    n = Math.max(1, Math.min(n, count));
    unmark();
    cur = { sec: sec, n: n };
    document.body.classList.add('stepping');
    sec.classList.add('cur-sec');
    each(sec.querySelectorAll('g.arrow[data-n], tbody tr[data-n], text.st[data-n]'), function (e) {
      var k = +e.getAttribute('data-n');
      if (k === n) e.classList.add('cur');
      else if (k > n) e.classList.add('future');
      else return;
      marked.push(e);
    });
    show(sec, n);
    var id = sec.getAttribute('data-conn');
    panel.querySelector('.pos').textContent = panel.getAttribute('data-pos')
      .replace('%[1]d', n).replace('%[2]d', count).replace('%[3]d', id);
    var h = '#c' + id + '-p' + n;
    if (location.hash !== h && history.replaceState) history.replaceState(null, '', h);
    if (scroll !== false) {
      [arrow(sec, n), row(sec, n)].forEach(function (e) {
        if (e && e.scrollIntoView) e.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      });
    }
  }

  function exit() {
    unmark();
    cur = null;
    document.body.classList.remove('stepping');
    panel.querySelector('.pos').textContent = panel.getAttribute('data-idle');
    if (/^#c\d+-p\d+$/.test(location.hash) && history.replaceState) history.replaceState(null, '', location.pathname + location.search);
  }

  function go(what) {
    if (!secs.length) return;
    if (!cur) {
      var s0 = secs[0];
      if (what === 'last') step(s0, rowsOf(s0).length);
      else step(s0, 1);
      return;
    }
    var i = secs.indexOf(cur.sec);
    var count = rowsOf(cur.sec).length;
    switch (what) {
      case 'next':
        if (cur.n < count) step(cur.sec, cur.n + 1);
        else if (i + 1 < secs.length) step(secs[i + 1], 1);
        break;
      case 'prev':
        if (cur.n > 1) step(cur.sec, cur.n - 1);
        else if (i > 0) step(secs[i - 1], rowsOf(secs[i - 1]).length);
        break;
      case 'first': step(cur.sec, 1); break;
      case 'last': step(cur.sec, count); break;
    }
  }

  // fromHash opens the step a fragment names (#c1-p7).
  function fromHash() {
    var m = /^#c(\d+)-p(\d+)$/.exec(location.hash);
    if (!m) return;
    var sec = document.getElementById('conn-' + m[1]);
    if (sec && sec.classList.contains('conn')) {
      step(sec, +m[2], false);
      if (sec.scrollIntoView) sec.scrollIntoView({ block: 'start' });
      step(sec, +m[2]);
    }
  }

  panel.addEventListener('click', function (ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-go]') : null;
    if (!b) return;
    var g = b.getAttribute('data-go');
    if (g === 'exit') exit();
    else go(g === 'start' ? 'next' : g);
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.defaultPrevented) return;
    var t = ev.target;
    var tag = t && t.tagName ? t.tagName.toLowerCase() : '';
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || t.isContentEditable) return;
    if (tag === 'button' && (ev.key === ' ' || ev.key === 'Enter')) return; // the button's own click
    var what = { ArrowRight: 'next', ' ': 'next', ArrowLeft: 'prev', Home: 'first', End: 'last' }[ev.key];
    if (what) go(what);
    else if (ev.key === 'Escape' && cur) exit();
    else return;
    ev.preventDefault();
  });
  // Hovering a packet shows it; leaving the packets shows the step again.
  document.addEventListener('mouseover', function (ev) {
    var el = ev.target && ev.target.closest ? ev.target.closest('section.conn g.arrow[data-n], section.conn tr[data-n]') : null;
    if (el) show(el.closest('section.conn'), +el.getAttribute('data-n'));
    else if (cur && panel.getAttribute('data-shown') !== cur.sec.getAttribute('data-conn') + '-' + cur.n && !panel.contains(ev.target)) show(cur.sec, cur.n);
  });
  // A click on an arrow or a row while stepping makes it the step.
  document.addEventListener('click', function (ev) {
    if (!cur) return;
    var el = ev.target && ev.target.closest ? ev.target.closest('section.conn g.arrow[data-n], section.conn tr[data-n]') : null;
    if (el) step(el.closest('section.conn'), +el.getAttribute('data-n'), false);
  });
  // Print: a ladder taller than about half a page is cut, between two
  // packets, into pieces of at most that height (copies of the SVG, each
  // showing a band of it through its viewBox), so the first piece fits on
  // the page under the heading instead of the whole ladder moving to the
  // next page (a browser does not split one SVG over pages until it has
  // a page of its own). The pieces go when printing is done.
  var pieces = [];
  function cut() {
    var pageW = 710, pageH = 1030; // A4 less print.css's margins, in CSS px
    each(document.querySelectorAll('.ladder > svg.ladder-svg'), function (svg) {
      var w = +svg.getAttribute('width'), h = +svg.getAttribute('height');
      var scale = Math.min(1, pageW / w), most = pageH * 0.45 / scale;
      if (h <= most) return;
      var ys = [];
      each(svg.querySelectorAll('g.arrow'), function (a) {
        var b = a.getBBox();
        ys.push([b.y, b.y + b.height]);
      });
      var cuts = [0], from = 0, last = -1;
      for (var i = 1; i < ys.length; i++) {
        var at = (ys[i - 1][1] + ys[i][0]) / 2; // between packets i-1 and i
        if (at - from > most) {
          from = last > from ? last : at;
          cuts.push(from);
        }
        last = at;
      }
      if (h - from > most && last > from) cuts.push(last);
      cuts.push(h);
      var box = document.createElement('div');
      box.className = 'print-pieces';
      for (var k = 0; k + 1 < cuts.length; k++) {
        var c = svg.cloneNode(true), y0 = Math.floor(cuts[k]), y1 = Math.ceil(cuts[k + 1]);
        c.setAttribute('viewBox', '0 ' + y0 + ' ' + w + ' ' + (y1 - y0));
        c.setAttribute('height', y1 - y0);
        c.classList.add('piece');
        box.appendChild(c);
      }
      svg.parentNode.insertBefore(box, svg);
      svg.classList.add('cut');
      pieces.push(box);
    });
  }
  function uncut() {
    pieces.forEach(function (b) {
      var svg = b.nextElementSibling;
      if (svg) svg.classList.remove('cut');
      b.parentNode.removeChild(b);
    });
    pieces = [];
  }
  window.addEventListener('beforeprint', function () { uncut(); cut(); });
  window.addEventListener('afterprint', uncut);

  window.addEventListener('hashchange', fromHash);
  if (secs.length) path(secs[0]);
  fromHash();
})();
