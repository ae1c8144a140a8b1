/* FOMO mind map: our own canvas renderer, built to stay smooth at 10,000+ nodes.
 *
 * Why canvas: SVG/DOM mind maps (markmap and friends) create several elements per node and
 * re-layout them on every fold, which is what makes them lag past a couple of thousand nodes.
 * Here the tree lives in typed arrays, layout is one linear pass over the visible nodes, and a
 * frame draws only what intersects the viewport (labels are skipped when zoomed far out).
 *
 * Data (assets/map-data.js): window.FOMO_MAP = {id:[], t:[titles], p:[parent index],
 * e:[essences], a:["alias|alias"], c:[colour per top-level branch]}, nodes in depth-first order.
 * User text only ever reaches the page through textContent or canvas fillText: never as HTML.
 */
(function () {
  "use strict";
  var M = window.FOMO_MAP;
  var canvas = document.getElementById("map-canvas");
  if (!M || !canvas || !M.id.length) return;

  var n = M.id.length;
  var FONT_PX = 14, ROW = 28, GAP = 44, MAXW = 260, R = 5, LOD_SCALE = 0.38;
  var ctx = canvas.getContext("2d", { alpha: false });
  var stage = canvas.parentElement;
  var tooltip = document.getElementById("map-tooltip");
  var panel = document.getElementById("map-selected");
  var searchBox = document.getElementById("map-search");
  var results = document.getElementById("map-results");
  var levelSelect = document.getElementById("map-level");

  // ---- tree structure (parents precede children: depth-first order) ----
  var parent = new Int32Array(n), depth = new Uint16Array(n), branch = new Int32Array(n);
  var childCount = new Int32Array(n), childStart = new Int32Array(n + 1), childList = new Int32Array(n);
  var i, k;
  for (i = 0; i < n; i++) {
    parent[i] = M.p[i];
    if (parent[i] >= 0) childCount[parent[i]]++;
  }
  for (i = 0; i < n; i++) childStart[i + 1] = childStart[i] + childCount[i];
  var fill = new Int32Array(n);
  var branchCount = 0;
  for (i = 0; i < n; i++) {
    var p = parent[i];
    if (p >= 0) {
      childList[childStart[p] + fill[p]++] = i;
      depth[i] = depth[p] + 1;
      branch[i] = depth[i] === 1 ? branchCount++ : branch[p];
    } else {
      depth[i] = 0;
      branch[i] = -1;
    }
  }
  var roots = [];
  for (i = 0; i < n; i++) if (parent[i] < 0) roots.push(i);
  var root = roots[0];
  var colours = M.c && M.c.length ? M.c : ["#2f7ed8"];
  function colourOf(node) { return branch[node] < 0 ? "#888888" : colours[branch[node] % colours.length]; }
  var idIndex = null;
  function indexOfId(id) {
    if (!idIndex) { idIndex = new Map(); for (var j = 0; j < n; j++) idIndex.set(M.id[j], j); }
    var found = idIndex.get(id);
    return found === undefined ? -1 : found;
  }

  // ---- state ----
  var expanded = new Uint8Array(n);
  var visible = new Uint8Array(n);
  var vis = new Int32Array(n), visCount = 0;
  var X = new Float32Array(n), Y = new Float32Array(n), W = new Float32Array(n).fill(-1);
  var label = new Array(n);
  var scale = 1, tx = 0, ty = 0, dpr = 1, viewW = 0, viewH = 0;
  var selected = -1, hovered = -1, highlighted = -1;
  var dirty = false;
  var colors = {};
  var stats = { layoutMs: 0, drawMs: 0, frames: 0 };

  function readColours() {
    var style = getComputedStyle(document.documentElement);
    colors.bg = style.getPropertyValue("--bg").trim() || "#fff";
    colors.fg = style.getPropertyValue("--fg").trim() || "#111";
    colors.muted = style.getPropertyValue("--muted").trim() || "#666";
    colors.focus = style.getPropertyValue("--focus").trim() || "#c2410c";
    colors.soft = style.getPropertyValue("--soft").trim() || "#eee";
  }

  var FONT = FONT_PX + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var BOLD = "600 " + FONT;
  var OVERVIEW_PX = 12, OVERVIEW_FONT = "600 " + OVERVIEW_PX + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  function measure(node) {
    if (W[node] >= 0) return W[node];
    ctx.font = depth[node] === 0 ? BOLD : FONT;
    var text = M.t[node], width = ctx.measureText(text).width;
    if (width > MAXW) {
      var lo = 1, hi = text.length;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (ctx.measureText(text.slice(0, mid) + "…").width <= MAXW) lo = mid; else hi = mid - 1;
      }
      text = text.slice(0, lo) + "…";
      width = ctx.measureText(text).width;
    }
    label[node] = text;
    W[node] = width;
    return width;
  }

  // ---- layout: one pass for the visible list, one for rows, one back up for parents ----
  function layout() {
    var t0 = performance.now();
    for (k = 0; k < visCount; k++) visible[vis[k]] = 0;
    visCount = 0;
    var stack = [];
    for (k = roots.length - 1; k >= 0; k--) stack.push(roots[k]);
    var colW = [];
    while (stack.length) {
      var node = stack.pop();
      vis[visCount++] = node;
      visible[node] = 1;
      var w = measure(node), d = depth[node];
      if (colW[d] === undefined || colW[d] < w) colW[d] = w;
      if (expanded[node]) for (var c = childStart[node + 1] - 1; c >= childStart[node]; c--) stack.push(childList[c]);
    }
    var colX = [0];
    for (var d2 = 1; d2 < colW.length; d2++) colX[d2] = colX[d2 - 1] + colW[d2 - 1] + GAP + 2 * R + 8;
    var row = 0;
    for (k = 0; k < visCount; k++) {
      var v = vis[k];
      X[v] = colX[depth[v]];
      if (!(expanded[v] && childCount[v])) Y[v] = (row++) * ROW;
    }
    for (k = visCount - 1; k >= 0; k--) {
      var u = vis[k];
      if (expanded[u] && childCount[u]) Y[u] = (Y[childList[childStart[u]]] + Y[childList[childStart[u + 1] - 1]]) / 2;
    }
    stats.layoutMs = performance.now() - t0;
    schedule();
  }

  // ---- drawing ----
  function schedule() {
    if (!dirty) { dirty = true; requestAnimationFrame(draw); }
  }

  function draw() {
    dirty = false;
    var t0 = performance.now();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, viewW, viewH);
    ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * tx, dpr * ty);
    var x0 = -tx / scale, y0 = -ty / scale, x1 = x0 + viewW / scale, y1 = y0 + viewH / scale;
    var margin = ROW;
    var detailed = scale >= LOD_SCALE;
    var paths = [];
    for (var c = 0; c < colours.length; c++) paths.push(new Path2D());
    var greyPath = new Path2D();
    var drawn = [];
    for (k = 0; k < visCount; k++) {
      var v = vis[k];
      var yv = Y[v], xv = X[v], wv = W[v];
      var path = branch[v] < 0 ? greyPath : paths[branch[v] % colours.length];
      var p = parent[v];
      if (p >= 0) {
        var yp = Y[p];
        var lowY = yv < yp ? yv : yp, highY = yv < yp ? yp : yv;
        if (highY + margin >= y0 && lowY - margin <= y1 && xv >= x0 && X[p] <= x1) {
          var sx = X[p] + W[p] + 2 * R + 4, sy = yp, ex = xv, ey = yv + 9;
          path.moveTo(sx, sy);
          if (detailed) {
            var mx = (sx + ex) / 2;
            path.bezierCurveTo(mx, sy, mx, ey, ex, ey);
          } else {
            path.lineTo(ex, ey);
          }
        }
      }
      if (yv + margin < y0 || yv - margin > y1 || xv > x1 || xv + wv + 2 * R + 10 < x0) continue;
      path.moveTo(xv, yv + 9);
      path.lineTo(xv + wv + 4, yv + 9);
      drawn.push(v);
    }
    ctx.lineWidth = 1.6;
    for (c = 0; c < colours.length; c++) { ctx.strokeStyle = colours[c]; ctx.stroke(paths[c]); }
    ctx.strokeStyle = colors.muted;
    ctx.stroke(greyPath);
    if (detailed) {
      ctx.textBaseline = "middle";
      ctx.fillStyle = colors.fg;
      ctx.font = FONT;
      for (k = 0; k < drawn.length; k++) {
        v = drawn[k];
        if (v === selected || v === highlighted) {
          ctx.fillStyle = colors.soft;
          ctx.fillRect(X[v] - 5, Y[v] - ROW / 2 + 1, W[v] + 10, ROW - 2);
          ctx.strokeStyle = colors.focus;
          ctx.lineWidth = 2;
          ctx.strokeRect(X[v] - 5, Y[v] - ROW / 2 + 1, W[v] + 10, ROW - 2);
          ctx.fillStyle = colors.fg;
        }
        if (depth[v] === 0) { ctx.font = BOLD; ctx.fillText(label[v], X[v], Y[v]); ctx.font = FONT; }
        else ctx.fillText(label[v], X[v], Y[v]);
      }
      ctx.lineWidth = 1.6;
      for (k = 0; k < drawn.length; k++) {
        v = drawn[k];
        if (!childCount[v]) continue;
        var cx = X[v] + W[v] + R + 4, cy = Y[v] + (depth[v] === 0 ? 0 : 9);
        if (depth[v] === 0) cy = Y[v];
        ctx.beginPath();
        ctx.arc(cx, cy, R, 0, 6.2832);
        var col = colourOf(v);
        ctx.fillStyle = expanded[v] ? colors.bg : col;
        ctx.fill();
        ctx.strokeStyle = col;
        ctx.stroke();
      }
    } else {
      if (selected >= 0 && visible[selected]) {
        ctx.strokeStyle = colors.focus;
        ctx.lineWidth = 3 / scale;
        ctx.strokeRect(X[selected] - 5, Y[selected] - ROW / 2, W[selected] + 10, ROW);
      }
      drawOverview(drawn);
    }
    stats.drawMs = performance.now() - t0;
    stats.frames++;
  }

  // Zoomed out too far for titles at map scale: name the root and the top-level branches at a
  // readable screen size, on a backing so lines do not cross them, skipping any label that
  // would overlap the one above it (nodes come in depth-first order, so top to bottom).
  function drawOverview(drawn) {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = OVERVIEW_FONT;
    ctx.textBaseline = "middle";
    var lastBottom = -Infinity, h = OVERVIEW_PX + 6;
    for (k = 0; k < drawn.length; k++) {
      var v = drawn[k];
      if (depth[v] > 1) continue;
      var sx = X[v] * scale + tx, sy = Y[v] * scale + ty;
      if (depth[v] === 1 && sy - h / 2 < lastBottom) continue;
      var text = label[v], w = ctx.measureText(text).width;
      if (depth[v] === 0) sx = Math.max(4, sx - w - 8);  // the root's name to its left
      ctx.globalAlpha = 0.88;
      ctx.fillStyle = colors.bg;
      ctx.fillRect(sx - 3, sy - h / 2, w + 6, h);
      ctx.globalAlpha = 1;
      ctx.fillStyle = depth[v] === 0 ? colors.fg : colourOf(v);
      ctx.fillText(text, sx, sy);
      if (depth[v] === 1) lastBottom = sy + h / 2;
    }
  }

  // ---- view ----
  function resize() {
    dpr = window.devicePixelRatio || 1;
    viewW = stage.clientWidth;
    viewH = stage.clientHeight;
    canvas.width = Math.max(1, Math.round(viewW * dpr));
    canvas.height = Math.max(1, Math.round(viewH * dpr));
    schedule();
  }

  function zoomAt(factor, px, py) {
    var next = Math.min(4, Math.max(0.02, scale * factor));
    tx = px - (px - tx) * (next / scale);
    ty = py - (py - ty) * (next / scale);
    scale = next;
    schedule();
  }

  // Fit every visible node into the view, centred both ways. A large map fits only at a
  // small scale; the overview then still names the root and the branches (see drawOverview).
  function fit() {
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (k = 0; k < visCount; k++) {
      var v = vis[k], right = X[v] + W[v] + 2 * R + 8;
      if (X[v] < minX) minX = X[v];
      if (right > maxX) maxX = right;
      if (Y[v] < minY) minY = Y[v];
      if (Y[v] > maxY) maxY = Y[v];
    }
    if (!visCount) return;
    minY -= ROW / 2; maxY += ROW / 2;
    var pad = 16;
    var bw = Math.max(1, maxX - minX), bh = Math.max(1, maxY - minY);
    scale = Math.max(0.02, Math.min(1.2, (viewW - 2 * pad) / bw, (viewH - 2 * pad) / bh));
    tx = viewW / 2 - (minX + maxX) / 2 * scale;
    ty = viewH / 2 - (minY + maxY) / 2 * scale;
    schedule();
  }

  function centerOn(node) {
    if (scale < 0.8) scale = 1;
    tx = viewW / 2 - (X[node] + W[node] / 2) * scale;
    ty = viewH / 2 - Y[node] * scale;
    schedule();
  }

  function ensureInView(node) {
    var sx = X[node] * scale + tx, sy = Y[node] * scale + ty;
    if (sx < 10 || sy < ROW || sx + W[node] * scale > viewW - 10 || sy > viewH - ROW) centerOn(node);
    else schedule();
  }

  // ---- folding ----
  function expandToLevel(level) {
    for (var j = 0; j < n; j++) expanded[j] = depth[j] < level ? 1 : 0;
    layout();
  }
  function toggle(node) {
    if (!childCount[node]) return;
    expanded[node] = expanded[node] ? 0 : 1;
    var before = Y[node];
    layout();
    ty += (before - Y[node]) * scale; // keep the toggled node where the pointer is
    schedule();
  }
  function reveal(node) {
    for (var a = parent[node]; a >= 0; a = parent[a]) expanded[a] = 1;
    layout();
  }

  // ---- selection and panel ----
  function topicUrl(node) { return "topics/" + encodeURIComponent(M.id[node]) + ".html"; }

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (attrs) for (var key in attrs) e.setAttribute(key, attrs[key]);
    return e;
  }

  function select(node, options) {
    selected = node;
    if (node < 0) return;
    if (!visible[node]) reveal(node);
    if (!options || options.center !== false) ensureInView(node); else schedule();
    panel.textContent = "";
    var chain = [];
    for (var a = parent[node]; a >= 0; a = parent[a]) chain.unshift(a);
    if (chain.length) {
      var path = el("ol", null, { "aria-label": "Path in the map" });
      chain.forEach(function (step) {
        var li = el("li");
        li.appendChild(el("a", M.t[step], { href: topicUrl(step) }));
        path.appendChild(li);
      });
      panel.appendChild(path);
    }
    panel.appendChild(el("h2", M.t[node]));
    if (M.a[node]) panel.appendChild(el("p", "Also: " + M.a[node].split("|").join(", ")));
    if (M.e[node]) panel.appendChild(el("p", M.e[node]));
    var info = childCount[node] ? childCount[node] + (childCount[node] === 1 ? " subtopic" : " subtopics") + (expanded[node] ? "" : " (folded)") : "No subtopics";
    panel.appendChild(el("p", info, { "class": "meta" }));
    var open = el("a", "Open the page of " + M.t[node], { href: topicUrl(node), id: "map-open-page" });
    var p = el("p"); p.appendChild(open); panel.appendChild(p);
    if (history.replaceState) history.replaceState(null, "", "#topic=" + encodeURIComponent(M.id[node]));
  }

  // ---- pointer input: pan, pinch, hover, click ----
  function hit(px, py) {
    var wx = (px - tx) / scale, wy = (py - ty) / scale;
    for (k = 0; k < visCount; k++) {
      var v = vis[k];
      if (Math.abs(wy - Y[v]) > ROW / 2 || wx < X[v] - 4) continue;
      var end = X[v] + W[v] + (childCount[v] ? 2 * R + 8 : 4);
      if (wx > end) continue;
      return { node: v, toggle: childCount[v] > 0 && wx > X[v] + W[v] + 2 };
    }
    return null;
  }

  var pointers = new Map(), moved = false, downAt = null, pinchDist = 0;
  function localPoint(event) {
    var rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }
  canvas.addEventListener("pointerdown", function (event) {
    canvas.setPointerCapture(event.pointerId);
    var pt = localPoint(event);
    pointers.set(event.pointerId, pt);
    if (pointers.size === 1) { moved = false; downAt = pt; }
    else if (pointers.size === 2) { moved = true; pinchDist = pinchDistance(); }
    hideTooltip();
  });
  function pinchDistance() {
    var pts = Array.from(pointers.values());
    return Math.hypot(pts[0].x - pts[1].x, pts[0].y - pts[1].y);
  }
  canvas.addEventListener("pointermove", function (event) {
    var pt = localPoint(event);
    if (!pointers.has(event.pointerId)) { hover(pt); return; }
    var last = pointers.get(event.pointerId);
    if (pointers.size === 2) {
      var pts = Array.from(pointers.values());
      var midBefore = { x: (pts[0].x + pts[1].x) / 2, y: (pts[0].y + pts[1].y) / 2 };
      pointers.set(event.pointerId, pt);
      pts = Array.from(pointers.values());
      var mid = { x: (pts[0].x + pts[1].x) / 2, y: (pts[0].y + pts[1].y) / 2 };
      var dist = pinchDistance();
      tx += mid.x - midBefore.x;
      ty += mid.y - midBefore.y;
      if (pinchDist > 0) zoomAt(dist / pinchDist, mid.x, mid.y);
      pinchDist = dist;
      schedule();
      return;
    }
    if (!moved && Math.hypot(pt.x - downAt.x, pt.y - downAt.y) > 4) { moved = true; canvas.style.cursor = "grabbing"; }
    if (moved) { tx += pt.x - last.x; ty += pt.y - last.y; schedule(); }
    pointers.set(event.pointerId, pt);
  });
  function release(event) {
    var wasSingle = pointers.size === 1;
    pointers.delete(event.pointerId);
    canvas.style.cursor = "";
    if (event.type === "pointerup" && wasSingle && !moved) {
      var found = hit(localPoint(event).x, localPoint(event).y);
      if (found) {
        if (found.toggle) { selected = found.node; toggle(found.node); select(found.node, { center: false }); }
        else window.location.href = topicUrl(found.node);
      }
    }
  }
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", release);
  canvas.addEventListener("pointerleave", function () { if (!pointers.size) hideTooltip(); });
  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    var pt = localPoint(event);
    var delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    zoomAt(Math.exp(-delta * 0.0015), pt.x, pt.y);
  }, { passive: false });

  function hover(pt) {
    var found = hit(pt.x, pt.y);
    var node = found ? found.node : -1;
    canvas.style.cursor = found ? "pointer" : "";
    if (node === hovered) { if (node >= 0) placeTooltip(pt); return; }
    hovered = node;
    if (node < 0) { hideTooltip(); return; }
    tooltip.textContent = "";
    tooltip.appendChild(el("strong", M.t[node]));
    if (M.e[node]) tooltip.appendChild(el("span", M.e[node]));
    if (found.toggle) tooltip.appendChild(el("em", expanded[node] ? " (click to fold)" : " (click to unfold)"));
    tooltip.hidden = false;
    placeTooltip(pt);
  }
  function placeTooltip(pt) {
    var left = Math.min(pt.x + 14, viewW - tooltip.offsetWidth - 8);
    var top = pt.y + 18 + tooltip.offsetHeight > viewH ? pt.y - tooltip.offsetHeight - 10 : pt.y + 18;
    tooltip.style.left = Math.max(4, left) + "px";
    tooltip.style.top = Math.max(4, top) + "px";
  }
  function hideTooltip() { tooltip.hidden = true; hovered = -1; }

  // ---- keyboard ----
  canvas.addEventListener("keydown", function (event) {
    var key = event.key, step = 80;
    if (event.shiftKey && key.indexOf("Arrow") === 0) {
      if (key === "ArrowLeft") tx += step; else if (key === "ArrowRight") tx -= step;
      else if (key === "ArrowUp") ty += step; else ty -= step;
      schedule(); event.preventDefault(); return;
    }
    var cur = selected >= 0 && visible[selected] ? selected : root;
    var handled = true;
    if (key === "+" || key === "=") zoomAt(1.25, viewW / 2, viewH / 2);
    else if (key === "-" || key === "_") zoomAt(0.8, viewW / 2, viewH / 2);
    else if (key === "0") fit();
    else if (key === "Home") select(root);
    else if (selected < 0 && key.indexOf("Arrow") === 0) select(root);
    else if (key === "ArrowRight") {
      if (childCount[cur] && !expanded[cur]) { toggle(cur); select(cur); }
      else if (childCount[cur]) select(childList[childStart[cur]]);
    } else if (key === "ArrowLeft") {
      if (childCount[cur] && expanded[cur]) { toggle(cur); select(cur); }
      else if (parent[cur] >= 0) select(parent[cur]);
    } else if (key === "ArrowDown" || key === "ArrowUp") {
      var p = parent[cur];
      if (p >= 0) {
        var from = childStart[p], to = childStart[p + 1], at = from;
        while (childList[at] !== cur) at++;
        at += key === "ArrowDown" ? 1 : -1;
        if (at >= from && at < to) select(childList[at]);
      }
    } else if (key === " " || key === "Spacebar") { toggle(cur); select(cur); }
    else if (key === "Enter") window.location.href = topicUrl(cur);
    else handled = false;
    if (handled) event.preventDefault();
  });

  // ---- search: by title or alias, reveals the path ----
  var haystack = null, matches = [], active = -1;
  function buildHaystack() {
    haystack = new Array(n);
    for (var j = 0; j < n; j++) haystack[j] = (M.t[j] + "|" + M.a[j]).toLowerCase();
  }
  function rank(j, q) {
    var title = M.t[j].toLowerCase();
    var aliases = M.a[j] ? M.a[j].toLowerCase().split("|") : [];
    if (title === q || aliases.indexOf(q) >= 0) return 0;
    if (title.indexOf(q) === 0 || aliases.some(function (a) { return a.indexOf(q) === 0; })) return 1;
    if (title.indexOf(" " + q) >= 0) return 2;
    return 3;
  }
  function runSearch() {
    var q = searchBox.value.trim().toLowerCase();
    results.textContent = "";
    matches = [];
    active = -1;
    if (!q) { closeResults(); return; }
    if (!haystack) buildHaystack();
    for (var j = 0; j < n; j++) if (haystack[j].indexOf(q) >= 0) matches.push(j);
    matches.sort(function (a, b) { return rank(a, q) - rank(b, q) || depth[a] - depth[b] || a - b; });
    var total = matches.length;
    matches = matches.slice(0, 30);
    if (!matches.length) {
      results.appendChild(el("li", "No topic matches", { role: "option", "aria-disabled": "true", id: "map-opt-none" }));
    }
    matches.forEach(function (node, position) {
      var li = el("li", null, { role: "option", id: "map-opt-" + position, "aria-selected": "false" });
      li.appendChild(document.createTextNode(M.t[node]));
      var chain = [];
      for (var a = parent[node]; a >= 0; a = parent[a]) chain.unshift(M.t[a]);
      var extra = (M.a[node] ? "(" + M.a[node].split("|").join(", ") + ") " : "") + chain.join(" › ");
      if (extra) li.appendChild(el("small", extra));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(node); });
      results.appendChild(li);
    });
    if (total > matches.length) results.appendChild(el("li", "… " + (total - matches.length) + " more, type more to narrow", { role: "option", "aria-disabled": "true", id: "map-opt-more" }));
    results.hidden = false;
    searchBox.setAttribute("aria-expanded", "true");
    setActive(matches.length ? 0 : -1);
  }
  function setActive(position) {
    if (active >= 0) { var old = document.getElementById("map-opt-" + active); if (old) old.setAttribute("aria-selected", "false"); }
    active = position;
    if (position >= 0) {
      var cur = document.getElementById("map-opt-" + position);
      cur.setAttribute("aria-selected", "true");
      cur.scrollIntoView({ block: "nearest" });
      searchBox.setAttribute("aria-activedescendant", cur.id);
      highlighted = matches[position];
    } else {
      searchBox.removeAttribute("aria-activedescendant");
    }
  }
  function closeResults() {
    results.hidden = true;
    searchBox.setAttribute("aria-expanded", "false");
    searchBox.removeAttribute("aria-activedescendant");
    highlighted = -1;
    schedule();
  }
  function choose(node) {
    closeResults();
    reveal(node);
    select(node);
    centerOn(node);
    canvas.focus({ preventScroll: true });
  }
  searchBox.addEventListener("input", runSearch);
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && matches.length) { setActive(Math.min(matches.length - 1, active + 1)); event.preventDefault(); }
    else if (event.key === "ArrowUp" && matches.length) { setActive(Math.max(0, active - 1)); event.preventDefault(); }
    else if (event.key === "Enter") { if (matches.length) choose(matches[Math.max(0, active)]); event.preventDefault(); }
    else if (event.key === "Escape") closeResults();
  });
  searchBox.addEventListener("blur", function () { setTimeout(closeResults, 150); });

  // ---- toolbar ----
  levelSelect.addEventListener("change", function () { expandToLevel(parseInt(levelSelect.value, 10)); fit(); });
  document.getElementById("map-collapse").addEventListener("click", function () { expandToLevel(1); fit(); });
  document.getElementById("map-fit").addEventListener("click", fit);
  document.getElementById("map-zoom-in").addEventListener("click", function () { zoomAt(1.25, viewW / 2, viewH / 2); });
  document.getElementById("map-zoom-out").addEventListener("click", function () { zoomAt(0.8, viewW / 2, viewH / 2); });

  // ---- deep links: index.html#topic=ID ----
  // A malformed link (index.html#topic=%E0%A4) makes decodeURIComponent throw: ignore it, so a
  // bad hash never stops the map from being drawn.
  function followHash() {
    var match = /(?:^#|&)topic=([^&]+)/.exec(location.hash);
    if (!match) return false;
    var id;
    try { id = decodeURIComponent(match[1]); } catch (error) { return false; }
    var node = indexOfId(id);
    if (node < 0) return false;
    reveal(node);
    select(node, { center: false });
    centerOn(node);
    return true;
  }
  window.addEventListener("hashchange", followHash);

  if (window.matchMedia) {
    var scheme = window.matchMedia("(prefers-color-scheme: dark)");
    var onScheme = function () { readColours(); schedule(); };
    if (scheme.addEventListener) scheme.addEventListener("change", onScheme);
  }
  if (window.ResizeObserver) new ResizeObserver(resize).observe(stage);
  else window.addEventListener("resize", resize);

  // ---- start ----
  readColours();
  resize();
  expandToLevel(parseInt(levelSelect.value, 10) || 2);
  if (!followHash()) fit();
  draw();

  // A small handle for tests and benchmarks.
  window.fomoMap = {
    nodes: n,
    stats: stats,
    visibleCount: function () { return visCount; },
    isVisible: function (id) { var j = indexOfId(id); return j >= 0 && visible[j] === 1; },
    isExpanded: function (id) { var j = indexOfId(id); return j >= 0 && expanded[j] === 1; },
    selectedId: function () { return selected >= 0 ? M.id[selected] : null; },
    screenPoint: function (id) {
      var j = indexOfId(id);
      if (j < 0 || !visible[j]) return null;
      return { x: X[j] * scale + tx, y: Y[j] * scale + ty, w: W[j] * scale, toggleX: (X[j] + W[j] + R + 4) * scale + tx, toggleY: (Y[j] + (depth[j] ? 9 : 0)) * scale + ty };
    },
    expandAll: function () { var t0 = performance.now(); expandToLevel(1e9); draw(); return performance.now() - t0; },
    expandToLevel: expandToLevel,
    panBy: function (dx, dy) { tx += dx; ty += dy; schedule(); },
    zoomTo: function (s) { scale = s; schedule(); },
    drawNow: function () { draw(); return stats.drawMs; },
    toggle: function (id) { toggle(indexOfId(id)); },
    select: function (id) { select(indexOfId(id)); }
  };
  document.documentElement.dataset.map = "ready";
})();
