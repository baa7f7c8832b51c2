// The schedule form (admin) shows only the advisors of the chosen agency: each advisor's
// box carries its agency in data-agency. A box of another agency is hidden (and so out of
// the tab order) and unticked, since the schedule would refuse it on save.
(function () {
  "use strict";

  function setUp() {
    const agency = document.getElementById("id_agency");
    const list = document.getElementById("id_advisors");
    if (!agency || !list) {
      return; // the agency is read-only: the server already offers only its advisors
    }
    const boxes = Array.from(list.querySelectorAll("input[type=checkbox][data-agency]"));

    function showTheChosenAgency() {
      boxes.forEach(function (box) {
        const ofTheAgency = box.dataset.agency === agency.value;
        box.closest("#id_advisors > div").hidden = !ofTheAgency;
        if (!ofTheAgency) {
          box.checked = false;
        }
      });
    }

    // The agency field is a select2 autocomplete: it tells of a choice through jQuery.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(agency).on("change", showTheChosenAgency);
    } else {
      agency.addEventListener("change", showTheChosenAgency);
    }
    showTheChosenAgency();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
