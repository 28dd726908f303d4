(function () {
  function show(b, on) {
    b.classList.toggle('shown', on);
    b.setAttribute('aria-expanded', on ? 'true' : 'false');
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    var b = t && t.closest ? t.closest('button.blank') : null;
    if (b) { show(b, !b.classList.contains('shown')); return; }
    if (t && t.id === 'show-all') {
      var on = t.getAttribute('aria-pressed') !== 'true';
      t.setAttribute('aria-pressed', on ? 'true' : 'false');
      document.querySelectorAll('button.blank').forEach(function (x) { show(x, on); });
    }
  });
})();
