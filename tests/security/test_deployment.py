"""The production settings, loaded for real in a subprocess: check --deploy, cookies, CSP, Celery."""

import json
from pathlib import Path

import pytest
import yaml
from django.test import Client, override_settings
from django.urls import reverse

from resets.tests.factories import pending_reset
from tests.production import production_run


@pytest.fixture(scope="module")
def production_settings() -> dict:
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "CSRF_COOKIE_NAME",
        "CONTENT_SECURITY_POLICY",
        "X_FRAME_OPTIONS",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "CELERY_RESULT_BACKEND",
        "CELERY_TASK_IGNORE_RESULT",
        "EMAIL_TIMEOUT",
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
        "DEFAULT_EXCEPTION_REPORTER_FILTER",
    ]
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = production_run("-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_settings():
    result = production_run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_settings_are_the_hardened_ones(production_settings):
    s = production_settings
    assert s["DEBUG"] is False
    assert (
        s["SESSION_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"] and s["SESSION_COOKIE_SAMESITE"] == "Lax"
    )
    assert s["CSRF_COOKIE_SECURE"] and s["CSRF_COOKIE_HTTPONLY"] and s["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert s["SESSION_COOKIE_NAME"].startswith("__Host-") and s["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert (
        s["X_FRAME_OPTIONS"] == "DENY" and s["SECURE_SSL_REDIRECT"] and s["SECURE_HSTS_SECONDS"] >= 31_536_000
    )
    directives = s["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert "'unsafe-inline'" not in json.dumps(directives) and "'unsafe-eval'" not in json.dumps(directives)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    # Celery keeps no results (so no task return value is ever stored in Redis).
    assert s["CELERY_RESULT_BACKEND"] is None and s["CELERY_TASK_IGNORE_RESULT"] is True
    assert 0 < s["EMAIL_TIMEOUT"] <= 30
    assert s["DEFAULT_EXCEPTION_REPORTER_FILTER"] == "core.errorreports.SecretsExceptionReporterFilter"


@pytest.mark.django_db
def test_cookies_carry_secure_httponly_samesite_under_the_production_values(production_settings):
    cookie_settings = {k: v for k, v in production_settings.items() if k.startswith(("SESSION_", "CSRF_"))}
    _, token, _ = pending_reset()
    with override_settings(**cookie_settings):
        client = Client()
        client.get(reverse("account_login"), secure=True)
        client.get(reverse("resets:link_token", args=[token]), secure=True)  # writes the session
        session = client.cookies[cookie_settings["SESSION_COOKIE_NAME"]]
        csrf = client.cookies[cookie_settings["CSRF_COOKIE_NAME"]]
    for cookie in (session, csrf):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/" and not cookie["domain"]  # what the __Host- prefix requires


def test_celery_results_are_disabled_in_the_running_app():
    from portal.celery import app

    assert app.conf.result_backend is None
    assert app.conf.task_ignore_result is True


COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def test_compose_is_the_production_shape():
    """SPEC §6: web (gunicorn), worker (Celery), beat, PostgreSQL, Redis and a mail catcher,
    every portal service on the production settings, read from the environment."""
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][:4] == ["celery", "-A", "portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "portal", "beat"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert "mailpit" in services["mailpit"]["image"]
    for name in ("web", "worker", "beat", "asgi", "migrate"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "portal.settings.production", name
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), name  # no default: start-up stops
        assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://")
        assert env["EMAIL_URL"] == "smtp://mailpit:1025", name


def test_production_sends_through_anymail_or_an_smtp_server_never_the_dev_folder():
    code = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
    provider = production_run(
        "-c",
        code,
        without=("EMAIL_URL",),
        extra={"ANYMAIL_PROVIDER": "postmark", "ANYMAIL_API_KEY": "k", "ANYMAIL_WEBHOOK_SECRET": "u:p"},
    )
    assert provider.returncode == 0, provider.stderr
    assert provider.stdout.strip().splitlines()[-1] == "anymail.backends.postmark.EmailBackend"
    neither = production_run("-c", code, without=("EMAIL_URL",))
    assert neither.returncode != 0 and "Set EMAIL_URL" in neither.stderr
