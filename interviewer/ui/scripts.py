"""Browser-side behaviour, injected into the page's ``<head>``: the phase timer and keyboard shortcuts.

The phase timer ticks in the browser: the server sends the phase's elapsed seconds with
each turn and the script counts on from there, so no one polls the server every second.
Keyboard: Enter sends an interview answer (Gradio's own submit on a one-line box);
Ctrl/Cmd+Enter in the draft grades it, because a multi-line draft needs Enter for new lines.
"""
from __future__ import annotations

HEAD = """
<script>
(function () {
  function fmt(s) { s = Math.max(0, Math.floor(s)); return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); }
  setInterval(function () {
    document.querySelectorAll(".phase-timer[data-elapsed]").forEach(function (el) {
      if (!el.dataset.t0 || el.dataset.seen !== el.dataset.elapsed) {
        el.dataset.seen = el.dataset.elapsed;
        el.dataset.t0 = String(Date.now() / 1000 - parseFloat(el.dataset.elapsed));
      }
      var elapsed = Date.now() / 1000 - parseFloat(el.dataset.t0), budget = parseFloat(el.dataset.budget || "0");
      el.textContent = fmt(elapsed) + (budget ? " / " + fmt(budget) : "");
      var badge = el.closest(".badge");
      if (badge && budget) { badge.classList.toggle("badge-over", elapsed > budget); }
    });
  }, 1000);
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || !e.target.closest) { return; }
    if (e.target.closest("#draft-answer")) {
      var button = document.querySelector("#draft-grade");
      if (button && !button.disabled) { e.preventDefault(); button.click(); }
    }
  }, true);
})();
</script>
"""
