// Quiz pages: save each answer as it is given (so another device can resume), keep an answer
// that could not be saved on this phone and send it again (visibly "not yet saved", never
// dropped silently), report leaving the page, show practice feedback, confirm submission, count
// down. Without JS the forms still post and redirect.
(function () {
  "use strict";
  var head = document.querySelector("[data-attempt]");
  if (!head) { return; }
  var KEY = "lms-quiz-pending-" + head.dataset.attempt;
  var banner = document.querySelector("[data-pending]");
  var submitForm = document.querySelector("form[data-submit]");
  var retryDelay = 2000;
  var retryTimer = null;
  var flushing = null;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function store(queue) {
    try {
      if (Object.keys(queue).length) {
        window.localStorage.setItem(KEY, JSON.stringify(queue));
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) { /* private mode: the queue lives in memory only */ }
  }
  var queue = load();

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function post(url, entries) {
    var body = new FormData();
    entries.forEach(function (entry) {
      // A token saved before a reload or a new login may be stale: send the page's own.
      body.append(entry[0], entry[0] === "csrfmiddlewaretoken" ? csrfToken() : entry[1]);
    });
    return fetch(url, {
      method: "POST",
      body: body,
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    });
  }
  function formFor(questionId) {
    return document.querySelector("form[data-question='" + questionId + "']");
  }
  function showState(questionId, text, pending) {
    var form = formFor(questionId);
    if (!form) { return; }
    form.classList.toggle("is-pending", Boolean(pending));
    var state = form.querySelector("[data-save-state]");
    if (state) { state.textContent = text; }
  }
  function showBanner() {
    var count = Object.keys(queue).length;
    if (!banner) { return; }
    banner.hidden = count === 0;
    banner.textContent = banner.dataset.text.replace("{n}", String(count));
  }
  // After a save: the "n of N answered" counter (the server's count) and the question's dot.
  var counter = document.querySelector("[data-answered]");
  function showAnswered(questionId, entry, answered) {
    if (counter && typeof answered === "number") {
      counter.textContent = counter.dataset.text.replace("{n}", String(answered));
    }
    var dot = document.querySelector("[data-dot='" + questionId + "']");
    if (dot) {
      var given = entry.entries.some(function (pair) {
        return (pair[0] === "choice" || pair[0] === "text") && String(pair[1]).trim() !== "";
      });
      dot.classList.toggle("is-answered", given);
    }
  }
  function stateText(form, name) {
    var state = form && form.querySelector("[data-save-state]");
    return state ? state.dataset[name] || "" : "";
  }

  // Send the queued answer of one question. Resolves true once saved, false otherwise (kept
  // for a retry after a network failure or a server error; dropped, with the reason shown,
  // when the server refuses it).
  function send(questionId) {
    var entry = queue[questionId];
    if (!entry) { return Promise.resolve(true); }
    var form = formFor(questionId);
    return post(entry.url, entry.entries).then(function (response) {
      if (response.status >= 500 || response.status === 403 || response.status === 429) {
        throw new Error("retry");
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (queue[questionId] === entry) { delete queue[questionId]; store(queue); }
        showBanner();
        if (!response.ok) {
          showState(questionId, body.error || "", false);
          if (body.final) { window.location.reload(); }
          return false;
        }
        showState(questionId, stateText(form, "saved") || "✓", false);
        showAnswered(questionId, entry, body.answered);
        if (body.feedback) { window.location.reload(); }
        return true;
      });
    }).catch(function () {
      showState(questionId, stateText(form, "unsaved"), true);
      showBanner();
      scheduleRetry();
      return false;
    });
  }

  // One pass over the queue, in order; true when every answer in it was saved.
  function pass() {
    return Object.keys(queue).reduce(function (chain, id) {
      return chain.then(function (allSaved) {
        return send(id).then(function (saved) { return allSaved && saved; });
      });
    }, Promise.resolve(true));
  }
  // Send everything queued; resolves true once nothing is left unsaved. Answers given while a
  // pass runs are sent by another pass right after it.
  function flush() {
    if (flushing) { return flushing.then(function () { return flush(); }); }
    flushing = pass().then(function (allSaved) {
      flushing = null;
      var left = Object.keys(queue).length;
      if (allSaved && left) { return flush(); }
      if (!left) { retryDelay = 2000; }
      return allSaved && !left;
    });
    return flushing;
  }
  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }
  window.addEventListener("online", function () { retryDelay = 2000; flush(); });

  function save(form) {
    var data = new FormData(form);
    data.delete("goto");
    var entries = [];
    data.forEach(function (value, name) { entries.push([name, value]); });
    var questionId = form.dataset.question;
    queue[questionId] = { url: form.action, entries: entries };
    store(queue);
    showState(questionId, stateText(form, "saving"), false);
    return flush();
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var timer;
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA") { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(form); }, 800);
    });
    // "Save and next" / "Previous": save first, then move on; stay while it is not saved.
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || button.name !== "goto") { return; }
      event.preventDefault();
      save(form).then(function (saved) {
        if (!saved) {
          showState(form.dataset.question, stateText(form, "stay"), true);
          return;
        }
        var params = new URLSearchParams(window.location.search);
        params.set("q", button.value);
        window.location.assign(window.location.pathname + "?" + params.toString());
      });
    });
  });

  function submitAttempt() {
    if (submitForm) { submitForm.dataset.confirmed = "1"; submitForm.submit(); }
  }
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      var button = submitForm.querySelector("[data-confirm]");
      if (submitForm.dataset.confirmed !== "1") {
        if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); return; }
      }
      if (Object.keys(queue).length) {
        event.preventDefault();
        flush().then(function (saved) {
          if (saved) { submitAttempt(); } else { window.alert(submitForm.dataset.wait); }
        });
      }
    });
  }

  // Leaving the page (a call, another app): reported once per time away, never blocking.
  var away = false;
  var eventsKey = "lms-quiz-left-" + head.dataset.attempt;
  function sendEvents() {
    var waiting = Number(window.localStorage.getItem(eventsKey) || "0");
    if (!waiting) { return; }
    var kind = window.localStorage.getItem(eventsKey + "-kind") || "hidden";
    post(head.dataset.eventUrl, [["kind", kind], ["csrfmiddlewaretoken", ""]]).then(function (response) {
      if (response.status >= 500) { return; }
      var left = Math.max(Number(window.localStorage.getItem(eventsKey) || "1") - 1, 0);
      window.localStorage.setItem(eventsKey, String(left));
      return response.json().then(function (body) {
        if (body.status && body.status !== "in_progress") { window.location.reload(); }
        if (left) { sendEvents(); }
      });
    }).catch(function () { /* sent again when the page is back or the network is */ });
  }
  function left(kind) {
    if (away) { return; }
    away = true;
    try {
      window.localStorage.setItem(eventsKey, String(Number(window.localStorage.getItem(eventsKey) || "0") + 1));
      window.localStorage.setItem(eventsKey + "-kind", kind);
    } catch (e) { /* ignore */ }
    sendEvents();
  }
  function back() {
    away = false;
    sendEvents();
    flush();
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { left("hidden"); } else { back(); }
  });
  window.addEventListener("blur", function () { left("blur"); });
  window.addEventListener("focus", function () { if (document.visibilityState === "visible") { back(); } });
  window.addEventListener("online", sendEvents);

  // Time up: send what is still queued, then submit; until the grace period ends, keep trying.
  function timeUp(graceEnds) {
    flush().then(function (saved) {
      if (saved) { submitAttempt(); return; }
      if (Date.now() > graceEnds) { window.location.reload(); return; }
      window.setTimeout(function () { timeUp(graceEnds); }, 3000);
    });
  }
  var timer = document.querySelector("[data-deadline]");
  if (timer) {
    var deadline = new Date(timer.dataset.deadline).getTime();
    var graceEnds = deadline + Number(timer.dataset.grace || "0") * 1000;
    var tick = function () {
      var secondsLeft = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      timer.textContent = Math.floor(secondsLeft / 60) + ":" + String(secondsLeft % 60).padStart(2, "0");
      if (secondsLeft === 0) { timeUp(graceEnds); } else { window.setTimeout(tick, 1000); }
    };
    if (head.hasAttribute("data-time-up")) { timeUp(graceEnds); } else { tick(); }
  }

  showBanner();
  Object.keys(queue).forEach(function (id) {
    showState(id, stateText(formFor(id), "unsaved"), true);
  });
  flush();
})();
