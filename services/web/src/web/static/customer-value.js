// The value tier chart (ECharts), from the page's JSON — the same numbers as its table. A click on a bar opens
// the tier's customers (the table's links go to the same place for keyboards and screen readers).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var box = document.getElementById("tier-chart"), data = document.getElementById("tier-data");
  if (!box || !data) return;
  var d = JSON.parse(data.textContent);
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  window.addEventListener("resize", function () { chart.resize(); });
  chart.setOption({
    aria: { enabled: true },
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 24, top: 16, bottom: 32, containLabel: true },
    xAxis: { type: "category", data: d.labels },
    yAxis: { type: "value", name: d.axis, minInterval: 1 },
    series: [{ name: d.axis, type: "bar", data: d.values, itemStyle: { color: "#0b5cad" }, cursor: "pointer" }]
  });
  chart.on("click", function (p) { if (d.links[p.dataIndex]) window.location.href = d.links[p.dataIndex]; });
  box.dataset.ready = "true";
});
