/* Search: help first for a reader in distress, then every result, loading only what a query needs.
 *
 * The index is many small plain scripts (compassion_site/output/search_index.py), each calling
 * __searchShard(name, data), so search also works in the offline copy opened from file://.
 * A query loads the term shards its words need and the entry shards of the results shown.
 * A query holding a crisis word (safety/crisis-words.*.yaml) shows the help card above the
 * results, built from search/help.js (compassion_site/safety/search_help.py). Everything is written
 * with textContent only: nothing loaded becomes markup. Enter moves to the results; it never
 * opens a guess.
 */
(function () {
  "use strict";
  var config = JSON.parse((document.getElementById("__config") || { textContent: "{}" }).textContent || "{}");
  var words = config.translations || {};
  var base = (config.base || ".").replace(/\/$/, "") + "/";
  var input = document.querySelector(".md-search__input");
  var meta = document.querySelector(".md-search-result__meta");
  var list = document.querySelector(".md-search-result__list");
  var help = null; /* the help card, built from search/help.js when search opens */
  var more = document.querySelector(".search-more");
  var results = meta.parentNode; /* aria-busy while a query's results load */
  if (!input || !meta || !list) return;
  var PAGE = 10; /* RESULTS_PER_PAGE in search_index.py */
  var PREFIX_FROM = 3; /* shorter terms match whole words only, or "se" would load every word in "se…" */
  var loaded = {};
  var waiting = {};
  var crisis = null;
  var entry = null;
  var current = { hits: [], shown: 0, run: 0 };

  /* The same steps as fold() in compassion_site/safety/search_help.py. */
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/['\u2019]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  window.__searchShard = function (name, data) {
    loaded[name] = data;
    (waiting[name] || []).forEach(function (done) { done(); });
    delete waiting[name];
  };

  function need(names, done) {
    var missing = names.filter(function (name) { return !(name in loaded); });
    var left = missing.length;
    if (!left) { done(); return; }
    missing.forEach(function (name) {
      if (waiting[name]) { waiting[name].push(finish); return; }
      waiting[name] = [finish];
      var script = document.createElement("script");
      script.src = base + "search/" + (name === "index" ? "search_index" : name) + ".js";
      script.onerror = function () { window.__searchShard(name, null); };
      document.head.appendChild(script);
    });
    function finish() { if (--left === 0) done(); }
  }

  function start() {
    need(["help", "index"], function () {
      crisis = loaded.help ? loaded.help.words : [];
      if (loaded.help && !help) help = buildCard(loaded.help.card);
      entry = loaded.index;
      if (entry) entry.pageSet = ungaps(entry.pages);
      render();
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function link(label, href, className) {
    var a = element("a", className, label);
    a.href = href;
    return a;
  }

  /* The card above the results: the region's lines as tel: and sms: links, then "Get help now". */
  function buildCard(card) {
    var section = element("section", "search-help");
    section.id = "search-help";
    section.hidden = true;
    section.setAttribute("aria-labelledby", "search-help-title");
    var title = element("h2", "search-help__title", card.title);
    title.id = "search-help-title";
    title.tabIndex = -1;
    section.appendChild(title);
    section.appendChild(element("p", "", card.text));
    var lines = element("ul", "search-help__lines");
    /* The emergency number first, then the crisis line: both on a phone's first screen. */
    var emergency = element("li");
    emergency.appendChild(document.createTextNode(card.emergency[0]));
    emergency.appendChild(link(card.emergency[1][0], card.emergency[1][1], "search-help__number"));
    emergency.appendChild(document.createTextNode(card.emergency[2]));
    lines.appendChild(emergency);
    card.lines.forEach(function (line) {
      var item = element("li");
      item.appendChild(element("span", "search-help__name", line.name));
      line.links.forEach(function (pair) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(link(pair[0], pair[1], "search-help__number"));
      });
      lines.appendChild(item);
    });
    section.appendChild(lines);
    var way = element("p");
    way.appendChild(link(card.help[0], base + card.help[1], "search-help__more"));
    section.appendChild(way);
    meta.parentNode.insertBefore(section, meta);
    return section;
  }

  function ungaps(text) {
    var out = {}, last = 0;
    text.split(",").forEach(function (part) { if (part) { last += parseInt(part, 36); out[last] = true; } });
    return out;
  }

  function ungapList(text) {
    var out = [], last = 0;
    text.split(",").forEach(function (part) { if (part) { last += parseInt(part, 36); out.push(last); } });
    return out;
  }

  function say(key, count) {
    return (words[key] || "").replace("#", String(count));
  }

  /* A crisis phrase as whole words of the query, or, for a phrase of several words, typed without spaces. */
  function inCrisis(query) {
    var spaced = " " + query + " ";
    var squashed = query.replace(/ /g, "");
    return (crisis || []).some(function (phrase) {
      return spaced.indexOf(" " + phrase + " ") >= 0 || (phrase.indexOf(" ") > 0 && squashed.indexOf(phrase.replace(/ /g, "")) >= 0);
    });
  }

  function render() {
    var query = fold(input.value);
    var terms = query.split(" ").filter(function (t) { return t.length > 1; });
    var run = ++current.run;
    if (help) help.hidden = !inCrisis(query);
    list.textContent = "";
    if (more) more.hidden = true;
    current.hits = [];
    current.shown = 0;
    if (!terms.length) { meta.textContent = say("search.result.placeholder"); results.setAttribute("aria-busy", "false"); return; }
    results.setAttribute("aria-busy", "true");
    if (!entry) { meta.textContent = say("search.result.initializer") || "…"; return; }
    var shards = [];
    var wanted = terms.map(function (term) {
      var mine = [];
      entry.shards.forEach(function (keys, i) {
        var hit = keys.split(" ").some(function (key) { return term.indexOf(key) === 0 || (term.length >= PREFIX_FROM && key.indexOf(term) === 0); });
        if (hit) { mine.push("t" + i); if (shards.indexOf("t" + i) < 0) shards.push("t" + i); }
      });
      return mine;
    });
    need(shards, function () {
      if (run !== current.run) return;
      var scores = null;
      terms.forEach(function (term, k) {
        var best = {};
        wanted[k].forEach(function (name) {
          var shard = loaded[name] || {};
          Object.keys(shard).forEach(function (word) {
            if (term.length < PREFIX_FROM ? word !== term : word.indexOf(term) !== 0) return;
            var lists = shard[word].split("|");
            ungapList(lists[1]).forEach(function (doc) { if (!best[doc]) best[doc] = 1; });
            ungapList(lists[0]).forEach(function (doc) { best[doc] = 10; });
          });
        });
        if (scores === null) { scores = best; return; }
        var both = {};
        Object.keys(scores).forEach(function (doc) { if (best[doc]) both[doc] = scores[doc] + best[doc]; });
        scores = both;
      });
      var hits = Object.keys(scores).map(function (doc) {
        return { doc: +doc, score: scores[doc] + (entry.pageSet[doc] ? 2 : 0) };
      });
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      current.hits = hits;
      meta.textContent = hits.length === 0 ? say("search.result.none") : hits.length === 1 ? say("search.result.one") : say("search.result.other", hits.length);
      showMore(run, false);
    });
  }

  /* The next page of results; `focus` moves focus to its first link (after "more" was pressed). */
  function showMore(run, focus) {
    var page = current.hits.slice(current.shown, current.shown + PAGE);
    var names = [];
    page.forEach(function (hit) {
      var name = "d" + Math.floor(hit.doc / entry.per);
      if (names.indexOf(name) < 0) names.push(name);
    });
    need(names, function () {
      if (run !== current.run) return;
      var first = null;
      page.forEach(function (hit) {
        var row = (loaded["d" + Math.floor(hit.doc / entry.per)] || [])[hit.doc % entry.per];
        if (!row) return;
        var item = document.createElement("li");
        item.className = "md-search-result__item";
        var link = document.createElement("a");
        link.className = "md-search-result__link";
        link.href = base + row[0];
        var article = document.createElement("article");
        article.className = "md-search-result__article md-typeset";
        var title = document.createElement("h2");
        title.textContent = row[1];
        var text = document.createElement("p");
        text.textContent = row[2];
        article.appendChild(title);
        article.appendChild(text);
        link.appendChild(article);
        item.appendChild(link);
        list.appendChild(item);
        first = first || link;
      });
      current.shown += page.length;
      results.setAttribute("aria-busy", "false");
      /* Focus moves first: hiding the focused "more" button would drop focus out of the
         panel, and site.js closes the panel when focus leaves it. */
      if (focus && first) first.focus();
      if (more) more.hidden = current.shown >= current.hits.length;
    });
  }

  input.addEventListener("focus", start);
  input.addEventListener("input", render);
  if (more) more.addEventListener("click", function () { showMore(current.run, true); });
  var form = input.form;
  if (form) {
    /* Enter: the reader asked to see the results, so focus goes to them (the help card first, if
       shown), which on a phone also closes the keyboard over them. Nothing is opened. */
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var target = help && !help.hidden ? document.getElementById("search-help-title") : meta;
      if (target) target.focus();
    });
    form.addEventListener("reset", function () { setTimeout(render, 0); });
  }
})();
