// Practice drills: live countdowns for the timed steps, Ctrl/Cmd+Enter to submit, and one
// submission per form. Without this file the drill still works: the server times each step.
(function () {
  "use strict";

  function clock(seconds) {
    var whole = Math.max(0, Math.ceil(seconds));
    var minutes = Math.floor(whole / 60);
    var rest = whole % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function startCountdown(element) {
    var limit = element.dataset.limit === "" ? null : parseFloat(element.dataset.limit);
    var elapsedAtLoad = parseFloat(element.dataset.elapsed || "0") || 0;
    var value = element.querySelector(".countdown__value");
    var note = element.querySelector(".countdown__note");
    var loadedAt = Date.now();
    var announcedOver = false;

    function tick() {
      var elapsed = elapsedAtLoad + (Date.now() - loadedAt) / 1000;
      if (limit === null) {
        value.textContent = clock(elapsed);
        note.textContent = "elapsed";
        return;
      }
      var remaining = limit - elapsed;
      element.classList.toggle("countdown--low", remaining >= 0 && remaining < 10);
      element.classList.toggle("countdown--over", remaining < 0);
      if (remaining >= 0) {
        value.textContent = clock(remaining);
        note.textContent = "left";
      } else {
        value.textContent = "+" + clock(-remaining);
        note.textContent = "over — keep going, it is recorded, not blocked";
        if (!announcedOver) {
          announcedOver = true;
          element.setAttribute("aria-live", "polite");
        }
      }
    }

    tick();
    window.setInterval(tick, 250);
  }

  function guardForm(form) {
    form.addEventListener("submit", function () {
      if (form.dataset.submitted === "1") {
        return;
      }
      form.dataset.submitted = "1";
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.disabled = true;
        });
      }, 0);
    });
  }

  function submitShortcut(area) {
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && area.form) {
        event.preventDefault();
        area.form.requestSubmit();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-countdown]").forEach(startCountdown);
    document.querySelectorAll("form.drill-step").forEach(guardForm);
    document.querySelectorAll("[data-submit-shortcut]").forEach(submitShortcut);
  });
})();
