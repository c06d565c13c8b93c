/*
 * Zero-knowledge sign-in: the Account Password never leaves this device (docs/auth-protocol.md).
 *
 * Forms marked <form data-zk="signin|signup|reset|reauth"> hold a password input without a
 * `name` (so the browser can never send it) and a hidden `auth_key` input. On submit this
 * script derives the auth key on the device and sends only that:
 *
 *   master   = Argon2id(UTF-8(NFKC(password)), salt, iterations, memory_kib, parallelism, 32 bytes)
 *   auth_key = HKDF-SHA256(master, no salt, info "vault auth key v1", 32 bytes), base64url
 *
 * signin/reauth ask pre-login for the address's salt and parameters (a reauth form with a
 * [data-zk-hint] input first checks that the hint does not contain the password); signup/reset first run the
 * checks that need the password (length, zxcvbn strength, confirmation, hint), then derive with
 * a fresh random salt and the server's default parameters (data-zk-params) and send those too.
 *
 * Helpers: <div data-zk-meter hidden> (a <meter> and [data-zk-meter-text]) shows the strength of a
 * new password as it is typed; <button type="button" data-zk-toggle="input-id" hidden> shows or
 * hides a password. Both stay hidden without this script.
 *
 * Needs hash-wasm (global `hashwasm`) and, for signup/reset, zxcvbn-ts (global `zxcvbnts`),
 * both served from static/vendor/.
 */
