"""Error reports that never carry a password, hint, token or QR payload.

Django's exception reporter is our error-report path (the admin e-mail or a Sentry-style
handler renders it): local variables of every frame, POST data, META and the request URL.
Django hides only what a view marks with `sensitive_post_parameters`/`sensitive_variables`,
and allauth's sign-up marks the passwords but not our `password_hint`. This filter hides
every value whose *name* says it is a secret, in any frame, POST, META or nested dict, so a
view that forgets its decorator still leaks nothing; the reporter scrubs token-bearing URLs.
"""

import re

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from .logfilters import scrub

SECRET_NAMES = re.compile(
    r"api|pass|hint|token|secret|payload|signature|key|auth|cookie|credential|session|nonce|challenge",
    re.IGNORECASE,
)


class SecretsExceptionReporterFilter(SafeExceptionReporterFilter):
    """Hide every value named like a secret, wherever it appears in a report."""

    hidden_settings = SECRET_NAMES

    def _cleanse(self, name, value):
        if isinstance(name, str) and SECRET_NAMES.search(name):
            return self.cleansed_substitute
        if isinstance(value, dict):
            return {key: self._cleanse(key, item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self._cleanse(None, item) for item in value)
        if isinstance(value, str):
            return scrub(value)
        return self._cleanse_repr(value)

    @staticmethod
    def _cleanse_repr(value):
        """An object whose repr shows a secret (a request for a token URL) is shown scrubbed."""
        try:
            shown = repr(value)
        except Exception:  # noqa: BLE001 - the reporter itself shows such values as an error
            return value
        cleaned = scrub(shown)
        return value if cleaned == shown else cleaned

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if not self.is_active(request) or not params:
            return params
        cleansed = params.copy()
        for name in cleansed:
            if SECRET_NAMES.search(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        return {key: self._cleanse(key, value) for key, value in meta.items()}

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if not self.is_active(request):
            return variables
        return [(name, self._cleanse(name, value)) for name, value in variables]


class _ScrubbedRequest:
    """The request as a report shows it: the path with any token scrubbed, the rest unchanged."""

    def __init__(self, request):
        self._request = request
        self.path_info = scrub(request.path_info)
        self.path = scrub(request.path)

    def __getattr__(self, name):
        return getattr(self._request, name)


class ScrubbedExceptionReporter(ExceptionReporter):
    """Django's reporter, with token-bearing paths and query values scrubbed from the request."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None and self.filter.is_active(self.request):
            data["request"] = _ScrubbedRequest(self.request)
            data["request_insecure_uri"] = scrub(data.get("request_insecure_uri", ""))
            data["request_GET_items"] = [
                (key, self.filter._cleanse(key, value)) for key, value in self.request.GET.lists()
            ]
        return data
