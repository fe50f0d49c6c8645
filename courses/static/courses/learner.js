// CP-LMS learner pages: tiny progressive enhancements; everything works without this file.
(function () {
  "use strict";
  // A second tap on "完成" while the first request is on its way would only repeat an
  // idempotent POST, but disabling the button tells the learner it is being saved.
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("button[type=submit][data-complete]");
    if (button) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });
})();
