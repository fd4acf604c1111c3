/* Referat: the minutes form keeps a draft in this browser while one types.
 *
 * A progressive enhancement of meetings/minutes.html: without it the form works as it is.
 * - On input, the text of every item that differs from the stored decision is kept in
 *   localStorage under the form's data-draft-key (meeting and user), with the fingerprint of
 *   the stored text it was written against (the form's hidden loaded_<item> field).
 * - On load, text that differs from the page is put back, with a notice and a button that
 *   discards it. Its fingerprint goes back too, so that if someone else saved the decision in
 *   the meantime the server reports the conflict instead of overwriting their text.
 * - Leaving the page with unsaved text asks first (beforeunload).
 * A draft equal to what the page shows is dropped: after a save it is the saved text.
 * Texts shown to the user come from the form's data-msg-* attributes (translated there).
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem("x");
  } catch (e) {
    storage = null; // storage switched off: only the leave warning works
  }
  var key = form.getAttribute("data-draft-key");
  var notice = document.querySelector("[data-draft-notice]");
  var status = form.querySelector("[data-draft-status]");
  var fields = Array.prototype.slice.call(form.querySelectorAll("textarea[data-item]"));
  var MAX_AGE_MS = 30 * 24 * 3600 * 1000;
  var submitting = false;
  var timer = null;

  function message(name, values) {
    var text = form.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (k) {
      text = text.split("{" + k + "}").join(values[k]);
    });
    return text;
  }

  function clock(date) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(date.getHours()) + "." + pad(date.getMinutes());
  }

  function loadedInput(field) {
    return form.querySelector('input[name="loaded_' + field.getAttribute("data-item") + '"]');
  }

  function saved(field) {
    return field.getAttribute("data-saved") || "";
  }

  function unsaved() {
    return fields.filter(function (f) { return f.value.trim() !== saved(f).trim(); });
  }

  function read() {
    if (!storage) return null;
    try {
      var draft = JSON.parse(storage.getItem(key) || "null");
      if (!draft || !draft.items || Date.now() - draft.at > MAX_AGE_MS) return null;
      return draft;
    } catch (e) {
      return null;
    }
  }

  function write() {
    timer = null;
    if (!storage) return;
    var changed = unsaved();
    try {
      if (!changed.length) {
        storage.removeItem(key);
        if (status) status.textContent = "";
        return;
      }
      var items = {};
      changed.forEach(function (f) {
        var loaded = loadedInput(f);
        items[f.getAttribute("data-item")] = { text: f.value, loaded: loaded ? loaded.value : "" };
      });
      var now = new Date();
      storage.setItem(key, JSON.stringify({ at: now.getTime(), items: items }));
      if (status) status.textContent = message("kept", { time: clock(now) });
    } catch (e) {
      /* storage full or refused: the leave warning still protects the text */
    }
  }

  function schedule() {
    if (timer === null) timer = window.setTimeout(write, 600);
  }

  function itemNumber(field) {
    var section = field.closest("section");
    var num = section && section.querySelector(".num");
    return num ? num.textContent.replace(/\.$/, "").trim() : field.getAttribute("data-item");
  }

  function restore() {
    var draft = read();
    if (!draft) return;
    var restored = [];
    fields.forEach(function (f) {
      var kept = draft.items[f.getAttribute("data-item")];
      if (!kept || kept.text === f.value) return;
      var original = { value: f.value, loaded: loadedInput(f) ? loadedInput(f).value : "" };
      f.value = kept.text;
      if (loadedInput(f) && kept.loaded) loadedInput(f).value = kept.loaded;
      restored.push({ field: f, original: original });
    });
    if (!restored.length || !notice) return;
    var p = document.createElement("p");
    p.textContent = message("restored", {
      time: clock(new Date(draft.at)),
      items: restored.map(function (r) { return itemNumber(r.field); }).join(", "),
    });
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary small";
    discard.textContent = message("discard");
    discard.addEventListener("click", function () {
      restored.forEach(function (r) {
        r.field.value = r.original.value;
        if (loadedInput(r.field)) loadedInput(r.field).value = r.original.loaded;
      });
      notice.textContent = message("discarded");
      write();
    });
    notice.appendChild(p);
    notice.appendChild(discard);
    notice.hidden = false;
    notice.setAttribute("role", "status");
  }

  restore();
  write(); // drop a draft the page already shows; keep one for text the server sent back

  form.addEventListener("input", schedule);
  form.addEventListener("submit", function () {
    submitting = true;
    if (timer !== null) { window.clearTimeout(timer); write(); }
  });
  window.addEventListener("pagehide", function () {
    if (timer !== null) { window.clearTimeout(timer); write(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !unsaved().length) return undefined;
    event.preventDefault();
    event.returnValue = ""; // older browsers show their own text; none shows ours
    return "";
  });
})();
