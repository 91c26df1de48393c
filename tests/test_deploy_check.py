"""Production settings: `manage.py check --deploy` is clean with the README's environment, and the
settings refuse to start without the secrets they need."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing from the test run (or the developer's shell) may leak into the check.
        if not key.startswith(("DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SECURE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="match.example.org",
        CSRF_TRUSTED_ORIGINS="https://match.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        SITE_URL="https://match.example.org",
        WIPOMATCH_VAR_DIR=str(tmp_path / "var"),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (fixed argv: this interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_without_any_warning(tmp_path):
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_catches_a_weak_secret_key(tmp_path):
    # The same command fails when a setting is unsafe, so the test above can fail too.
    env = _production_env(tmp_path, SECRET_KEY="short")
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without(tmp_path, missing):
    env = _production_env(tmp_path)
    env.pop(missing)
    result = _manage(env, "check")
    assert result.returncode != 0
    assert f"Environment variable {missing} is required in production." in result.stderr
