// The console's ECharts start-up, shared by its chart pages (loaded after echarts.min.js, before the page's
// own script). A chart box's numbers sit in a JSON script element beside it, the same numbers as the page's
// table; build(d, chart) returns the ECharts option (and may add handlers, e.g. a click opening a link).
// The box gets data-ready once drawn: the browser tests wait for it.
window.drawChart = function (boxId, dataId, build) {
  var box = document.getElementById(boxId), data = document.getElementById(dataId);
  if (!box || !data || !window.echarts) return null;
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  window.addEventListener("resize", function () { chart.resize(); });
  chart.setOption(build(JSON.parse(data.textContent), chart));
  box.dataset.ready = "true";
  return chart;
};
