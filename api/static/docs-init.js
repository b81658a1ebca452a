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
  }).observe(container, { childList: true, subtree: true });
});
