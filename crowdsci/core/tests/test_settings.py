import os
import subprocess
import sys
from pathlib import Path

import pytest

from crowdsci import settings as settings_module

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "CROWDSCI_PROFILE": "production",
    "SECRET_KEY": "a-production-secret-key-that-is-long-enough-and-has-variety-0123456789",
    "ALLOWED_HOSTS": "crowdsci.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/crowdsci",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The test run's own variables (profile, database, async-unsafe for Playwright) are not production's.
    test_only = {"CROWDSCI_PROFILE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    clean_env = {key: value for key, value in os.environ.items() if key not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_in_production_profile():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = run_manage("check", env={**env, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "REDIS_URL"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


@pytest.mark.parametrize("raw, expected", [("true", True), ("0", False), ("Yes", True), ("off", False), ("", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("CROWDSCI_TEST_FLAG", raw)
    assert settings_module.env_bool("CROWDSCI_TEST_FLAG", default=False) is expected


def test_env_helpers_fail_loudly_on_a_bad_value(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("CROWDSCI_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        settings_module.env_bool("CROWDSCI_TEST_FLAG", default=False)
    monkeypatch.setenv("CROWDSCI_TEST_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        settings_module.env_int("CROWDSCI_TEST_NUMBER", 10)


def test_production_hashes_passwords_with_argon2():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])", env=PRODUCTION_ENV
    )
    assert result.stdout.strip().splitlines()[-1] == "django.contrib.auth.hashers.Argon2PasswordHasher", result.stderr
