/* Progressive enhancement; every page works without it.
   1. The search box becomes an ARIA 1.2 combobox: suggestions while typing in a listbox, the active option
      by aria-activedescendant, their number announced in a live region; Enter opens the chosen one.
   2. Copy buttons (the IRI, 'cite this') appear and copy their target's text, announcing "copied". */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var counter = 0;

  function combobox(input) {
    var form = input.form;
    var id = "suggestions-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");
    var timer = null, seq = 0, active = -1, items = [];
    var someText = input.dataset.statusSome || "{n}", noneText = input.dataset.statusNone || "";

    function close() {
      list.hidden = true; list.textContent = ""; active = -1; items = [];
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function go(item) { window.location.href = item.page; }
    function render(found) {
      list.textContent = "";
      active = -1; items = found;
      input.removeAttribute("aria-activedescendant");
      found.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.label;              // textContent: graph text is never parsed as HTML
        if (item.type) {
          var small = document.createElement("small");
          small.textContent = item.type + (item.level ? " · " + item.level : "");
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep focus in the box
        li.addEventListener("click", function () { go(item); });
        list.appendChild(li);
      });
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      status.textContent = found.length ? someText.replace("{n}", found.length) : noneText;
    }
    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); status.textContent = ""; return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        var url = new URL(input.dataset.suggest, window.location.href);  // carries lang= when the page does
        url.searchParams.set("q", q);
        fetch(url.href, { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (found) { if (mine === seq) render(found); })
          .catch(close);
      }, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { close(); return; }
      if (list.hidden || !items.length) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); go(items[active]); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  }

  function copyButton(button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target) return;
    var status = button.closest("section") ? button.closest("section").querySelector("[role=status]") : null;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.textContent.trim();
      function done() {
        button.classList.add("copied");
        if (status) status.textContent = status.dataset.copied || "";
        setTimeout(function () { button.classList.remove("copied"); }, 2000);
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
      } else {
        fallback(text); done();
      }
    });
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute"; area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest]").forEach(combobox);
    document.querySelectorAll("button.copy[data-copy]").forEach(copyButton);
  });
})();
