// The popup: pause or resume marking for the current site (kept in storage.local as "paused",
// a list of host names; the content script listens for the change).
(async () => {
  "use strict";
  const api = globalThis.browser || globalThis.chrome;
  const box = document.getElementById("enabled");
  const status = document.getElementById("status");
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  let host = "";
  try {
    const url = new URL(tab && tab.url ? tab.url : "");
    if (url.protocol === "http:" || url.protocol === "https:") host = url.hostname;
  } catch {
    host = "";
  }
  if (!host) {
    box.disabled = true;
    status.textContent = "Terms are marked on http(s) pages only.";
    return;
  }
  document.getElementById("host").textContent = host;
  const stored = await api.storage.local.get("paused");
  const paused = new Set(Array.isArray(stored.paused) ? stored.paused : []);
  box.checked = !paused.has(host);
  box.addEventListener("change", async () => {
    if (box.checked) paused.delete(host);
    else paused.add(host);
    await api.storage.local.set({ paused: [...paused] });
    status.textContent = box.checked ? "Marking resumed." : "Paused on this site.";
  });
})();
