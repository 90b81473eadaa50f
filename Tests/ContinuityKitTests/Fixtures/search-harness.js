// Runs the theme's search.js without a browser, for SearchTests:
//
//   node search-harness.js REQUEST.json
//
// REQUEST is { "index": path of search-index.js, "search": path of search.js, "queries": [...],
// "texts": [...] }. Prints one JSON object: the titles of the index's entries as the script reads
// them, the result of each query (limit 10) and the terms search.js finds in each text.
"use strict";
const fs = require("fs");
const vm = require("vm");

const request = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const { Searcher, terms } = require(request.search);
// The index runs as a browser runs it: a script in a global scope of its own.
const scope = {};
vm.runInNewContext(fs.readFileSync(request.index, "utf8"), scope);
const index = scope.continuitySearchIndex;
const searcher = new Searcher(index);
process.stdout.write(JSON.stringify({
  titles: index.docs.map((doc) => doc[1]),
  searches: request.queries.map((query) => searcher.search(query, 10)),
  terms: request.texts.map((text) => terms(text)),
}));
