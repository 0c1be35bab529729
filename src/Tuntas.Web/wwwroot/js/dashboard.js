// Dashboard map: village polygons from /geo on a plain background (no tile server), colored by the chosen
// indicator from /api/dashboard/{code}; clicking a village opens its family list. The verivali layers (% of lines
// visited, decided, applied; days since the last musdes) come from the open (else the latest) period's progress,
// /api/verivali/periods/{id}/progress, under the same scope.
(function () {
  'use strict';
  var el = document.getElementById('peta');
  var select = document.getElementById('indikator');
  if (!el || !window.L) return;
  var lang = document.documentElement.lang || 'id';
  var colors = ['#fff5d6', '#fdd49e', '#fc8d59', '#e34a33', '#b30000'];
  var empty = '#e4e7eb';
  var json = function (url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error(url + ': ' + r.status); return r.json(); });
  };
  var verivali = !el.dataset.verivali ? Promise.resolve([]) : json(el.dataset.verivali).then(function (periods) {
    var period = periods.filter(function (p) { return p.isOpen; })[0] || periods[0];
    if (!period) return [];
    el.dataset.period = String(period.id);
    el.dataset.periodName = period.name;
    return json(el.dataset.verivali + '/' + period.id + '/progress');
  }).catch(function () { return []; });
  Promise.all([json(el.dataset.geo), json(el.dataset.api), verivali]).then(function (res) {
    var geo = res[0], data = res[1], byCode = {}, progress = {};
    data.villages.forEach(function (v) { byCode[v.code] = v; });
    res[2].forEach(function (p) { progress[p.kodeDesa] = p; });
    var prefix = el.dataset.prefix;
    geo.features = geo.features.filter(function (f) {
      return f.properties.code.indexOf(prefix) === 0 && byCode[f.properties.code];
    });
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.attributionControl.addAttribution('Batas desa: cahyadsn/wilayah_boundaries (MIT)');
    var option = function () { return select.options[select.selectedIndex]; };
    var percent = function () {
      var o = option();
      return o.dataset.share === '1' || (o.dataset.source === 'verivali' && o.dataset.field !== 'daysSinceMusdes');
    };
    var value = function (code) {
      var o = option();
      if (o.dataset.source === 'verivali') {
        var p = progress[code], x = p ? p[o.dataset.field] : null;
        if (x === null || x === undefined) return null;
        return o.dataset.field === 'daysSinceMusdes' ? x : 100 * x;
      }
      var v = byCode[code], m = select.value, n = (v.values[m] || 0);
      if (o.dataset.share !== '1') return n;
      var k = v.values.keluarga || 0;
      return k === 0 ? null : 100 * n / k;
    };
    var breaks = [];
    var classify = function () {
      var values = geo.features.map(function (f) { return value(f.properties.code); }).filter(function (x) { return x !== null; });
      var max = values.length ? Math.max.apply(null, values) : 0;
      breaks = [0, 1, 2, 3, 4].map(function (i) { return max * (i + 1) / 5; });
    };
    var color = function (x) {
      if (x === null || x === 0) return empty;
      for (var i = 0; i < breaks.length; i++) if (x <= breaks[i]) return colors[i];
      return colors[colors.length - 1];
    };
    var format = function (x) {
      if (x === null) return el.dataset.noData;
      return percent() ? x.toLocaleString(lang, { maximumFractionDigits: 1 }) + '%' : Math.round(x).toLocaleString(lang);
    };
    var style = function (f) {
      return { color: '#5a6470', weight: 0.8, fillOpacity: 0.85, fillColor: color(value(f.properties.code)) };
    };
    classify();
    var layer = L.geoJSON(geo, {
      style: style,
      onEachFeature: function (f, l) {
        l.bindTooltip(function () { return f.properties.name + ': ' + format(value(f.properties.code)); }, { sticky: true });
        l.on('click', function () { window.location.href = '/Wilayah/Desa/' + f.properties.code; });
      }
    }).addTo(map);
    if (geo.features.length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    var legend = L.control({ position: 'bottomright' });
    legend.onAdd = function () { this._div = L.DomUtil.create('div', 'legend'); return this._div; };
    legend.update = function () {
      // Built as nodes with element.style, not as HTML with style="": the Content-Security-Policy (style-src 'self')
      // refuses inline style attributes, and text from the page never becomes markup.
      var div = this._div, from = 0;
      div.textContent = '';
      var title = document.createElement('b');
      title.textContent = option().text + (option().dataset.source === 'verivali' && el.dataset.periodName ? ' (' + el.dataset.periodName + ')' : '');
      div.appendChild(title);
      div.appendChild(document.createElement('br'));
      var row = function (color, text) {
        var swatch = document.createElement('i');
        swatch.style.background = color;
        div.appendChild(swatch);
        div.appendChild(document.createTextNode(text));
        div.appendChild(document.createElement('br'));
      };
      row(empty, '0 / ' + el.dataset.noData);
      for (var i = 0; i < breaks.length; i++) {
        row(colors[i], format(from) + ' – ' + format(breaks[i]));
        from = breaks[i];
      }
    };
    legend.addTo(map);
    legend.update();
    select.addEventListener('change', function () { classify(); layer.setStyle(style); legend.update(); });
    el.dataset.villages = String(geo.features.length);
  }).catch(function (e) { el.textContent = String(e); });
})();
