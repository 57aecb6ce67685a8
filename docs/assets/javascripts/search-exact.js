/* Exact matches first in Material's search.
 *
 * The build writes search/exact-index.js (macros/exact_search.py): every record's
 * name, aliases, acronym, registry id and patent number, normalised, with the
 * record's page. When the query typed into Material's search box normalises to
 * one of those keys, the record(s) it names are shown at the top of Material's
 * result list, with the name that matched ("Herceptin → Trastuzumab"); Material's
 * own ranked results follow in their usual order (without a second entry for the
 * same page). Enter opens the top result, as for Material's own results.
 *
 * Normalising (same rule as the build): NFKC, lower case, letters and digits only,
 * so "T-DM1", "t-dm1", "TDM1" and "T DM1" are one key.
 *
 * The lookup is a script, not fetched JSON, so it also loads from file://; it is
 * loaded the first time the search box is used. Without JavaScript nothing here runs.
 */
(function () {
  "use strict";

  var GLOBAL = "atlasExactSearch";
  var INDEX = "search/exact-index.js";
  var MAX_SHOWN = 5;
  var TOP_SCORE = 1e9; // above any lunr score, so that Enter opens the exact match
  var KIND = { mechanisms: "Mechanism", agents: "Agent", trials: "Trial", patents: "Patent" };

  var NOT_LETTER_OR_DIGIT;
  try {
    NOT_LETTER_OR_DIGIT = new RegExp("[^\\p{L}\\p{N}]+", "gu");
  } catch (e) {
    NOT_LETTER_OR_DIGIT = /[^a-z0-9]+/g; // browsers without Unicode property escapes
  }

  function normalise(text) {
    var s = String(text);
    if (s.normalize) s = s.normalize("NFKC");
    return s.toLowerCase().replace(NOT_LETTER_OR_DIGIT, "");
  }

  function config() {
    var el = document.getElementById("__config");
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  }

  // A path relative to the site root, as an absolute URL (Material's base is relative to the page).
  function siteUrl(path) {
    var base = config().base || ".";
    if (base.charAt(base.length - 1) !== "/") base += "/";
    return new URL(base + path, window.location.href);
  }

  var loading = false;
  function loadIndex(then) {
    if (window[GLOBAL] || loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = siteUrl(INDEX).href;
    script.onload = then;
    document.head.appendChild(script);
  }

  // The records a query names, best first: [{url, label, kind, field, text}].
  function matches(query) {
    var data = window[GLOBAL];
    var key = normalise(query);
    if (!data || !key || !Object.prototype.hasOwnProperty.call(data.keys, key)) return [];
    return data.keys[key].slice(0, MAX_SHOWN).map(function (hit) {
      var rec = data.records[hit[0]];
      return { url: siteUrl(rec[0]), label: rec[1], kind: rec[2], field: hit[1], text: hit[2] };
    });
  }

  function why(hit) {
    if (hit.field === "alias") return hit.text + " \u2192 " + hit.label;
    if (normalise(hit.text) === normalise(hit.label)) return "exact " + hit.field;
    return hit.field + ": " + hit.text;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  // Same markup as Material's own result items, so it is styled and navigated like them.
  function item(hit, rank) {
    var reason = el("p", { "class": "atlas-exact__why" }, [
      el("span", { "class": "atlas-exact__kind" }, [KIND[hit.kind] || hit.kind]), " \u00b7 ", why(hit)]);
    var article = el("article", { "class": "md-search-result__article md-typeset", "data-md-score": String(TOP_SCORE - rank) }, [
      el("div", { "class": "md-search-result__icon md-icon" }), el("h1", {}, [hit.label]), reason]);
    var link = el("a", { href: hit.url.href, "class": "md-search-result__link", tabindex: "-1" }, [article]);
    return el("li", { "class": "md-search-result__item atlas-exact", "data-atlas-exact": hit.url.pathname }, [link]);
  }

  function pagePath(li) {
    var a = li.querySelector("a[href]");
    if (!a) return null;
    try { return new URL(a.getAttribute("href"), window.location.href).pathname; } catch (e) { return null; }
  }

  function setUp() {
    var input = document.querySelector("input.md-search__input");
    var result = document.querySelector("[data-md-component=search-result]");
    if (!input || !result) return;
    var list = result.querySelector(".md-search-result__list");
    var meta = result.querySelector(".md-search-result__meta");
    if (!list || !meta) return;
    var none = (config().translations || {})["search.result.none"];

    // Idempotent: when everything is in place it changes nothing (it also runs on its own mutations).
    function refresh() {
      var hits = matches(input.value);
      var wanted = hits.map(function (h) { return h.url.pathname; });
      var children = Array.prototype.slice.call(list.children);
      var ours = children.filter(function (li) { return li.hasAttribute("data-atlas-exact"); });
      var inPlace = ours.length === wanted.length && ours.every(function (li, i) {
        return children[i] === li && li.getAttribute("data-atlas-exact") === wanted[i];
      });
      if (!inPlace) {
        ours.forEach(function (li) { list.removeChild(li); });
        var first = list.firstChild;
        hits.forEach(function (hit, i) { list.insertBefore(item(hit, i), first); });
      }
      // Material's entry for a page already shown above is dropped; the rest keep their order.
      Array.prototype.slice.call(list.children).forEach(function (li) {
        if (!li.hasAttribute("data-atlas-exact") && wanted.indexOf(pagePath(li)) >= 0) list.removeChild(li);
      });
      if (hits.length && none && meta.textContent === none) {
        var text = hits.length === 1 ? "1 exact match" : hits.length + " exact matches";
        if (meta.firstChild && meta.firstChild.nodeType === 3) meta.firstChild.nodeValue = text;
        else meta.textContent = text;
      }
    }

    var observer = new MutationObserver(refresh);
    observer.observe(list, { childList: true });
    observer.observe(meta, { childList: true, characterData: true, subtree: true });
    function onUse() { loadIndex(refresh); refresh(); }
    input.addEventListener("focus", onUse);
    input.addEventListener("input", onUse);
    input.addEventListener("keyup", onUse);
    if (input.form) input.form.addEventListener("reset", function () { window.setTimeout(refresh, 0); });
    if (input.value) onUse();
  }

  // From file:// Material's document$ never emits: start on DOMContentLoaded.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
