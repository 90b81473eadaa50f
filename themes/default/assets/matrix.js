// RTO matrix: sort by a column header, filter by text and tier. The table is complete without this
// script; it only reorders and hides rows.
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  var form = document.querySelector(".matrix-filter");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("matrix-text");
  var tier = document.getElementById("matrix-tier");
  var count = document.getElementById("matrix-count");
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  rows.forEach(function (row) { row.dataset.search = row.textContent.toLowerCase(); });

  function filter() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = tier.value;
    var shown = 0;
    rows.forEach(function (row) {
      var match = (!wanted || row.dataset.tier === wanted) &&
        words.every(function (word) { return row.dataset.search.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " runbooks";
  }

  function cellValue(row, index, kind) {
    var cell = row.cells[index];
    if (kind === "number") {
      var value = cell.getAttribute("data-value");
      return value === "" || value === null ? Infinity : Number(value);
    }
    return cell.textContent.trim().toLowerCase();
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
    var kind = header.getAttribute("data-sort");
    if (!kind) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = header.textContent;
    header.textContent = "";
    header.appendChild(button);
    header.setAttribute("aria-sort", "none");
    button.addEventListener("click", function () {
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
        if (other.hasAttribute("aria-sort")) { other.setAttribute("aria-sort", "none"); }
      });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = cellValue(a, index, kind);
        var y = cellValue(b, index, kind);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  text.addEventListener("input", filter);
  tier.addEventListener("change", filter);
  filter();
}());
