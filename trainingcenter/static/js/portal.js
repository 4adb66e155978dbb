// Student portal, progressive enhancement only: every page works without it.
(function () {
  "use strict";

  // A form sent back with errors: move the focus to its summary, which lists them.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  } else {
    // Back on the path page after an action on a step: the page opens at the step (its
    // #step-N anchor), whose card shows the message; the focus goes to the message, so
    // screen readers read it and the next Tab starts from there. After the load: the
    // browser's own scroll to the anchor moves the focus, so it must come first.
    var landed = location.hash && document.getElementById(location.hash.slice(1));
    var said = landed && landed.querySelector(".step-messages .alert");
    if (said) {
      window.addEventListener("load", function () {
        window.setTimeout(function () {
          said.focus({ preventScroll: true });
        }, 0);
      });
    }
  }

  // Copy buttons (the private calendar link): shown only where the clipboard works.
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!target || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(
        function () {
          status.textContent = "Link copied. Paste it into your calendar app.";
        },
        function () {
          status.textContent = "Could not copy: select the link and copy it yourself.";
        }
      );
    });
  });

  // File inputs: the chosen file's name in full, on its own line (a narrow phone cuts
  // the browser's own text short).
  document.querySelectorAll("input[type=file][data-file-name]").forEach(function (input) {
    var line = document.getElementById(input.getAttribute("data-file-name"));
    if (!line) {
      return;
    }
    input.classList.add("has-file-line");
    line.textContent = "No file chosen";
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (file) {
        return file.name;
      });
      line.textContent = names.length ? "Chosen: " + names.join(", ") : "No file chosen";
    });
  });
})();
