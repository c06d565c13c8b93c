/* The API reference: Swagger UI (self-hosted, from drf-spectacular-sidecar) on /api/v1/docs/.
   An external file, so that the page needs no inline script under the CSP. */
(function () {
  function start() {
    var root = document.getElementById("swagger-ui");
    if (!root || typeof window.SwaggerUIBundle !== "function") return;
    window.SwaggerUIBundle({
      url: root.dataset.schemaUrl,
      dom_id: "#swagger-ui",
      deepLinking: false,  /* true puts a link inside each summary button (nested controls) */
      docExpansion: "list",
      defaultModelsExpandDepth: 0,
      displayRequestDuration: true,
      persistAuthorization: false,
      tryItOutEnabled: false,
      validatorUrl: null,
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
