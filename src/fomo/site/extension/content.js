// FOMO terms: marks the first mention of each term of the map on any http(s) page and shows a
// card (title, path, essence, links) on hover or keyboard focus. Everything it needs travels
// in terms.js (globalThis.FOMO_TERMS): it makes no network request at all. It never touches
// form fields, editable regions or code, adds no layout (marks are unstyled inline spans with a
// dotted underline; the card is position: fixed), and map text only ever lands in textContent.
// The matcher is a port of fomo.query.annotate (same names, keys and rules).
(() => {
  "use strict";
  const T = globalThis.FOMO_TERMS;
  if (!T || !/^https?:$/.test(location.protocol) || globalThis.__fomoTerms) return;
  globalThis.__fomoTerms = true;
  const api = globalThis.browser || globalThis.chrome;

  const SKIP =
    "script,style,noscript,template,textarea,input,select,option,button,code,pre,kbd,samp," +
    "svg,math,iframe,a,[contenteditable]:not([contenteditable='false']),.fomo-mark,.fomo-card";
  const WORD = /[\p{L}\p{N}_]+/gu;
  const KEY_WORD = /[\p{L}\p{N}]+/gu;
  const ASCII_WORD = /^[A-Za-z0-9]+$/;
  const GAP = /^(?:[ \t\u00a0]*\n?[ \t\u00a0]*|[ \t]?[-\u2010\u2011\u2013/.:+'\u2019][ \t]?)$/;
  const SENTENCE_END = ".!?\n•*#>|";
  const OPENERS = " \t\"'“‘([{-–—";
  const SUPPORT = T.rules.support;

  const keys = new Map(Object.entries(T.keys));
  const proper = new Map(Object.entries(T.proper));
  const exact = new Map(Object.entries(T.exact));
  const prefixes = new Set(T.prefixes);
  const weakNames = new Set(T.weak);
  const spelling = new Map(Object.entries(T.spelling));
  const keepS = new Set(T.keep_s);
  const keyCache = new Map();

  function singular(word) {
    if (word.length <= 3 || keepS.has(word) || /^\d+$/.test(word)) return word;
    if (word.endsWith("ies") && word.length > 4) return word.slice(0, -3) + "y";
    if (/(?:sses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
    if (word.endsWith("s") && !/(?:ss|us|is|ous)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function wordKey(word) {
    let key = keyCache.get(word);
    if (key === undefined && ASCII_WORD.test(word)) {
      const lowered = word.toLowerCase(); // the common case: no accents, one word
      key = singular(spelling.get(lowered) || lowered);
      keyCache.set(word, key);
    } else if (key === undefined) {
      const folded = word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
      key = (folded.match(KEY_WORD) || []).map((w) => singular(spelling.get(w) || w)).join("");
      keyCache.set(word, key);
    }
    return key;
  }

  function sentenceStart(text, start) {
    let i = start - 1;
    while (i >= 0 && OPENERS.includes(text[i])) i--;
    return i < 0 || SENTENCE_END.includes(text[i]);
  }

  function inAddress(text, start, end) {
    let left = start;
    while (left > 0 && !/\s/.test(text[left - 1])) left--;
    let right = end;
    while (right < text.length && !/\s/.test(text[right])) right++;
    const chunk = text.slice(left, right);
    if (chunk.includes("://") || chunk.includes("@")) return true;
    if (/^[("'[<]*(?:www\.|\w[\w-]*(?:\.[\w-]+)+\/)/i.test(chunk)) return true;
    const before = text[start - 1] || "";
    if ("#$\\".includes(before) && before) return true;
    if (before === "." && /[\p{L}\p{N}]/u.test(text[start - 2] || "")) return true;
    return /^[.\\][\p{L}\p{N}]/u.test(text.slice(end, end + 2));
  }

  // Every candidate in one text: {start, end, id, weak}.
  function scan(text) {
    const words = [];
    for (const m of text.matchAll(WORD)) words.push([m.index, m.index + m[0].length, m[0]]);
    const found = [];
    for (let i = 0; i < words.length; i++) {
      const [start, , surface] = words[i];
      const key = wordKey(surface);
      let last = -1;
      let ids = null;
      let weak = false;
      if (prefixes.has(key) || keys.has(key)) {
        let joined = key;
        for (let j = i + 1; j < words.length && prefixes.has(joined); j++) {
          if (!GAP.test(text.slice(words[j - 1][1], words[j][0]))) break;
          joined += wordKey(words[j][2]);
          if (keys.has(joined)) {
            last = j;
            ids = keys.get(joined);
          }
        }
        if (ids === null && keys.has(key)) {
          last = i;
          ids = keys.get(key);
        }
      }
      if (ids === null) {
        const name = exact.has(surface) ? surface : surface.slice(0, -1);
        ids = exact.get(surface) || (surface.endsWith("s") && exact.get(name)) || null;
        weak = ids !== null && weakNames.has(name);
        if (
          !ids &&
          proper.has(key) &&
          surface[0] !== surface[0].toLowerCase() &&
          surface.slice(1) === surface.slice(1).toLowerCase() &&
          !sentenceStart(text, start)
        ) {
          ids = proper.get(key);
        }
        if (ids) last = i;
        else ids = null;
      }
      if (ids === null) continue;
      const end = words[last][1];
      if (inAddress(text, start, end)) continue;
      found.push({ start, end, id: ids[0], weak });
      i = last;
    }
    return found;
  }

  function acceptable(node) {
    const parent = node.parentElement;
    return !!parent && !parent.closest(SKIP); // ([contenteditable] in SKIP: no style lookup)
  }

  const marked = new Set(); // topic ids already marked on this page

  // Mark the first mention of each new topic inside `roots` (elements or text nodes).
  function markIn(roots) {
    const nodes = [];
    for (const root of roots) {
      if (!root.isConnected) continue;
      if (root.nodeType === Node.TEXT_NODE) {
        if (acceptable(root)) nodes.push(root);
        continue;
      }
      if (root.nodeType !== Node.ELEMENT_NODE || root.closest(SKIP)) continue;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) =>
          n.data.trim().length > 1 && acceptable(n)
            ? NodeFilter.FILTER_ACCEPT
            : NodeFilter.FILTER_REJECT,
      });
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    }
    // candidates over the whole pass, at running offsets, so weak ones can find support
    const all = [];
    let offset = 0;
    for (const node of nodes) {
      for (const m of scan(node.data)) all.push({ ...m, node, at: offset + m.start });
      offset += node.data.length + 1;
    }
    const strong = all.filter((m) => !m.weak).map((m) => m.at);
    const byNode = new Map();
    for (const m of all) {
      if (marked.has(m.id)) continue;
      if (m.weak && !strong.some((at) => Math.abs(at - m.at) <= SUPPORT)) continue;
      marked.add(m.id);
      if (!byNode.has(m.node)) byNode.set(m.node, []);
      byNode.get(m.node).push(m);
    }
    for (const [node, found] of byNode) {
      for (const m of found.reverse()) {
        node.splitText(m.end);
        const middle = node.splitText(m.start);
        const mark = document.createElement("span");
        mark.className = "fomo-mark";
        mark.dataset.fomoId = m.id;
        mark.tabIndex = 0;
        mark.setAttribute("role", "button");
        mark.setAttribute("aria-haspopup", "dialog");
        mark.setAttribute("aria-expanded", "false");
        middle.replaceWith(mark);
        mark.appendChild(middle);
      }
    }
  }

  function unmarkAll() {
    for (const mark of document.querySelectorAll("span.fomo-mark")) {
      const parent = mark.parentNode;
      mark.replaceWith(...mark.childNodes);
      parent.normalize();
    }
    marked.clear();
    hide();
  }

  // ---- the card ----
  let card = null;
  let current = null;
  let hideTimer = 0;

  function link(text, href) {
    const a = document.createElement("a");
    a.textContent = text;
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function show(mark) {
    clearTimeout(hideTimer);
    const topic = T.topics[mark.dataset.fomoId];
    if (!topic) return;
    if (!card) {
      card = document.createElement("div");
      card.className = "fomo-card";
      card.id = "fomo-card";
      card.setAttribute("role", "dialog");
      card.hidden = true;
      card.addEventListener("mouseenter", () => clearTimeout(hideTimer));
      card.addEventListener("mouseleave", () => hideSoon());
      card.addEventListener("focusout", (event) => {
        if (!card.contains(event.relatedTarget)) hideSoon();
      });
      document.body.appendChild(card);
    }
    if (current && current !== mark) current.setAttribute("aria-expanded", "false");
    current = mark;
    const [title, path, essence] = topic;
    card.replaceChildren();
    card.setAttribute("aria-label", title);
    const heading = document.createElement("strong");
    heading.className = "fomo-card-title";
    heading.textContent = title;
    const where = document.createElement("div");
    where.className = "fomo-card-path";
    where.textContent = path;
    const body = document.createElement("p");
    body.className = "fomo-card-essence";
    body.textContent = essence;
    card.append(heading, where, body);
    if (T.site) {
      const id = encodeURIComponent(mark.dataset.fomoId);
      const links = document.createElement("div");
      links.className = "fomo-card-links";
      links.append(
        link("Topic page", `${T.site}topics/${id}.html`),
        link("On the map", `${T.site}index.html#topic=${id}`),
      );
      card.append(links);
    }
    mark.setAttribute("aria-expanded", "true");
    mark.setAttribute("aria-describedby", "fomo-card");
    card.hidden = false;
    const box = mark.getBoundingClientRect();
    const width = Math.min(352, window.innerWidth - 16);
    card.style.left = `${Math.max(8, Math.min(box.left, window.innerWidth - width - 8))}px`;
    const below = box.bottom + 6;
    const height = card.offsetHeight;
    card.style.top = `${below + height > window.innerHeight ? Math.max(8, box.top - height - 6) : below}px`;
  }

  function hide() {
    clearTimeout(hideTimer);
    if (card) card.hidden = true;
    if (current) {
      current.setAttribute("aria-expanded", "false");
      current.removeAttribute("aria-describedby");
    }
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  const markOf = (target) => (target instanceof Element ? target.closest(".fomo-mark") : null);
  document.addEventListener("mouseover", (e) => {
    const mark = markOf(e.target);
    if (mark) show(mark);
  });
  document.addEventListener("mouseout", (e) => {
    if (markOf(e.target) && !(card && card.contains(e.relatedTarget))) hideSoon();
  });
  let quiet = null; // the mark Escape returned focus to: its card stays closed
  document.addEventListener("focusin", (e) => {
    const mark = markOf(e.target);
    if (mark && mark !== quiet) show(mark);
    quiet = null;
  });
  document.addEventListener("focusout", (e) => {
    if (markOf(e.target) && !(card && card.contains(e.relatedTarget))) hideSoon();
  });
  document.addEventListener("keydown", (e) => {
    const mark = markOf(e.target);
    if (e.key === "Escape" && card && !card.hidden) {
      const back = current;
      const inside = card.contains(document.activeElement);
      hide();
      if (inside && back) {
        quiet = back;
        back.focus();
      }
    } else if (mark && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      show(mark);
      const first = card && card.querySelector("a");
      if (first) first.focus();
    }
  });

  // ---- keeping up with the page ----
  const pending = new Set();
  let timer = 0;
  const ours = (node) =>
    (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest(
      ".fomo-card,.fomo-mark",
    );
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "characterData") {
        if (!ours(record.target)) pending.add(record.target);
      } else {
        for (const node of record.addedNodes) if (!ours(node)) pending.add(node);
      }
    }
    if (pending.size && !timer) timer = setTimeout(flush, 300);
  });

  function watch() {
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }

  function flush() {
    timer = 0;
    const roots = [...pending];
    pending.clear();
    observer.disconnect();
    try {
      markIn(roots);
    } finally {
      watch();
    }
  }

  let running = false;
  function start() {
    if (running || !document.body) return;
    running = true;
    const began = performance.now();
    markIn([document.body]);
    document.documentElement.dataset.fomoMs = String(Math.round(performance.now() - began));
    watch();
  }

  function stop() {
    running = false;
    observer.disconnect();
    clearTimeout(timer);
    timer = 0;
    pending.clear();
    unmarkAll();
  }

  const host = location.hostname;
  const pausedHere = (paused) => Array.isArray(paused) && paused.includes(host);
  if (api && api.storage && api.storage.local) {
    api.storage.local
      .get("paused")
      .then((stored) => (pausedHere(stored && stored.paused) ? null : start()))
      .catch(start);
    api.storage.onChanged.addListener((changes, area) => {
      if (area !== "local" || !changes.paused) return;
      if (pausedHere(changes.paused.newValue)) stop();
      else start();
    });
  } else {
    start();
  }
})();
