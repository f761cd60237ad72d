/* sebabox: the header search box (partials/sebabox-search.html), driven by Pagefind's Default UI.
 *
 * - pagefind/pagefind-ui.js is fetched on first use (focus, a click on the magnifier or the keyboard
 *   shortcut), not on every page view; the stub input takes the keystrokes until it has loaded.
 * - Paths come from the page's own relative root, so the site works at a domain root and under a subpath.
 * - Queries are NFC-normalised like the page text (sebabox.bengali.nfc at build time): NFC turns the
 *   composed য় ড় ঢ় (U+09DF, U+09DC, U+09DD, composition exclusions) into য/ড/ঢ + nukta, so both
 *   spellings meet. exactDiacritics keeps Pagefind from stripping Bengali vowel signs (marks), which
 *   would make কাল match কল.
 * - "/", "s" or "f" focuses the box, as in Material's own search.
 * - A sharded site (outputs/search_bundles.py) has one bundle per shard besides pagefind/:
 *   pagefind/sebabox-bundles.json lists them (site-relative folders) and they are merged into the one
 *   search (Pagefind's mergeIndex: they run on the primary bundle's code and WebAssembly). With a
 *   directory (which bundle may hold the words typed), the Default UI gets its Pagefind API through
 *   assets/js/pagefind-route/pagefind.js, which merges only those bundles; else all are merged at once.
 *   A one-process build lists none.
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-sb-search]");
  if (!box) return;
  var root = new URL(box.getAttribute("data-sb-root") || "./", window.location.href).pathname;
  var ui = box.querySelector(".sb-search__ui");
  var openButton = box.querySelector(".sb-search__open");
  var closeButton = box.querySelector(".sb-search__close");
  var loading = null;
  box.hidden = false;

  function normalise(term) {
    return term.normalize("NFC");
  }

  function field() {
    return ui.querySelector("input");
  }

  // A citizen's charter lists many services on one page: a result whose match is a service's name
  // (its heading, id seba-N) links to that service's card and shows its excerpt (fee, time limit, officer).
  function serviceResult(result) {
    var best = null;
    (result.sub_results || []).forEach(function (sub) {
      if (!/#seba-\d+$/.test(sub.url || "")) return;
      var found = (sub.locations || []).length;
      if (found && (!best || found > best.locations.length)) best = sub;
    });
    if (best) {
      result.url = best.url;
      result.excerpt = best.excerpt;
      result.meta = Object.assign({}, result.meta, { title: best.title + " — " + (result.meta.title || "") });
    }
    return result;
  }

  // the same options for every bundle, so that each finds and shows its pages as the primary one does
  function bundleOptions(path) {
    return { bundlePath: root + path, baseUrl: root, excerptLength: 22, exactDiacritics: true };
  }

  function bundles() {
    return fetch(root + "pagefind/sebabox-bundles.json", { cache: "no-cache" })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (list) {
        var paths = list && Array.isArray(list.bundles) ? list.bundles : [];
        return {
          routed: !!(list && list.directory && Object.keys(list.directory).length),
          paths: paths.filter(function (path) {
            return typeof path === "string" && /^[\w.-]+(\/[\w.-]+)*\/$/.test(path) && path.indexOf("..") < 0;
          })
        };
      }, function () { return { routed: false, paths: [] }; });
  }

  function mount(list) {
    var stub = ui.querySelector(".sb-search__stub");
    var typed = stub.querySelector("input");
    var hadFocus = document.activeElement === typed;
    var pagefindUI = new window.PagefindUI({
      element: ui,
      bundlePath: root + (list.routed ? "assets/js/pagefind-route/" : "pagefind/"),
      baseUrl: root,
      resetStyles: false,
      showImages: false,
      showSubResults: false,
      excerptLength: 22,
      pageSize: 6,
      debounceTimeoutMs: 250,
      processTerm: normalise,
      processResult: serviceResult,
      exactDiacritics: true,
      mergeIndex: list.routed ? [] : list.paths.map(bundleOptions),
      translations: {
        language: "bn",
        placeholder: "অনুসন্ধান করুন",
        search_label: "এই সাইটে অনুসন্ধান",
        clear_search: "মুছুন",
        load_more: "আরও ফলাফল",
        zero_results: "“[SEARCH_TERM]”: কিছু পাওয়া যায়নি",
        one_result: "“[SEARCH_TERM]”: [COUNT]টি ফলাফল",
        many_results: "“[SEARCH_TERM]”: [COUNT]টি ফলাফল",
        searching: "“[SEARCH_TERM]” খোঁজা হচ্ছে…"
      }
    });
    var real = ui.querySelector(".pagefind-ui .pagefind-ui__search-input");
    real.setAttribute("aria-label", "এই সাইটে অনুসন্ধান");
    real.setAttribute("autocomplete", "off");
    real.setAttribute("spellcheck", "false");
    // hand over: the real input takes focus (and what was typed) before the stub goes, so no key is lost
    var value = typed.value;
    real.value = value;
    if (hadFocus) {
      real.focus();
      real.setSelectionRange(value.length, value.length);
    }
    stub.remove();
    if (value) pagefindUI.triggerSearch(value);
  }

  function load() {
    if (!loading) {
      var list = bundles();
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + "pagefind/pagefind-ui.js";
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      }).then(function () { return list.then(mount); }, function () {
        // no search index here (`build --no-search`, `serve`): say so instead of finding nothing
        var stub = ui.querySelector(".sb-search__stub input");
        if (stub) stub.placeholder = "এই কপিতে অনুসন্ধান নেই";
      });
    }
    return loading;
  }

  function open() {
    box.classList.add("sb-search--open");
    openButton.setAttribute("aria-expanded", "true");
    field().focus();
    load();
  }

  function close() {
    box.classList.remove("sb-search--open", "sb-search--active");
    openButton.setAttribute("aria-expanded", "false");
    if (box.contains(document.activeElement)) document.activeElement.blur();
  }

  openButton.addEventListener("click", open);
  closeButton.addEventListener("click", close);
  ui.addEventListener("focusin", function () {
    box.classList.add("sb-search--active");
    load();
  });
  box.addEventListener("focusout", function (event) {
    if (!event.relatedTarget || !box.contains(event.relatedTarget)) {
      box.classList.remove("sb-search--active");
      if (!event.relatedTarget) return; // window lost focus, or a click on nothing focusable: see below
      box.classList.remove("sb-search--open");
      openButton.setAttribute("aria-expanded", "false");
    }
  });
  document.addEventListener("pointerdown", function (event) {
    if (!box.contains(event.target)) close();
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var input = field();
      if (input && input.closest(".sb-search__stub")) input.value = "";
      close();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (event.key !== "/" && event.key !== "s" && event.key !== "f") return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    open();
  });
})();
