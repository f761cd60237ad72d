/* sebabox tables: sortable columns and the "this table scrolls" line.
 *
 * - A table.sb-sortable gets a real <button> in each column header (the ARIA sortable-table pattern):
 *   Enter/Space or a click sorts by that column, the header's aria-sort says how. Cells may carry
 *   data-sort (a number); otherwise their text is compared in Bengali order.
 * - A .sb-table-wrap (or Material's wrapper of a Markdown table) whose table is wider than the screen
 *   gets a line above it saying that it scrolls sideways (the shadows at its edges, in CSS, show which
 *   way); the line goes when the table fits again (a wider window, a phone turned sideways).
 */
(function () {
  "use strict";
  function key(cell) {
    var v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent.trim() : parseFloat(v);
  }

  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var descending = th.getAttribute("aria-sort") !== "descending";
    rows.sort(function (a, b) {
      var x = key(a.cells[index]), y = key(b.cells[index]);
      var order = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "bn");
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function sortable(table) {
    if (table.getAttribute("data-sb-sortable") === "on") return;
    table.setAttribute("data-sb-sortable", "on");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sb-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  }

  function scrollHint(wrap) {
    var hint = wrap.previousElementSibling;
    if (!hint || !hint.classList.contains("sb-scroll-hint")) {
      hint = document.createElement("p");
      hint.className = "sb-scroll-hint";
      hint.textContent = "← সারণিটি পাশে সরিয়ে বাকি কলামগুলো দেখুন →";
      wrap.parentNode.insertBefore(hint, wrap);
    }
    function update() {
      hint.hidden = wrap.scrollWidth <= wrap.clientWidth + 1;
      if (!wrap.hasAttribute("data-sb-own")) {
        // Material's wrapper of a Markdown table: reachable by keyboard while it scrolls (WCAG 2.1.1)
        if (hint.hidden) { wrap.removeAttribute("tabindex"); wrap.removeAttribute("role"); wrap.removeAttribute("aria-label"); }
        else { wrap.tabIndex = 0; wrap.setAttribute("role", "region"); wrap.setAttribute("aria-label", "সারণি"); }
      }
    }
    update();
    if (window.ResizeObserver) {  // the box or the table changing size (fonts loading, sort buttons, a turned phone)
      var observer = new ResizeObserver(update);
      observer.observe(wrap);
      if (wrap.querySelector("table")) observer.observe(wrap.querySelector("table"));
    }
    window.addEventListener("load", update);
  }

  function init() {
    document.querySelectorAll("table.sb-sortable").forEach(sortable);
    document.querySelectorAll(".sb-table-wrap").forEach(function (w) { w.setAttribute("data-sb-own", ""); scrollHint(w); });
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(scrollHint);
  }
  if (window.document$) { window.document$.subscribe(init); } else { document.addEventListener("DOMContentLoaded", init); }
})();
