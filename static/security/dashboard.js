// The Chapter 5 dashboard charts, drawn with the Chart.js served from static/vendor (no CDN).
(function () {
  const source = document.getElementById("security-chart-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const red = "#a8201a";
  new Chart(document.getElementById("security-levels-chart"), {
    type: "bar",
    data: { labels: data.levels.labels, datasets: [{ label: "信息系统", data: data.levels.data, backgroundColor: red }] },
    options: { plugins: { legend: { display: false }, title: { display: true, text: "信息系统按安全保护等级" } },
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  new Chart(document.getElementById("security-incidents-chart"), {
    type: "bar",
    data: {
      labels: data.incidents.labels,
      datasets: [
        { label: "事件", data: data.incidents.data, backgroundColor: "#6c757d" },
        { label: "其中迟报", data: data.incidents.late, backgroundColor: red },
      ],
    },
    options: { plugins: { title: { display: true, text: "安全事件按级别" } },
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
})();
