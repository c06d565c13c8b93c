/* "Use your passkey" on a page outside allauth's sign-in (the reset link, the owner-proof page).

   The WebAuthn work is allauth's own: mfa/js/webauthn.js (`authenticateForm`: reads the request
   options from a JSON data block, calls navigator.credentials.get through webauthn-json, puts
   the answer in the hidden input and submits the form). This file only wires each button
   (templates/components/passkey_check.html) and says in words what happened when the browser
   gives no answer, instead of allauth's console error. No inline script: CSP allows none. */
(function () {
  'use strict'

  const FAILED = 'The passkey check did not finish: it was cancelled, it timed out, or this ' +
    'device has no passkey for this account. Try again, or use another way below.'

  function wire (button) {
    const status = document.getElementById(button.dataset.passkeyStatus)
    window.allauth.webauthn.forms.authenticateForm({
      ids: {
        authenticate: button.id,
        credential: button.dataset.passkeyCredential,
        data: button.dataset.passkeyOptions
      }
    })
    button.addEventListener('click', function () {
      status.textContent = 'Follow your browser\'s steps to use your passkey.'
    })
    document.addEventListener('allauth.error', function (event) {
      event.preventDefault()
      status.textContent = FAILED
      button.focus()
    })
    button.hidden = false
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (!window.PublicKeyCredential || !window.allauth || !window.allauth.webauthn) {
      document.querySelectorAll('[data-passkey-unsupported]').forEach(function (note) {
        note.hidden = false
      })
      return
    }
    document.querySelectorAll('button[data-passkey-options]').forEach(wire)
  })
})()
