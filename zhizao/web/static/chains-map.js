// The chain map: an ECharts graph whose options sit in a <script type="application/json"> block; clicking a
// node loads its firms (GET /chains/<id>/nodes/<code>) into the element named by data-target, with htmx.
(function () {
  function draw() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chain-map]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chainMap);
      if (!source || el.dataset.drawn) return;
      var chart = echarts.init(el);
      chart.setOption(JSON.parse(source.textContent));
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
      chart.on("click", function (params) {
        if (params.dataType !== "node" || typeof htmx === "undefined") return;
        var url = el.dataset.nodesUrl + encodeURIComponent(params.data.id) + "?year=" + encodeURIComponent(el.dataset.year);
        htmx.ajax("GET", url, { target: "#" + el.dataset.target, swap: "innerHTML" });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
