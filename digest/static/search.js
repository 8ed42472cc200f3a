// The search box in every page's header: results as the reader types, from the Pagefind index in
// pagefind/ (digest writes it from its own data: see digest/search.py). Nothing here runs without
// JavaScript, and the box stays hidden then, as it does on a page opened from a file (browsers do not
// let a file:// page fetch). Only shards.json is fetched with the page; Pagefind itself, and the
// index chunks a query needs, are fetched when the reader starts to search.

const PAGE_SIZE = 10;
const FILTERS = [["digest", "All digests"], ["source", "All sources"], ["tag", "All tags"], ["year", "All years"]];

(() => {
  const box = document.querySelector("[data-search]");
  if (box && location.protocol.startsWith("http")) setUp(box).catch(() => { box.hidden = true; });
})();

async function setUp(box) {
  const root = new URL(box.dataset.root || "./", document.baseURI);
  const bundles = new URL("pagefind/", root);
  const response = await fetch(new URL("shards.json", bundles));
  const { shards } = await response.json();
  if (!shards || !shards.length) return;
  const input = box.querySelector("input[type=search]");
  const panel = box.querySelector(".search-panel");
  const state = { pagefind: null, results: [], shown: 0, term: "" };
  box.hidden = false;

  const load = async () => {
    if (!state.pagefind) state.pagefind = start(bundles, shards, root.pathname);
    return state.pagefind;
  };
  const run = async () => {
    const term = input.value.trim();
    if (!term) return close(panel);
    const pagefind = await load();
    const search = await pagefind.debouncedSearch(term, { filters: chosenFilters(box) }, 150);
    if (search === null) return; // a newer keystroke took over
    Object.assign(state, { results: search.results, shown: 0, term });
    panel.hidden = false;
    box.querySelector(".search-hits").replaceChildren();
    await showMore(box, state);
  };
  input.addEventListener("focus", () => { load(); });
  input.addEventListener("input", run);
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") run(); });
  box.querySelector(".search-filters").addEventListener("change", run);
  // The filter menus list every digest, source, tag and year: loaded only when the reader opens them.
  box.querySelector(".search-narrow").addEventListener("toggle", async (event) => {
    if (event.target.open) await fillFilters(box, await load());
  });
  box.querySelector(".search-more").addEventListener("click", () => showMore(box, state));
  box.addEventListener("keydown", (event) => { if (event.key === "Escape") { close(panel); input.focus(); } });
  document.addEventListener("click", (event) => { if (!box.contains(event.target)) close(panel); });
}

async function start(bundles, shards, basePath) {
  const pagefind = await import(new URL(`${shards[0]}/pagefind.js`, bundles).href);
  await pagefind.options({ baseUrl: basePath, excerptLength: 24 });
  await pagefind.init();
  await Promise.all(shards.slice(1).map((shard) => pagefind.mergeIndex(new URL(`${shard}/`, bundles).href, { baseUrl: basePath })));
  return pagefind;
}

function close(panel) {
  panel.hidden = true;
}

async function fillFilters(box, pagefind) {
  const holder = box.querySelector(".search-filters");
  if (holder.childElementCount) return;
  const available = await pagefind.filters();
  for (const [name, label] of FILTERS) {
    const values = Object.keys(available[name] || {});
    if (!values.length) continue;
    values.sort(name === "year" ? newestFirst : (a, b) => a.localeCompare(b));
    const select = element("select", { name, "aria-label": label.replace("All ", "Only these ") });
    select.append(element("option", { value: "" }, label));
    for (const value of values) select.append(element("option", { value }, value));
    holder.append(select);
  }
}

// Years newest first, "undated" last.
function newestFirst(a, b) {
  return (/^\d/.test(b) - /^\d/.test(a)) || b.localeCompare(a);
}

function chosenFilters(box) {
  const chosen = {};
  for (const select of box.querySelectorAll(".search-filters select")) {
    if (select.value) chosen[select.name] = select.value;
  }
  return chosen;
}

async function showMore(box, state) {
  const list = box.querySelector(".search-hits");
  const next = state.results.slice(state.shown, state.shown + PAGE_SIZE);
  state.shown += next.length;
  const found = await Promise.all(next.map((result) => result.data()));
  list.append(...found.map(hit));
  const count = state.results.length;
  box.querySelector(".search-status").textContent =
    count ? `${count} result${count === 1 ? "" : "s"} for “${state.term}”` : `Nothing found for “${state.term}”`;
  box.querySelector(".search-more").hidden = state.shown >= count;
}

function hit(data) {
  const meta = data.meta || {};
  const item = element("li", { class: "search-hit" });
  const title = element("a", { href: data.url, class: "search-hit-title" }, meta.title || data.url);
  const facts = [meta.kind === "digest" ? `Digest · ${meta.count || ""} articles` : "", meta.date, meta.source,
    meta.kind === "article" && meta.digest ? `in ${meta.digest}` : ""].filter(Boolean);
  item.append(title, element("p", { class: "search-hit-meta" }, facts.join(" · ")), excerpt(data.excerpt || ""));
  return item;
}

// Pagefind's excerpt is HTML whose only tags are <mark>: it is rebuilt from text nodes and <mark>s,
// so nothing an article says is ever parsed as markup.
function excerpt(html) {
  const paragraph = element("p", { class: "search-hit-excerpt" });
  html.split(/(<mark>.*?<\/mark>)/s).forEach((part) => {
    const marked = part.match(/^<mark>(.*)<\/mark>$/s);
    const text = decode(marked ? marked[1] : part);
    paragraph.append(marked ? element("mark", {}, text) : document.createTextNode(text));
  });
  return paragraph;
}

function decode(text) {
  return new DOMParser().parseFromString(`<!doctype html><body>${text}`, "text/html").body.textContent;
}

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}
