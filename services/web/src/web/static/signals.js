// The intent conversion report's bars (ECharts): each rep's rate beside their team's, from the page's JSON,
// the same numbers as its table.
document.addEventListener("DOMContentLoaded", function () {
  window.drawChart("conversion-chart", "conversion-data", function (d) {
    return {
      aria: { enabled: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { data: d.series, top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 32, containLabel: true },
      xAxis: { type: "value", name: d.axis, nameLocation: "middle", nameGap: 28, min: 0, max: 100 },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [
        { name: d.series[0], type: "bar", data: d.rep, itemStyle: { color: "#0b5cad" } },
        { name: d.series[1], type: "bar", data: d.team, itemStyle: { color: "#8a5a00" } }
      ]
    };
  });
});
