// Monitoring page: a click on a bar opens the firms behind it (each data item carries its link).
document.addEventListener("DOMContentLoaded", function () {
  if (typeof echarts === "undefined") return;
  document.querySelectorAll("[data-drill]").forEach(function (el) {
    var chart = echarts.getInstanceByDom(el);
    if (!chart) return;
    chart.on("click", function (params) {
      var link = params.data && params.data.link;
      if (link && link.indexOf("/monitoring/") === 0) window.location.href = link;
    });
  });
});
