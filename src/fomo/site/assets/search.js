// The search page: Pagefind's own UI (themed by style.css) over the index `fomo build` wrote
// to pagefind/; the header's box is hidden here, so this is the page's one search box.
(function () {
  "use strict";
  var query = new URLSearchParams(location.search).get("q") || "";
  var box = document.getElementById("site-search-q");
  if (box) box.value = query;
  if (location.protocol === "file:" || typeof PagefindUI === "undefined") {
    document.getElementById("search-offline").hidden = false;
    return;
  }
  var input = null; // Pagefind's box, once its UI exists
  var WORD = /([\p{L}\p{N}]+)/u;
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function words(text) {
    return text.toLowerCase().split(WORD).filter(function (piece, i) { return i % 2; });
  }

  function escaped(text) {
    return text.replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  // `text` as HTML with each word that begins like a searched word marked, as Pagefind marks
  // its own excerpts.
  function marked(text, searched) {
    return text.split(WORD).map(function (piece, i) {
      var lower = piece.toLowerCase();
      var hit = i % 2 && searched.some(function (w) { return lower.indexOf(w) === 0; });
      return hit ? "<mark>" + escaped(piece) + "</mark>" : escaped(piece);
    }).join("");
  }

  // The map's own data (assets/map-data.js, which topic pages load too): a topic's essence,
  // parent and aliases by its id. Pagefind's metadata would be searched as page text, and a
  // parent's title must not make its children match.
  var map = window.FOMO_MAP;
  var position = Object.create(null);
  if (map) map.id.forEach(function (id, i) { position[id] = i; });
  var TOPIC_URL = /\/topics\/([^/]+)\.html$/;

  // The text of Pagefind's excerpt HTML (its marks and entities); a template element parses
  // without loading or running anything.
  function textOf(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.textContent || "";
  }

  // Whether the excerpt's window opens inside the title (Pagefind may start it mid-title).
  function startsInTitle(plain, title) {
    var text = plain.split(/\s+/).join(" ").trim();
    var names = title.split(/\s+/);
    return names.some(function (_, k) { return text.indexOf(names.slice(k).join(" ")) === 0; });
  }

  // Pagefind's excerpt is a window of the page around the matches; when the match is the
  // topic's title or aliases, that window repeats the title and lists aliases, which the
  // result already shows, so the result reads as the topic page does: its essence under the
  // title, and where it sits and its other names as tags.
  function topicResult(result) {
    var found = TOPIC_URL.exec(result.url || "");
    var i = found ? position[decodeURIComponent(found[1])] : undefined;
    if (i === undefined) return result;
    var plain = textOf(result.excerpt);
    if (/Also known as:/.test(plain) || startsInTitle(plain, map.t[i])) {
      result.excerpt = marked(map.e[i], words(input ? input.value || query : query));
    }
    if (map.p[i] >= 0) result.meta["in"] = map.t[map.p[i]];
    if (map.a[i]) result.meta["also known as"] = map.a[i].split("|").join(", ");
    return result;
  }

  var ui = new PagefindUI({
    element: "#search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    processResult: topicResult,
  });
  // Pagefind's box has a placeholder but no label: name it for screen readers.
  input = document.querySelector("#search .pagefind-ui__search-input");
  if (input) input.setAttribute("aria-label", "Search the site");
  if (query) ui.triggerSearch(query);
})();
