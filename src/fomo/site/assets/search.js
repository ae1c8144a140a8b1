// The search page: Pagefind's own UI over the index `fomo build` wrote to pagefind/.
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
  if (query) ui.triggerSearch(query);
})();
