// The story editor: live analysis through HTMX, a highlight overlay mirrored under the
// textarea, and the message and hint of the finding under the pointer or the caret.
(function () {
  "use strict";

  const form = document.getElementById("editor-form");
  const textarea = document.getElementById("story-text");
  const overlay = document.getElementById("overlay");
  const panel = document.getElementById("analysis");
  const tip = document.getElementById("finding-tip");
  const caretNote = document.getElementById("caret-note");
  if (!form || !textarea || !overlay) return;

  // Each analysis request carries a sequence number; a response older than the one already
  // shown is dropped, so a slow answer never overwrites a newer one.
  let sent = 0;
  let applied = 0;
  let spans = new Map();
  let caretFinding = null;

  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt !== form) return;
    sent += 1;
    event.detail.headers["X-Analysis-Seq"] = String(sent);
    form.dataset.sent = String(sent);
  });

  function fromEditor(event) {
    return Boolean(event.detail.requestConfig && event.detail.requestConfig.elt === form);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!fromEditor(event)) return;
    const seq = Number(event.detail.xhr.getResponseHeader("X-Analysis-Seq") || "0");
    if (seq < applied) {
      event.detail.shouldSwap = false;
      return;
    }
    applied = seq;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!fromEditor(event) || event.target !== panel) return;
    refresh();
    overlay.dataset.seq = String(applied);
  });

  // The overlay only lines up while the textarea never scrolls inside itself: grow it instead.
  function fitHeight() {
    textarea.style.height = "auto";
    textarea.style.height = textarea.scrollHeight + 2 + "px";
    overlay.scrollTop = textarea.scrollTop;
  }

  // Character ranges (in the textarea's own UTF-16 offsets) of each finding in the overlay.
  function indexSpans() {
    const found = new Map();
    let offset = 0;
    overlay.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.classList.contains("surface__end")) return;
      const length = node.textContent.length;
      if (node.nodeType === Node.ELEMENT_NODE && node.dataset.findings) {
        node.dataset.findings.split(" ").forEach(function (index) {
          const span = found.get(index);
          if (span) span.end = offset + length;
          else found.set(index, { start: offset, end: offset + length });
        });
      }
      offset += length;
    });
    return found;
  }

  function findingItem(index) {
    return document.getElementById("finding-" + index);
  }

  function describe(index) {
    const item = findingItem(index);
    if (!item) return null;
    const text = function (selector) {
      const element = item.querySelector(selector);
      return element ? element.textContent.trim() : "";
    };
    return { severity: text(".badge"), message: text(".finding__message"), hint: text(".finding__hint") };
  }

  function fillTip(container, finding) {
    container.replaceChildren();
    const head = document.createElement("strong");
    head.className = "finding-tip__message";
    head.textContent = finding.severity + ": " + finding.message;
    const hint = document.createElement("span");
    hint.className = "finding-tip__hint";
    hint.textContent = finding.hint;
    container.append(head, hint);
  }

  function findingsAtCaret() {
    const caret = textarea.selectionStart;
    let best = null;
    spans.forEach(function (span, index) {
      if (caret >= span.start && caret <= span.end && (best === null || span.end - span.start < spans.get(best).end - spans.get(best).start)) {
        best = index;
      }
    });
    return best;
  }

  function showCaretFinding() {
    const index = document.activeElement === textarea ? findingsAtCaret() : null;
    if (index === caretFinding) return;
    caretFinding = index;
    overlay.querySelectorAll(".hl--active").forEach(function (mark) {
      mark.classList.remove("hl--active");
    });
    const finding = index === null ? null : describe(index);
    if (!finding) {
      caretNote.replaceChildren();
      caretNote.classList.remove("caret-note--on");
      return;
    }
    overlay.querySelectorAll("mark[data-findings]").forEach(function (mark) {
      if (mark.dataset.findings.split(" ").indexOf(index) !== -1) mark.classList.add("hl--active");
    });
    fillTip(caretNote, finding);
    caretNote.classList.add("caret-note--on");
  }

  function markAt(x, y) {
    const marks = overlay.querySelectorAll("mark[data-findings]");
    for (const mark of marks) {
      for (const rect of mark.getClientRects()) {
        if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) return mark;
      }
    }
    return null;
  }

  function showTipAt(event) {
    const mark = markAt(event.clientX, event.clientY);
    const finding = mark ? describe(mark.dataset.findings.split(" ")[0]) : null;
    if (!finding) {
      tip.hidden = true;
      return;
    }
    fillTip(tip, finding);
    tip.className = "finding-tip finding-tip--" + finding.severity;
    tip.hidden = false;
    const rect = mark.getClientRects()[0];
    const left = Math.max(8, Math.min(event.clientX - 40, window.innerWidth - tip.offsetWidth - 8));
    tip.style.left = left + "px";
    tip.style.top = rect.bottom + 6 + "px";
  }

  function selectFinding(index) {
    const span = spans.get(String(index));
    if (!span) return;
    textarea.focus();
    textarea.setSelectionRange(span.start, span.end);
    caretFinding = null;
    showCaretFinding();
  }

  // Screen readers hear the verdict when it changes, not every keystroke's re-analysis.
  let announcedVerdict = null;
  function announceVerdict() {
    const word = document.getElementById("verdict-word");
    const announcer = document.getElementById("verdict-announcer");
    if (!word || !announcer || word.dataset.verdict === announcedVerdict) return;
    announcedVerdict = word.dataset.verdict;
    const score = document.querySelector(".verdict__number");
    announcer.textContent = "Verdict: " + word.textContent.trim() + (score ? ", score " + score.textContent.trim() : "");
  }

  function refresh() {
    announceVerdict();
    spans = indexSpans();
    caretFinding = null;
    showCaretFinding();
  }

  textarea.addEventListener("input", fitHeight);
  textarea.addEventListener("scroll", function () {
    overlay.scrollTop = textarea.scrollTop;
  });
  ["keyup", "click", "focus", "select"].forEach(function (name) {
    textarea.addEventListener(name, showCaretFinding);
  });
  textarea.addEventListener("blur", showCaretFinding);
  textarea.addEventListener("mousemove", showTipAt);
  textarea.addEventListener("mouseleave", function () {
    tip.hidden = true;
  });
  window.addEventListener("resize", fitHeight);
  panel.addEventListener("click", function (event) {
    const button = event.target.closest(".finding__show");
    if (button) selectFinding(button.dataset.finding);
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      const save = form.querySelector('button[value="save"]');
      if (save) {
        event.preventDefault();
        save.click();
      }
    }
  });

  const initialVerdict = document.getElementById("verdict-word");
  announcedVerdict = initialVerdict ? initialVerdict.dataset.verdict : null;
  fitHeight();
  refresh();
  overlay.dataset.seq = "0";
})();
