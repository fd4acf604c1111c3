/* Dagsorden: reorder the agenda's items by drag and drop.
 *
 * A progressive enhancement of meetings/agenda.html: without it every item row has its
 * "Flyt til nr." form (form[data-move-form]: a select of places and a button), which is how a
 * keyboard or a phone moves an item. Here a handle (≡) is put before each row's number;
 * dragging a row by it shows the new order while dragging, and dropping it sets the row's
 * "Flyt til nr." select to the new place and submits that form: the server moves the item
 * and renumbers the agenda exactly as the button does. A drag let go outside the list puts
 * the row back. On a touch screen (no mouse pointer) nothing is added.
 */
(function () {
  "use strict";

  var list = document.querySelector("tbody[data-reorder]");
  if (!list || !("draggable" in document.createElement("span"))) return;
  // A touch screen has no mouse to drag with: there the select and button are the way.
  if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) return;

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("tr[data-item]"));
  }
  if (rows().length < 2) return;

  var hint = document.querySelector("[data-drag-hint]");
  if (hint) hint.hidden = false;

  var dragged = null;
  var startIndex = -1;
  var startNext = null;
  var dropped = false;

  function release() {
    rows().forEach(function (row) { row.draggable = false; });
  }

  rows().forEach(function (row) {
    var cell = row.querySelector("td.num") || row.firstElementChild;
    var handle = document.createElement("span");
    handle.className = "drag-handle";
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "\u2261";
    cell.insertBefore(handle, cell.firstChild);
    // Only the handle starts a drag: the title's link and the forms stay usable as ever.
    handle.addEventListener("mousedown", function () { row.draggable = true; });

    row.addEventListener("dragstart", function (event) {
      if (!row.draggable) return;
      dragged = row;
      startIndex = rows().indexOf(row);
      startNext = row.nextElementSibling;
      dropped = false;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.getAttribute("data-item"));
    });

    row.addEventListener("dragend", function () {
      row.classList.remove("dragging");
      if (!dropped && dragged === row) list.insertBefore(row, startNext); // put back
      dragged = null;
      release();
    });
  });
  document.addEventListener("mouseup", release);

  list.addEventListener("dragover", function (event) {
    if (!dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    var target = event.target.closest ? event.target.closest("tr[data-item]") : null;
    if (!target || target === dragged) return;
    var box = target.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? target.nextElementSibling : target);
  });

  list.addEventListener("drop", function (event) {
    if (!dragged) return;
    event.preventDefault();
    dropped = true;
    var place = rows().indexOf(dragged) + 1;
    if (place - 1 === startIndex) return;
    var form = dragged.querySelector("form[data-move-form]");
    var select = form && form.querySelector("select[name=position]");
    if (!select) return;
    select.value = String(place);
    dragged.classList.add("moving");
    form.submit();
  });
})();
