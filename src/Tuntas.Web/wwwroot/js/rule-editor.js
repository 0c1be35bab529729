// The structured editor of eligibility rules and scoring models (/Penargetan/Aturan): conditions as rows (a field from
// the targeting field catalogue, an operator, a value — a code list where the field has codes), groups of rows (all /
// any, optionally negated, or "a member with …"), a program's eligibility, and for models a table of indicators with
// their weights. It writes the same JSON the server validates into the form's text box, which stays for experts behind
// a toggle; without JavaScript the page is that text box (docs/targeting.md, "Rule language"). Parts of a definition
// the rows cannot show (a member count, arithmetic) are kept verbatim as "advanced" rows, so nothing is lost.
(function () {
  'use strict';
  var catalogue = document.getElementById('katalog-aturan');
  if (!catalogue) { return; }
  var fields = JSON.parse(catalogue.getAttribute('data-fields'));
  var programs = JSON.parse(catalogue.getAttribute('data-programs'));
  var text = JSON.parse(catalogue.getAttribute('data-texts'));
  var byName = {};
  fields.forEach(function (f) { byName[f.n] = f; });
  var comparisons = ['<', '<=', '>', '>=', '=', '!='];

  function field(name) { return byName[typeof name === 'string' ? name.toLowerCase() : ''] || null; }

  function el(tag, attributes, children) {
    var e = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) {
      if (k === 'text') { e.textContent = attributes[k]; } else { e.setAttribute(k, attributes[k]); }
    });
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }

  function option(value, label, selected) {
    var o = el('option', { value: value, text: label });
    if (selected) { o.selected = true; }
    return o;
  }

  // ---- JSON → rows ---------------------------------------------------------------------------------------------
  function single(j) {
    if (!j || typeof j !== 'object' || Array.isArray(j)) { return null; }
    var keys = Object.keys(j);
    return keys.length === 1 ? { op: keys[0], arg: j[keys[0]] } : null;
  }

  function fieldRef(j) {
    var s = single(j);
    return s && s.op === 'field' ? field(s.arg) : null;
  }

  function isLiteral(v) { return typeof v === 'number' || typeof v === 'string'; }

  // A comparison of one field with literals, in the given scope ('p' = person fields inside a member group).
  function comparison(j, member) {
    var s = single(j);
    if (!s) { return null; }
    var f;
    if (s.op === 'field') {
      f = field(s.arg);
      return f && f.t === 'b' && (f.s === 'p') === member ? { k: 'c', field: f.n, op: '=', value: ['1'], bare: true } : null;
    }
    if (!Array.isArray(s.arg) || s.arg.length !== 2) { return null; }
    f = fieldRef(s.arg[0]);
    if (!f || (f.s === 'p') !== member) { return null; }
    if (comparisons.indexOf(s.op) >= 0 && isLiteral(s.arg[1])) {
      return { k: 'c', field: f.n, op: s.op, value: [String(s.arg[1])] };
    }
    if (s.op === 'in' && Array.isArray(s.arg[1]) && s.arg[1].length > 0 && s.arg[1].every(isLiteral)) {
      return { k: 'c', field: f.n, op: 'in', value: s.arg[1].map(String) };
    }
    return null;
  }

  function parse(j, member) {
    var s = single(j);
    if (s) {
      if ((s.op === 'all' || s.op === 'any') && Array.isArray(s.arg)) {
        return { k: 'g', op: s.op, neg: false, member: false, items: s.arg.map(function (i) { return parse(i, member); }) };
      }
      if (s.op === 'not') {
        var inner = parse(s.arg, member);
        if ((inner.k === 'g' || inner.k === 'e') && !inner.neg) { inner.neg = true; return inner; }
        if (inner.k === 'c' && inner.op === 'in') { inner.op = 'notin'; return inner; }
        return { k: 'r', json: j };
      }
      if (s.op === 'eligible' && typeof s.arg === 'string' && !member) { return { k: 'e', program: s.arg, neg: false }; }
      if (s.op === 'anyMember' && !member) {
        var body = parse(s.arg, true);
        var group = body.k === 'g' && !body.neg ? body : { k: 'g', op: 'all', neg: false, items: [body] };
        group.member = true;
        return group;
      }
    }
    var counted = !member && s && comparisons.indexOf(s.op) >= 0 && Array.isArray(s.arg) && s.arg.length === 2
      && typeof s.arg[1] === 'number' ? single(s.arg[0]) : null;
    if (counted && counted.op === 'count') {
      // "count of members meeting … ≥ 1": a member group that counts (unknown when a member's value is unknown).
      var inner = parse(counted.arg, true);
      var g = inner.k === 'g' && !inner.neg ? inner : { k: 'g', op: 'all', neg: false, items: [inner] };
      g.member = true;
      g.count = { op: s.op, value: String(s.arg[1]) };
      return g;
    }
    return comparison(j, member) || { k: 'r', json: j };
  }

  // ---- rows → JSON ---------------------------------------------------------------------------------------------
  // Numbers as people type them: "453.663" or "0,5" (id-ID) as well as "0.5".
  function literal(f, v) {
    var t = String(v).trim();
    if (f && f.t === 't') { return v; }
    var plain = t.indexOf(',') >= 0 ? t.replace(/\./g, '').replace(',', '.') : /^-?\d{1,3}(\.\d{3})+$/.test(t) ? t.replace(/\./g, '') : t;
    var n = Number(plain);
    return t !== '' && isFinite(n) ? n : v;
  }

  function toJson(n) {
    var j, f;
    switch (n.k) {
      case 'g':
        j = {};
        j[n.op] = n.items.map(toJson);
        if (n.member) {
          var body = n.op === 'all' && n.items.length === 1 ? toJson(n.items[0]) : j;
          if (n.count) {
            j = {};
            j[n.count.op] = [{ count: body }, literal(null, n.count.value)];
          } else {
            j = { anyMember: body };
          }
        }
        return n.neg ? { not: j } : j;
      case 'c':
        f = field(n.field);
        if (n.bare && n.op === '=' && n.value[0] === '1') { return { field: n.field }; }
        if (n.op === 'in' || n.op === 'notin') {
          j = { 'in': [{ field: n.field }, n.value.filter(function (v) { return String(v).trim() !== ''; }).map(function (v) { return literal(f, v); })] };
          return n.op === 'notin' ? { not: j } : j;
        }
        j = {};
        j[n.op] = [{ field: n.field }, literal(f, n.value[0] === undefined ? '' : n.value[0])];
        return j;
      case 'e':
        j = { eligible: n.program };
        return n.neg ? { not: j } : j;
      default:
        return n.json;
    }
  }

  // The root of a rule is one condition: a plain "all" group with one row is written as that row alone.
  function rootJson(root) {
    return root.op === 'all' && !root.neg && root.items.length === 1 ? toJson(root.items[0]) : toJson(root);
  }

  function rootOf(j) {
    var n = parse(j, false);
    return n.k === 'g' && !n.member ? n : { k: 'g', op: 'all', neg: false, member: false, items: [n] };
  }

  // Short structures on one line, longer ones indented: readable in the box and in the table of current rules.
  function format(value, indent) {
    var flat = JSON.stringify(value);
    if (flat.length <= 72 || value === null || typeof value !== 'object') { return flat; }
    var pad = indent + '  ';
    if (Array.isArray(value)) {
      return '[\n' + value.map(function (v) { return pad + format(v, pad); }).join(',\n') + '\n' + indent + ']';
    }
    return '{\n' + Object.keys(value).map(function (k) { return pad + JSON.stringify(k) + ': ' + format(value[k], pad); }).join(',\n') + '\n' + indent + '}';
  }

  // ---- rendering -----------------------------------------------------------------------------------------------
  function fieldSelect(n, member, changed) {
    var select = el('select', { 'class': 're-field', 'aria-label': text.field });
    var groups = member ? [['p', text.scopePerson]] : [['f', text.scopeFamily], ['d', text.scopeDerived], ['r', text.scopeRun]];
    groups.forEach(function (g) {
      var group = el('optgroup', { label: g[1] });
      fields.filter(function (f) { return f.s === g[0] && (g[0] !== 'r' || changed.mode === 'rule'); }).forEach(function (f) {
        group.appendChild(option(f.n, f.l, f.n === n.field));
      });
      if (group.children.length) { select.appendChild(group); }
    });
    select.addEventListener('change', function () {
      n.field = select.value;
      var f = field(n.field);
      n.bare = false;
      n.op = f.t === 'b' || f.t === 't' || f.c ? '=' : '>=';
      n.value = [f.t === 'b' ? '1' : f.c ? String(f.c[0][0]) : ''];
      changed(true);
    });
    return select;
  }

  function operatorSelect(n, f, changed) {
    var ops = f.t === 'b' ? ['=', '!='] : f.t === 't' ? ['=', '!=', 'in', 'notin'] : comparisons.concat(['in', 'notin']);
    var select = el('select', { 'class': 're-op', 'aria-label': text.operator });
    ops.forEach(function (o) { select.appendChild(option(o, text['op' + o] || o, o === n.op)); });
    select.addEventListener('change', function () {
      var wasList = n.op === 'in' || n.op === 'notin';
      n.op = select.value;
      if (wasList !== (n.op === 'in' || n.op === 'notin')) { n.value = n.value.slice(0, 1); }
      n.bare = false;
      changed(true);
    });
    return select;
  }

  function valueControl(n, f, changed) {
    var list = n.op === 'in' || n.op === 'notin';
    if (f.t === 'b') {
      var yesNo = el('select', { 'class': 're-value', 'aria-label': text.value });
      yesNo.appendChild(option('1', text.yes, n.value[0] === '1'));
      yesNo.appendChild(option('0', text.no, n.value[0] === '0'));
      yesNo.addEventListener('change', function () { n.value = [yesNo.value]; n.bare = false; changed(false); });
      return yesNo;
    }
    if (f.c && list) {
      var box = el('span', { 'class': 're-value re-codes', role: 'group', 'aria-label': text.value });
      f.c.forEach(function (c) {
        var id = 're-' + Math.random().toString(36).slice(2);
        var check = el('input', { type: 'checkbox', id: id, value: String(c[0]) });
        check.checked = n.value.indexOf(String(c[0])) >= 0;
        check.addEventListener('change', function () {
          n.value = Array.prototype.filter.call(box.querySelectorAll('input:checked'), function () { return true; })
            .map(function (i) { return i.value; });
          changed(false);
        });
        box.appendChild(el('label', { 'for': id }, [check, document.createTextNode(' ' + c[0] + ' · ' + c[1])]));
      });
      return box;
    }
    if (f.c) {
      var codes = el('select', { 'class': 're-value', 'aria-label': text.value });
      var known = false;
      f.c.forEach(function (c) {
        known = known || n.value[0] === String(c[0]);
        codes.appendChild(option(String(c[0]), c[0] + ' · ' + c[1], n.value[0] === String(c[0])));
      });
      if (!known) { codes.insertBefore(option(n.value[0] || '', n.value[0] || '—', true), codes.firstChild); }
      codes.addEventListener('change', function () { n.value = [codes.value]; changed(false); });
      return codes;
    }
    var input = el('input', {
      type: 'text', 'class': 're-value', 'aria-label': text.value, autocomplete: 'off',
      inputmode: f.t === 't' || list ? 'text' : 'decimal', placeholder: list ? text.listHint : ''
    });
    input.value = list ? n.value.join('; ') : (n.value[0] || '');
    input.addEventListener('input', function () {
      n.value = list ? input.value.split(';').map(function (v) { return v.trim(); }) : [input.value];
      changed(false);
    });
    return input;
  }

  function removeButton(parent, n, changed) {
    var b = el('button', { type: 'button', 'class': 're-remove', title: text.remove, 'aria-label': text.remove, text: '×' });
    b.addEventListener('click', function () { parent.items.splice(parent.items.indexOf(n), 1); changed(true); });
    return b;
  }

  function renderRow(n, parent, member, changed) {
    var row = el('div', { 'class': 're-row' });
    if (n.k === 'c') {
      var f = field(n.field);
      row.appendChild(fieldSelect(n, member, changed));
      row.appendChild(operatorSelect(n, f, changed));
      row.appendChild(valueControl(n, f, changed));
    } else if (n.k === 'e') {
      var neg = el('select', { 'class': 're-op', 'aria-label': text.operator });
      neg.appendChild(option('', text.eligible, !n.neg));
      neg.appendChild(option('not', text.notEligible, n.neg));
      neg.addEventListener('change', function () { n.neg = neg.value === 'not'; changed(false); });
      var program = el('select', { 'class': 're-value', 'aria-label': text.program });
      programs.concat(programs.indexOf(n.program) < 0 ? [n.program] : []).forEach(function (p) { program.appendChild(option(p, p, p === n.program)); });
      program.addEventListener('change', function () { n.program = program.value; changed(false); });
      row.appendChild(neg);
      row.appendChild(program);
    } else {
      row.classList.add('re-raw');
      row.appendChild(el('span', { 'class': 're-raw-label', text: text.advanced }));
      row.appendChild(el('code', { text: JSON.stringify(n.json) }));
    }
    if (parent) { row.appendChild(removeButton(parent, n, changed)); }
    return row;
  }

  function renderGroup(g, parent, member, changed) {
    var box = el('div', { 'class': 're-group' + (g.member ? ' re-member' : '') });
    var head = el('div', { 'class': 're-head' });
    if (g.member) {
      // "At least one member meets" (Kleene: true as soon as one does) or "the number of members meeting … is …".
      var how = el('select', { 'class': 're-member-mode', 'aria-label': text.memberMode });
      how.appendChild(option('any', text.member, !g.count));
      how.appendChild(option('count', text.memberCount, !!g.count));
      how.addEventListener('change', function () {
        g.count = how.value === 'count' ? { op: '>=', value: '1' } : null;
        changed(true);
      });
      head.appendChild(how);
      if (g.count) {
        var countOp = el('select', { 'class': 're-op re-count-op', 'aria-label': text.operator });
        comparisons.forEach(function (o) { countOp.appendChild(option(o, text['op' + o] || o, o === g.count.op)); });
        countOp.addEventListener('change', function () { g.count.op = countOp.value; changed(false); });
        var countValue = el('input', { type: 'text', 'class': 're-count-value', inputmode: 'numeric', 'aria-label': text.value });
        countValue.value = g.count.value;
        countValue.addEventListener('input', function () { g.count.value = countValue.value; changed(false); });
        head.appendChild(countOp);
        head.appendChild(countValue);
        head.appendChild(el('span', { 'class': 're-member-label', text: text.memberCountOf }));
      }
    }
    var combine = el('select', { 'class': 're-combine', 'aria-label': text.combine });
    [['all', false], ['any', false], ['any', true], ['all', true]].forEach(function (o) {
      combine.appendChild(option(o[0] + (o[1] ? '-not' : ''), text[o[0] + (o[1] ? 'Not' : '')], g.op === o[0] && g.neg === o[1]));
    });
    combine.addEventListener('change', function () {
      g.op = combine.value.slice(0, 3);
      g.neg = /-not$/.test(combine.value);
      changed(false);
    });
    head.appendChild(combine);
    if (parent) { head.appendChild(removeButton(parent, g, changed)); }
    box.appendChild(head);
    var inner = member || g.member;
    var rows = el('div', { 'class': 're-rows' });
    g.items.forEach(function (n) {
      rows.appendChild(n.k === 'g' ? renderGroup(n, g, inner, changed) : renderRow(n, g, inner, changed));
    });
    box.appendChild(rows);
    var add = el('div', { 'class': 're-add' });
    function adder(label, cls, make) {
      var b = el('button', { type: 'button', 'class': 'secondary ' + cls, text: label });
      b.addEventListener('click', function () { g.items.push(make()); changed(true); });
      add.appendChild(b);
    }
    var first = fields.filter(function (f) { return (f.s === 'p') === inner; })[0];
    adder(text.addCondition, 're-add-condition', function () {
      return { k: 'c', field: first.n, op: first.c ? '=' : '>=', value: [first.c ? String(first.c[0][0]) : ''] };
    });
    adder(text.addGroup, 're-add-group', function () { return { k: 'g', op: 'any', neg: false, member: false, items: [] }; });
    if (!inner) {
      var person = fields.filter(function (f) { return f.s === 'p'; })[0];
      adder(text.addMember, 're-add-member', function () {
        return { k: 'g', op: 'all', neg: false, member: true, items: [{ k: 'c', field: person.n, op: '>=', value: [''] }] };
      });
      if (changed.mode === 'rule' && programs.length) {
        adder(text.addEligible, 're-add-eligible', function () { return { k: 'e', program: programs[0], neg: true }; });
      }
    }
    box.appendChild(add);
    return box;
  }

  // One condition editor over a root group; `written` receives the JSON value after every change.
  function conditionEditor(host, root, written, mode) {
    function changed(structure) {
      if (structure) { draw(); }
      written();
    }
    changed.mode = mode;
    function draw() {
      host.textContent = '';
      host.appendChild(renderGroup(root, null, false, changed));
    }
    draw();
  }

  // ---- the JSON box and its toggle -----------------------------------------------------------------------------
  function attach(textarea, build, relabel) {
    var editor = el('div', { 'class': 'rule-editor', id: textarea.id + '-baris' });
    var status = el('p', { 'class': 'note re-status', role: 'status' });
    var toggle = el('button', { type: 'button', 'class': 'secondary re-toggle', 'aria-expanded': 'false', 'aria-controls': textarea.id, text: text.showJson });
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    textarea.parentNode.insertBefore(editor, textarea);
    textarea.parentNode.insertBefore(status, textarea);
    textarea.parentNode.insertBefore(toggle, textarea);
    textarea.hidden = true;
    if (label && relabel) { label.textContent = relabel; }
    toggle.addEventListener('click', function () {
      textarea.hidden = !textarea.hidden;
      toggle.setAttribute('aria-expanded', String(!textarea.hidden));
      toggle.textContent = textarea.hidden ? text.showJson : text.hideJson;
    });
    function load() {
      var json;
      try {
        json = textarea.value.trim() === '' ? null : JSON.parse(textarea.value);
      } catch (e) {
        editor.hidden = true;
        status.textContent = text.invalidJson;
        textarea.hidden = false;
        toggle.setAttribute('aria-expanded', 'true');
        toggle.textContent = text.hideJson;
        return;
      }
      editor.hidden = false;
      status.textContent = '';
      build(editor, json, function (value) {
        textarea.value = format(value, '');
        textarea.dispatchEvent(new CustomEvent('rule-editor:written', { bubbles: true }));
      });
    }
    textarea.addEventListener('input', load);
    load();
  }

  function ruleBuilder(host, json, write) {
    var root = json === null ? { k: 'g', op: 'all', neg: false, member: false, items: [] } : rootOf(json);
    conditionEditor(host, root, function () { write(rootJson(root)); }, 'rule');
  }

  // A model's list (indicators of a weighted index, criteria of a count, variables of a regression) as a table;
  // everything else in its JSON (notes, classes, thresholds the table does not show) is kept as it was.
  function modelBuilder(host, json, write) {
    host.textContent = '';
    if (!json || typeof json !== 'object' || ['skor', 'kriteria', 'regresi'].indexOf(json.jenis) < 0) {
      host.appendChild(el('p', { 'class': 'note', text: json === null ? text.modelEmpty : text.modelUnknown }));
      return;
    }
    var listName = { skor: 'indikator', kriteria: 'kriteria', regresi: 'variabel' }[json.jenis];
    var items = Array.isArray(json[listName]) ? json[listName] : (json[listName] = []);
    var roots = [];
    function emit() {
      items.forEach(function (item, i) { if (roots[i]) { item.syarat = rootJson(roots[i]); } });
      write(json);
    }
    function input(owner, key, numeric, label) {
      var i = el('input', { type: 'text', 'aria-label': label, inputmode: numeric ? 'decimal' : 'text', 'class': numeric ? 're-number' : '' });
      i.value = owner[key] === undefined ? '' : String(owner[key]);
      i.addEventListener('input', function () {
        owner[key] = numeric ? literal(null, i.value) : i.value;
        emit();
      });
      return i;
    }
    var heading = el('p', {}, [document.createTextNode(text.kind + ': ' + (text['kind' + json.jenis] || json.jenis) + ' · ' + text.name + ' ')]);
    heading.appendChild(input(json, 'nama', false, text.name));
    host.appendChild(heading);
    if (json.jenis === 'kriteria') {
      host.appendChild(el('p', {}, [document.createTextNode(text.threshold + ' '), input(json, 'ambang', true, text.threshold)]));
    }
    var table = el('table', { 'class': 're-model', id: 'model-bobot' });
    var headers = [text.code, text.name].concat(json.jenis === 'skor' ? [text.weight] : []).concat([json.jenis === 'regresi' ? text.valueJson : text.condition, '']);
    table.appendChild(el('thead', {}, [el('tr', {}, headers.map(function (h) { return el('th', { text: h }); }))]));
    var body = el('tbody');
    items.forEach(function (item, i) {
      var row = el('tr');
      row.appendChild(el('td', {}, [input(item, 'kode', false, text.code)]));
      row.appendChild(el('td', {}, [input(item, 'nama', false, text.name)]));
      if (json.jenis === 'skor') { row.appendChild(el('td', { 'class': 'num' }, [input(item, 'bobot', true, text.weight)])); }
      var cell = el('td');
      if (json.jenis === 'regresi') {
        cell.appendChild(el('code', { text: JSON.stringify(item.nilai) }));
      } else {
        roots[i] = rootOf(item.syarat === undefined ? true : item.syarat);
        conditionEditor(cell, roots[i], emit, 'model');
      }
      row.appendChild(cell);
      var remove = el('button', { type: 'button', 'class': 're-remove', title: text.remove, 'aria-label': text.remove, text: '×' });
      remove.addEventListener('click', function () { items.splice(i, 1); roots.splice(i, 1); emit(); modelBuilder(host, json, write); });
      row.appendChild(el('td', {}, [remove]));
      body.appendChild(row);
    });
    table.appendChild(body);
    host.appendChild(el('div', { 'class': 'table-wrap' }, [table]));
    if (json.jenis !== 'regresi') {
      var add = el('button', { type: 'button', 'class': 'secondary re-add-item', text: text.addItem });
      add.addEventListener('click', function () {
        var item = { kode: 'K' + (items.length + 1), nama: '', syarat: { all: [] } };
        if (json.jenis === 'skor') { item.bobot = 1; }
        items.push(item);
        emit();
        modelBuilder(host, json, write);
      });
      host.appendChild(add);
    } else {
      host.appendChild(el('p', { 'class': 'note', text: text.regressionNote }));
    }
  }

  // ---- the live count beside the rule ------------------------------------------------------------------------
  function liveCount(form, textarea) {
    var out = document.getElementById('hitung-langsung');
    if (!out) { return; }
    var url = out.getAttribute('data-url');
    var timer = 0;
    var sequence = 0;
    function count() {
      var mine = ++sequence;
      out.textContent = text.counting;
      fetch(url, { method: 'POST', body: new FormData(form), credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (c) {
          if (mine !== sequence) { return; }
          out.classList.toggle('re-refused', !!(c && !c.ok));
          out.textContent = c ? c.text : text.countFailed;
        })
        .catch(function () { if (mine === sequence) { out.textContent = text.countFailed; } });
    }
    function later() { window.clearTimeout(timer); timer = window.setTimeout(count, 500); }
    textarea.addEventListener('rule-editor:written', later);
    textarea.addEventListener('input', later);
    if (textarea.value.trim() !== '') { count(); }
  }

  var rule = document.getElementById('Definition');
  if (rule) {
    attach(rule, ruleBuilder, text.definitionRows);
    liveCount(document.getElementById('aturan-form'), rule);
  }
  var model = document.getElementById('ModelDefinition');
  if (model) {
    attach(model, modelBuilder, null);
  }
})();
