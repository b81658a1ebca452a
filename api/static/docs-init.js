// Starts Swagger UI on /docs from the bundled assets; served as a file so that
// the page needs no inline script under its Content-Security-Policy.
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-ui-container");
  window.ui = SwaggerUIBundle({
    url: container.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui-container",
    // Deep links put a link inside each operation's expand button, a control nested in a control
    // that keyboards and screen readers cannot reach (axe-core: nested-interactive).
    deepLinking: false,
    // The default theme (agate) shows numbers at 3.45:1 contrast; this one passes 4.5:1.
    syntaxHighlight: { activated: true, theme: "tomorrow-night" },
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
  // Code blocks (examples, response bodies) scroll, so a keyboard must be able to focus them
  // (axe-core: scrollable-region-focusable); Swagger UI renders them without a tabindex.
  new MutationObserver(function () {
    container.querySelectorAll(".highlight-code > pre:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
    // Swagger UI puts its groups (h3) right under the title (h1), so a screen reader's outline
    // skips a level (axe-core: heading-order): each heading gets, as aria-level, its depth in
    // the outline that the heading elements make (h1 > h3 > h4 reads as levels 1 > 2 > 3).
    var open = [];
    container.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach(function (heading) {
      var tag = Number(heading.tagName.charAt(1));
      while (open.length && open[open.length - 1].tag >= tag) open.pop();
      var level = open.length ? open[open.length - 1].level + 1 : 1;
      open.push({ tag: tag, level: level });
      if (level !== tag) heading.setAttribute("aria-level", String(level));
      else heading.removeAttribute("aria-level");
    });
    // The title and description are outside Swagger UI's <main>: a named region holds them
    // (axe-core: region), as the page's own header holds the way back to the reader pages.
    var about = container.querySelector(".information-container");
    if (about && !about.hasAttribute("role")) {
      about.setAttribute("role", "region");
      about.setAttribute("aria-label", "About the API");
    }
  }).observe(container, { childList: true, subtree: true });
});
