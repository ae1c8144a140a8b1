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
  var ui = new PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
  // Pagefind's box has a placeholder but no label: name it for screen readers.
  var input = document.querySelector("#search .pagefind-ui__search-input");
  if (input) input.setAttribute("aria-label", "Search the site");
  if (query) ui.triggerSearch(query);
})();
