import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.mark.django_db  # the JSONField check asks the database what it supports
def test_production_settings_pass_the_deploy_checks(settings, monkeypatch):
    # The test run itself uses locmem email and async-unsafe mode for the browser tests.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 64 + "-not-a-real-production-key-but-long-and-varied-9"
    settings.ALLOWED_HOSTS = ["hep.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    call_command("check", deploy=True, fail_level="WARNING")


def test_secret_key_is_required_without_debug():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "creekside.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


def test_debug_is_off_unless_set():
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "creekside.settings", "SECRET_KEY": "k"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    ("url", "flag", "expected"),
    [
        ("postgresql://app@db.internal:5432/hep", None, "True"),
        ("postgresql://app@db.internal:5432/hep", "0", "None"),
        ("sqlite:///tmp/hep.sqlite3", None, "None"),
    ],
    ids=["postgres", "postgres-behind-a-pooler", "sqlite"],
)
def test_postgresql_sends_parameters_apart_so_statements_are_prepared(url, flag, expected):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_PREPARED_STATEMENTS"}
    env |= {"DATABASE_URL": url, "SECRET_KEY": "k", "DJANGO_SETTINGS_MODULE": "creekside.settings"}
    if flag is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = flag
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.DATABASES['default'].get('OPTIONS', {}).get('server_side_binding'))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == expected, result.stderr


@pytest.mark.django_db
def test_the_test_database_runs_as_configured():
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    binding = getattr(connection.features, "uses_server_side_binding", False)  # PostgreSQL's
    assert binding is (on_postgres and os.environ.get("DATABASE_PREPARED_STATEMENTS", "1") != "0")
