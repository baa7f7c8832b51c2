// On a phone the slot filters fold behind a button: once a choice has updated the list,
// fold them again so the slots (and the new filter chip) are in view.
document.body.addEventListener("htmx:afterSwap", (event) => {
  const form = document.getElementById("slot-filters");
  if (!form || event.detail.target.id !== "slot-results") return;
  if (!window.matchMedia("(max-width: 991.98px)").matches) return;
  const fold = () => bootstrap.Collapse.getOrCreateInstance(form, { toggle: false }).hide();
  if (form.classList.contains("collapsing")) {
    // Still opening (a quick tap): fold once it has opened.
    form.addEventListener("shown.bs.collapse", fold, { once: true });
  } else if (form.classList.contains("show")) {
    fold();
  }
});
