/* The tree navigation on topic pages, drawn from the map's data (assets/map-data.js, the file
 * the home map already loads, so the browser has it cached): the top-level branches, the branch
 * of this page open down to it, every other branch folded and filled only when unfolded.
 *
 * Why in the browser: written into each page, the tree would make every topic page as large
 * as the map (MkDocs' cost); the page itself carries only its path, which this replaces.
 */
(function () {
  "use strict";
  var M = window.FOMO_MAP;
  var nav = document.getElementById("tree-nav");
  if (!M || !nav || !M.id.length) return;
  var here = nav.getAttribute("data-topic");
  var n = M.id.length;
  var children = new Array(n);
  var index = new Map();
  for (var j = 0; j < n; j++) {
    index.set(M.id[j], j);
    if (M.p[j] >= 0) (children[M.p[j]] || (children[M.p[j]] = [])).push(j);
  }
  var current = index.get(here);
  if (current === undefined) return;
  var onPath = new Set();
  for (var a = current; a >= 0; a = M.p[a]) onPath.add(a);
  var prefix = nav.getAttribute("data-prefix") || "";

  function link(node) {
    var anchor = document.createElement("a");
    anchor.href = prefix + encodeURIComponent(M.id[node]) + ".html";
    anchor.textContent = M.t[node];
    if (node === current) anchor.setAttribute("aria-current", "page");
    return anchor;
  }
  function list(node) {
    var ul = document.createElement("ul");
    (children[node] || []).forEach(function (child) { ul.appendChild(item(child)); });
    return ul;
  }
  // A branch is a fold button beside its link (a link inside <summary> would nest two controls).
  function item(node) {
    var li = document.createElement("li");
    if (!children[node]) { li.appendChild(link(node)); return li; }
    var open = onPath.has(node), sub = null;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "fold";
    button.setAttribute("aria-label", M.t[node] + ": subtopics");
    function show() {
      button.setAttribute("aria-expanded", String(open));
      if (open && !sub) { sub = list(node); li.appendChild(sub); }
      if (sub) sub.hidden = !open;
    }
    button.addEventListener("click", function () { open = !open; show(); });
    li.className = "branch";
    li.appendChild(button);
    li.appendChild(link(node));
    show();
    return li;
  }
  var top = 0;
  while (M.p[top] >= 0) top = M.p[top];
  var tree = document.createElement("ul");
  var rootItem = document.createElement("li");
  rootItem.className = "tree-root";
  rootItem.appendChild(link(top));
  tree.appendChild(rootItem);
  (children[top] || []).forEach(function (child) { tree.appendChild(item(child)); });
  var body = nav.querySelector(".tree-body");
  body.textContent = "";
  body.appendChild(tree);
  var mark = body.querySelector("[aria-current]");
  if (mark && body.scrollHeight > body.clientHeight) body.scrollTop = Math.max(0, mark.offsetTop - body.clientHeight / 3);
})();
