// Survey results: the average satisfaction and the ratings' distribution per group,
// drawn with Chart.js (installed from npm, served by Django). The table below the
// charts holds the same figures for screen readers and for printing.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const text = JSON.parse(document.getElementById("chart-text").textContent);
  const brand = "#12306b";
  const scale = ["#c0392b", "#e67e22", "#f1c40f", "#7dbb5b", "#2e8b57"];

  new Chart(document.getElementById("chart-satisfaction"), {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: text.satisfaction, data: data.satisfaction, backgroundColor: brand }],
    },
    options: {
      indexAxis: "y",
      animation: false,
      scales: { x: { min: 1, max: 5 } },
      plugins: { legend: { display: false } },
    },
  });

  new Chart(document.getElementById("chart-distribution"), {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [1, 2, 3, 4, 5].map((value, i) => ({
        label: `${text.rated} ${value}`,
        data: data.distribution.map((counts) => counts[i]),
        backgroundColor: scale[i],
      })),
    },
    options: {
      indexAxis: "y",
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true } },
    },
  });
})();
