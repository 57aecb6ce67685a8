/* Atlas data tables: sorting (vendored tablesort) and filtering, for every
 * `.atlas-table` the site generator writes (see macros/tables.py).
 *
 * Each cell carries its sort key in data-sort ("" = missing); each row carries
 * its filter values in data-f-<name>. Filters are mirrored in the URL hash
 * (#phase=III&agent=tucatinib&q=brain) so a filtered view can be shared. A table
 * with data-state-prefix (one embedded in a page, maybe beside another) keeps
 * its own keys under that prefix (#trial-table-1.phase=III) and leaves the
 * other tables' keys alone.
 * Runs on DOMContentLoaded: from file:// Material's document$ never emits.
 */
(function () {
  "use strict";

  // Direction of the sort about to happen, so that missing values go last both ways.
  var nextDirection = "ascending";

  function isMissing(v) { return v === undefined || v === null || v.trim() === ""; }
  function asNumber(v) { return /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(v.trim()) ? parseFloat(v) : NaN; }

  function registerSort() {
    if (typeof Tablesort === "undefined" || Tablesort.atlasRegistered) return;
    Tablesort.atlasRegistered = true;
    // tablesort sorts with a descending comparator and reverses for ascending.
    Tablesort.extend("atlas", function () { return false; }, function (a, b) {
      var ma = isMissing(a), mb = isMissing(b);
      if (ma && mb) return 0;
      var missingFirst = nextDirection === "ascending"; // before the reverse
      if (ma) return missingFirst ? -1 : 1;
      if (mb) return missingFirst ? 1 : -1;
      var na = asNumber(a), nb = asNumber(b);
      if (!isNaN(na) && !isNaN(nb)) return nb - na;
      return b.localeCompare(a);
    });
  }

  // A hand-edited address may hold a broken %-escape; keep it as typed rather than fail.
  function decode(s) { try { return decodeURIComponent(s); } catch (e) { return s; } }

  function readHash() {
    var out = {};
    var h = window.location.hash.replace(/^#/, "");
    if (!h || h.indexOf("=") < 0) return out;
    h.split("&").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (i > 0) out[decode(pair.slice(0, i))] = decode(pair.slice(i + 1).replace(/\+/g, " "));
    });
    return out;
  }

  // Which hash keys belong to a table: its prefix, or (no prefix) keys without a dot.
  function owns(prefix, key) {
    return prefix ? key.indexOf(prefix) === 0 : key.indexOf(".") < 0;
  }

  // Write one table's state (keys already prefixed), keeping every other table's keys.
  function writeHash(prefix, state) {
    var all = readHash();
    Object.keys(all).forEach(function (k) { if (owns(prefix, k)) delete all[k]; });
    Object.keys(state).forEach(function (k) { all[k] = state[k]; });
    var parts = Object.keys(all).filter(function (k) { return all[k]; }).sort().map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(all[k]);
    });
    var url = window.location.href.split("#")[0] + (parts.length ? "#" + parts.join("&") : "");
    try { history.replaceState(null, "", url); } catch (e) { /* some file:// contexts refuse */ }
  }

  function setUp(wrapper) {
    var table = wrapper.querySelector("table.atlas-data");
    var form = wrapper.querySelector("form.atlas-filters");
    if (!table || wrapper.getAttribute("data-ready")) return;
    wrapper.setAttribute("data-ready", "1");
    var noun = wrapper.getAttribute("data-noun") || "rows";
    var prefix = wrapper.getAttribute("data-state-prefix") || "";

    registerSort();
    if (typeof Tablesort !== "undefined") {
      var sorter = new Tablesort(table);
      table.addEventListener("beforeSort", function () {
        var th = sorter.current;
        var now = th ? th.getAttribute("aria-sort") : null;
        nextDirection = now === "ascending" ? "descending" : "ascending";
      });
    }
    if (!form) return;
    form.hidden = false;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var search = form.querySelector("input[name=q]");
    var output = form.querySelector("output");

    function apply(updateUrl) {
      var state = {};
      selects.forEach(function (s) { state[prefix + s.name] = s.value; });
      var q = search.value.trim();
      state[prefix + "q"] = q;
      var words = q.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var ok = selects.every(function (s) {
          if (!s.value) return true;
          var vals = (row.getAttribute("data-f-" + s.name) || "").split(" ");
          return vals.indexOf(s.value) >= 0;
        });
        if (ok && words.length) {
          var hay = (row.textContent + " " + (row.getAttribute("data-text") || "")).toLowerCase();
          ok = words.every(function (w) { return hay.indexOf(w) >= 0; });
        }
        row.hidden = !ok;
        if (ok) shown++;
      });
      output.textContent = shown + " of " + rows.length + " " + noun;
      if (updateUrl) writeHash(prefix, state);
    }

    function fromHash() {
      var state = readHash();
      selects.forEach(function (s) {
        var want = state[prefix + s.name] || "";
        s.value = want;
        if (s.value !== want) s.value = "";  // an unknown value selects nothing
      });
      search.value = state[prefix + "q"] || "";
    }

    fromHash();
    selects.forEach(function (s) {
      s.addEventListener("change", function () { apply(true); });
    });
    // Following a shared link on an open page changes only the hash.
    window.addEventListener("hashchange", function () { fromHash(); apply(false); });
    search.addEventListener("input", function () { apply(true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    apply(false);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".atlas-table"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // Hosted with instant navigation, Material swaps pages without a load event.
  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init);
  }
})();
