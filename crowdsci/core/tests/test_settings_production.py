"""The production profile refuses the settings that were found to let it start unsafely."""

import pytest

from crowdsci import settings as settings_module
from crowdsci.core.tests.test_settings import PRODUCTION_ENV, run_manage


def test_production_refuses_the_development_secret_key_published_in_settings():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": settings_module.DEVELOPMENT_SECRET_KEY})
    assert result.returncode != 0
    assert "SECRET_KEY is the development key published in settings.py" in result.stderr


@pytest.mark.parametrize("hosts", ["*", "crowdsci.example.org,*", "*.example.org"])
def test_production_refuses_a_wildcard_host(hosts):
    result = run_manage("check", env={**PRODUCTION_ENV, "ALLOWED_HOSTS": hosts})
    assert result.returncode != 0
    assert "a wildcard is refused" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", env={**PRODUCTION_ENV, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required in production" in result.stderr


def test_production_accepts_a_domain_and_its_subdomains():
    result = run_manage("check", env={**PRODUCTION_ENV, "ALLOWED_HOSTS": ".example.org,crowdsci.example.org"})
    assert result.returncode == 0, result.stderr
