// The change rows of a verivali visit (/Verivali/Kunjungan): for whom (the family or one member), which field of the
// registry's catalogue, the new value — a list of the field's codes where it has one, a date picker for a date — and a
// life event's date. Choosing a field fills in the value the registry holds now and says it beside the field; rows are
// added and removed here. The rows post the same fields as without JavaScript (ubah.siapa, ubah.kolom, ubah.nilai,
// ubah.tanggal, one of each per row), and the server validates them with the import's rules either way.
(function () {
  'use strict';
  var catalogue = document.getElementById('katalog-kunjungan');
  if (!catalogue) { return; }
  var fields = {};
  JSON.parse(catalogue.getAttribute('data-fields')).forEach(function (f) { fields[f.c] = f; });
  var texts = JSON.parse(catalogue.getAttribute('data-texts'));

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function labelOf(field, value) {
    if (!field || !field.codes) { return value; }
    for (var i = 0; i < field.codes.length; i++) {
      if (String(field.codes[i][0]) === value) { return field.codes[i][1] + ' (' + value + ')'; }
    }
    return value;
  }

  function setUp(fieldset) {
    var current = JSON.parse(fieldset.getAttribute('data-current') || '{}');
    var addButton = fieldset.querySelector('.tambah-perubahan');

    function currentValue(whom, column) {
      var values = whom ? (current.m || {})[whom] : current.f;
      return values && Object.prototype.hasOwnProperty.call(values, column) ? values[column] : null;
    }

    // The value control of a row for its field: a select of codes, a date, or a text box; keeps the given value.
    function valueControl(row, field, value) {
      var holder = row.querySelector('label.nilai');
      var old = holder.querySelector('[name="ubah.nilai"]');
      var control;
      if (field && field.codes) {
        control = el('select');
        control.appendChild(el('option', null, ''));
        field.codes.forEach(function (c) {
          var o = el('option', null, c[1] + ' (' + c[0] + ')');
          o.value = String(c[0]);
          control.appendChild(o);
        });
      } else {
        control = el('input');
        control.type = field && field.k === 'd' ? 'date' : 'text';
        control.autocomplete = 'off';
      }
      control.name = 'ubah.nilai';
      control.value = value || '';
      holder.replaceChild(control, old);
    }

    // Only the fields of the row's target: family fields for the family, person fields and life events for a member.
    function narrowFields(row) {
      var whom = row.querySelector('[name="ubah.siapa"]').value;
      var select = row.querySelector('[name="ubah.kolom"]');
      Array.prototype.forEach.call(select.querySelectorAll('optgroup'), function (group) {
        var fits = (group.getAttribute('data-scope') === 'p') === (whom !== '');
        group.hidden = !fits;
        group.disabled = !fits;
      });
      var chosen = select.selectedOptions[0];
      if (chosen && chosen.parentNode.disabled) { select.value = ''; }
    }

    function refresh(row, keepValue) {
      var whom = row.querySelector('[name="ubah.siapa"]').value;
      var column = row.querySelector('[name="ubah.kolom"]').value;
      var field = fields[column];
      var now = column ? currentValue(whom, column) : null;
      var typed = row.querySelector('[name="ubah.nilai"]').value;
      valueControl(row, field, keepValue ? typed : now);
      row.querySelector('label.tanggal').hidden = column !== 'STATUS_HIDUP';
      var hint = row.querySelector('.sekarang');
      hint.textContent = now === null ? '' : texts.now.replace('{0}', labelOf(field, now));
    }

    function wire(row, keepValue) {
      var hint = el('span', 'sekarang note');
      row.appendChild(hint);
      var remove = el('button', 'link hapus-perubahan', texts.remove);
      remove.type = 'button';
      row.appendChild(remove);
      row.querySelector('[name="ubah.siapa"]').addEventListener('change', function () { narrowFields(row); refresh(row, false); });
      row.querySelector('[name="ubah.kolom"]').addEventListener('change', function () { refresh(row, false); });
      remove.addEventListener('click', function () {
        if (fieldset.querySelectorAll('.perubahan-baris').length > 1) {
          row.remove();
        } else {
          row.querySelector('[name="ubah.siapa"]').value = '';
          row.querySelector('[name="ubah.kolom"]').value = '';
          narrowFields(row);
          refresh(row, false);
        }
      });
      narrowFields(row);
      refresh(row, keepValue);
    }

    var rows = Array.prototype.slice.call(fieldset.querySelectorAll('.perubahan-baris'));
    // A blank row to copy, taken before any row is wired; blank rows beyond the first are dropped (the button adds them).
    var blank = rows[rows.length - 1].cloneNode(true);
    rows.forEach(function (row, i) {
      var used = row.querySelector('[name="ubah.kolom"]').value !== '';
      if (!used && i > 0) {
        row.remove();
      } else {
        wire(row, true);
      }
    });
    addButton.hidden = false;
    addButton.addEventListener('click', function () {
      var row = blank.cloneNode(true);
      row.querySelector('[name="ubah.siapa"]').value = '';
      row.querySelector('[name="ubah.kolom"]').value = '';
      row.querySelector('[name="ubah.nilai"]').value = '';
      row.querySelector('[name="ubah.tanggal"]').value = '';
      fieldset.insertBefore(row, addButton);
      wire(row, false);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('fieldset.perubahan'), setUp);
})();
