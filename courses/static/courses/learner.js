// CP-LMS learner pages: tiny progressive enhancements.
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

  // Reading time: while a lesson is on screen, tell the server every few seconds. The server
  // credits each heartbeat with the time since the previous one (capped), so time with the page
  // hidden or the phone asleep hardly counts; the lesson can be completed once it has been on
  // screen for its minimum reading time.
  var lesson = document.querySelector("[data-heartbeat]");
  if (!lesson) {
    return;
  }
  var url = lesson.getAttribute("data-heartbeat");
  var every = parseInt(lesson.getAttribute("data-heartbeat-seconds"), 10) * 1000 || 10000;
  var hint = document.querySelector("[data-reading-left]");
  var timer = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function beat() {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && hint && data.reading_left === 0) {
          hint.hidden = true;
        }
      })
      .catch(function () { /* the next heartbeat tries again */ });
  }

  function start() {
    if (timer === null && document.visibilityState === "visible") {
      timer = window.setInterval(beat, every);
    }
  }

  function stop() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      beat();
      start();
    } else {
      stop();
    }
  });
  start();
})();
