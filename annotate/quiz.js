(function () {
  // the key at the end closes on screen only when this script runs
  document.documentElement.classList.add('js');
  function show(b, on) {
    b.classList.toggle('shown', on);
    b.setAttribute('aria-expanded', on ? 'true' : 'false');
  }
  function key(on) {
    var k = document.getElementById('answers');
    var b = document.getElementById('show-key');
    if (k) k.classList.toggle('open', on);
    if (b) b.setAttribute('aria-pressed', on ? 'true' : 'false');
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    var b = t && t.closest ? t.closest('button.blank') : null;
    if (b) { show(b, !b.classList.contains('shown')); return; }
    if (t && t.id === 'show-key') {
      key(t.getAttribute('aria-pressed') !== 'true');
      return;
    }
    if (t && t.id === 'show-all') {
      var on = t.getAttribute('aria-pressed') !== 'true';
      t.setAttribute('aria-pressed', on ? 'true' : 'false');
      document.querySelectorAll('button.blank').forEach(function (x) { show(x, on); });
      key(on);
    }
  });
})();
