/* The graph view: the neighbourhood of one resource with Cytoscape.js (served locally); colour = level,
   click a node to open its page. The same connections are listed in the page for readers without JS. */
(function () {
  "use strict";
  var COLOURS = { micro: "#d98e04", meso: "#2a8c82", macro: "#3d5a99" };
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("cy");
    if (!box || typeof cytoscape === "undefined") return;
    fetch(box.dataset.src, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        box.classList.add("ready");
        var cy = cytoscape({
          container: box,
          elements: { nodes: data.nodes, edges: data.edges },
          style: [
            { selector: "node", style: {
              "label": "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 150,
              "text-valign": "bottom", "text-margin-y": 4, "color": "#1f1a12",
              "background-color": function (n) { return COLOURS[n.data("level")] || "#cbbf9f"; },
              "shape": function (n) { return n.data("kindKey") === "Lesson" ? "hexagon" : "round-rectangle"; },
              "width": 26, "height": 24, "border-width": 1, "border-color": "#fff" } },
            { selector: "node[?center]", style: { "width": 44, "height": 40, "font-size": 12, "font-weight": "bold",
              "border-width": 3, "border-color": "#2b2211" } },
            { selector: "edge", style: {
              "width": 1.5, "line-color": "#c9bda0", "target-arrow-color": "#c9bda0", "target-arrow-shape": "triangle",
              "curve-style": "bezier", "label": "data(label)", "font-size": 8, "color": "#6b6253",
              "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8 } },
            { selector: "edge[prop = 'relatedAcrossLevels']", style: {
              "width": 3, "line-color": "#b7791f", "target-arrow-shape": "none", "line-style": "dashed" } }
          ],
          layout: { name: "concentric", animate: false, padding: 30, minNodeSpacing: 70, startAngle: 3 * Math.PI / 2,
                    concentric: function (n) { return n.data("center") ? 2 : 1; }, levelWidth: function () { return 1; } }
        });
        cy.on("tap", "node", function (evt) {
          var page = evt.target.data("page");
          if (page) window.location.href = page;
        });
        box.dataset.nodes = String(cy.nodes().length);
        window.dsihGraph = cy;
      })
      .catch(function () { box.classList.remove("ready"); });
  });
})();
