"""The production settings, loaded for real in a subprocess: check --deploy, cookies, CSP, Celery."""

import json
import re
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


def test_collectstatic_succeeds_under_the_production_storage(tmp_path):
    """The Dockerfile runs collectstatic with the production settings: it must not stop on the
    vendored libraries (static/vendor/, `make vendor`), which name source maps they come without."""
    code = (
        "import django, json\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "from django.test.utils import override_settings\n"
        f"with override_settings(STATIC_ROOT={str(tmp_path)!r}):\n"
        "    call_command('collectstatic', '--noinput', verbosity=0)\n"
    )
    result = production_run("-c", code)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    names = ("css/portal.css", "js/zk.js", "vendor/zxcvbn-ts-language-en.js", "vendor/hash-wasm.umd.min.js")
    for name in names:
        assert (tmp_path / manifest[name]).is_file(), name
        assert (tmp_path / (manifest[name] + ".gz")).is_file(), name  # WhiteNoise serves it compressed


DOCKERIGNORE = COMPOSE.parent / ".dockerignore"


def _ignore_entries(path: Path) -> set[str]:
    lines = [line.strip() for line in path.read_text().splitlines()] if path.exists() else []
    return {line.removeprefix("**/").strip("/") for line in lines if line and not line.startswith("#")}


def test_the_image_build_context_leaves_out_local_secrets_and_data():
    """The Dockerfile's `COPY . .` takes the whole folder: a developer's .env (read by
    portal/settings/env.py), var/ (the dev outbox: reset links, hints and QR codes), databases,
    .git and local installs must stay out of the image. Everything git ignores, and .git."""
    docker = _ignore_entries(DOCKERIGNORE)
    git = _ignore_entries(COMPOSE.parent / ".gitignore")
    assert {".env", "var", ".git"} <= docker
    missing = sorted((git | {".git"}) - docker)
    assert not missing, f".dockerignore does not leave out {missing}"


def _dockerfile_cmd() -> list[str]:
    lines = (COMPOSE.parent / "Dockerfile").read_text().splitlines()
    return json.loads(next(line for line in lines if line.startswith("CMD ")).removeprefix("CMD "))


def test_gunicorn_runs_without_a_control_socket_in_the_image():
    """Gunicorn (25.1+) opens a control socket under $HOME/.gunicorn/ by default. The image's
    user has no home directory, so every start logged "ERROR Control server error"; nothing
    uses the socket (`docker compose restart` does what it offers)."""
    from gunicorn.config import Config

    web = yaml.safe_load(COMPOSE.read_text())["services"]["web"]["command"]
    assert web == _dockerfile_cmd()  # one command line for the web process
    options = Config().parser().parse_args(web[1:])
    assert options.control_socket_disable is True
    assert options.logger_class == "core.accesslog.ScrubbingLogger"


def test_every_portal_process_waits_for_the_migrations():
    """A first `docker compose up`: the worker, beat and daphne met a database without tables
    (the beat's first outbox flush, a chat) unless they wait for `migrate` to finish."""
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    portal = [name for name, s in services.items() if "DJANGO_SETTINGS_MODULE" in s.get("environment", {})]
    assert {"web", "asgi", "worker", "beat", "migrate"} <= set(portal)
    for name in portal:
        depends = services[name]["depends_on"]
        assert depends["db"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
        if name != "migrate":
            assert depends["migrate"] == {"condition": "service_completed_successfully"}, name


def test_production_refuses_the_demo_logins():
    """seed_demo creates staff with a published password and TOTP secret: never in production."""
    refused = production_run("manage.py", "seed_demo")
    assert refused.returncode != 0
    assert "not allowed" in refused.stderr and "portal.settings.dev" in refused.stderr


def _compose_env(service: str) -> dict[str, str]:
    """The service's environment as compose gives it, `${NAME:-default}` read as its default."""
    env = yaml.safe_load(COMPOSE.read_text())["services"][service]["environment"]
    resolved = {}
    for name, value in env.items():
        value = str(value)
        if value.startswith("${SECRET_KEY"):
            value = "compose-" + "x" * 60
        elif value.startswith("${") and ":-" in value:
            value = value.split(":-", 1)[1].rstrip("}")
        resolved[name] = value
    return resolved


def test_check_deploy_under_the_compose_env_names_only_the_https_it_switches_off():
    """The compose file runs over plain HTTP on localhost and says so: `check --deploy` there
    warns about exactly SECURE_SSL_REDIRECT and HSTS, nothing else (README)."""
    result = production_run("manage.py", "check", "--deploy", extra=_compose_env("web"))
    ids = sorted(set(re.findall(r"\((\w+\.[A-Z]\d+)\)", result.stdout + result.stderr)))
    assert ids == ["security.W004", "security.W008"], result.stdout + result.stderr


def test_the_image_runs_as_a_user_that_cannot_rewrite_the_code():
    """The portal writes nothing under /app in production (e-mail leaves over SMTP, the beat
    schedule lives in /tmp): the runtime user only reads the code, so a compromised process
    cannot change what the next request runs."""
    runtime = (COMPOSE.parent / "Dockerfile").read_text().split("\nFROM python")[1]
    users = re.findall(r"^USER (\S+)$", runtime, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert "chown" not in runtime
    for mode in re.findall(r"chmod (?:-R )?(\S+)", runtime):
        assert "+w" not in mode and not mode.isdigit(), mode  # read for all, write for nobody new
