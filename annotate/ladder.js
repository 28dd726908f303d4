(function () {
  var lit = [];
  function other(el) {
    var sec = el.closest('section.conn');
    if (!sec) return null;
    var sel = (el.tagName.toLowerCase() === 'tr' ? 'g.arrow' : 'tr') + '[data-n="' + el.getAttribute('data-n') + '"]';
    return sec.querySelector(sel);
  }
  function light(el) {
    lit.forEach(function (e) { e.classList.remove('hi'); });
    lit = [];
    if (!el) return;
    var o = other(el);
    [el, o].forEach(function (e) { if (e) { e.classList.add('hi'); lit.push(e); } });
  }
  function target(ev) {
    var t = ev.target;
    return t && t.closest ? t.closest('g.arrow[data-n], tr[data-n]') : null;
  }
  document.addEventListener('mouseover', function (ev) { var el = target(ev); if (el) light(el); });
  document.addEventListener('click', function (ev) {
    var el = target(ev);
    if (!el) return;
    light(el);
    var o = other(el);
    if (o && o.scrollIntoView) o.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });
})();
// The classroom edition (issue 18): hovering a packet also lights the copies
// it resends or that resend it, the segment it crosses, and the connectors
// between them.
(function () {
  // each entry is [element, class]: only the class this block added is
  // taken off again (the block above owns the hovered arrow's 'hi')
  var lit = [];
  function clear() {
    lit.forEach(function (e) { e[0].classList.remove(e[1]); });
    lit = [];
  }
  function mark(e, cls) { if (e) { e.classList.add(cls); lit.push([e, cls]); } }
  document.addEventListener('mouseover', function (ev) {
    var t = ev.target && ev.target.closest ? ev.target.closest('g.arrow[data-n], tr[data-n]') : null;
    if (!t) return;
    clear();
    var sec = t.closest('section.conn');
    if (!sec) return;
    var n = t.getAttribute('data-n');
    var a = sec.querySelector('g.arrow[data-n="' + n + '"]');
    if (!a) return;
    ['data-orig', 'data-resent', 'data-crosses'].forEach(function (k) {
      var o = a.getAttribute(k);
      if (o) mark(sec.querySelector('g.arrow[data-n="' + o + '"]'), 'hi-link');
    });
    sec.querySelectorAll('path.link[data-a="' + n + '"], path.link[data-b="' + n + '"]').forEach(function (p) { mark(p, 'hi'); });
  });
})();
