/* Contribution forms: collectivity autocomplete, adding formset rows, suggested continuum mode.
   Everything here is an enhancement: the forms work without JavaScript. */
(function () {
  "use strict";

  /* --- Collectivity autocomplete (ARIA 1.2 combobox over /territoires/recherche/) --- */
  function initPicker(root) {
    var input = root.querySelector('input[name$="territory_query"]');
    var hidden = root.querySelector('input[name$="territory"][type="hidden"]');
    var box = root.querySelector(".autocomplete-results");
    var list = box && box.querySelector("ul");
    var status = root.querySelector("[data-territory-status]");
    if (!input || !hidden || !list) return;
    var url = root.getAttribute("data-search-url");
    // Translated words come from the template; numbers follow the page's language.
    var inhabitants = root.getAttribute("data-label-inhabitants") || "";
    var resultsLabel = root.getAttribute("data-label-results") || "";
    var locale = document.documentElement.lang || "fr";
    var timer = null, results = [], active = -1, seq = 0;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    function close() {
      box.hidden = true; input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant"); active = -1;
    }
    function highlight(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (items[index]) { input.setAttribute("aria-activedescendant", items[index].id); }
    }
    function choose(index) {
      var item = results[index];
      if (!item) return;
      hidden.value = item.id;
      input.value = item.name;
      if (status) status.textContent = item.label;
      close();
    }
    function render() {
      list.innerHTML = "";
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var text = item.label;
        if (item.population) text += " — " + item.population.toLocaleString(locale) + " " + inhabitants;
        li.textContent = text;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      box.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      if (status) status.textContent = results.length + " " + resultsLabel;
    }
    function search() {
      var q = input.value.trim();
      if (q.length < 2) { results = []; render(); return; }
      var mine = ++seq;
      fetch(url + "?limit=10&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (mine === seq) { results = data.results || []; active = -1; render(); } })
        .catch(function () { /* the plain search on submit still works */ });
    }
    input.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (box.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, results.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  /* --- Formsets: "add a row" clones the empty form instead of a round trip --- */
  function initFormset(root) {
    var total = root.querySelector('input[name$="-TOTAL_FORMS"]');
    var rows = root.querySelector("[data-rows]");
    var template = root.querySelector("template[data-empty-row]");
    var button = root.querySelector("[data-add-row]");
    if (!total || !rows || !template || !button) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      while (holder.firstChild) { rows.appendChild(holder.firstChild); }
      total.value = String(index + 1);
      var rowsNow = rows.querySelectorAll("[data-row]");
      var added = rowsNow[rowsNow.length - 1] || row;
      var number = added.querySelector("[data-row-number]");
      if (number) number.textContent = String(rowsNow.length);
      initSuggestions(added);
      var first = added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  }

  /* --- Suggested continuum mode: a hint and a pre-selection, never a decision --- */
  var suggested = {};
  var data = document.getElementById("suggested-modes");
  if (data) { try { suggested = JSON.parse(data.textContent); } catch (e) { suggested = {}; } }

  function initSuggestions(scope) {
    scope.querySelectorAll('select[name$="-tool_type"]').forEach(function (select) {
      var row = select.closest("[data-row]");
      if (!row || select.dataset.suggestionsReady) return;
      select.dataset.suggestionsReady = "1";
      var hint = row.querySelector("[data-suggestion]");
      select.addEventListener("change", function () {
        var mode = suggested[select.value];
        var radios = row.querySelectorAll('input[type=radio][name$="-coproduction_mode"]');
        if (!mode) { if (hint) hint.hidden = true; return; }
        var chosen = Array.prototype.some.call(radios, function (r) { return r.checked; });
        var label = "";
        radios.forEach(function (r) {
          if (r.value === mode) {
            label = (row.querySelector('label[for="' + r.id + '"] strong') || {}).textContent || mode;
            if (!chosen) r.checked = true;
          }
        });
        if (hint) {
          hint.textContent = (hint.getAttribute("data-text") || "%(mode)s").replace("%(mode)s", label);
          hint.hidden = false;
        }
      });
    });
  }

  /* --- The error summary: focus lands on it, and each of its links focuses its field --- */
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) return;
        event.preventDefault();
        var details = target.closest("details");
        if (details) details.open = true;
        target.scrollIntoView({ block: "center" });
        target.focus();
      });
    });
  }

  /* --- Leaving the guided form with unsaved typing asks first (a link, the language switch…) --- */
  document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = form.getAttribute("data-unsaved-warning");  // browsers show their own text
      return event.returnValue;
    });
  });

  document.querySelectorAll("[data-territory-picker]").forEach(initPicker);
  document.querySelectorAll("[data-formset]").forEach(initFormset);
  initSuggestions(document);
})();
