// zhizao: draw every ECharts chart whose options sit in a <script type="application/json"> block.
(function () {
  function drawCharts(root) {
    if (typeof echarts === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.drawn) return;
      var chart = echarts.init(el);
      chart.setOption(JSON.parse(source.textContent));
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();

// A form with data-confirm="question" is sent only after the user confirms (no inline handlers: CSP).
document.addEventListener("submit", function (event) {
  var question = event.target.dataset ? event.target.dataset.confirm : null;
  if (question && !window.confirm(question)) event.preventDefault();
}, true);

// A <select data-autosubmit> sends its form when changed (page size, month): no inline handlers (CSP).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
    if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
  }
});

// A checkbox with data-select-all="name" ticks or clears every checkbox of that name (batch selection).
document.addEventListener("change", function (event) {
  var el = event.target;
  var name = el.dataset ? el.dataset.selectAll : null;
  if (!name) return;
  document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
    box.checked = el.checked;
  });
});

// The navbar burger opens and closes the menu at phone width.
document.addEventListener("click", function (event) {
  var burger = event.target.closest ? event.target.closest(".navbar-burger") : null;
  if (!burger) return;
  var menu = document.getElementById(burger.dataset.target);
  var open = !burger.classList.contains("is-active");
  burger.classList.toggle("is-active", open);
  burger.setAttribute("aria-expanded", open ? "true" : "false");
  if (menu) menu.classList.toggle("is-active", open);
});
