/* Progressive enhancement of the filter panel and the comparison checkboxes.
 * Without JavaScript everything works through plain links and GET forms. */
(function () {
  "use strict";
  // No auto-submit on <select> change: keyboard users browsing options would reload the page at each
  // arrow key (WCAG 3.2.2); the filters apply with the submit button.

  // Empty fields are left out of the URL (?q=&launch_year_min=… helps nobody and breaks shared links).
  document.querySelectorAll("form.filter-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && (el.tagName === "INPUT" || el.tagName === "SELECT") && el.type !== "submit" && !el.value) {
          el.disabled = true;
        }
      });
    });
  });
  // Coming back through the history, the disabled fields must be usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filter-form [disabled]").forEach(function (el) { el.disabled = false; });
  });

  // On a phone the filter panel would push the results a screen down: it folds behind its title, open
  // on demand (the active filters stay in sight).
  var panel = document.querySelector(".filters[role=search]");
  var title = panel && panel.querySelector("h2");
  var narrow = window.matchMedia && window.matchMedia("(max-width: 56rem)").matches;
  function openPanel(open) {
    panel.classList.toggle("filters-collapsed", !open);
    title.querySelector("button").setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (panel && title && narrow) {
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "filters-toggle";
    toggle.textContent = title.textContent;
    title.textContent = "";
    title.appendChild(toggle);
    toggle.addEventListener("click", function () { openPanel(panel.classList.contains("filters-collapsed")); });
    openPanel(!!panel.querySelector(".has-error, .field-error"));
  }

  // A facet click reloads the page: focus goes back to the same option, not to the top (26-36 Tabs).
  var KEY = "observatory-facet-focus";
  document.querySelectorAll("a.facet-option").forEach(function (link) {
    link.addEventListener("click", function () {
      try { sessionStorage.setItem(KEY, link.getAttribute("data-facet") + "=" + link.getAttribute("data-value")); } catch (e) { /* private mode */ }
    });
  });
  try {
    var wanted = sessionStorage.getItem(KEY);
    if (wanted) {
      sessionStorage.removeItem(KEY);
      var parts = wanted.split("=");
      var target = document.querySelector('a.facet-option[data-facet="' + CSS.escape(parts[0]) + '"][data-value="' + CSS.escape(parts.slice(1).join("=")) + '"]');
      if (target) {
        if (panel && panel.classList.contains("filters-collapsed")) openPanel(true);
        target.focus();
      }
    }
  } catch (e) { /* sessionStorage unavailable: focus stays at the top, as without JavaScript */ }

  // At most N cases in a comparison: further boxes are disabled until one is unticked.
  document.querySelectorAll("form[data-compare-max]").forEach(function (form) {
    var max = parseInt(form.getAttribute("data-compare-max"), 10) || 6;
    var hidden = form.querySelectorAll("input[type=hidden][name=cas]").length;
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name=cas]"));
    function update() {
      var ticked = boxes.filter(function (b) { return b.checked; }).length + hidden;
      boxes.forEach(function (b) { b.disabled = !b.checked && ticked >= max; });
    }
    // The tray follows the ticks at once: the URL and every same-page link (pages, facets, chips) carry
    // the selection, so it survives pagination and filter changes without a reload.
    function carry() {
      var chosen = Array.prototype.map.call(form.querySelectorAll("input[type=hidden][name=cas]"), function (i) { return i.value; })
        .concat(boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }));
      function withSelection(search) {
        var params = new URLSearchParams(search);
        params.delete("cas");
        chosen.forEach(function (slug) { params.append("cas", slug); });
        return params.toString();
      }
      history.replaceState(history.state, "", "?" + withSelection(location.search.slice(1)) + location.hash);
      document.querySelectorAll('a[href^="?"]').forEach(function (a) {
        a.setAttribute("href", "?" + withSelection(a.getAttribute("href").slice(1)));
      });
      document.querySelectorAll("[data-tray-count]").forEach(function (el) { el.textContent = chosen.length; });
    }
    boxes.forEach(function (b) { b.addEventListener("change", function () { update(); carry(); }); });
    update();
  });
})();
