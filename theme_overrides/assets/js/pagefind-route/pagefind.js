/* sebabox: Pagefind's search API for a sharded site, routed (outputs/search_bundles.py).
 *
 * Pagefind's Default UI imports `${bundlePath}pagefind.js`; on a sharded site assets/js/search.js points it
 * here. This module uses the site's own pagefind/pagefind.js (the primary bundle: the merge's pages) in two
 * ways. The module's own instance, with the directory bundles merged (pagefind-directory/N/: one directory
 * page per shard bundle, 32 shard bundles a directory bundle), is the directory: a query's results
 * there name the shards' bundles that can match it. The query is then run by an instance of the
 * primary bundle with exactly those bundles merged (Pagefind's mergeIndex), made for that set of bundles
 * and kept for the next queries that need the same set; so a query reads the index chunks of the bundles
 * that can match it, never of every bundle, and a word typed earlier does not make later queries read more.
 * Pagefind's code, WebAssembly and the primary's metadata are fetched once (the same addresses: the
 * browser's cache). Directory pages are never shown as results.
 */
const root = new URL("../../../", import.meta.url);
const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
const listed = fetch(new URL("pagefind/sebabox-bundles.json", root), { cache: "no-cache" })
  .then(function (response) { return response.ok ? response.json() : {}; })
  .then(function (list) { return list || {}; }, function () { return {}; });
let listing = null; // a promise: the directory (page id -> shard bundle), once its bundles are merged
const KEPT = 4; // instances kept (a result's excerpt is read from its instance when shown)
const instances = new Map(); // "bundle bundle …" -> a promise of its instance, the most recent last
let given = {};
let mergeOptions = {};

function instanceFor(bundles) {
  const key = bundles.join(" ");
  if (!instances.has(key)) {
    const made = (async function () {
      const instance = pagefind.createInstance({ basePath: new URL("pagefind/", root).pathname });
      await instance.options(given);
      for (const bundle of bundles) {
        await instance.mergeIndex(new URL(bundle, root).pathname, mergeOptions);
      }
      return instance;
    })();
    instances.set(key, made);
    while (instances.size > KEPT) {
      const oldest = instances.keys().next().value;
      instances.get(oldest).then(function (instance) { instance.destroy(); });
      instances.delete(oldest);
    }
  } else {
    const kept = instances.get(key);
    instances.delete(key);
    instances.set(key, kept);
  }
  return instances.get(key);
}

function directoryReady() {
  if (!listing) {
    listing = (async function () {
      const list = await listed;
      for (const bundle of Array.isArray(list.directories) ? list.directories : []) {
        if (/^pagefind-directory\/\d+\/$/.test(bundle)) {
          await pagefind.mergeIndex(new URL(bundle, root).pathname, mergeOptions);
        }
      }
      return list.directory || {};
    })();
  }
  return listing;
}

async function bundlesFor(term, options) {
  const directory = await directoryReady();
  const found = await pagefind.search(term, options);
  const bundles = [];
  (found ? found.results : []).forEach(function (result) {
    const bundle = directory[result.id];
    if (bundle && bundles.indexOf(bundle) < 0 && /^pagefind-shards\/[\w.-]+\/$/.test(bundle)) bundles.push(bundle);
  });
  return { bundles: bundles.sort(), directory: directory };
}

export async function options(options) {
  given = Object.assign({}, given, options);
  mergeOptions = {};
  ["baseUrl", "excerptLength", "exactDiacritics"].forEach(function (key) {
    if (key in given) mergeOptions[key] = given[key];
  });
  return pagefind.options(options);
}

export async function search(term, options) {
  const routed = await bundlesFor(term, options);
  const instance = await instanceFor(routed.bundles);
  const response = await instance.search(term, options);
  if (!response) return response;
  const results = response.results.filter(function (result) { return !(result.id in routed.directory); });
  return Object.assign({}, response, {
    results: results,
    unfilteredResultCount: response.unfilteredResultCount - (response.results.length - results.length)
  });
}

// while a word is typed: the directory's chunks only (bundles are read for a search, not for a prefix)
export async function preload(term, options) { await directoryReady(); return pagefind.preload(term, options); }
export async function debouncedSearch(term, options, timeout) {
  await new Promise(function (resolve) { setTimeout(resolve, timeout || 300); });
  return search(term, options);
}
export function mergeIndex(path, options) { return pagefind.mergeIndex(path, options); }
export function filters() { return pagefind.filters(); }
export function init() { return pagefind.init(); }
export function destroy() {
  instances.forEach(function (made) { made.then(function (instance) { instance.destroy(); }); });
  instances.clear();
  return pagefind.destroy();
}
