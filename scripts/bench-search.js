#!/usr/bin/env node
// Times the internal site's search, as the browser runs it, on a built site:
//
//   node scripts/bench-search.js _site/internal [--queries 100] [--theme themes/default]
//
// Loads assets/search-index.js and the theme's search.js, then runs a fixed set of queries: one-,
// two-, three- and four-letter prefixes and two-word queries, drawn from the index with a seeded
// generator so that every run asks the same questions. Prints the index size, the time to load
// it, and the median, 95th percentile and maximum time per query (each query runs once, after a
// warm-up pass over the whole set).
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const site = process.argv[2];
if (!site || site.startsWith("--")) {
  console.error("usage: node scripts/bench-search.js SITE/internal [--queries 100] [--theme themes/default]");
  process.exit(2);
}
const count = Number(option("--queries", "100"));
const theme = option("--theme", path.join(__dirname, "..", "themes", "default"));
const { Searcher } = require(path.resolve(theme, "assets", "search.js"));

const indexPath = path.join(site, "assets", "search-index.js");
const source = fs.readFileSync(indexPath, "utf8");
const loadStart = process.hrtime.bigint();
const sandbox = {};
vm.runInNewContext(source, sandbox);
const searcher = new Searcher(sandbox.continuitySearchIndex);
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;

// A small linear congruential generator: the same queries on every run.
let seed = 42;
function random(n) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
}
// Words people type: terms of titles, which are what they remember.
const titleWords = [];
for (const doc of sandbox.continuitySearchIndex.docs) {
  for (const word of (doc[1].toLowerCase().match(/[a-z0-9]+/g) || [])) if (word.length >= 3) titleWords.push(word);
}
const queries = [];
for (let i = 0; queries.length < count; i++) {
  const word = titleWords[random(titleWords.length)];
  const kind = i % 5;
  if (kind < 4) {
    queries.push(word.slice(0, kind + 1));
  } else {
    const other = titleWords[random(titleWords.length)];
    queries.push(word + " " + other.slice(0, 1 + random(Math.min(4, other.length))));
  }
}

for (const query of queries) searcher.search(query, 20);
const times = [];
let matched = 0;
for (const query of queries) {
  const start = process.hrtime.bigint();
  const found = searcher.search(query, 20);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
  matched += found.total;
}
const sorted = times.slice().sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const slowest = queries[times.indexOf(sorted[sorted.length - 1])];
const index = sandbox.continuitySearchIndex;
console.log(`index: ${fs.statSync(indexPath).size} bytes, ${index.docs.length} entries, ${index.terms.length} terms; loaded in ${loadMs.toFixed(1)} ms`);
console.log(`${queries.length} queries (1-4 letter prefixes, two words), ${(matched / queries.length).toFixed(0)} matches on average`);
console.log(`per query: median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms ("${slowest}")`);
