// Map of points: field visits on /Lapangan (one circle per submission with a GPS point) and the BKM activities on
// /P2kp/Peta (no tiles: works on the regency's intranet and offline; the points are read from the element's
// data-points, written by the server).
(function () {
  var el = document.getElementById('peta');
  if (!el || typeof L === 'undefined') { return; }
  var points = JSON.parse(el.getAttribute('data-points') || '[]');
  if (points.length === 0) { el.hidden = true; return; }
  var map = L.map(el, { attributionControl: false });
  var bounds = [];
  points.forEach(function (p) {
    var color = p.ok ? '#1a7f37' : '#cf222e';
    L.circleMarker([p.lat, p.lon], { radius: 7, color: color, fillColor: color, fillOpacity: 0.7 })
      .bindPopup(document.createTextNode(p.label))
      .addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
