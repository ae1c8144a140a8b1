/* FOMO mind map: our own canvas renderer, built to stay smooth at 10,000+ nodes.
 *
 * Why canvas: SVG/DOM mind maps (markmap and friends) create several elements per node and
 * re-layout them on every fold, which is what makes them lag past a couple of thousand nodes.
 * Here the tree lives in typed arrays, layout is one linear pass over the visible nodes, and a
 * frame draws only what intersects the viewport (labels are skipped when zoomed far out).
 *
 * Data (assets/map-data.js): window.FOMO_MAP = {id:[], t:[titles], p:[parent index],
 * e:[essences], a:["alias|alias"], c:[colour per top-level branch], d:[day added or last
 * reviewed, "" if none]}, nodes in depth-first order.
 * The reader's progress and last visit come from window.fomoReader (site.js).
 * User text only ever reaches the page through textContent or canvas fillText: never as HTML.
 *
 * window.fomoMap is a small handle for tests and benchmarks; fomoMap.debug() returns what the
 * last frame drew: {scale, level, view: {w, h}, insets: {top, bottom}, labels: [{id, depth,
 * text, x, y, w, h}], background, branchColours} with boxes in CSS pixels from the canvas'
 * top-left corner, and the colours as drawn.
 */
(function () {
  "use strict";
  var M = window.FOMO_MAP;
  var canvas = document.getElementById("map-canvas");
  if (!M || !canvas || !M.id.length) return;

  var n = M.id.length;
  var FONT_PX = 14, ROW = 28, GAP = 44, R = 5;
  var LOD_SCALE = 0.38;       // below this scale only the overview (root and branch names) is drawn
  var READABLE_SCALE = 0.75;  // the arrival level is the deepest one that fits at this scale or more
  var UNDERLINE = 9;          // a label's underline (where its branch line ends) sits this far below its middle
  var FULL_TURN = 2 * Math.PI;
  var FIT_PAD = 16;         // room kept around the map by Fit, in CSS pixels
  var MAXW = window.innerWidth < 600 ? 170 : 260;  // longer titles end in an ellipsis
  var FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var FONT = FONT_PX + "px " + FONT_FAMILY, BOLD = "600 " + FONT;
  var OVERVIEW_PX = 12, OVERVIEW_FONT = "600 " + OVERVIEW_PX + "px " + FONT_FAMILY;
  var OVERVIEW_H = OVERVIEW_PX + 6;
  var reader = window.fomoReader || null;
  var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;

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
  var subtreeEnd = new Int32Array(n);  // a subtree is the contiguous run [node, subtreeEnd[node])
  var maxDepth = 0, branchCount = 0;
  (function buildTree() {
    var fill = new Int32Array(n), i;
    for (i = 0; i < n; i++) {
      parent[i] = M.p[i];
      if (parent[i] >= 0) childCount[parent[i]]++;
    }
    for (i = 0; i < n; i++) childStart[i + 1] = childStart[i] + childCount[i];
    for (i = 0; i < n; i++) {
      var p = parent[i];
      if (p >= 0) {
        childList[childStart[p] + fill[p]++] = i;
        depth[i] = depth[p] + 1;
        branch[i] = depth[i] === 1 ? branchCount++ : branch[p];
        if (depth[i] > maxDepth) maxDepth = depth[i];
      } else {
        depth[i] = 0;
        branch[i] = -1;
      }
    }
    var open = [];
    for (i = 0; i < n; i++) {
      while (open.length && depth[open[open.length - 1]] >= depth[i]) subtreeEnd[open.pop()] = i;
      open.push(i);
    }
    while (open.length) subtreeEnd[open.pop()] = n;
  })();
  var roots = [];
  for (var r0 = 0; r0 < n; r0++) if (parent[r0] < 0) roots.push(r0);
  var root = roots[0];
  var colours = M.c && M.c.length ? M.c : ["#2f7ed8"];
  var dates = M.d || [];
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
  var scale = 1, tx = 0, ty = 0, dpr = 1, viewW = 0, viewH = 0, level = 1;
  var selected = -1, hovered = -1, highlighted = -1;
  var dirty = false;
  var colors = {};
  var stats = { layoutMs: 0, drawMs: 0, frames: 0 };
  var lastDrawn = [], lastOverview = [];
  var marks = new Uint8Array(n);  // 0 none, 1 known, 2 learning, 3 skip
  var fresh = new Uint8Array(n);  // 1: new or changed since the reader's last visit
  var known = new Int32Array(n);  // per node: topics of its subtree marked known

  var shown = colours.slice();  // the branch colours as drawn: at least 3:1 against the background
  function colourOf(node) { return branch[node] < 0 ? colors.muted : shown[branch[node] % shown.length]; }

  // WCAG contrast of two colours given as [r, g, b] in 0..255.
  function luminance(rgb) {
    var c = rgb.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function rgbOf(colour) {
    probe.style.color = colour;
    return (getComputedStyle(probe).color.match(/[\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);
  }
  // A branch colour too dim (or too pale) for this background is mixed toward white (or
  // black) until it reads at 3:1, the contrast asked of lines and large text.
  function readable(colour, bg) {
    var rgb = rgbOf(colour), toward = luminance(bg) < 0.5 ? 255 : 0;
    for (var step = 0; step < 12 && contrast(rgb, bg) < 3; step++) {
      rgb = rgb.map(function (v) { return Math.round(v + (toward - v) * 0.15); });
    }
    return "rgb(" + rgb.join(",") + ")";
  }

  // Custom properties may hold light-dark() values, which the canvas cannot use: resolve each
  // through a probe element's computed colour.
  var probe = document.createElement("span");
  probe.hidden = true;
  stage.appendChild(probe);
  function resolved(name, fallback) {
    probe.style.color = fallback;
    probe.style.color = "var(" + name + ")";
    return getComputedStyle(probe).color || fallback;
  }
  function readColours() {
    colors.bg = resolved("--bg", "#fff");
    colors.fg = resolved("--fg", "#111");
    colors.muted = resolved("--muted", "#666");
    colors.focus = resolved("--accent", "#0b5cad");
    colors.soft = resolved("--soft", "#eee");
    colors.ok = resolved("--ok", "#1a7f37");
    colors.warn = resolved("--warn", "#9a6700");
    colors.fresh = resolved("--new-bg", "#fff3bf");
    var bg = rgbOf(colors.bg);
    for (var c = 0; c < colours.length; c++) shown[c] = readable(colours[c], bg);
  }

  // ---- the reader's marks and what is new ----
  function readMarks() {
    var states = reader ? reader.all() : {}, j;
    marks.fill(0);
    known.fill(0);
    for (var id in states) {
      j = indexOfId(id);
      if (j < 0) continue;
      marks[j] = states[id] === "known" ? 1 : states[id] === "learning" ? 2 : 3;
      if (marks[j] === 1) for (var a = j; a >= 0; a = parent[a]) known[a]++;
    }
    fresh.fill(0);
    if (reader && reader.since()) for (j = 0; j < n; j++) if (reader.isNew(dates[j])) fresh[j] = 1;
  }
  function knownText(node) {
    return known[node] + " of " + (subtreeEnd[node] - node) + " known";
  }

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
  function layout(quiet) {
    var t0 = performance.now(), k;
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
    if (!quiet) schedule();
  }

  // ---- drawing ----
  function schedule() {
    if (!dirty) { dirty = true; requestAnimationFrame(draw); }
  }

  function draw() {
    dirty = false;
    var t0 = performance.now(), k, c, v;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, viewW, viewH);
    ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * tx, dpr * ty);
    var x0 = -tx / scale, y0 = -ty / scale, x1 = x0 + viewW / scale, y1 = y0 + viewH / scale;
    var margin = ROW;
    var detailed = scale >= LOD_SCALE;
    var paths = [];
    for (c = 0; c < colours.length; c++) paths.push(new Path2D());
    var greyPath = new Path2D();
    var drawn = [];
    for (k = 0; k < visCount; k++) {
      v = vis[k];
      var yv = Y[v], xv = X[v], wv = W[v];
      var path = branch[v] < 0 ? greyPath : paths[branch[v] % colours.length];
      var p = parent[v];
      if (p >= 0) {
        var yp = Y[p];
        var lowY = yv < yp ? yv : yp, highY = yv < yp ? yp : yv;
        if (highY + margin >= y0 && lowY - margin <= y1 && xv >= x0 && X[p] <= x1) {
          var sx = X[p] + W[p] + 2 * R + 4, sy = yp, ex = xv, ey = yv + UNDERLINE;
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
      path.moveTo(xv, yv + UNDERLINE);
      path.lineTo(xv + wv + 4, yv + UNDERLINE);
      drawn.push(v);
    }
    ctx.lineWidth = 1.6;
    for (c = 0; c < colours.length; c++) { ctx.strokeStyle = shown[c]; ctx.stroke(paths[c]); }
    ctx.strokeStyle = colors.muted;
    ctx.stroke(greyPath);
    lastDrawn = drawn;
    lastOverview = [];
    if (detailed) drawLabels(drawn);
    else {
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

  function drawLabels(drawn) {
    var k, v;
    ctx.textBaseline = "middle";
    for (k = 0; k < drawn.length; k++) {
      v = drawn[k];
      if (v === selected || v === highlighted) {
        ctx.fillStyle = colors.soft;
        ctx.fillRect(X[v] - 5, Y[v] - ROW / 2 + 1, W[v] + 10, ROW - 2);
        ctx.strokeStyle = colors.focus;
        ctx.lineWidth = 2;
        ctx.strokeRect(X[v] - 5, Y[v] - ROW / 2 + 1, W[v] + 10, ROW - 2);
      } else if (fresh[v]) {
        ctx.fillStyle = colors.fresh;
        ctx.fillRect(X[v] - 4, Y[v] - ROW / 2 + 3, W[v] + 8, ROW - 8);
      }
    }
    ctx.fillStyle = colors.fg;
    ctx.font = FONT;
    for (k = 0; k < drawn.length; k++) {
      v = drawn[k];
      if (marks[v] === 3) ctx.fillStyle = colors.muted;
      if (depth[v] === 0) { ctx.font = BOLD; ctx.fillText(label[v], X[v], Y[v]); ctx.font = FONT; }
      else ctx.fillText(label[v], X[v], Y[v]);
      if (marks[v] === 3) ctx.fillStyle = colors.fg;
    }
    ctx.lineWidth = 1.6;
    for (k = 0; k < drawn.length; k++) {
      v = drawn[k];
      if (marks[v]) drawMark(v);
      if (depth[v] === 1 && known[v]) {
        // a branch's underline fills with the share of its topics the reader knows
        ctx.strokeStyle = colors.ok;
        ctx.lineWidth = 3.5;
        ctx.beginPath();
        ctx.moveTo(X[v], Y[v] + UNDERLINE);
        ctx.lineTo(X[v] + (W[v] + 4) * known[v] / (subtreeEnd[v] - v), Y[v] + UNDERLINE);
        ctx.stroke();
        ctx.lineWidth = 1.6;
      }
      if (!childCount[v]) continue;
      var cx = X[v] + W[v] + R + 4, cy = Y[v] + (depth[v] === 0 ? 0 : UNDERLINE);
      ctx.beginPath();
      ctx.arc(cx, cy, R, 0, FULL_TURN);
      var col = colourOf(v);
      ctx.fillStyle = expanded[v] ? colors.bg : col;
      ctx.fill();
      ctx.strokeStyle = col;
      ctx.stroke();
    }
  }

  // On the dot where the branch line meets the title's underline: known, a filled dot; learning,
  // a ring; skip, a grey dash (and the title drawn grey).
  function drawMark(v) {
    var mx = X[v], my = Y[v] + UNDERLINE;
    ctx.beginPath();
    ctx.arc(mx, my, 4.5, 0, FULL_TURN);
    ctx.fillStyle = colors.bg;
    ctx.fill();
    ctx.beginPath();
    if (marks[v] === 1) { ctx.fillStyle = colors.ok; ctx.arc(mx, my, 4, 0, FULL_TURN); ctx.fill(); }
    else if (marks[v] === 2) { ctx.strokeStyle = colors.warn; ctx.lineWidth = 2; ctx.arc(mx, my, 3, 0, FULL_TURN); ctx.stroke(); ctx.lineWidth = 1.6; }
    else { ctx.strokeStyle = colors.muted; ctx.lineWidth = 2; ctx.moveTo(mx - 4, my); ctx.lineTo(mx + 4, my); ctx.stroke(); ctx.lineWidth = 1.6; }
  }

  // Zoomed out too far for titles at map scale: name the root and the top-level branches at a
  // readable screen size, on a backing so lines do not cross them, skipping any label that
  // would overlap the one above it (nodes come in depth-first order, so top to bottom).
  function overviewWidth(v) {
    ctx.font = OVERVIEW_FONT;
    return ctx.measureText(label[v]).width;
  }
  function drawOverview(drawn) {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = OVERVIEW_FONT;
    ctx.textBaseline = "middle";
    var lastBottom = -Infinity, h = OVERVIEW_H;
    for (var k = 0; k < drawn.length; k++) {
      var v = drawn[k];
      if (depth[v] > 1) continue;
      var sx = X[v] * scale + tx, sy = Y[v] * scale + ty;
      if (depth[v] === 1 && sy - h / 2 < lastBottom) continue;
      var text = label[v], w = ctx.measureText(text).width;
      if (depth[v] === 0) sx = Math.max(4, sx - w - 8);  // the root's name to its left
      ctx.globalAlpha = 0.88;
      ctx.fillStyle = fresh[v] ? colors.fresh : colors.bg;
      ctx.fillRect(sx - 3, sy - h / 2, w + 6, h);
      ctx.globalAlpha = 1;
      ctx.fillStyle = depth[v] === 0 ? colors.fg : colourOf(v);
      ctx.fillText(text, sx, sy);
      lastOverview.push({ node: v, x: sx, y: sy - h / 2, w: w, h: h });
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

  // The part of the stage that overlays (the help line, the touch controls, a bottom sheet:
  // elements marked data-overlay) leave free, as insets from its top and bottom.
  function insets() {
    var box = stage.getBoundingClientRect(), top = 0, bottom = 0;  // nothing overlays the top yet
    document.querySelectorAll("[data-overlay]").forEach(function (el) {
      if (el.hidden) return;
      if (el.getAttribute("data-overlay") === "sheet") {
        // the phone's bottom sheet: fixed to the bottom and open while a topic is selected;
        // its height counts even while it is still sliding in
        if (getComputedStyle(el).position !== "fixed") return;
        var open = document.body.classList.contains("map-has-selection") || document.body.classList.contains("sheet-open");
        var peek = document.getElementById("map-sheet-toggle");
        bottom = Math.max(bottom, open ? Math.min(el.offsetHeight, box.height / 2) : peek.offsetTop + peek.offsetHeight);
        return;
      }
      var r = el.getBoundingClientRect();
      var lo = Math.max(r.top, box.top), hi = Math.min(r.bottom, box.bottom);
      if (r.width === 0 || hi <= lo || r.right <= box.left || r.left >= box.right) return;
      // only overlays along the bottom count (the zoom buttons, raised above an open sheet,
      // float over the map's side instead)
      if ((lo + hi) / 2 > box.top + box.height / 2) bottom = Math.max(bottom, box.bottom - lo);
    });
    return { top: top, bottom: bottom };
  }

  // The screen extent of the visible map at scale s, relative to the map's origin: titles scale
  // with the map, but the overview's names keep their screen size (the root's sits to its left).
  function extentAt(s) {
    var e = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    var overview = s < LOD_SCALE;
    for (var k = 0; k < visCount; k++) {
      var v = vis[k], x = X[v] * s, y = Y[v] * s, left = x, right, half;
      if (overview && depth[v] <= 1) {
        var w = overviewWidth(v);
        if (depth[v] === 0) { left = x - w - 11; right = x + 2 * R * s; } else right = x + w + 3;
        half = OVERVIEW_H / 2;
      } else {
        right = x + (W[v] + 2 * R + 8) * s;
        half = ROW / 2 * s;
      }
      if (marks[v]) left -= 5 * s;
      if (left < e.left) e.left = left;
      if (right > e.right) e.right = right;
      if (y - half < e.top) e.top = y - half;
      if (y + half > e.bottom) e.bottom = y + half;
    }
    return e;
  }

  // The largest scale (at most 1.2) at which every visible title and overview name fits in the
  // free part of the view; a few rounds, since the overview's names do not shrink with the map.
  function fitScale(free) {
    var availW = Math.max(40, viewW - 2 * FIT_PAD), availH = Math.max(40, viewH - free.top - free.bottom - 2 * FIT_PAD);
    var s = 1.2;
    for (var round = 0; round < 8; round++) {
      var e = extentAt(s), w = e.right - e.left, h = e.bottom - e.top;
      var shrink = Math.min(availW / w, availH / h);
      if (shrink >= 1) break;
      s = Math.max(0.02, s * shrink * 0.995);
    }
    return s;
  }

  // Fit every visible node into the free part of the view, centred both ways.
  function fit() {
    if (!visCount) return;
    var free = insets();
    scale = fitScale(free);
    var e = extentAt(scale);
    tx = viewW / 2 - (e.left + e.right) / 2;
    ty = free.top + (viewH - free.top - free.bottom) / 2 - (e.top + e.bottom) / 2;
    schedule();
  }

  function centerOn(node) {
    if (scale < 0.8) scale = 1;
    var free = insets();
    tx = viewW / 2 - (X[node] + W[node] / 2) * scale;
    ty = free.top + (viewH - free.top - free.bottom) / 2 - Y[node] * scale;
    schedule();
  }

  function ensureInView(node) {
    var sx = X[node] * scale + tx, sy = Y[node] * scale + ty, free = insets();
    if (sx < 10 || sy < free.top + ROW || sx + W[node] * scale > viewW - 10 || sy > viewH - free.bottom - ROW) centerOn(node);
    else schedule();
  }

  // ---- folding ----
  function expandToLevel(wanted, quiet) {
    level = wanted;
    for (var j = 0; j < n; j++) expanded[j] = depth[j] < wanted ? 1 : 0;
    layout(quiet);
  }
  // The map on arrival: the deepest level whose titles are still readable once fitted.
  function arrivalLevel() {
    var free = insets(), best = 1;
    for (var wanted = 1; wanted <= maxDepth; wanted++) {
      expandToLevel(wanted, true);
      if (fitScale(free) >= READABLE_SCALE) best = wanted; else break;
    }
    return best;
  }
  function showLevel(value) {
    var option = value >= maxDepth ? "99" : String(value);
    if (levelSelect.querySelector('option[value="' + option + '"]')) levelSelect.value = option;
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

  function progressButtons(node) {
    var group = el("div", null, { "class": "progress-buttons", role: "group", "aria-label": "Your progress on " + M.t[node] });
    reader.states.forEach(function (state) {
      var button = el("button", reader.labels[state], { type: "button", "data-state": state, "aria-pressed": String(reader.state(M.id[node]) === state) });
      button.addEventListener("click", function () {
        reader.set(M.id[node], reader.state(M.id[node]) === state ? "" : state);
      });
      group.appendChild(button);
    });
    return group;
  }

  function select(node, options) {
    selected = node;
    if (node < 0) return;
    if (!visible[node]) reveal(node);
    fillPanel(node);
    document.body.classList.add("map-has-selection");
    if (!options || options.center !== false) ensureInView(node); else schedule();
    if (history.replaceState) history.replaceState(null, "", "#topic=" + encodeURIComponent(M.id[node]));
  }
  function fillPanel(node) {
    panel.textContent = "";
    var chain = [];
    for (var a = parent[node]; a >= 0; a = parent[a]) chain.unshift(a);
    if (chain.length) {
      var path = el("nav", null, { "class": "crumbs", "aria-label": "Path in the map" });
      chain.forEach(function (step) { path.appendChild(el("a", M.t[step], { href: topicUrl(step) })); });
      panel.appendChild(path);
    }
    panel.appendChild(el("h2", M.t[node]));
    if (M.a[node]) panel.appendChild(el("p", "Also: " + M.a[node].split("|").join(", "), { "class": "meta" }));
    if (M.e[node]) panel.appendChild(el("p", M.e[node]));
    if (fresh[node]) panel.appendChild(el("p", "New or changed since your last visit", { "class": "badge badge-new" }));
    var info = childCount[node] ? childCount[node] + (childCount[node] === 1 ? " subtopic" : " subtopics") + (expanded[node] ? "" : " (folded)") : "No subtopics";
    if (childCount[node] && reader) info += " · " + knownText(node);
    panel.appendChild(el("p", info, { "class": "meta" }));
    if (reader) panel.appendChild(progressButtons(node));
    var open = el("a", "Open the page of " + M.t[node], { href: topicUrl(node), id: "map-open-page", "class": "button-link" });
    var p = el("p"); p.appendChild(open); panel.appendChild(p);
  }

  // ---- pointer input: pan, pinch, hover, click or tap ----
  function hit(px, py) {
    var wx = (px - tx) / scale, wy = (py - ty) / scale, slack = coarse ? 6 : 0;
    for (var k = 0; k < visCount; k++) {
      var v = vis[k];
      if (Math.abs(wy - Y[v]) > ROW / 2 + slack || wx < X[v] - 4 - slack) continue;
      var end = X[v] + W[v] + (childCount[v] ? 2 * R + 8 : 4) + slack;
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
      if (!found) return;
      if (found.toggle) { selected = found.node; toggle(found.node); select(found.node, { center: false }); }
      // a tap on a phone shows the topic in the sheet first; a click opens its page
      else if (event.pointerType === "touch" && selected !== found.node) select(found.node, { center: false });
      else window.location.href = topicUrl(found.node);
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
    if (childCount[node] && reader && known[node]) tooltip.appendChild(el("small", knownText(node)));
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

  // ---- search: whole words and word beginnings of titles and aliases, near misses ----
  // A name's key folds case, accents and punctuation away ("GPT-4" -> "gpt4"), as the CLI's
  // name keys do; near misses are scored like `fomo where` (rapidfuzz's ratio: twice the
  // longest common subsequence over the summed lengths, in percent; 60 or more is offered).
  var SUGGEST_AT = 60;
  var names = null;  // per node: [{key, words}] for its title and each alias
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function wordsOf(text) { return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean); }
  function keyOf(text) { return wordsOf(text).join(""); }
  function buildNames() {
    names = new Array(n);
    for (var j = 0; j < n; j++) {
      var all = [M.t[j]].concat(M.a[j] ? M.a[j].split("|") : []);
      names[j] = all.map(function (name) { var words = wordsOf(name); return { key: words.join(""), words: words }; });
    }
  }
  // 0 the whole name, 1 the name's beginning, 2 every query word begins a word; -1 no match
  function rank(j, qKey, qWords) {
    var best = -1;
    names[j].forEach(function (name) {
      var r = -1;
      if (name.key === qKey) r = 0;
      else if (name.key.indexOf(qKey) === 0) r = 1;
      else if (qWords.every(function (w) { return name.words.some(function (nw) { return nw.indexOf(w) === 0; }); })) r = 2;
      if (r >= 0 && (best < 0 || r < best)) best = r;
    });
    return best;
  }
  function ratio(a, b) {
    if (!a.length && !b.length) return 100;
    var prev = new Array(b.length + 1).fill(0), cur = new Array(b.length + 1).fill(0);
    for (var x = 1; x <= a.length; x++) {
      for (var y = 1; y <= b.length; y++) {
        cur[y] = a[x - 1] === b[y - 1] ? prev[y - 1] + 1 : Math.max(prev[y], cur[y - 1]);
      }
      var swap = prev; prev = cur; cur = swap;
    }
    return 200 * prev[b.length] / (a.length + b.length);
  }
  function nearMisses(qKey) {
    var scored = [];
    for (var j = 0; j < n; j++) {
      var best = 0;
      for (var m = 0; m < names[j].length; m++) {
        var key = names[j][m].key;
        if (Math.abs(key.length - qKey.length) * 100 > (key.length + qKey.length) * (100 - SUGGEST_AT)) continue;
        var score = ratio(qKey, key);
        if (score > best) best = score;
      }
      if (best >= SUGGEST_AT) scored.push([j, best]);
    }
    scored.sort(function (a, b) { return b[1] - a[1] || depth[a[0]] - depth[b[0]] || a[0] - b[0]; });
    return scored.slice(0, 5).map(function (pair) { return pair[0]; });
  }

  var matches = [], active = -1;
  function option(node, position) {
    var li = el("li", null, { role: "option", id: "map-opt-" + position, "aria-selected": "false" });
    li.appendChild(document.createTextNode(M.t[node]));
    var chain = [];
    for (var a = parent[node]; a >= 0; a = parent[a]) chain.unshift(M.t[a]);
    var extra = (M.a[node] ? "(" + M.a[node].split("|").join(", ") + ") " : "") + chain.join(" › ");
    if (extra) li.appendChild(el("small", extra));
    li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(node); });
    return li;
  }
  function runSearch() {
    var query = searchBox.value.trim();
    results.textContent = "";
    matches = [];
    active = -1;
    var qWords = wordsOf(query), qKey = qWords.join("");
    if (!qKey) { closeResults(); return; }
    if (!names) buildNames();
    var ranks = [];
    for (var j = 0; j < n; j++) {
      var r = rank(j, qKey, qWords);
      if (r >= 0) { matches.push(j); ranks[j] = r; }
    }
    matches.sort(function (a, b) { return ranks[a] - ranks[b] || depth[a] - depth[b] || a - b; });
    var total = matches.length;
    matches = matches.slice(0, 30);
    if (!matches.length) {
      matches = nearMisses(qKey);
      results.appendChild(el("li", matches.length ? "No topic is named “" + query + "”. Did you mean:" : "No topic matches “" + query + "”", { role: "presentation", "class": "map-results-note", id: "map-opt-none" }));
    }
    matches.forEach(function (node, position) { results.appendChild(option(node, position)); });
    if (total > matches.length) results.appendChild(el("li", "… " + (total - matches.length) + " more, type more to narrow", { role: "presentation", "class": "map-results-note", id: "map-opt-more" }));
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

  // ---- toolbar and touch controls ----
  levelSelect.addEventListener("change", function () { expandToLevel(parseInt(levelSelect.value, 10)); fit(); });
  function on(id, handler) { var button = document.getElementById(id); if (button) button.addEventListener("click", handler); }
  on("map-collapse", function () { expandToLevel(1); showLevel(1); fit(); });
  on("map-fit", fit);
  on("map-zoom-in", function () { zoomAt(1.25, viewW / 2, viewH / 2); });
  on("map-zoom-out", function () { zoomAt(0.8, viewW / 2, viewH / 2); });
  on("map-sheet-close", function () { document.body.classList.remove("map-has-selection", "sheet-open"); });
  on("map-sheet-toggle", function () {
    var open = !document.body.classList.contains("sheet-open");
    document.body.classList.toggle("sheet-open", open);
    document.getElementById("map-sheet-toggle").setAttribute("aria-expanded", String(open));
  });

  // ---- the home panel: example searches, what is new, the reader's progress ----
  // Example searches (chosen by the build: the most referred-to topics): search on a click.
  function fillExamples() {
    var chips = document.querySelectorAll("#map-examples .chip");
    for (var j = 0; j < chips.length; j++) {
      chips[j].addEventListener("click", function (text) {
        return function () { searchBox.value = text; searchBox.focus(); runSearch(); };
      }(chips[j].getAttribute("data-query")));
    }
  }
  function fillWelcome() {
    var box = document.getElementById("map-welcome-state");
    if (!box || !reader) return;
    box.textContent = "";
    var freshNodes = [];
    for (var j = 0; j < n; j++) if (fresh[j]) freshNodes.push(j);
    if (reader.since()) {
      var note = freshNodes.length ? freshNodes.length + " topics new or changed since your last visit (" + reader.since() + ")" : "Nothing new since your last visit (" + reader.since() + ").";
      box.appendChild(el("h3", "Since your last visit"));
      box.appendChild(el("p", note));
      if (freshNodes.length) {
        var list = el("ul", null, { "class": "fresh-list" });
        freshNodes.slice(0, 6).forEach(function (node) {
          var li = el("li"), button = el("button", M.t[node], { type: "button", "class": "link-button" });
          button.addEventListener("click", function () { choose(node); });
          li.appendChild(button);
          list.appendChild(li);
        });
        box.appendChild(list);
      }
    }
    var states = reader.all(), count = { known: 0, learning: 0, skip: 0 };
    for (var id in states) if (indexOfId(id) >= 0) count[states[id]]++;
    box.appendChild(el("h3", "Your progress"));
    if (count.known + count.learning + count.skip) {
      box.appendChild(el("p", count.known + " of " + n + " topics known · " + count.learning + " learning · " + count.skip + " skipped"));
      var branches = el("ul", null, { "class": "branch-progress" });
      for (var c = childStart[root]; c < childStart[root + 1]; c++) {
        var b = childList[c];
        if (!known[b]) continue;
        var li = el("li");
        li.appendChild(el("span", M.t[b]));
        li.appendChild(el("span", knownText(b), { "class": "meta" }));
        branches.appendChild(li);
      }
      box.appendChild(branches);
    } else {
      box.appendChild(el("p", "Mark topics as known, learning or skip: the map shows them, kept in this browser only.", { "class": "meta" }));
    }
    var tools = el("p", null, { "class": "progress-tools" });
    var save = el("button", "Export", { type: "button", id: "progress-export" });
    save.addEventListener("click", function () { reader.exportFile(); });
    var pick = el("input", null, { type: "file", accept: "application/json,.json", id: "progress-file", "class": "visually-hidden" });
    var load = el("label", "Import", { "for": "progress-file", "class": "button" });
    pick.addEventListener("change", function () {
      var file = pick.files && pick.files[0];
      if (!file) return;
      file.text().then(function (text) {
        try { reader.importText(text); } catch (error) { window.alert("That file is not a FOMO progress file: " + error.message); }
      });
    });
    tools.appendChild(save);
    tools.appendChild(load);
    tools.appendChild(pick);
    box.appendChild(tools);
  }
  if (reader) {
    reader.onChange(function () {
      readMarks();
      fillWelcome();
      if (selected >= 0) fillPanel(selected);
      schedule();
    });
  }

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

  var onTheme = function () { readColours(); schedule(); };
  if (window.matchMedia) {
    var scheme = window.matchMedia("(prefers-color-scheme: dark)");
    if (scheme.addEventListener) scheme.addEventListener("change", onTheme);
  }
  document.documentElement.addEventListener("fomo-theme", onTheme);
  if (window.ResizeObserver) new ResizeObserver(resize).observe(stage);
  else window.addEventListener("resize", resize);

  // ---- start ----
  readColours();
  readMarks();
  resize();
  var firstLevel = arrivalLevel();
  expandToLevel(firstLevel);
  showLevel(firstLevel);
  if (!followHash()) fit();
  fillExamples();
  fillWelcome();
  draw();

  window.fomoMap = {
    nodes: n,
    stats: stats,
    visibleCount: function () { return visCount; },
    isVisible: function (id) { var j = indexOfId(id); return j >= 0 && visible[j] === 1; },
    isExpanded: function (id) { var j = indexOfId(id); return j >= 0 && expanded[j] === 1; },
    isNew: function (id) { var j = indexOfId(id); return j >= 0 && fresh[j] === 1; },
    mark: function (id) { var j = indexOfId(id); return j >= 0 ? ["", "known", "learning", "skip"][marks[j]] : ""; },
    selectedId: function () { return selected >= 0 ? M.id[selected] : null; },
    screenPoint: function (id) {
      var j = indexOfId(id);
      if (j < 0 || !visible[j]) return null;
      return { x: X[j] * scale + tx, y: Y[j] * scale + ty, w: W[j] * scale, toggleX: (X[j] + W[j] + R + 4) * scale + tx, toggleY: (Y[j] + (depth[j] ? UNDERLINE : 0)) * scale + ty };
    },
    /** What the last frame drew: the scale, the level, the view, and every label's box. */
    debug: function () {
      var labels;
      if (lastOverview.length || scale < LOD_SCALE) {
        labels = lastOverview.map(function (o) { return { id: M.id[o.node], depth: depth[o.node], text: label[o.node], x: o.x, y: o.y, w: o.w, h: o.h }; });
      } else {
        labels = lastDrawn.map(function (v) {
          return { id: M.id[v], depth: depth[v], text: label[v], x: X[v] * scale + tx, y: (Y[v] - FONT_PX / 2) * scale + ty, w: W[v] * scale, h: FONT_PX * scale };
        });
      }
      return { scale: scale, level: level, view: { w: viewW, h: viewH }, insets: insets(), labels: labels, background: colors.bg, branchColours: shown.slice() };
    },
    expandAll: function () { var t0 = performance.now(); expandToLevel(1e9); draw(); return performance.now() - t0; },
    expandToLevel: expandToLevel,
    fit: function () { fit(); draw(); },
    panBy: function (dx, dy) { tx += dx; ty += dy; schedule(); },
    zoomTo: function (s) { scale = s; schedule(); },
    drawNow: function () { draw(); return stats.drawMs; },
    toggle: function (id) { toggle(indexOfId(id)); },
    select: function (id) { select(indexOfId(id)); }
  };
  document.documentElement.dataset.map = "ready";
})();
