#!/usr/bin/env node
// Times the internal site's search in a real browser (headless Chromium), from file://:
//
//   node scripts/bench-search-browser.js _site/internal [runbooks/some-runbook.html] [--chromium PATH]
//
// Copies the page (default: index.html) beside itself with a probe that times loading the index
// script, then runs the same 100 queries as bench-search.js three ways: the search function alone,
// the input event (search and results markup), and the input event plus the layout of the page.
// Prints the figures and removes the copy.
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const args = process.argv.slice(2);
const chromiumAt = args.indexOf("--chromium");
const chromium = chromiumAt >= 0 ? args.splice(chromiumAt, 2)[1] : "chromium";
const [site, page = "index.html"] = args;
if (!site) {
  console.error("usage: node scripts/bench-search-browser.js SITE/internal [PAGE] [--chromium PATH]");
  process.exit(2);
}
const pagePath = path.join(site, page);
const root = "../".repeat(page.split("/").length - 1);
const probePath = path.join(path.dirname(pagePath), "search-probe.html");

// Runs in the page. The index is loaded by a plain <script> here, timed, instead of on focus.
const probe = `
<script>var probeStart = performance.now();</script>
<script src="${root}assets/search-index.js"></script>
<script>var probeLoaded = performance.now();</script>
<script>
window.addEventListener("load", function () {
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-panel");
  input.focus();
  var seed = 42;
  function random(n) { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; }
  var titleWords = [];
  continuitySearchIndex.docs.forEach(function (doc) {
    (doc[1].toLowerCase().match(/[a-z0-9]+/g) || []).forEach(function (w) { if (w.length >= 3) titleWords.push(w); });
  });
  var queries = [];
  for (var i = 0; queries.length < 100; i++) {
    var word = titleWords[random(titleWords.length)];
    if (i % 5 < 4) {
      queries.push(word.slice(0, i % 5 + 1));
    } else {
      var other = titleWords[random(titleWords.length)];
      queries.push(word + " " + other.slice(0, 1 + random(Math.min(4, other.length))));
    }
  }
  function time(name, run) {
    queries.forEach(run);
    var times = queries.map(function (q) { var t = performance.now(); run(q); return performance.now() - t; });
    var s = times.slice().sort(function (a, b) { return a - b; });
    return name + ": median " + s[50].toFixed(2) + " ms, p95 " + s[95].toFixed(2) + " ms, max " + s[99].toFixed(2) + " ms";
  }
  var searcher = new continuitySearch.Searcher(continuitySearchIndex);
  var lines = ["index script loaded and run in " + (probeLoaded - probeStart).toFixed(0) + " ms"];
  lines.push(time("search function", function (q) { searcher.search(q, 20); }));
  lines.push(time("input event (search + results markup)", function (q) { input.value = q; input.dispatchEvent(new Event("input")); }));
  lines.push(time("input event + layout", function (q) {
    input.value = q; input.dispatchEvent(new Event("input")); panel.getBoundingClientRect();
  }));
  var report = document.createElement("pre");
  report.id = "search-probe-report";
  report.textContent = lines.join("\\n");
  document.body.appendChild(report);
});
</script>
</body>`;

fs.writeFileSync(probePath, fs.readFileSync(pagePath, "utf8").replace("</body>", probe));
try {
  const dom = execFileSync(chromium, [
    "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + path.resolve(probePath),
  ], { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] });
  const match = dom.match(/<pre id="search-probe-report">([^<]*)<\/pre>/);
  console.log(match ? match[1] : "the probe did not report: is the search box on this page?");
} finally {
  fs.unlinkSync(probePath);
}
