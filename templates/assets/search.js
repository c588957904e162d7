// mappa-ssg search: filters the list of reports on the search page by the words typed.
// Progressive enhancement only: without this script the page lists every report.
// No inline code or styles (the pages' Content-Security-Policy forbids both): items are
// shown and hidden with the `hidden` attribute.
(function () {
  "use strict";
  var index = window.mappaSearchIndex;
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var input = document.getElementById("search-page-q");
  if (!index || !list || !status || !input) { return; }

  var wordsById = {};
  index.forEach(function (entry) { wordsById[entry.id] = " " + entry.words + " "; });

  function terms(query) {
    return query.toLowerCase().split(/[^\w'’-]+/).filter(function (t) { return t.length > 1; });
  }

  function matches(words, query) {
    // Every term must start a word of the page: "offend" finds "offenders".
    return query.every(function (t) { return words.indexOf(" " + t) !== -1; });
  }

  function run(query) {
    var wanted = terms(query);
    var shown = 0;
    Array.prototype.forEach.call(list.querySelectorAll("li[data-search-id]"), function (item) {
      var ok = wanted.length === 0 || matches(wordsById[item.getAttribute("data-search-id")] || "", wanted);
      item.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (wanted.length === 0) {
      status.textContent = "Type a word to search the reports. All reports are listed below.";
    } else if (shown === 0) {
      status.textContent = "No report contains every word of \u201c" + query + "\u201d.";
    } else {
      status.textContent = shown + (shown === 1 ? " report contains " : " reports contain ") + "\u201c" + query + "\u201d.";
    }
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  run(input.value);
  input.addEventListener("input", function () { run(input.value); });
}());
