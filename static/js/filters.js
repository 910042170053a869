/* Progressive enhancement of the filter panel and the comparison checkboxes.
 * Without JavaScript everything works through plain links and GET forms. */
(function () {
  "use strict";
  // No auto-submit on <select> change: keyboard users browsing options would reload the page at each
  // arrow key (WCAG 3.2.2); the filters apply with the submit button.

  // At most N cases in a comparison: further boxes are disabled until one is unticked.
  document.querySelectorAll("form[data-compare-max]").forEach(function (form) {
    var max = parseInt(form.getAttribute("data-compare-max"), 10) || 6;
    var hidden = form.querySelectorAll("input[type=hidden][name=cas]").length;
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name=cas]"));
    function update() {
      var ticked = boxes.filter(function (b) { return b.checked; }).length + hidden;
      boxes.forEach(function (b) { b.disabled = !b.checked && ticked >= max; });
    }
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  });
})();
