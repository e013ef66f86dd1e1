/* The query page: Yasgui on our own /sparql, with the examples of queries/ and our prefixes.
   Nothing is fetched from elsewhere: prefix.cc and LOV look-ups are off, the endpoint list holds only ours. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("yasgui-config").textContent);
  var endpoint = new URL(cfg.endpoint, window.location.href).href;
  var base = cfg.base.replace(/\/$/, "") + "/";

  function prefixLines() {
    return Object.keys(cfg.prefixes).sort().map(function (p) {
      return "PREFIX " + p + ": <" + cfg.prefixes[p] + ">";
    }).join("\n");
  }
  var starter = prefixLines() + "\n\nSELECT ?lesson ?title WHERE {\n  ?lesson a dsih:Lesson ; dcterms:title ?title .\n" +
    "  FILTER(lang(?title) = \"nl\")\n}\nORDER BY ?lesson\nLIMIT 20\n";

  /* A result IRI opens its explorer page: ours by path, any other through /resource. */
  function localHref(iri) {
    if (iri.indexOf(base) === 0) return "/" + iri.slice(base.length);
    return cfg.resourcePath + encodeURIComponent(iri);
  }
  function rewriteLinks(root) {
    root.querySelectorAll("a.iri").forEach(function (a) {
      if (a.dataset.iri) return;
      var iri = a.getAttribute("href");
      a.dataset.iri = iri;
      a.setAttribute("href", localHref(iri));
      a.setAttribute("target", "_self");
      a.title = iri;
    });
  }

  /* What Yasgui leaves out for assistive technology: names for its text fields, a keyboard stop for the
     scrolling editor (and the tab bar is hidden by the stylesheet: one tab is all this page uses). */
  function repair(root) {
    root.querySelectorAll("textarea:not([aria-label])").forEach(function (t) { t.setAttribute("aria-label", cfg.labels.editor); });
    root.querySelectorAll("input.autocomplete:not([aria-label])").forEach(function (i) { i.setAttribute("aria-label", cfg.labels.endpoint); });
    root.querySelectorAll("select.tableSizer:not([aria-label])").forEach(function (x) { x.setAttribute("aria-label", cfg.labels.rows); });
    root.querySelectorAll(".yasr input:not([aria-label]):not([type=hidden])").forEach(function (x) { x.setAttribute("aria-label", cfg.labels.filter); });
    root.querySelectorAll(".yasr select:not([aria-label])").forEach(function (x) { x.setAttribute("aria-label", cfg.labels.rows); });
    root.querySelectorAll(".CodeMirror-scroll:not([tabindex='0'])").forEach(function (s) { s.setAttribute("tabindex", "0"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("yasgui");
    Yasgui.Yasqe.defaults.value = starter;
    var yasgui = new Yasgui(el, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
      persistenceId: null,
      populateFromUrl: false,
      corsProxy: undefined,
      yasqe: { autocompleters: ["prefixes", "variables"], prefixCcApi: null, value: starter, editorHeight: "320px" },
      yasr: { prefixes: cfg.prefixes, defaultPlugin: "table" }
    });
    window.dsihYasgui = yasgui;
    var tab = yasgui.getTab();
    tab.setEndpoint && tab.setEndpoint(endpoint);
    if (cfg.query) tab.setQuery(cfg.query);

    new MutationObserver(function () { rewriteLinks(el); repair(el); }).observe(el, { childList: true, subtree: true });
    repair(el);

    document.querySelectorAll(".examples a[data-example]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        var example = cfg.examples.filter(function (x) { return x.name === a.dataset.example; })[0];
        if (!example) return;
        document.querySelectorAll(".examples a.active").forEach(function (x) { x.classList.remove("active"); });
        a.classList.add("active");
        var current = yasgui.getTab();
        current.setQuery(example.query);
        current.getYasqe().focus();
        current.getYasqe().query();              // a chosen example runs at once
      });
    });
  });
})();
