// The contact depth charts (ECharts), from each page's JSON — the same numbers as its table. A click on a
// bar or a cell opens its customers (the table's links go to the same place for keyboards and screen readers).
document.addEventListener("DOMContentLoaded", function () {
  function follow(link) { if (link) window.location.href = link; }
  window.drawChart("cdi-chart", "cdi-data", function (d, chart) {
    chart.on("click", function (p) { follow(d.links[p.dataIndex]); });
    return {
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: "value", name: d.axis, nameLocation: "middle", nameGap: 28, min: 0, max: 100 },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [{ name: d.axis, type: "bar", data: d.values, itemStyle: { color: "#0b5cad" }, cursor: "pointer" }]
    };
  });
  window.drawChart("heat-chart", "heat-data", function (h, chart) {
    chart.on("click", function (p) { follow((h.links[p.data[1]] || [])[p.data[0]]); });
    return {
      aria: { enabled: true },
      tooltip: { position: "top" },
      grid: { left: 8, right: 24, top: 16, bottom: 64, containLabel: true },
      xAxis: { type: "category", data: h.buckets, name: h.x_axis, nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "category", data: h.tiers, name: h.y_axis },
      visualMap: { min: 0, max: Math.max(1, h.max), calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#eef3fb", "#0b5cad"] } },
      series: [{ type: "heatmap", data: h.points, label: { show: true }, cursor: "pointer" }]
    };
  });
});
