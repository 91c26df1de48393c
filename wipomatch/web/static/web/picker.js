/* Searchable multi-select (web/widgets.py): filter a long list of checkboxes as you type.
   Works in every script: the filter ignores case and accents ("Cote" finds "Côte d'Ivoire")
   and matches anywhere in the label, so Arabic and Chinese names are found too. */
(function () {
  "use strict";

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "").toLowerCase();
  }

  function setUp(picker) {
    if (picker.dataset.pickerReady) return;
    picker.dataset.pickerReady = "1";
    var filter = picker.querySelector(".picker-filter");
    var status = picker.querySelector(".picker-status");
    var chosen = picker.querySelector(".picker-chosen");
    var items = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-item]"));
    var lang = document.documentElement.lang || undefined;
    items.forEach(function (item) {
      item.dataset.key = fold(item.textContent + " " + item.querySelector("input").value);
    });
    filter.hidden = false;

    function describe(count) {
      // "12 of 249 shown", in the page's numerals
      var total = items.length;
      var fmt = new Intl.NumberFormat(lang);
      return (picker.dataset.shownLabel || "{shown} / {total}")
        .replace("{shown}", fmt.format(count))
        .replace("{total}", fmt.format(total));
    }

    function refreshChosen() {
      var names = items
        .filter(function (item) { return item.querySelector("input").checked; })
        .map(function (item) { return item.querySelector("label").textContent.trim(); });
      chosen.textContent = names.length
        ? chosen.dataset.chosen + " " + names.join(", ")
        : chosen.dataset.none;
    }

    function apply() {
      var needle = fold(filter.value.trim());
      var count = 0;
      items.forEach(function (item) {
        var show = !needle || item.dataset.key.indexOf(needle) !== -1
          || item.querySelector("input").checked;
        item.hidden = !show;
        if (show) count += 1;
      });
      status.textContent = describe(count);
    }

    filter.addEventListener("input", apply);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // filtering must not submit the form
      } else if (event.key === "ArrowDown") {
        var first = items.find(function (item) { return !item.hidden; });
        if (first) { event.preventDefault(); first.querySelector("input").focus(); }
      } else if (event.key === "Escape" && filter.value) {
        event.preventDefault();
        filter.value = "";
        apply();
      }
    });
    picker.addEventListener("change", refreshChosen);
    apply();
    refreshChosen();
  }

  function setUpAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-picker]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpAll(); });
  } else {
    setUpAll();
  }
  document.addEventListener("htmx:load", function (event) { setUpAll(event.target); });
})();
