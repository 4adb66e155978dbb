// Search-as-you-type fields (Django's admin autocomplete, Select2) get the name of their
// field: Select2 names its combobox by the chosen value only, which is empty until
// something is chosen. The label comes first, the chosen value after it.
"use strict";
(function () {
    function nameAutocompletes() {
        document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
            var label = document.querySelector('label[for="' + select.id + '"]');
            var box = select.parentElement.querySelector(".select2-selection");
            if (!label || !box) {
                return;
            }
            if (!label.id) {
                label.id = select.id + "-label";
            }
            var rendered = box.querySelector(".select2-selection__rendered");
            var ids = label.id + (rendered && rendered.id ? " " + rendered.id : "");
            box.setAttribute("aria-labelledby", ids);
            if (rendered) {
                rendered.setAttribute("aria-labelledby", label.id);
            }
        });
    }
    // Django starts Select2 in a jQuery ready handler, which jQuery runs in a timer set
    // when the document is parsed: queue behind it (and once more when the page is loaded).
    function soon() {
        window.setTimeout(nameAutocompletes, 0);
    }
    document.addEventListener("DOMContentLoaded", soon);
    window.addEventListener("load", soon);
})();