(function () {
  "use strict";

  var AUTH_INFO = "vault auth key v1";
  var SALT_BYTES = 16;
  var MIN_LENGTH = 10;
  var MIN_SCORE = 3;
  var BUSY_TEXT = "Protecting your password on this device…";
  var preloginUrl = "/api/v1/prelogin/"; // a form may name another with data-zk-prelogin

  // ---- Derivation (the same as vaultclient/crypto.py; test vectors in docs/auth-protocol.md) ----

  function b64url(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function b64urlDecode(text) {
    var padded = text.replace(/-/g, "+").replace(/_/g, "/");
    while (padded.length % 4) padded += "=";
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  async function hmacSha256(key, parts) {
    var mac = await hashwasm.createHMAC(hashwasm.createSHA256(), key);
    mac.init();
    parts.forEach(function (part) { mac.update(part); });
    return mac.digest("binary");
  }

  /** HKDF-SHA256 (RFC 5869) with an empty salt and one 32-byte block of output. */
  async function hkdfSha256(ikm, info) {
    var prk = await hmacSha256(new Uint8Array(0), [ikm]);
    return hmacSha256(prk, [new TextEncoder().encode(info), new Uint8Array([1])]);
  }

  /** The auth key (43 characters of base64url) of `password` under `salt` and `params`. */
  async function deriveAuthKey(password, salt, params) {
    var master = await hashwasm.argon2id({
      password: new TextEncoder().encode(password.normalize("NFKC")),
      salt: b64urlDecode(salt),
      iterations: params.iterations,
      memorySize: params.memory_kib,
      parallelism: params.parallelism,
      hashLength: 32,
      outputType: "binary",
    });
    return b64url(await hkdfSha256(master, AUTH_INFO));
  }

  function freshSalt() {
    return b64url(crypto.getRandomValues(new Uint8Array(SALT_BYTES)));
  }

  // ---- Checks that need the password (the server cannot see it) ----

  var strengthChecker = null;

  function strength(password, userInputs) {
    if (!window.zxcvbnts) return null;
    if (!strengthChecker) {
      var z = window.zxcvbnts;
      strengthChecker = new z.core.ZxcvbnFactory({
        dictionary: Object.assign({}, z["language-common"].dictionary, z["language-en"].dictionary),
        graphs: z["language-common"].adjacencyGraphs,
        translations: z["language-en"].translations,
      });
    }
    return strengthChecker.check(password, userInputs);
  }

  /** What is wrong with a new password, as sentences for the person typing it ([] when fine). */
  function newPasswordProblems(password, userInputs) {
    if (!password) return ["Choose a password."];
    if (Array.from(password.normalize("NFKC")).length < MIN_LENGTH) {
      return ["Use at least " + MIN_LENGTH + " characters. A few unrelated words make a strong password that is easy to remember."];
    }
    var result = strength(password, (userInputs || []).filter(Boolean));
    if (result && result.score < MIN_SCORE) {
      var advice = [result.feedback.warning].concat(result.feedback.suggestions || []).filter(Boolean);
      if (!advice.length) advice = ["Add another word or two that are not connected to each other."];
      return ["This password is too easy to guess. " + advice.join(" ")];
    }
    return [];
  }

  function hintHoldsPassword(hint, password) {
    return Boolean(hint && password && hint.toLowerCase().indexOf(password.toLowerCase()) !== -1);
  }

  // ---- Page feedback: errors at the field, a summary on top, a busy button ----

  function describedByAdd(input, id) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (ids.indexOf(id) === -1) ids.push(id);
    input.setAttribute("aria-describedby", ids.join(" "));
  }

  function describedByRemove(input, id) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function errorsClear(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".field .errors"), function (list) {
      var field = list.closest(".field");
      Array.prototype.forEach.call(field.querySelectorAll("input, select, textarea"), function (input) {
        describedByRemove(input, list.id);
        input.removeAttribute("aria-invalid");
      });
      field.classList.remove("field-invalid");
      list.remove();
    });
    Array.prototype.forEach.call(document.querySelectorAll(".error-summary, .zk-summary"), function (box) {
      box.remove();
    });
  }

  function fieldError(input, message) {
    var field = input.closest(".field") || input.parentNode;
    var id = input.id + "_error";
    var list = document.getElementById(id);
    if (!list) {
      list = document.createElement("ul");
      list.className = "errors";
      list.id = id;
      field.appendChild(list);
    }
    var item = document.createElement("li");
    item.textContent = message;
    list.appendChild(item);
    field.classList.add("field-invalid");
    input.setAttribute("aria-invalid", "true");
    describedByAdd(input, id);
  }

  /** Show `problems` ([{input, message}] or {message} for the whole form) at their fields and on top. */
  function problemsShow(form, problems) {
    errorsClear(form);
    var summary = document.createElement("div");
    summary.className = "notice notice-error error-summary zk-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("aria-labelledby", "zk-summary-h");
    summary.tabIndex = -1;
    var heading = document.createElement("h2");
    heading.id = "zk-summary-h";
    heading.textContent = problems.length === 1 ? "One thing to fix" : problems.length + " things to fix";
    summary.appendChild(heading);
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      if (problem.input) {
        fieldError(problem.input, problem.message);
        var link = document.createElement("a");
        link.href = "#" + problem.input.id;
        link.textContent = problem.message;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          problem.input.focus();
        });
        item.appendChild(link);
      } else {
        item.textContent = problem.message;
      }
      list.appendChild(item);
    });
    summary.appendChild(list);
    if (form.dataset.zkSummaryNote) {
      var note = document.createElement("p");
      note.textContent = form.dataset.zkSummaryNote;
      summary.appendChild(note);
    }
    var heading1 = document.querySelector("main h1");
    if (heading1) heading1.insertAdjacentElement("afterend", summary);
    else form.insertAdjacentElement("beforebegin", summary);
    summary.focus();
  }

  function submitButton(form) {
    return form.querySelector("button[type=submit], button:not([type])");
  }

  function statusRegion(form) {
    var region = form.querySelector(".zk-status");
    if (!region) {
      region = document.createElement("p");
      region.className = "zk-status visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      form.appendChild(region);
    }
    return region;
  }

  function busySet(form, busy) {
    var button = submitButton(form);
    form.dataset.zkBusy = busy ? "1" : "";
    form.setAttribute("aria-busy", busy ? "true" : "false");
    statusRegion(form).textContent = busy ? BUSY_TEXT : "";
    if (!button) return;
    if (busy) {
      if (!button.dataset.zkLabel) button.dataset.zkLabel = button.textContent;
      button.textContent = BUSY_TEXT;
      button.setAttribute("aria-disabled", "true");
      button.classList.add("is-busy");
    } else {
      if (button.dataset.zkLabel) button.textContent = button.dataset.zkLabel;
      button.removeAttribute("aria-disabled");
      button.classList.remove("is-busy");
    }
  }

  // ---- The forms ----

  function emailOf(form) {
    if (form.dataset.zkEmail) return form.dataset.zkEmail;
    var input = form.querySelector("[name=login], [name=email]");
    return input ? input.value.trim() : "";
  }

  async function prelogin(email) {
    var response;
    try {
      response = await fetch(preloginUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ email: email }),
      });
    } catch (error) {
      throw new Error("We could not reach Vault to prepare your sign-in. Check your internet connection, then try again.");
    }
    if (response.status === 429) {
      throw new Error("Too many attempts in a short time. Wait a minute, then try again.");
    }
    if (!response.ok) {
      throw new Error("Something went wrong on our side while preparing your sign-in. Try again in a moment.");
    }
    return response.json();
  }

  function requiredProblems(form) {
    var problems = [];
    Array.prototype.forEach.call(form.querySelectorAll("[data-zk-required]"), function (input) {
      var empty = input.type === "checkbox" ? !input.checked : !input.value.trim();
      if (empty) problems.push({ input: input, message: input.dataset.zkRequired });
    });
    return problems;
  }

  function deviceProblems(form, password) {
    var kind = form.dataset.zk;
    var problems = requiredProblems(form);
    var passwordInput = form.querySelector("[data-zk-password]");
    var hintInput = form.querySelector("[data-zk-hint]");
    if (kind === "signin" || kind === "reauth") {
      if (!password) problems.push({ input: passwordInput, message: "Enter your Account Password." });
      // A re-authenticated hint change: the hint is checked here, against the password just typed.
      if (hintInput && hintHoldsPassword(hintInput.value, password)) {
        problems.unshift({ input: hintInput, message: "Your hint must not contain your password. Write something that reminds only you of it." });
      }
      return problems;
    }
    var confirmInput = form.querySelector("[data-zk-confirm]");
    var hint = hintInput ? hintInput.value : "";
    newPasswordProblems(password, [emailOf(form), hint]).forEach(function (message) {
      problems.push({ input: passwordInput, message: message });
    });
    if (confirmInput && confirmInput.value !== password) {
      problems.push({ input: confirmInput, message: "The two passwords do not match. Type the same password twice." });
    }
    if (hintInput && hintHoldsPassword(hint, password)) {
      problems.push({ input: hintInput, message: "Your hint must not contain your password. Write something that reminds only you of it." });
    }
    // Keep the summary in the order of the fields on the page.
    var order = Array.prototype.slice.call(form.querySelectorAll("input, select, textarea"));
    return problems.sort(function (a, b) { return order.indexOf(a.input) - order.indexOf(b.input); });
  }

  function hiddenSet(form, name, value) {
    var input = form.querySelector("input[name='" + name + "']");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  async function protectAndSubmit(form) {
    var kind = form.dataset.zk;
    var password = form.querySelector("[data-zk-password]").value;
    var problems = deviceProblems(form, password);
    if (problems.length) {
      problemsShow(form, problems);
      return;
    }
    Array.prototype.forEach.call(form.querySelectorAll("[data-zk-toggle][aria-pressed=true]"), function (b) { b.click(); });
    busySet(form, true);
    try {
      var params;
      if (kind === "signin" || kind === "reauth") {
        params = await prelogin(emailOf(form));
      } else {
        params = Object.assign({}, JSON.parse(form.dataset.zkParams), { salt: freshSalt() });
      }
      // Let the browser paint the busy button before the derivation takes the CPU.
      await new Promise(function (resolve) { setTimeout(resolve, 30); });
      var authKey;
      try {
        authKey = await deriveAuthKey(password, params.salt, params);
      } catch (error) {
        throw new Error("This device could not protect your password (it may be short of memory). Close other tabs or apps, then try again.");
      }
      hiddenSet(form, "auth_key", authKey);
      if (kind === "signup" || kind === "reset") {
        hiddenSet(form, "kdf_salt", params.salt);
        hiddenSet(form, "kdf_iterations", String(params.iterations));
        hiddenSet(form, "kdf_memory_kib", String(params.memory_kib));
        hiddenSet(form, "kdf_parallelism", String(params.parallelism));
      }
      HTMLFormElement.prototype.submit.call(form);
    } catch (error) {
      busySet(form, false);
      problemsShow(form, [{ message: error.message }]);
    }
  }

  // ---- Helpers while typing: a strength meter, a show-password toggle ----

  var STRENGTH_WORDS = ["Very weak", "Weak", "Fair", "Strong", "Very strong"];

  /** <div data-zk-meter>: a <meter> and a sentence, updated as a new password is typed. */
  function meterSetUp(form) {
    var box = form.querySelector("[data-zk-meter]");
    var input = form.querySelector("[data-zk-password]");
    if (!box || !input) return;
    var meter = box.querySelector("meter");
    var text = box.querySelector("[data-zk-meter-text]");
    box.hidden = false;
    input.addEventListener("input", function () {
      var password = input.value;
      var result = password ? strength(password, [emailOf(form)]) : null;
      var score = result ? result.score : 0;
      if (Array.from(password.normalize("NFKC")).length < MIN_LENGTH) score = Math.min(score, 1);
      meter.value = password ? score + 1 : 0;
      text.textContent = password
        ? "Strength: " + STRENGTH_WORDS[score] + (score < MIN_SCORE ? ". Add a few unrelated words." : ".")
        : "";
    });
  }

  /** <button data-zk-toggle="input-id">: show or hide the password (type password <-> text). */
  function toggleSetUp(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-zk-toggle]"), function (button) {
      var input = document.getElementById(button.dataset.zkToggle);
      if (!input) return;
      button.hidden = false;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        var show = input.type === "password";
        input.type = show ? "text" : "password";
        button.setAttribute("aria-pressed", show ? "true" : "false");
        button.textContent = show ? "Hide password" : "Show password";
      });
    });
  }

  function formSetUp(form) {
    if (form.dataset.zkPrelogin) preloginUrl = form.dataset.zkPrelogin;
    statusRegion(form);
    meterSetUp(form);
    toggleSetUp(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.zkBusy) return; // Pressed again while deriving: one derivation is enough.
      protectAndSubmit(form);
    });
  }

  // Coming back with the Back button may restore a page frozen mid-submit: make it usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-zk]"), function (form) {
      busySet(form, false);
      hiddenSet(form, "auth_key", "");
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("form[data-zk]"), formSetUp);

  // For the browser test that checks this derivation against the Python reference.
  window.vaultZk = { deriveAuthKey: deriveAuthKey, newPasswordProblems: newPasswordProblems };
})();
