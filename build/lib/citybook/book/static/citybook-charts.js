// Draws every chart on the page with the Vega libraries this book serves itself.
(function () {
  "use strict";
  var EMBED_OPTIONS = {
    mode: "vega", // specs are compiled from Vega-Lite when the book is built
    renderer: "svg",
    actions: { export: true, source: false, compiled: false, editor: false },
  };

  function drawChart(specNode) {
    var target = document.getElementById(specNode.dataset.target);
    if (!target) {
      return;
    }
    var spec = JSON.parse(specNode.textContent);
    vegaEmbed(target, spec, EMBED_OPTIONS)
      .then(function () {
        // vega-embed's menu button is an icon with no text: give it an accessible name.
        var menu = target.querySelector("details > summary");
        if (menu) {
          menu.setAttribute("aria-label", "Chart menu: save the chart as an image");
        }
        target.dataset.drawn = "true";
      })
      .catch(function (error) {
        target.dataset.drawn = "failed";
        target.textContent = "This chart could not be drawn. Its description follows below.";
        console.error("Chart " + target.id + " failed:", error);
      });
  }

  function drawAll() {
    document.querySelectorAll("script.citybook-chart-spec").forEach(drawChart);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
