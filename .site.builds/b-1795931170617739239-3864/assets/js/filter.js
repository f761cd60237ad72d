/* Filter a status table's rows by the <select>s of a form.sb-filters (data-for = the table's id):
   each select names a row attribute (data-kinds, data-slots, data-fy) that must contain its value. */
(function () {
  function apply(form) {
    var table = document.getElementById(form.getAttribute("data-for"));
    if (!table) { return; }
    var wanted = Array.prototype.map.call(form.querySelectorAll("select[data-filter]"), function (s) {
      return [s.getAttribute("data-filter"), s.value];
    });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var show = wanted.every(function (w) {
        return !w[1] || (row.getAttribute("data-" + w[0]) || "").split(" ").indexOf(w[1]) >= 0;
      });
      row.hidden = !show;
    });
  }
  function init() {
    document.querySelectorAll("form.sb-filters").forEach(function (form) {
      form.addEventListener("change", function () { apply(form); });
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      apply(form);
    });
  }
  if (window.document$) { window.document$.subscribe(init); } else { document.addEventListener("DOMContentLoaded", init); }
})();
