/* hub.eu: when a form comes back with errors, the keyboard and the screen reader start at
   their summary (templates/bootstrap5/errors.html). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var summary = document.querySelector(".form-error-summary");
  if (summary) summary.focus();
});
