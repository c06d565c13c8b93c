/* The API reference: Swagger UI (self-hosted, from drf-spectacular-sidecar) on /api/v1/docs/.
   An external file, so that the page needs no inline script under the CSP. */
(function () {
  /* Swagger UI's own BaseLayout puts the operations in a <main>, inside the portal's <main>: two
     main landmarks, one nested (axe: landmark-no-duplicate-main, landmark-main-is-top-level,
     landmark-unique). This layout is BaseLayout with a <div> there; the rest is the same. */
  function portalLayoutPlugin(system) {
    var React = system.React;
    var h = React.createElement;

    class PortalLayout extends React.Component {
      render() {
        var specSelectors = this.props.specSelectors;
        var getComponent = this.props.getComponent;
        var Errors = getComponent("errors", true);
        var Row = getComponent("Row");
        var Col = getComponent("Col");
        var status = specSelectors.loadingStatus();
        if (status === "loading") {
          return h("div", { className: "swagger-ui" }, h("p", null, "Loading the reference…"));
        }
        if (status === "failed" || status === "failedConfig" || !specSelectors.specStr()) {
          return h("div", { className: "swagger-ui" },
            h("p", null, "The reference could not be loaded. Reload the page to try again, or read the OpenAPI schema linked above."),
            h(Errors));
        }
        var servers = specSelectors.servers();
        var schemes = specSelectors.schemes();
        var hasServers = servers && servers.size;
        var hasSchemes = schemes && schemes.size;
        var hasSecurity = !!specSelectors.securityDefinitions();
        var Servers = getComponent("ServersContainer", true);
        var Schemes = getComponent("SchemesContainer", true);
        var Authorize = getComponent("AuthorizeBtnContainer", true);
        var isOAS31 = specSelectors.isOAS31();
        return h("div", { className: "swagger-ui" },
          h(getComponent("SvgAssets")),
          h(getComponent("VersionPragmaFilter"), {
            isSwagger2: specSelectors.isSwagger2(), isOAS3: specSelectors.isOAS3(), isOAS31: isOAS31,
            isOAS32: specSelectors.isOAS32 ? specSelectors.isOAS32() : false, alsoShow: h(Errors),
          },
            h(Errors),
            h(Row, { className: "information-container" }, h(Col, { mobile: 12 }, h(getComponent("InfoContainer", true)))),
            hasServers || hasSchemes || hasSecurity ? h("div", { className: "scheme-container" },
              h(Col, { className: "schemes wrapper", mobile: 12 },
                hasServers || hasSchemes ? h("div", { className: "schemes-server-container" },
                  hasServers ? h(Servers) : null, hasSchemes ? h(Schemes) : null) : null,
                hasSecurity ? h(Authorize) : null)) : null,
            h(getComponent("FilterContainer", true)),
            h("div", { id: "operations" },
              h(Row, null, h(Col, { mobile: 12, desktop: 12 }, h(getComponent("operations", true)))),
              isOAS31 ? h(Row, { className: "webhooks-container" },
                h(Col, { mobile: 12, desktop: 12 }, h(getComponent("Webhooks", true)))) : null,
              h(Row, null, h(Col, { mobile: 12, desktop: 12 }, h(getComponent("Models", true)))))));
      }
    }

    return { components: { PortalLayout: PortalLayout } };
  }

  function start() {
    var root = document.getElementById("swagger-ui");
    if (!root || typeof window.SwaggerUIBundle !== "function") return;
    window.SwaggerUIBundle({
      url: root.dataset.schemaUrl,
      dom_id: "#swagger-ui",
      plugins: [portalLayoutPlugin],
      layout: "PortalLayout",
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
