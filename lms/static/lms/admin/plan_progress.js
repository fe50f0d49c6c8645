// Polls the plan's publishing progress (JSON) until the run has finished or failed.
(function () {
  "use strict";
  var box = document.querySelector("[data-plan-progress]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var message = box.querySelector("[data-progress-message]");
  var planStatus = box.querySelector("[data-progress-plan-status]");

  function render(data) {
    if (data.total) {
      bar.max = data.total;
    }
    bar.value = data.done || 0;
    message.textContent = data.message;
    planStatus.textContent = data.plan_status_label;
  }

  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        render(data);
        if (["queued", "running", "waiting"].indexOf(data.state) !== -1) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  if (["queued", "running", "waiting"].indexOf(box.dataset.state) !== -1) {
    window.setTimeout(poll, 500);
  }
})();
