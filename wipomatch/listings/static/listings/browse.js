// Shareable addresses: leave empty filters out of the URL htmx requests and pushes.
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "browse-form") return;
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (name) {
      if (params[name] === "" || (name === "sort" && params[name] === "relevance")) {
        delete params[name];
      }
    });
  });
})();
