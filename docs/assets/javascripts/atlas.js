/* Atlas data tables: sorting, filtering and a row limit, for every `.atlas-table` the site
 * generator writes (see macros/tables.py).
 *
 * Each cell carries its sort key in data-sort ("" = missing, last both ways); each row carries
 * its filter values in data-f-<name>. Filters are mirrored in the URL hash
 * (#phase=III&agent=tucatinib&q=brain) so a filtered view can be shared. A table
 * with data-state-prefix (one embedded in a page, maybe beside another) keeps
 * its own keys under that prefix (#trial-table-1.phase=III) and leaves the
 * other tables' keys alone.
 * A table longer than its data-page-rows shows that many matching rows, with buttons for more.
 * Only the rows shown are moved and restyled: the browser's cost grows with the rows on screen,
 * not with the table (a 1,000-row table sorts and filters within a frame or two). Each column's
 * order is computed once, on its first use.
 * Runs on DOMContentLoaded: from file:// Material's document$ never emits.
 */
(function () {
  "use strict";

  var NUMBER = /^-?\d+(\.\d+)?(e-?\d+)?$/i;
  var collator = typeof Intl !== "undefined" && Intl.Collator ? new Intl.Collator() : null;
  function compareText(a, b) { return collator ? collator.compare(a, b) : a.localeCompare(b); }
  function slice(list) { return Array.prototype.slice.call(list); }

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
    var pager = wrapper.querySelector(".atlas-pager");
    if (!table || !table.tBodies.length || wrapper.getAttribute("data-ready")) return;
    wrapper.setAttribute("data-ready", "1");
    var noun = wrapper.getAttribute("data-noun") || "rows";
    var prefix = wrapper.getAttribute("data-state-prefix") || "";
    var pageRows = parseInt(wrapper.getAttribute("data-page-rows"), 10) || Infinity;

    var tbody = table.tBodies[0];
    var rows = slice(tbody.rows);
    var n = rows.length;
    var order = rows.map(function (r, i) { return i; }); // row indices in the current sort order
    var pass = rows.map(function () { return true; });   // does row i pass the filters?
    var matching = n;
    var limit = pageRows;
    var shown = rows.slice();                           // rows in the visible body, in order (the HTML shows all)
    var orders = {};                                    // "column:direction" -> row indices
    var hay = null;                                     // each row's text, lower case, on first search
    var values = {};                                    // filter name -> each row's values

    function sortedOrder(col, direction) {
      var id = col + ":" + direction;
      if (orders[id]) return orders[id];
      var keys = rows.map(function (r) {
        var cell = r.cells[col];
        return cell ? (cell.getAttribute("data-sort") || "").trim() : "";
      });
      var nums = keys.map(function (k) { return NUMBER.test(k) ? parseFloat(k) : NaN; });
      var sign = direction === "descending" ? -1 : 1;
      orders[id] = order.slice().sort(function (a, b) {
        var ma = keys[a] === "", mb = keys[b] === "";
        if (ma || mb) return (ma - mb) || (a - b);
        var c = !isNaN(nums[a]) && !isNaN(nums[b]) ? nums[a] - nums[b] : compareText(keys[a], keys[b]);
        return sign * c || (a - b);
      });
      return orders[id];
    }

    // The rows off screen wait in a second, hidden body: a row moved among the visible ones then
    // restyles only its new neighbours, not every row after it.
    var spare = document.createElement("tbody");
    spare.hidden = true;
    spare.className = "atlas-spare";
    table.appendChild(spare);

    // The first `limit` passing rows in order make up the visible body, in order; the others
    // wait in the spare one. Returns how many rows were visible before.
    function render() {
      var want = [];
      for (var k = 0; k < n && want.length < limit; k++) if (pass[order[k]]) want.push(rows[order[k]]);
      var wanted = new Set(want);
      shown.forEach(function (r) { if (!wanted.has(r)) spare.appendChild(r); });
      var ref = tbody.firstElementChild;
      want.forEach(function (r) {
        if (r === ref) ref = r.nextElementSibling;
        else tbody.insertBefore(r, ref);
      });
      var before = shown.length;
      shown = want;
      if (pager) {
        var rest = matching - want.length;
        pager.hidden = rest <= 0;
        if (rest > 0) {
          pager.querySelector(".atlas-pager-text").textContent =
            "Showing " + want.length + " of " + matching + " " + noun + ".";
          pager.querySelector("[data-rows=more]").textContent = "Show " + Math.min(rest, pageRows) + " more";
          pager.querySelector("[data-rows=all]").textContent = "Show all " + matching;
        }
      }
      return before;
    }

    var headerRow = table.tHead ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    var headers = headerRow ? slice(headerRow.cells) : [];
    function sortBy(th, col) {
      var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      headers.forEach(function (h) { if (h !== th) h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", direction);
      order = sortedOrder(col, direction);
      render();
    }
    headers.forEach(function (th, col) {
      if (th.getAttribute("data-sort-method") === "none") return;
      th.setAttribute("role", "columnheader");
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(th, col); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(th, col); }
      });
    });

    if (pager) {
      pager.addEventListener("click", function (e) {
        var which = e.target.getAttribute && e.target.getAttribute("data-rows");
        if (!which) return;
        limit = which === "all" ? Infinity : limit + pageRows;
        var from = render();
        // Keyboard readers continue at the first row just shown (the button may have gone).
        var link = shown[from] && shown[from].querySelector("a[href]");
        if (link) link.focus({preventScroll: true});
      });
    }

    if (!form) { render(); return; }
    form.hidden = false;
    var selects = slice(form.querySelectorAll("select"));
    var search = form.querySelector("input[name=q]");
    var output = form.querySelector("output");

    function valuesOf(name) {
      if (!values[name]) {
        values[name] = rows.map(function (r) {
          return (r.getAttribute("data-f-" + name) || "").split(" ").filter(Boolean);
        });
      }
      return values[name];
    }

    function apply(updateUrl) {
      var state = {};
      selects.forEach(function (s) { state[prefix + s.name] = s.value; });
      var q = search.value.trim();
      state[prefix + "q"] = q;
      var words = q.toLowerCase().split(/\s+/).filter(Boolean);
      if (words.length && !hay) {
        hay = rows.map(function (r) { return (r.textContent + " " + (r.getAttribute("data-text") || "")).toLowerCase(); });
      }
      var active = selects.filter(function (s) { return s.value; });
      matching = 0;
      for (var i = 0; i < n; i++) {
        var ok = true;
        for (var j = 0; ok && j < active.length; j++) ok = valuesOf(active[j].name)[i].indexOf(active[j].value) >= 0;
        for (var w = 0; ok && w < words.length; w++) ok = hay[i].indexOf(words[w]) >= 0;
        pass[i] = ok;
        if (ok) matching++;
      }
      limit = pageRows;  // a new selection starts again from its first rows
      render();
      output.textContent = matching + " of " + n + " " + noun;
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
