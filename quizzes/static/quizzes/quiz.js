// Quiz pages: save each answer as it is given (so another device can resume), show practice
// feedback, confirm submission, count down. Without JS the forms still post and redirect.
(function () {
  "use strict";
  function save(form) {
    var state = form.querySelector("[data-save-state]");
    var data = new FormData(form);
    data.delete("goto");
    return fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) {
        if (state) { state.textContent = response.ok ? state.dataset.saved || "✓" : body.error; }
        if (body.final) { window.location.reload(); }
        if (response.ok && body.feedback) { window.location.reload(); }
      });
    }).catch(function () {
      if (state) { state.textContent = "…"; }
    });
  }
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var timer;
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA") { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(form); }, 800);
    });
  });
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
    });
  });
  var timer = document.querySelector("[data-deadline]");
  if (timer) {
    var deadline = new Date(timer.dataset.deadline).getTime();
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      timer.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) { window.location.reload(); } else { window.setTimeout(tick, 1000); }
    };
    tick();
  }
})();
