"""Fuzz every operation of the schema through the WSGI app: no input may cause a 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from accounts.tests.factories import AccountFactory, VerifierFactory
from api.tests.factories import device_with_token

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def api_schema():
    """The schema, called through the WSGI app inside the test's transaction.

    Like Django's test client, keep the handler from closing the test's DB connection per request.
    """
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    account = AccountFactory()
    VerifierFactory(account=account)
    device_with_token("fuzz-token", account=account)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _check(case):
    response = case.call(headers={"Authorization": "Bearer fuzz-token"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
    headers = {key.lower(): value for key, value in response.headers.items()}
    content_type = headers.get("content-type")
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.startswith("application/json"), (case.method, case.formatted_path, headers)
    if response.status_code >= 400:
        assert {"error", "detail"} <= set(response.json())


def test_no_input_causes_a_server_error(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        fuzz = settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(given(case=operation.as_strategy())(_check))
        fuzz()
