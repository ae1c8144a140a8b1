/* Session outlines: every box that names a topic of the map becomes a link to its page.
 *
 * The pictures are drawn by the `svg` export format, which knows nothing of the site (the same
 * picture goes on a slide), so the links are added here: a box's <title> is matched to the
 * map's titles (assets/map-data.js), the first topic of that title winning.
 */
(function () {
  "use strict";
  var M = window.FOMO_MAP;
  var holder = document.querySelector("[data-topics-prefix]");
  if (!M || !holder) return;
  var prefix = holder.getAttribute("data-topics-prefix");
  var byTitle = new Map();
  for (var j = 0; j < M.id.length; j++) if (!byTitle.has(M.t[j])) byTitle.set(M.t[j], M.id[j]);
  var SVG = "http://www.w3.org/2000/svg";
  holder.querySelectorAll("svg.branch-picture").forEach(function (svg) {
    var linked = 0;
    svg.querySelectorAll("g").forEach(function (box) {
      var title = box.querySelector("title");
      var id = title && byTitle.get(title.textContent);
      if (!id) return;
      var link = document.createElementNS(SVG, "a");
      link.setAttribute("href", prefix + encodeURIComponent(id) + ".html");
      box.parentNode.insertBefore(link, box);
      link.appendChild(box);
      linked++;
    });
    // a picture with links is a group of links, not one image
    if (linked) svg.setAttribute("role", "group");
  });
})();
