"""The production settings documented in docs/operations.md pass `check --deploy` cleanly."""

import os
import re
import secrets
import subprocess
import sys

from django.conf import settings

OPERATIONS = settings.BASE_DIR / "docs" / "operations.md"


def documented_env():
    """The KEY=value lines of the documented /etc/creekside/env, placeholders filled in."""
    text = OPERATIONS.read_text()
    block = re.search(r"```sh\n# /etc/creekside/env\n(.*?)```", text, re.DOTALL).group(1)
    env = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return {key: "placeholder" if "<" in value else value for key, value in env.items()}


def run(args, env, tmp_path):
    # The test run's own variables (DEBUG, DJANGO_ALLOW_ASYNC_UNSAFE…) stay out of it.
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    base = {k: v for k, v in os.environ.items() if k in keep}
    env = {**base, **env, "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}"}
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


def test_the_documented_production_env_passes_check_deploy(tmp_path):
    env = documented_env()
    assert env["BEHIND_HTTPS_PROXY"] == "1" and "DEBUG" not in env
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_documented_production_env_sends_mail_over_tls_and_requires_2fa(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "o = s.MAILERS['default']['OPTIONS']; "
        "print(o['use_tls'], o['port'], s.STAFF_REQUIRE_2FA, s.SECURE_SSL_REDIRECT)"
    )
    env = {**documented_env(), "DJANGO_SETTINGS_MODULE": "creekside.settings"}
    result = run(["-c", code], env, tmp_path)
    assert result.stdout.split() == ["True", "587", "True", "True"], result.stderr


def test_the_documented_server_listens_on_localhost_only():
    text = OPERATIONS.read_text()
    binds = re.findall(r"gunicorn .*--bind (\S+)", text)
    assert binds and set(binds) == {"127.0.0.1:8000"}
    assert "0.0.0.0" not in text
    assert "proxy_pass http://127.0.0.1:8000;" in text
