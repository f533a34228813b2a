// The process health charts (ECharts), from each page's JSON — the same numbers as its table: each rep's PHI
// composite with the team average as a line, and the KPI bars of each rep beside the team average.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  function chartOf(boxId, dataId) {
    var box = document.getElementById(boxId), data = document.getElementById(dataId);
    if (!box || !data) return null;
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return { box: box, chart: chart, d: JSON.parse(data.textContent) };
  }
  var phi = chartOf("phi-chart", "phi-data");
  if (phi) {
    var p = phi.d;
    phi.chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 24, bottom: 32, containLabel: true },
      xAxis: { type: "category", data: p.labels },
      yAxis: { type: "value", name: p.axis, min: 0, max: 100 },
      series: [{ name: p.axis, type: "bar", data: p.values, itemStyle: { color: "#0b5cad" },
                 markLine: { symbol: "none", label: { formatter: p.average_name + " {c}" },
                             data: [{ yAxis: p.average }] } }]
    });
    phi.box.dataset.ready = "true";
  }
  var data = document.getElementById("kpi-data");
  if (data) {
    JSON.parse(data.textContent).measures.forEach(function (m, i) {
      var box = document.getElementById("kpi-chart-" + i);
      if (!box) return;
      var chart = window.echarts.init(box, null, { renderer: "svg" });
      window.addEventListener("resize", function () { chart.resize(); });
      var last = m.values.length - 1;  // the team average, drawn grey
      chart.setOption({
        aria: { enabled: true },
        title: { text: m.title, left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 24, top: 40, bottom: 32, containLabel: true },
        xAxis: { type: "category", data: m.labels },
        yAxis: { type: "value" },
        series: [{ name: m.title, type: "bar", data: m.values.map(function (v, j) {
          return { value: v, itemStyle: { color: j === last ? "#8a8f98" : "#0b5cad" } };
        }) }]
      });
      box.dataset.ready = "true";
    });
  }
});
