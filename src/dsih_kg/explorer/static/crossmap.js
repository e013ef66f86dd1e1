/* The map of links across levels: draws the links of the plain list (li.link-item) as lines between the
   lesson cards of the three columns. Pointing at, focusing or tapping a lesson shows its links (kind and
   reason, copied from the list); pointing at or tapping a line shows that link. Without JS the columns and
   the list still say everything. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var KIND_COLOURS = { "same-idea": "#3d5a99", "carries-further": "#b06f00", "same-instrument": "#1f7168" };

  document.addEventListener("DOMContentLoaded", function () {
    var map = document.getElementById("map");
    var panel = document.getElementById("map-info");
    if (!map || !panel) return;
    var items = Array.prototype.slice.call(document.querySelectorAll("li.link-item"));
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "map-lines");
    svg.setAttribute("aria-hidden", "true");
    map.insertBefore(svg, map.firstChild);
    map.classList.add("drawn");
    var paths = [];
    var pinned = null;

    function card(slug) { return document.getElementById("ml-" + slug); }

    function show(list, title) {
      panel.textContent = "";
      if (title) {
        var h = document.createElement("p");
        h.className = "map-info-title";
        h.textContent = title;
        panel.appendChild(h);
      }
      var ul = document.createElement("ul");
      ul.className = "plain";
      list.forEach(function (li) {
        var copy = li.cloneNode(true);   // our own server-rendered, escaped markup
        copy.removeAttribute("id");
        ul.appendChild(copy);
      });
      panel.appendChild(ul);
      panel.hidden = false;
    }
    function highlight(pred) {
      paths.forEach(function (p) { p.line.classList.toggle("on", pred(p)); p.line.classList.toggle("off", !pred(p)); });
    }
    function clear() {
      if (pinned) return;
      paths.forEach(function (p) { p.line.classList.remove("on", "off"); });
      panel.hidden = true;
    }
    function lessonLinks(slug) {
      return items.filter(function (li) { return li.dataset.a === slug || li.dataset.b === slug; });
    }
    function focusLesson(a, pin) {
      var slug = a.dataset.lesson;
      highlight(function (p) { return p.a === slug || p.b === slug; });
      var title = a.querySelector(".map-lesson-title");
      show(lessonLinks(slug), title ? title.textContent : "");
      if (pin) pinned = slug;
    }
    function focusLink(p, pin) {
      highlight(function (q) { return q === p; });
      show([p.item], "");
      if (pin) pinned = p.item.id;
    }

    function draw() {
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      paths = [];
      var box = map.getBoundingClientRect();
      svg.setAttribute("width", map.scrollWidth);
      svg.setAttribute("height", map.scrollHeight);
      items.forEach(function (li) {
        var a = card(li.dataset.a), b = card(li.dataset.b);
        if (!a || !b) return;
        var ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
        var x1 = ra.right - box.left, y1 = ra.top + ra.height / 2 - box.top;
        var x2 = rb.left - box.left, y2 = rb.top + rb.height / 2 - box.top;
        var bend = (x2 - x1) / 2;
        var d = "M" + x1 + "," + y1 + " C" + (x1 + bend) + "," + y1 + " " + (x2 - bend) + "," + y2 + " " + x2 + "," + y2;
        var g = document.createElementNS(SVG, "g");
        g.setAttribute("class", "map-link kind-" + (li.dataset.kind || "none"));
        var hit = document.createElementNS(SVG, "path");
        hit.setAttribute("d", d);
        hit.setAttribute("class", "hit");
        var line = document.createElementNS(SVG, "path");
        line.setAttribute("d", d);
        line.setAttribute("class", "line");
        line.setAttribute("stroke", KIND_COLOURS[li.dataset.kind] || "#8a8172");
        var title = document.createElementNS(SVG, "title");
        title.textContent = (li.querySelector(".kind") ? li.querySelector(".kind").textContent + ": " : "") +
          (li.querySelector(".reason-text") ? li.querySelector(".reason-text").textContent : "");
        g.appendChild(title);
        g.appendChild(hit);
        g.appendChild(line);
        svg.appendChild(g);
        var p = { a: li.dataset.a, b: li.dataset.b, item: li, line: g };
        paths.push(p);
        g.addEventListener("mouseenter", function () { if (!pinned) focusLink(p, false); });
        g.addEventListener("mouseleave", clear);
        g.addEventListener("click", function () { pinned = null; focusLink(p, true); });
      });
    }

    map.querySelectorAll("a.map-lesson").forEach(function (a) {
      a.addEventListener("mouseenter", function () { if (!pinned) focusLesson(a, false); });
      a.addEventListener("mouseleave", clear);
      a.addEventListener("focus", function () { pinned = null; focusLesson(a, false); });
      a.addEventListener("blur", clear);
      // a tap (no hover) first shows the links; a second tap follows the link to the lesson
      a.addEventListener("touchend", function (e) {
        if (pinned !== a.dataset.lesson) { e.preventDefault(); pinned = null; focusLesson(a, true); }
      });
    });
    document.addEventListener("click", function (e) {
      if (!map.contains(e.target)) { pinned = null; clear(); }
    });
    draw();
    var timer = null;
    window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(draw, 100); });
    map.dataset.lines = String(paths.length);
  });
})();
