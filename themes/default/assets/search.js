/* Continuity default theme: search for the internal site.
 *
 * Works from file://, offline: the index is a script, assets/search-index.js, written by
 * `continuity build`, which assigns the global `continuitySearchIndex`. It is loaded with a
 * <script> element the first time the search box is used, so pages that are only read do not pay
 * for it. No fetch, no libraries.
 *
 * The search itself (`fold`, `terms`, `Searcher`) uses no DOM, so it runs in Node too:
 *   const { Searcher } = require("./search.js");
 *   new Searcher(index).search("fail", 20);
 *
 * Matching: the query is folded as the index was (lower case, no diacritics), split into words,
 * and every word is a prefix ("fail" finds "failover"); all words must match. For each word an
 * entry scores by where it was found: title or id 6, heading 4, body 2, plus 1 when the word is a
 * whole term. Scores add up over the words; entries of equal score keep the index's order (kind,
 * then title).
 */
(function (global) {
  "use strict";

  // ---------------------------------------------------------------------------------------------
  // Folding and terms: the same steps as SearchIndex.fold in Swift.

  var SPELLED_OUT = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "þ": "th", "ς": "σ" };
  var SPELLED_OUT_PATTERN = /[ßæœøđðłħıþς]/g;
  var NONSPACING_MARKS = /\p{Mn}/gu;
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(NONSPACING_MARKS, "")
      .replace(SPELLED_OUT_PATTERN, function (letter) { return SPELLED_OUT[letter]; });
  }

  function terms(text) {
    return fold(text).match(WORD) || [];
  }

  // ---------------------------------------------------------------------------------------------
  // The index and the search.

  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT_VALUE = new Int8Array(128);
  for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUE[DIGITS.charCodeAt(d)] = d;

  /** Words a query can hold; more are ignored. Keeps a score within a byte. */
  var MAX_WORDS = 8;

  /** The index format this script reads: `version` in search-index.js. */
  var INDEX_VERSION = 1;

  function Searcher(index) {
    if (!index || index.version !== INDEX_VERSION) throw new Error("search index: unknown version");
    this.kinds = index.kinds;
    this.docs = index.docs;
    this.headings = index.headings;
    this.terms = index.terms;
    this.postings = index.postings;
    this.best = new Uint8Array(this.docs.length);
    this.score = new Uint8Array(this.docs.length);
    this.histogram = new Uint32Array(MAX_WORDS * 7 + 1);
  }

  /** The first term not below `prefix`, by binary search: terms are sorted by UTF-16 code unit. */
  Searcher.prototype.lowerBound = function (prefix) {
    var low = 0, high = this.terms.length;
    while (low < high) {
      var middle = (low + high) >>> 1;
      if (this.terms[middle] < prefix) low = middle + 1; else high = middle;
    }
    return low;
  };

  /** Fills `best` with each entry's level for one word: field * 2, plus 1 for a whole term. */
  Searcher.prototype.scoreWord = function (word) {
    var best = this.best, terms = this.terms, postings = this.postings;
    best.fill(0);
    var found = false;
    for (var t = this.lowerBound(word); t < terms.length && terms[t].startsWith(word); t++) {
      found = true;
      var whole = terms[t].length === word.length ? 1 : 0;
      var code = postings[t], doc = 0, value = 0, shift = 0;
      for (var i = 0; i < code.length; i++) {
        var digit = DIGIT_VALUE[code.charCodeAt(i)];
        value |= (digit & 31) << shift;
        if (digit < 32) {
          doc += value >>> 2;
          var level = (value & 3) * 2 + whole;
          if (level > best[doc]) best[doc] = level;
          value = 0;
          shift = 0;
        } else {
          shift += 5;
        }
      }
    }
    return found;
  };

  /**
   * The entries matching every word of `query`, best first: `{ total, words, results }`, where
   * `results` holds at most `limit` of `{ kind, title, href, snippet, section }`. `href` is
   * relative to the site root; when the words are not all in the title but in a heading,
   * `section` names the heading and `href` points at it.
   */
  Searcher.prototype.search = function (query, limit) {
    var words = [];
    terms(query).forEach(function (word) { if (words.indexOf(word) < 0) words.push(word); });
    words = words.slice(0, MAX_WORDS);
    var none = { total: 0, words: words, results: [] };
    if (words.length === 0) return none;

    var score = this.score, best = this.best, count = this.docs.length, doc;
    for (var w = 0; w < words.length; w++) {
      if (!this.scoreWord(words[w])) return none;
      if (w === 0) {
        score.set(best);
      } else {
        for (doc = 0; doc < count; doc++) score[doc] = score[doc] && best[doc] ? score[doc] + best[doc] : 0;
      }
    }

    // The best `limit` entries without sorting them all: count entries by score, find the lowest
    // score that makes the cut, then take the entries above it and the first ones at it (in index
    // order, the order of equal scores).
    var histogram = this.histogram, top = 0, total = 0, level;
    histogram.fill(0);
    for (doc = 0; doc < count; doc++) {
      if (score[doc] === 0) continue;
      histogram[score[doc]]++;
      total++;
      if (score[doc] > top) top = score[doc];
    }
    var cutoff = 0, atCutoff = 0, room = limit;
    for (level = top; level > 0; level--) {
      if (histogram[level] >= room) { cutoff = level; atCutoff = room; break; }
      room -= histogram[level];
    }
    var chosen = [];
    for (doc = 0; doc < count; doc++) {
      var s = score[doc];
      if (s > cutoff || (s === cutoff && atCutoff-- > 0)) chosen.push(doc);
    }
    chosen.sort(function (a, b) { return score[b] - score[a] || a - b; });
    var results = chosen.map(function (doc) { return this.result(doc, words); }, this);
    return { total: total, words: words, results: results };
  };

  function matchedWords(textTerms, words) {
    var matched = 0;
    for (var w = 0; w < words.length; w++) {
      for (var t = 0; t < textTerms.length; t++) {
        if (textTerms[t].startsWith(words[w])) { matched++; break; }
      }
    }
    return matched;
  }

  Searcher.prototype.result = function (doc, words) {
    var entry = this.docs[doc];
    var result = { kind: this.kinds[entry[0]], title: entry[1], href: entry[2], snippet: entry[3], section: null };
    var headings = entry[4];
    if (!headings) return result;
    // Pages with headings live at "<folder>/<id>.html": the id counts as title.
    var id = entry[2].slice(entry[2].indexOf("/") + 1, -".html".length);
    if (matchedWords(terms(entry[1] + " " + id), words) === words.length) return result;
    var most = 0;
    for (var h = 0; h < headings.length; h++) {
      var heading = this.headings[headings[h]];
      var matched = matchedWords(terms(heading[0]), words);
      if (matched > most) {
        most = matched;
        result.section = heading[0];
        result.href = entry[2] + "#" + heading[1];
      }
    }
    return result;
  };

  // ---------------------------------------------------------------------------------------------
  // The search box: a combobox whose options are the results.

  var LIMIT = 20;

  function setup(document) {
    var box = document.getElementById("search");
    if (!box) return;
    var input = document.getElementById("search-input");
    var panel = document.getElementById("search-panel");
    var list = document.getElementById("search-results");
    var count = document.getElementById("search-count");
    var live = document.getElementById("search-live");
    var root = box.getAttribute("data-root") || "";
    var searcher = null, loading = false, failed = false, pending = false;
    var options = [], active = -1;

    function say(text) {
      count.textContent = text;
      live.textContent = text;
    }

    function open(show) {
      panel.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) setActive(-1);
    }

    /** Makes the searcher from the loaded index; false when there is none this script can read. */
    function ready() {
      try {
        searcher = new Searcher(global.continuitySearchIndex);
      } catch (error) {
        failed = true;
      }
      return !failed;
    }

    function load() {
      if (searcher || loading || failed) return;
      if (global.continuitySearchIndex) {
        ready();
        return;
      }
      loading = true;
      var script = document.createElement("script");
      script.src = box.getAttribute("data-index");
      script.onload = function () {
        loading = false;
        ready();
        if (pending) update();
      };
      script.onerror = function () {
        loading = false;
        failed = true;
        if (pending) update();
      };
      document.head.appendChild(script);
    }

    function update() {
      var query = input.value;
      pending = false;
      if (!query.trim()) {
        list.textContent = "";
        options = [];
        say("");
        open(false);
        return;
      }
      if (!searcher) load();
      if (!searcher) {
        list.textContent = "";
        options = [];
        if (failed) {
          say("Search is unavailable: the search index could not be loaded.");
        } else {
          pending = true;
          say("Loading the search index…");
        }
        open(true);
        return;
      }
      var found = searcher.search(query, LIMIT);
      list.textContent = "";
      options = found.results.map(function (result, index) {
        var option = resultOption(document, result, found.words, root);
        option.id = "search-option-" + index;
        list.appendChild(option);
        return option;
      });
      setActive(-1);
      if (found.total === 0) {
        say("No results for “" + query.trim() + "”.");
      } else if (found.total <= found.results.length) {
        say(found.total === 1 ? "1 result" : found.total + " results");
      } else {
        say("The first " + found.results.length + " of " + found.total + " results: type more to narrow them.");
      }
      open(true);
    }

    function setActive(index) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var option = options[index];
      if (!option) return;
      var link = option.querySelector("a");
      open(false);
      global.location.href = link.href;
    }

    input.addEventListener("focus", load);
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (panel.hidden) { update(); return; }
          if (options.length) setActive(active + 1 < options.length ? active + 1 : 0);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (options.length) setActive(active > 0 ? active - 1 : active === 0 ? -1 : options.length - 1);
          break;
        case "Enter":
          event.preventDefault();
          if (options.length) choose(active >= 0 ? active : 0);
          break;
        case "Escape":
          if (!panel.hidden) {
            event.preventDefault();
            open(false);
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            update();
          }
          break;
      }
    });
    box.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !box.contains(event.relatedTarget)) open(false);
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) open(false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      input.focus();
      input.select();
    });

    box.hidden = false;
  }

  /** One result: a listbox option holding a link, so that it can also be opened in a new tab. */
  function resultOption(document, result, words, root) {
    var option = document.createElement("li");
    option.className = "search-result";
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    var link = document.createElement("a");
    link.href = root + result.href;
    link.tabIndex = -1;
    var kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = result.section ? result.kind + " › " + result.section : result.kind;
    var title = document.createElement("span");
    title.className = "search-title";
    appendMarked(document, title, result.title, words);
    link.appendChild(title);
    link.appendChild(kind);
    if (result.snippet) {
      var snippet = document.createElement("span");
      snippet.className = "search-snippet";
      appendMarked(document, snippet, result.snippet, words);
      link.appendChild(snippet);
    }
    option.appendChild(link);
    return option;
  }

  /** Appends `text` to `parent`, with each word that starts with a query word in a <mark>. */
  function appendMarked(document, parent, text, words) {
    var at = 0, match;
    var pattern = new RegExp(WORD.source, "gu");
    while ((match = pattern.exec(text)) !== null) {
      var folded = fold(match[0]);
      var hit = words.some(function (word) { return folded.startsWith(word); });
      if (!hit) continue;
      if (match.index > at) parent.appendChild(document.createTextNode(text.slice(at, match.index)));
      var mark = document.createElement("mark");
      mark.textContent = match[0];
      parent.appendChild(mark);
      at = match.index + match[0].length;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  var api = { fold: fold, terms: terms, Searcher: Searcher };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    global.continuitySearch = api;
  }
  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { setup(document); });
    } else {
      setup(document);
    }
  }
})(typeof self !== "undefined" ? self : this);
