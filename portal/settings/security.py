"""Content Security Policy and other browser-side protections."""

from csp.constants import NONE, SELF

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
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
