/* FOMO site, every page: the reader's own state (theme, progress, last visit) and small page
 * helpers (the tree navigation, "on this page", outlines full-screen, the "/" key).
 *
 * The reader's state lives in this browser only (localStorage, no account, nothing sent):
 *   fomo:theme       "light" | "dark" (absent: follow the system)
 *   fomo:progress    {"topics": {id: "known" | "learning" | "skip"}}
 *   fomo:last-visit  the day (YYYY-MM-DD) of the latest visit; the visit before it is kept for
 *                    this browsing session in sessionStorage fomo:since, so "new since your last
 *                    visit" stays put while the reader moves between pages.
 * window.fomoReader is the one place the map and the pages read and change it.
 * User text reaches the page only through textContent: never as HTML.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  var STATES = ["known", "learning", "skip"];
  var STATE_LABELS = { known: "Known", learning: "Learning", skip: "Skip" };
  var listeners = [];

  function load(store, key) {
    try { return store.getItem(key); } catch (error) { return null; }
  }
  function save(store, key, value) {
    try { store.setItem(key, value); return true; } catch (error) { return false; }
  }
  function today() { return new Date().toISOString().slice(0, 10); }

  // ---- progress ----
  function readProgress() {
    try {
      var parsed = JSON.parse(load(localStorage, "fomo:progress") || "{}");
      return parsed && typeof parsed.topics === "object" && parsed.topics ? parsed.topics : {};
    } catch (error) { return {}; }
  }
  var progress = readProgress();
  function writeProgress() {
    save(localStorage, "fomo:progress", JSON.stringify({ topics: progress }));
    listeners.forEach(function (listener) { listener(); });
  }
  function clean(topics) {
    var result = {};
    if (!topics || typeof topics !== "object") return result;
    Object.keys(topics).forEach(function (id) {
      if (STATES.indexOf(topics[id]) >= 0) result[id] = topics[id];
    });
    return result;
  }

  // ---- visits: the day of the previous visit, fixed for this browsing session ----
  var since = load(sessionStorage, "fomo:since");
  if (since === null) {
    since = load(localStorage, "fomo:last-visit") || "";
    save(sessionStorage, "fomo:since", since);
  }
  save(localStorage, "fomo:last-visit", today());

  window.fomoReader = {
    states: STATES,
    labels: STATE_LABELS,
    state: function (id) { return progress[id] || ""; },
    set: function (id, state) {
      if (STATES.indexOf(state) >= 0) progress[id] = state; else delete progress[id];
      writeProgress();
    },
    all: function () { return Object.assign({}, progress); },
    onChange: function (listener) { listeners.push(listener); },
    /** The previous visit's day ("" on a first visit): topics dated after it are new. */
    since: function () { return since; },
    isNew: function (date) { return !!(since && date && date > since); },
    exportFile: function () {
      var text = JSON.stringify({ "fomo-progress": 1, exported: today(), topics: progress }, null, 1);
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      link.download = "fomo-progress.json";
      document.body.appendChild(link);
      link.click();
      link.remove();
    },
    /** Merge a file written by exportFile; returns how many topics it set. */
    importText: function (text) {
      var parsed = JSON.parse(text);
      if (!parsed || parsed["fomo-progress"] !== 1) throw new Error("not a FOMO progress file");
      var topics = clean(parsed.topics);
      Object.assign(progress, topics);
      writeProgress();
      return Object.keys(topics).length;
    }
  };

  // ---- theme: system, light or dark; the choice is applied before paint by base.html ----
  var themeButton = document.getElementById("theme-toggle");
  var NEXT = { "": "dark", dark: "light", light: "" };
  var THEME_NAMES = { "": "system", dark: "dark", light: "light" };
  function showTheme() {
    var chosen = load(localStorage, "fomo:theme") || "";
    if (chosen) root.dataset.theme = chosen; else delete root.dataset.theme;
    if (themeButton) {
      themeButton.dataset.mode = chosen || "system";
      themeButton.setAttribute("aria-label", "Colour theme: " + THEME_NAMES[chosen] + " (switch to " + THEME_NAMES[NEXT[chosen]] + ")");
      themeButton.title = themeButton.getAttribute("aria-label");
    }
    root.dispatchEvent(new CustomEvent("fomo-theme"));
  }
  if (themeButton) {
    themeButton.addEventListener("click", function () {
      var next = NEXT[load(localStorage, "fomo:theme") || ""];
      if (next) save(localStorage, "fomo:theme", next); else { try { localStorage.removeItem("fomo:theme"); } catch (error) { /* private mode */ } }
      showTheme();
    });
  }
  showTheme();

  // ---- "/" focuses the search box (unless typing in a field) ----
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    var box = document.getElementById("map-search") || document.querySelector(".pagefind-ui__search-input") || document.getElementById("site-search-q");
    if (box) { event.preventDefault(); box.focus(); if (box.select) box.select(); }
  });

  // ---- the phone menu ----
  var menuButton = document.getElementById("menu-toggle");
  if (menuButton) {
    menuButton.addEventListener("click", function () {
      var open = menuButton.getAttribute("aria-expanded") !== "true";
      menuButton.setAttribute("aria-expanded", String(open));
      document.body.classList.toggle("menu-open", open);
    });
  }

  // ---- progress buttons on a topic page ----
  document.querySelectorAll("[data-progress-for]").forEach(function (group) {
    var id = group.getAttribute("data-progress-for");
    var buttons = group.querySelectorAll("button[data-state]");
    function show() {
      var current = window.fomoReader.state(id);
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.state === current));
      });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var state = button.dataset.state;
        window.fomoReader.set(id, window.fomoReader.state(id) === state ? "" : state);
      });
    });
    window.fomoReader.onChange(show);
    group.hidden = false;
    show();
  });

  // ---- "new since your last visit" on listings: elements with data-date ----
  document.querySelectorAll("[data-date]").forEach(function (item) {
    if (!window.fomoReader.isNew(item.getAttribute("data-date"))) return;
    item.classList.add("is-new");
    var badge = document.createElement("span");
    badge.className = "badge badge-new";
    badge.textContent = "new since your last visit";
    item.insertBefore(badge, item.firstChild);
  });

  // ---- outlines: open full-screen, zoom ----
  document.querySelectorAll("figure.picture").forEach(function (figure) {
    var svg = figure.querySelector("svg");
    if (!svg) return;
    var open = document.createElement("button");
    open.type = "button";
    open.className = "picture-open";
    open.textContent = "Full screen";
    open.addEventListener("click", function () { showPicture(svg); });
    figure.appendChild(open);
  });
  function showPicture(svg) {
    var dialog = document.createElement("dialog");
    dialog.className = "picture-dialog";
    dialog.setAttribute("aria-label", svg.getAttribute("aria-label") || "Outline");
    var bar = document.createElement("div");
    bar.className = "picture-bar";
    var holder = document.createElement("div");
    holder.className = "picture-holder";
    var copy = svg.cloneNode(true);
    var width = parseFloat(svg.getAttribute("width")) || 800;
    var zoom = 1;
    function apply() { copy.style.width = Math.round(width * zoom) + "px"; copy.style.maxWidth = "none"; }
    [["Zoom in", "+", 1.25], ["Zoom out", "\u2212", 0.8]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[1];
      button.setAttribute("aria-label", spec[0]);
      button.addEventListener("click", function () { zoom = Math.min(6, Math.max(0.2, zoom * spec[2])); apply(); });
      bar.appendChild(button);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () { dialog.close(); });
    bar.appendChild(close);
    holder.appendChild(copy);
    dialog.appendChild(bar);
    dialog.appendChild(holder);
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    zoom = Math.min(1, (window.innerWidth - 24) / width) || 1;
    apply();
    dialog.showModal();
    close.focus();
  }

  // ---- "on this page" for long topic pages, from their h2 headings ----
  var onPage = document.getElementById("on-this-page");
  if (onPage) {
    var headings = document.querySelectorAll("article.topic h2[id], article.topic .prose h3[id]");
    if (headings.length >= 3 && document.body.scrollHeight > window.innerHeight * 1.6) {
      var list = onPage.querySelector("ul");
      headings.forEach(function (heading) {
        var item = document.createElement("li");
        if (heading.tagName === "H3") item.className = "toc-3";
        var link = document.createElement("a");
        link.href = "#" + heading.id;
        link.textContent = heading.textContent.replace(/\s*[#¶]\s*$/, "");
        item.appendChild(link);
        list.appendChild(item);
      });
      onPage.hidden = false;
    }
  }
})();
