/* hub.eu: accessible names and roles that Django's admin and its third-party widgets
   (select2, modeltranslation's jQuery UI tabs, SelectFilter, split date-times, tabular
   inlines) leave out. Loaded on every admin page by templates/admin/base_site.html; it
   watches the page, since most of these widgets are built by scripts after the load. */
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").replace(/[:*]\s*$/, "").trim() : "";
  }

  function hasName(field) {
    if (field.getAttribute("aria-label") || field.getAttribute("aria-labelledby")) return true;
    if (field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]')) return true;
    return Boolean(field.closest("label"));
  }

  function columnHeader(cell) {
    var table = cell.closest("table");
    if (!table || !table.tHead) return "";
    var row = table.tHead.rows[table.tHead.rows.length - 1];
    var index = 0;
    for (var c = cell.parentElement.firstElementChild; c && c !== cell; c = c.nextElementSibling) {
      index += c.colSpan || 1;
    }
    for (var i = 0, at = 0; i < row.cells.length; i++) {
      if (index >= at && index < at + (row.cells[i].colSpan || 1)) return text(row.cells[i]);
      at += row.cells[i].colSpan || 1;
    }
    return "";
  }

  function precedingText(field) {
    var node = field.previousSibling;
    while (node && node.nodeType === Node.ELEMENT_NODE && node.tagName === "BR") node = node.previousSibling;
    return node && node.nodeType === Node.TEXT_NODE ? node.textContent.replace(/[:\s]+$/, "").trim() : "";
  }

  function nameFor(field) {
    var select2 = field.closest(".select2-container");
    if (select2) {
      var select = select2.previousElementSibling;
      return select && select.id ? text(document.querySelector('label[for="' + CSS.escape(select.id) + '"]')) : "";
    }
    var cell = field.closest("td");
    if (cell) {
      var header = columnHeader(cell);
      if (header) return header;
    }
    var row = field.closest(".form-row, .fieldBox, .form-multiline > div");
    var label = row ? text(row.querySelector("label")) : "";
    var part = precedingText(field);
    return label && part ? label + " – " + part : label || part;
  }

  function labelId(label) {
    if (!label.id) label.id = "label-" + (label.htmlFor || Math.random().toString(36).slice(2));
    return label.id;
  }

  function fix(root) {
    root.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (field.type === "hidden" || hasName(field)) return;
      var name = nameFor(field);
      if (name) field.setAttribute("aria-label", name);
    });
    if (document.getElementById("modeltranslation-main-switch") && !hasName(document.getElementById("modeltranslation-main-switch"))) {
      document.getElementById("modeltranslation-main-switch").setAttribute("aria-label", document.documentElement.lang === "nl" ? "Taal" : document.documentElement.lang === "fr" ? "Langue" : "Language");
    }
    // select2's combobox is named by the text of the choice, empty while nothing is chosen:
    // the field's label comes first.
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var select = box.closest(".select2-container").previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
      var by = box.getAttribute("aria-labelledby") || "";
      if (label && by.indexOf(labelId(label)) === -1) {
        box.setAttribute("aria-labelledby", (labelId(label) + " " + by).trim());
      }
      // Its text inside is part of the combobox's name, no text box of its own.
      box.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (shown) {
        shown.removeAttribute("role");
        shown.removeAttribute("aria-readonly");
      });
    });
    // An aria-label on a plain <span> is not allowed: the magnifier icons become images.
    root.querySelectorAll(".help-tooltip[aria-label]:not([role]), .help-tooltip[title]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
      if (!icon.getAttribute("aria-label")) icon.setAttribute("aria-label", icon.title);
    });
    // jQuery UI's tabs put a link inside each tab: the tab takes the keyboard, the link
    // (already bound to its click) no longer needs to be a focusable link of its own.
    root.querySelectorAll("[role=tab] > a[href]").forEach(function (link) {
      link.removeAttribute("href");
      link.removeAttribute("tabindex");
    });
  }

  // Mutation callbacks run before the browser's next task: the names are there before
  // anyone (a person, a screen reader, a test) meets the new widgets. fix() changes only
  // attributes, which this observer does not watch.
  document.addEventListener("DOMContentLoaded", function () {
    fix(document);
    new MutationObserver(function () { fix(document); }).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", function () { fix(document); });
})();
