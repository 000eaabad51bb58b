// tieline on a phone: the service worker (/sw.js) registered, the quick log that works offline, and
// what a sign-out (a form with data-clears-offline) clears.
//
// Every quick log form (those posting to /log: the dialog in base.html, the person page's) sends an
// idempotency key, a random UUID, as the field idempotency_key and the Idempotency-Key header; a new
// one is made after each entry is saved or queued, so the server logs a send repeated after a lost
// answer once. Offline (navigator.onLine false, or the send fails for want of a network), the entry
// is kept in this browser (localStorage) with its key and when it was typed (typed_at), and a notice
// says how many wait. Back online (the "online" event) and on each page load, they are sent in order,
// each with its key; one leaves the queue on a 2xx, or on a 4xx that trying again cannot change (a
// person not found); on a network failure, a 5xx, 401, 403, 408, 409, 425 or 429, or a redirect (to
// sign in) it stays and the rest wait behind it.
(function () {
  "use strict";
  var QUEUE = "tieline.quick-log.queue";
  var LOG_FORM = 'form[hx-post="/log"]';
  var RETRY_STATUSES = [401, 403, 408, 409, 425, 429];
  var RETRY_AFTER_MS = 30000;

  // ---- the service worker ------------------------------------------------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      // No worker (a browser that refuses it): the app works as before, without an offline start.
    });
  }

  // ---- keys and the queue ------------------------------------------------------------------------
  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));  // randomUUID needs https; this does not
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
  function keyField(form) {
    var field = form.querySelector('input[name="idempotency_key"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "idempotency_key";
      form.appendChild(field);
    }
    if (!field.value) { field.value = newKey(); }
    return field;
  }
  function readQueue() {
    try {
      var queue = JSON.parse(window.localStorage.getItem(QUEUE) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (e) {
      return [];
    }
  }
  function writeQueue(queue) {
    if (queue.length) { window.localStorage.setItem(QUEUE, JSON.stringify(queue)); }
    else { window.localStorage.removeItem(QUEUE); }
  }
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  function isLogForm(elt) { return elt instanceof HTMLFormElement && elt.matches(LOG_FORM); }

  // What a form holds, as it will be sent later: never its CSRF token (the page sending it has its own).
  function entryOf(form, key) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && name !== "idempotency_key" && typeof value === "string") { fields.push([name, value]); }
    });
    var people = fields.filter(function (f) { return f[0] === "people"; }).map(function (f) { return f[1]; }).join(", ");
    return { key: key, typed_at: new Date().toISOString(), fields: fields, people: people };
  }

  // ---- the notice --------------------------------------------------------------------------------
  function notice() {
    var box = document.getElementById("offline-queue");
    if (!box) {
      var main = document.getElementById("main");
      if (!main) { return null; }
      box = document.createElement("p");
      box.id = "offline-queue";
      box.className = "offline-queue";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      box.hidden = true;
      main.insertBefore(box, main.firstChild);
    }
    return box;
  }
  function waitingText(n) {
    return "Saved on this phone, will send when online (" + n + " waiting).";
  }
  function showWaiting(extra) {
    var box = notice();
    if (!box) { return; }
    var n = readQueue().length;
    var lines = [];
    if (n) { lines.push(waitingText(n)); }
    if (extra) { lines.push(extra); }
    box.textContent = lines.join(" ");
    box.hidden = lines.length === 0;
  }
  function resultTarget(form) {
    var selector = form.getAttribute("hx-target");
    return (selector && document.querySelector(selector)) || null;
  }

  // Keep an entry the network did not take, tell the user, and ready the form for the next one.
  function keep(form, entry) {
    var queue = readQueue();
    if (!queue.some(function (e) { return e.key === entry.key; })) { queue.push(entry); writeQueue(queue); }
    var n = queue.length;
    var target = resultTarget(form);
    if (target) {
      target.textContent = "";
      var span = document.createElement("span");
      span.className = "waiting";
      span.textContent = waitingText(n);
      target.appendChild(span);
    }
    keyField(form).value = newKey();
    var note = form.querySelector('[name="note"]');
    if (note) { note.value = ""; }
    showWaiting();
  }

  // ---- the pages' own sends (HTMX) ---------------------------------------------------------------
  var pending = new WeakMap();
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!isLogForm(form)) { return; }
    var key = keyField(form).value;
    event.detail.parameters.idempotency_key = key;
    event.detail.headers["Idempotency-Key"] = key;
    var entry = entryOf(form, key);
    pending.set(form, entry);
    if (navigator.onLine === false) {
      event.preventDefault();  // no request at all: keep it here
      keep(form, entry);
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    // No answer at all (the connection dropped): the server may or may not have logged it; the key
    // makes sending it again safe either way.
    var form = event.detail.elt;
    if (isLogForm(form) && pending.has(form)) {
      keep(form, pending.get(form));
      pending.delete(form);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (isLogForm(form) && event.detail.successful) {
      pending.delete(form);
      keyField(form).value = newKey();  // logged: the next entry is another one
    }
  });

  // ---- sending what waits ------------------------------------------------------------------------
  function textOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return (doc.body.textContent || "").replace(/\s+/g, " ").trim();
  }
  function send(entry) {
    var body = new URLSearchParams();
    entry.fields.forEach(function (field) { body.append(field[0], field[1]); });
    body.set("idempotency_key", entry.key);
    body.set("typed_at", entry.typed_at);
    body.set("csrf_token", csrfToken());
    return window.fetch("/log", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",  // sent to sign in: not logged, keep it
      headers: { "Idempotency-Key": entry.key, "X-CSRF-Token": csrfToken(), "HX-Request": "true" }
    }).then(function (response) {
      if (response.ok) { return { sent: true }; }
      var status = response.status;
      if (status >= 400 && status < 500 && RETRY_STATUSES.indexOf(status) < 0) {
        return response.text().then(function (text) { return { refused: textOf(text) || "refused (" + status + ")" }; });
      }
      return { retry: true };
    }, function () {
      return { retry: true };
    });
  }
  var flushing = false;
  function flush() {
    if (flushing || navigator.onLine === false || !readQueue().length) { showWaiting(); return; }
    flushing = true;
    var sent = 0;
    var refused = [];
    function finish(again) {
      flushing = false;
      var extra = refused.length ? "Not logged: " + refused.join("; ") : "";
      if (sent) { extra = (sent === 1 ? "Sent 1 quick log saved on this phone." : "Sent " + sent + " quick logs saved on this phone.") + (extra ? " " + extra : ""); }
      showWaiting(extra);
      if (again && navigator.onLine !== false) { window.setTimeout(flush, RETRY_AFTER_MS); }
      // What was sent changes the agenda and the person's page: show it, unless the user is typing.
      var dialog = document.getElementById("quick-log");
      var path = window.location.pathname;
      if (sent && !refused.length && !(dialog && dialog.open) && (path === "/" || path.indexOf("/people/") === 0)) {
        window.setTimeout(function () { window.location.reload(); }, 800);
      }
    }
    function next() {
      var queue = readQueue();
      if (!queue.length) { finish(false); return; }
      var entry = queue[0];
      send(entry).then(function (outcome) {
        if (outcome.retry) { finish(true); return; }
        writeQueue(readQueue().filter(function (e) { return e.key !== entry.key; }));
        if (outcome.sent) { sent += 1; }
        else { refused.push((entry.people ? entry.people + ": " : "") + outcome.refused); }
        next();
      });
    }
    next();
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { showWaiting(); });

  // ---- signing out -------------------------------------------------------------------------------
  // Kept pages and the queue are this browser's, not a user's: a sign-out deletes them, so the next
  // person to sign in on this phone neither reads the pages nor sends the entries of the last one.
  function clearOffline() {
    var jobs = [];
    if (window.caches) {
      jobs.push(window.caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (key) { return key.indexOf("tieline-pages-") === 0; })
          .map(function (key) { return window.caches.delete(key); }));
      }));
    }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("clear");
    }
    var enough = new Promise(function (resolve) { window.setTimeout(resolve, 1500); });
    return Promise.race([Promise.all(jobs), enough]).catch(function () {});
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-clears-offline]")) { return; }
    var waiting = readQueue().length;
    if (waiting && !window.confirm(waiting + (waiting === 1 ? " quick log saved on this phone has" : " quick logs saved on this phone have") +
        " not been sent yet; signing out deletes " + (waiting === 1 ? "it" : "them") + ". Sign out anyway?")) {
      event.preventDefault();
      return;
    }
    window.localStorage.removeItem(QUEUE);
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-boost")) { clearOffline(); return; }
    event.preventDefault();  // a plain form: submitted once the pages are gone
    clearOffline().then(function () { HTMLFormElement.prototype.submit.call(form); });
  });

  // ---- on each page ------------------------------------------------------------------------------
  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll(LOG_FORM), keyField);
    showWaiting();
    flush();
    // The installed app's "Quick log" shortcut opens /?log=1.
    if (new URLSearchParams(window.location.search).get("log") === "1") {
      var open = document.querySelector("[data-open-quick-log]");
      if (open) { open.click(); }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); }
  else { ready(); }
})();
