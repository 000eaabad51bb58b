// tieline's service worker, served at /sw.js (web/ui/pwa.py) so that it controls the whole app.
//
// - The app's shell (CSS, JS, icons, the offline page) is kept at install, so the app starts offline.
//   Each is asked of the network first and the copy kept fresh; the kept copy answers offline.
// - Pages (navigations) are asked of the network first; offline, the copy of the page last seen
//   answers, else the offline page. Only whole HTML pages of this origin that the server let be
//   stored are kept, never an API answer, an HTMX partial, a redirect or anything but a GET.
// - Nothing is named by user: on sign-out the page (static/pwa.js) deletes the kept pages and sends
//   the message "clear", which does the same here.
// - Writing (POST) never goes through here: the quick log queues on the phone itself (pwa.js).
"use strict";

var VERSION = "1";
var SHELL = "tieline-shell-v" + VERSION;
var PAGES = "tieline-pages-v" + VERSION;
var OFFLINE_PAGE = "/static/offline.html";
var SHELL_FILES = [
  "/static/app.css",
  "/static/app.js",
  "/static/pwa.js",
  "/static/vendor/htmx.min.js",
  OFFLINE_PAGE,
  "/static/icons/icon-192.png",
  "/static/icons/icon-512.png",
  "/static/icons/apple-touch-icon.png",
  "/manifest.webmanifest"
];
var MAX_PAGES = 60;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_FILES); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  // An older version's caches go; this worker takes the open pages at once.
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("tieline-") === 0 && key !== SHELL && key !== PAGES;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function clearPages() {
  return caches.delete(PAGES);
}

self.addEventListener("message", function (event) {
  if (event.data === "clear") {
    event.waitUntil(clearPages().then(function () {
      if (event.source && event.source.postMessage) { event.source.postMessage("cleared"); }
    }));
  }
});

function keepable(response) {
  if (!response || !response.ok || response.type !== "basic" || response.redirected) { return false; }
  var type = response.headers.get("content-type") || "";
  var control = response.headers.get("cache-control") || "";
  return type.indexOf("text/html") === 0 && control.indexOf("no-store") < 0;
}

function trim(cache) {
  return cache.keys().then(function (keys) {
    return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map(function (key) {
      return cache.delete(key);
    }));
  });
}

function page(request) {
  return fetch(request).then(function (response) {
    if (keepable(response)) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) {
        return cache.put(request, copy).then(function () { return trim(cache); });
      });
    }
    return response;
  }, function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(request); }).then(function (kept) {
      return kept || caches.match(OFFLINE_PAGE);
    }).then(function (answer) {
      return answer || new Response("You are offline.", { status: 503, headers: { "Content-Type": "text/plain" } });
    });
  });
}

function shellFile(request) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(SHELL).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.match(request, { ignoreSearch: true, cacheName: SHELL }).then(function (kept) {
      return kept || Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0 || url.pathname === "/sw.js") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (SHELL_FILES.indexOf(url.pathname) >= 0) {
    event.respondWith(shellFile(request));
  }
});
