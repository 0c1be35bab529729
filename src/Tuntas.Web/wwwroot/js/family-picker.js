// The family picker (Pages/Shared/_FamilyPicker.cshtml): a name or KK number searched with the registry's forgiving
// search (POST /api/families/search: within the user's scope, audited as a read of personal data, KK numbers masked),
// one search per press of Enter or the button — never per keystroke, so the audit trail records searches, not letters.
// A chosen family becomes a hidden input carrying its id; the server reads the number back within the user's scope.
// Without JavaScript the search box stays hidden and the typed field beside the picker does the work.
(function () {
  'use strict';
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text) { e.textContent = text; }
    return e;
  }

  function describe(hit, texts) {
    var parts = [hit.kepalaKeluarga || hit.namaCocok, hit.noKk, hit.namaDesa || hit.kodeDesa];
    if (hit.jumlahAnggota) { parts.push(texts.members.replace('{0}', hit.jumlahAnggota)); }
    return parts.filter(function (p) { return p; }).join(' · ');
  }

  function setUp(picker) {
    var texts = JSON.parse(picker.getAttribute('data-texts'));
    var field = picker.getAttribute('data-field');
    var multiple = picker.getAttribute('data-multiple') === '1';
    var regionFrom = picker.getAttribute('data-region-from');
    var box = picker.querySelector('.picker-search-box');
    var query = picker.querySelector('.picker-query');
    var results = picker.querySelector('.picker-results');
    var status = picker.querySelector('.picker-status');
    var picked = picker.querySelector('.picker-picked');
    var pickedTitle = picker.querySelector('.picker-picked-title');
    var asked = 0;
    box.hidden = false;

    function refreshTitle() { pickedTitle.hidden = picked.children.length === 0; }

    function pick(hit) {
      if (!multiple) { picked.textContent = ''; }
      if (picked.querySelector('li[data-id="' + hit.id + '"]')) { return; }
      var li = el('li');
      li.setAttribute('data-id', String(hit.id));
      li.appendChild(document.createTextNode(describe(hit, texts) + ' '));
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = field;
      input.value = String(hit.id);
      li.appendChild(input);
      var remove = el('button', 'link picker-remove', texts.remove);
      remove.type = 'button';
      li.appendChild(remove);
      picked.appendChild(li);
      refreshTitle();
    }

    function show(hits, more) {
      results.textContent = '';
      status.textContent = hits.length === 0 ? texts.none : (more && more !== '0' ? texts.more.replace('{0}', more) : '');
      hits.forEach(function (hit) {
        var li = el('li');
        var choose = el('button', 'link picker-choose', describe(hit, texts));
        choose.type = 'button';
        choose.setAttribute('data-id', String(hit.id));
        choose.addEventListener('click', function () { pick(hit); });
        li.appendChild(choose);
        results.appendChild(li);
      });
    }

    function search() {
      var text = query.value.trim();
      if (text.length < 3) { return; }
      var regionField = regionFrom ? document.querySelector(regionFrom) : null;
      var mine = ++asked;
      status.textContent = '…';
      fetch('/api/families/search', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify({ query: text, region: regionField && regionField.value ? regionField.value : null, limit: 10 })
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        var more = response.headers.get('Tuntas-More-Results');
        return response.json().then(function (hits) { return { hits: hits, more: more }; });
      }).then(function (answer) {
        if (mine === asked) { show(answer.hits, answer.more); }
      }).catch(function () {
        if (mine === asked) { results.textContent = ''; status.textContent = texts.failed; }
      });
    }

    query.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') { e.preventDefault(); search(); }
    });
    picker.querySelector('.picker-search').addEventListener('click', search);
    picked.addEventListener('click', function (e) {
      if (e.target.classList.contains('picker-remove')) {
        e.target.parentNode.remove();
        refreshTitle();
      }
    });
  }

  document.querySelectorAll('.family-picker').forEach(setUp);
})();
