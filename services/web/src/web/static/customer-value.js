// The value tier chart (ECharts), from the page's JSON — the same numbers as its table. A click on a bar opens
// the tier's customers (the table's links go to the same place for keyboards and screen readers).
document.addEventListener("DOMContentLoaded", function () {
  window.drawChart("tier-chart", "tier-data", function (d, chart) {
    chart.on("click", function (p) { if (d.links[p.dataIndex]) window.location.href = d.links[p.dataIndex]; });
    return {
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: "category", data: d.labels },
      yAxis: { type: "value", name: d.axis, minInterval: 1 },
      series: [{ name: d.axis, type: "bar", data: d.values, itemStyle: { color: "#0b5cad" }, cursor: "pointer" }]
    };
  });
});
