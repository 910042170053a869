/* Every page: the header collapses behind a "Menu" button on narrow screens.
 * Without JavaScript the whole header shows; the button only exists when this script runs. */
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var row = header && header.querySelector(".header-row");
  var nav = header && header.querySelector(".main-nav");
  if (!row || !nav) return;
  if (!nav.id) nav.id = "main-nav";
  var button = document.createElement("button");
  button.type = "button";
  button.className = "menu-toggle";
  button.textContent = header.getAttribute("data-menu-label") || "Menu";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", nav.id);
  button.addEventListener("click", function () {
    var open = header.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  row.insertBefore(button, row.children[1] || null);
  header.classList.add("js-menu");
})();
