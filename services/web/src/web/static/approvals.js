// The bottleneck report's bar chart (ECharts): the numbers come from the page's JSON, the same as its table.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("bottleneck-chart");
  var data = document.getElementById("bottleneck-data");
  if (!box || !data || !window.echarts) return;
  var d = JSON.parse(data.textContent);
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    aria: { enabled: true },
    tooltip: { trigger: "axis" },
    legend: { data: d.series, top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 32, containLabel: true },
    xAxis: { type: "value", name: d.axis, nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "category", data: d.labels, inverse: true },
    series: [
      { name: d.series[0], type: "bar", data: d.median, itemStyle: { color: "#0b5cad" } },
      { name: d.series[1], type: "bar", data: d.p90, itemStyle: { color: "#b3261e" } }
    ]
  });
  box.dataset.ready = "true";
  window.addEventListener("resize", function () { chart.resize(); });
});
