// A report form that saves as the person works (htmx). What htmx alone does not do:
// - keep what the person typed while a save was on its way (the answer replaces the fields);
// - say so when a save failed (a slow or lost connection), instead of failing silently;
// - never lose the last entry: leaving by a link first saves what is not saved yet, and
//   closing or reloading the page with entries not saved asks first.
(function () {
  "use strict";
  var typed = null;
  var dirty = false; // changed since the last save was sent
  var inFlight = 0;
  var leavingTo = null;

  function theForm() {
    return document.querySelector("form[hx-post]");
  }

  function isTyping(element) {
    if (!element || !element.id || !element.form) return false;
    if (element.tagName === "TEXTAREA") return true;
    return element.tagName === "INPUT" && ["checkbox", "radio", "hidden"].indexOf(element.type) < 0;
  }

  function saveState(failed) {
    var box = document.getElementById("save-state");
    if (!box) return;
    box.textContent = failed ? box.getAttribute("data-failed") : "";
    box.classList.toggle("d-none", !failed);
  }

  function ours(event) {
    var form = theForm();
    return form && event.detail && event.detail.elt === form;
  }

  document.addEventListener("input", function (event) {
    if (event.target.form && event.target.form === theForm()) dirty = true;
  });
  document.addEventListener("change", function (event) {
    if (event.target.form && event.target.form === theForm()) dirty = true;
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!ours(event)) return;
    dirty = false; // the values go with this request
    inFlight += 1;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (!ours(event)) return;
    inFlight = Math.max(inFlight - 1, 0);
    var saved = event.detail.xhr && event.detail.xhr.status === 200;
    if (!saved) dirty = true;
    if (leavingTo && inFlight === 0) {
      var to = leavingTo;
      leavingTo = null;
      if (saved && !dirty) window.location.assign(to); // else stay: the page says why
    }
  });

  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    typed = isTyping(active) ? { id: active.id, value: active.value } : null;
  });

  document.addEventListener("htmx:afterSwap", function () {
    saveState(false);
    if (!typed) return;
    var element = document.getElementById(typed.id);
    if (element && element.value !== typed.value) {
      element.value = typed.value; // typed while the save was on its way: keep it
      element.dispatchEvent(new Event("change", { bubbles: true })); // and save it next
    }
    typed = null;
  });

  document.addEventListener("htmx:sendError", function () { saveState(true); });
  document.addEventListener("htmx:responseError", function () { saveState(true); });

  // Leaving by a link of this site: save first, then go.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    var form = theForm();
    if (!link || !form || !(dirty || inFlight)) return;
    if (link.target || event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
    if (link.origin !== window.location.origin) return;
    event.preventDefault();
    leavingTo = link.href;
    if (dirty && window.htmx) window.htmx.trigger(form, "submit");
  });

  // Closing or reloading with entries not saved: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    if ((dirty || inFlight) && !leavingTo) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
