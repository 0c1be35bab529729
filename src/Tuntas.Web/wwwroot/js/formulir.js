// The offline field form (/Lapangan/Formulir, docs/field-collection.md). Plain script, no framework: a cheap phone on a
// slow connection loads a few kilobytes once, and the service worker keeps them for use without signal.
// - The worklist (GET /api/field/worklist) is kept in IndexedDB, per user; the forms are drawn from its field list.
// - A filled form becomes the OpenRosa instance XML an ODK form would produce (same element names, the form's current
//   version, an instanceID "uuid:…" made here), kept in IndexedDB with its photo until it is sent.
// - Sending posts the same multipart body as ODK Collect (xml_submission_file + the photo) to /api/field/submissions,
//   which runs the same use case as OpenRosa: resending the same XML is stored once, so a lost answer is simply sent again.
(function () {
  'use strict';
  const root = document.getElementById('formulir');
  if (!root) return;
  const d = root.dataset;
  const english = document.documentElement.lang === 'en';
  const $ = (id) => document.getElementById(id);
  const label = (x) => (english ? x.labelEn : x.label) || x.label;
  const PENDING = 'menunggu', ACCEPTED = 'diterima', REFUSED = 'ditolak', ERROR = 'galat';
  let list = null;

  // IndexedDB: "daftar" holds the worklist (one record, key "daftar"), "kiriman" the filled forms by instanceID.
  const opened = new Promise((resolve, reject) => {
    const request = indexedDB.open('tuntas-lapangan', 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('daftar');
      request.result.createObjectStore('kiriman', { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  function store(name, mode, work) {
    return opened.then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const result = work(tx.objectStore(name));
      tx.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    }));
  }
  const getList = () => store('daftar', 'readonly', (s) => s.get('daftar'));
  const putList = (value) => store('daftar', 'readwrite', (s) => s.put(value, 'daftar'));
  const allSent = () => store('kiriman', 'readonly', (s) => s.getAll());
  const putSent = (item) => store('kiriman', 'readwrite', (s) => s.put(item));

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([k, v]) => { if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : v); });
    (children || []).forEach((c) => node.append(c));
    return node;
  }
  function options(select, choices, placeholder) {
    select.replaceChildren(...(placeholder ? [el('option', { value: '' }, [d.tChoose])] : []),
      ...choices.map((c) => el('option', { value: c.value }, [label(c)])));
  }

  // A registry field as an input, with the checks the XForm has (the server checks everything again).
  function input(field, name, value) {
    let control;
    if (field.kind === 'select') {
      control = el('select', { name: name, required: field.required });
      options(control, field.choices, true);
    } else {
      control = el('input', {
        name: name, required: field.required,
        type: field.kind === 'date' ? 'date' : field.kind === 'int' || field.kind === 'decimal' ? 'number' : 'text',
        step: field.kind === 'decimal' ? 'any' : null, min: field.min, max: field.max,
        maxlength: field.kind === 'text' ? field.maxLength : null, pattern: field.pattern,
        inputmode: field.pattern || field.kind === 'int' ? 'numeric' : null,
      });
    }
    if (value !== null && value !== undefined) control.value = value;
    return el('label', {}, [label(field) + ' ', control]);
  }

  function showNetwork() {
    $('jaringan').textContent = navigator.onLine ? d.tOnline : d.tOffline;
    $('jaringan').dataset.online = navigator.onLine;
  }

  function showList() {
    if (!list) {
      $('info-daftar').textContent = d.tNolist;
      return;
    }
    $('info-daftar').textContent = d.tDownloaded.replace('{0}', list.families.length)
      .replace('{1}', new Date(list.downloadedAt).toLocaleString(english ? 'en-GB' : 'id-ID'));
    options($('keluarga'), list.families.map((f) => ({ value: String(f.line), label: f.label })), true);
    options($('hasil'), list.outcomes, true);
    options($('desa'), list.villages.map((v) => ({ value: v.code, label: v.label })), true);
    $('usulan-keluarga').replaceChildren(...list.familyFields.map((f) => input(f, f.name)));
    $('usulan-anggota').querySelector('div').replaceChildren();
    addMember();
    pickFamily();
  }

  function addMember() {
    const box = $('usulan-anggota').querySelector('div');
    const n = box.children.length + 1;
    box.append(el('fieldset', { class: 'anggota grid' }, [el('legend', {}, [d.tMember + ' ' + n]), ...list.personFields.map((f) => input(f, f.name))]));
  }

  // The family picked: its head and address, its current values in the correction fields, a life status per member.
  function pickFamily() {
    const family = list && list.families.find((f) => String(f.line) === $('keluarga').value);
    $('info-keluarga').textContent = family ? family.head + ' · ' + family.address : '';
    $('rumah').querySelector('div').replaceChildren(...(family ? list.visitFields.map((f) => input(f, f.name, family.values[f.name])) : []));
    const members = family ? list.members.filter((m) => m.line === family.line) : [];
    // A head recorded as no longer living: each member still living may be named the new head (one, as the ODK form asks).
    const heads = [];
    const rows = members.map((m) => {
      const status = el('select', { name: 'status_hidup', 'data-person': m.id });
      options(status, list.lifeStatuses, false);
      const date = el('input', { type: 'date', name: 'tanggal_status', 'data-person': m.id, max: new Date().toISOString().slice(0, 10) });
      const when = el('label', { hidden: true }, [d.tEventdate + ' ', date]);
      const newHead = el('input', { type: 'radio', name: 'kepala_baru', value: String(m.id), 'data-person': m.id });
      const becomes = el('label', { hidden: true }, [newHead, ' ' + d.tNewhead]);
      heads.push({ member: m, status, becomes, newHead });
      status.addEventListener('change', () => { when.hidden = status.value === 'hidup'; date.required = !when.hidden; showNewHead(heads); });
      return el('p', { class: 'anggota' }, [el('label', {}, [m.name + ' ', status]), ' ', when, ' ', becomes]);
    });
    $('anggota-kunjungan').querySelector('div').replaceChildren(...rows);
    showCorrections();
  }
  function showNewHead(heads) {
    const headLeft = heads.some((h) => h.member.head && h.status.value !== 'hidup');
    const candidates = heads.filter((h) => !h.member.head && h.status.value === 'hidup');
    heads.forEach((h) => {
      h.becomes.hidden = !(headLeft && candidates.includes(h));
      h.newHead.required = !h.becomes.hidden;
      if (h.becomes.hidden) h.newHead.checked = false;
    });
  }
  function showCorrections() {
    const fieldset = $('rumah');
    fieldset.hidden = $('hasil').value !== 'perbaikan-data';
    // Hidden corrections are not required: the server reads them only for the outcome "perbaikan-data".
    fieldset.disabled = fieldset.hidden;
  }

  // The OpenRosa instance, as an ODK form of the same id and version would write it.
  function instance(formId, build) {
    const doc = document.implementation.createDocument(null, 'data', null);
    const data = doc.documentElement;
    const form = list.forms.find((f) => f.id === formId);
    data.setAttribute('id', formId);
    data.setAttribute('version', String(form.version));
    const add = (parent, name, value) => {
      const node = doc.createElement(name);
      if (value !== null && value !== undefined && value !== '') node.textContent = String(value);
      parent.appendChild(node);
      return node;
    };
    build(data, add);
    return { data: data, add: add, serialize: () => new XMLSerializer().serializeToString(doc) };
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // The photo scaled to 1600 pixels on the long side as JPEG (the XForm's orx:max-pixels): a few hundred KB to send.
  async function photo(form) {
    const file = form.querySelector('input[name=foto]').files[0];
    if (!file) return null;
    try {
      const image = await createImageBitmap(file);
      const scale = Math.min(1, 1600 / Math.max(image.width, image.height));
      const canvas = el('canvas', { width: Math.round(image.width * scale), height: Math.round(image.height * scale) });
      canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
      if (blob) return blob;
    } catch (e) { /* not decodable here: sent as taken, the server checks it is a JPEG or PNG */ }
    return file;
  }

  async function save(form, formId, describe, build) {
    if (!form.reportValidity()) return;
    const id = 'uuid:' + uuid();
    const picture = await photo(form);
    const photoName = picture ? 'foto-' + Date.now() + '.jpg' : null;
    const xml = instance(formId, (data, add) => {
      build(data, add);
      add(data, 'foto_rumah', photoName);
      add(data, 'lokasi', form.dataset.lokasi);
      add(data, 'catatan', form.elements.catatan.value.trim());
      add(add(data, 'meta'), 'instanceID', id);
    }).serialize();
    await putSent({ id: id, user: d.user, form: formId, label: describe(), xml: xml, photo: picture, photoName: photoName,
      created: new Date().toISOString(), state: PENDING, reasons: [] });
    form.reset();
    delete form.dataset.lokasi;
    form.querySelector('output.lokasi').textContent = '';
    $('pesan-simpan').textContent = d.tSaved;
    showList();
    await showQueue();
    if (navigator.onLine) send();
  }

  function saveVisit(event) {
    event.preventDefault();
    const form = event.target;
    const family = list.families.find((f) => String(f.line) === $('keluarga').value);
    save(form, 'tuntas-kunjungan', () => family.label, (data, add) => {
      add(data, 'baris', family.line);
      add(data, 'hasil', $('hasil').value);
      const house = add(data, 'rumah');
      if ($('hasil').value === 'perbaikan-data') {
        list.visitFields.forEach((f) => add(house, f.name, form.querySelector('#rumah [name="' + f.name + '"]').value.trim()));
      }
      const members = list.members.filter((m) => m.line === family.line);
      add(data, 'jumlah_anggota', members.length);
      members.forEach((m) => {
        const member = add(data, 'anggota');
        add(member, 'person_id', m.id);
        add(member, 'nama', m.name);
        const status = form.querySelector('select[data-person="' + m.id + '"]').value;
        add(member, 'status_hidup', status);
        add(member, 'tanggal_status', status === 'hidup' ? '' : form.querySelector('input[name="tanggal_status"][data-person="' + m.id + '"]').value);
        add(member, 'kepala', m.head ? '1' : '0');
      });
      const chosen = form.querySelector('input[name="kepala_baru"]:checked');
      add(data, 'kepala_baru', chosen ? chosen.value : '');
    });
  }

  function saveProposal(event) {
    event.preventDefault();
    const form = event.target;
    const value = (scope, name) => (scope.querySelector('[name="' + name + '"]') || { value: '' }).value.trim();
    save(form, 'tuntas-keluarga-baru', () => d.tProposal + ': ' + value(form, 'alamat'), (data, add) => {
      add(data, 'kode_desa', $('desa').value);
      list.familyFields.forEach((f) => add(data, f.name, value($('usulan-keluarga'), f.name)));
      form.querySelectorAll('fieldset.anggota').forEach((member) => {
        const node = add(data, 'anggota');
        list.personFields.forEach((f) => add(node, f.name, value(member, f.name)));
      });
    });
  }

  function locate(event) {
    const form = event.target.form;
    const output = form.querySelector('output.lokasi');
    if (!navigator.geolocation) { output.textContent = d.tGpsnone; return; }
    navigator.geolocation.getCurrentPosition((p) => {
      const c = p.coords;
      // ODK's geopoint: "latitude longitude altitude accuracy".
      form.dataset.lokasi = [c.latitude, c.longitude, c.altitude || 0, c.accuracy || 0].join(' ');
      output.textContent = c.latitude.toFixed(5) + ', ' + c.longitude.toFixed(5) + ' (±' + Math.round(c.accuracy || 0) + ' m)';
    }, () => { output.textContent = d.tGpsnone; }, { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 });
  }

  async function showQueue() {
    const items = (await allSent()).filter((i) => i.user === d.user).sort((a, b) => b.created.localeCompare(a.created));
    const text = { [PENDING]: d.tPending, [ACCEPTED]: d.tAccepted, [REFUSED]: d.tRefused, [ERROR]: d.tError };
    $('info-antrian').textContent = items.filter((i) => i.state === PENDING).length + ' ' + d.tPending;
    $('kiriman-hp').replaceChildren(...items.map((i) => el('li', { 'data-state': i.state, 'data-id': i.id }, [
      el('strong', {}, [text[i.state]]), ' · ' + i.label + ' · ' + new Date(i.created).toLocaleString(english ? 'en-GB' : 'id-ID'),
      ...(i.reasons.length ? [el('ul', { class: 'error' }, i.reasons.map((r) => el('li', {}, [r])))] : []),
    ])));
  }

  async function download() {
    try {
      const response = await fetch(d.worklist, { headers: { Accept: 'application/json' } });
      if (response.status === 401) { $('masuk-lagi').hidden = false; return; }
      if (!response.ok) return;
      list = await response.json();
      await putList(list);
      showList();
    } catch (e) { /* no signal: keep the list on the phone */ }
  }

  // Sends what waits, oldest first, one at a time (a slow line carries one photo at a time).
  let sending = false;
  async function send() {
    if (sending) return;
    sending = true;
    try {
      const waiting = (await allSent()).filter((i) => i.user === d.user && i.state === PENDING).sort((a, b) => a.created.localeCompare(b.created));
      for (const item of waiting) {
        const body = new FormData();
        body.append('xml_submission_file', new Blob([item.xml], { type: 'text/xml' }), 'submission.xml');
        if (item.photo) body.append(item.photoName, item.photo, item.photoName);
        let response;
        try {
          response = await fetch(d.submit, { method: 'POST', body: body, headers: { 'X-Tuntas-Formulir': '1', Accept: 'application/json' } });
        } catch (e) { break; } // no signal: try again when it is back
        if (response.status === 401) { $('masuk-lagi').hidden = false; break; }
        if (response.status >= 500 || response.status === 429) break;
        const answer = await response.json().catch(() => ({}));
        if (response.status === 201) {
          item.state = answer.status === 'diterima' ? ACCEPTED : REFUSED;
          item.reasons = answer.problems || [];
        } else {
          // Not stored (another enumerator's family, an unknown form version, a photo that is not one): say why.
          item.state = ERROR;
          item.reasons = (answer.issues || []).map((p) => english ? p.messageEn : p.message);
          if (!item.reasons.length) item.reasons = [answer.detail || String(response.status)];
        }
        item.photo = null; // the server has it, or refused it: the phone's storage is small
        await putSent(item);
      }
    } finally {
      sending = false;
      await showQueue();
      root.dataset.sends = String(Number(root.dataset.sends || 0) + 1);
    }
  }

  async function start() {
    showNetwork();
    window.addEventListener('online', () => { showNetwork(); send(); });
    window.addEventListener('offline', showNetwork);
    $('unduh').addEventListener('click', download);
    $('kirim').addEventListener('click', send);
    $('keluarga').addEventListener('change', pickFamily);
    $('hasil').addEventListener('change', showCorrections);
    $('tambah-anggota').addEventListener('click', addMember);
    $('form-kunjungan').addEventListener('submit', saveVisit);
    $('form-usulan').addEventListener('submit', saveProposal);
    document.querySelectorAll('#formulir button.gps').forEach((b) => b.addEventListener('click', locate));
    if ('serviceWorker' in navigator) {
      // Controlled by the worker means the page is kept for use without signal (it is cached before the worker activates).
      const kept = () => { if (navigator.serviceWorker.controller) root.dataset.offline = 'ready'; };
      navigator.serviceWorker.addEventListener('controllerchange', kept);
      kept();
      navigator.serviceWorker.register(d.worker, { scope: d.scope }).catch(() => { $('jaringan').textContent += ' ' + d.tNoworker; });
    } else {
      $('jaringan').textContent += ' ' + d.tNoworker;
    }
    const kept = await getList();
    // Another account's list on a shared phone is never shown; it is replaced at the next download.
    list = kept && kept.userName === d.user ? kept : null;
    showList();
    await showQueue();
    if (navigator.onLine) {
      if (!list) await download();
      await send();
    }
    root.dataset.ready = 'true';
  }
  start();
}());
