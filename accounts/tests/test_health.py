import pytest

pytestmark = pytest.mark.django_db


def test_healthz_ok_on_the_embedded_default(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_503_when_the_broker_is_down(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503, response.json()
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"
    assert response.json()["error"] == "unavailable"  # the one JSON error shape (core.errors)
