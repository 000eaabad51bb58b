// tieline: the little behaviour HTMX does not give: CSRF header, the quick-log dialog and its shortcut,
// and what forms ask for with data attributes (the pages' Content-Security-Policy allows no inline
// script, so no hx-on handlers): data-reset-on-success, data-reload-on-success, data-swap-invalid.
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });
  function dialog() { return document.getElementById("quick-log"); }
  function openQuickLog() {
    var d = dialog();
    if (!d || d.open) { return; }
    d.showModal();
    var first = document.getElementById("ql-people");
    if (first) { first.focus(); }
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    if (target.closest("[data-open-quick-log]")) { openQuickLog(); }
    if (target.closest("[data-close-quick-log]")) { dialog().close(); }
    var copy = target.closest("[data-copy]");
    if (copy) {
      var text = copy.closest(".draft-box").querySelector("pre").textContent;
      if (navigator.clipboard) { navigator.clipboard.writeText(text).then(function () { copy.textContent = "Copied"; }); }
    }
  });
  document.addEventListener("keydown", function (event) {
    var el = document.activeElement;
    var typing = el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "l" || event.key === "L")) {
      event.preventDefault();
      openQuickLog();
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    // A form's 422 carries the form again with what to fix: show it in place, not as an error.
    var elt = event.detail.elt;
    if (event.detail.xhr.status === 422 && elt && elt.closest && elt.closest("[data-swap-invalid]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (event.detail.successful && elt && elt.matches) {
      if (elt.matches("[data-reset-on-success]")) { elt.reset(); }
      if (elt.matches("[data-reload-on-success]")) { window.location.reload(); }
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.closest && form.closest("#quick-log") && event.detail.successful) {
      var note = document.getElementById("ql-note");
      if (note) { note.value = ""; }
      // What was just logged changes the agenda and the person's strength: show it.
      var path = window.location.pathname;
      if (path === "/" || path.indexOf("/people/") === 0) { setTimeout(function () { window.location.reload(); }, 800); }
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (target) { target.innerHTML = event.detail.xhr.responseText; }
  });
})();
