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
