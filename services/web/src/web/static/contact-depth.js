// The contact depth charts (ECharts), from each page's JSON — the same numbers as its table. A click on a
// bar or a cell opens its customers (the table's links go to the same place for keyboards and screen readers).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  function chartOf(boxId, dataId) {
    var box = document.getElementById(boxId), data = document.getElementById(dataId);
    if (!box || !data) return null;
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return { box: box, chart: chart, d: JSON.parse(data.textContent) };
  }
  var bars = chartOf("cdi-chart", "cdi-data");
  if (bars) {
    var d = bars.d;
    bars.chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: "value", name: d.axis, nameLocation: "middle", nameGap: 28, min: 0, max: 100 },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [{ name: d.axis, type: "bar", data: d.values, itemStyle: { color: "#0b5cad" }, cursor: "pointer" }]
    });
    bars.chart.on("click", function (p) { if (d.links[p.dataIndex]) window.location.href = d.links[p.dataIndex]; });
    bars.box.dataset.ready = "true";
  }
  var heat = chartOf("heat-chart", "heat-data");
  if (heat) {
    var h = heat.d;
    heat.chart.setOption({
      aria: { enabled: true },
      tooltip: { position: "top" },
      grid: { left: 8, right: 24, top: 16, bottom: 64, containLabel: true },
      xAxis: { type: "category", data: h.buckets, name: h.x_axis, nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "category", data: h.tiers, name: h.y_axis },
      visualMap: { min: 0, max: Math.max(1, h.max), calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#eef3fb", "#0b5cad"] } },
      series: [{ type: "heatmap", data: h.points, label: { show: true }, cursor: "pointer" }]
    });
    heat.chart.on("click", function (p) {
      var link = (h.links[p.data[1]] || [])[p.data[0]];
      if (link) window.location.href = link;
    });
    heat.box.dataset.ready = "true";
  }
});
