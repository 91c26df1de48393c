/* Browse pages: the filter panel, collapsed behind a button on small screens, stays open
   while filters are changed (htmx replaces the panel with every change). */
(function () {
  "use strict";
  var open = false;
  document.addEventListener("show.bs.collapse", function (event) {
    if (event.target.id === "browse-filters-panel") open = true;
  });
  document.addEventListener("hide.bs.collapse", function (event) {
    if (event.target.id === "browse-filters-panel") open = false;
  });
  document.addEventListener("htmx:afterSwap", function () {
    var panel = document.getElementById("browse-filters-panel");
    var toggle = document.getElementById("browse-filters-toggle");
    if (open && panel && toggle) {
      panel.classList.add("show");
      toggle.setAttribute("aria-expanded", "true");
    }
  });
})();
