// Request information: show only the consent sentence of the contact channel chosen, and
// only the start dates of the chosen program and campus. Without this script every
// sentence and every start is shown, and the server checks the one that matters.
(function () {
  "use strict";
  var form = document.querySelector("form[data-request-info]");
  if (!form) return;

  function chosenMethod() {
    var checked = form.querySelector('input[name="contact_method"]:checked');
    return checked ? checked.value : "email";
  }

  function showConsent() {
    var method = chosenMethod();
    form.querySelectorAll('input[name^="consent_"]').forEach(function (box) {
      var wrapper = box.closest(".form-check") || box.parentElement;
      var mine = box.name === "consent_" + method;
      wrapper.hidden = !mine;
      if (!mine) box.checked = false;
    });
  }

  function showStarts() {
    var select = form.querySelector('select[name="preferred_cohort"]');
    var program = form.querySelector('select[name="program"]');
    var campus = form.querySelector('select[name="campus"]');
    if (!select || !program || !campus) return;
    select.querySelectorAll("option[data-program]").forEach(function (option) {
      var fits = option.dataset.program === program.value && option.dataset.campus === campus.value;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) select.value = "";
    });
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (name === "contact_method") showConsent();
    if (name === "program" || name === "campus") showStarts();
  });
  showConsent();
  showStarts();
})();
