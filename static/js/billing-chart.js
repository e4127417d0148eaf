// Dashboard chart: switch the server-rendered SVG between counts and values. Without
// JavaScript the chart shows counts and the switch stays hidden.
document.addEventListener("DOMContentLoaded", () => {
  const svg = document.querySelector("svg[data-chart]");
  const toggle = document.querySelector("[data-chart-switch]");
  if (!svg || !toggle) return;
  toggle.hidden = false;
  const legend = document.querySelector("[data-series-legend]");
  toggle.addEventListener("change", (event) => {
    const wanted = event.target.value;
    svg.querySelectorAll("g[data-series]").forEach((group) => {
      group.classList.toggle("d-none", group.dataset.series !== wanted);
    });
    if (legend) legend.classList.toggle("invisible", wanted !== "count");
  });
});
