// The process health charts (ECharts), from each page's JSON — the same numbers as its table: each rep's PHI
// composite with the team average as a line, and the KPI bars of each rep beside the team average.
document.addEventListener("DOMContentLoaded", function () {
  window.drawChart("phi-chart", "phi-data", function (p) {
    return {
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 24, bottom: 32, containLabel: true },
      xAxis: { type: "category", data: p.labels },
      yAxis: { type: "value", name: p.axis, min: 0, max: 100 },
      series: [{ name: p.axis, type: "bar", data: p.values, itemStyle: { color: "#0b5cad" },
                 markLine: { symbol: "none", label: { formatter: p.average_name + " {c}" },
                             data: [{ yAxis: p.average }] } }]
    };
  });
  // One box per KPI measure (kpi-chart-0, -1, …), all from the one JSON element.
  for (var i = 0; document.getElementById("kpi-chart-" + i); i++) {
    window.drawChart("kpi-chart-" + i, "kpi-data", function (d) {
      var m = d.measures[i], last = m.values.length - 1;  // the team average, drawn grey
      return {
        aria: { enabled: true },
        title: { text: m.title, left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 24, top: 40, bottom: 32, containLabel: true },
        xAxis: { type: "category", data: m.labels },
        yAxis: { type: "value" },
        series: [{ name: m.title, type: "bar", data: m.values.map(function (v, j) {
          return { value: v, itemStyle: { color: j === last ? "#8a8f98" : "#0b5cad" } };
        }) }]
      };
    });
  }
});
