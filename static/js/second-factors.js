/* Second-factor pages (templates/mfa/, and "Use a passkey instead" on the sign-in page).
 *
 * The portal's CSP allows no inline script, so instead of allauth's inline configuration blocks
 * this file starts allauth's own WebAuthn ceremonies (static/mfa/js/webauthn.js, loaded before it,
 * as window.allauth.webauthn.forms) from attributes on the buttons:
 *
 *   <button data-webauthn="add|authenticate|signup" data-credential="<hidden input id>"
 *           data-options="<json_script id>" [data-passwordless="<checkbox id>"]>
 *   <form id="mfa_login" data-webauthn-login="<button id>">   (the sign-in page)
 *
 * It also puts the browser's passkey errors into plain words (allauth's "allauth.error" event),
 * shows passkey buttons marked data-webauthn-only only where the browser has passkeys, and on the
 * recovery codes page adds printing and a reminder before the codes are left unsaved. (The focus
 * on a refused page's error summary is static/js/forms.js's, on every page.)
 */
(function () {
  "use strict";

  var PASSKEY_ERRORS = {
    NotAllowedError:
      "The passkey was not used: the request was cancelled or took too long. Try again when you are ready.",
    InvalidStateError:
      "This device or security key already holds a passkey for your account. Use that one, or choose another device.",
    SecurityError:
      "Your browser refused to use a passkey on this address. Open the site from its usual address and try again.",
    NotSupportedError:
      "This device or security key cannot make this kind of passkey. Try another device, or untick “Also sign in with this passkey”.",
  };
  var PASSKEY_ERROR_OTHER =
    "Your browser could not use a passkey just now. Try again, or use another way to confirm it is you.";
  var NO_PASSKEYS =
    "This browser cannot use passkeys. Use another way, or try an up-to-date browser such as Chrome, Edge, Firefox or Safari.";

  var passkeysSupported = typeof window.PublicKeyCredential === "function";
  var lastPasskeyButton = null;

  function statusFor(button) {
    if (button.webauthnStatus) return button.webauthnStatus;
    var form = button.closest("form");
    var status = form ? form.querySelector("[data-webauthn-status]") : null;
    if (!status) {
      // The sign-in page's button sits outside its (hidden) form: say it next to the button.
      status = document.createElement("div");
      status.setAttribute("data-webauthn-status", "");
      status.setAttribute("role", "alert");
      var anchor = button.closest(".actions") || button;
      anchor.parentNode.insertBefore(status, anchor.nextSibling);
    }
    button.webauthnStatus = status;
    return status;
  }

  function statusShow(button, text) {
    var status = statusFor(button);
    status.className = "notice notice-error webauthn-status";
    status.textContent = text;
  }

  function statusClear(button) {
    var status = statusFor(button);
    status.className = "webauthn-status";
    status.textContent = "";
  }

  // Which passkey button started the ceremony that failed (allauth's event does not say).
  document.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest && event.target.closest("[data-webauthn], [data-webauthn-button]");
      if (button) {
        lastPasskeyButton = button;
        statusClear(button);
      }
    },
    true
  );

  document.addEventListener("allauth.error", function (event) {
    event.preventDefault(); // allauth would only log it to the console
    var exception = event.detail && event.detail.exception;
    var text = (exception && PASSKEY_ERRORS[exception.name]) || PASSKEY_ERROR_OTHER;
    if (lastPasskeyButton) statusShow(lastPasskeyButton, text);
  });

  function passkeyButtonsSetUp() {
    var forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms;

    Array.prototype.forEach.call(document.querySelectorAll("[data-webauthn-only]"), function (element) {
      element.hidden = !passkeysSupported;
    });

    Array.prototype.forEach.call(document.querySelectorAll("[data-webauthn]"), function (button) {
      if (!passkeysSupported || !forms) {
        button.disabled = true;
        statusShow(button, NO_PASSKEYS);
        return;
      }
      var ids = { credential: button.dataset.credential, data: button.dataset.options };
      var kind = button.dataset.webauthn;
      if (kind === "add") {
        ids.add = button.id;
        if (button.dataset.passwordless) ids.passwordless = button.dataset.passwordless;
        forms.addForm({ ids: ids });
      } else if (kind === "signup") {
        ids.signup = button.id;
        forms.signupForm({ ids: ids });
      } else if (kind === "authenticate") {
        ids.authenticate = button.id;
        forms.authenticateForm({ ids: ids });
      }
    });

    Array.prototype.forEach.call(document.querySelectorAll("form[data-webauthn-login]"), function (form) {
      var button = document.getElementById(form.dataset.webauthnLogin);
      if (!button || !passkeysSupported || !forms) return;
      button.setAttribute("data-webauthn-button", "");
      forms.loginForm({ ids: { login: button.id, credential: form.querySelector("[name=credential]").id } });
    });
  }

  function recoveryCodesSetUp() {
    var saved = document.getElementById("codes_saved");
    if (!saved) return;
    var box = saved.closest("[data-codes-saved]");
    var reminder = document.querySelector("[data-codes-reminder]");
    var done = document.querySelector("[data-codes-done]");
    var printButton = document.querySelector("[data-print]");
    box.hidden = false;

    function warnBeforeLeaving(event) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to ask
    }
    function guard() {
      if (saved.checked) window.removeEventListener("beforeunload", warnBeforeLeaving);
      else window.addEventListener("beforeunload", warnBeforeLeaving);
    }
    saved.addEventListener("change", function () {
      guard();
      if (saved.checked) reminder.textContent = "Thank you. You can leave this page now.";
    });
    guard();

    if (done) {
      done.addEventListener("click", function (event) {
        if (saved.checked) return;
        event.preventDefault();
        reminder.textContent =
          "Have you saved your codes? They cannot be shown again. Download, print or write them down, then tick this box.";
        reminder.classList.add("errors");
        saved.focus();
      });
    }

    if (printButton) {
      printButton.hidden = false;
      printButton.addEventListener("click", function () {
        window.print();
      });
    }
  }

  function start() {
    passkeyButtonsSetUp();
    recoveryCodesSetUp();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
