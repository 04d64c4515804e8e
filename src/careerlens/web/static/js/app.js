// careerlens: draw every figure embedded in the page (JSON in <script type="application/json">) with plotly.js.
"use strict";
(function () {
  function draw() {
    if (typeof window.Plotly === "undefined") { return; }
    document.querySelectorAll("div.chart[data-figure]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-figure"));
      if (!src) { return; }
      var fig = JSON.parse(src.textContent);
      window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });
    });
  }
  // Submit a filter form as soon as a select changes, so the charts follow the filters.
  function autoSubmit() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (sel) {
      sel.addEventListener("change", function () { sel.form.requestSubmit(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(); autoSubmit(); });
})();
