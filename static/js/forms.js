/* Every page: a form sent back refused starts where the problem is.
 *
 * The server marks what to fix: an error box with `data-error-summary` (components/error_summary.html,
 * components/form_errors.html), and each field with an error has aria-invalid="true" (Django). The
 * focus goes to the box, else to the first such field, so that keyboard and screen-reader users do
 * not have to search the page for the red text (the field's label and error are read out with it).
 */
(function () {
  "use strict";

  function start() {
    var target = document.querySelector("[data-error-summary]") ||
      document.querySelector("main form [aria-invalid='true']");
    if (!target) return;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
