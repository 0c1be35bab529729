// Service worker of the offline field form (docs/field-collection.md), registered with the scope /Lapangan/Formulir
// only: the rest of the back office is never served from a cache. It keeps the page shell and its script and style so
// the form opens without signal; the worklist and the filled forms live in IndexedDB (js/formulir.js). /api is never
// cached here: personal data does not go into Cache Storage, and a submission must reach the server or wait.
'use strict';
const CACHE = 'tuntas-formulir-1';
const base = new URL('./', self.location).pathname;
const page = () => self.registration.scope;
const assets = ['js/formulir.js', 'css/site.css', 'formulir.webmanifest', 'img/formulir.svg'].map((a) => base + a);

// A page answer worth keeping: the form itself, not the sign-in page a redirect led to.
const keepable = (response) => response && response.ok && !response.redirected && response.type === 'basic';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then(async (cache) => {
    await cache.addAll(assets);
    const response = await fetch(page(), { credentials: 'same-origin' });
    if (keepable(response)) await cache.put(page(), response);
  }).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('tuntas-formulir-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith(base + 'api/')) return;
  if (request.mode === 'navigate') {
    // The page: fresh from the network when there is signal (and kept), the kept copy when there is none.
    event.respondWith(fetch(request).then((response) => {
      if (keepable(response)) {
        const copy = response.clone();
        event.waitUntil(caches.open(CACHE).then((cache) => cache.put(page(), copy)));
      }
      return response;
    }).catch(() => caches.match(page(), { ignoreSearch: true }).then((kept) => kept || Response.error())));
    return;
  }
  if (assets.includes(url.pathname)) {
    // Script and style: the network first too (a release changes them), the kept copy without signal.
    event.respondWith(fetch(request).then((response) => {
      if (keepable(response)) {
        const copy = response.clone();
        event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)));
      }
      return response;
    }).catch(() => caches.match(url.pathname, { ignoreSearch: true }).then((kept) => kept || Response.error())));
  }
});
