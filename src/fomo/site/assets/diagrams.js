// Mermaid diagrams from ```mermaid fences, drawn by the bundled copy of mermaid (no CDN).
(function () {
  "use strict";
  if (typeof mermaid === "undefined") return;
  var chosen = document.documentElement.dataset.theme;
  var dark = chosen ? chosen === "dark" : !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
  mermaid.run({ querySelector: "pre.mermaid" }).then(function () {
    document.querySelectorAll("pre.mermaid svg").forEach(function (svg) {
      if (!svg.getAttribute("role")) svg.setAttribute("role", "img");
      if (!svg.getAttribute("aria-label") && !svg.querySelector("title")) svg.setAttribute("aria-label", "Diagram");
    });
    document.documentElement.dataset.diagrams = "done";
  }, function (error) {
    document.documentElement.dataset.diagrams = "failed";
    if (window.console) console.warn("diagram failed", error);
  });
})();
