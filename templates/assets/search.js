// mappa-ssg search: finds the sections of every report that hold all the words typed, with lunr
// (assets/lunr.min.js) and the index made at build time (search/index.js; see mappa_ssg/search.py).
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
  if (!data || !data.index || !lunr || !reports || !results || !status || !input) { return; }

  var index = lunr.Index.load(data.index);
  var SNIPPET_BEFORE = 12, SNIPPET_AFTER = 24, MAX_RESULTS = 50;

  var words = data.words;

  // A word as the index holds it: lower case, trimmed of punctuation, then its stem as the
  // index was built with (lunr.py's; see mappa_ssg/search.py), or lunr.js's for a word that no
  // report contains.
  function trim(word) { return lunr.trimmer(new lunr.Token(word.toLowerCase())).toString(); }
  function stemOf(word) {
    if (Object.prototype.hasOwnProperty.call(words, word)) { return words[word] || word; }
    return lunr.stemmer(new lunr.Token(word)).toString();
  }
  function stem(word) { return stemOf(trim(word)); }

  // The words of a query to look for: split as the index was, common words ("the") dropped.
  function queryStems(text) {
    return lunr.tokenizer(text).map(function (t) { return lunr.trimmer(t); })
      .filter(function (t) { return t.toString().length > 0 && lunr.stopWordFilter(t); })
      .map(function (t) { return stemOf(t.toString()); });
  }

  function find(stems) {
    return index.query(function (q) {
      stems.forEach(function (s) { q.term(s, { presence: lunr.Query.presence.REQUIRED, usePipeline: false }); });
    });
  }

  // A few words around the first word of the section that matches, matches marked.
  function snippet(text, stems) {
    var parts = text.split(/\s+/);
    var hits = parts.map(function (w) { return stems.indexOf(stem(w)) !== -1; });
    var first = hits.indexOf(true);
    var start = Math.max(0, (first === -1 ? 0 : first) - SNIPPET_BEFORE);
    var end = Math.min(parts.length, start + SNIPPET_BEFORE + SNIPPET_AFTER);
    var p = document.createElement("p");
    p.className = "snippet";
    if (start > 0) { p.appendChild(document.createTextNode("\u2026 ")); }
    for (var i = start; i < end; i += 1) {
      if (hits[i]) {
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

  function show(found, stems) {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    found.slice(0, MAX_RESULTS).forEach(function (hit) {
      var doc = data.docs[Number(hit.ref)];
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = doc.url;
      link.textContent = doc.title;
      var context = document.createElement("span");
      context.className = "meta";
      context.textContent = doc.context;
      li.appendChild(link);
      li.appendChild(context);
      li.appendChild(snippet(doc.text, stems));
      results.appendChild(li);
    });
  }

  function count(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function run(query) {
    var stems = queryStems(query);
    if (stems.length === 0) {
      results.hidden = true;
      reports.hidden = false;
      status.textContent = query.trim() ? "Type a longer word: \u201c" + query + "\u201d is too common to search for. All reports are listed below."
        : "Type a word to search the reports. All reports are listed below.";
      return;
    }
    var found = find(stems);
    show(found, stems);
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
