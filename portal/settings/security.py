"""Content Security Policy and other browser-side protections."""

from csp.constants import NONE, SELF, WASM_UNSAFE_EVAL

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # WebAssembly only (Argon2id of static/js/zk.js, from static/vendor/): never unsafe-inline/-eval.
        "script-src": [SELF, WASM_UNSAFE_EVAL],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Error reports (admin e-mail, Sentry-style handlers) hide anything named like a secret.
DEFAULT_EXCEPTION_REPORTER_FILTER = "core.errorreports.SecretsExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "core.errorreports.ScrubbedExceptionReporter"
