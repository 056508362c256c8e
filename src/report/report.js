// keikaku review report: sorting and filtering the records, highlighting a
// record's lines, and telling where a line went. Everything the page says
// is in its HTML; this only adds ways to move through it.
(function () {
  "use strict";
  var places = JSON.parse(document.getElementById("places").textContent);
  var lit = [];

  function clear() {
    lit.forEach(function (el) { el.classList.remove("hl"); });
    lit = [];
  }

  // Highlights lines from..to and brings the first into view.
  function highlight(from, to, origin) {
    clear();
    var first = null;
    document.querySelectorAll("[data-l]").forEach(function (el) {
      var l = +el.getAttribute("data-l");
      if (l >= from && l <= to) {
        el.classList.add("hl");
        lit.push(el);
        if (!first) first = el;
      }
    });
    if (origin) { origin.classList.add("hl"); lit.push(origin); }
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "center" });
    return first;
  }

  // Where a line went: links to the places, and what there is to check.
  function showLine(el) {
    var panel = document.getElementById("line-panel");
    panel.textContent = "";
    var head = document.createElement("strong");
    head.textContent = "line " + el.getAttribute("data-l") + " (page " + el.getAttribute("data-pg") + ")";
    panel.appendChild(head);
    var text = document.createElement("div");
    text.textContent = el.getAttribute("title") || "";
    panel.appendChild(text);
    var list = document.createElement("ul");
    (el.getAttribute("data-p") || "").split(" ").filter(Boolean).forEach(function (i) {
      var place = places[+i];
      if (!place) return;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + place[1];
      link.textContent = place[0];
      item.appendChild(link);
      list.appendChild(item);
    });
    if (list.children.length) panel.appendChild(list);
    else if (!text.textContent) text.textContent = "in no field (a blank line or furniture)";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "close";
    close.addEventListener("click", function () { panel.hidden = true; });
    panel.appendChild(close);
    panel.hidden = false;
    clear();
    el.classList.add("hl");
    lit.push(el);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var loc = target.closest && target.closest("a.loc");
    if (loc) {
      event.preventDefault();
      var row = loc.closest("tr[id^=rec-]");
      highlight(+loc.getAttribute("data-from"), +loc.getAttribute("data-to"), row);
      history.replaceState(null, "", loc.getAttribute("href"));
      return;
    }
    var record = target.closest && target.closest("#records-table tbody tr");
    if (record) {
      var a = record.querySelector("a.loc");
      highlight(+a.getAttribute("data-from"), +a.getAttribute("data-to"), record);
      return;
    }
    var line = target.closest && target.closest("[data-l]");
    if (line) showLine(line);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.getElementById("line-panel").hidden = true;
      clear();
    } else if (event.key === "Enter" && event.target.hasAttribute && event.target.hasAttribute("data-l")) {
      showLine(event.target);
    }
  });

  // Sorting: a header's button sorts by its column, numbers as numbers.
  var table = document.getElementById("records-table");
  if (table) {
    var body = table.tBodies[0];
    table.querySelectorAll("th button").forEach(function (button) {
      button.addEventListener("click", function () {
        var th = button.parentNode;
        var column = +button.getAttribute("data-col");
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) { return row.cells[column].textContent; };
        var numeric = rows.every(function (r) { var k = key(r); return k === "" || !isNaN(+k); });
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), order;
          if (numeric) order = (x === "" ? Infinity : +x) - (y === "" ? Infinity : +y) || 0;
          else order = x.localeCompare(y, "ja");
          return ascending ? order : -order;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        table.dispatchEvent(new Event("sorted"));
      });
    });
    // Filtering by goal, department and rating, and showing the rows a
    // page at a time: a table of thousands of rows and dozens of columns
    // takes seconds to lay out whole.
    var form = document.querySelector("form.filters");
    if (form) {
      form.hidden = false;
      var shown = document.getElementById("records-shown");
      var PAGE = 100, first = 0;
      var apply = function () {
        var wanted = {};
        form.querySelectorAll("select").forEach(function (s) { wanted[s.getAttribute("data-filter")] = s.value; });
        var count = 0;
        Array.prototype.forEach.call(body.rows, function (row) {
          var ok = (!wanted.goal || row.getAttribute("data-goal") === wanted.goal) &&
            (!wanted.rating || row.getAttribute("data-rating") === wanted.rating) &&
            (!wanted.departments || row.getAttribute("data-departments").split("|").indexOf(wanted.departments) >= 0);
          row.hidden = !ok || count < first || count >= first + PAGE;
          if (ok) count++;
        });
        if (first >= count) first = 0;
        var last = Math.min(first + PAGE, count);
        shown.textContent = (count ? (first + 1) + "–" + last : "0") + " of " + count + " records" +
          (count < body.rows.length ? " (of " + body.rows.length + ")" : "");
        form.querySelector("[data-page=prev]").disabled = first === 0;
        form.querySelector("[data-page=next]").disabled = last >= count;
      };
      form.addEventListener("change", function () { first = 0; apply(); });
      form.querySelectorAll("[data-page]").forEach(function (button) {
        button.addEventListener("click", function () {
          first = Math.max(0, first + (button.getAttribute("data-page") === "next" ? PAGE : -PAGE));
          apply();
        });
      });
      table.addEventListener("sorted", apply);
      apply();
    }
  }

  // Printing shows the whole outline.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });

  // A link to a line (#L12) on arrival highlights it.
  var m = /^#L(\d+)$/.exec(location.hash);
  if (m) highlight(+m[1], +m[1]);
})();
