// pmo-rules HTML report: filter the findings table by severity, rule, program and status.
// Hand-written and inlined; it reads data-* attributes and never builds HTML from data.
(function () {
  "use strict";
  var table = document.getElementById("findings");
  if (!table) { return; }
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr.finding"));
  var shown = document.getElementById("shown-count");
  var filters = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));

  function apply() {
    var wanted = {};
    filters.forEach(function (f) { wanted[f.getAttribute("data-filter")] = f.value; });
    var n = 0;
    rows.forEach(function (row) {
      var keep = Object.keys(wanted).every(function (key) {
        return wanted[key] === "" || row.getAttribute("data-" + key) === wanted[key];
      });
      row.hidden = !keep;
      if (keep) { n += 1; }
    });
    shown.textContent = String(n);
  }

  filters.forEach(function (f) { f.addEventListener("change", apply); });
  var reset = document.getElementById("reset-filters");
  if (reset) {
    reset.addEventListener("click", function () {
      filters.forEach(function (f) { f.value = ""; });
      apply();
    });
  }
  apply();
})();
