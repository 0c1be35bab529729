// The import job page: polls the job's status once a second and moves the phase, the row counts and the bar; reloads
// the page when the job has finished, to show its report. Without JavaScript the page refreshes itself (noscript).
(function () {
  'use strict';
  var box = document.getElementById('kemajuan');
  if (!box) { return; }
  var url = box.getAttribute('data-status-url');
  var number = new Intl.NumberFormat(document.documentElement.lang || 'id');
  function show(s) {
    if (s.finished) { window.location.reload(); return; }
    document.getElementById('tahap').textContent = s.phase || '—';
    document.getElementById('baris-selesai').textContent = number.format(s.rowsDone);
    document.getElementById('baris-total').textContent = s.rowsTotal == null ? '?' : number.format(s.rowsTotal);
    var bar = box.querySelector('progress');
    if (s.rowsTotal > 0) { bar.max = 100; bar.value = s.percent; bar.textContent = s.percent + ' %'; }
    else { bar.removeAttribute('value'); }
  }
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) { show(s); } if (!s || !s.finished) { window.setTimeout(poll, 1000); } })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
