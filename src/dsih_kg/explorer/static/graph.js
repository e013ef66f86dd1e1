/* The graph view: the neighbourhood of one resource with Cytoscape.js (served locally).
   Colour = level, hexagon = lesson, dashed = link across levels. A click on a node re-centres the view on it
   in place (its neighbourhood is fetched and the address updated); "Open page" opens the page of the
   centre. Zoom, fit and edge names are buttons; a cross-level edge shows its kind and reason when chosen.
   The same connections are listed in the page for readers without JS. */
(function () {
  "use strict";
  var COLOURS = { micro: "#b06f00", meso: "#1f7168", macro: "#3d5a99" };

  function style() {
    return [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 13, "text-wrap": "wrap", "text-max-width": 160,
        "text-valign": "bottom", "text-margin-y": 5, "color": "#1f1a12",
        "text-background-color": "#fffdf7", "text-background-opacity": 0.85, "text-background-padding": 2,
        "background-color": function (n) { return COLOURS[n.data("level")] || "#a89a78"; },
        "shape": function (n) { return n.data("kindKey") === "dsih:Lesson" ? "hexagon" : "round-rectangle"; },
        "width": 28, "height": 26, "border-width": 1, "border-color": "#fff" } },
      { selector: "node[?center]", style: { "width": 48, "height": 44, "font-size": 15, "font-weight": "bold",
        "border-width": 3, "border-color": "#2b2211", "z-index": 10 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#7a4b00" } },
      { selector: "edge", style: {
        "width": 1.5, "line-color": "#c9bda0", "target-arrow-color": "#c9bda0", "target-arrow-shape": "triangle",
        "curve-style": "bezier", "font-size": 12, "color": "#4a3d22", "text-rotation": "autorotate",
        "text-background-color": "#fff", "text-background-opacity": 0.9, "text-background-padding": 2 } },
      { selector: "edge[prop = 'dsih:relatedAcrossLevels']", style: {
        "width": 3, "line-color": "#b7791f", "target-arrow-shape": "none", "line-style": "dashed" } },
      { selector: "edge.named, edge:selected", style: { "label": "data(label)" } },
      { selector: "edge:selected", style: { "width": 4, "line-color": "#7a4b00" } }
    ];
  }

  function keepLabels(cy) {
    var box = cy.container();
    var z = cy.zoom();
    var width = box.clientWidth < 600 ? 120 : 160;
    cy.style().selector("node").style("font-size", 13 / z).style("text-max-width", width / z)
      .selector("node[?center]").style("font-size", 15 / z)
      .selector("edge").style("font-size", 12 / z).update();
  }

  /* Laid out with the labels' room counted, then fitted, but never zoomed out so far that labels would
     need to overlap to stay readable: a big neighbourhood on a phone is panned rather than shrunk. */
  var MIN_START_ZOOM = 0.9;
  function layout(cy) {
    cy.zoom(1);
    keepLabels(cy);
    cy.layout({ name: "concentric", animate: false, padding: 30, minNodeSpacing: 30, startAngle: 3 * Math.PI / 2,
      avoidOverlap: true, nodeDimensionsIncludeLabels: true,
      concentric: function (n) { return n.data("center") ? 3 : (n.data("kindKey") === "dsih:Lesson" ? 2 : 1); },
      levelWidth: function () { return 1; } }).run();
    cy.fit(undefined, 30);
    if (cy.zoom() < MIN_START_ZOOM) {
      cy.zoom(MIN_START_ZOOM);
      cy.center(cy.nodes("[?center]"));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("cy");
    if (!box || typeof cytoscape === "undefined") return;
    var cy = null;
    var labelsOn = false;
    var info = {
      label: document.getElementById("graph-info-label"),
      kind: document.getElementById("graph-info-kind"),
      open: document.getElementById("graph-open"),
      edge: document.getElementById("graph-edge-info"),
      heading: document.getElementById("graph-centre-label")
    };

    function showNode(data) {
      info.label.textContent = data.label;
      info.kind.textContent = data.kind || "";
      info.open.href = data.page;
      info.edge.textContent = "";
    }
    function showEdge(data) {
      info.edge.textContent = "";
      var p = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = data.kind ? data.kind : data.label;   // textContent: graph text is never parsed as HTML
      p.appendChild(strong);
      if (data.reason) { p.appendChild(document.createTextNode(" " + data.reason)); }
      info.edge.appendChild(p);
      if (data.link) {
        var a = document.createElement("a");
        a.href = data.link;
        a.textContent = box.dataset.aboutLink || "→";
        info.edge.appendChild(a);
      }
    }

    function load(src, push) {
      // the labels in the page's language, whatever the browser asks for
      return fetch(src, { headers: { Accept: "application/json", "Accept-Language": document.documentElement.lang } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          box.classList.add("ready");
          if (!cy) {
            cy = cytoscape({ container: box, elements: [], style: style(), wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 3 });
            cy.on("tap", "node", function (evt) {
              var d = evt.target.data();
              if (d.center) { showNode(d); return; }
              if (d.graph) { load(d.graph, d.graphPage); } else { showNode(d); }
            });
            cy.on("tap", "edge", function (evt) { showEdge(evt.target.data()); });
            cy.on("mouseover", "edge", function (evt) { evt.target.addClass("named"); });
            cy.on("mouseout", "edge", function (evt) { if (!labelsOn) evt.target.removeClass("named"); });
            // labels keep a readable size (13 px on screen) whatever the zoom
            cy.on("zoom", function () { keepLabels(cy); });
            window.dsihGraph = cy;
          }
          cy.elements().remove();
          cy.add(data.nodes.concat(data.edges));
          if (labelsOn) cy.edges().addClass("named");
          layout(cy);
          var centre = cy.nodes("[?center]")[0];
          if (centre) {
            showNode(centre.data());
            if (info.heading) {
              info.heading.textContent = "";
              var a = document.createElement("a");
              a.href = centre.data("page");
              a.textContent = centre.data("label");
              info.heading.appendChild(a);
            }
            document.title = document.title.replace(/^(.*?\s)[^·]*·/, "$1" + centre.data("label") + " ·");
          }
          box.dataset.nodes = String(cy.nodes().length);
          box.dataset.center = data.center;
          if (push && window.history && history.pushState) history.pushState({ src: src }, "", push);
        })
        .catch(function () { if (!cy) box.classList.remove("ready"); });
    }

    document.querySelectorAll("[data-graph]").forEach(function (control) {
      var what = control.dataset.graph;
      control.addEventListener(what === "edge-labels" ? "change" : "click", function () {
        if (!cy) return;
        var middle = { x: box.clientWidth / 2, y: box.clientHeight / 2 };
        if (what === "zoom-in") cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: middle });
        else if (what === "zoom-out") cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: middle });
        else if (what === "fit") cy.fit(undefined, 30);
        else if (what === "edge-labels") {
          labelsOn = control.checked;
          if (labelsOn) cy.edges().addClass("named"); else cy.edges().removeClass("named");
        }
      });
    });
    window.addEventListener("popstate", function (e) {
      if (e.state && e.state.src) load(e.state.src, null);
      else window.location.reload();
    });
    load(box.dataset.src, null);
  });
})();
