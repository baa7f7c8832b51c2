// The cockpit: hours of permanence offered (bars) and their occupancy (line) per month,
// drawn with Chart.js (installed from npm, served by Django). The table below holds the
// same figures for screen readers and for printing.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const text = JSON.parse(document.getElementById("chart-text").textContent);
  new Chart(document.getElementById("chart-supply"), {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: text.offered, data: data.offered, backgroundColor: "#12306b", yAxisID: "hours" },
        { type: "line", label: text.occupancy, data: data.occupancy, borderColor: "#b35900", backgroundColor: "#b35900", yAxisID: "share" },
      ],
    },
    options: {
      animation: false,
      scales: {
        hours: { position: "left", beginAtZero: true },
        share: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
      },
    },
  });
})();
