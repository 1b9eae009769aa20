// Starts Swagger UI on the API docs page (service/meta/api_docs.py). A file of its own rather
// than an inline script, so the page's Content-Security-Policy can refuse inline scripts.
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-container");
  window.ui = SwaggerUIBundle({
    url: container.dataset.openapiUrl,
    dom_id: "#swagger-container",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
