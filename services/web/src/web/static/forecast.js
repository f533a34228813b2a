// The forecast charts (ECharts), from each page's JSON — the same numbers as its tables.
document.addEventListener("DOMContentLoaded", function () {
  window.drawChart("forecast-chart", "forecast-data", function (d) {
    return {
      aria: { enabled: true }, tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 32, containLabel: true },
      xAxis: { type: "category", data: d.labels },
      yAxis: { type: "value", name: d.axis },
      series: d.series.map(function (s) { return { name: s.name, type: "bar", stack: s.stack || undefined, data: s.values }; })
    };
  });
  window.drawChart("forecast-matrix", "forecast-matrix-data", function (h) {
    return {
      aria: { enabled: true }, tooltip: { position: "top" },
      grid: { left: 8, right: 24, top: 16, bottom: 64, containLabel: true },
      xAxis: { type: "category", data: h.lines, name: h.x_axis, nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "category", data: h.regions, name: h.y_axis },
      visualMap: { min: 0, max: Math.max(1, h.max), calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#eef3fb", "#0b5cad"] } },
      series: [{ type: "heatmap", data: h.points, label: { show: true } }]
    };
  });
  window.drawChart("reliability-chart", "reliability-data", function (c) {
    var series = c.series.map(function (s) { return { name: s.name, type: "line", data: s.points, symbolSize: 8 }; });
    series.push({ name: c.diagonal, type: "line", data: [[0, 0], [1, 1]], symbol: "none",
                  lineStyle: { type: "dashed", color: "#888" } });
    return {
      aria: { enabled: true }, tooltip: { trigger: "item" }, legend: { top: 0 },
      grid: { left: 8, right: 24, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: "value", min: 0, max: 1, name: c.x_axis, nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "value", min: 0, max: 1, name: c.y_axis },
      series: series
    };
  });
});
