/* Progressive enhancement: suggestions while typing in the search box. Without JS the form still works. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function setup(input) {
    var form = input.form;
    var list = form.querySelector(".suggestions");
    if (!list) {
      list = document.createElement("ul");
      list.className = "suggestions";
      list.setAttribute("role", "listbox");
      list.hidden = true;
      input.insertAdjacentElement("afterend", list);
    }
    var timer = null, seq = 0, active = -1;
    function close() { list.hidden = true; list.textContent = ""; active = -1; }
    function render(items) {
      list.textContent = "";
      active = -1;
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        var a = document.createElement("a");
        a.href = item.page;
        a.textContent = item.label;              // textContent: graph text is never parsed as HTML
        if (item.type) {
          var small = document.createElement("small");
          small.textContent = item.type + (item.level ? " · " + item.level : "");
          a.appendChild(small);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }
    function highlight(i) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) { if (mine === seq) render(items); })
          .catch(close);
      }, 120);
    });
    input.addEventListener("keydown", function (e) {
      var items = list.querySelectorAll("li");
      if (list.hidden || !items.length) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].querySelector("a").href; }
      else if (e.key === "Escape") { close(); }
    });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest]").forEach(setup);
  });
})();
