// mappa-ssg search: finds the sections of every report that hold all the words typed.
// search/index.js holds only the sections' text (see mappa_ssg/search.py); this script indexes it
// when the page opens, with lunr.js's word splitting, stop words and English stemmer
// (assets/lunr.min.js), used alike for the sections and for what the reader types.
// Progressive enhancement only: without this script the page lists every report.
// No inline code or styles (the pages' Content-Security-Policy forbids both): results are built
// with DOM methods and shown or hidden with the `hidden` attribute.
(function () {
  "use strict";
  var data = window.mappaSearch;
  var lunr = window.lunr;
  var reports = document.getElementById("search-reports");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var input = document.getElementById("search-page-q");
  if (!data || !data.docs || !lunr || !reports || !results || !status || !input) { return; }

  var SNIPPET_BEFORE = 12, SNIPPET_AFTER = 24, MAX_RESULTS = 50;
  // A word in a section's title counts five times, in its report's name twice (as lunr's field
  // boosts did); BM25's usual constants (lunr's too).
  var FIELDS = ["title", "context", "text"], BOOSTS = [5, 2, 1], K1 = 1.2, B = 0.75;
  var docs = data.docs;

  // Each distinct term has a number, and the sections holding it listed under that number, as
  // [section, count in title, count in context, count in text, ...] in section order.
  var postings = [], termNumbers = new Map();
  // The term number of a word: lower case, trimmed of punctuation, then stemmed; -1 for a common
  // word ("the") or bare punctuation. A large archive has a million words but only thousands of
  // distinct ones, so each is worked out once.
  var numberOfWord = new Map();
  function termOf(word) {
    var number = numberOfWord.get(word);
    if (number === undefined) {
      var token = lunr.trimmer(new lunr.Token(word));
      number = -1;
      if (token.toString() && lunr.stopWordFilter(token)) {
        var term = lunr.stemmer(token).toString();
        number = termNumbers.get(term);
        if (number === undefined) { number = postings.length; termNumbers.set(term, number); postings.push([]); }
      }
      numberOfWord.set(word, number);
    }
    return number;
  }
  // The words of a text, split where lunr's tokenizer splits (spaces and hyphens).
  function wordsOf(text) { return text.toLowerCase().split(lunr.tokenizer.separator); }

  // The index: each field of each section counted into its terms' lists, in section order (so
  // a section's entry, if it has one yet, is the last of a list). Field lengths for BM25.
  var lengths = FIELDS.map(function () { return new Float64Array(docs.length); });
  var averages = FIELDS.map(function () { return 0; });
  for (var d = 0; d < docs.length; d += 1) {
    for (var f = 0; f < FIELDS.length; f += 1) {
      var words = wordsOf(docs[d][FIELDS[f]]), length = 0;
      for (var w = 0; w < words.length; w += 1) {
        var number = words[w] ? termOf(words[w]) : -1;
        if (number === -1) { continue; }
        var list = postings[number];
        if (list.length === 0 || list[list.length - 4] !== d) { list.push(d, 0, 0, 0); }
        list[list.length - 3 + f] += 1;
        length += 1;
      }
      lengths[f][d] = length;
      averages[f] += length / docs.length;
    }
  }

  // The sections holding every term, best first: the sum over terms and fields of BM25 weights.
  function find(terms) {
    var scores = new Map();
    terms.forEach(function (number, t) {
      var list = postings[number];
      var holding = list.length / 4;
      var idf = Math.log(1 + Math.abs((docs.length - holding + 0.5) / (holding + 0.5)));
      var next = new Map();
      for (var i = 0; i < list.length; i += 4) {
        var d = list[i];
        if (t > 0 && !scores.has(d)) { continue; }  // lacks an earlier term
        var score = t > 0 ? scores.get(d) : 0;
        for (var f = 0; f < FIELDS.length; f += 1) {
          var tf = list[i + 1 + f];
          if (tf > 0) {
            var norm = averages[f] > 0 ? lengths[f][d] / averages[f] : 1;
            score += BOOSTS[f] * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * norm));
          }
        }
        next.set(d, score);
      }
      scores = next;
    });
    var found = [];
    scores.forEach(function (score, d) { found.push({ doc: d, score: score }); });
    return found.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
  }

  // The distinct terms of a query (as term numbers); common words ("the") dropped.
  function queryTerms(text) {
    return wordsOf(text).map(function (word) { return word ? termOf(word) : -1; })
      .filter(function (number, i, all) { return number !== -1 && all.indexOf(number) === i; });
  }

  // Whether a word of the text (as split at spaces) is, or holds, one of the terms looked for.
  function matches(word, terms) {
    return wordsOf(word).some(function (part) { return part !== "" && terms.indexOf(termOf(part)) !== -1; });
  }

  // A few words around the first word of the section that matches, matches marked.
  function snippet(text, terms) {
    var parts = text.split(/\s+/);
    var first = 0;  // only the words up to the first match and around it are looked at
    while (first < parts.length && !matches(parts[first], terms)) { first += 1; }
    var start = Math.max(0, (first === parts.length ? 0 : first) - SNIPPET_BEFORE);
    var end = Math.min(parts.length, start + SNIPPET_BEFORE + SNIPPET_AFTER);
    var p = document.createElement("p");
    p.className = "snippet";
    if (start > 0) { p.appendChild(document.createTextNode("\u2026 ")); }
    for (var i = start; i < end; i += 1) {
      if (i >= first && matches(parts[i], terms)) {
        var mark = document.createElement("mark");
        mark.textContent = parts[i];
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(parts[i]));
      }
      if (i < end - 1) { p.appendChild(document.createTextNode(" ")); }
    }
    if (end < parts.length) { p.appendChild(document.createTextNode(" \u2026")); }
    return p;
  }

  function show(found, terms) {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    found.slice(0, MAX_RESULTS).forEach(function (hit) {
      var doc = docs[hit.doc];
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = doc.url;
      link.textContent = doc.title;
      var context = document.createElement("span");
      context.className = "meta";
      context.textContent = doc.context;
      li.appendChild(link);
      li.appendChild(context);
      li.appendChild(snippet(doc.text, terms));
      results.appendChild(li);
    });
  }

  function count(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function run(query) {
    var terms = queryTerms(query);
    if (terms.length === 0) {
      results.hidden = true;
      reports.hidden = false;
      status.textContent = query.trim() ? "Type a longer word: \u201c" + query + "\u201d is too common to search for. All reports are listed below."
        : "Type a word to search the reports. All reports are listed below.";
      return;
    }
    var found = find(terms);
    show(found, terms);
    results.hidden = false;
    reports.hidden = true;
    if (found.length === 0) {
      status.textContent = "No section of any report contains every word of \u201c" + query + "\u201d.";
    } else {
      status.textContent = count(found.length, "section contains", "sections contain") + " every word of \u201c" + query + "\u201d" +
        (found.length > MAX_RESULTS ? "; the first " + MAX_RESULTS + " are shown." : ".");
    }
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  run(input.value);
  input.addEventListener("input", function () { run(input.value); });
}());
