// Starts Swagger UI on the API docs page. A file of its own, not an inline script, so the page's
// Content-Security-Policy can forbid inline scripts; validatorUrl null keeps every request local.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
  });
})();
