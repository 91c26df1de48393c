// Accepting a suggested theme, IP area or SDG ticks the matching checkbox of the listing form;
// unticking the suggestion unticks it. Ticking a form checkbox directly keeps the suggestion in
// step. Event delegation on the document, so suggestions swapped in by htmx need no set-up.
(function () {
  "use strict";
  // The partial carries this script, so it may run once per swap: listen only once.
  if (window.wipomatchTagSuggestions) return;
  window.wipomatchTagSuggestions = true;

  function formCheckbox(suggestion) {
    var form = suggestion.closest("form");
    if (!form) return null;
    var field = suggestion.getAttribute("data-accept-field");
    var value = suggestion.getAttribute("data-accept-value");
    var boxes = form.querySelectorAll('input[type="checkbox"]');
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].name === field && boxes[i].value === value) return boxes[i];
    }
    return null;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement) || target.type !== "checkbox") return;
    if (target.hasAttribute("data-accept-field")) {
      var box = formCheckbox(target);
      if (box && box.checked !== target.checked) {
        box.checked = target.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return;
    }
    if (!target.name || !target.form) return;
    var suggestions = target.form.querySelectorAll("[data-accept-field]");
    for (var i = 0; i < suggestions.length; i++) {
      var suggestion = suggestions[i];
      if (
        suggestion.getAttribute("data-accept-field") === target.name &&
        suggestion.getAttribute("data-accept-value") === target.value
      ) {
        suggestion.checked = target.checked;
      }
    }
  });
})();
