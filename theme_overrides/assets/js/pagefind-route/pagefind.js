/* sebabox: Pagefind's search API for a sharded site, routed (outputs/search_bundles.py).
 *
 * Pagefind's Default UI imports `${bundlePath}pagefind.js`; on a sharded site assets/js/search.js points it
 * here. This module wraps the site's own pagefind/pagefind.js (the primary bundle: the merge's pages and one
 * directory page per shard bundle) and, for each query, merges only the shards' bundles whose directory
 * page the query finds (Pagefind's mergeIndex), so a query reads the index chunks of the bundles that can
 * match it, not of every bundle. Directory pages are never shown as results.
 */
const root = new URL("../../../", import.meta.url);
const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
const listing = fetch(new URL("pagefind/sebabox-bundles.json", root), { cache: "no-cache" })
  .then(function (response) { return response.ok ? response.json() : {}; })
  .then(function (list) { return (list && list.directory) || {}; }, function () { return {}; });
const merging = new Map(); // bundle -> the promise of its mergeIndex
const ready = new Set(); // bundles merged
let mergeOptions = {};

function bundlePath(bundle) {
  return new URL(bundle, root).pathname;
}

async function route(term, options) {
  const directory = await listing;
  const before = new Set(ready);
  const first = await pagefind.search(term, options);
  if (!first) return first;
  const found = [];
  first.results.forEach(function (result) {
    const bundle = directory[result.id];
    if (bundle && found.indexOf(bundle) < 0 && /^pagefind-shards\/[\w.-]+\/$/.test(bundle)) found.push(bundle);
  });
  await Promise.all(found.map(function (bundle) {
    if (!merging.has(bundle)) {
      merging.set(bundle, pagefind.mergeIndex(bundlePath(bundle), mergeOptions).then(function () { ready.add(bundle); }));
    }
    return merging.get(bundle);
  }));
  const again = found.some(function (bundle) { return !before.has(bundle); });
  return { response: again ? await pagefind.search(term, options) : first, directory: directory };
}

function withoutDirectory(routed) {
  if (!routed || !routed.response) return null;
  const response = routed.response;
  const results = response.results.filter(function (result) { return !(result.id in routed.directory); });
  return Object.assign({}, response, {
    results: results,
    unfilteredResultCount: response.unfilteredResultCount - (response.results.length - results.length)
  });
}

export async function options(given) {
  mergeOptions = {};
  ["baseUrl", "excerptLength", "exactDiacritics"].forEach(function (key) {
    if (key in given) mergeOptions[key] = given[key];
  });
  return pagefind.options(given);
}
export async function search(term, options) { return withoutDirectory(await route(term, options)); }
// while a word is typed: only the primary bundle's chunk (a bundle is merged for a search, not for a prefix
// typed on the way to a word)
export async function preload(term, options) { return pagefind.preload(term, options); }
export async function debouncedSearch(term, options, timeout) {
  await new Promise(function (resolve) { setTimeout(resolve, timeout || 300); });
  return search(term, options);
}
export function mergeIndex(path, options) { return pagefind.mergeIndex(path, options); }
export function filters() { return pagefind.filters(); }
export function init() { return pagefind.init(); }
export function destroy() { return pagefind.destroy(); }
